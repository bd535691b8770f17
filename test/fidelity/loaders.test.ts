import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { describe, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

const defaultWs = FIXTURE_IDS.defaultWorkspace;
const production = FIXTURE_IDS.productionWorkspace;

interface KeysData {
  [alias: string]: { apiKeys: { nodes: { id: string; workspaceId: string | null }[] } } | null;
}

const keysOf = (alias: string) => `${alias}: workspace(id: $${alias}) {
  apiKeys(first: 100) { nodes { id workspaceId } }
}`;

group('partitioned first pages', () => {
  it('the Default Workspace’s keys are the same asked alone or with another workspace', async () => {
    const alone = await h.client.request<KeysData>(`query ($a: ID!) { ${keysOf('a')} }`, {
      a: defaultWs,
    });
    const together = await h.client.request<KeysData>(
      `query ($a: ID!, $b: ID!) { ${keysOf('a')} ${keysOf('b')} }`,
      { a: defaultWs, b: production },
    );
    const productionAlone = await h.client.request<KeysData>(`query ($b: ID!) { ${keysOf('b')} }`, {
      b: production,
    });
    const expected = [...h.sandbox.store.apiKeys.values()].filter((k) => k.workspaceId === null);
    expect(expected.length).toBeGreaterThan(0);
    const ids = (data: KeysData, alias: string) => data[alias]!.apiKeys.nodes.map((n) => n.id);
    expect(ids(alone, 'a').sort()).toEqual(expected.map((k) => k.id).sort());
    expect(ids(together, 'a')).toEqual(ids(alone, 'a'));
    expect(ids(together, 'b')).toEqual(ids(productionAlone, 'b'));
    // Since 2026-10-21 the Default Workspace's keys name its real id.
    expect(alone.a!.apiKeys.nodes.every((n) => n.workspaceId === defaultWs)).toBe(true);
  });

  it('keys name their workspace in `scope`, so the shared walk serves the Default Workspace too', async () => {
    const alone = await h.client.request<KeysData>(`query ($a: ID!) { ${keysOf('a')} }`, {
      a: defaultWs,
    });
    h.resetCounts();
    const together = await h.client.request<KeysData>(
      `query ($a: ID!, $b: ID!) { ${keysOf('a')} ${keysOf('b')} }`,
      { a: defaultWs, b: production },
    );
    const ids = (data: KeysData, alias: string) => data[alias]!.apiKeys.nodes.map((n) => n.id);
    expect(ids(together, 'a')).toEqual(ids(alone, 'a'));
    expect(ids(together, 'a').length).toBeGreaterThan(0);
    const keyCalls = h
      .upstream()
      .map(describe)
      .filter((c) => c.includes('/api_keys'));
    expect(keyCalls).toEqual(['GET /v1/organizations/api_keys?limit=1000']);
  });

  it('workspaces listed together still share one walk of all keys', async () => {
    h.resetCounts();
    await h.client.request(`{
      organization { workspaces(first: 5) { nodes { id apiKeys(first: 3) { nodes { id } } } } }
    }`);
    const keyCalls = h
      .upstream()
      .map(describe)
      .filter((c) => c.includes('/api_keys'));
    expect(keyCalls).toEqual(['GET /v1/organizations/api_keys?limit=1000']);
  });
});

group('writes invalidate the request’s own state', () => {
  it('two renames of one key in one operation each read back their own result', async () => {
    const key = [...h.sandbox.store.apiKeys.values()].find((k) => k.workspaceId === production)!;
    const data = await h.client.request<Record<string, { apiKey: WithWorkspaceKeys }>>(
      `mutation ($id: ID!) {
        first: updateApiKey(input: { apiKeyId: $id, name: "renamed-once" }) { apiKey { ...K } }
        second: updateApiKey(input: { apiKeyId: $id, name: "renamed-twice" }) { apiKey { ...K } }
      }
      fragment K on ApiKey { name workspace { apiKeys(first: 1000) { nodes { id name } } } }`,
      { id: key.id },
    );
    const nameIn = (payload: { apiKey: WithWorkspaceKeys }) =>
      payload.apiKey.workspace!.apiKeys.nodes.find((n) => n.id === key.id)?.name;
    expect(data['first']!.apiKey.name).toBe('renamed-once');
    expect(nameIn(data['first']!)).toBe('renamed-once');
    expect(data['second']!.apiKey.name).toBe('renamed-twice');
    expect(nameIn(data['second']!)).toBe('renamed-twice');
  });

  it('a member’s user listed before a write is not answered from that list after it', async () => {
    // The members' users are answered from the users listed in the request (listedUser); a write
    // to a user between two readings of the same members must show the new role.
    const memberships = h.sandbox.store.memberships.get(production)!;
    const userId = [...memberships.keys()].find(
      (id) => h.sandbox.store.users.get(id)?.role === 'user',
    )!;
    expect(userId).toBeDefined();
    type Read = { workspace: { members: { nodes: { user: { id: string; role: string } }[] } } };
    const data = await h.client.request<{
      before: Read;
      change: { user: { role: string } | null };
      after: Read;
    }>(
      `mutation ($ws: ID!, $user: ID!) {
        before: updateWorkspace(input: { workspaceId: $ws, name: "read-before" }) { ...M }
        change: updateUser(input: { userId: $user, role: DEVELOPER }) { user { role } }
        after: updateWorkspace(input: { workspaceId: $ws, name: "read-after" }) { ...M }
      }
      fragment M on UpdateWorkspacePayload {
        workspace { members(first: 1000) { nodes { user { id role } } } }
      }`,
      { ws: production, user: userId },
    );
    const roleIn = (read: Read) =>
      read.workspace.members.nodes.find((n) => n.user.id === userId)?.user.role;
    expect(roleIn(data.before)).toBe('USER');
    expect(data.change.user?.role).toBe('DEVELOPER');
    expect(roleIn(data.after)).toBe('DEVELOPER');
  });

  it('a lookup after a write asks upstream again instead of answering from before it', async () => {
    const key = [...h.sandbox.store.apiKeys.values()].find((k) => k.workspaceId === production)!;
    const data = await h.client.request<Record<string, { apiKey: { name: string } | null }>>(
      `mutation ($id: ID!) {
        a: updateApiKey(input: { apiKeyId: $id, name: "one" }) { apiKey { name } }
        b: updateApiKey(input: { apiKeyId: $id, name: "two" }) { apiKey { name } }
      }`,
      { id: key.id },
    );
    expect(data['b']!.apiKey!.name).toBe('two');
    const after = await h.client.request<{ apiKey: { name: string } | null }>(
      `query ($id: ID!) { apiKey(id: $id) { name } }`,
      { id: key.id },
    );
    expect(after.apiKey!.name).toBe('two');
  });
});

interface WithWorkspaceKeys {
  name: string;
  workspace: { apiKeys: { nodes: { id: string; name: string }[] } } | null;
}

group('lookups never assume a list is complete', () => {
  it('a key an unfiltered list did not show is fetched by GET', async () => {
    const hidden = FIXTURE_IDS.activeApiKey;
    h.sandbox.store.hiddenFromLists.add(hidden);
    h.resetCounts();
    const data = await h.client.request<{
      organization: { apiKeys: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } };
      apiKey: { id: string } | null;
    }>(
      `query ($id: ID!) {
        organization { apiKeys(first: 1000) { nodes { id } pageInfo { hasNextPage } } }
        apiKey(id: $id) { id }
      }`,
      { id: hidden },
    );
    expect(data.organization.apiKeys.pageInfo.hasNextPage).toBe(false);
    expect(data.organization.apiKeys.nodes.map((n) => n.id)).not.toContain(hidden);
    expect(data.apiKey?.id).toBe(hidden);
    expect(h.upstream().map(describe)).toContain(`GET /v1/organizations/api_keys/${hidden}`);
  });

  it('a member the member list did not show is fetched by GET, also after a walk of the list', async () => {
    const store = h.sandbox.store;
    const members = store.members(store.workspaces.get(production)!);
    const hidden = members[0]!.userId;
    const shown = members[1]!.userId;
    store.hiddenFromLists.add(hidden);
    h.resetCounts();
    // Two lookups at once walk the workspace's member list, to its end.
    const data = await h.client.request<{
      workspace: { a: { role: string } | null; b: { role: string } | null };
    }>(
      `query ($ws: ID!, $a: ID!, $b: ID!) {
        workspace(id: $ws) { a: member(userId: $a) { role } b: member(userId: $b) { role } }
      }`,
      { ws: production, a: shown, b: hidden },
    );
    expect(data.workspace.a).not.toBeNull();
    expect(data.workspace.b).not.toBeNull();
    expect(h.upstream().map(describe)).toContain(
      `GET /v1/organizations/workspaces/${production}/members/${hidden}`,
    );
  });

  it('an id no list shows and upstream does not know answers null after its GET', async () => {
    const missing = 'apikey_01NoSuchObjectAnywhere0000';
    const data = await h.client.request<{ apiKey: { id: string } | null }>(
      `query ($id: ID!) { organization { apiKeys(first: 1000) { nodes { id } } } apiKey(id: $id) { id } }`,
      { id: missing },
    );
    expect(data.apiKey).toBeNull();
    expect(h.upstream().map(describe)).toContain(`GET /v1/organizations/api_keys/${missing}`);
  });
});
