import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import { CALLER_KEY, startHarness, type Harness } from '../support/harness.js';
import { ALL_COLLECTIONS, DASHBOARD, run } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { cacheTtlSeconds: 30 } });
});
afterAll(() => h.close());
beforeEach(async () => {
  // The sandbox is reseeded behind the gateway's back, so its cache is dropped too.
  h.sandbox.reset();
  await h.gateway.upstream.cache?.invalidate(ALL_COLLECTIONS);
  h.resetCounts();
});

describe('shared cache of upstream reads', () => {
  it('serves a repeated operation within the TTL without any upstream request', async () => {
    const cold = await run(h.endpoint, DASHBOARD);
    expect(cold.errors).toBeUndefined();
    expect(cold.cost.upstreamRequests).toBeGreaterThan(0);
    const coldCalls = h.upstream().length;
    expect(coldCalls).toBe(cold.cost.upstreamRequests);

    h.resetCounts();
    const warm = await run(h.endpoint, DASHBOARD);
    expect(warm.data).toEqual(cold.data);
    expect(h.upstream()).toEqual([]);
    expect(warm.cost.upstreamRequests).toBe(0);
    expect(warm.cost.cacheHits).toBeGreaterThan(0);
  });

  it('never reuses a result that holds rateLimit, which changes with every request', async () => {
    const query = `{ rateLimit { cost } organization { users(first: 2) { nodes { id } } } }`;
    const first = await run(h.endpoint, query);
    const second = await run(h.endpoint, query);
    // The users page comes from the read cache, but the operation itself was executed again.
    expect(second.cost.cacheHits).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(h.upstream()).toHaveLength(1);
  });

  it('answers a lookup from a cached list page', async () => {
    await run(h.endpoint, `{ organization { users(first: 1000) { nodes { id } } } }`);
    h.resetCounts();
    const lookup = await run(h.endpoint, `{ user(id: "${FIXTURE_IDS.developerUser}") { name } }`);
    expect(lookup.data).toEqual({ user: { name: 'Wei Chen' } });
    expect(h.upstream()).toEqual([]);
  });

  it('keeps credentials apart: a caller never gets data fetched with another credential', async () => {
    await run(h.endpoint, `{ organization { users(first: 3) { nodes { id } } } }`);
    h.resetCounts();
    const asCaller = await run(
      h.endpoint,
      `{ organization { users(first: 3) { nodes { id } } } }`,
      {},
      { 'x-api-key': CALLER_KEY },
    );
    expect(asCaller.cost.cacheHits).toBe(0);
    expect(h.upstream().map((request) => request.credential)).toEqual(['caller']);

    h.resetCounts();
    await run(
      h.endpoint,
      `{ organization { users(first: 3) { nodes { id } } } }`,
      {},
      { authorization: `Bearer ${CALLER_KEY}` },
    );
    expect(h.upstream()).toEqual([]);
    await run(
      h.endpoint,
      `{ organization { users(first: 3) { nodes { id } } } }`,
      {},
      {
        'x-api-key': DEFAULT_SANDBOX_KEY,
      },
    );
    expect(h.upstream()).toEqual([]);
  });

  it('remembers that something does not exist', async () => {
    const query = `{ user(id: "user_01NoSuchUser000000000000") { id } }`;
    expect((await run(h.endpoint, query)).data).toEqual({ user: null });
    expect(h.upstream()).toHaveLength(1);
    expect((await run(h.endpoint, query)).data).toEqual({ user: null });
    expect(h.upstream()).toHaveLength(1);
  });

  it('shares one upstream call among identical concurrent reads', async () => {
    const query = `{ organization { workspaces(first: 4) { nodes { id } } } }`;
    await Promise.all(Array.from({ length: 5 }, () => run(h.endpoint, query)));
    expect(h.upstream()).toHaveLength(1);
  });
});

/**
 * Each mutation, run after the data it changes was read and cached, must be visible to the very
 * next query: the write invalidates what it touched.
 */
describe('every mutation invalidates what it touched', () => {
  const user = FIXTURE_IDS.userUser;
  /** A user who is not a member of the Production workspace. */
  let outsider = '';
  beforeAll(async () => {
    const found = await run(
      h.endpoint,
      `{ organization { users(first: 1000, roles: [USER, DEVELOPER]) { nodes { id } } }
         workspace(id: "${FIXTURE_IDS.productionWorkspace}") { members(first: 1000) { nodes { user { id } } } } }`,
    );
    const data = found.data as {
      organization: { users: { nodes: { id: string }[] } };
      workspace: { members: { nodes: { user: { id: string } }[] } };
    };
    const members = new Set(data.workspace.members.nodes.map((node) => node.user.id));
    outsider = data.organization.users.nodes.find((node) => !members.has(node.id))?.id ?? '';
    expect(outsider).not.toBe('');
  });
  const workspace = FIXTURE_IDS.productionWorkspace;

  const cases: {
    name: string;
    read: () => string;
    mutation: () => string;
    changed: (before: unknown, after: unknown) => void;
  }[] = [
    {
      name: 'updateUser',
      read: () =>
        `{ user(id: "${user}") { role } organization { users(first: 1000) { nodes { id role } } } }`,
      mutation: () =>
        `mutation { updateUser(input: { userId: "${user}", role: DEVELOPER }) { userErrors { code } } }`,
      changed: (_before, after) => {
        const data = after as {
          user: { role: string };
          organization: { users: { nodes: { id: string; role: string }[] } };
        };
        expect(data.user.role).toBe('DEVELOPER');
        expect(data.organization.users.nodes.find((node) => node.id === user)?.role).toBe(
          'DEVELOPER',
        );
      },
    },
    {
      name: 'removeUser',
      read: () =>
        `{ user(id: "${user}") { id } organization { users(first: 1000) { nodes { id } } } }`,
      mutation: () =>
        `mutation { removeUser(input: { userId: "${user}" }) { userErrors { code } } }`,
      changed: (_before, after) => {
        const data = after as { user: null; organization: { users: { nodes: { id: string }[] } } };
        expect(data.user).toBeNull();
        expect(data.organization.users.nodes.some((node) => node.id === user)).toBe(false);
      },
    },
    {
      name: 'createInvite',
      read: () =>
        `{ organization { invites(first: 1000, statuses: [PENDING]) { nodes { email } } } }`,
      mutation: () =>
        `mutation { createInvite(input: { email: "new.person@northwind.example", role: USER }) { userErrors { code } } }`,
      changed: (_before, after) => {
        const emails = (
          after as { organization: { invites: { nodes: { email: string }[] } } }
        ).organization.invites.nodes.map((node) => node.email);
        expect(emails).toContain('new.person@northwind.example');
      },
    },
    {
      name: 'deleteInvite',
      read: () => `{ invite(id: "${FIXTURE_IDS.pendingInvite}") { status } }`,
      mutation: () =>
        `mutation { deleteInvite(input: { inviteId: "${FIXTURE_IDS.pendingInvite}" }) { userErrors { code } } }`,
      changed: (_before, after) => expect(after).toEqual({ invite: { status: 'DELETED' } }),
    },
    {
      name: 'createWorkspace',
      read: () => `{ organization { workspaces(first: 1000) { nodes { name } } } }`,
      mutation: () =>
        `mutation { createWorkspace(input: { name: "Fresh" }) { userErrors { code } } }`,
      changed: (_before, after) => {
        const names = (
          after as { organization: { workspaces: { nodes: { name: string }[] } } }
        ).organization.workspaces.nodes.map((node) => node.name);
        expect(names).toContain('Fresh');
      },
    },
    {
      name: 'updateWorkspace',
      read: () => `{ workspace(id: "${workspace}") { name } }`,
      mutation: () =>
        `mutation { updateWorkspace(input: { workspaceId: "${workspace}", name: "Prod" }) { userErrors { code } } }`,
      changed: (_before, after) => expect(after).toEqual({ workspace: { name: 'Prod' } }),
    },
    {
      name: 'archiveWorkspace',
      read: () =>
        `{ workspace(id: "${workspace}") { isArchived apiKeys(first: 1000) { nodes { status } } } }`,
      mutation: () =>
        `mutation { archiveWorkspace(input: { workspaceId: "${workspace}" }) { userErrors { code } } }`,
      changed: (_before, after) => {
        const data = after as {
          workspace: { isArchived: boolean; apiKeys: { nodes: { status: string }[] } };
        };
        expect(data.workspace.isArchived).toBe(true);
        expect(data.workspace.apiKeys.nodes.every((node) => node.status !== 'ACTIVE')).toBe(true);
      },
    },
    {
      name: 'addWorkspaceMember',
      read: () =>
        `{ workspaceMember(workspaceId: "${workspace}", userId: "${outsider}") { role } }`,
      mutation: () =>
        `mutation { addWorkspaceMember(input: { workspaceId: "${workspace}", userId: "${outsider}", role: WORKSPACE_USER }) { userErrors { code message } } }`,
      changed: (_before, after) =>
        expect(after).toEqual({ workspaceMember: { role: 'WORKSPACE_USER' } }),
    },
    {
      name: 'updateWorkspaceMember',
      read: () =>
        `{ workspaceMember(workspaceId: "${workspace}", userId: "${FIXTURE_IDS.developerUser}") { role } }`,
      mutation: () =>
        `mutation { updateWorkspaceMember(input: { workspaceId: "${workspace}", userId: "${FIXTURE_IDS.developerUser}", role: WORKSPACE_USER }) { userErrors { code message } } }`,
      changed: (_before, after) =>
        expect(after).toEqual({ workspaceMember: { role: 'WORKSPACE_USER' } }),
    },
    {
      name: 'removeWorkspaceMember',
      read: () =>
        `{ workspace(id: "${workspace}") { members(first: 1000) { nodes { user { id } } } } }`,
      mutation: () =>
        `mutation { removeWorkspaceMember(input: { workspaceId: "${workspace}", userId: "${FIXTURE_IDS.developerUser}" }) { userErrors { code message } } }`,
      changed: (_before, after) => {
        const ids = (
          after as { workspace: { members: { nodes: { user: { id: string } }[] } } }
        ).workspace.members.nodes.map((node) => node.user.id);
        expect(ids).not.toContain(FIXTURE_IDS.developerUser);
      },
    },
    {
      name: 'updateApiKey',
      read: () => `{ apiKey(id: "${FIXTURE_IDS.activeApiKey}") { name status } }`,
      mutation: () =>
        `mutation { updateApiKey(input: { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "renamed", status: INACTIVE }) { userErrors { code } } }`,
      changed: (_before, after) =>
        expect(after).toEqual({ apiKey: { name: 'renamed', status: 'INACTIVE' } }),
    },
  ];

  it.each(cases)('$name', async ({ read: readOf, mutation, changed }) => {
    const read = readOf();
    const before = await run(h.endpoint, read);
    expect(before.errors).toBeUndefined();
    const again = await run(h.endpoint, read);
    expect(again.cost.upstreamRequests).toBe(0);

    const written = await run(h.endpoint, mutation());
    expect(JSON.stringify(written.data)).toContain('"userErrors":[]');

    const after = await run(h.endpoint, read);
    expect(after.errors).toBeUndefined();
    changed(before.data, after.data);
  });
});
