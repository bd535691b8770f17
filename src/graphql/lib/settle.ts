import type { AdminApi } from '../../upstream/admin-api.js';
import type {
  AdminApiKey,
  AdminInvite,
  AdminPage,
  AdminUser,
  AdminWorkspace,
  AdminWorkspaceMember,
} from '../../upstream/types.js';
import { createdSince, isNotFound } from './user-error.js';

/**
 * Read-backs for writes whose answer was lost (see runMutation's `settle`): each reads once what
 * the write would have changed and returns the result the write would have returned, or null when
 * the read does not show the change. They read through the AdminApi (not the request's loaders),
 * after the write dropped the cached reads of what it touches.
 */

/** Walks a list to its end (a few pages of 1000 at most) and returns the items that match. */
async function findAll<T>(
  list: (afterId: string | undefined) => Promise<AdminPage<T>>,
  match: (item: T) => boolean,
): Promise<T[]> {
  const found: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < 5; page++) {
    const { data, has_more, last_id } = await list(after);
    found.push(...data.filter(match));
    if (!has_more || !last_id) break;
    after = last_id;
  }
  return found;
}

const newest = <T>(items: T[], at: (item: T) => string): T | null =>
  items.sort((a, b) => Date.parse(at(b)) - Date.parse(at(a)))[0] ?? null;

const sameTags = (actual: Record<string, string>, sent: Record<string, string>) =>
  Object.keys(actual).length === Object.keys(sent).length &&
  Object.entries(sent).every(([key, value]) => actual[key] === value);

/** A workspace with that name (and tags), created after the call started. */
export const settleCreateWorkspace =
  (api: AdminApi, sent: { name: string; tags?: Record<string, string> }) =>
  async (startedAt: number): Promise<AdminWorkspace | null> => {
    const matches = await findAll(
      (after_id) => api.listWorkspaces({ limit: 1000, ...(after_id ? { after_id } : {}) }),
      (workspace) =>
        workspace.name === sent.name &&
        workspace.archived_at === null &&
        (!sent.tags || sameTags(workspace.tags, sent.tags)) &&
        createdSince(workspace.created_at, startedAt),
    );
    return newest(matches, (workspace) => workspace.created_at);
  };

/** The workspace now has the name and tags sent. */
export const settleUpdateWorkspace =
  (api: AdminApi, workspaceId: string, sent: { name?: string; tags?: Record<string, string> }) =>
  async (): Promise<AdminWorkspace | null> => {
    // A change of data residency alone cannot be told from the workspace as read.
    if (sent.name === undefined && sent.tags === undefined) return null;
    const workspace = await api.getWorkspace(workspaceId);
    if (sent.name !== undefined && workspace.name !== sent.name) return null;
    if (sent.tags !== undefined && !sameTags(workspace.tags, sent.tags)) return null;
    return workspace;
  };

/** The workspace is archived. */
export const settleArchiveWorkspace =
  (api: AdminApi, workspaceId: string) => async (): Promise<AdminWorkspace | null> => {
    const workspace = await api.getWorkspace(workspaceId);
    return workspace.archived_at !== null ? workspace : null;
  };

/** A pending invite for that address, sent after the call started. */
export const settleCreateInvite =
  (api: AdminApi, sent: { email: string; role: string; rbacGroupIds?: readonly string[] }) =>
  async (startedAt: number): Promise<AdminInvite | null> => {
    const email = sent.email.toLowerCase();
    const matches = await findAll(
      (after_id) =>
        api.listInvites({ limit: 1000, email: sent.email, ...(after_id ? { after_id } : {}) }),
      (invite) =>
        invite.email.toLowerCase() === email &&
        invite.status === 'pending' &&
        invite.role === sent.role &&
        createdSince(invite.invited_at, startedAt),
    );
    return newest(matches, (invite) => invite.invited_at);
  };

/** The invite is withdrawn (status deleted) or gone. */
export const settleDeleteInvite =
  (api: AdminApi, inviteId: string) => async (): Promise<{ id: string } | null> => {
    try {
      const invite = await api.getInvite(inviteId);
      return invite.status === 'deleted' ? { id: inviteId } : null;
    } catch (error) {
      if (isNotFound(error)) return { id: inviteId };
      throw error;
    }
  };

/** The member now has the role sent. */
export const settleUpdateUser =
  (api: AdminApi, userId: string, role: string) => async (): Promise<AdminUser | null> => {
    const user = await api.getUser(userId);
    return user.role === role ? user : null;
  };

/** The member is gone. */
export const settleRemoveUser =
  (api: AdminApi, userId: string) => async (): Promise<{ id: string } | null> => {
    try {
      await api.getUser(userId);
      return null;
    } catch (error) {
      if (isNotFound(error)) return { id: userId };
      throw error;
    }
  };

/** The workspace membership exists with the role sent (added or updated). */
export const settleWorkspaceMemberRole =
  (api: AdminApi, workspaceId: string, userId: string, role: string) =>
  async (): Promise<AdminWorkspaceMember | null> => {
    try {
      const member = await api.getWorkspaceMember(workspaceId, userId);
      return member.workspace_role === role ? member : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

/** The workspace membership is gone. */
export const settleRemoveWorkspaceMember =
  (api: AdminApi, workspaceId: string, userId: string) =>
  async (): Promise<{ user_id: string; workspace_id: string } | null> => {
    try {
      await api.getWorkspaceMember(workspaceId, userId);
      return null;
    } catch (error) {
      if (isNotFound(error)) return { user_id: userId, workspace_id: workspaceId };
      throw error;
    }
  };

/** The key now has the name and status sent. */
export const settleUpdateApiKey =
  (api: AdminApi, apiKeyId: string, sent: { name?: string; status?: string }) =>
  async (): Promise<AdminApiKey | null> => {
    const key = await api.getApiKey(apiKeyId);
    if (sent.name !== undefined && key.name !== sent.name) return null;
    if (sent.status !== undefined && key.status !== sent.status) return null;
    return key;
  };
