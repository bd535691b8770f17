import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  QApiKeysPageDocument,
  QInvitesPageDocument,
  QUserApiKeysDocument,
  QUsersPageDocument,
  QWorkspaceApiKeysDocument,
  QWorkspacesDefaultFilterDocument,
  QWorkspacesPageDocument,
} from '../generated/graphql.js';
import { API, callsTo, calls, expectRefusedWithoutUpstream, post, useHarness } from './helpers.js';

const harness = useHarness();

/** The one upstream call made, which must have gone to `path`; returns its query. */
function onlyCallTo(path: string) {
  const h = harness();
  const requests = h.upstream();
  expect(requests.map((r) => r.path)).toEqual([path]);
  return requests[0]!.query;
}

group('Organization.users filters', () => {
  it('email is sent as given and matches the one member, ignoring case and a +tag', async () => {
    const h = harness();
    const email = 'Wei.Chen+hiring@Northwind.example';
    const data = await h.client.request(QUsersPageDocument, { email });
    expect(onlyCallTo(`${API}/users`)).toEqual({ limit: ['20'], email: [email] });
    expect(data.organization.users!.edges.map((e) => e.node.id)).toEqual([
      FIXTURE_IDS.developerUser,
    ]);
  });

  it('roles are sent as repeated roles[] and every member returned holds one of them', async () => {
    const h = harness();
    const data = await h.client.request(QUsersPageDocument, {
      first: 1000,
      roles: ['ADMIN', 'BILLING'],
    });
    expect(onlyCallTo(`${API}/users`)).toEqual({
      limit: ['1000'],
      'roles[]': ['admin', 'billing'],
    });
    const users = data.organization.users!.edges.map((e) => e.node);
    const expected = [...h.sandbox.store.users.values()]
      .filter((u) => u.role === 'admin' || u.role === 'billing')
      .map((u) => u.id);
    expect(users.map((u) => u.id).sort()).toEqual(expected.sort());
    expect(users.length).toBeGreaterThan(2);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['ADMIN', 'BILLING']));
  });

  it('email and roles combine (AND)', async () => {
    const h = harness();
    const data = await h.client.request(QUsersPageDocument, {
      email: 'maria.okafor@northwind.example',
      roles: ['DEVELOPER'],
    });
    expect(onlyCallTo(`${API}/users`)).toEqual({
      limit: ['20'],
      email: ['maria.okafor@northwind.example'],
      'roles[]': ['developer'],
    });
    expect(data.organization.users!.edges).toEqual([]);
    expect(h.upstream()[0]!.status).toBe(200);
  });
});

group('Organization.invites filters', () => {
  it('email, roles and statuses are sent as email, roles[] and statuses[]', async () => {
    const h = harness();
    const data = await h.client.request(QInvitesPageDocument, {
      first: 10,
      email: 'SAM.LEE@northwind.example',
      roles: ['CLAUDE_CODE_USER'],
      statuses: ['PENDING'],
    });
    expect(onlyCallTo(`${API}/invites`)).toEqual({
      limit: ['10'],
      email: ['SAM.LEE@northwind.example'],
      'roles[]': ['claude_code_user'],
      'statuses[]': ['pending'],
    });
    expect(data.organization.invites!.edges.map((e) => e.node.id)).toEqual([
      FIXTURE_IDS.pendingInvite,
    ]);
  });

  it('several statuses select exactly the invitations in those states', async () => {
    const h = harness();
    const data = await h.client.request(QInvitesPageDocument, {
      first: 1000,
      statuses: ['PENDING', 'EXPIRED'],
    });
    expect(onlyCallTo(`${API}/invites`)).toEqual({
      limit: ['1000'],
      'statuses[]': ['pending', 'expired'],
    });
    const store = h.sandbox.store;
    const expected = [...store.invites.values()]
      .filter((i) => ['pending', 'expired'].includes(store.inviteStatus(i)))
      .map((i) => i.id);
    const invites = data.organization.invites!.edges.map((e) => e.node);
    expect(invites.map((i) => i.id).sort()).toEqual(expected.sort());
    expect(new Set(invites.map((i) => i.status))).toEqual(new Set(['PENDING', 'EXPIRED']));
  });

  it('roles select invitations of those roles only; no filter lists all but withdrawn ones', async () => {
    const h = harness();
    const billing = await h.client.request(QInvitesPageDocument, {
      first: 1000,
      roles: ['BILLING', 'USER'],
    });
    expect(onlyCallTo(`${API}/invites`)).toEqual({
      limit: ['1000'],
      'roles[]': ['billing', 'user'],
    });
    const roles = billing.organization.invites!.edges.map((e) => e.node.role);
    expect(roles.length).toBeGreaterThan(0);
    expect(new Set(roles)).toEqual(new Set(['BILLING', 'USER']));

    h.resetCounts();
    const all = await h.client.request(QInvitesPageDocument, { first: 1000 });
    expect(onlyCallTo(`${API}/invites`)).toEqual({ limit: ['1000'] });
    const statuses = new Set(all.organization.invites!.edges.map((e) => e.node.status));
    expect(statuses).toEqual(new Set(['PENDING', 'ACCEPTED', 'EXPIRED']));
  });
});

group('Organization.workspaces(includeArchived)', () => {
  it('defaults to include_archived=false and lists no archived workspace', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspacesDefaultFilterDocument, { first: 100 });
    expect(onlyCallTo(`${API}/workspaces`)).toEqual({
      limit: ['100'],
      include_archived: ['false'],
    });
    const workspaces = data.organization.workspaces!.nodes;
    const expected = [...h.sandbox.store.workspaces.values()].filter(
      (w) => !w.isDefault && w.archivedAt === null,
    );
    expect(workspaces.map((w) => w.id).sort()).toEqual(expected.map((w) => w.id).sort());
    expect(workspaces.every((w) => !w.isArchived)).toBe(true);
  });

  it('a variable left unset also means false', async () => {
    const h = harness();
    await h.client.request(QWorkspacesPageDocument, { first: 3 });
    expect(onlyCallTo(`${API}/workspaces`)).toEqual({
      limit: ['3'],
      include_archived: ['false'],
    });
  });

  it('includeArchived: true sends include_archived=true and lists archived ones too', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspacesPageDocument, {
      first: 100,
      includeArchived: true,
    });
    expect(onlyCallTo(`${API}/workspaces`)).toEqual({
      limit: ['100'],
      include_archived: ['true'],
    });
    const ids = data.organization.workspaces!.edges.map((e) => e.node.id);
    const expected = [...h.sandbox.store.workspaces.values()].filter((w) => !w.isDefault);
    expect(ids.sort()).toEqual(expected.map((w) => w.id).sort());
    expect(ids).toContain(FIXTURE_IDS.archivedWorkspace);
    expect(ids).not.toContain(FIXTURE_IDS.defaultWorkspace);
  });
});

group('API key filters', () => {
  it('status alone is sent as status and selects keys in that state', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysPageDocument, { first: 1000, status: 'INACTIVE' });
    expect(onlyCallTo(`${API}/api_keys`)).toEqual({ limit: ['1000'], status: ['inactive'] });
    const store = h.sandbox.store;
    const expected = [...store.apiKeys.values()].filter(
      (k) => store.apiKeyStatus(k) === 'inactive',
    );
    const keys = data.organization.apiKeys!.edges.map((e) => e.node);
    expect(keys.map((k) => k.id).sort()).toEqual(expected.map((k) => k.id).sort());
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.status === 'INACTIVE')).toBe(true);
  });

  it('status, workspaceId and createdByUserId together', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysPageDocument, {
      first: 50,
      status: 'ACTIVE',
      workspaceId: FIXTURE_IDS.productionWorkspace,
      createdByUserId: FIXTURE_IDS.adminUser,
    });
    expect(onlyCallTo(`${API}/api_keys`)).toEqual({
      limit: ['50'],
      status: ['active'],
      workspace_id: [FIXTURE_IDS.productionWorkspace],
      created_by_user_id: [FIXTURE_IDS.adminUser],
    });
    const keys = data.organization.apiKeys!.edges.map((e) => e.node);
    expect(keys.map((k) => k.id)).toContain(FIXTURE_IDS.activeApiKey);
    for (const key of keys) {
      expect(key).toMatchObject({
        status: 'ACTIVE',
        workspaceId: FIXTURE_IDS.productionWorkspace,
        createdBy: { id: FIXTURE_IDS.adminUser, type: 'user' },
      });
    }
  });

  it('createdByUserId alone selects that user’s keys', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysPageDocument, {
      first: 1000,
      createdByUserId: FIXTURE_IDS.developerUser,
    });
    expect(onlyCallTo(`${API}/api_keys`)).toEqual({
      limit: ['1000'],
      created_by_user_id: [FIXTURE_IDS.developerUser],
    });
    const ids = data.organization.apiKeys!.edges.map((e) => e.node.id);
    const expected = [...h.sandbox.store.apiKeys.values()]
      .filter((k) => k.createdBy?.id === FIXTURE_IDS.developerUser)
      .map((k) => k.id);
    expect(ids.sort()).toEqual(expected.sort());
    expect(ids).toContain(FIXTURE_IDS.expiredApiKey);
    expect(ids).toContain(FIXTURE_IDS.archivedApiKey);
  });

  it('workspaceId of the Default Workspace selects its keys, which name its id', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysPageDocument, {
      first: 1000,
      workspaceId: FIXTURE_IDS.defaultWorkspace,
    });
    expect(onlyCallTo(`${API}/api_keys`)).toEqual({
      limit: ['1000'],
      workspace_id: [FIXTURE_IDS.defaultWorkspace],
    });
    const keys = data.organization.apiKeys!.edges.map((e) => e.node);
    const expected = [...h.sandbox.store.apiKeys.values()].filter((k) => k.workspaceId === null);
    expect(keys.map((k) => k.id).sort()).toEqual(expected.map((k) => k.id).sort());
    expect(keys.every((k) => k.workspaceId === FIXTURE_IDS.defaultWorkspace)).toBe(true);
  });

  it('Workspace.apiKeys(status) sends workspace_id=<the workspace> and status', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspaceApiKeysDocument, {
      workspaceId: FIXTURE_IDS.productionWorkspace,
      first: 1000,
      status: 'ACTIVE',
    });
    expect(calls(h)[0]).toBe(`GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}`);
    const list = callsTo(h, `${API}/api_keys`);
    expect(list.map((r) => r.query)).toEqual([
      { limit: ['1000'], workspace_id: [FIXTURE_IDS.productionWorkspace], status: ['active'] },
    ]);
    expect(h.upstream()).toHaveLength(2);
    const keys = data.workspace!.apiKeys!.nodes;
    const store = h.sandbox.store;
    const expected = [...store.apiKeys.values()].filter(
      (k) =>
        k.workspaceId === FIXTURE_IDS.productionWorkspace && store.apiKeyStatus(k) === 'active',
    );
    expect(keys.map((k) => k.id).sort()).toEqual(expected.map((k) => k.id).sort());
    expect(keys.every((k) => k.workspaceId === FIXTURE_IDS.productionWorkspace)).toBe(true);
  });

  it('Workspace.apiKeys of the Default Workspace lists its keys', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspaceApiKeysDocument, {
      workspaceId: FIXTURE_IDS.defaultWorkspace,
      first: 5,
    });
    expect(callsTo(h, `${API}/api_keys`).map((r) => r.query)).toEqual([
      { limit: ['5'], workspace_id: [FIXTURE_IDS.defaultWorkspace] },
    ]);
    const keys = data.workspace!.apiKeys!.nodes;
    expect(keys).toHaveLength(5);
    expect(keys.every((k) => k.workspaceId === FIXTURE_IDS.defaultWorkspace)).toBe(true);
  });

  it('User.apiKeys sends created_by_user_id=<the user>', async () => {
    const h = harness();
    const data = await h.client.request(QUserApiKeysDocument, {
      userId: FIXTURE_IDS.developerUser,
      first: 100,
      status: 'EXPIRED',
    });
    expect(calls(h)[0]).toBe(`GET ${API}/users/${FIXTURE_IDS.developerUser}`);
    expect(callsTo(h, `${API}/api_keys`).map((r) => r.query)).toEqual([
      { limit: ['100'], created_by_user_id: [FIXTURE_IDS.developerUser], status: ['expired'] },
    ]);
    expect(h.upstream()).toHaveLength(2);
    const keys = data.user!.apiKeys!.nodes;
    expect(keys.map((k) => k.id)).toContain(FIXTURE_IDS.expiredApiKey);
    for (const key of keys) {
      expect(key).toMatchObject({
        status: 'EXPIRED',
        createdBy: { id: FIXTURE_IDS.developerUser, type: 'user' },
      });
    }
  });
});

group('filter values the Admin API cannot take are refused without an upstream call', () => {
  it('invites(statuses: [DELETED])', async () => {
    const h = harness();
    const body = await post(h, QInvitesPageDocument, { statuses: ['DELETED'] });
    expectRefusedWithoutUpstream(h, body);
  });

  it('invites(statuses: [PENDING, DELETED])', async () => {
    const h = harness();
    const body = await post(h, QInvitesPageDocument, { statuses: ['PENDING', 'DELETED'] });
    expectRefusedWithoutUpstream(h, body);
  });

  it('invites(statuses: [UNKNOWN])', async () => {
    const h = harness();
    const body = await post(h, QInvitesPageDocument, { statuses: ['UNKNOWN'] });
    expectRefusedWithoutUpstream(h, body);
  });

  it('invites(roles: [UNKNOWN])', async () => {
    const h = harness();
    const body = await post(h, QInvitesPageDocument, { roles: ['USER', 'UNKNOWN'] });
    expectRefusedWithoutUpstream(h, body);
  });

  it('users(roles: [UNKNOWN])', async () => {
    const h = harness();
    const body = await post(h, QUsersPageDocument, { roles: ['UNKNOWN'] });
    expectRefusedWithoutUpstream(h, body);
  });

  it('apiKeys(status: UNKNOWN)', async () => {
    const h = harness();
    const body = await post(h, QApiKeysPageDocument, { status: 'UNKNOWN' });
    expectRefusedWithoutUpstream(h, body);
  });

  it('apiKeys(workspaceId:) and apiKeys(createdByUserId:) with malformed ids', async () => {
    const h = harness();
    expectRefusedWithoutUpstream(
      h,
      await post(h, QApiKeysPageDocument, { workspaceId: 'wrkspc_../users' }),
    );
    expectRefusedWithoutUpstream(
      h,
      await post(h, QApiKeysPageDocument, { workspaceId: FIXTURE_IDS.adminUser }),
    );
    expectRefusedWithoutUpstream(
      h,
      await post(h, QApiKeysPageDocument, { createdByUserId: 'user_x&status=active' }),
    );
    expectRefusedWithoutUpstream(
      h,
      await post(h, QApiKeysPageDocument, { createdByUserId: FIXTURE_IDS.productionWorkspace }),
    );
  });

  it('Workspace.apiKeys(status: UNKNOWN) and User.apiKeys(status: UNKNOWN) list nothing', async () => {
    const h = harness();
    const workspace = await post(h, QWorkspaceApiKeysDocument, {
      workspaceId: FIXTURE_IDS.productionWorkspace,
      status: 'UNKNOWN',
    });
    const user = await post(h, QUserApiKeysDocument, {
      userId: FIXTURE_IDS.developerUser,
      status: 'UNKNOWN',
    });
    for (const body of [workspace, user]) {
      expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    }
    // The parents were fetched; no key list was.
    expect(calls(h)).toEqual([
      `GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}`,
      `GET ${API}/users/${FIXTURE_IDS.developerUser}`,
    ]);
  });
});
