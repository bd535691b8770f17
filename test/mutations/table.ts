import type { DocumentNode } from 'graphql';
import { FIXTURE_IDS, SandboxStore } from '../../src/sandbox/index.js';
import {
  MAddWorkspaceMemberDocument,
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
} from '../generated/graphql.js';
import { SEED_NOW, type GraphQLBody } from '../support/harness.js';

const ORG = '/v1/organizations';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

/** One valid call of each of the 11 mutations, with the REST request it must make. */
export interface MutationCase {
  name: string;
  document: DocumentNode;
  input: Record<string, unknown>;
  /** The payload field that holds the result. */
  result: string;
  method: 'POST' | 'DELETE';
  path: string;
  body: unknown;
}

/** A seed member with the org role `developer` who is not a member of the Production workspace. */
export function outsiderOfProduction(store: SandboxStore): string {
  const production = store.workspaces.get(PRODUCTION);
  if (!production) throw new Error('no Production workspace in the seed');
  const user = [...store.users.values()]
    .filter((u) => u.role === 'developer' && !store.member(production, u.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (!user) throw new Error('no developer outside Production in the seed');
  return user.id;
}

/** Every mutation once; each succeeds against a freshly reset sandbox. */
export const mutationCases = (store: SandboxStore): MutationCase[] => [
  {
    name: 'updateUser',
    document: MUpdateUserDocument,
    input: { userId: FIXTURE_IDS.userUser, role: 'DEVELOPER' },
    result: 'user',
    method: 'POST',
    path: `${ORG}/users/${FIXTURE_IDS.userUser}`,
    body: { role: 'developer' },
  },
  {
    name: 'removeUser',
    document: MRemoveUserDocument,
    input: { userId: FIXTURE_IDS.userUser },
    result: 'removedUserId',
    method: 'DELETE',
    path: `${ORG}/users/${FIXTURE_IDS.userUser}`,
    body: null,
  },
  {
    name: 'createInvite',
    document: MCreateInviteDocument,
    input: { email: 'fresh@northwind.example', role: 'USER' },
    result: 'invite',
    method: 'POST',
    path: `${ORG}/invites`,
    body: { email: 'fresh@northwind.example', role: 'user' },
  },
  {
    name: 'deleteInvite',
    document: MDeleteInviteDocument,
    input: { inviteId: FIXTURE_IDS.pendingInvite },
    result: 'deletedInviteId',
    method: 'DELETE',
    path: `${ORG}/invites/${FIXTURE_IDS.pendingInvite}`,
    body: null,
  },
  {
    name: 'createWorkspace',
    document: MCreateWorkspaceDocument,
    input: { name: 'Fresh', tags: [{ key: 'env', value: 'dev' }] },
    result: 'workspace',
    method: 'POST',
    path: `${ORG}/workspaces`,
    body: { name: 'Fresh', tags: { env: 'dev' } },
  },
  {
    name: 'updateWorkspace',
    document: MUpdateWorkspaceDocument,
    input: { workspaceId: PRODUCTION, name: 'Prod 2' },
    result: 'workspace',
    method: 'POST',
    path: `${ORG}/workspaces/${PRODUCTION}`,
    body: { name: 'Prod 2' },
  },
  {
    name: 'archiveWorkspace',
    document: MArchiveWorkspaceDocument,
    input: { workspaceId: PRODUCTION },
    result: 'workspace',
    method: 'POST',
    path: `${ORG}/workspaces/${PRODUCTION}/archive`,
    body: null,
  },
  {
    name: 'addWorkspaceMember',
    document: MAddWorkspaceMemberDocument,
    input: { workspaceId: PRODUCTION, userId: outsiderOfProduction(store), role: 'WORKSPACE_USER' },
    result: 'workspaceMember',
    method: 'POST',
    path: `${ORG}/workspaces/${PRODUCTION}/members`,
    body: { user_id: outsiderOfProduction(store), workspace_role: 'workspace_user' },
  },
  {
    name: 'updateWorkspaceMember',
    document: MUpdateWorkspaceMemberDocument,
    input: { workspaceId: PRODUCTION, userId: FIXTURE_IDS.userUser, role: 'WORKSPACE_ADMIN' },
    result: 'workspaceMember',
    method: 'POST',
    path: `${ORG}/workspaces/${PRODUCTION}/members/${FIXTURE_IDS.userUser}`,
    body: { workspace_role: 'workspace_admin' },
  },
  {
    name: 'removeWorkspaceMember',
    document: MRemoveWorkspaceMemberDocument,
    input: { workspaceId: PRODUCTION, userId: FIXTURE_IDS.developerUser },
    result: 'removedWorkspaceMemberId',
    method: 'DELETE',
    path: `${ORG}/workspaces/${PRODUCTION}/members/${FIXTURE_IDS.developerUser}`,
    body: null,
  },
  {
    name: 'updateApiKey',
    document: MUpdateApiKeyDocument,
    input: { apiKeyId: FIXTURE_IDS.activeApiKey, status: 'INACTIVE' },
    result: 'apiKey',
    method: 'POST',
    path: `${ORG}/api_keys/${FIXTURE_IDS.activeApiKey}`,
    body: { status: 'inactive' },
  },
];

/** The cases against the harness's seed (ids do not depend on the anchor, but use the same one). */
export const MUTATIONS = mutationCases(new SandboxStore(SEED_NOW, false));

/** The payload of a mutation in a raw response. */
export function payloadOf(
  body: GraphQLBody,
  name: string,
): Record<string, unknown> & { userErrors: unknown[] } {
  const payload = body.data?.[name];
  if (!payload || typeof payload !== 'object') {
    throw new Error(`no ${name} payload in ${JSON.stringify(body)}`);
  }
  return payload as Record<string, unknown> & { userErrors: unknown[] };
}
