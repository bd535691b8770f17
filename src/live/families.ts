import { KINDS, WORKSPACE_MEMBER_PREFIX, type Collection } from '../domain/kinds.js';
import { MAX_PAGE_SIZE } from '../domain/limits.js';
import type { ScopeName } from '../domain/scopes.js';
import type { AdminApi } from '../upstream/admin-api.js';
import type { AdminPage } from '../upstream/types.js';

/**
 * The resource families the live graph watches, declared once: how to walk a family's list, how
 * to name its objects, which workspace and status an object has, and the scope needed to see it.
 * A new family is one entry here (its kind in src/domain/kinds.ts, its enum value in the schema
 * follows from `name`); the poller, the write hook, the filters and the authorisation read it.
 */
export interface LiveFamily {
  /** The ResourceKind enum value (USER, INVITE, …). */
  readonly name: string;
  /** The GraphQL type of its nodes (for descriptions). */
  readonly typename: string;
  /** The read-cache collection its objects live in. */
  readonly collection: Collection;
  /** The upstream `type` of its records (`user`, `api_key`, …). */
  readonly recordType: string;
  /** Scopes needed (beyond `read`) to receive its events (keys of SCOPES). */
  readonly readScopes: readonly ScopeName[];
  /**
   * Whether its list is per workspace (members): the poller walks one list per watched
   * workspace, or per active workspace when no workspace is named.
   */
  readonly perWorkspace: boolean;
  /** The node id of a record, as `node(id:)` takes it. */
  nodeId(record: Record<string, unknown>): string;
  /** The workspace a record belongs to (itself for a workspace), or null. */
  workspaceOf(record: Record<string, unknown>): string | null;
  /** A record's status as the Admin API writes it, or null when the kind has none. */
  statusOf(record: Record<string, unknown>): string | null;
  /** Reads one page of the family's list (of `workspaceId` for a per-workspace family). */
  listPage(
    api: AdminApi,
    afterId: string | undefined,
    workspaceId: string | null,
  ): Promise<AdminPage<unknown>>;
  /** The upstream operations whose write removes an object of the family. */
  readonly removedBy: readonly string[];
  /** Upstream field names whose GraphQL field has another name (`workspace_role` → `role`). */
  readonly fieldNames?: Readonly<Record<string, string>>;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const page = (afterId: string | undefined) => ({
  limit: MAX_PAGE_SIZE,
  ...(afterId ? { after_id: afterId } : {}),
});

export const LIVE_FAMILIES = {
  user: {
    name: 'USER',
    typename: KINDS.user.typename,
    collection: KINDS.user.collection,
    recordType: 'user',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, afterId) => api.listUsers(page(afterId)),
    removedBy: ['users.remove'],
  },
  invite: {
    name: 'INVITE',
    typename: KINDS.invite.typename,
    collection: KINDS.invite.collection,
    recordType: 'invite',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: (record) => str(record.status),
    listPage: (api, afterId) => api.listInvites(page(afterId)),
    removedBy: ['invites.delete'],
  },
  workspace: {
    name: 'WORKSPACE',
    typename: KINDS.workspace.typename,
    collection: KINDS.workspace.collection,
    recordType: 'workspace',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: (record) => str(record.id),
    statusOf: (record) => (record.archived_at ? 'archived' : 'active'),
    // Archived workspaces too, so that archiving shows as an update, not a removal.
    listPage: (api, afterId) => api.listWorkspaces({ ...page(afterId), include_archived: true }),
    removedBy: [],
  },
  workspaceMember: {
    name: 'WORKSPACE_MEMBER',
    typename: 'WorkspaceMember',
    collection: 'members',
    recordType: 'workspace_member',
    readScopes: [],
    perWorkspace: true,
    nodeId: (record) =>
      `${WORKSPACE_MEMBER_PREFIX}${String(record.workspace_id)}:${String(record.user_id)}`,
    workspaceOf: (record) => str(record.workspace_id),
    statusOf: () => null,
    listPage: (api, afterId, workspaceId) =>
      api.listWorkspaceMembers(workspaceId ?? '', page(afterId)),
    removedBy: ['workspace_members.remove'],
    fieldNames: { workspace_role: 'role' },
  },
  apiKey: {
    name: 'API_KEY',
    typename: KINDS.apiKey.typename,
    collection: KINDS.apiKey.collection,
    recordType: 'api_key',
    readScopes: [KINDS.apiKey.readScope],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: (record) => str(record.workspace_id),
    statusOf: (record) => str(record.status),
    listPage: (api, afterId) => api.listApiKeys(page(afterId)),
    removedBy: [],
  },
} as const satisfies Record<string, LiveFamily>;

export type LiveFamilyKey = keyof typeof LIVE_FAMILIES;
export const LIVE_FAMILY_KEYS = Object.keys(LIVE_FAMILIES) as LiveFamilyKey[];

export function liveFamily(key: LiveFamilyKey): LiveFamily {
  return LIVE_FAMILIES[key];
}

/** The family whose records have this upstream `type`, if one is watched. */
export function familyOfRecordType(type: unknown): LiveFamilyKey | null {
  return LIVE_FAMILY_KEYS.find((key) => LIVE_FAMILIES[key].recordType === type) ?? null;
}

/** The family a removing operation removes an object of, if any. */
export function familyRemovedBy(operation: string): LiveFamilyKey | null {
  return (
    LIVE_FAMILY_KEYS.find((key) =>
      (LIVE_FAMILIES[key].removedBy as readonly string[]).includes(operation),
    ) ?? null
  );
}

/** The GraphQL name of an upstream field: its own alias, or its camelCase. */
export function graphqlFieldName(family: LiveFamily, field: string): string {
  return (
    family.fieldNames?.[field] ??
    field.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
  );
}
