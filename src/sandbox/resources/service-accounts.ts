import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, newestFirst } from '../transport/pagination.js';
import {
  enumField,
  objectBody,
  queryBoolean,
  queryValue,
  stringField,
} from '../transport/params.js';
import type { Query } from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { FIXTURE_IDS } from '../seed.js';
import type { SandboxStore, WorkspaceRecord } from '../store.js';
import { MICROS_PER_DAY, formatNullableTimestamp, formatTimestamp } from '../time.js';
import type { Micros } from '../time.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';
import { requireWorkspace } from './workspaces.js';

/*
 * Service accounts and their workspace memberships (EXTENDED.md §1–2, the SDK's doc comments).
 * These routes take only an OAuth access token (`Authorization: Bearer`, not shaped like an Admin
 * or API key): an Admin API key gets 403 `permission_error`, as "Admin API keys are not accepted".
 * Lists page by `page` tokens bound to the query that produced them (a token that names a
 * membership or account no longer listed is a 400). The state lives here, per store, reseeded
 * with the store (the seed's API keys already name four service accounts as principals).
 */

export type OrganizationRole = 'admin' | 'developer';
const ORGANIZATION_ROLES: readonly OrganizationRole[] = ['developer', 'admin'];
const MEMBER_ROLES = [
  'workspace_admin',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const;
type MemberRole = (typeof MEMBER_ROLES)[number];

interface AccountRecord {
  id: string;
  name: string;
  description: string | null;
  organizationRole: OrganizationRole;
  createdAt: Micros;
  createdBy: string | null;
  updatedAt: Micros;
  updatedBy: string | null;
  archivedAt: Micros | null;
  archivedBy: string | null;
}

interface MembershipRecord {
  serviceAccountId: string;
  workspaceId: string;
  role: MemberRole;
  createdAt: Micros;
  createdBy: string | null;
}

interface State {
  /** The store's workspace map this state was seeded for: a reset replaces it. */
  seededFor: Map<string, WorkspaceRecord>;
  accounts: Map<string, AccountRecord>;
  /** `workspace id:service account id` → explicit membership. */
  memberships: Map<string, MembershipRecord>;
}

const states = new WeakMap<SandboxStore, State>();

/** The actor the sandbox's OAuth token stands for: the organization's admin. */
const CALLER_ACTOR = FIXTURE_IDS.adminUser;

const SEED_NAMES: readonly (readonly [string, string | null, OrganizationRole])[] = [
  ['ci-deploy-bot', 'Deploys from CI through workload identity federation.', 'developer'],
  ['data-pipeline', 'Nightly batch jobs of the data team.', 'developer'],
  ['eval-runner', null, 'developer'],
  ['platform-admin-bot', 'Provisions workspaces for new teams.', 'admin'],
];

function seed(store: SandboxStore): State {
  const state: State = {
    seededFor: store.workspaces,
    accounts: new Map(),
    memberships: new Map(),
  };
  // The service accounts the seeded API keys act as, in the order the keys name them.
  const ids: string[] = [];
  for (const key of store.apiKeys.values()) {
    for (const actor of [key.principal, key.createdBy]) {
      if (actor?.type === 'service_account' && !ids.includes(actor.id)) ids.push(actor.id);
    }
  }
  while (ids.length < SEED_NAMES.length) ids.push(store.newId('svac_'));
  const anchor = store.clock.anchor;
  SEED_NAMES.forEach(([name, description, role], index) => {
    const createdAt = anchor - (120 - index * 20) * MICROS_PER_DAY;
    const id = ids[index] as string;
    state.accounts.set(id, {
      id,
      name,
      description,
      organizationRole: role,
      createdAt,
      createdBy: CALLER_ACTOR,
      updatedAt: createdAt,
      updatedBy: CALLER_ACTOR,
      archivedAt: null,
      archivedBy: null,
    });
  });
  const archivedAt = anchor - 10 * MICROS_PER_DAY;
  const archivedId = store.newId('svac_');
  state.accounts.set(archivedId, {
    id: archivedId,
    name: 'legacy-importer',
    description: 'Replaced by data-pipeline.',
    organizationRole: 'developer',
    createdAt: anchor - 300 * MICROS_PER_DAY,
    createdBy: CALLER_ACTOR,
    updatedAt: archivedAt,
    updatedBy: CALLER_ACTOR,
    archivedAt,
    archivedBy: CALLER_ACTOR,
  });
  const [deploy, pipeline, evals, platform] = ids;
  const production = FIXTURE_IDS.productionWorkspace;
  const other = [...store.workspaces.values()].find(
    (ws) => !ws.isDefault && ws.archivedAt === null && ws.id !== production,
  );
  const add = (
    account: string | undefined,
    workspaceId: string,
    role: MemberRole,
    days: number,
  ) => {
    if (!account) return;
    state.memberships.set(`${workspaceId}:${account}`, {
      serviceAccountId: account,
      workspaceId,
      role,
      createdAt: anchor - days * MICROS_PER_DAY,
      createdBy: CALLER_ACTOR,
    });
  };
  add(deploy, production, 'workspace_developer', 90);
  add(pipeline, production, 'workspace_restricted_developer', 70);
  if (other) add(pipeline, other.id, 'workspace_developer', 69);
  add(platform, production, 'workspace_admin', 50);
  add(platform, store.defaultWorkspaceId, 'workspace_developer', 49);
  add(evals, FIXTURE_IDS.archivedWorkspace, 'workspace_developer', 60);
  add(archivedId, production, 'workspace_developer', 200);
  return state;
}

/** This store's service accounts, seeded on first use and again after a reset. */
function stateOf(store: SandboxStore): State {
  const known = states.get(store);
  if (known && known.seededFor === store.workspaces) return known;
  const state = seed(store);
  states.set(store, state);
  return state;
}

function renderAccount(account: AccountRecord): unknown {
  return {
    id: account.id,
    archived_at: formatNullableTimestamp(account.archivedAt),
    archived_by_actor_id: account.archivedBy,
    created_at: formatTimestamp(account.createdAt),
    created_by_actor_id: account.createdBy,
    description: account.description,
    name: account.name,
    organization_role: account.organizationRole,
    type: 'service_account',
    updated_at: formatTimestamp(account.updatedAt),
    updated_by_actor_id: account.updatedBy,
  };
}

function renderMembership(membership: MembershipRecord): unknown {
  return {
    created_by_actor_id: membership.createdBy,
    implicit: false,
    service_account_id: membership.serviceAccountId,
    type: 'service_account_workspace_member',
    workspace_id: membership.workspaceId,
    workspace_role: membership.role,
  };
}

function renderImplicit(store: SandboxStore, account: AccountRecord): unknown {
  return {
    created_by_actor_id: null,
    implicit: true,
    service_account_id: account.id,
    type: 'service_account_workspace_member',
    workspace_id: store.defaultWorkspaceId,
    workspace_role: 'workspace_user',
  };
}

/**
 * Checks other resources run before a service account is archived (a live federation rule that
 * targets it refuses the archive); they throw the ApiError to answer.
 */
const archiveGuards: ((store: SandboxStore, serviceAccountId: string) => void)[] = [];

export function addServiceAccountArchiveGuard(
  guard: (store: SandboxStore, serviceAccountId: string) => void,
): void {
  archiveGuards.push(guard);
}

/** A service account as other resources see it (federation rule targets); null when none. */
export function serviceAccountInfo(
  store: SandboxStore,
  id: string,
): { id: string; name: string; archived: boolean } | null {
  const account = stateOf(store).accounts.get(id);
  return account ? { id, name: account.name, archived: account.archivedAt !== null } : null;
}

function requireAccount(store: SandboxStore, id: string | undefined): AccountRecord {
  const account = id === undefined ? undefined : stateOf(store).accounts.get(id);
  if (!account) throw notFound('No service account with the given ID exists in this organization.');
  return account;
}

function requireLiveAccount(store: SandboxStore, id: string | undefined): AccountRecord {
  const account = requireAccount(store, id);
  if (account.archivedAt !== null) {
    throw invalidRequest('service_account_id: the service account is archived.');
  }
  return account;
}

/** A workspace whose service-account memberships may be read or changed. */
function requireOpenWorkspace(store: SandboxStore, id: string | undefined): WorkspaceRecord {
  const ws = requireWorkspace(store, id);
  if (ws.archivedAt !== null) {
    throw invalidRequest('workspace_id: the workspace is archived.');
  }
  return ws;
}

function parseLimit(query: Query): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

const encodeToken = (key: string) => `page_${Buffer.from(key, 'utf8').toString('base64url')}`;
const decodeToken = (token: string) =>
  Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');

/**
 * One page of `items` (in list order), after the item the `page` token names. A token is bound
 * to its list and query; one whose item is no longer listed is a 400 naming `page`.
 */
function tokenPage<T>(
  store: SandboxStore,
  list: string,
  query: Query,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => unknown,
): { data: unknown[]; next_page: string | null; start: boolean } {
  const limit = parseLimit(query);
  const token = boundPageToken(store, list, query);
  let start = 0;
  if (token !== undefined) {
    const key = decodeToken(token);
    const at = items.findIndex((item) => keyOf(item) === key);
    if (at < 0) {
      throw invalidRequest(
        'page: the page token no longer matches an item of this list; restart from the first page',
      );
    }
    start = at + 1;
  }
  const slice = items.slice(start, start + limit);
  const last = slice.at(-1);
  const more = start + limit < items.length && last !== undefined;
  return {
    data: slice.map(render),
    next_page: issuePageToken(store, list, query, more ? encodeToken(keyOf(last)) : null),
    start: token === undefined,
  };
}

const byCreatedAt = newestFirst<AccountRecord>(
  (a) => a.createdAt,
  (a) => a.id,
);
const membershipsOldestFirst = (a: MembershipRecord, b: MembershipRecord) =>
  a.createdAt - b.createdAt || (a.workspaceId < b.workspaceId ? -1 : 1);

function membershipsOf(store: SandboxStore, account: AccountRecord): MembershipRecord[] {
  return [...stateOf(store).memberships.values()]
    .filter((m) => m.serviceAccountId === account.id && store.workspaces.has(m.workspaceId))
    .sort(membershipsOldestFirst);
}

function setMembership(
  store: SandboxStore,
  account: AccountRecord,
  ws: WorkspaceRecord,
  role: MemberRole,
): MembershipRecord {
  const key = `${ws.id}:${account.id}`;
  const memberships = stateOf(store).memberships;
  const existing = memberships.get(key);
  const membership: MembershipRecord = existing
    ? { ...existing, role }
    : {
        serviceAccountId: account.id,
        workspaceId: ws.id,
        role,
        createdAt: store.tick(),
        createdBy: CALLER_ACTOR,
      };
  memberships.set(key, membership);
  return membership;
}

function removeMembership(store: SandboxStore, wsId: string, accountId: string): unknown {
  stateOf(store).memberships.delete(`${wsId}:${accountId}`);
  return {
    service_account_id: accountId,
    type: 'service_account_workspace_member_deleted',
    workspace_id: wsId,
  };
}

const SA = '/v1/organizations/service_accounts';
const SA_ONE = `${SA}/:service_account_id`;
const WS_SA = '/v1/organizations/workspaces/:workspace_id/service_accounts';
const WS_SA_ONE = `${WS_SA}/:service_account_id`;

/** A route that takes only an OAuth access token. */
const oauthRoute = (...args: Parameters<typeof route>): Route => ({
  ...route(...args),
  accepts: 'oauth',
});

const ROLE_FIELD = { required: true } as const;

export const serviceAccountRoutes: Route[] = [
  oauthRoute('POST', SA, ({ store, body }) => {
    const input = objectBody(body, ['name', 'description', 'organization_role']);
    const name = stringField(input, 'name', { required: true, minLength: 1, maxLength: 64 });
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name as string)) {
      throw invalidRequest('name: must be a slug of lowercase letters, digits and hyphens');
    }
    const description = stringField(input, 'description', { nullable: true, maxLength: 1000 });
    const role = enumField(input, 'organization_role', ORGANIZATION_ROLES) ?? 'developer';
    const state = stateOf(store);
    for (const account of state.accounts.values()) {
      if (account.name === name) {
        throw new ApiError(409, `name: a service account named '${name}' already exists.`);
      }
    }
    const now = store.tick();
    const account: AccountRecord = {
      id: store.newId('svac_'),
      name: name as string,
      description: description ?? null,
      organizationRole: role,
      createdAt: now,
      createdBy: CALLER_ACTOR,
      updatedAt: now,
      updatedBy: CALLER_ACTOR,
      archivedAt: null,
      archivedBy: null,
    };
    state.accounts.set(account.id, account);
    return renderAccount(account);
  }),

  oauthRoute('GET', SA, ({ store, query }) => {
    const includeArchived = queryBoolean(query, 'include_archived', false);
    const items = [...stateOf(store).accounts.values()]
      .filter((account) => includeArchived || account.archivedAt === null)
      .sort(byCreatedAt);
    const { data, next_page } = tokenPage(
      store,
      'service_accounts',
      query,
      items,
      (a) => a.id,
      renderAccount,
    );
    return { data, next_page };
  }),

  oauthRoute('GET', SA_ONE, ({ store, params }) =>
    renderAccount(requireAccount(store, params['service_account_id'])),
  ),

  oauthRoute('POST', SA_ONE, ({ store, params, body }) => {
    const account = requireAccount(store, params['service_account_id']);
    const input = objectBody(body, ['description', 'organization_role']);
    const description = stringField(input, 'description', { nullable: true, maxLength: 1000 });
    const role = enumField(input, 'organization_role', ORGANIZATION_ROLES, { nullable: true });
    if (account.archivedAt !== null) {
      throw invalidRequest('An archived service account cannot be updated.');
    }
    // `null` clears the description (stored as an empty string).
    if (description !== undefined) account.description = description ?? '';
    if (role != null) account.organizationRole = role;
    account.updatedAt = store.tick();
    account.updatedBy = CALLER_ACTOR;
    return renderAccount(account);
  }),

  oauthRoute('POST', `${SA_ONE}/archive`, ({ store, params }) => {
    const account = requireAccount(store, params['service_account_id']);
    if (account.archivedAt === null) {
      for (const guard of archiveGuards) guard(store, account.id);
      account.archivedAt = store.tick();
      account.archivedBy = CALLER_ACTOR;
      account.updatedAt = account.archivedAt;
      account.updatedBy = CALLER_ACTOR;
    }
    return renderAccount(account);
  }),

  oauthRoute('POST', `${SA_ONE}/workspaces`, ({ store, params, body }) => {
    const account = requireLiveAccount(store, params['service_account_id']);
    const input = objectBody(body, ['workspace_id', 'workspace_role']);
    const wsId = stringField(input, 'workspace_id', { required: true, minLength: 1 }) as string;
    const role = enumField(input, 'workspace_role', MEMBER_ROLES, ROLE_FIELD) as MemberRole;
    const ws = requireOpenWorkspace(store, wsId);
    return renderMembership(setMembership(store, account, ws, role));
  }),

  oauthRoute('GET', `${SA_ONE}/workspaces`, ({ store, params, query }) => {
    const account = requireAccount(store, params['service_account_id']);
    const live = account.archivedAt === null;
    // An archived account lists nothing; its cursors match no active membership.
    const explicit = live ? membershipsOf(store, account) : [];
    const page = tokenPage(
      store,
      `service_accounts/${account.id}/workspaces`,
      query,
      explicit,
      (m) => m.workspaceId,
      renderMembership,
    );
    const hasDefault = explicit.some((m) => m.workspaceId === store.defaultWorkspaceId);
    const data =
      live && page.start && !hasDefault
        ? [renderImplicit(store, account), ...page.data]
        : page.data;
    return { data, next_page: page.next_page };
  }),

  oauthRoute('DELETE', `${SA_ONE}/workspaces/:workspace_id`, ({ store, params }) => {
    const account = requireAccount(store, params['service_account_id']);
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    return removeMembership(store, ws.id, account.id);
  }),

  oauthRoute('POST', WS_SA, ({ store, params, body }) => {
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    const input = objectBody(body, ['service_account_id', 'workspace_role']);
    const id = stringField(input, 'service_account_id', { required: true, minLength: 1 });
    const role = enumField(input, 'workspace_role', MEMBER_ROLES, ROLE_FIELD) as MemberRole;
    const account = requireLiveAccount(store, id as string);
    return renderMembership(setMembership(store, account, ws, role));
  }),

  oauthRoute('GET', WS_SA, ({ store, params, query }) => {
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    const accounts = stateOf(store).accounts;
    const items = [...stateOf(store).memberships.values()]
      .filter(
        (m) => m.workspaceId === ws.id && accounts.get(m.serviceAccountId)?.archivedAt === null,
      )
      .sort(
        (a, b) =>
          membershipsOldestFirst(a, b) || (a.serviceAccountId < b.serviceAccountId ? -1 : 1),
      );
    const { data, next_page } = tokenPage(
      store,
      `workspaces/${ws.id}/service_accounts`,
      query,
      items,
      (m) => m.serviceAccountId,
      renderMembership,
    );
    return { data, next_page };
  }),

  oauthRoute('GET', WS_SA_ONE, ({ store, params }) => {
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    const account = requireAccount(store, params['service_account_id']);
    if (account.archivedAt !== null) throw notFound('The service account is archived.');
    const membership = stateOf(store).memberships.get(`${ws.id}:${account.id}`);
    if (membership) return renderMembership(membership);
    if (ws.isDefault) return renderImplicit(store, account);
    throw notFound('The service account is not a member of this workspace.');
  }),

  oauthRoute('POST', WS_SA_ONE, ({ store, params, body }) => {
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    const input = objectBody(body, ['workspace_role']);
    const role = enumField(input, 'workspace_role', MEMBER_ROLES, ROLE_FIELD) as MemberRole;
    const account = requireLiveAccount(store, params['service_account_id']);
    const membership = stateOf(store).memberships.get(`${ws.id}:${account.id}`);
    if (!membership) {
      if (ws.isDefault) {
        throw invalidRequest(
          'The implicit Default Workspace membership cannot be updated; add the service account explicitly.',
        );
      }
      throw notFound('The service account is not a member of this workspace.');
    }
    return renderMembership(setMembership(store, account, ws, role));
  }),

  oauthRoute('DELETE', WS_SA_ONE, ({ store, params }) => {
    const ws = requireOpenWorkspace(store, params['workspace_id']);
    const account = requireAccount(store, params['service_account_id']);
    return removeMembership(store, ws.id, account.id);
  }),
];

/** The id of a service account of this store by its name (for tests and demos); throws if none. */
export function serviceAccountIdByName(store: SandboxStore, name: string): string {
  for (const account of stateOf(store).accounts.values()) {
    if (account.name === name) return account.id;
  }
  throw new Error(`no service account named ${name}`);
}
