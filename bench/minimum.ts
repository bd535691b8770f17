import {
  DEFAULT_SANDBOX_KEY as ADMIN_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  type Sandbox,
} from '../src/sandbox/index.js';
import type { CanonicalOperation, OperationKey } from './operations.js';

/** The fewest upstream requests the data allows for one operation, with the reasoning. */
export interface Minimum {
  requests: number;
  reasoning: string;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
}

interface Listed {
  id: string;
}

interface MemberItem {
  user_id: string;
}

interface KeyItem extends Listed {
  workspace_id: string | null;
  created_by: { id: string; type: string } | null;
}

interface PrincipalKeyItem extends Listed {
  principal?: { type: string; user_id?: string; service_account_id?: string; id?: string } | null;
}

interface SpendLimitItem extends Listed {
  scope: { type: string; user_id?: string } | null;
}

/** Largest Admin API page (CONTRACT.md §1.9). */
const MAX_PAGE = 1000;

/** Reads the sandbox over REST, as an all-knowing client would, to find what each op needs. */
async function rest<T>(
  sandbox: Sandbox,
  path: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = { 'x-api-key': ADMIN_KEY },
) {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(
    `${sandbox.url}/v1/organizations${path}${search ? `?${search}` : ''}`,
    {
      headers: { 'anthropic-version': '2023-06-01', ...headers },
    },
  );
  if (!response.ok) throw new Error(`oracle: ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** What one list call of up to 1000 items can show of a collection. */
interface Collection {
  name: string;
  /** Ids one list page shows. */
  listed: Set<string>;
  /** Whether the collection fits in one page (otherwise more pages would be needed). */
  onePage: boolean;
}

/**
 * The cheapest way to look up `ids` of one collection: nothing for none, one GET for one, else
 * one list page (when the collection fits in one) plus a GET for each id the list cannot show
 * (the Default Workspace, a withdrawn invite), or one GET per id when that is fewer.
 */
function lookupCost(ids: Set<string>, collection: Collection): { cost: number; note: string } {
  if (ids.size === 0) return { cost: 0, note: `no ${collection.name}` };
  if (ids.size === 1) return { cost: 1, note: `1 GET for the only ${collection.name} id` };
  // Nothing documents that a list holds every object: an id it does not show costs a GET.
  const hidden = [...ids].filter((id) => !collection.listed.has(id)).length;
  const viaList = collection.onePage ? 1 + hidden : Number.POSITIVE_INFINITY;
  if (viaList < ids.size) {
    const hiddenNote = hidden === 0 ? '' : ` + ${hidden} GET(s) for id(s) the list does not show`;
    return {
      cost: viaList,
      note: `${ids.size} distinct ${collection.name} → 1 list page of ≤${MAX_PAGE}${hiddenNote}`,
    };
  }
  return { cost: ids.size, note: `${ids.size} ${collection.name} → ${ids.size} GETs` };
}

function kindOf(id: string): 'user' | 'workspace' | 'apiKey' | 'invite' | null {
  if (id.startsWith('user_')) return 'user';
  if (id.startsWith('wrkspc_')) return 'workspace';
  if (id.startsWith('apikey_')) return 'apiKey';
  if (id.startsWith('invite_')) return 'invite';
  return null;
}

/**
 * Computes the minimum upstream requests of every canonical operation from the sandbox's data.
 * It makes REST calls of its own: clear the sandbox's request log afterwards.
 */
export async function computeMinimums(
  sandbox: Sandbox,
  operations: CanonicalOperation[],
): Promise<Record<OperationKey, Minimum>> {
  const all = { limit: String(MAX_PAGE) };
  const users = await rest<Page<Listed>>(sandbox, '/users', all);
  // The Default Workspace is listed when asked for (include_default, API version 2026-10-21).
  const workspaces = await rest<Page<Listed>>(
    sandbox,
    '/workspaces',
    { ...all, include_archived: 'true', include_default: 'true' },
    { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2026-10-21' },
  );
  const invites = await rest<Page<Listed>>(sandbox, '/invites', all);
  const keys = await rest<Page<KeyItem>>(sandbox, '/api_keys', all);
  const activeKeys = await rest<Page<KeyItem>>(sandbox, '/api_keys', { ...all, status: 'active' });
  const collection = (name: string, page: Page<Listed>): Collection => ({
    name,
    listed: new Set(page.data.map((item) => item.id)),
    onePage: !page.has_more,
  });
  const collections = {
    user: collection('users', users),
    workspace: collection('workspaces', workspaces),
    invite: collection('invites', invites),
    apiKey: collection('API keys', keys),
  };

  // Workspaces → members → users.
  const firstWorkspaces = await rest<Page<Listed>>(sandbox, '/workspaces', { limit: '10' });
  const memberUsers = new Set<string>();
  for (const workspace of firstWorkspaces.data) {
    const members = await rest<Page<MemberItem>>(sandbox, `/workspaces/${workspace.id}/members`, {
      limit: '50',
    });
    for (const member of members.data) memberUsers.add(member.user_id);
  }
  const w = firstWorkspaces.data.length;
  const memberLookup = lookupCost(memberUsers, collections.user);

  // API keys → creator, workspace.
  const keyPage = await rest<Page<KeyItem>>(sandbox, '/api_keys', { limit: '100' });
  const creators = new Set(
    keyPage.data.flatMap((key) => (key.created_by?.type === 'user' ? [key.created_by.id] : [])),
  );
  const keyWorkspaces = new Set(
    keyPage.data.flatMap((key) => (key.workspace_id ? [key.workspace_id] : [])),
  );
  const creatorLookup = lookupCost(creators, collections.user);
  const keyWorkspaceLookup = lookupCost(keyWorkspaces, collections.workspace);
  const defaultKeys = keyPage.data.filter((key) => key.workspace_id === null).length;

  // nodes over mixed ids.
  const ids = (operations.find((op) => op.key === 'nodes')?.variables?.['ids'] ?? []) as string[];
  const byKind = new Map<keyof typeof collections, Set<string>>();
  for (const id of ids) {
    const kind = kindOf(id);
    if (kind) byKind.set(kind, (byKind.get(kind) ?? new Set()).add(id));
  }
  const nodeParts = [...byKind].map(([kind, set]) => lookupCost(set, collections[kind]));

  // Dashboard: one users list of ≤1000 answers the users page and the user lookups it shows;
  // a member or key creator it does not show is asked for by id.
  const usersOnePage = collections.user.onePage;
  const activeOnePage = !activeKeys.has_more;
  const dashboardUsers = new Set(memberUsers);
  for (const workspace of firstWorkspaces.data) {
    const shown = activeKeys.data.filter((key) => key.workspace_id === workspace.id).slice(0, 5);
    for (const key of shown)
      if (key.created_by?.type === 'user') dashboardUsers.add(key.created_by.id);
  }
  const unlistedUsers = [...dashboardUsers].filter((id) => !collections.user.listed.has(id)).length;
  const dashboard =
    1 +
    (usersOnePage ? 1 + unlistedUsers : 1 + dashboardUsers.size) +
    1 +
    w +
    (activeOnePage ? 1 : w);

  return {
    users: { requests: 1, reasoning: '1 list call (`GET /users?limit=50`).' },
    members: {
      requests: 1 + w + memberLookup.cost,
      reasoning: `1 workspaces page (${w} workspaces) + 1 members page per workspace (${w}) + users: ${memberLookup.note} = ${1 + w + memberLookup.cost}.`,
    },
    apiKeys: {
      requests: 1 + creatorLookup.cost + keyWorkspaceLookup.cost,
      reasoning: `1 API-keys page (100 keys) + creators: ${creatorLookup.note} + workspaces: ${keyWorkspaceLookup.note} (${defaultKeys} key(s) of the Default Workspace have \`workspace_id: null\`: nothing to fetch) = ${1 + creatorLookup.cost + keyWorkspaceLookup.cost}.`,
    },
    nodes: {
      requests: nodeParts.reduce((sum, part) => sum + part.cost, 0),
      reasoning: `${nodeParts.map((part) => part.note).join('; ')} = ${nodeParts.reduce((sum, part) => sum + part.cost, 0)}.`,
    },
    dashboard: {
      requests: dashboard,
      reasoning:
        `1 \`GET /me\` (name) + 1 users list of ≤${MAX_PAGE} (${users.data.length} users: its first 50 are the users page, and it shows the members and key creators${unlistedUsers ? ` but ${unlistedUsers}, asked for by id` : ''}) + 1 workspaces page (${w}) + ${w} members pages + ` +
        (activeOnePage
          ? `1 list of all active keys (${activeKeys.data.length} ≤ ${MAX_PAGE}), grouped by workspace for the 5 per workspace`
          : `${w} active-key pages`) +
        ` = ${dashboard}. A plan that gives every connection its own list call needs 1 + 1 + 1 + ${w} + ${w} + 1 (users lookups) = ${4 + 2 * w}.`,
    },
  };
}

/**
 * The fewest upstream requests of the access review (ACCESS_REVIEW_OPERATION): 1 users list of
 * ≤1000, which, holding the whole organization, answers every member, key principal and
 * spend-limit user (an id it lacks is known gone: no GET); 1 service-accounts page (its 100 hold
 * every key's service-account principal, else 1 GET per one missing); 1 RBAC-groups page; 1
 * members page per group; 1 API-keys page; 1 spend-limits page. It makes REST calls of its own
 * (the service accounts with the sandbox's OAuth token): clear the sandbox's request log afterwards.
 */
export async function accessReviewMinimum(sandbox: Sandbox): Promise<Minimum> {
  const users = await rest<Page<Listed>>(sandbox, '/users', { limit: String(MAX_PAGE) });
  const usersOnePage = !users.has_more;
  const listedUsers = new Set(users.data.map((user) => user.id));
  const accounts = await rest<Page<Listed>>(
    sandbox,
    '/service_accounts',
    { limit: '100' },
    { authorization: `Bearer ${DEFAULT_SANDBOX_OAUTH_TOKEN}` },
  );
  const groups = await rest<Page<Listed>>(sandbox, '/rbac_groups', { limit: '20' });
  const referenced = new Set<string>();
  for (const group of groups.data) {
    const members = await rest<Page<MemberItem>>(sandbox, `/rbac_groups/${group.id}/members`, {
      limit: '100',
    });
    for (const member of members.data) referenced.add(member.user_id);
  }
  const keys = await rest<Page<PrincipalKeyItem>>(sandbox, '/api_keys', { limit: '100' });
  const principalAccounts = new Set<string>();
  for (const key of keys.data) {
    const principal = key.principal;
    const userId = principal?.user_id ?? (principal?.type.startsWith('user') ? principal.id : null);
    const accountId =
      principal?.service_account_id ??
      (principal?.type.startsWith('service_account') ? principal.id : null);
    if (userId) referenced.add(userId);
    if (accountId) principalAccounts.add(accountId);
  }
  const limits = await rest<Page<SpendLimitItem>>(sandbox, '/spend_limits', { limit: '100' });
  for (const limit of limits.data) if (limit.scope?.user_id) referenced.add(limit.scope.user_id);
  const g = groups.data.length;
  const listedAccounts = new Set(accounts.data.map((account) => account.id));
  const unlistedAccounts = [...principalAccounts].filter((id) => !listedAccounts.has(id)).length;
  const absentUsers = [...referenced].filter((id) => !listedUsers.has(id)).length;
  // The Admin API does not document that the users list holds every user an RBAC group, a key or
  // a spend limit can name (an RBAC member may belong to another organization of the enterprise),
  // so an id the list did not show is asked for by id: one GET each. Past 1000 users the list no
  // longer answers every lookup: one GET per referenced user then.
  const userLookups = usersOnePage ? absentUsers : referenced.size;
  const requests = 1 + 1 + unlistedAccounts + 1 + g + 1 + 1 + userLookups;
  return {
    requests,
    reasoning:
      `1 users list of ≤${MAX_PAGE} (${users.data.length} users: its first 100 are the users page, and it answers every member, principal and spend-limit user it shows)` +
      (userLookups
        ? usersOnePage
          ? ` + ${userLookups} user GET(s) for referenced ids the list did not show (nothing documents that it holds every user)`
          : ` + ${userLookups} user GETs (more than ${MAX_PAGE} users)`
        : '') +
      ` + 1 service-accounts page (${accounts.data.length}` +
      (unlistedAccounts
        ? `; ${unlistedAccounts} principal(s) not in it: ${unlistedAccounts} GET(s)`
        : `, every key's service-account principal among them`) +
      `) + 1 RBAC-groups page (${g} groups) + ${g} members pages + 1 API-keys page + 1 spend-limits page = ${requests}.`,
  };
}
