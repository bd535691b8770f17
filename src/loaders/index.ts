import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import type {
  AdminApiKey,
  AdminInvite,
  AdminOrganization,
  AdminUser,
  AdminWorkspace,
  AdminWorkspaceMember,
} from '../upstream/types.js';
import { ListedCollection } from './batch.js';

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
}

export function createLoaders(api: AdminApi): Loaders {
  let organization: Promise<AdminOrganization> | undefined;

  const users: Loaders['users'] = new DataLoader(
    new ListedCollection<AdminUser>({
      idOf: (user) => user.id,
      getOne: (id) => api.getUser(id),
      listPage: (query) => api.listUsers(query),
      listIsComplete: true,
      onListed: (user) => users.prime(user.id, user),
    }).load,
  );

  const invites: Loaders['invites'] = new DataLoader(
    new ListedCollection<AdminInvite>({
      idOf: (invite) => invite.id,
      getOne: (id) => api.getInvite(id),
      // Lists show pending, accepted and expired invites; withdrawn ones only by id.
      listPage: (query) => api.listInvites(query),
      listIsComplete: false,
      onListed: (invite) => invites.prime(invite.id, invite),
    }).load,
  );

  const workspaces: Loaders['workspaces'] = new DataLoader(
    new ListedCollection<AdminWorkspace>({
      idOf: (workspace) => workspace.id,
      getOne: (id) => api.getWorkspace(id),
      // The Default Workspace never appears in lists.
      listPage: (query) => api.listWorkspaces({ ...query, include_archived: true }),
      listIsComplete: false,
      onListed: (workspace) => workspaces.prime(workspace.id, workspace),
    }).load,
  );

  const apiKeys: Loaders['apiKeys'] = new DataLoader(
    new ListedCollection<AdminApiKey>({
      idOf: (key) => key.id,
      getOne: (id) => api.getApiKey(id),
      listPage: (query) => api.listApiKeys(query),
      listIsComplete: true,
      onListed: (key) => apiKeys.prime(key.id, key),
    }).load,
  );

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
        byWorkspace.set(key.workspaceId, [...(byWorkspace.get(key.workspaceId) ?? []), key.userId]);
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
    { cacheKeyFn: memberKey },
  );

  return {
    organization: () => (organization ??= api.getOrganization()),
    users,
    invites,
    workspaces,
    apiKeys,
    members,
  };
}
