import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { HEADERS, call, start } from '../sandbox/helpers.js';

/* The emulator answers in the shapes of the version each request names, as the Admin API does. */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const V2023 = { ...HEADERS, 'anthropic-version': '2023-06-01' };
const V2026 = { ...HEADERS, 'anthropic-version': '2026-10-21' };
const get = (path: string, headers: Record<string, string>) =>
  call(sandbox, 'GET', path, { rawHeaders: headers });

const API = '/v1/organizations';
const defaultWs = FIXTURE_IDS.defaultWorkspace;

describe('anthropic-version', () => {
  it('an unknown version is a 400 naming the header, and nothing is answered', async () => {
    const answer = await get(`${API}/users`, { ...HEADERS, 'anthropic-version': '2024-01-01' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.type).toBe('invalid_request_error');
    expect(answer.body.error.message).toMatch(/anthropic-version/);
  });

  it('API keys: 2023-06-01 has workspace_id (null for the Default Workspace) and {id, type} principals', async () => {
    const old = await get(`${API}/api_keys/${FIXTURE_IDS.expiredApiKey}`, V2023);
    expect(old.status).toBe(200);
    expect(old.body.workspace_id).toBeNull();
    expect(old.body).not.toHaveProperty('scope');
    expect(old.body.principal).toEqual({ id: FIXTURE_IDS.developerUser, type: 'user' });
  });

  it('API keys: 2026-10-21 has scope with the real id and *_actor principals, no workspace_id', async () => {
    const key = await get(`${API}/api_keys/${FIXTURE_IDS.expiredApiKey}`, V2026);
    expect(key.body).not.toHaveProperty('workspace_id');
    expect(key.body.scope).toEqual({ type: 'workspace', workspace_id: defaultWs });
    expect(key.body.principal).toEqual({ type: 'user_actor', user_id: FIXTURE_IDS.developerUser });
    expect(key.body.created_by).toEqual({ id: FIXTURE_IDS.developerUser, type: 'user' });

    const store = sandbox.store;
    const svc = [...store.apiKeys.values()].find((k) => k.principal?.type === 'service_account')!;
    const service = await get(`${API}/api_keys/${svc.id}`, V2026);
    expect(service.body.principal).toEqual({
      type: 'service_account_actor',
      service_account_id: svc.principal!.id,
    });

    const template = store.apiKeys.get(FIXTURE_IDS.activeApiKey)!;
    const id = 'apikey_01OrgScopedKeyXXXXXXXXXXX';
    store.apiKeys.set(id, { ...template, id, workspaceId: null, organizationScoped: true });
    expect((await get(`${API}/api_keys/${id}`, V2026)).body.scope).toEqual({
      type: 'organization',
    });
    expect((await get(`${API}/api_keys/${id}`, V2023)).body.workspace_id).toBeNull();
  });

  it('the Default Workspace’s id selects its keys, never an organization-scoped one', async () => {
    const store = sandbox.store;
    const template = store.apiKeys.get(FIXTURE_IDS.activeApiKey)!;
    const id = 'apikey_01OrgScopedKeyXXXXXXXXXXX';
    store.apiKeys.set(id, { ...template, id, workspaceId: null, organizationScoped: true });
    const page = await get(`${API}/api_keys?limit=1000&workspace_id=${defaultWs}`, V2026);
    const ids = page.body.data.map((k: { id: string }) => k.id);
    expect(ids).not.toContain(id);
    expect(ids.length).toBeGreaterThan(0);
    for (const key of page.body.data) expect(key.scope.workspace_id).toBe(defaultWs);
  });

  it('workspaces: include_default and ids[] under 2026-10-21, refused under 2023-06-01', async () => {
    const plain = await get(`${API}/workspaces?limit=1000`, V2026);
    const all = await get(`${API}/workspaces?limit=1000&include_default=true`, V2026);
    const plainIds = plain.body.data.map((w: { id: string }) => w.id);
    const allIds = all.body.data.map((w: { id: string }) => w.id);
    expect(plainIds).not.toContain(defaultWs);
    expect(allIds.filter((id: string) => !plainIds.includes(id))).toEqual([defaultWs]);
    const defaultOne = all.body.data.find((w: { id: string }) => w.id === defaultWs);
    expect(defaultOne.user_profile_id).toBeNull();
    expect(defaultOne).not.toHaveProperty('is_default');

    const production = FIXTURE_IDS.productionWorkspace;
    const byIds = await get(
      `${API}/workspaces?ids[]=${production}&ids[]=${defaultWs}&ids[]=wrkspc_01NoSuchWorkspaceXXXXXX`,
      V2026,
    );
    expect(byIds.body.data.map((w: { id: string }) => w.id)).toEqual([production]);

    const old = await get(`${API}/workspaces?include_default=true`, V2023);
    expect(old.status).toBe(400);
    expect(old.body.error.message).toMatch(/include_default/);
    const oldShape = await get(`${API}/workspaces/${production}`, V2023);
    expect(oldShape.body).not.toHaveProperty('user_profile_id');
    const tooMany = Array.from({ length: 101 }, (_, i) => `ids[]=wrkspc_${i}`).join('&');
    expect((await get(`${API}/workspaces?${tooMany}`, V2026)).status).toBe(400);
  });

  it('rate limits: group_type under 2023-06-01; group, source and include_inherited under 2026-10-21', async () => {
    const old = await get(`${API}/rate_limits`, V2023);
    expect(old.body.data[0]).toHaveProperty('group_type');
    expect(old.body.data[0]).not.toHaveProperty('group');
    const now = await get(`${API}/rate_limits`, V2026);
    for (const entry of now.body.data) {
      expect(entry).not.toHaveProperty('group_type');
      expect(entry.group.id).toMatch(/^rlg_/);
      expect('display_name' in entry.group).toBe(entry.group.type === 'model_group');
    }
    const production = FIXTURE_IDS.productionWorkspace;
    const own = await get(`${API}/workspaces/${production}/rate_limits`, V2026);
    for (const entry of own.body.data) {
      for (const limit of entry.limits) expect(limit.source).toEqual({ type: 'workspace' });
    }
    const inherited = await get(
      `${API}/workspaces/${production}/rate_limits?include_inherited=true`,
      V2026,
    );
    expect(inherited.body.data).toHaveLength(now.body.data.length);
    const sources = inherited.body.data.flatMap((e: { limits: { source: { type: string } }[] }) =>
      e.limits.map((l) => l.source.type),
    );
    expect(new Set(sources)).toEqual(new Set(['workspace', 'organization']));
    const oldInherited = await get(
      `${API}/workspaces/${production}/rate_limits?include_inherited=true`,
      V2023,
    );
    expect(oldInherited.status).toBe(400);
  });
});
