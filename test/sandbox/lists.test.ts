import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { get, start, walkBackward, walkForward } from './helpers.js';

const PRODUCTION = FIXTURE_IDS.productionWorkspace;
const memberId = (m: { user_id?: string }): string => m.user_id ?? '';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

describe('object shapes (fixture objects reproduced exactly at the fixture instant)', () => {
  it('user', async () => {
    const answer = await get(sandbox, `/v1/organizations/users/${FIXTURE_IDS.adminUser}`);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toBe(
      JSON.stringify({
        id: 'user_01a79drmAA1JNhuF5YZikf2P',
        added_at: '2025-03-04T17:22:10.512384Z',
        email: 'maria.okafor@northwind.example',
        name: 'Maria Okafor',
        role: 'admin',
        type: 'user',
      }),
    );
  });

  it('invite', async () => {
    const answer = await get(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`);
    expect(answer.body).toEqual({
      id: 'invite_01wyeFgQv9RrUgtNasUJkMgB',
      accepted_at: null,
      email: 'sam.lee@northwind.example',
      expires_at: '2026-08-31T15:03:27.881020Z',
      invited_at: '2026-08-10T15:03:27.881020Z',
      rbac_group_ids: [],
      role: 'claude_code_user',
      status: 'pending',
      type: 'invite',
    });
    const deleted = await get(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.deletedInvite}`);
    expect(deleted.body.status).toBe('deleted');
  });

  it('workspace, including the Default Workspace', async () => {
    const production = await get(sandbox, `/v1/organizations/workspaces/${PRODUCTION}`);
    expect(JSON.stringify(production.body)).toBe(
      JSON.stringify({
        id: 'wrkspc_01HY9WS2YCA8tCnaGSC3Coyh',
        archived_at: null,
        compartment_id: '9d3a1f6e-52c8-4b07-a1e4-c86f2b7d9e15',
        created_at: '2025-07-01T10:12:37.448210Z',
        data_residency: {
          allowed_inference_geos: ['us'],
          default_inference_geo: 'us',
          workspace_geo: 'us',
        },
        display_color: '#6C5BB9',
        external_key_id: 'ekey_01uDzKK9oqVoHFtY8RF2LBfY',
        name: 'Production',
        tags: { env: 'prod', team: 'platform' },
        type: 'workspace',
      }),
    );
    const defaultWs = await get(
      sandbox,
      `/v1/organizations/workspaces/${FIXTURE_IDS.defaultWorkspace}`,
    );
    expect(defaultWs.body).toMatchObject({ name: 'Default', archived_at: null, tags: {} });
    const archived = await get(
      sandbox,
      `/v1/organizations/workspaces/${FIXTURE_IDS.archivedWorkspace}`,
    );
    expect(archived.body.archived_at).toBe('2026-02-27T18:44:09.301552Z');
  });

  it('workspace member', async () => {
    const path = `/v1/organizations/workspaces/${PRODUCTION}/members/${FIXTURE_IDS.developerUser}`;
    expect((await get(sandbox, path)).body).toEqual({
      type: 'workspace_member',
      user_id: FIXTURE_IDS.developerUser,
      workspace_id: PRODUCTION,
      workspace_role: 'workspace_developer',
    });
  });

  it('api key', async () => {
    const answer = await get(sandbox, `/v1/organizations/api_keys/${FIXTURE_IDS.expiredApiKey}`);
    expect(JSON.stringify(answer.body)).toBe(
      JSON.stringify({
        id: 'apikey_01dJFtHZZgqTuJeQftnpJrmv',
        created_at: '2026-07-12T16:48:22.067315Z',
        created_by: { id: 'user_01uRi3d9kN7HvZt2R2zMg3Bh', type: 'user' },
        expires_at: '2026-08-11T16:48:22.067315Z',
        name: 'wei-laptop',
        partial_key_hint: 'sk-ant-api03-bR4...Zt2A',
        principal: { id: 'user_01uRi3d9kN7HvZt2R2zMg3Bh', type: 'user' },
        status: 'expired',
        type: 'api_key',
        workspace_id: null,
      }),
    );
  });

  it('list envelope and timestamps', async () => {
    const answer = await get(sandbox, '/v1/organizations/users?limit=3');
    expect(Object.keys(answer.body).sort()).toEqual(['data', 'first_id', 'has_more', 'last_id']);
    expect(answer.body.data).toHaveLength(3);
    expect(answer.body.first_id).toBe(answer.body.data[0].id);
    expect(answer.body.last_id).toBe(answer.body.data[2].id);
    expect(answer.body.has_more).toBe(true);
    for (const user of answer.body.data) {
      expect(user.added_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(user.id).toMatch(/^user_01[1-9A-HJ-NP-Za-km-z]{22}$/);
    }
  });
});

describe('seed data', () => {
  it('holds every role, status and special case the gateway has to handle', async () => {
    const users = (await get(sandbox, '/v1/organizations/users?limit=1000')).body.data;
    expect(users.length).toBeGreaterThanOrEqual(300);
    expect(new Set(users.map((u: { role: string }) => u.role)).size).toBe(9);
    const keys = (await get(sandbox, '/v1/organizations/api_keys?limit=1000')).body.data;
    expect(keys.length).toBeGreaterThanOrEqual(400);
    expect(new Set(keys.map((k: { status: string }) => k.status))).toEqual(
      new Set(['active', 'inactive', 'archived', 'expired']),
    );
    expect(keys.some((k: { workspace_id: null }) => k.workspace_id === null)).toBe(true);
    expect(keys.some((k: { created_by: null }) => k.created_by === null)).toBe(true);
    expect(
      keys.some(
        (k: { principal: { type: string } | null }) => k.principal?.type === 'service_account',
      ),
    ).toBe(true);
    const workspaces = (await get(sandbox, '/v1/organizations/workspaces?include_archived=true'))
      .body.data;
    expect(workspaces.map((w: { name: string }) => w.name)).toContain('Claude Code');
    expect(workspaces.filter((w: { archived_at: null }) => w.archived_at !== null)).toHaveLength(3);
    const statuses = ['pending', 'accepted', 'expired'];
    for (const status of statuses) {
      const page = await get(sandbox, `/v1/organizations/invites?statuses[]=${status}&limit=1`);
      expect(page.body.data).toHaveLength(1);
    }
  });

  it('keeps key statuses consistent with their workspace', async () => {
    const archivedKeys = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${FIXTURE_IDS.archivedWorkspace}&limit=1000`,
    );
    for (const key of archivedKeys.body.data) expect(['archived', 'expired']).toContain(key.status);
  });
});

describe('filters', () => {
  it('users: email normalised, roles in both array encodings', async () => {
    for (const email of [
      'maria.okafor@northwind.example',
      'Maria.Okafor+hiring@NORTHWIND.example',
    ]) {
      const answer = await get(
        sandbox,
        `/v1/organizations/users?email=${encodeURIComponent(email)}`,
      );
      expect(answer.body.data.map((u: { id: string }) => u.id)).toEqual([FIXTURE_IDS.adminUser]);
    }
    const none = await get(sandbox, '/v1/organizations/users?email=nobody%40northwind.example');
    expect(none.body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
    const brackets = await get(
      sandbox,
      '/v1/organizations/users?roles[]=admin&roles[]=billing&limit=1000',
    );
    const plain = await get(
      sandbox,
      '/v1/organizations/users?roles=admin&roles=billing&limit=1000',
    );
    expect(brackets.body).toEqual(plain.body);
    const roles = new Set(brackets.body.data.map((u: { role: string }) => u.role));
    expect(roles).toEqual(new Set(['admin', 'billing']));
    const bad = await get(sandbox, '/v1/organizations/users?roles[]=superuser');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('roles');
  });

  it('invites: statuses default excludes deleted; email and roles filter', async () => {
    const all = (await get(sandbox, '/v1/organizations/invites?limit=1000')).body.data;
    const statuses = new Set(all.map((i: { status: string }) => i.status));
    expect(statuses).toEqual(new Set(['pending', 'accepted', 'expired']));
    const pending = await get(sandbox, '/v1/organizations/invites?statuses=pending&limit=1000');
    expect(pending.body.data.every((i: { status: string }) => i.status === 'pending')).toBe(true);
    const deleted = await get(sandbox, '/v1/organizations/invites?statuses[]=deleted');
    expect(deleted.status).toBe(400);
    expect(deleted.body.error.message).toContain('statuses');
    const bySam = await get(sandbox, '/v1/organizations/invites?email=SAM.LEE%40northwind.example');
    expect(bySam.body.data.map((i: { id: string }) => i.id)).toEqual([FIXTURE_IDS.pendingInvite]);
    const byRole = await get(sandbox, '/v1/organizations/invites?roles[]=billing&limit=1000');
    expect(byRole.body.data.length).toBeGreaterThan(0);
    expect(byRole.body.data.every((i: { role: string }) => i.role === 'billing')).toBe(true);
  });

  it('workspaces: include_archived defaults to false; Default never listed', async () => {
    const active = (await get(sandbox, '/v1/organizations/workspaces?limit=1000')).body.data;
    const all = (
      await get(sandbox, '/v1/organizations/workspaces?include_archived=true&limit=1000')
    ).body.data;
    expect(active).toHaveLength(9);
    expect(all).toHaveLength(12);
    expect(active.every((w: { archived_at: null }) => w.archived_at === null)).toBe(true);
    const ids = all.map((w: { id: string }) => w.id);
    expect(ids).not.toContain(FIXTURE_IDS.defaultWorkspace);
    const explicitFalse = await get(
      sandbox,
      '/v1/organizations/workspaces?include_archived=false&limit=1000',
    );
    expect(explicitFalse.body.data).toHaveLength(9);
    expect((await get(sandbox, '/v1/organizations/workspaces?include_archived=yes')).status).toBe(
      400,
    );
  });

  it('api keys: created_by_user_id, status, workspace_id (Default = null)', async () => {
    const byCreator = await get(
      sandbox,
      `/v1/organizations/api_keys?created_by_user_id=${FIXTURE_IDS.developerUser}&limit=1000`,
    );
    expect(byCreator.body.data.length).toBeGreaterThanOrEqual(2);
    for (const key of byCreator.body.data)
      expect(key.created_by.id).toBe(FIXTURE_IDS.developerUser);
    for (const status of ['active', 'inactive', 'archived', 'expired']) {
      const page = await get(sandbox, `/v1/organizations/api_keys?status=${status}&limit=1000`);
      expect(page.body.data.length).toBeGreaterThan(0);
      expect(page.body.data.every((k: { status: string }) => k.status === status)).toBe(true);
    }
    expect((await get(sandbox, '/v1/organizations/api_keys?status=revoked')).status).toBe(400);
    const defaults = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${FIXTURE_IDS.defaultWorkspace}&limit=1000`,
    );
    expect(defaults.body.data.length).toBeGreaterThan(0);
    expect(defaults.body.data.every((k: { workspace_id: null }) => k.workspace_id === null)).toBe(
      true,
    );
    expect(defaults.body.data.map((k: { id: string }) => k.id)).toContain(
      FIXTURE_IDS.expiredApiKey,
    );
    const production = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${PRODUCTION}&limit=1000`,
    );
    expect(
      production.body.data.every((k: { workspace_id: string }) => k.workspace_id === PRODUCTION),
    ).toBe(true);
    const combined = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${PRODUCTION}&status=active&created_by_user_id=${FIXTURE_IDS.adminUser}`,
    );
    expect(combined.body.data.map((k: { id: string }) => k.id)).toContain(FIXTURE_IDS.activeApiKey);
  });
});

describe('ordering', () => {
  it('lists newest first with ties by id', async () => {
    const users = (await get(sandbox, '/v1/organizations/users?limit=1000')).body.data;
    for (let i = 1; i < users.length; i++) {
      expect(users[i - 1].added_at >= users[i].added_at).toBe(true);
    }
    const keys = (await get(sandbox, '/v1/organizations/api_keys?limit=1000')).body.data;
    for (let i = 1; i < keys.length; i++)
      expect(keys[i - 1].created_at >= keys[i].created_at).toBe(true);
  });

  it('members include inherited org admins and billing members', async () => {
    const members = (
      await get(sandbox, `/v1/organizations/workspaces/${PRODUCTION}/members?limit=1000`)
    ).body.data;
    const byUser = new Map(
      members.map((m: { user_id: string; workspace_role: string }) => [
        m.user_id,
        m.workspace_role,
      ]),
    );
    expect(byUser.get(FIXTURE_IDS.adminUser)).toBe('workspace_admin');
    expect(byUser.get(FIXTURE_IDS.billingUser)).toBe('workspace_billing');
    expect(byUser.get(FIXTURE_IDS.userUser)).toBe('workspace_restricted_developer');
    const archived = await get(
      sandbox,
      `/v1/organizations/workspaces/${FIXTURE_IDS.archivedWorkspace}/members?limit=1000`,
    );
    expect(archived.body.data.map((m: { user_id: string }) => m.user_id)).not.toContain(
      FIXTURE_IDS.userUser,
    );
    const defaultMembers = await get(
      sandbox,
      `/v1/organizations/workspaces/${FIXTURE_IDS.defaultWorkspace}/members`,
    );
    expect(defaultMembers.body).toEqual({
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
  });
});

describe('pagination', () => {
  const lists: [string, string, ((m: { id?: string; user_id?: string }) => string) | undefined][] =
    [
      ['users', '/v1/organizations/users', undefined],
      ['users filtered', '/v1/organizations/users?roles[]=developer&roles[]=user', undefined],
      ['invites', '/v1/organizations/invites', undefined],
      ['workspaces', '/v1/organizations/workspaces?include_archived=true', undefined],
      ['api keys', '/v1/organizations/api_keys', undefined],
      ['api keys filtered', '/v1/organizations/api_keys?status=active', undefined],
      ['members', `/v1/organizations/workspaces/${PRODUCTION}/members`, memberId],
    ];

  it.each(lists)(
    '%s: forward and backward walks give the full list, no skips or repeats',
    async (_, path, idOf) => {
      const full = (
        await get(sandbox, `${path}${path.includes('?') ? '&' : '?'}limit=1000`)
      ).body.data.map(idOf ?? ((i: { id: string }) => i.id));
      expect(new Set(full).size).toBe(full.length);
      for (const limit of [1, 7, 20, 1000]) {
        if (limit === 1 && full.length > 100) continue;
        const forward = await walkForward(sandbox, path, limit, idOf);
        expect(forward).toEqual(full);
        // Backward from the last item, then add it: the same sequence.
        const last = full[full.length - 1] as string;
        const backward = await walkBackward(sandbox, path, limit, last, idOf);
        expect([...backward, last]).toEqual(full);
      }
    },
  );

  it('before_id pages hold the items immediately preceding the cursor, in list order', async () => {
    const full = (await get(sandbox, '/v1/organizations/users?limit=1000')).body.data.map(
      (u: { id: string }) => u.id,
    );
    const page = await get(sandbox, `/v1/organizations/users?limit=3&before_id=${full[10]}`);
    expect(page.body.data.map((u: { id: string }) => u.id)).toEqual(full.slice(7, 10));
    expect(page.body.has_more).toBe(true);
    expect(page.body.first_id).toBe(full[7]);
    const start = await get(sandbox, `/v1/organizations/users?limit=5&before_id=${full[2]}`);
    expect(start.body.data.map((u: { id: string }) => u.id)).toEqual(full.slice(0, 2));
    expect(start.body.has_more).toBe(false);
    const empty = await get(sandbox, `/v1/organizations/users?before_id=${full[0]}`);
    expect(empty.body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
    const end = await get(sandbox, `/v1/organizations/users?after_id=${full[full.length - 1]}`);
    expect(end.body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
  });

  it('a cursor excluded by the filters keeps its sort position', async () => {
    const all = (await get(sandbox, '/v1/organizations/users?limit=1000')).body.data;
    const admins = all
      .filter((u: { role: string }) => u.role === 'admin')
      .map((u: { id: string }) => u.id);
    const index = all.findIndex((u: { role: string }) => u.role === 'developer');
    const cursor = all[index].id;
    const expected = all
      .slice(index + 1)
      .filter((u: { role: string }) => u.role === 'admin')
      .map((u: { id: string }) => u.id);
    const page = await get(
      sandbox,
      `/v1/organizations/users?roles=admin&limit=1000&after_id=${cursor}`,
    );
    expect(page.body.data.map((u: { id: string }) => u.id)).toEqual(expected);
    expect(admins).toEqual(expect.arrayContaining(expected));
    const archivedCursor = await get(
      sandbox,
      `/v1/organizations/workspaces?after_id=${FIXTURE_IDS.archivedWorkspace}&limit=1000`,
    );
    expect(archivedCursor.status).toBe(200);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=', 'limit'],
    ['after_id=user_01nothing', 'after_id'],
    ['before_id=user_01nothing', 'before_id'],
    [`after_id=${FIXTURE_IDS.adminUser}&before_id=${FIXTURE_IDS.userUser}`, 'before_id'],
  ])('rejects %s naming %s', async (params, name) => {
    const answer = await get(sandbox, `/v1/organizations/users?${params}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.type).toBe('invalid_request_error');
    expect(answer.body.error.message).toContain(name);
  });

  it('defaults to 20 items and accepts 1000', async () => {
    expect((await get(sandbox, '/v1/organizations/api_keys')).body.data).toHaveLength(20);
    expect(
      (await get(sandbox, '/v1/organizations/api_keys?limit=1000')).body.data.length,
    ).toBeGreaterThan(400);
    const members = await get(
      sandbox,
      `/v1/organizations/workspaces/${PRODUCTION}/members?after_id=user_01nobody`,
    );
    expect(members.status).toBe(400);
    expect(members.body.error.message).toContain('after_id');
  });
});
