import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_IDS, FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { del, get, post, start } from './helpers.js';
import type { Answer } from './helpers.js';

const {
  adminUser: ADMIN,
  billingUser: BILLING,
  developerUser: DEVELOPER,
  userUser: USER,
  productionWorkspace: PRODUCTION,
  archivedWorkspace: ARCHIVED,
  defaultWorkspace: DEFAULT,
} = FIXTURE_IDS;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

function expect400(answer: Answer, mention?: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.error.type).toBe('invalid_request_error');
  if (mention) expect(answer.body.error.message).toContain(mention);
}

describe('users', () => {
  it('updates the role of a Console member', async () => {
    const answer = await post(sandbox, `/v1/organizations/users/${USER}`, { role: 'developer' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: USER, role: 'developer', type: 'user' });
    expect((await get(sandbox, `/v1/organizations/users/${USER}`)).body.role).toBe('developer');
  });

  it('validates the role', async () => {
    const path = `/v1/organizations/users/${USER}`;
    expect400(await post(sandbox, path, {}), 'role');
    expect400(await post(sandbox, path, { role: 'managed' }), 'role');
    expect400(await post(sandbox, path, { role: 'admin' }), 'role');
    expect400(await post(sandbox, path, { role: 'owner' }), 'role');
    expect400(await post(sandbox, path, { role: 7 }), 'role');
  });

  it('refuses to change or remove an admin', async () => {
    expect400(await post(sandbox, `/v1/organizations/users/${ADMIN}`, { role: 'user' }));
    expect400(await del(sandbox, `/v1/organizations/users/${ADMIN}`));
    expect((await get(sandbox, `/v1/organizations/users/${ADMIN}`)).body.role).toBe('admin');
  });

  it('404s unknown users', async () => {
    expect((await get(sandbox, '/v1/organizations/users/user_01nobody')).status).toBe(404);
    expect(
      (await post(sandbox, '/v1/organizations/users/user_01nobody', { role: 'user' })).status,
    ).toBe(404);
    expect((await del(sandbox, '/v1/organizations/users/user_01nobody')).status).toBe(404);
  });

  it('removes a user and their memberships', async () => {
    const answer = await del(sandbox, `/v1/organizations/users/${DEVELOPER}`);
    expect(answer.body).toEqual({ id: DEVELOPER, type: 'user_deleted' });
    expect((await get(sandbox, `/v1/organizations/users/${DEVELOPER}`)).status).toBe(404);
    const member = `/v1/organizations/workspaces/${PRODUCTION}/members/${DEVELOPER}`;
    expect((await get(sandbox, member)).status).toBe(404);
    // Their keys persist.
    expect(
      (await get(sandbox, `/v1/organizations/api_keys/${FIXTURE_IDS.expiredApiKey}`)).status,
    ).toBe(200);
  });

  it('promotion to billing grants workspace_billing everywhere; demotion keeps explicit roles', async () => {
    const member = `/v1/organizations/workspaces/${PRODUCTION}/members/${USER}`;
    await post(sandbox, `/v1/organizations/users/${USER}`, { role: 'billing' });
    expect((await get(sandbox, member)).body.workspace_role).toBe('workspace_billing');
    await post(sandbox, `/v1/organizations/users/${USER}`, { role: 'user' });
    expect((await get(sandbox, member)).body.workspace_role).toBe('workspace_restricted_developer');
    await post(sandbox, `/v1/organizations/users/${BILLING}`, { role: 'developer' });
    expect(
      (await get(sandbox, `/v1/organizations/workspaces/${PRODUCTION}/members/${BILLING}`)).status,
    ).toBe(404);
  });
});

describe('invites', () => {
  it('creates a pending invite expiring after 21 days', async () => {
    const answer = await post(sandbox, '/v1/organizations/invites', {
      email: 'New.Person@northwind.example',
      role: 'developer',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      email: 'New.Person@northwind.example',
      role: 'developer',
      status: 'pending',
      accepted_at: null,
      rbac_group_ids: [],
      type: 'invite',
    });
    expect(answer.body.id).toMatch(/^invite_01[1-9A-HJ-NP-Za-km-z]{22}$/);
    const lifetime = Date.parse(answer.body.expires_at) - Date.parse(answer.body.invited_at);
    expect(lifetime).toBe(21 * 86_400_000);
    const listed = await get(sandbox, '/v1/organizations/invites?limit=1');
    expect(listed.body.data[0].id).toBe(answer.body.id);
    expect((await get(sandbox, `/v1/organizations/invites/${answer.body.id}`)).body).toEqual(
      answer.body,
    );
  });

  it('validates email, role and duplicates', async () => {
    const path = '/v1/organizations/invites';
    expect400(await post(sandbox, path, { role: 'user' }), 'email');
    expect400(await post(sandbox, path, { email: 'no-at-sign', role: 'user' }), 'email');
    expect400(await post(sandbox, path, { email: 'x@northwind.example' }), 'role');
    expect400(await post(sandbox, path, { email: 'x@northwind.example', role: 'managed' }), 'role');
    expect400(await post(sandbox, path, { email: 'x@northwind.example', role: 'admin' }), 'role');
    expect400(
      await post(sandbox, path, {
        email: 'x@northwind.example',
        role: 'user',
        rbac_group_ids: ['rbac_group_01x'],
      }),
      'rbac_group_ids',
    );
    expect400(
      await post(sandbox, path, { email: 'SAM.LEE+x@northwind.example', role: 'user' }),
      FIXTURE_IDS.pendingInvite,
    );
    expect400(
      await post(sandbox, path, { email: 'maria.okafor@northwind.example', role: 'user' }),
      ADMIN,
    );
    // A withdrawn invite does not block a new one.
    expect(
      (await post(sandbox, path, { email: 'contractor@partner.example', role: 'user' })).status,
    ).toBe(200);
  });

  it('withdraws only pending invites; withdrawn ones stay readable but unlisted', async () => {
    const path = `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`;
    expect((await del(sandbox, path)).body).toEqual({
      id: FIXTURE_IDS.pendingInvite,
      type: 'invite_deleted',
    });
    expect((await get(sandbox, path)).body.status).toBe('deleted');
    expect400(await del(sandbox, path));
    const all = await get(sandbox, '/v1/organizations/invites?limit=1000');
    expect(all.body.data.map((i: { id: string }) => i.id)).not.toContain(FIXTURE_IDS.pendingInvite);
    expect400(
      await del(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.acceptedInvite}`),
      'accepted',
    );
    const expired = (await get(sandbox, '/v1/organizations/invites?statuses=expired&limit=1')).body
      .data[0];
    expect400(await del(sandbox, `/v1/organizations/invites/${expired.id}`), 'expired');
    expect((await del(sandbox, '/v1/organizations/invites/invite_01nothing')).status).toBe(404);
  });

  it('expires pending invites lazily as time passes', async () => {
    sandbox.store.advanceTime(10 * 86_400_000);
    const invite = await get(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`);
    expect(invite.body.status).toBe('expired');
    const pending = await get(sandbox, '/v1/organizations/invites?statuses=pending&limit=1000');
    expect(pending.body.data.map((i: { id: string }) => i.id)).not.toContain(
      FIXTURE_IDS.pendingInvite,
    );
  });

  it('accepts invites through the test hook', async () => {
    const user = sandbox.store.acceptInvite(FIXTURE_IDS.pendingInvite);
    const invite = await get(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`);
    expect(invite.body.status).toBe('accepted');
    const member = await get(sandbox, `/v1/organizations/users/${user.id}`);
    expect(member.body).toMatchObject({
      email: 'sam.lee@northwind.example',
      role: 'claude_code_user',
    });
    expect(member.body.added_at).toBe(invite.body.accepted_at);
    const newest = await get(sandbox, '/v1/organizations/users?limit=1');
    expect(newest.body.data[0].id).toBe(user.id);
    expect(() => sandbox.store.acceptInvite(FIXTURE_IDS.pendingInvite)).toThrow();
  });
});

describe('workspaces', () => {
  it('creates with defaults and lists the new workspace first', async () => {
    const answer = await post(sandbox, '/v1/organizations/workspaces', { name: 'New Team' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      name: 'New Team',
      archived_at: null,
      external_key_id: null,
      tags: {},
      data_residency: {
        allowed_inference_geos: 'unrestricted',
        default_inference_geo: 'global',
        workspace_geo: 'us',
      },
      type: 'workspace',
    });
    expect(answer.body.compartment_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(answer.body.display_color).toMatch(/^#[0-9A-F]{6}$/);
    const first = await get(sandbox, '/v1/organizations/workspaces?limit=1');
    expect(first.body.data[0].id).toBe(answer.body.id);
  });

  it('creates with residency, tags and a known CMEK key', async () => {
    const answer = await post(sandbox, '/v1/organizations/workspaces', {
      name: 'EU-free',
      data_residency: {
        allowed_inference_geos: ['us'],
        default_inference_geo: 'us',
        workspace_geo: 'us',
      },
      tags: { team: 'x' },
      external_key_id: EXTERNAL_KEY_IDS[2],
    });
    expect(answer.body).toMatchObject({
      data_residency: {
        allowed_inference_geos: ['us'],
        default_inference_geo: 'us',
        workspace_geo: 'us',
      },
      tags: { team: 'x' },
      external_key_id: EXTERNAL_KEY_IDS[2],
    });
  });

  it('validates create input', async () => {
    const path = '/v1/organizations/workspaces';
    expect400(await post(sandbox, path), 'name');
    expect400(await post(sandbox, path, {}), 'name');
    expect400(await post(sandbox, path, { name: '' }), 'name');
    expect400(await post(sandbox, path, { name: 'x'.repeat(256) }), 'name');
    expect((await post(sandbox, path, { name: 'x'.repeat(255) })).status).toBe(200);
    expect400(
      await post(sandbox, path, { name: 'a', data_residency: { allowed_inference_geos: ['eu'] } }),
      'allowed_inference_geos',
    );
    expect400(
      await post(sandbox, path, {
        name: 'a',
        data_residency: { allowed_inference_geos: ['us'], default_inference_geo: 'global' },
      }),
      'default_inference_geo',
    );
    expect400(
      await post(sandbox, path, { name: 'a', data_residency: { workspace_geo: 'eu' } }),
      'workspace_geo',
    );
    expect400(await post(sandbox, path, { name: 'a', tags: { anthropic_team: 'x' } }), 'anthropic');
    expect400(await post(sandbox, path, { name: 'a', tags: { team: 3 } }), 'tags');
    const unknownKey = await post(sandbox, path, { name: 'a', external_key_id: 'ekey_01unknown' });
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.body.error.type).toBe('not_found_error');
  });

  it('caps active workspaces at 100', async () => {
    const active = (await get(sandbox, '/v1/organizations/workspaces?limit=1000')).body.data.length;
    for (let i = active; i < 100; i++) {
      expect((await post(sandbox, '/v1/organizations/workspaces', { name: `w${i}` })).status).toBe(
        200,
      );
    }
    expect400(await post(sandbox, '/v1/organizations/workspaces', { name: 'one too many' }), '100');
    await post(sandbox, `/v1/organizations/workspaces/${PRODUCTION}/archive`);
    expect(
      (await post(sandbox, '/v1/organizations/workspaces', { name: 'fits again' })).status,
    ).toBe(200);
  });

  it('updates name, residency and tags with partial semantics', async () => {
    const path = `/v1/organizations/workspaces/${PRODUCTION}`;
    const renamed = await post(sandbox, path, { name: 'Prod' });
    expect(renamed.body).toMatchObject({ name: 'Prod', tags: { env: 'prod', team: 'platform' } });
    const geos = await post(sandbox, path, {
      data_residency: { allowed_inference_geos: 'unrestricted', default_inference_geo: 'global' },
    });
    expect(geos.body.data_residency).toEqual({
      allowed_inference_geos: 'unrestricted',
      default_inference_geo: 'global',
      workspace_geo: 'us',
    });
    const unchanged = await post(sandbox, path, { data_residency: null });
    expect(unchanged.body.data_residency).toEqual(geos.body.data_residency);
    const tags = await post(sandbox, path, { tags: { owner: 'ops' } });
    expect(tags.body.tags).toEqual({ owner: 'ops' });
    const cleared = await post(sandbox, path, { tags: null });
    expect(cleared.body.tags).toEqual({});
    const empty = await post(sandbox, path, {});
    expect(empty.body).toEqual(cleared.body);
    expect400(await post(sandbox, path, { name: null }), 'name');
    expect400(
      await post(sandbox, path, { data_residency: { workspace_geo: 'us' } }),
      'workspace_geo',
    );
    expect400(await post(sandbox, path, { tags: { AnthropicX: 'y' } }), 'anthropic');
  });

  it('attaches an external key only once', async () => {
    const staging = (await get(sandbox, '/v1/organizations/workspaces?limit=1000')).body.data.find(
      (w: { name: string }) => w.name === 'Staging',
    );
    const path = `/v1/organizations/workspaces/${staging.id}`;
    expect((await post(sandbox, path, { external_key_id: 'ekey_01unknown' })).status).toBe(404);
    const attached = await post(sandbox, path, { external_key_id: EXTERNAL_KEY_IDS[2] });
    expect(attached.body.external_key_id).toBe(EXTERNAL_KEY_IDS[2]);
    expect((await post(sandbox, path, { external_key_id: EXTERNAL_KEY_IDS[2] })).status).toBe(200);
    expect400(
      await post(sandbox, path, { external_key_id: EXTERNAL_KEY_IDS[1] }),
      'external_key_id',
    );
    expect400(await post(sandbox, path, { external_key_id: null }), 'external_key_id');
  });

  it('protects the Default Workspace', async () => {
    const path = `/v1/organizations/workspaces/${DEFAULT}`;
    expect400(await post(sandbox, path, { name: 'Main' }), 'Default');
    expect400(await post(sandbox, `${path}/archive`), 'Default');
    const tagged = await post(sandbox, path, { tags: { env: 'shared' } });
    expect(tagged.body).toMatchObject({ name: 'Default', tags: { env: 'shared' } });
  });

  it('archives idempotently and revokes the keys of the workspace', async () => {
    const active = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${PRODUCTION}&status=active&limit=1000`,
    );
    expect(active.body.data.length).toBeGreaterThan(0);
    const first = await post(sandbox, `/v1/organizations/workspaces/${PRODUCTION}/archive`);
    expect(first.status).toBe(200);
    expect(first.body.archived_at).not.toBeNull();
    const second = await post(sandbox, `/v1/organizations/workspaces/${PRODUCTION}/archive`);
    expect(second.body.archived_at).toBe(first.body.archived_at);
    const again = await post(sandbox, `/v1/organizations/workspaces/${ARCHIVED}/archive`);
    expect(again.body.archived_at).toBe('2026-02-27T18:44:09.301552Z');
    for (const key of active.body.data) {
      expect((await get(sandbox, `/v1/organizations/api_keys/${key.id}`)).body.status).toBe(
        'archived',
      );
    }
    const keys = await get(
      sandbox,
      `/v1/organizations/api_keys?workspace_id=${PRODUCTION}&limit=1000`,
    );
    for (const key of keys.body.data) expect(['archived', 'expired']).toContain(key.status);
    const listed = await get(sandbox, '/v1/organizations/workspaces?limit=1000');
    expect(listed.body.data.map((w: { id: string }) => w.id)).not.toContain(PRODUCTION);
    expect400(
      await post(sandbox, `/v1/organizations/workspaces/${PRODUCTION}`, { name: 'x' }),
      'rchived',
    );
  });

  it('404s unknown workspaces', async () => {
    expect((await get(sandbox, '/v1/organizations/workspaces/wrkspc_01nothing')).status).toBe(404);
    expect(
      (await post(sandbox, '/v1/organizations/workspaces/wrkspc_01nothing/archive')).status,
    ).toBe(404);
    expect(
      (await get(sandbox, '/v1/organizations/workspaces/wrkspc_01nothing/members')).status,
    ).toBe(404);
  });
});

describe('workspace members', () => {
  const members = `/v1/organizations/workspaces/${PRODUCTION}/members`;

  it('adds, updates and removes an explicit member', async () => {
    const candidates = (await get(sandbox, '/v1/organizations/users?roles=user&limit=1000')).body
      .data;
    let target = '';
    for (const u of candidates) {
      if ((await get(sandbox, `${members}/${u.id}`)).status === 404) {
        target = u.id;
        break;
      }
    }
    expect(target).not.toBe('');
    const added = await post(sandbox, members, {
      user_id: target,
      workspace_role: 'workspace_user',
    });
    expect(added.body).toEqual({
      type: 'workspace_member',
      user_id: target,
      workspace_id: PRODUCTION,
      workspace_role: 'workspace_user',
    });
    const listed = await get(sandbox, `${members}?limit=1`);
    expect(listed.body.data[0].user_id).toBe(target);
    const updated = await post(sandbox, `${members}/${target}`, {
      workspace_role: 'workspace_developer',
    });
    expect(updated.body.workspace_role).toBe('workspace_developer');
    expect400(
      await post(sandbox, members, { user_id: target, workspace_role: 'workspace_user' }),
      'already',
    );
    const removed = await del(sandbox, `${members}/${target}`);
    expect(removed.body).toEqual({
      type: 'workspace_member_deleted',
      user_id: target,
      workspace_id: PRODUCTION,
    });
    expect((await get(sandbox, `${members}/${target}`)).status).toBe(404);
    expect((await del(sandbox, `${members}/${target}`)).status).toBe(404);
  });

  it('validates member input', async () => {
    expect400(await post(sandbox, members, { workspace_role: 'workspace_user' }), 'user_id');
    expect400(await post(sandbox, members, { user_id: USER }), 'workspace_role');
    expect400(
      await post(sandbox, members, { user_id: USER, workspace_role: 'workspace_billing' }),
      'workspace_role',
    );
    expect400(
      await post(sandbox, members, { user_id: USER, workspace_role: 'owner' }),
      'workspace_role',
    );
    const unknown = await post(sandbox, members, {
      user_id: 'user_01nobody',
      workspace_role: 'workspace_user',
    });
    expect(unknown.status).toBe(404);
    expect400(
      await post(sandbox, `${members}/${USER}`, { workspace_role: 'workspace_billing' }),
      'workspace_billing',
    );
    expect400(await post(sandbox, `${members}/${USER}`, {}), 'workspace_role');
  });

  it('protects inherited admin and billing memberships', async () => {
    expect400(
      await post(sandbox, members, { user_id: ADMIN, workspace_role: 'workspace_user' }),
      'already',
    );
    expect400(await post(sandbox, `${members}/${ADMIN}`, { workspace_role: 'workspace_user' }));
    expect400(await del(sandbox, `${members}/${ADMIN}`));
    expect400(
      await post(sandbox, `${members}/${BILLING}`, { workspace_role: 'workspace_developer' }),
    );
    expect400(await del(sandbox, `${members}/${BILLING}`));
    const raised = await post(sandbox, `${members}/${BILLING}`, {
      workspace_role: 'workspace_admin',
    });
    expect(raised.body.workspace_role).toBe('workspace_admin');
    expect400(await del(sandbox, `${members}/${BILLING}`));
    const back = await post(sandbox, `${members}/${BILLING}`, {
      workspace_role: 'workspace_billing',
    });
    expect(back.body.workspace_role).toBe('workspace_billing');
  });

  it('refuses writes on the Default and archived workspaces, allows reads', async () => {
    const defaultMembers = `/v1/organizations/workspaces/${DEFAULT}/members`;
    expect400(
      await post(sandbox, defaultMembers, { user_id: USER, workspace_role: 'workspace_user' }),
      'Default',
    );
    expect((await get(sandbox, `${defaultMembers}/${ADMIN}`)).status).toBe(404);
    const archivedMembers = `/v1/organizations/workspaces/${ARCHIVED}/members`;
    const list = await get(sandbox, `${archivedMembers}?limit=1000`);
    expect(list.status).toBe(200);
    const explicit = list.body.data.find(
      (m: { workspace_role: string }) => m.workspace_role === 'workspace_developer',
    );
    expect((await get(sandbox, `${archivedMembers}/${explicit.user_id}`)).status).toBe(200);
    expect400(
      await post(sandbox, archivedMembers, { user_id: USER, workspace_role: 'workspace_user' }),
      'archived',
    );
    expect400(
      await post(sandbox, `${archivedMembers}/${explicit.user_id}`, {
        workspace_role: 'workspace_user',
      }),
      'archived',
    );
    expect400(await del(sandbox, `${archivedMembers}/${explicit.user_id}`), 'archived');
  });
});

describe('api keys', () => {
  const key = `/v1/organizations/api_keys/${FIXTURE_IDS.activeApiKey}`;

  it('renames and changes status; null and {} change nothing', async () => {
    const renamed = await post(sandbox, key, { name: 'prod-backend-2' });
    expect(renamed.body).toMatchObject({ name: 'prod-backend-2', status: 'active' });
    const inactive = await post(sandbox, key, { status: 'inactive', name: null });
    expect(inactive.body).toMatchObject({ name: 'prod-backend-2', status: 'inactive' });
    expect((await post(sandbox, key, {})).body).toEqual(inactive.body);
    expect((await post(sandbox, key, { status: null })).body).toEqual(inactive.body);
    expect((await post(sandbox, key, { status: 'active' })).body.status).toBe('active');
    expect((await post(sandbox, key, { status: 'archived' })).body.status).toBe('archived');
    expect400(await post(sandbox, key, { status: 'active' }), 'archived');
    expect((await post(sandbox, key, { name: 'still renamable' })).body.name).toBe(
      'still renamable',
    );
  });

  it('validates the update', async () => {
    expect400(await post(sandbox, key, { status: 'expired' }), 'expired');
    expect400(await post(sandbox, key, { status: 'revoked' }), 'status');
    expect400(await post(sandbox, key, { name: '' }), 'name');
    expect400(await post(sandbox, key, { name: 5 }), 'name');
    const expired = `/v1/organizations/api_keys/${FIXTURE_IDS.expiredApiKey}`;
    expect400(await post(sandbox, expired, { status: 'active' }), 'expired');
    expect400(await post(sandbox, expired, { status: 'archived' }), 'expired');
    expect((await post(sandbox, expired, { name: 'old laptop' })).body).toMatchObject({
      name: 'old laptop',
      status: 'expired',
    });
    expect400(
      await post(sandbox, `/v1/organizations/api_keys/${FIXTURE_IDS.archivedApiKey}`, {
        status: 'inactive',
      }),
      'archived',
    );
    expect((await post(sandbox, '/v1/organizations/api_keys/apikey_01nothing', {})).status).toBe(
      404,
    );
    expect((await get(sandbox, '/v1/organizations/api_keys/apikey_01nothing')).status).toBe(404);
  });

  it('never returns a secret', async () => {
    const all = await get(sandbox, '/v1/organizations/api_keys?limit=1000');
    for (const k of all.body.data) {
      expect(Object.keys(k).sort()).toEqual([
        'created_at',
        'created_by',
        'expires_at',
        'id',
        'name',
        'partial_key_hint',
        'principal',
        'status',
        'type',
        'workspace_id',
      ]);
      if (k.partial_key_hint !== null)
        expect(k.partial_key_hint).toMatch(/^sk-ant-api03-.{3}\.\.\..{4}$/);
    }
  });
});
