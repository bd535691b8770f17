import { describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL } from '../support/harness.js';
import { API, MISSING_GROUP, RBAC, calls, gql, useHarness } from './helpers.js';

const READER = 'rbac-reader-token-0000000000000000';
const MEMBERS_WRITER = 'rbac-members-writer-00000000000000';
const RBAC_WRITER = 'rbac-writer-token-0000000000000000';

const harness = useHarness({
  auth: {
    mode: 'token',
    tokens: [
      { name: 'reader', token: READER, scopes: ['read'] },
      { name: 'members', token: MEMBERS_WRITER, scopes: ['read', 'write', 'members:write'] },
      { name: 'rbac', token: RBAC_WRITER, scopes: ['read', 'write', 'rbac:write'] },
    ],
  },
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const write = (query: string, variables: Record<string, unknown> = {}) =>
  gql(harness(), query, variables, as(RBAC_WRITER));

interface Payload {
  userErrors: { message: string; code: string; field: string[] | null }[];
  [result: string]: unknown;
}

/** The one payload of a single-mutation operation; fails on any GraphQL error. */
async function mutate(query: string, variables: Record<string, unknown> = {}): Promise<Payload> {
  const body = await write(query, variables);
  expect(body.errors).toBeUndefined();
  return Object.values(body.data ?? {})[0] as Payload;
}

const ADD = `mutation ($g: ID!, $u: ID!) { addRbacGroupMember(input: { rbacGroupId: $g, userId: $u }) { rbacGroupMember { userId email user { id } group { id } } userErrors { message code field } } }`;
const REMOVE = `mutation ($g: ID!, $u: ID!) { removeRbacGroupMember(input: { rbacGroupId: $g, userId: $u }) { removedUserId userErrors { message code field } } }`;

describe('group writes', () => {
  it('creates, renames and deletes a group, each with its one upstream call', async () => {
    const h = harness();
    const created = await mutate(
      `mutation { createRbacGroup(input: { name: "Design" }) { rbacGroup { id name sourceType roleIds } userErrors { code } } }`,
    );
    const group = created['rbacGroup'] as { id: string; name: string };
    expect(created).toEqual({
      rbacGroup: {
        id: expect.stringMatching(/^rbac_group_/),
        name: 'Design',
        sourceType: 'DIRECT',
        roleIds: [],
      },
      userErrors: [],
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `${API}/rbac_groups`, { name: 'Design' }],
    ]);

    h.resetCounts();
    const renamed = await mutate(
      `mutation ($id: ID!) { updateRbacGroup(input: { rbacGroupId: $id, name: "Product design" }) { rbacGroup { name } userErrors { code } } }`,
      { id: group.id },
    );
    expect(renamed).toEqual({ rbacGroup: { name: 'Product design' }, userErrors: [] });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `${API}/rbac_groups/${group.id}`, { name: 'Product design' }],
    ]);

    h.resetCounts();
    const deleted = await mutate(
      `mutation ($id: ID!) { deleteRbacGroup(input: { rbacGroupId: $id }) { deletedRbacGroupId userErrors { code } } }`,
      { id: group.id },
    );
    expect(deleted).toEqual({ deletedRbacGroupId: group.id, userErrors: [] });
    expect(calls(h)).toEqual([`DELETE ${API}/rbac_groups/${group.id}`]);
    const after = await gql(h, `{ rbacGroup(id: "${group.id}") { id } }`, {}, as(READER));
    expect(after.data).toEqual({ rbacGroup: null });
  });

  it('a SCIM group cannot be renamed or deleted: NOT_PERMITTED on rbacGroupId', async () => {
    for (const query of [
      `mutation { updateRbacGroup(input: { rbacGroupId: "${RBAC.allStaffGroup}", name: "x" }) { rbacGroup { id } userErrors { message code field } } }`,
      `mutation { deleteRbacGroup(input: { rbacGroupId: "${RBAC.allStaffGroup}" }) { deletedRbacGroupId userErrors { message code field } } }`,
    ]) {
      const payload = await mutate(query);
      expect(payload.userErrors).toEqual([
        {
          message: expect.stringMatching(/scim/i),
          code: 'NOT_PERMITTED',
          field: ['input', 'rbacGroupId'],
        },
      ]);
    }
  });

  it('a group whose role grants owner access cannot be deleted nor its members changed: NOT_PERMITTED', async () => {
    const deleted = await mutate(
      `mutation { deleteRbacGroup(input: { rbacGroupId: "${RBAC.ownersGroup}" }) { deletedRbacGroupId userErrors { message code field } } }`,
    );
    expect(deleted.userErrors).toEqual([
      {
        message: expect.stringContaining('owner access'),
        code: 'NOT_PERMITTED',
        field: ['input', 'rbacGroupId'],
      },
    ]);
    const added = await mutate(ADD, { g: RBAC.ownersGroup, u: FIXTURE_IDS.userUser });
    expect(added.userErrors[0]?.code).toBe('NOT_PERMITTED');
  });

  it('an unknown group is NOT_FOUND on rbacGroupId; a name the Admin API refuses is INVALID_INPUT on name', async () => {
    const h = harness();
    const missing = await mutate(
      `mutation { updateRbacGroup(input: { rbacGroupId: "${MISSING_GROUP}", name: "x" }) { rbacGroup { id } userErrors { code field } } }`,
    );
    expect(missing.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'rbacGroupId'] }]);
    const long = await mutate(
      `mutation ($name: String!) { createRbacGroup(input: { name: $name }) { rbacGroup { id } userErrors { code field } } }`,
      { name: 'x'.repeat(256) },
    );
    expect(long.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'name'] }]);
    h.resetCounts();
    const empty = await mutate(
      `mutation { createRbacGroup(input: { name: "  " }) { rbacGroup { id } userErrors { code field } } }`,
    );
    expect(empty.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'name'] }]);
    expect(calls(h)).toEqual([]);
  });
});

describe('member writes', () => {
  it('adds a member of this organization and of another organization of the enterprise', async () => {
    const h = harness();
    const added = await mutate(ADD, { g: RBAC.supportGroup, u: FIXTURE_IDS.developerUser });
    expect(added).toEqual({
      rbacGroupMember: {
        userId: FIXTURE_IDS.developerUser,
        email: expect.stringContaining('@'),
        user: { id: FIXTURE_IDS.developerUser },
        group: { id: RBAC.supportGroup },
      },
      userErrors: [],
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])[0]).toEqual([
      'POST',
      `${API}/rbac_groups/${RBAC.supportGroup}/members`,
      { user_id: FIXTURE_IDS.developerUser },
    ]);
    const other = 'user_01OtherOrgAnalyst000000000002';
    const foreign = await mutate(ADD, { g: RBAC.supportGroup, u: other });
    expect(foreign['rbacGroupMember']).toMatchObject({ userId: other, user: null });
  });

  it('a user outside the enterprise is NOT_FOUND on userId; one already in the group ALREADY_EXISTS', async () => {
    const outside = await mutate(ADD, { g: RBAC.supportGroup, u: FIXTURE_IDS.removedUser });
    expect(outside.userErrors).toEqual([
      { message: expect.any(String), code: 'NOT_FOUND', field: ['input', 'userId'] },
    ]);
    const twice = await mutate(ADD, { g: RBAC.engineeringGroup, u: RBAC.enterpriseUser });
    expect(twice.userErrors).toEqual([
      {
        message: expect.stringContaining('already a member'),
        code: 'ALREADY_EXISTS',
        field: ['input', 'userId'],
      },
    ]);
    const nogroup = await mutate(ADD, { g: MISSING_GROUP, u: FIXTURE_IDS.userUser });
    expect(nogroup.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['input', 'rbacGroupId'],
    });
  });

  it('a malformed id is INVALID_INPUT on its field, before any upstream request', async () => {
    const h = harness();
    const payload = await mutate(ADD, { g: RBAC.supportGroup, u: 'wrkspc_01abc' });
    expect(payload.userErrors).toEqual([
      {
        message: expect.stringContaining('user_'),
        code: 'INVALID_INPUT',
        field: ['input', 'userId'],
      },
    ]);
    expect(calls(h)).toEqual([]);
  });

  it('removes a member; a user not in the group is NOT_FOUND on userId', async () => {
    const h = harness();
    const removed = await mutate(REMOVE, { g: RBAC.engineeringGroup, u: RBAC.enterpriseUser });
    expect(removed).toEqual({ removedUserId: RBAC.enterpriseUser, userErrors: [] });
    expect(calls(h)).toEqual([
      `DELETE ${API}/rbac_groups/${RBAC.engineeringGroup}/members/${RBAC.enterpriseUser}`,
    ]);
    const again = await mutate(REMOVE, { g: RBAC.engineeringGroup, u: RBAC.enterpriseUser });
    expect(again.userErrors).toEqual([
      { message: expect.any(String), code: 'NOT_FOUND', field: ['input', 'userId'] },
    ]);
  });

  it('a read later in the same operation sees the write (the request’s pages are dropped)', async () => {
    const h = harness();
    const before = await gql(
      h,
      `{ rbacGroup(id: "${RBAC.engineeringGroup}") { members(first: 2) { nodes { userId } } } }`,
      {},
      as(READER),
    );
    const [a, b] = (
      before.data?.rbacGroup as { members: { nodes: { userId: string }[] } }
    ).members.nodes.map((node) => node.userId);
    h.resetCounts();
    const body = await write(
      `mutation ($g: ID!, $a: ID!, $b: ID!) {
        first: removeRbacGroupMember(input: { rbacGroupId: $g, userId: $a }) { rbacGroup { members(first: 1000) { nodes { userId } } } }
        second: removeRbacGroupMember(input: { rbacGroupId: $g, userId: $b }) { rbacGroup { members(first: 1000) { nodes { userId } } } }
      }`,
      { g: RBAC.engineeringGroup, a, b },
    );
    expect(body.errors).toBeUndefined();
    type Removal = { rbacGroup: { members: { nodes: { userId: string }[] } } };
    const ids = (key: string) =>
      (body.data?.[key] as Removal).rbacGroup.members.nodes.map((node) => node.userId);
    expect(ids('first')).not.toContain(a);
    expect(ids('first')).toContain(b);
    expect(ids('second')).not.toContain(a);
    expect(ids('second')).not.toContain(b);
    expect(ids('second')).toHaveLength(39);
    // The same page, read once after each write.
    const memberReads = calls(h).filter((call) => call.endsWith('/members?limit=1000'));
    expect(memberReads).toHaveLength(2);
  });
});

describe('scopes', () => {
  it('a caller without rbac:write gets FORBIDDEN naming it, and no upstream request is made', async () => {
    const h = harness();
    for (const token of [READER, MEMBERS_WRITER]) {
      h.resetCounts();
      const { body } = await postGraphQL(
        h.endpoint,
        {
          query: `mutation { createRbacGroup(input: { name: "x" }) { rbacGroup { id } userErrors { code } } }`,
        },
        as(token),
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.extensions?.missingScopes).toContain('rbac:write');
      expect(calls(h)).toEqual([]);
    }
  });

  it('reads need only `read`', async () => {
    const body = await gql(
      harness(),
      `{ organization { rbacGroups(first: 1) { nodes { id } } rbacRoles(first: 1) { nodes { id } } } }`,
      {},
      as(READER),
    );
    expect(body.errors).toBeUndefined();
  });
});
