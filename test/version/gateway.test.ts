import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { ADMIN_API_VERSION } from '../../src/upstream/upstream.js';
import { describe, startHarness, type Harness } from '../support/harness.js';

/*
 * What Admin API version 2026-10-21 changed, seen through the gateway (B1–B6 of the migration
 * notes): the version header, keys' scope and principals, the Default Workspace, rate-limit groups.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

const API = '/v1/organizations';
const defaultWs = FIXTURE_IDS.defaultWorkspace;
const production = FIXTURE_IDS.productionWorkspace;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience
type Data = any;
const request = (query: string, variables?: Record<string, unknown>) =>
  h.client.request<Data>(query, variables);

const ACTOR = 'id type kind kindValue userId serviceAccountId user { id }';

group('the version header', () => {
  it('every upstream request says anthropic-version: 2026-10-21', async () => {
    expect(ADMIN_API_VERSION).toBe('2026-10-21');
    await request(`{
      organization {
        name
        users(first: 2) { nodes { id } }
        apiKeys(first: 2) { nodes { id workspace { id } } }
        rateLimits { id }
        messagesUsageReport(startingAt: "2026-10-01T00:00:00Z", endingAt: "2026-10-02T00:00:00Z") { nodes { startingAt } }
      }
    }`);
    const sent = h.upstream();
    expect(sent.length).toBeGreaterThanOrEqual(5);
    expect(sent.map((r) => r.path)).toEqual(
      expect.arrayContaining([`${API}/me`, `${API}/rate_limits`, `${API}/usage_report/messages`]),
    );
    expect(new Set(sent.map((r) => r.headers['anthropic-version']))).toEqual(
      new Set(['2026-10-21']),
    );
  });
});

group('API keys: scope and principal', () => {
  it('a Default Workspace key names the Default Workspace, as workspaceId and as workspace', async () => {
    const data = await request(
      `query ($id: ID!) { apiKey(id: $id) { workspaceId scope scopeValue workspace { id isDefault } } }`,
      { id: FIXTURE_IDS.expiredApiKey },
    );
    expect(h.sandbox.store.apiKeys.get(FIXTURE_IDS.expiredApiKey)!.workspaceId).toBeNull();
    expect(data.apiKey).toEqual({
      workspaceId: defaultWs,
      scope: 'WORKSPACE',
      scopeValue: 'workspace',
      workspace: { id: defaultWs, isDefault: true },
    });
    const key = h.upstream().find((r) => r.path === `${API}/api_keys/${FIXTURE_IDS.expiredApiKey}`);
    expect(key?.status).toBe(200);
    expect(h.upstream().map(describe)).toContain(`GET ${API}/workspaces/${defaultWs}`);
  });

  it('an organization-scoped key has no workspace', async () => {
    const store = h.sandbox.store;
    const template = store.apiKeys.get(FIXTURE_IDS.activeApiKey)!;
    const id = 'apikey_01OrgScopedKeyXXXXXXXXXXX';
    store.apiKeys.set(id, { ...template, id, workspaceId: null, organizationScoped: true });
    const data = await request(
      `query ($id: ID!) { apiKey(id: $id) { workspaceId scope scopeValue workspace { id } } }`,
      { id },
    );
    expect(data.apiKey).toEqual({
      workspaceId: null,
      scope: 'ORGANIZATION',
      scopeValue: 'organization',
      workspace: null,
    });
    // It is in no workspace: neither the Default Workspace's keys nor any other's show it.
    const listed = await request(
      `query ($ws: ID!) { organization { apiKeys(first: 1000, workspaceId: $ws) { nodes { id } } } }`,
      { ws: defaultWs },
    );
    expect(listed.organization.apiKeys.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
  });

  it('principals and creators say their kind, with the user or service-account id', async () => {
    const store = h.sandbox.store;
    const serviceKey = [...store.apiKeys.values()].find(
      (k) => k.principal?.type === 'service_account',
    )!;
    expect(serviceKey).toBeDefined();
    const data = await request(
      `query ($user: ID!, $svc: ID!) {
        u: apiKey(id: $user) { createdBy { ${ACTOR} } principal { ${ACTOR} } }
        s: apiKey(id: $svc) { principal { ${ACTOR} } }
      }`,
      { user: FIXTURE_IDS.activeApiKey, svc: serviceKey.id },
    );
    const admin = FIXTURE_IDS.adminUser;
    expect(data.u.principal).toEqual({
      id: admin,
      type: 'user',
      kind: 'USER',
      kindValue: 'user_actor',
      userId: admin,
      serviceAccountId: null,
      user: { id: admin },
    });
    expect(data.u.createdBy).toEqual({
      id: admin,
      type: 'user',
      kind: 'USER',
      kindValue: 'user',
      userId: admin,
      serviceAccountId: null,
      user: { id: admin },
    });
    const svac = serviceKey.principal!.id;
    expect(data.s.principal).toEqual({
      id: svac,
      type: 'service_account',
      kind: 'SERVICE_ACCOUNT',
      kindValue: 'service_account_actor',
      userId: null,
      serviceAccountId: svac,
      user: null,
    });
  });

  it('the Default Workspace’s keys alone and beside another workspace are the same, from one walk', async () => {
    const keysOf = (alias: string) =>
      `${alias}: workspace(id: $${alias}) { apiKeys(first: 100) { nodes { id workspaceId } } }`;
    const alone = await request(`query ($a: ID!) { ${keysOf('a')} }`, { a: defaultWs });
    h.resetCounts();
    const together = await request(`query ($a: ID!, $b: ID!) { ${keysOf('a')} ${keysOf('b')} }`, {
      a: defaultWs,
      b: production,
    });
    const ids = (data: Data, alias: string) =>
      data[alias].apiKeys.nodes.map((n: { id: string }) => n.id);
    const expected = [...h.sandbox.store.apiKeys.values()]
      .filter((k) => k.workspaceId === null)
      .map((k) => k.id);
    expect(ids(alone, 'a').sort()).toEqual(expected.sort());
    expect(ids(together, 'a')).toEqual(ids(alone, 'a'));
    expect(
      together.a.apiKeys.nodes.every((n: { workspaceId: string }) => n.workspaceId === defaultWs),
    ).toBe(true);
    expect(
      together.b.apiKeys.nodes.every((n: { workspaceId: string }) => n.workspaceId === production),
    ).toBe(true);
    expect(
      h
        .upstream()
        .map(describe)
        .filter((c) => c.includes('/api_keys')),
    ).toEqual([`GET ${API}/api_keys?limit=1000`]);
  });
});

group('the Default Workspace', () => {
  it('Organization.defaultWorkspace is the workspace include_default adds, at two list requests', async () => {
    const data = await request(`{
      organization { defaultWorkspace { id name isDefault userProfileId } }
      rateLimit { cost }
    }`);
    expect(data.organization.defaultWorkspace).toEqual({
      id: defaultWs,
      name: h.sandbox.store.workspaces.get(defaultWs)!.name,
      isDefault: true,
      userProfileId: null,
    });
    expect(data.rateLimit.cost).toBe(2);
    expect(h.upstream().map(describe).sort()).toEqual([
      `GET ${API}/workspaces?limit=1000&include_archived=true`,
      `GET ${API}/workspaces?limit=1000&include_archived=true&include_default=true`,
    ]);
  });

  it('does not go by name: a workspace named "Default" is not it', async () => {
    const store = h.sandbox.store;
    store.workspaces.get(production)!.name = 'Default';
    const data = await request(`{ organization { defaultWorkspace { id } } }`);
    expect(data.organization.defaultWorkspace.id).toBe(defaultWs);
  });

  it('Workspace.isDefault marks it in a list that includes it, for the price of the search once', async () => {
    const data = await request(`{
      organization {
        plain: workspaces(first: 100) { nodes { id } }
        all: workspaces(first: 100, includeDefault: true) { nodes { id isDefault } }
      }
    }`);
    const plain = data.organization.plain.nodes.map((n: { id: string }) => n.id);
    expect(plain).not.toContain(defaultWs);
    const all = data.organization.all.nodes;
    expect(all.filter((n: { isDefault: boolean }) => n.isDefault)).toEqual([
      { id: defaultWs, isDefault: true },
    ]);
    expect(all.length).toBe(plain.length + 1);
    const lists = h.upstream().filter((r) => r.path === `${API}/workspaces`);
    // The connection's page and the search's walk with include_default, the plain page and walk.
    const withDefault = lists.filter((r) => r.query['include_default']?.[0] === 'true');
    expect(withDefault).toHaveLength(2);
    expect(lists).toHaveLength(4);
  });

  it('userProfileId is the workspace’s', async () => {
    h.sandbox.store.workspaces.get(production)!.userProfileId = 'uprof_01ProductionProfileXXXX';
    const data = await request(`query ($id: ID!) { workspace(id: $id) { userProfileId } }`, {
      id: production,
    });
    expect(data.workspace.userProfileId).toBe('uprof_01ProductionProfileXXXX');
  });
});

group('rate limits: groups and sources', () => {
  it('each organization entry has its group, and groupType still answers', async () => {
    const data = await request(`{
      organization { rateLimits { id groupType groupTypeValue group { id type typeValue displayName } } }
    }`);
    const entries = data.organization.rateLimits;
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) {
      expect(entry.group.id).toMatch(/^rlg_/);
      expect(entry.group.type).toBe(entry.groupType);
      expect(entry.group.typeValue).toBe(entry.groupTypeValue);
      if (entry.groupTypeValue === 'model_group') expect(entry.group.displayName).toBeTruthy();
      else expect(entry.group.displayName).toBeNull();
    }
    expect(entries.some((e: Data) => e.groupType === 'BATCH')).toBe(true);
    expect(new Set(entries.map((e: Data) => e.group.id)).size).toBe(entries.length);
  });

  it('a workspace’s limits say their source; includeInherited sends include_inherited', async () => {
    const query = `query ($id: ID!, $inherited: Boolean) {
      workspace(id: $id) {
        rateLimits(includeInherited: $inherited) {
          rateLimitId groupType group { id } limits { type value orgLimit source sourceValue }
        }
      }
    }`;
    const own = await request(query, { id: production, inherited: false });
    const overrides = own.workspace.rateLimits;
    expect(overrides.length).toBeGreaterThan(0);
    for (const limit of overrides.flatMap((o: Data) => o.limits)) {
      expect(limit.source).toBe('WORKSPACE');
    }
    h.resetCounts();
    const all = await request(query, { id: production, inherited: true });
    const sent = h.upstream().filter((r) => r.path.endsWith('/rate_limits'));
    expect(sent.map((r) => r.query)).toEqual([{ include_inherited: ['true'] }]);
    const limits = all.workspace.rateLimits.flatMap((o: Data) => o.limits);
    expect(limits.some((l: Data) => l.source === 'ORGANIZATION')).toBe(true);
    for (const limit of limits.filter((l: Data) => l.source === 'ORGANIZATION')) {
      expect(limit.value).toBe(limit.orgLimit);
    }
    expect(limits.filter((l: Data) => l.source === 'WORKSPACE')).toHaveLength(
      overrides.flatMap((o: Data) => o.limits).length,
    );
  });
});
