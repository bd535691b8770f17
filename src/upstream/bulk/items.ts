import type { BulkItemError, BulkKind, BulkTarget } from '../../db/bulk.js';
import type { AdminApi } from '../admin-api.js';
import { UpstreamError } from '../errors.js';

/** What one item's write does, and how a read tells whether it took effect. */
export interface BulkItemKind {
  /** Sends the item's one write. */
  apply(api: AdminApi, target: BulkTarget): Promise<unknown>;
  /**
   * Reads whether the item's change is in place: true (done), false (not applied: sending it is
   * safe and cannot apply it twice). Throws when the read itself fails.
   */
  applied(api: AdminApi, target: BulkTarget): Promise<boolean>;
  /** Whether a refusal says the change is already in place (a duplicate of a create). */
  duplicate?: (error: UpstreamError) => boolean;
  /** The item's input field a 404 blames. */
  notFound: (message: string) => string[];
}

type Member = { workspaceId: string; userId: string; role: string };
type Invite = { email: string; role: string };
type KeyUpdate = { apiKeyId: string; name?: string; status?: string };
type Removal = { userId: string };

const isNotFound = (error: unknown) =>
  error instanceof UpstreamError && error.kind === 'http' && error.status === 404;

/** The Admin API's 400 for an invite or membership that already exists. */
const DUPLICATE = /\balready (exists|belongs to|a member|has a pending|invited)\b/i;
const isDuplicate = (error: UpstreamError) =>
  (error.status === 400 || error.status === 409) && DUPLICATE.test(error.message);

export const BULK_ITEM_KINDS: Record<BulkKind, BulkItemKind> = {
  ADD_WORKSPACE_MEMBERS: {
    apply: (api, target) => {
      const { workspaceId, userId, role } = target as Member;
      return api.addWorkspaceMember(workspaceId, { user_id: userId, workspace_role: role });
    },
    // A membership that exists, with whatever role, is what adding it would have made.
    applied: async (api, target) => {
      const { workspaceId, userId } = target as Member;
      try {
        await api.getWorkspaceMember(workspaceId, userId);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    duplicate: isDuplicate,
    notFound: (message) =>
      /\bworkspace\b/i.test(message) && !/\b(user|member)\b/i.test(message)
        ? ['workspaceId']
        : ['userId'],
  },
  CREATE_INVITES: {
    apply: (api, target) => api.createInvite(target as Invite),
    // A pending invitation for the address, whoever sent it, is what sending one would have made.
    applied: async (api, target) => {
      const email = (target as Invite).email.toLowerCase();
      const page = await api.listInvites({ limit: 1000, email: (target as Invite).email });
      return page.data.some(
        (invite) => invite.email.toLowerCase() === email && invite.status === 'pending',
      );
    },
    duplicate: isDuplicate,
    notFound: () => ['email'],
  },
  UPDATE_API_KEYS: {
    apply: (api, target) => {
      const { apiKeyId, name, status } = target as KeyUpdate;
      return api.updateApiKey(apiKeyId, {
        ...(name !== undefined ? { name } : {}),
        ...(status !== undefined ? { status } : {}),
      });
    },
    // The key has the name and status sent (sending them again would change nothing).
    applied: async (api, target) => {
      const { apiKeyId, name, status } = target as KeyUpdate;
      const key = await api.getApiKey(apiKeyId);
      return (
        (name === undefined || key.name === name) && (status === undefined || key.status === status)
      );
    },
    notFound: () => ['apiKeyId'],
  },
  REMOVE_USERS: {
    apply: (api, target) => api.removeUser((target as Removal).userId),
    applied: async (api, target) => {
      try {
        await api.getUser((target as Removal).userId);
        return false;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    },
    notFound: () => ['userId'],
  },
};

/**
 * Whether a failed write may still have been carried out: it was sent and its answer was lost.
 * Not when nothing was sent (budget, open circuit, connection refused) nor when the Admin API
 * answered (as graphql/lib/errors.ts `writeMayHaveApplied`).
 */
export function mayHaveApplied(error: UpstreamError): boolean {
  if (error.kind === 'timeout') return true;
  return error.kind === 'connection' && error.errorType !== 'connection_refused';
}

/** A refusal of the Admin API as the item's user error; null when it is not the item's fault. */
export function itemError(kind: BulkItemKind, error: UpstreamError): BulkItemError | null {
  if (error.kind !== 'http' || error.status === null) return null;
  switch (error.status) {
    case 400:
    case 413:
    case 422:
      return {
        message: error.message,
        code: DUPLICATE.test(error.message) ? 'ALREADY_EXISTS' : 'INVALID_INPUT',
        field: null,
      };
    case 403:
      return { message: error.message, code: 'NOT_PERMITTED', field: null };
    case 404:
      return { message: error.message, code: 'NOT_FOUND', field: kind.notFound(error.message) };
    case 409:
      return { message: error.message, code: 'CONFLICT', field: null };
    default:
      return null;
  }
}
