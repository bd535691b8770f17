import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateOperation } from '../../src/graphql/cost/estimate.js';
import { schema } from '../../src/graphql/schema.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { rbacState } from '../../src/sandbox/resources/rbac.js';
import type { UserRecord } from '../../src/sandbox/store.js';
import type { Harness } from '../support/harness.js';
import { API, MISSING_GROUP, MISSING_ROLE, RBAC, calls, gql, useHarness } from './helpers.js';

const harness = useHarness();

interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every group id, read `size` at a time through the connection. */
async function groupIds(h: Harness, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const body = await gql(
      h,
      `query ($first: Int!, $after: String) { organization { rbacGroups(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`,
      { first: size, after },
    );
    expect(body.errors).toBeUndefined();
    const page = (body.data?.organization as { rbacGroups: Page }).rbacGroups;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('RBAC groups', () => {
  it('lists the groups with exactly one list request, oldest first', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ organization { rbacGroups(first: 2) { nodes { id name sourceType sourceTypeValue roleIds createdAt } pageInfo { hasNextPage } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization).toEqual({
      rbacGroups: {
        nodes: [
          {
            id: RBAC.allStaffGroup,
            name: 'All staff (Okta)',
            sourceType: 'SCIM',
            sourceTypeValue: 'scim',
            roleIds: [RBAC.memberRole],
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          },
          {
            id: RBAC.ownersGroup,
            name: 'Owners',
            sourceType: 'DIRECT',
            sourceTypeValue: 'direct',
            roleIds: [RBAC.ownerRole],
            createdAt: expect.any(String),
          },
        ],
        pageInfo: { hasNextPage: true },
      },
    });
    expect(calls(h)).toEqual([`GET ${API}/rbac_groups?limit=2`]);
  });

  it('pages of any size give the same groups as one page, none skipped or repeated', async () => {
    const h = harness();
    const whole = await groupIds(h, 1000);
    expect(whole).toHaveLength(5);
    for (const size of [1, 2, 3]) expect(await groupIds(h, size)).toEqual(whole);
  });

  it('a cursor of the groups list is refused by the roles list, before any upstream request', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ organization { rbacGroups(first: 1) { pageInfo { endCursor } } } }`,
    );
    const cursor = (body.data?.organization as { rbacGroups: Page }).rbacGroups.pageInfo.endCursor;
    h.resetCounts();
    const roles = await gql(
      h,
      `query ($after: String) { organization { rbacRoles(first: 1, after: $after) { nodes { id } } } }`,
      { after: cursor },
    );
    expect(roles.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(roles.errors?.[0]?.extensions?.argumentName).toBe('after');
    expect(calls(h)).toEqual([]);
  });

  it('pages forward only: `last` is refused before any upstream request', async () => {
    const h = harness();
    const body = await gql(h, `{ organization { rbacGroups(last: 2) { nodes { id } } } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(calls(h)).toEqual([]);
  });

  it('finds a group by id, by node and by nodes; an unknown id is null, a malformed one an error without a request', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ a: rbacGroup(id: "${RBAC.supportGroup}") { id name } b: rbacGroup(id: "${MISSING_GROUP}") { id }
         n: node(id: "${RBAC.engineeringGroup}") { __typename id ... on RbacGroup { name } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      a: { id: RBAC.supportGroup, name: 'Support' },
      b: null,
      n: { __typename: 'RbacGroup', id: RBAC.engineeringGroup, name: 'Engineering' },
    });
    expect(calls(h).sort()).toEqual(
      [`GET ${API}/rbac_groups?limit=1000`, `GET ${API}/rbac_groups/${MISSING_GROUP}`].sort(),
    );
    h.resetCounts();
    const bad = await gql(h, `{ rbacGroup(id: "rbac_role_01abc") { id } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('rbac_group_');
    expect(calls(h)).toEqual([]);
  });

  it('resolves the roles of many groups with one roles page; a role of another organization is left out', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ organization { rbacGroups(first: 5) { nodes { id roles { id displayName } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const groups = (
      body.data?.organization as {
        rbacGroups: { nodes: { id: string; roles: { id: string }[] }[] };
      }
    ).rbacGroups.nodes;
    const engineering = groups.find((group) => group.id === RBAC.engineeringGroup);
    expect(engineering?.roles.map((role) => role.id)).toEqual([RBAC.memberRole, RBAC.analystRole]);
    expect(calls(h)).toEqual([
      `GET ${API}/rbac_groups?limit=5`,
      `GET ${API}/rbac_roles?limit=1000`,
      `GET ${API}/rbac_roles/${RBAC.foreignRole}`,
    ]);
  });

  it('a group whose role data is unavailable reports null roleIds and roles', async () => {
    const h = harness();
    rbacState(h.sandbox.store).groups.get(RBAC.supportGroup)!.roleIds = null;
    const body = await gql(h, `{ rbacGroup(id: "${RBAC.supportGroup}") { roleIds roles { id } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ rbacGroup: { roleIds: null, roles: null } });
    expect(calls(h)).toEqual([`GET ${API}/rbac_groups/${RBAC.supportGroup}`]);
  });
});

describe('invites', () => {
  it('relates an invite to the groups it joins, with one groups page for several ids', async () => {
    const h = harness();
    const invite = h.sandbox.store.invites.get(FIXTURE_IDS.pendingInvite)!;
    invite.rbacGroupIds = [RBAC.engineeringGroup, RBAC.supportGroup, MISSING_GROUP];
    const body = await gql(
      h,
      `{ invite(id: "${FIXTURE_IDS.pendingInvite}") { rbacGroupIds rbacGroups { id name } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      invite: {
        rbacGroupIds: [RBAC.engineeringGroup, RBAC.supportGroup, MISSING_GROUP],
        rbacGroups: [
          { id: RBAC.engineeringGroup, name: 'Engineering' },
          { id: RBAC.supportGroup, name: 'Support' },
        ],
      },
    });
    expect(calls(h)).toEqual([
      `GET ${API}/invites/${FIXTURE_IDS.pendingInvite}`,
      `GET ${API}/rbac_groups?limit=1000`,
      `GET ${API}/rbac_groups/${MISSING_GROUP}`,
    ]);
  });
});

describe('RBAC group members', () => {
  it('lists members with their email and relates them to users; a user of another organization is null', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ rbacGroup(id: "${RBAC.engineeringGroup}") { members(first: 1000) { nodes { userId email addedAt user { id email } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const members = (
      body.data?.rbacGroup as {
        members: { nodes: { userId: string; email: string; user: { id: string } | null }[] };
      }
    ).members.nodes;
    expect(members).toHaveLength(41);
    const foreign = members.find((member) => member.userId === RBAC.enterpriseUser);
    expect(foreign).toMatchObject({ user: null, email: expect.stringContaining('@') });
    for (const member of members.filter((m) => m.userId !== RBAC.enterpriseUser)) {
      expect(member.user).toEqual({ id: member.userId, email: member.email });
    }
    // One page of members, one page of users for 40 lookups (asked as the operation starts, side
    // by side with the group: the members are a list whose users are looked up), and one GET for
    // the user the page did not show (of another organization: 404, null).
    expect([...calls(h)].sort()).toEqual(
      [
        `GET ${API}/rbac_groups/${RBAC.engineeringGroup}`,
        `GET ${API}/rbac_groups/${RBAC.engineeringGroup}/members?limit=1000`,
        `GET ${API}/users?limit=1000`,
        `GET ${API}/users/${RBAC.enterpriseUser}`,
      ].sort(),
    );
  });

  it('a group of 500 members costs a members page and a users page, not 500 GETs', async () => {
    const h = harness();
    const store = h.sandbox.store;
    const group = rbacState(store).groups.get(RBAC.contractorsGroup)!;
    for (let i = 0; i < 500; i++) {
      const id = `user_01Contractor${String(i).padStart(6, '0')}`;
      const user: UserRecord = {
        id,
        email: `contractor${i}@northwind.example`,
        name: `Contractor ${i}`,
        role: 'user',
        addedAt: store.now() - 1000 + i,
      };
      store.users.set(id, user);
      group.members.set(id, { userId: id, addedAt: store.now() + i });
    }
    const body = await gql(
      h,
      `{ rbacGroup(id: "${RBAC.contractorsGroup}") { members(first: 500) { nodes { user { id name } } pageInfo { hasNextPage } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const members = (
      body.data?.rbacGroup as {
        members: { nodes: { user: { id: string } | null }[]; pageInfo: { hasNextPage: boolean } };
      }
    ).members;
    expect(members.nodes).toHaveLength(500);
    expect(members.nodes.every((member) => member.user !== null)).toBe(true);
    expect(members.pageInfo.hasNextPage).toBe(false);
    const made = calls(h);
    expect(made.filter((call) => call.startsWith(`GET ${API}/users/`))).toEqual([]);
    expect(made.length).toBeLessThanOrEqual(4);
    expect(made).toContain(`GET ${API}/rbac_groups/${RBAC.contractorsGroup}/members?limit=500`);
  });

  it('member pages of any size give the same members as one page', async () => {
    const h = harness();
    const read = async (first: number) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const body = await gql(
          h,
          `query ($first: Int!, $after: String) { rbacGroup(id: "${RBAC.engineeringGroup}") { members(first: $first, after: $after) { nodes { userId } pageInfo { hasNextPage endCursor } } } }`,
          { first, after },
        );
        expect(body.errors).toBeUndefined();
        const page = (
          body.data?.rbacGroup as {
            members: {
              nodes: { userId: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }
        ).members;
        ids.push(...page.nodes.map((node) => node.userId));
        if (!page.pageInfo.hasNextPage) return ids;
        after = page.pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    };
    const whole = await read(1000);
    expect(whole).toHaveLength(41);
    expect(new Set(whole).size).toBe(41);
    for (const size of [7, 20]) expect(await read(size)).toEqual(whole);
  });
});

describe('RBAC roles', () => {
  it('lists roles and a role’s permissions with their resources', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ organization { rbacRoles(first: 10) { nodes { id displayName source sourceValue } } }
         rbacRole(id: "${RBAC.analystRole}") { displayName permissions(first: 10) { nodes { action resource { type typeValue organizationId connectorId toolName scope } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(
      (body.data?.organization as { rbacRoles: { nodes: unknown[] } }).rbacRoles.nodes,
    ).toEqual([
      // Created together: ties go by id.
      { id: RBAC.memberRole, displayName: 'Member', source: 'BUILT_IN', sourceValue: 'built_in' },
      { id: RBAC.ownerRole, displayName: 'Owner', source: 'BUILT_IN', sourceValue: 'built_in' },
      {
        id: RBAC.supportRole,
        displayName: 'Support agent',
        source: 'CUSTOM',
        sourceValue: 'custom',
      },
      {
        id: RBAC.analystRole,
        displayName: 'Data analyst',
        source: 'CUSTOM',
        sourceValue: 'custom',
      },
    ]);
    const none = { organizationId: null, connectorId: null, toolName: null, scope: null };
    expect(body.data?.rbacRole).toEqual({
      displayName: 'Data analyst',
      permissions: {
        nodes: [
          {
            action: 'capability_access_all',
            resource: {
              ...none,
              type: 'ORGANIZATION',
              typeValue: 'organization',
              organizationId: expect.any(String),
            },
          },
          {
            action: 'grant',
            resource: {
              ...none,
              type: 'CONNECTOR_SCOPE',
              typeValue: 'connector_scope',
              connectorId: expect.stringMatching(/^mcpsrv_/),
              scope: expect.stringMatching(/^read_[0-9a-f]{32}$/),
            },
          },
          {
            action: 'use',
            resource: { ...none, type: 'ALL_CONNECTORS', typeValue: 'all_connectors' },
          },
        ],
      },
    });
    expect(calls(h).sort()).toEqual(
      [
        `GET ${API}/rbac_roles?limit=10`,
        `GET ${API}/rbac_roles/${RBAC.analystRole}`,
        `GET ${API}/rbac_roles/${RBAC.analystRole}/permissions?limit=10`,
      ].sort(),
    );
  });

  it('a role of another organization, or an unknown one, is null', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ a: rbacRole(id: "${RBAC.foreignRole}") { id } b: rbacRole(id: "${MISSING_ROLE}") { id } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: null, b: null });
  });
});

describe('the cost estimate', () => {
  const estimate = (document: string) => estimateOperation(schema, parse(document), null);

  it('counts one request per group page and per members page, and shares user lookups', () => {
    expect(
      estimate(`{ organization { rbacGroups(first: 10) { nodes { id } } } }`).upstreamRequests,
    ).toBe(1);
    const nested = estimate(
      `{ organization { rbacGroups(first: 10) { nodes { members(first: 500) { nodes { user { id } } } } } } }`,
    );
    // 1 group page + 10 member pages + 5000 user lookups sharing pages of 1000 (5 + 1).
    expect(nested.upstreamRequests).toBe(1 + 10 + 6);
    expect([...nested.lookups]).toEqual(['users']);
  });

  it('prices lookups by id, roles and permissions', () => {
    expect(estimate(`{ rbacGroup(id: "${RBAC.supportGroup}") { name } }`).upstreamRequests).toBe(1);
    expect(
      estimate(
        `{ rbacRole(id: "${RBAC.analystRole}") { permissions(first: 5) { nodes { action } } } }`,
      ).upstreamRequests,
    ).toBe(2);
    expect(
      estimate(`{ organization { rbacGroups(first: 20) { nodes { roles { id } } } } }`).lookups,
    ).toEqual(new Set(['rbacRoles']));
  });
});
