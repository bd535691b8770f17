import { post, type GraphQLResponse } from '../client.js';
import type { CanonicalOperation, OperationKey } from '../operations.js';

/**
 * The canonical operations expressed against the peer's REST-shaped schema. The peer has no
 * nested lookups (a workspace does not lead to its members, a member does not lead to its user),
 * so a client runs them in stages: one GraphQL request per level of nesting, each built from the
 * previous answers with one aliased root field per REST call. The client de-duplicates ids and
 * reuses what it already has, which favours the peer.
 */
export interface PeerRun {
  /** GraphQL requests the client sent (stages). */
  clientRequests: number;
  /** Wall time of all stages, in milliseconds. */
  ms: number;
  /** GraphQL errors and Error-typed results (the peer returns REST errors as data). */
  errors: number;
  /** What the client could not express in one operation. */
  note: string;
}

type Json = Record<string, unknown>;

const json = (value: string) => JSON.stringify(value);

/** Runs stages, counting requests, time and errors. */
class StagedClient {
  clientRequests = 0;
  ms = 0;
  errors = 0;

  constructor(private readonly url: string) {}

  /** Sends one stage; a stage with no fields (nothing left to fetch) is not sent. */
  async run(query: string): Promise<Json> {
    if (/^\{\s*\}$/.test(query.trim())) return {};
    this.clientRequests++;
    const { body, ms } = await post(this.url, query);
    this.ms += ms;
    this.errors += (body.errors ?? []).length + countErrorResults(body);
    return (body.data ?? {}) as Json;
  }
}

/** REST error responses come back as `Error` objects in the data (the response unions). */
function countErrorResults(body: GraphQLResponse): number {
  let count = 0;
  for (const value of Object.values(body.data ?? {})) {
    if (value && typeof value === 'object' && (value as Json)['__typename'] === 'Error') count++;
  }
  return count;
}

function items<T = Json>(result: unknown): T[] {
  const data = (result as { data?: unknown } | null)?.['data'];
  return Array.isArray(data) ? (data as T[]) : [];
}

/** One aliased root field per id: `u0: getUser(user_id: "…") { … }`. */
function aliased(prefix: string, ids: string[], field: (id: string) => string): string {
  return ids.map((id, index) => `${prefix}${index}: ${field(id)}`).join('\n');
}

const USER_FIELDS = '__typename ... on User { id name email }';
const WORKSPACE_FIELDS = '__typename ... on Workspace { id name }';
const MEMBER_PAGE = '__typename ... on WorkspaceMemberList { data { user_id workspace_role } }';

async function usersPage(client: StagedClient) {
  await client.run(`{
    listUsers(limit: 50) { __typename ... on UserList { data { id name email role added_at } has_more last_id } }
  }`);
  return 'one request, as ours';
}

/** Members of each workspace, then the users the page of 50 did not already bring. */
async function membersStage(client: StagedClient, workspaceIds: string[]) {
  const data = await client.run(`{
    ${aliased('w', workspaceIds, (id) => `listWorkspaceMembers(workspace_id: ${json(id)}, limit: 50) { ${MEMBER_PAGE} }`)}
  }`);
  return workspaceIds.flatMap((_, index) => items<{ user_id: string }>(data[`w${index}`]));
}

async function workspaceMembers(client: StagedClient) {
  const first = await client.run(`{
    listWorkspaces(limit: 10) { __typename ... on WorkspaceList { data { id name } } }
  }`);
  const workspaceIds = items<{ id: string }>(first['listWorkspaces']).map((ws) => ws.id);
  const members = await membersStage(client, workspaceIds);
  const userIds = [...new Set(members.map((member) => member.user_id))];
  await client.run(
    `{ ${aliased('u', userIds, (id) => `getUser(user_id: ${json(id)}) { ${USER_FIELDS} }`)} }`,
  );
  return `3 client requests (workspaces; ${workspaceIds.length} aliased member lists; ${userIds.length} aliased getUser): no field leads from a member to its user`;
}

async function apiKeys(client: StagedClient) {
  const first = await client.run(`{
    listApiKeys(limit: 100) { __typename ... on ApiKeyList { data { id name status created_by { id type } workspace_id } } }
  }`);
  const keys = items<{
    created_by: { id: string; type: string } | null;
    workspace_id: string | null;
  }>(first['listApiKeys']);
  const creators = [
    ...new Set(keys.flatMap((key) => (key.created_by?.type === 'user' ? [key.created_by.id] : []))),
  ];
  const workspaces = [
    ...new Set(keys.flatMap((key) => (key.workspace_id ? [key.workspace_id] : []))),
  ];
  await client.run(`{
    ${aliased('u', creators, (id) => `getUser(user_id: ${json(id)}) { ${USER_FIELDS} }`)}
    ${aliased('w', workspaces, (id) => `getWorkspace(workspace_id: ${json(id)}) { ${WORKSPACE_FIELDS} }`)}
  }`);
  return `2 client requests (keys; ${creators.length} getUser + ${workspaces.length} getWorkspace aliased): no field leads from a key to its creator or workspace`;
}

async function mixedNodes(client: StagedClient, ids: string[]) {
  const field = (id: string): string => {
    if (id.startsWith('user_')) return `getUser(user_id: ${json(id)}) { ${USER_FIELDS} }`;
    if (id.startsWith('wrkspc_'))
      return `getWorkspace(workspace_id: ${json(id)}) { ${WORKSPACE_FIELDS} }`;
    if (id.startsWith('apikey_'))
      return `getApiKey(api_key_id: ${json(id)}) { __typename ... on ApiKey { id name status } }`;
    return `getInvite(invite_id: ${json(id)}) { __typename ... on Invite { id email status } }`;
  };
  await client.run(`{ ${aliased('n', ids, field)} }`);
  return `1 client request of ${ids.length} aliased get-by-id fields (no \`nodes\`, no batch-get)`;
}

async function dashboard(client: StagedClient) {
  const first = await client.run(`{
    getOrganization { __typename ... on Organization { name } }
    listUsers(limit: 50) { __typename ... on UserList { data { id name email role } } }
    listWorkspaces(limit: 10) { __typename ... on WorkspaceList { data { id name } } }
  }`);
  const known = new Set(items<{ id: string }>(first['listUsers']).map((user) => user.id));
  const workspaceIds = items<{ id: string }>(first['listWorkspaces']).map((ws) => ws.id);
  const second = await client.run(`{
    ${aliased('w', workspaceIds, (id) => `listWorkspaceMembers(workspace_id: ${json(id)}, limit: 50) { ${MEMBER_PAGE} }`)}
    ${aliased('k', workspaceIds, (id) => `listApiKeys(workspace_id: ${json(id)}, status: active, limit: 5) { __typename ... on ApiKeyList { data { name partial_key_hint created_by { id type } } } }`)}
  }`);
  const memberUsers = workspaceIds.flatMap((_, index) =>
    items<{ user_id: string }>(second[`w${index}`]).map((member) => member.user_id),
  );
  const creators = workspaceIds.flatMap((_, index) =>
    items<{ created_by: { id: string; type: string } | null }>(second[`k${index}`]).flatMap(
      (key) => (key.created_by?.type === 'user' ? [key.created_by.id] : []),
    ),
  );
  const missing = [...new Set([...memberUsers, ...creators])].filter((id) => !known.has(id));
  await client.run(
    `{ ${aliased('u', missing, (id) => `getUser(user_id: ${json(id)}) { ${USER_FIELDS} }`)} }`,
  );
  return `3 client requests (org + users + workspaces; ${workspaceIds.length} member lists + ${workspaceIds.length} key lists; ${missing.length} getUser for users not in the page of 50)`;
}

/** Runs the peer's equivalent of one canonical operation. */
export async function runPeerOperation(
  url: string,
  operation: CanonicalOperation,
): Promise<PeerRun> {
  const client = new StagedClient(url);
  const runners: Record<OperationKey, () => Promise<string>> = {
    users: () => usersPage(client),
    members: () => workspaceMembers(client),
    apiKeys: () => apiKeys(client),
    nodes: () => mixedNodes(client, (operation.variables?.['ids'] ?? []) as string[]),
    dashboard: () => dashboard(client),
  };
  const note = await runners[operation.key]();
  return { clientRequests: client.clientRequests, ms: client.ms, errors: client.errors, note };
}
