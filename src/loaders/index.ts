import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
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
import { ListedCollection } from './batch.js';
import { partitionedFirstPages } from './partitioned-pages.js';

/** A workspace membership is addressed by its workspace and its user. */
export interface MemberKey {
  workspaceId: string;
  userId: string;
}

export const memberKey = (key: MemberKey) => `${key.workspaceId}:${key.userId}`;

/**
 * Per-request loaders: every lookup by id goes through one of these, so identical lookups in one
 * request cost one upstream call, several lookups share a list page, and whatever a list brought
 * is never fetched again in the same request.
 */
export interface Loaders {
  organization: () => Promise<AdminOrganization>;
  users: DataLoader<string, AdminUser | null>;
  invites: DataLoader<string, AdminInvite | null>;
  workspaces: DataLoader<string, AdminWorkspace | null>;
  apiKeys: DataLoader<string, AdminApiKey | null>;
  members: DataLoader<MemberKey, AdminWorkspaceMember | null, string>;
  /**
   * List pages for connections. Their items prime the loaders above, and lookups made while a
   * page is in flight wait for it rather than fetch what it may bring.
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
  const share = <T>(
    collection: ListedCollection<T>,
    page: Promise<AdminPage<T>>,
    wholeList = false,
  ) => (naive ? page : collection.track(page, wholeList));
  /** A query that lists the whole collection from its start: no filter, no cursor. */
  const unfiltered = (query: object) =>
    Object.entries(query).every(([key, value]) => key === 'limit' || value === undefined);

  const usersCollection = new ListedCollection<AdminUser>({
    idOf: (user) => user.id,
    getOne: (id) => api.getUser(id),
    listPage: (query) => api.listUsers(query),
    listIsComplete: true,
    onListed: (user) => users.prime(user.id, user),
  });

  const invitesCollection = new ListedCollection<AdminInvite>({
    idOf: (invite) => invite.id,
    getOne: (id) => api.getInvite(id),
    // Lists show pending, accepted and expired invites; withdrawn ones only by id.
    listPage: (query) => api.listInvites(query),
    listIsComplete: false,
    onListed: (invite) => invites.prime(invite.id, invite),
  });

  const workspacesCollection = new ListedCollection<AdminWorkspace>({
    idOf: (workspace) => workspace.id,
    getOne: (id) => api.getWorkspace(id),
    // The Default Workspace never appears in lists.
    listPage: (query) => api.listWorkspaces({ ...query, include_archived: true }),
    listIsComplete: false,
    onListed: (workspace) => workspaces.prime(workspace.id, workspace),
  });

  const apiKeysCollection = new ListedCollection<AdminApiKey>({
    idOf: (key) => key.id,
    getOne: (id) => api.getApiKey(id),
    listPage: (query) => api.listApiKeys(query),
    listIsComplete: true,
    onListed: (key) => apiKeys.prime(key.id, key),
  });

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
      collection = new ListedCollection<AdminWorkspaceMember>({
        idOf: (member) => member.user_id,
        getOne: (userId) => api.getWorkspaceMember(workspaceId, userId),
        listPage: (query) => api.listWorkspaceMembers(workspaceId, query),
        listIsComplete: true,
        onListed: (member) => members.prime({ workspaceId, userId: member.user_id }, member),
      });
      memberCollections.set(workspaceId, collection);
    }
    return collection;
  };

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
  const keysByWorkspace = partitionedFirstPages<AdminApiKey, KeyFilters>({
    partOf: (key) => key.workspace_id,
    listAll: (filters, query) => apiKeysCollection.track(api.listApiKeys({ ...filters, ...query })),
    listPart: (workspaceId, filters, query) =>
      api.listApiKeys({ ...filters, ...query, workspace_id: workspaceId }),
  });
  const keysByCreator = partitionedFirstPages<AdminApiKey, KeyFilters>({
    partOf: (key) => (key.created_by?.type === 'user' ? key.created_by.id : null),
    listAll: (filters, query) => apiKeysCollection.track(api.listApiKeys({ ...filters, ...query })),
    listPart: (userId, filters, query) =>
      api.listApiKeys({ ...filters, ...query, created_by_user_id: userId }),
  });
  /** A first page goes through the partitioned loader; later pages ask for the part itself. */
  const partPage = (
    loader: typeof keysByWorkspace,
    part: string,
    query: PageQuery & KeyFilters,
    direct: () => Promise<AdminPage<AdminApiKey>>,
  ) =>
    naive || query.after_id || query.before_id
      ? share(apiKeysCollection, direct())
      : share(
          apiKeysCollection,
          loader.load({ part, filters: filtersOf(query), limit: query.limit ?? 20 }),
        );

  return {
    organization: () => (naive ? api.getOrganization() : (organization ??= api.getOrganization())),
    users,
    invites,
    workspaces,
    apiKeys,
    members,
    pages: {
      users: (query) => share(usersCollection, api.listUsers(query), unfiltered(query)),
      invites: (query) => share(invitesCollection, api.listInvites(query)),
      workspaces: (query) => share(workspacesCollection, api.listWorkspaces(query)),
      apiKeys: (query) => share(apiKeysCollection, api.listApiKeys(query), unfiltered(query)),
      members: (workspaceId, query) =>
        share(membersOf(workspaceId), api.listWorkspaceMembers(workspaceId, query)),
      workspaceApiKeys: (workspaceId, query) =>
        partPage(keysByWorkspace, workspaceId, query, () =>
          api.listApiKeys({ ...query, workspace_id: workspaceId }),
        ),
      userApiKeys: (userId, query) =>
        partPage(keysByCreator, userId, query, () =>
          api.listApiKeys({ ...query, created_by_user_id: userId }),
        ),
    },
  };
}
