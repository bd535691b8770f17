import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  MAddWorkspaceMemberDocument,
  MApiKeyCheckDocument,
  MArchiveWorkspaceDocument,
  MCreateInviteDocument,
  MCreateWorkspaceDocument,
  MDeleteInviteDocument,
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
import { emittedTexts, expectNoSecrets, MISSING, startGateway, type Gateway } from './helpers.js';
import { MUTATIONS, payloadOf, type MutationCase } from './table.js';

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

interface Payload {
  userErrors: { message: string; code: string; field?: string[] | null }[];
  [result: string]: unknown;
}

/** Sends a mutation raw and returns its payload; fails on any GraphQL error. */
async function mutate(
  document: Parameters<Gateway['post']>[0],
  input: Record<string, unknown>,
): Promise<Payload> {
  const { body } = await g.post(document, { input });
  expect(body.errors).toBeUndefined();
  const data = body.data ?? {};
  const [name] = Object.keys(data);
  return data[name as string] as Payload;
}

/** The result field of a payload is null and there is exactly one user error. */
function onlyError(payload: Payload): Payload['userErrors'][number] {
  const results = Object.entries(payload).filter(([key]) => key !== 'userErrors');
  expect(results).toHaveLength(1);
  expect(results[0]?.[1]).toBeNull();
  expect(payload.userErrors).toHaveLength(1);
  const [error] = payload.userErrors;
  expect(error?.message).toEqual(expect.any(String));
  expect(error?.message.length).toBeGreaterThan(0);
  return error!;
}

describe('the Admin API refuses (400): INVALID_INPUT user errors', () => {
  it('removing an organization admin', async () => {
    const userId = FIXTURE_IDS.adminUser;
    const error = onlyError(await mutate(MRemoveUserDocument, { userId }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('admin');
    expect(g.calls()).toEqual([{ method: 'DELETE', path: `${ORG}/users/${userId}`, body: null }]);
    const after = await g.client.request(MUserCheckDocument, { id: userId });
    expect(after.user?.role).toBe('ADMIN');
  });

  it('changing the role of an org admin is blamed on the userId (or nothing), not the role', async () => {
    const userId = FIXTURE_IDS.adminUser;
    const error = onlyError(await mutate(MUpdateUserDocument, { userId, role: 'USER' }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/users/${userId}`, body: { role: 'user' } },
    ]);
    // USER is an assignable role; what is refused is the member named by userId. Pointing the
    // client at ["input","role"] would tell it to pick another role, which cannot help.
    expect(error.field).toEqual(['input', 'userId']);
  });

  it('assigning WORKSPACE_BILLING by update to a member without the billing role', async () => {
    const userId = FIXTURE_IDS.userUser;
    const error = onlyError(
      await mutate(MUpdateWorkspaceMemberDocument, {
        workspaceId: PRODUCTION,
        userId,
        role: 'WORKSPACE_BILLING',
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'role'] });
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}/members/${userId}`,
        body: { workspace_role: 'workspace_billing' },
      },
    ]);
    const after = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(after.workspaceMember?.role).toBe('WORKSPACE_RESTRICTED_DEVELOPER');
  });

  it('archiving the Default Workspace', async () => {
    const workspaceId = FIXTURE_IDS.defaultWorkspace;
    const error = onlyError(await mutate(MArchiveWorkspaceDocument, { workspaceId }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'workspaceId'] });
    expect(error.message).toContain('Default Workspace');
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/workspaces/${workspaceId}/archive`, body: null },
    ]);
    const after = await g.client.request(MWorkspaceCheckDocument, { id: workspaceId });
    expect(after.workspace?.isArchived).toBe(false);
  });

  it('inviting an address that already has a pending invite', async () => {
    const email = 'sam.lee@northwind.example';
    const error = onlyError(await mutate(MCreateInviteDocument, { email, role: 'USER' }));
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS', field: ['input', 'email'] });
    expect(error.message).toContain(FIXTURE_IDS.pendingInvite);
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/invites`, body: { email, role: 'user' } },
    ]);
  });

  it('inviting an address that belongs to a member', async () => {
    const email = 'wei.chen@northwind.example';
    const error = onlyError(await mutate(MCreateInviteDocument, { email, role: 'DEVELOPER' }));
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS', field: ['input', 'email'] });
    expect(g.writes()).toHaveLength(1);
  });

  it('reactivating an archived API key', async () => {
    const apiKeyId = FIXTURE_IDS.archivedApiKey;
    const error = onlyError(await mutate(MUpdateApiKeyDocument, { apiKeyId, status: 'ACTIVE' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'status'] });
    expect(g.calls()).toEqual([
      { method: 'POST', path: `${ORG}/api_keys/${apiKeyId}`, body: { status: 'active' } },
    ]);
    const after = await g.client.request(MApiKeyCheckDocument, { id: apiKeyId });
    expect(after.apiKey?.status).toBe('ARCHIVED');
  });

  it('adding a member who is already one', async () => {
    const userId = FIXTURE_IDS.developerUser;
    const error = onlyError(
      await mutate(MAddWorkspaceMemberDocument, {
        workspaceId: PRODUCTION,
        userId,
        role: 'WORKSPACE_USER',
      }),
    );
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS', field: ['input', 'userId'] });
    // The message names the input field as the client knows it, not the REST body field.
    expect(error.message).toMatch(/^userId: /);
    expect(error.message).not.toContain('user_id');
    expect(g.writes()).toHaveLength(1);
  });

  it('a default inference geo outside the allowed list points at defaultInferenceGeo', async () => {
    const error = onlyError(
      await mutate(MUpdateWorkspaceDocument, {
        workspaceId: PRODUCTION,
        dataResidency: { defaultInferenceGeo: 'GLOBAL' },
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(g.calls()).toEqual([
      {
        method: 'POST',
        path: `${ORG}/workspaces/${PRODUCTION}`,
        body: { data_residency: { default_inference_geo: 'global' } },
      },
    ]);
    // The gateway maps default_inference_geo to this path; the message names it the same way.
    expect(error.field).toEqual(['input', 'dataResidency', 'defaultInferenceGeo']);
    expect(error.message).toContain('dataResidency.defaultInferenceGeo');
    expect(error.message).not.toContain('default_inference_geo');
  });
});

describe('unknown but well-formed ids (404): NOT_FOUND pointing at the id', () => {
  const cases: {
    name: string;
    document: Parameters<Gateway['post']>[0];
    input: Record<string, unknown>;
    field: string[];
    method: string;
    path: string;
  }[] = [
    {
      name: 'updateUser',
      document: MUpdateUserDocument,
      input: { userId: MISSING.user, role: 'USER' },
      field: ['input', 'userId'],
      method: 'POST',
      path: `${ORG}/users/${MISSING.user}`,
    },
    {
      name: 'removeUser',
      document: MRemoveUserDocument,
      input: { userId: MISSING.user },
      field: ['input', 'userId'],
      method: 'DELETE',
      path: `${ORG}/users/${MISSING.user}`,
    },
    {
      name: 'deleteInvite',
      document: MDeleteInviteDocument,
      input: { inviteId: MISSING.invite },
      field: ['input', 'inviteId'],
      method: 'DELETE',
      path: `${ORG}/invites/${MISSING.invite}`,
    },
    {
      name: 'updateWorkspace',
      document: MUpdateWorkspaceDocument,
      input: { workspaceId: MISSING.workspace, name: 'X' },
      field: ['input', 'workspaceId'],
      method: 'POST',
      path: `${ORG}/workspaces/${MISSING.workspace}`,
    },
    {
      name: 'archiveWorkspace',
      document: MArchiveWorkspaceDocument,
      input: { workspaceId: MISSING.workspace },
      field: ['input', 'workspaceId'],
      method: 'POST',
      path: `${ORG}/workspaces/${MISSING.workspace}/archive`,
    },
    {
      name: 'addWorkspaceMember (unknown user)',
      document: MAddWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: MISSING.user, role: 'WORKSPACE_USER' },
      field: ['input', 'userId'],
      method: 'POST',
      path: `${ORG}/workspaces/${PRODUCTION}/members`,
    },
    {
      name: 'addWorkspaceMember (unknown workspace)',
      document: MAddWorkspaceMemberDocument,
      input: {
        workspaceId: MISSING.workspace,
        userId: FIXTURE_IDS.userUser,
        role: 'WORKSPACE_USER',
      },
      field: ['input', 'workspaceId'],
      method: 'POST',
      path: `${ORG}/workspaces/${MISSING.workspace}/members`,
    },
    {
      name: 'updateWorkspaceMember (user not a member)',
      document: MUpdateWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: MISSING.user, role: 'WORKSPACE_USER' },
      field: ['input', 'userId'],
      method: 'POST',
      path: `${ORG}/workspaces/${PRODUCTION}/members/${MISSING.user}`,
    },
    {
      name: 'updateWorkspaceMember (unknown workspace)',
      document: MUpdateWorkspaceMemberDocument,
      input: {
        workspaceId: MISSING.workspace,
        userId: FIXTURE_IDS.userUser,
        role: 'WORKSPACE_USER',
      },
      field: ['input', 'workspaceId'],
      method: 'POST',
      path: `${ORG}/workspaces/${MISSING.workspace}/members/${FIXTURE_IDS.userUser}`,
    },
    {
      name: 'removeWorkspaceMember (user not a member)',
      document: MRemoveWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: MISSING.user },
      field: ['input', 'userId'],
      method: 'DELETE',
      path: `${ORG}/workspaces/${PRODUCTION}/members/${MISSING.user}`,
    },
    {
      name: 'removeWorkspaceMember (unknown workspace)',
      document: MRemoveWorkspaceMemberDocument,
      input: { workspaceId: MISSING.workspace, userId: FIXTURE_IDS.userUser },
      field: ['input', 'workspaceId'],
      method: 'DELETE',
      path: `${ORG}/workspaces/${MISSING.workspace}/members/${FIXTURE_IDS.userUser}`,
    },
    {
      name: 'updateApiKey',
      document: MUpdateApiKeyDocument,
      input: { apiKeyId: MISSING.apiKey, name: 'x' },
      field: ['input', 'apiKeyId'],
      method: 'POST',
      path: `${ORG}/api_keys/${MISSING.apiKey}`,
    },
  ];

  it.each(cases)('$name', async ({ document, input, field, method, path }) => {
    const error = onlyError(await mutate(document, input));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'NOT_FOUND', field });
    expect(g.calls().map(({ method, path }) => ({ method, path }))).toEqual([{ method, path }]);
    expect(g.h.upstream().map((request) => request.status)).toEqual([404]);
  });
});

describe('a conflict (409 conflict_error): CONFLICT user error', () => {
  it.each(MUTATIONS)('$name', async (mutation: MutationCase) => {
    g.h.sandbox.injectFault({
      method: mutation.method,
      path: mutation.path,
      status: 409,
      errorType: 'conflict_error',
      message: 'The resource was changed concurrently.',
    });
    const { body } = await g.post(mutation.document, { input: mutation.input });
    expect(body.errors).toBeUndefined();
    const payload = payloadOf(body, mutation.name);
    expect(payload[mutation.result]).toBeNull();
    expect(payload.userErrors).toEqual([
      { message: 'The resource was changed concurrently.', code: 'CONFLICT', field: null },
    ]);
    expect(g.calls()).toEqual([
      { method: mutation.method, path: mutation.path, body: mutation.body },
    ]);
  });
});

describe('local validation: INVALID_INPUT and no upstream call at all', () => {
  const cases: {
    name: string;
    document: Parameters<Gateway['post']>[0];
    input: Record<string, unknown>;
    field: string[];
  }[] = [
    {
      name: 'updateUser to role ADMIN',
      document: MUpdateUserDocument,
      input: { userId: FIXTURE_IDS.userUser, role: 'ADMIN' },
      field: ['input', 'role'],
    },
    {
      name: 'updateUser to role OWNER',
      document: MUpdateUserDocument,
      input: { userId: FIXTURE_IDS.userUser, role: 'OWNER' },
      field: ['input', 'role'],
    },
    {
      name: 'createInvite with role ADMIN',
      document: MCreateInviteDocument,
      input: { email: 'boss@northwind.example', role: 'ADMIN' },
      field: ['input', 'role'],
    },
    {
      name: 'updateApiKey to status EXPIRED',
      document: MUpdateApiKeyDocument,
      input: { apiKeyId: FIXTURE_IDS.activeApiKey, status: 'EXPIRED' },
      field: ['input', 'status'],
    },
    {
      name: 'updateApiKey to status UNKNOWN',
      document: MUpdateApiKeyDocument,
      input: { apiKeyId: FIXTURE_IDS.activeApiKey, status: 'UNKNOWN' },
      field: ['input', 'status'],
    },
    {
      name: 'addWorkspaceMember with WORKSPACE_BILLING',
      document: MAddWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: FIXTURE_IDS.userUser, role: 'WORKSPACE_BILLING' },
      field: ['input', 'role'],
    },
    {
      name: 'createWorkspace with a tag key starting with "anthropic"',
      document: MCreateWorkspaceDocument,
      input: { name: 'Tagged', tags: [{ key: 'anthropic-team', value: 'x' }] },
      field: ['input', 'tags'],
    },
    {
      name: 'updateWorkspace with a tag key starting with "Anthropic"',
      document: MUpdateWorkspaceDocument,
      input: {
        workspaceId: PRODUCTION,
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'AnthropicRegion', value: 'x' },
        ],
      },
      field: ['input', 'tags'],
    },
    {
      name: 'createWorkspace with a duplicate tag key',
      document: MCreateWorkspaceDocument,
      input: {
        name: 'Tagged',
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'env', value: 'dev' },
        ],
      },
      field: ['input', 'tags'],
    },
    {
      name: 'updateWorkspace with a duplicate tag key',
      document: MUpdateWorkspaceDocument,
      input: {
        workspaceId: PRODUCTION,
        tags: [
          { key: 'team', value: 'a' },
          { key: 'team', value: 'b' },
        ],
      },
      field: ['input', 'tags'],
    },
    {
      name: 'updateWorkspace with both allowed geos and unrestricted',
      document: MUpdateWorkspaceDocument,
      input: {
        workspaceId: PRODUCTION,
        dataResidency: { allowedInferenceGeos: ['US'], unrestrictedInferenceGeos: true },
      },
      field: ['input', 'dataResidency'],
    },
    {
      name: 'updateUser with userId user_x/../../api_keys',
      document: MUpdateUserDocument,
      input: { userId: 'user_x/../../api_keys', role: 'USER' },
      field: ['input', 'userId'],
    },
    {
      name: 'removeUser with userId user_x/../../api_keys',
      document: MRemoveUserDocument,
      input: { userId: 'user_x/../../api_keys' },
      field: ['input', 'userId'],
    },
    {
      name: 'removeUser with a workspace id as userId',
      document: MRemoveUserDocument,
      input: { userId: PRODUCTION },
      field: ['input', 'userId'],
    },
    {
      name: 'deleteInvite with inviteId invite_1?x=1',
      document: MDeleteInviteDocument,
      input: { inviteId: 'invite_1?x=1' },
      field: ['input', 'inviteId'],
    },
    {
      name: 'updateWorkspace with workspaceId wrkspc_1%2F..',
      document: MUpdateWorkspaceDocument,
      input: { workspaceId: 'wrkspc_1%2F..', name: 'x' },
      field: ['input', 'workspaceId'],
    },
    {
      name: 'archiveWorkspace with workspaceId ../wrkspc_1',
      document: MArchiveWorkspaceDocument,
      input: { workspaceId: '../wrkspc_1' },
      field: ['input', 'workspaceId'],
    },
    {
      name: 'addWorkspaceMember with a malformed workspaceId',
      document: MAddWorkspaceMemberDocument,
      input: {
        workspaceId: 'wrkspc_x/archive',
        userId: FIXTURE_IDS.userUser,
        role: 'WORKSPACE_USER',
      },
      field: ['input', 'workspaceId'],
    },
    {
      name: 'addWorkspaceMember with a malformed userId',
      document: MAddWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: 'user_x/../../api_keys', role: 'WORKSPACE_USER' },
      field: ['input', 'userId'],
    },
    {
      name: 'updateWorkspaceMember with a malformed userId',
      document: MUpdateWorkspaceMemberDocument,
      input: { workspaceId: PRODUCTION, userId: 'user_x/../../api_keys', role: 'WORKSPACE_USER' },
      field: ['input', 'userId'],
    },
    {
      name: 'removeWorkspaceMember with a malformed workspaceId',
      document: MRemoveWorkspaceMemberDocument,
      input: { workspaceId: 'wrkspc_ x', userId: FIXTURE_IDS.userUser },
      field: ['input', 'workspaceId'],
    },
    {
      name: 'updateApiKey with apiKeyId apikey_x/../../users/user_1',
      document: MUpdateApiKeyDocument,
      input: { apiKeyId: 'apikey_x/../../users/user_1', status: 'INACTIVE' },
      field: ['input', 'apiKeyId'],
    },
  ];

  it.each(cases)('$name', async ({ document, input, field }) => {
    const error = onlyError(await mutate(document, input));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'INVALID_INPUT', field });
    expect(g.h.upstream()).toEqual([]);
  });
});

describe('credentials', () => {
  it('no response or log line of this file carries a credential', () => {
    expectNoSecrets(emittedTexts(g));
  });
});
