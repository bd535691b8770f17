import DataLoader from 'dataloader';
import type { AdminApi, PageReadOptions } from '../upstream/admin-api.js';
import type {
  AdminPage,
  ApiKeyListQuery,
  InviteListQuery,
  PageQuery,
  UserListQuery,
  WorkspaceListQuery,
  AdminApiKey,
  AdminInvite,
  AdminOrganization,
  AdminUser,
  AdminWorkspace,
  AdminWorkspaceMember,
} from '../upstream/types.js';
import { readKey, type Collection } from '../upstream/read-cache.js';
import { ListedCollection } from './batch.js';
import { normalizeEmail, usersByEmailBatch } from './users-by-email.js';
import { partitionedFirstPages } from './partitioned-pages.js';
import { MAX_PAGE_SIZE } from '../domain/limits.js';
import {
  federationIssuerLoader,
  federationRuleLoader,
  serviceAccountLoader,
} from './service-accounts.js';
import type { BetaServiceAccount } from '../upstream/resources/service-accounts.js';
import type { BetaFederationIssuer, BetaFederationRule } from '../upstream/resources/federation.js';
import { createSpendLimitLoader } from './spend-limits.js';
import type { BetaSpendLimit } from '../upstream/resources/spend-limits.js';
import { createWebhookLoader } from './webhooks.js';
import { createTelemetryDestinationLoader } from './telemetry-destinations.js';
import type { TelemetryDestination } from '../upstream/resources/telemetry-destinations.js';
import { createExternalKeyLoader, createExternalStorageLoader } from './external-data.js';
import type { ExternalKey } from '../upstream/resources/external-keys.js';
import type { ExternalStorage } from '../upstream/resources/external-storage.js';
import type { Webhook } from '../upstream/resources/webhooks.js';
import { createRbacLoaders, type RbacLoaders } from './rbac.js';
import {
  createClaudeCodeSettingsLoaders,
  type ClaudeCodeSettingsLoaders,
} from './claude-code-managed-settings.js';
import { createPluginLoaders, type PluginLoaders } from './plugins.js';
import { createClaudeTagLoaders, type ClaudeTagLoaders } from './claude-tag.js';

/** A workspace membership is addressed by its workspace and its user. */
export interface MemberKey {
  workspaceId: string;
  userId: string;
}

export const memberKey = (key: MemberKey) => `${key.workspaceId}:${key.userId}`;

/**
 * Per-request loaders: every lookup by id goes through one of these, so identical lookups in one
 * request cost one upstream call, several lookups share a list page, and whatever a list brought
 * is never fetched again in the same request. Every write made through the request's AdminApi
 * invalidates what they hold of the collections it touched (see `createLoaders`).
 */
export interface Loaders
  extends RbacLoaders, PluginLoaders, ClaudeTagLoaders, ClaudeCodeSettingsLoaders {
  organization: () => Promise<AdminOrganization>;
  /**
   * The organization's Default Workspace, or null when the Admin API shows none: the workspace
   * that `include_default` lists and the list without it does not (no field marks it). Costs a
   * walk of both lists (two requests up to 1000 workspaces), once per request.
   */
  defaultWorkspace: () => Promise<AdminWorkspace | null>;
  users: DataLoader<string, AdminUser | null>;
  /**
   * A user listed in this request since its last write, without a promise; undefined when none
   * was (then `users.load`). Never set in naive mode.
   */
  listedUser: (id: string) => AdminUser | undefined;
  /**
   * Asks for list pages the operation will ask for first, so that they are in flight from its
   * start instead of after the objects that lead to them (see OperationEstimate.prefetch): the
   * first page of the walk of a collection's lookups (users, workspaces, API keys, invites), or
   * with filters the first page of the shared walk of API keys. Others are left alone. Nothing
   * in naive mode.
   */
  prefetch: (
    reads: Iterable<{ collection: string; filters?: Readonly<Record<string, string>> }>,
  ) => void;
  invites: DataLoader<string, AdminInvite | null>;
  workspaces: DataLoader<string, AdminWorkspace | null>;
  apiKeys: DataLoader<string, AdminApiKey | null>;
  /** Service accounts by id (see service-accounts.ts). */
  serviceAccounts: DataLoader<string, BetaServiceAccount | null>;
  /** Federation issuers by id (see service-accounts.ts). */
  federationIssuers: DataLoader<string, BetaFederationIssuer | null>;
  /** Federation rules by id (see service-accounts.ts). */
  federationRules: DataLoader<string, BetaFederationRule | null>;
  members: DataLoader<MemberKey, AdminWorkspaceMember | null, string>;
  /** Members by email address (report rows name their actor by email); see users-by-email.ts. */
  usersByEmail: DataLoader<string, AdminUser | null, string>;
  /** Spend limits by id (src/loaders/spend-limits.ts). */
  spendLimits: DataLoader<string, BetaSpendLimit | null>;
  /** Organization webhook endpoints by id (src/loaders/webhooks.ts). */
  webhooks: DataLoader<string, Webhook | null>;
  /** Telemetry destinations by id (src/loaders/telemetry-destinations.ts). */
  telemetryDestinations: DataLoader<string, TelemetryDestination | null>;
  /** External keys (CMEK configurations) by id (src/loaders/external-data.ts). */
  externalKeys: DataLoader<string, ExternalKey | null>;
  /** External storage by id (src/loaders/external-data.ts). */
  externalStorage: DataLoader<string, ExternalStorage | null>;
  /**
   * List pages for connections. Their items answer later lookups of the loaders above, and
   * lookups made while a page is in flight wait for it rather than fetch what it may bring.
   */
  pages: {
    users: (query: UserListQuery) => Promise<AdminPage<AdminUser>>;
    invites: (query: InviteListQuery) => Promise<AdminPage<AdminInvite>>;
    workspaces: (query: WorkspaceListQuery) => Promise<AdminPage<AdminWorkspace>>;
    apiKeys: (query: ApiKeyListQuery) => Promise<AdminPage<AdminApiKey>>;
    members: (workspaceId: string, query: PageQuery) => Promise<AdminPage<AdminWorkspaceMember>>;
    /** A workspace's keys: first pages of several workspaces share one walk of all keys. */
    workspaceApiKeys: (
      workspaceId: string,
      query: PageQuery & { status?: string },
    ) => Promise<AdminPage<AdminApiKey>>;
    /** The keys a user created: first pages of several users share one walk of all keys. */
    userApiKeys: (
      userId: string,
      query: PageQuery & { status?: string },
    ) => Promise<AdminPage<AdminApiKey>>;
  };
}

/** How the walks of ListedCollection read their pages: handed over as they arrive. */
const WALK: PageReadOptions = { urgent: true };

export interface LoaderOptions {
  /**
   * Batch and cache lookups (the default). Off, every lookup is its own request, as in a naive
   * resolver tree: the benchmark's baseline.
   */
  batch?: boolean;
}

export function createLoaders(api: AdminApi, options: LoaderOptions = {}): Loaders {
  const naive = options.batch === false;
  const loaderOptions = naive ? { batch: false, cache: false } : {};
  let organization: Promise<AdminOrganization> | undefined;
  /** A query that lists the whole collection from its start: no filter, no cursor. */
  const unfiltered = (query: object) =>
    Object.entries(query).every(([key, value]) => key === 'limit' || value === undefined);

  /**
   * List pages read in this request, by collection and query: the same page asked twice (a walk
   * for lookups, a connection, a count) costs one request. Dropped by a write to the collection.
   */
  const pageMemo = new Map<Collection, Map<string, Promise<AdminPage<unknown>>>>();
  /**
   * A list page, tracked by its collection (its items answer lookups; lookups wait for it) and
   * shared within the request.
   */
  function listed<T>(
    name: Collection,
    collection: ListedCollection<T>,
    query: object,
    fetch: () => Promise<AdminPage<T>>,
  ): Promise<AdminPage<T>> {
    if (naive) return fetch();
    let pages = pageMemo.get(name);
    if (!pages) pageMemo.set(name, (pages = new Map()));
    const key = readKey(name, query);
    const known = pages.get(key) as Promise<AdminPage<T>> | undefined;
    if (known) return known;
    const page = collection.track(fetch(), unfiltered(query));
    pages.set(key, page);
    // A failed page is not kept: asking again may succeed.
    page.catch(() => pages.get(key) === page && pages.delete(key));
    return page;
  }

  const usersCollection: ListedCollection<AdminUser> = new ListedCollection<AdminUser>({
    idOf: (user) => user.id,
    getOne: (id) => api.getUser(id),
    listPage: (query) => listed('users', usersCollection, query, () => api.listUsers(query, WALK)),
  });

  const invitesCollection: ListedCollection<AdminInvite> = new ListedCollection<AdminInvite>({
    idOf: (invite) => invite.id,
    getOne: (id) => api.getInvite(id),
    // Lists show pending, accepted and expired invites; withdrawn ones only by id.
    listPage: (query) =>
      listed('invites', invitesCollection, query, () => api.listInvites(query, WALK)),
  });

  /** Workspaces a list showed (the lookup walk includes the Default Workspace). */
  const listedWorkspaces = new Set<string>();
  const workspacesCollection: ListedCollection<AdminWorkspace> =
    new ListedCollection<AdminWorkspace>({
      idOf: (workspace) => workspace.id,
      getOne: (id) => api.getWorkspace(id),
      // The walk asks for archived workspaces and the Default Workspace too, so that every
      // workspace a key or a member names can be found in it; the search for the Default
      // Workspace shares its pages.
      listPage: (query) => {
        const wide = { ...query, include_archived: true, include_default: true };
        return listed('workspaces', workspacesCollection, wide, () =>
          api.listWorkspaces(wide, WALK),
        );
      },
      onListed: (workspace) => listedWorkspaces.add(workspace.id),
    });

  const apiKeysCollection: ListedCollection<AdminApiKey> = new ListedCollection<AdminApiKey>({
    idOf: (key) => key.id,
    getOne: (id) => api.getApiKey(id),
    listPage: (query) =>
      listed('apiKeys', apiKeysCollection, query, () => api.listApiKeys(query, WALK)),
  });

  /** The collections whose lookups walk their list, by name. */
  const walked = new Map<string, { prefetch(): void }>([
    ['users', usersCollection],
    ['invites', invitesCollection],
    ['workspaces', workspacesCollection],
    ['apiKeys', apiKeysCollection],
  ]);

  const users: Loaders['users'] = new DataLoader(usersCollection.load, loaderOptions);
  const invites: Loaders['invites'] = new DataLoader(invitesCollection.load, loaderOptions);
  const workspaces: Loaders['workspaces'] = new DataLoader(
    workspacesCollection.load,
    loaderOptions,
  );
  const apiKeys: Loaders['apiKeys'] = new DataLoader(apiKeysCollection.load, loaderOptions);

  const memberCollections = new Map<string, ListedCollection<AdminWorkspaceMember>>();
  const membersOf = (workspaceId: string) => {
    let collection = memberCollections.get(workspaceId);
    if (!collection) {
      const created: ListedCollection<AdminWorkspaceMember> =
        new ListedCollection<AdminWorkspaceMember>({
          idOf: (member) => member.user_id,
          getOne: (userId) => api.getWorkspaceMember(workspaceId, userId),
          listPage: (query) => memberPage(workspaceId, created, query, WALK),
        });
      memberCollections.set(workspaceId, (collection = created));
    }
    return collection;
  };
  const memberPage = (
    workspaceId: string,
    collection: ListedCollection<AdminWorkspaceMember>,
    query: PageQuery,
    options?: PageReadOptions,
  ) =>
    listed('members', collection, { workspaceId, ...query }, () =>
      api.listWorkspaceMembers(workspaceId, query, options),
    );

  const members: Loaders['members'] = new DataLoader(
    async (keys) => {
      const byWorkspace = new Map<string, string[]>();
      for (const key of keys) {
        const userIds = byWorkspace.get(key.workspaceId);
        if (userIds) userIds.push(key.userId);
        else byWorkspace.set(key.workspaceId, [key.userId]);
      }
      const resolved = new Map<string, AdminWorkspaceMember | null | Error>();
      await Promise.all(
        [...byWorkspace].map(async ([workspaceId, userIds]) => {
          const results = await membersOf(workspaceId).load(userIds);
          userIds.forEach((userId, index) => {
            resolved.set(memberKey({ workspaceId, userId }), results[index] ?? null);
          });
        }),
      );
      return keys.map((key) => resolved.get(memberKey(key)) ?? null);
    },
    { cacheKeyFn: memberKey, ...loaderOptions },
  );

  type KeyFilters = { status?: string };
  const filtersOf = (query: PageQuery & KeyFilters): KeyFilters =>
    query.status ? { status: query.status } : {};
  const keyPage = (query: ApiKeyListQuery) =>
    listed('apiKeys', apiKeysCollection, query, () => api.listApiKeys(query));
  const keysByWorkspace = partitionedFirstPages<AdminApiKey, KeyFilters>({
    // A key's scope names its workspace by its real id, the Default Workspace's included; an
    // organization-scoped key belongs to no workspace.
    partOf: (key) => (key.scope.type === 'workspace' ? key.scope.workspace_id : null),
    provenDistinct: (workspaceId) => listedWorkspaces.has(workspaceId),
    listAll: (filters, query) => keyPage({ ...filters, ...query }),
    listPart: (workspaceId, filters, query) =>
      keyPage({ ...filters, ...query, workspace_id: workspaceId }),
  });
  const keysByCreator = partitionedFirstPages<AdminApiKey, KeyFilters>({
    partOf: (key) => (key.created_by?.type === 'user' ? key.created_by.id : null),
    listAll: (filters, query) => keyPage({ ...filters, ...query }),
    listPart: (userId, filters, query) =>
      keyPage({ ...filters, ...query, created_by_user_id: userId }),
  });
  /** A first page goes through the partitioned loader; later pages ask for the part itself. */
  const partPage = (
    loader: typeof keysByWorkspace,
    part: string,
    query: PageQuery & KeyFilters,
    direct: ApiKeyListQuery,
  ) =>
    naive || query.after_id || query.before_id
      ? keyPage(direct)
      : loader.load({ part, filters: filtersOf(query), limit: query.limit ?? 20 });

  /**
   * The one way a write reaches the request's state: for each collection it touched, the per-id
   * loaders, the shared list pages, the walks' progress and pages in flight, and the first pages
   * of partitioned walks are dropped, so that whatever is read after the write is read anew.
   */
  const invalidate = (collections: readonly Collection[]) => {
    for (const name of collections) {
      pageMemo.delete(name);
      switch (name) {
        case 'organization':
          organization = undefined;
          break;
        case 'users':
          users.clearAll();
          loaders.usersByEmail.clearAll();
          usersCollection.reset();
          break;
        case 'invites':
          invites.clearAll();
          invitesCollection.reset();
          break;
        case 'workspaces':
          defaultWorkspace = undefined;
          workspaces.clearAll();
          workspacesCollection.reset();
          break;
        case 'apiKeys':
          apiKeys.clearAll();
          apiKeysCollection.reset();
          keysByWorkspace.clearAll();
          keysByCreator.clearAll();
          break;
        case 'members':
          members.clearAll();
          for (const collection of memberCollections.values()) collection.reset();
          break;
        default:
          break;
      }
    }
  };
  api.onWrite(invalidate);

  /** Every workspace of one list (archived ones included), walked in pages of 1000. */
  const walkWorkspaces = async (includeDefault: boolean) => {
    const all: AdminWorkspace[] = [];
    for (let after: string | null = null; ;) {
      const query: WorkspaceListQuery = {
        limit: MAX_PAGE_SIZE,
        include_archived: true,
        ...(includeDefault ? { include_default: true } : {}),
        ...(after ? { after_id: after } : {}),
      };
      const page = await listed('workspaces', workspacesCollection, query, () =>
        api.listWorkspaces(query),
      );
      all.push(...page.data);
      if (!page.has_more || !page.last_id) return all;
      after = page.last_id;
    }
  };
  const findDefaultWorkspace = async () => {
    const [withDefault, without] = await Promise.all([walkWorkspaces(true), walkWorkspaces(false)]);
    const plain = new Set(without.map((workspace) => workspace.id));
    return withDefault.find((workspace) => !plain.has(workspace.id)) ?? null;
  };
  let defaultWorkspace: Promise<AdminWorkspace | null> | undefined;

  // Families made on first use (each registers its own write listener when made, so a family
  // made after a write starts empty, as one made before it is emptied by it).
  let serviceAccounts: Loaders['serviceAccounts'] | undefined;
  let federationIssuers: Loaders['federationIssuers'] | undefined;
  let federationRules: Loaders['federationRules'] | undefined;
  let webhooks: Loaders['webhooks'] | undefined;
  let telemetryDestinations: Loaders['telemetryDestinations'] | undefined;
  let externalKeys: Loaders['externalKeys'] | undefined;
  let externalStorage: Loaders['externalStorage'] | undefined;
  let spendLimits: Loaders['spendLimits'] | undefined;
  let rbacFamily: RbacLoaders | undefined;
  const rbac = () => (rbacFamily ??= createRbacLoaders(api, options));
  let claudeTagFamily: ClaudeTagLoaders | undefined;
  const claudeTag = () => (claudeTagFamily ??= createClaudeTagLoaders(api, options));
  let pluginFamily: PluginLoaders | undefined;
  const plugins = () => (pluginFamily ??= createPluginLoaders(api, options));
  let claudeCodeSettings: ClaudeCodeSettingsLoaders | undefined;

  const loaders: Loaders = {
    organization: () => (naive ? api.getOrganization() : (organization ??= api.getOrganization())),
    defaultWorkspace: () => {
      if (naive) return findDefaultWorkspace();
      defaultWorkspace ??= findDefaultWorkspace();
      // A failed search is not kept: asking again may succeed.
      defaultWorkspace.catch(() => (defaultWorkspace = undefined));
      return defaultWorkspace;
    },
    users,
    listedUser: (id) => (naive ? undefined : usersCollection.listedItem(id)),
    prefetch: (reads) => {
      if (naive) return;
      for (const { collection, filters } of reads) {
        if (!filters) walked.get(collection)?.prefetch();
        // The first page of the shared walk of keys (partitioned-pages.ts), as it asks for it.
        else if (collection === 'apiKeys') {
          keyPage({ ...filters, limit: MAX_PAGE_SIZE }).catch(() => undefined);
        }
      }
    },
    invites,
    workspaces,
    apiKeys,
    get serviceAccounts() {
      return (serviceAccounts ??= serviceAccountLoader(api, loaderOptions));
    },
    get federationIssuers() {
      return (federationIssuers ??= federationIssuerLoader(api, loaderOptions));
    },
    get federationRules() {
      return (federationRules ??= federationRuleLoader(api, loaderOptions));
    },
    members,
    pages: {
      users: (query) => listed('users', usersCollection, query, () => api.listUsers(query)),
      invites: (query) => listed('invites', invitesCollection, query, () => api.listInvites(query)),
      workspaces: (query) =>
        listed('workspaces', workspacesCollection, query, () => api.listWorkspaces(query)),
      apiKeys: keyPage,
      members: (workspaceId, query) => memberPage(workspaceId, membersOf(workspaceId), query),
      workspaceApiKeys: (workspaceId, query) =>
        partPage(keysByWorkspace, workspaceId, query, { ...query, workspace_id: workspaceId }),
      userApiKeys: (userId, query) =>
        partPage(keysByCreator, userId, query, { ...query, created_by_user_id: userId }),
    },
    // The other families are made on first use: most requests touch none of them.
    get webhooks() {
      return (webhooks ??= createWebhookLoader(api, options));
    },
    get telemetryDestinations() {
      return (telemetryDestinations ??= createTelemetryDestinationLoader(api, options));
    },
    get externalKeys() {
      return (externalKeys ??= createExternalKeyLoader(api, options));
    },
    get externalStorage() {
      return (externalStorage ??= createExternalStorageLoader(api, options));
    },
    get spendLimits() {
      return (spendLimits ??= createSpendLimitLoader(api, options));
    },
    get rbacGroups() {
      return rbac().rbacGroups;
    },
    get rbacRoles() {
      return rbac().rbacRoles;
    },
    get rbacPages() {
      return rbac().rbacPages;
    },
    get claudeTagSlackWorkspaces() {
      return claudeTag().claudeTagSlackWorkspaces;
    },
    get claudeTagSlackWorkspacesBySlackId() {
      return claudeTag().claudeTagSlackWorkspacesBySlackId;
    },
    get claudeTagSlackChannels() {
      return claudeTag().claudeTagSlackChannels;
    },
    get claudeTagBundles() {
      return claudeTag().claudeTagBundles;
    },
    get plugins() {
      return plugins().plugins;
    },
    get pluginVersions() {
      return plugins().pluginVersions;
    },
    get pluginMarketplaces() {
      return plugins().pluginMarketplaces;
    },
    get claudeCodeManagedSettings() {
      return (claudeCodeSettings ??= createClaudeCodeSettingsLoaders(api, options))
        .claudeCodeManagedSettings;
    },
    usersByEmail: new DataLoader((emails) => usersByEmailBatch(loaders.pages.users, emails), {
      cacheKeyFn: normalizeEmail,
      ...loaderOptions,
    }),
  };
  return loaders;
}

/**
 * The request's loaders, made on first use: a request answered whole from the result cache, or
 * refused before it runs, never builds them (and never registers their write listener).
 */
export function lazyLoaders(api: AdminApi, options: LoaderOptions = {}): Loaders {
  let loaders: Loaders | undefined;
  const real = () => (loaders ??= createLoaders(api, options));
  return new Proxy({} as Loaders, {
    get: (_target, property) => Reflect.get(real(), property),
    has: (_target, property) => Reflect.has(real(), property),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), property);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
