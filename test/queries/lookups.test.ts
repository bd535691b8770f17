import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  QApiKeyDocument,
  QInviteDocument,
  QOrganizationDocument,
  QUserDocument,
  QWorkspaceDocument,
  QWorkspaceMemberDocument,
} from '../generated/graphql.js';
import { postGraphQL } from '../support/harness.js';
import {
  API,
  calls,
  expectRefusedWithoutUpstream,
  formatTimestamp,
  post,
  unknownId,
  useHarness,
} from './helpers.js';

const harness = useHarness();

group('root lookups', () => {
  it('organization returns the id and name of GET /me', async () => {
    const h = harness();
    const data = await h.client.request(QOrganizationDocument);
    expect(data.organization).toEqual({
      id: FIXTURE_IDS.organization,
      name: h.sandbox.store.organization.name,
    });
    expect(data.organization.name).toBe('Northwind Robotics');
    // id and name come from one request.
    expect(calls(h)).toEqual([`GET ${API}/me`]);
  });

  it('user(id:) returns the member with every field as upstream has it', async () => {
    const h = harness();
    const record = h.sandbox.store.users.get(FIXTURE_IDS.adminUser)!;
    const data = await h.client.request(QUserDocument, { id: FIXTURE_IDS.adminUser });
    expect(data.user).toEqual({
      id: FIXTURE_IDS.adminUser,
      email: 'maria.okafor@northwind.example',
      name: 'Maria Okafor',
      role: 'ADMIN',
      roleValue: 'admin',
      addedAt: formatTimestamp(record.addedAt),
    });
    expect(calls(h)).toEqual([`GET ${API}/users/${FIXTURE_IDS.adminUser}`]);
  });

  it('invite(id:) returns pending, accepted and withdrawn invitations', async () => {
    const h = harness();
    const pending = await h.client.request(QInviteDocument, { id: FIXTURE_IDS.pendingInvite });
    expect(pending.invite).toMatchObject({
      id: FIXTURE_IDS.pendingInvite,
      email: 'sam.lee@northwind.example',
      role: 'CLAUDE_CODE_USER',
      roleValue: 'claude_code_user',
      status: 'PENDING',
      statusValue: 'pending',
      acceptedAt: null,
    });

    const accepted = await h.client.request(QInviteDocument, { id: FIXTURE_IDS.acceptedInvite });
    const acceptedRecord = h.sandbox.store.invites.get(FIXTURE_IDS.acceptedInvite)!;
    expect(accepted.invite).toMatchObject({
      status: 'ACCEPTED',
      role: 'DEVELOPER',
      acceptedAt: formatTimestamp(acceptedRecord.acceptedAt!),
    });

    // Withdrawn invitations are never listed, but the root lookup finds them.
    const deleted = await h.client.request(QInviteDocument, { id: FIXTURE_IDS.deletedInvite });
    expect(deleted.invite).toMatchObject({
      id: FIXTURE_IDS.deletedInvite,
      status: 'DELETED',
      statusValue: 'deleted',
    });

    expect(calls(h)).toEqual([
      `GET ${API}/invites/${FIXTURE_IDS.pendingInvite}`,
      `GET ${API}/invites/${FIXTURE_IDS.acceptedInvite}`,
      `GET ${API}/invites/${FIXTURE_IDS.deletedInvite}`,
    ]);
  });

  it('workspace(id:) returns an active workspace with tags and data residency', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspaceDocument, {
      id: FIXTURE_IDS.productionWorkspace,
    });
    expect(data.workspace).toMatchObject({
      id: FIXTURE_IDS.productionWorkspace,
      name: 'Production',
      displayColor: '#6C5BB9',
      archivedAt: null,
      isArchived: false,
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'platform' },
      ],
      dataResidency: {
        workspaceGeo: 'us',
        defaultInferenceGeo: 'us',
        allowedInferenceGeos: ['us'],
        unrestrictedInferenceGeos: false,
      },
    });
    expect(calls(h)).toEqual([`GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}`]);
  });

  it('workspace(id:) finds the Default Workspace, which lists never show', async () => {
    const h = harness();
    const data = await h.client.request(QWorkspaceDocument, { id: FIXTURE_IDS.defaultWorkspace });
    expect(data.workspace).toMatchObject({
      id: FIXTURE_IDS.defaultWorkspace,
      name: 'Default',
      isArchived: false,
      archivedAt: null,
      tags: [],
      dataResidency: { unrestrictedInferenceGeos: true, allowedInferenceGeos: null },
    });
    expect(calls(h)).toEqual([`GET ${API}/workspaces/${FIXTURE_IDS.defaultWorkspace}`]);
  });

  it('workspace(id:) finds an archived workspace', async () => {
    const h = harness();
    const record = h.sandbox.store.workspaces.get(FIXTURE_IDS.archivedWorkspace)!;
    const data = await h.client.request(QWorkspaceDocument, {
      id: FIXTURE_IDS.archivedWorkspace,
    });
    expect(data.workspace).toMatchObject({
      id: FIXTURE_IDS.archivedWorkspace,
      name: 'Hackathon 2025',
      isArchived: true,
      archivedAt: formatTimestamp(record.archivedAt!),
    });
  });

  it('workspaceMember returns explicit and inherited memberships with their workspace and user', async () => {
    const h = harness();
    const explicit = await h.client.request(QWorkspaceMemberDocument, {
      workspaceId: FIXTURE_IDS.productionWorkspace,
      userId: FIXTURE_IDS.developerUser,
    });
    expect(explicit.workspaceMember).toEqual({
      id: `workspace_member:${FIXTURE_IDS.productionWorkspace}:${FIXTURE_IDS.developerUser}`,
      role: 'WORKSPACE_DEVELOPER',
      roleValue: 'workspace_developer',
      workspace: { id: FIXTURE_IDS.productionWorkspace, name: 'Production' },
      user: { id: FIXTURE_IDS.developerUser, email: 'wei.chen@northwind.example' },
    });
    expect(calls(h).sort()).toEqual(
      [
        `GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}/members/${FIXTURE_IDS.developerUser}`,
        `GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}`,
        `GET ${API}/users/${FIXTURE_IDS.developerUser}`,
      ].sort(),
    );

    // Organization admins are members of every workspace by inheritance.
    const inherited = await h.client.request(QWorkspaceMemberDocument, {
      workspaceId: FIXTURE_IDS.productionWorkspace,
      userId: FIXTURE_IDS.adminUser,
    });
    expect(inherited.workspaceMember).toMatchObject({
      role: 'WORKSPACE_ADMIN',
      user: { id: FIXTURE_IDS.adminUser },
    });
  });

  it('apiKey(id:) returns a key; a Default Workspace key names the Default Workspace', async () => {
    const h = harness();
    const active = await h.client.request(QApiKeyDocument, { id: FIXTURE_IDS.activeApiKey });
    expect(active.apiKey).toMatchObject({
      id: FIXTURE_IDS.activeApiKey,
      name: 'prod-backend',
      status: 'ACTIVE',
      statusValue: 'active',
      expiresAt: null,
      partialKeyHint: 'sk-ant-api03-Xk9...q7AA',
      workspaceId: FIXTURE_IDS.productionWorkspace,
      createdBy: { id: FIXTURE_IDS.adminUser, type: 'user' },
    });

    const expired = await h.client.request(QApiKeyDocument, { id: FIXTURE_IDS.expiredApiKey });
    expect(expired.apiKey).toMatchObject({
      name: 'wei-laptop',
      status: 'EXPIRED',
      workspaceId: FIXTURE_IDS.defaultWorkspace,
      createdBy: { id: FIXTURE_IDS.developerUser, type: 'user' },
    });
    expect(calls(h)).toEqual([
      `GET ${API}/api_keys/${FIXTURE_IDS.activeApiKey}`,
      `GET ${API}/api_keys/${FIXTURE_IDS.expiredApiKey}`,
    ]);
  });
});

group('lookups of ids that do not exist', () => {
  const cases = [
    { field: 'user', query: 'query ($id: ID!) { user(id: $id) { id } }', id: unknownId('user_') },
    {
      field: 'invite',
      query: 'query ($id: ID!) { invite(id: $id) { id } }',
      id: unknownId('invite_'),
    },
    {
      field: 'workspace',
      query: 'query ($id: ID!) { workspace(id: $id) { id } }',
      id: unknownId('wrkspc_'),
    },
    {
      field: 'apiKey',
      query: 'query ($id: ID!) { apiKey(id: $id) { id } }',
      id: unknownId('apikey_'),
    },
  ];

  it.each(cases)('$field(id:) of an unknown id is null without an error', async (c) => {
    const h = harness();
    const { body } = await postGraphQL(h.endpoint, { query: c.query, variables: { id: c.id } });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ [c.field]: null });
    // It was really looked up (and the 404 turned into null).
    expect(h.upstream().map((r) => [r.path, r.status])).toEqual([
      [expect.stringMatching(new RegExp(`/${c.id}$`)), 404],
    ]);
  });

  it('workspaceMember of a user who is not a member, or of an unknown workspace, is null', async () => {
    const h = harness();
    const notMember = await post(h, QWorkspaceMemberDocument, {
      workspaceId: FIXTURE_IDS.archivedWorkspace,
      userId: FIXTURE_IDS.userUser,
    });
    expect(notMember.errors).toBeUndefined();
    expect(notMember.data).toEqual({ workspaceMember: null });

    const noWorkspace = await post(h, QWorkspaceMemberDocument, {
      workspaceId: unknownId('wrkspc_'),
      userId: FIXTURE_IDS.userUser,
    });
    expect(noWorkspace.errors).toBeUndefined();
    expect(noWorkspace.data).toEqual({ workspaceMember: null });

    const noUser = await post(h, QWorkspaceMemberDocument, {
      workspaceId: FIXTURE_IDS.productionWorkspace,
      userId: unknownId('user_'),
    });
    expect(noUser.errors).toBeUndefined();
    expect(noUser.data).toEqual({ workspaceMember: null });
  });
});

group('malformed ids are refused before any upstream request', () => {
  const malformed = [
    { field: 'user', id: 'user_x/../../api_keys' },
    { field: 'user', id: '%2e%2e' },
    { field: 'user', id: 'user_%2e%2e%2fapi_keys' },
    { field: 'user', id: '..' },
    { field: 'user', id: '' },
    { field: 'user', id: 'user_01abc?limit=1000' },
    { field: 'user', id: 'user_01abc#fragment' },
    { field: 'user', id: 'user_01abc\n' },
    { field: 'user', id: FIXTURE_IDS.activeApiKey },
    { field: 'user', id: FIXTURE_IDS.organization },
    { field: 'invite', id: 'invite_../users' },
    { field: 'invite', id: FIXTURE_IDS.adminUser },
    { field: 'workspace', id: 'wrkspc_../users' },
    { field: 'workspace', id: '%2e%2e' },
    { field: 'workspace', id: 'wrkspc_01HY9WS2YCA8tCnaGSC3Coyh/members' },
    { field: 'workspace', id: FIXTURE_IDS.adminUser },
    { field: 'apiKey', id: 'apikey_x/../../users' },
    { field: 'apiKey', id: FIXTURE_IDS.productionWorkspace },
  ];

  it.each(malformed)('$field(id: $id) → BAD_USER_INPUT, no upstream call', async (c) => {
    const h = harness();
    const { body } = await postGraphQL(h.endpoint, {
      query: `query ($id: ID!) { ${c.field}(id: $id) { id } }`,
      variables: { id: c.id },
    });
    expectRefusedWithoutUpstream(h, body);
    expect(body.data).toEqual({ [c.field]: null });
    expect(body.errors?.[0]?.path).toEqual([c.field]);
  });

  const memberCases = [
    { workspaceId: 'wrkspc_../users', userId: FIXTURE_IDS.developerUser },
    { workspaceId: '%2e%2e', userId: FIXTURE_IDS.developerUser },
    { workspaceId: FIXTURE_IDS.productionWorkspace, userId: 'user_x/../../api_keys' },
    { workspaceId: FIXTURE_IDS.productionWorkspace, userId: '%2e%2e' },
    { workspaceId: FIXTURE_IDS.developerUser, userId: FIXTURE_IDS.productionWorkspace },
  ];

  it.each(memberCases)(
    'workspaceMember($workspaceId, $userId) → BAD_USER_INPUT, no upstream call',
    async (c) => {
      const h = harness();
      const body = await post(h, QWorkspaceMemberDocument, c);
      expectRefusedWithoutUpstream(h, body);
      expect(body.data).toEqual({ workspaceMember: null });
    },
  );

  it('Workspace.member(userId:) with a malformed user id makes no member request', async () => {
    const h = harness();
    const { body } = await postGraphQL(h.endpoint, {
      query: `query ($id: ID!, $userId: ID!) { workspace(id: $id) { id member(userId: $userId) { id } } }`,
      variables: { id: FIXTURE_IDS.productionWorkspace, userId: 'user_x/../../api_keys' },
    });
    expect(body.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual([
      ['BAD_USER_INPUT', ['workspace', 'member']],
    ]);
    // Only the workspace itself was fetched.
    expect(calls(h)).toEqual([`GET ${API}/workspaces/${FIXTURE_IDS.productionWorkspace}`]);
  });
});
