import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  MAddWorkspaceMemberDocument,
  MApiKeyCheckDocument,
  MArchiveWorkspaceDocument,
  MCreateInviteDocument,
  MCreateWorkspaceDocument,
  MDeleteInviteDocument,
  MInviteCheckDocument,
  MPendingInvitesDocument,
  MRemoveUserDocument,
  MRemoveWorkspaceMemberDocument,
  MUpdateApiKeyDocument,
  MUpdateUserDocument,
  MUpdateWorkspaceDocument,
  MUpdateWorkspaceMemberDocument,
  MUserCheckDocument,
  MWorkspaceCheckDocument,
  MWorkspaceMemberCheckDocument,
} from '../generated/graphql.js';
import { emittedTexts, expectNoSecrets, startGateway, type Gateway } from './helpers.js';
import { MUTATIONS, outsiderOfProduction, payloadOf } from './table.js';

const ORG = '/v1/organizations';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

let g: Gateway;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(() => g.close());
beforeEach(() => {
  g.h.sandbox.reset();
  g.h.resetCounts();
});

describe('each mutation makes exactly its REST call and returns the result', () => {
  it('updateUser: POST /v1/organizations/users/{id} with {"role":…}', async () => {
    const userId = FIXTURE_IDS.userUser;
    const data = await g.client.request(MUpdateUserDocument, {
      input: { userId, role: 'DEVELOPER' },
    });
    expect(data.updateUser).toEqual({
      user: {
        id: userId,
        email: 'alex.rivera@northwind.example',
        role: 'DEVELOPER',
        roleValue: 'developer',
      },
      userErrors: [],
    });
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/users/${userId}`, body: { role: 'developer' } },
    ]);

    const after = await g.client.request(MUserCheckDocument, { id: userId });
    expect(after.user?.role).toBe('DEVELOPER');
    expect(g.writes()).toHaveLength(1);
  });

  it('removeUser: DELETE /v1/organizations/users/{id} without a body', async () => {
    const userId = FIXTURE_IDS.userUser;
    const data = await g.client.request(MRemoveUserDocument, { input: { userId } });
    expect(data.removeUser).toEqual({ removedUserId: userId, userErrors: [] });
    expect(g.calls()).toEqual([{ method: 'DELETE', path: `${ORG}/users/${userId}`, body: null }]);

    const after = await g.client.request(MUserCheckDocument, { id: userId });
    expect(after.user).toBeNull();
    // The removed user's explicit workspace membership went with them.
    const member = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(member.workspaceMember).toBeNull();
    expect(g.writes()).toHaveLength(1);
  });

  it('createInvite: POST /v1/organizations/invites with {"email","role"}', async () => {
    const email = 'new.hire@northwind.example';
    const data = await g.client.request(MCreateInviteDocument, {
      input: { email, role: 'CLAUDE_CODE_USER' },
    });
    const invite = data.createInvite.invite;
    expect(data.createInvite.userErrors).toEqual([]);
    expect(invite).toMatchObject({
      email,
      role: 'CLAUDE_CODE_USER',
      status: 'PENDING',
      acceptedAt: null,
    });
    expect(invite?.id).toMatch(/^invite_/);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/invites`, body: { email, role: 'claude_code_user' } },
    ]);

    const byId = await g.client.request(MInviteCheckDocument, { id: invite!.id });
    expect(byId.invite).toEqual({
      id: invite!.id,
      email,
      role: 'CLAUDE_CODE_USER',
      status: 'PENDING',
    });
    const listed = await g.client.request(MPendingInvitesDocument, { email });
    expect(listed.organization.invites!.nodes.map((node) => node.id)).toEqual([invite!.id]);
    expect(g.writes()).toHaveLength(1);
  });

  it('deleteInvite: DELETE /v1/organizations/invites/{id} without a body', async () => {
    const inviteId = FIXTURE_IDS.pendingInvite;
    const data = await g.client.request(MDeleteInviteDocument, { input: { inviteId } });
    expect(data.deleteInvite).toEqual({ deletedInviteId: inviteId, userErrors: [] });
    expect(g.calls()).toEqual([
      { method: 'DELETE', path: `${ORG}/invites/${inviteId}`, body: null },
    ]);

    const after = await g.client.request(MInviteCheckDocument, { id: inviteId });
    expect(after.invite?.status).toBe('DELETED');
    const listed = await g.client.request(MPendingInvitesDocument, {
      email: 'sam.lee@northwind.example',
    });
    expect(listed.organization.invites!.nodes).toEqual([]);
    expect(g.writes()).toHaveLength(1);
  });

  it('createWorkspace: POST /v1/organizations/workspaces with name, tags and data_residency', async () => {
    const data = await g.client.request(MCreateWorkspaceDocument, {
      input: {
        name: 'Robotics Lab',
        tags: [
          { key: 'team', value: 'robotics' },
          { key: 'env', value: 'dev' },
        ],
        dataResidency: {
          workspaceGeo: 'US',
          allowedInferenceGeos: ['US'],
          defaultInferenceGeo: 'US',
        },
      },
    });
    const workspace = data.createWorkspace.workspace;
    expect(data.createWorkspace.userErrors).toEqual([]);
    expect(workspace?.id).toMatch(/^wrkspc_/);
    const expected = {
      id: workspace!.id,
      name: 'Robotics Lab',
      archivedAt: null,
      isArchived: false,
      tags: [
        { key: 'env', value: 'dev' },
        { key: 'team', value: 'robotics' },
      ],
      dataResidency: {
        workspaceGeo: 'us',
        defaultInferenceGeo: 'us',
        allowedInferenceGeos: ['us'],
        unrestrictedInferenceGeos: false,
      },
    };
    expect(workspace).toEqual(expected);
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces`,
        body: {
          name: 'Robotics Lab',
          tags: { team: 'robotics', env: 'dev' },
          data_residency: {
            workspace_geo: 'us',
            allowed_inference_geos: ['us'],
            default_inference_geo: 'us',
          },
        },
      },
    ]);

    const after = await g.client.request(MWorkspaceCheckDocument, { id: workspace!.id });
    expect(after.workspace).toEqual({ ...expected, apiKeys: { nodes: [] } });
    expect(g.writes()).toHaveLength(1);
  });

  it('createWorkspace with only a name sends only {"name"} and gets the defaults', async () => {
    const data = await g.client.request(MCreateWorkspaceDocument, { input: { name: 'Bare' } });
    expect(data.createWorkspace.userErrors).toEqual([]);
    expect(data.createWorkspace.workspace).toMatchObject({
      name: 'Bare',
      tags: [],
      dataResidency: {
        workspaceGeo: 'us',
        defaultInferenceGeo: 'global',
        allowedInferenceGeos: null,
        unrestrictedInferenceGeos: true,
      },
    });
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/workspaces`, body: { name: 'Bare' } },
    ]);
  });

  it('updateWorkspace: POST /v1/organizations/workspaces/{id} with every field given', async () => {
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: {
        workspaceId: PRODUCTION,
        name: 'Production EU',
        tags: [{ key: 'tier', value: 'gold' }],
        dataResidency: { allowedInferenceGeos: ['GLOBAL', 'US'], defaultInferenceGeo: 'GLOBAL' },
      },
    });
    const expected = {
      id: PRODUCTION,
      name: 'Production EU',
      archivedAt: null,
      isArchived: false,
      tags: [{ key: 'tier', value: 'gold' }],
      dataResidency: {
        workspaceGeo: 'us',
        defaultInferenceGeo: 'global',
        allowedInferenceGeos: ['global', 'us'],
        unrestrictedInferenceGeos: false,
      },
    };
    expect(data.updateWorkspace).toEqual({ workspace: expected, userErrors: [] });
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: {
          name: 'Production EU',
          tags: { tier: 'gold' },
          data_residency: {
            allowed_inference_geos: ['global', 'us'],
            default_inference_geo: 'global',
          },
        },
      },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace).toMatchObject(expected);
    expect(g.writes()).toHaveLength(1);
  });

  it('archiveWorkspace: POST /v1/organizations/workspaces/{id}/archive without a body', async () => {
    const data = await g.client.request(MArchiveWorkspaceDocument, {
      input: { workspaceId: PRODUCTION },
    });
    expect(data.archiveWorkspace.userErrors).toEqual([]);
    expect(data.archiveWorkspace.workspace).toMatchObject({
      id: PRODUCTION,
      name: 'Production',
      isArchived: true,
    });
    expect(data.archiveWorkspace.workspace?.archivedAt).toEqual(expect.any(String));
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/workspaces/${PRODUCTION}/archive`, body: null },
    ]);

    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace?.isArchived).toBe(true);
    expect(after.workspace?.archivedAt).toBe(data.archiveWorkspace.workspace?.archivedAt);
    // Archiving revoked the workspace's keys.
    const key = await g.client.request(MApiKeyCheckDocument, { id: FIXTURE_IDS.activeApiKey });
    expect(key.apiKey?.status).toBe('ARCHIVED');
    expect(after.workspace?.apiKeys!.nodes.filter((k) => k.status === 'ACTIVE')).toEqual([]);
    expect(g.writes()).toHaveLength(1);
  });

  it('addWorkspaceMember: POST …/workspaces/{id}/members with {"user_id","workspace_role"}', async () => {
    const userId = outsiderOfProduction(g.h.sandbox.store);
    const data = await g.client.request(MAddWorkspaceMemberDocument, {
      input: { workspaceId: PRODUCTION, userId, role: 'WORKSPACE_DEVELOPER' },
    });
    expect(data.addWorkspaceMember).toEqual({
      workspaceMember: {
        id: `workspace_member:${PRODUCTION}:${userId}`,
        role: 'WORKSPACE_DEVELOPER',
        roleValue: 'workspace_developer',
      },
      userErrors: [],
    });
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}/members`,
        body: { user_id: userId, workspace_role: 'workspace_developer' },
      },
    ]);
    const after = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(after.workspaceMember).toEqual({
      id: `workspace_member:${PRODUCTION}:${userId}`,
      role: 'WORKSPACE_DEVELOPER',
    });
    expect(g.writes()).toHaveLength(1);
  });

  it('updateWorkspaceMember: POST …/workspaces/{id}/members/{user} with {"workspace_role"}', async () => {
    const userId = FIXTURE_IDS.userUser;
    const data = await g.client.request(MUpdateWorkspaceMemberDocument, {
      input: { workspaceId: PRODUCTION, userId, role: 'WORKSPACE_USER' },
    });
    expect(data.updateWorkspaceMember).toEqual({
      workspaceMember: {
        id: `workspace_member:${PRODUCTION}:${userId}`,
        role: 'WORKSPACE_USER',
        roleValue: 'workspace_user',
      },
      userErrors: [],
    });
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}/members/${userId}`,
        body: { workspace_role: 'workspace_user' },
      },
    ]);
    const after = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(after.workspaceMember?.role).toBe('WORKSPACE_USER');
    expect(g.writes()).toHaveLength(1);
  });

  it('removeWorkspaceMember: DELETE …/workspaces/{id}/members/{user} without a body', async () => {
    const userId = FIXTURE_IDS.developerUser;
    const data = await g.client.request(MRemoveWorkspaceMemberDocument, {
      input: { workspaceId: PRODUCTION, userId },
    });
    expect(data.removeWorkspaceMember).toEqual({
      removedWorkspaceMemberId: `workspace_member:${PRODUCTION}:${userId}`,
      userErrors: [],
    });
    expect(g.calls()).toEqual([
      { method: 'DELETE', path: `${ORG}/workspaces/${PRODUCTION}/members/${userId}`, body: null },
    ]);
    const after = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(after.workspaceMember).toBeNull();
    // The user stays in the organization.
    const user = await g.client.request(MUserCheckDocument, { id: userId });
    expect(user.user?.id).toBe(userId);
    expect(g.writes()).toHaveLength(1);
  });

  it('updateApiKey: POST /v1/organizations/api_keys/{id} with {"name","status"}', async () => {
    const apiKeyId = FIXTURE_IDS.activeApiKey;
    const data = await g.client.request(MUpdateApiKeyDocument, {
      input: { apiKeyId, name: 'prod-backend-old', status: 'INACTIVE' },
    });
    expect(data.updateApiKey).toEqual({
      apiKey: {
        id: apiKeyId,
        name: 'prod-backend-old',
        status: 'INACTIVE',
        statusValue: 'inactive',
        workspaceId: PRODUCTION,
      },
      userErrors: [],
    });
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/api_keys/${apiKeyId}`,
        body: { name: 'prod-backend-old', status: 'inactive' },
      },
    ]);
    const after = await g.client.request(MApiKeyCheckDocument, { id: apiKeyId });
    expect(after.apiKey).toEqual({ id: apiKeyId, name: 'prod-backend-old', status: 'INACTIVE' });
    expect(g.writes()).toHaveLength(1);
  });
});

describe('every mutation of the shared table succeeds with one write', () => {
  it.each(MUTATIONS)('$name', async (mutation) => {
    const { body } = await g.post(mutation.document, { input: mutation.input });
    expect(body.errors).toBeUndefined();
    const payload = payloadOf(body, mutation.name);
    expect(payload.userErrors).toEqual([]);
    expect(payload[mutation.result]).not.toBeNull();
    expect(g.calls()).toEqual([
      { method: mutation.method, path: mutation.path, body: mutation.body },
    ]);
    expect(g.h.upstream().map((request) => [request.status, request.credential])).toEqual([
      [200, 'admin'],
    ]);
  });
});

describe('partial updates send only the fields given', () => {
  const productionTags = [
    { key: 'env', value: 'prod' },
    { key: 'team', value: 'platform' },
  ];
  const productionResidency = {
    workspaceGeo: 'us',
    defaultInferenceGeo: 'us',
    allowedInferenceGeos: ['us'],
    unrestrictedInferenceGeos: false,
  };

  it('updateWorkspace with only name sends {"name"}; tags and residency stay', async () => {
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, name: 'Prod' },
    });
    expect(data.updateWorkspace.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/workspaces/${PRODUCTION}`, body: { name: 'Prod' } },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace).toMatchObject({
      name: 'Prod',
      tags: productionTags,
      dataResidency: productionResidency,
    });
  });

  it('updateWorkspace with only tags sends {"tags":{…}} and replaces the whole map', async () => {
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, tags: [{ key: 'owner', value: 'sre' }] },
    });
    expect(data.updateWorkspace.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: { tags: { owner: 'sre' } },
      },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace).toMatchObject({
      name: 'Production',
      tags: [{ key: 'owner', value: 'sre' }],
      dataResidency: productionResidency,
    });
  });

  it('updateWorkspace with tags: [] sends {"tags":{}} and clears every tag', async () => {
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, tags: [] },
    });
    expect(data.updateWorkspace.userErrors).toEqual([]);
    expect(data.updateWorkspace.workspace?.tags).toEqual([]);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/workspaces/${PRODUCTION}`, body: { tags: {} } },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace).toMatchObject({ name: 'Production', tags: [] });
  });

  it('unrestrictedInferenceGeos: true sends "allowed_inference_geos":"unrestricted"', async () => {
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, dataResidency: { unrestrictedInferenceGeos: true } },
    });
    expect(data.updateWorkspace.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: { data_residency: { allowed_inference_geos: 'unrestricted' } },
      },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace).toMatchObject({
      name: 'Production',
      tags: productionTags,
      dataResidency: {
        workspaceGeo: 'us',
        defaultInferenceGeo: 'us',
        allowedInferenceGeos: null,
        unrestrictedInferenceGeos: true,
      },
    });
  });

  it('geos are sent lowercased; a default alone sends only default_inference_geo', async () => {
    await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, dataResidency: { allowedInferenceGeos: ['US', 'GLOBAL'] } },
    });
    const data = await g.client.request(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, dataResidency: { defaultInferenceGeo: 'GLOBAL' } },
    });
    expect(data.updateWorkspace.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: { data_residency: { allowed_inference_geos: ['us', 'global'] } },
      },
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: { data_residency: { default_inference_geo: 'global' } },
      },
    ]);
    expect(data.updateWorkspace.workspace?.dataResidency).toEqual({
      workspaceGeo: 'us',
      defaultInferenceGeo: 'global',
      allowedInferenceGeos: ['us', 'global'],
      unrestrictedInferenceGeos: false,
    });
  });

  it('updateApiKey with only status sends {"status":"inactive"}; the name stays', async () => {
    const apiKeyId = FIXTURE_IDS.activeApiKey;
    const data = await g.client.request(MUpdateApiKeyDocument, {
      input: { apiKeyId, status: 'INACTIVE' },
    });
    expect(data.updateApiKey.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/api_keys/${apiKeyId}`, body: { status: 'inactive' } },
    ]);
    const after = await g.client.request(MApiKeyCheckDocument, { id: apiKeyId });
    expect(after.apiKey).toEqual({ id: apiKeyId, name: 'prod-backend', status: 'INACTIVE' });
  });

  it('updateApiKey with only name sends {"name"}; the status stays', async () => {
    const apiKeyId = FIXTURE_IDS.activeApiKey;
    const data = await g.client.request(MUpdateApiKeyDocument, {
      input: { apiKeyId, name: 'renamed-key' },
    });
    expect(data.updateApiKey.userErrors).toEqual([]);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/api_keys/${apiKeyId}`, body: { name: 'renamed-key' } },
    ]);
    const after = await g.client.request(MApiKeyCheckDocument, { id: apiKeyId });
    expect(after.apiKey).toEqual({ id: apiKeyId, name: 'renamed-key', status: 'ACTIVE' });
  });

  it('updateApiKey with explicit nulls sends {} (null means "leave unchanged")', async () => {
    const apiKeyId = FIXTURE_IDS.activeApiKey;
    const data = await g.client.request(MUpdateApiKeyDocument, {
      input: { apiKeyId, name: null, status: null },
    });
    expect(data.updateApiKey.userErrors).toEqual([]);
    expect(g.calls()).toEqual([{ method: 'POST', path: `${ORG}/api_keys/${apiKeyId}`, body: {} }]);
  });
});

describe('credentials', () => {
  it('no response or log line of this file carries a credential', () => {
    expectNoSecrets(emittedTexts(g));
  });
});
