import { KINDS, WORKSPACE_MEMBER_PREFIX, type Collection } from '../domain/kinds.js';
import { MAX_PAGE_SIZE } from '../domain/limits.js';
import type { ScopeName } from '../domain/scopes.js';
import type { AdminApi } from '../upstream/admin-api.js';
import { listBundles, listSlackWorkspaces } from '../upstream/resources/claude-tag.js';
import { listExternalKeys } from '../upstream/resources/external-keys.js';
import { listExternalStorage } from '../upstream/resources/external-storage.js';
import { listFederationIssuers, listFederationRules } from '../upstream/resources/federation.js';
import { listPluginMarketplaces, listPlugins } from '../upstream/resources/plugins.js';
import { listRbacGroups, listRbacRoles } from '../upstream/resources/rbac.js';
import { listServiceAccounts } from '../upstream/resources/service-accounts.js';
import { listSpendLimits } from '../upstream/resources/spend-limits.js';
import { listTelemetryDestinations } from '../upstream/resources/telemetry-destinations.js';
import { MAX_WEBHOOKS_PER_ORGANIZATION, listWebhooks } from '../upstream/resources/webhooks.js';
import type { AdminPage } from '../upstream/types.js';

/** One page of a family's list: its records and the cursor of the next page (null at the end). */
export interface ListPage {
  data: readonly unknown[];
  next: string | null;
}

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
  /** The upstream `type` of its records (`user`, `api_key`, …); null when they carry none. */
  readonly recordType: string | null;
  /** For records without a `type`: whether a value a write returned is one of the family's. */
  isRecord?(record: Record<string, unknown>): boolean;
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
  /**
   * Reads one page of the family's list (of `workspaceId` for a per-workspace family), after the
   * cursor the previous page gave (an id or a page token, as the list pages).
   */
  listPage(
    api: AdminApi,
    cursor: string | undefined,
    workspaceId: string | null,
  ): Promise<ListPage>;
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
/** The query of a token-paged list (`limit`, `page`). */
const tokenPage = (token: string | undefined, limit: number = MAX_PAGE_SIZE) => ({
  limit,
  ...(token ? { page: token } : {}),
});
/** A page of a list paged by ids (`has_more`, `last_id`). */
const byIds = async (read: Promise<AdminPage<unknown>>): Promise<ListPage> => {
  const listed = await read;
  return { data: listed.data, next: listed.has_more && listed.last_id ? listed.last_id : null };
};
/** A page of a list paged by tokens (`next_page`). */
const byTokens = async (
  read: Promise<{ data: readonly unknown[]; next_page?: string | null }>,
): Promise<ListPage> => {
  const listed = await read;
  return { data: listed.data, next: listed.next_page ?? null };
};
/** `archived` when the record has an `archived_at`, `active` otherwise. */
const archivedOrActive = (record: Record<string, unknown>) =>
  record.archived_at ? 'archived' : 'active';

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
    listPage: (api, afterId) => byIds(api.listUsers(page(afterId))),
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
    listPage: (api, afterId) => byIds(api.listInvites(page(afterId))),
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
    listPage: (api, afterId) =>
      byIds(api.listWorkspaces({ ...page(afterId), include_archived: true })),
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
      byIds(api.listWorkspaceMembers(workspaceId ?? '', page(afterId))),
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
    listPage: (api, afterId) => byIds(api.listApiKeys(page(afterId))),
    removedBy: [],
  },
  // The resources of the wider Admin API. Archivable ones are listed with their archived objects,
  // so that archiving shows as an update (status `archived`), not a removal.
  serviceAccount: {
    name: 'SERVICE_ACCOUNT',
    typename: KINDS.serviceAccount.typename,
    collection: KINDS.serviceAccount.collection,
    recordType: 'service_account',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: archivedOrActive,
    listPage: (api, token) =>
      byTokens(listServiceAccounts(api, { ...tokenPage(token), include_archived: true })),
    removedBy: [],
  },
  federationIssuer: {
    name: 'FEDERATION_ISSUER',
    typename: KINDS.federationIssuer.typename,
    collection: KINDS.federationIssuer.collection,
    recordType: 'federation_issuer',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: archivedOrActive,
    listPage: (api, token) =>
      byTokens(listFederationIssuers(api, { ...tokenPage(token), include_archived: true })),
    removedBy: [],
  },
  federationRule: {
    name: 'FEDERATION_RULE',
    typename: KINDS.federationRule.typename,
    collection: KINDS.federationRule.collection,
    recordType: 'federation_rule',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: (record) => str(record.workspace_id),
    statusOf: archivedOrActive,
    listPage: (api, token) =>
      byTokens(listFederationRules(api, { ...tokenPage(token), include_archived: true })),
    removedBy: [],
  },
  webhook: {
    name: 'WEBHOOK',
    typename: KINDS.webhook.typename,
    collection: KINDS.webhook.collection,
    // Webhook endpoints carry no `type`: they are told apart by their own fields.
    recordType: null,
    isRecord: (record) =>
      'enabled_events' in record && typeof record.id === 'string' && !('type' in record),
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: (record) => str(record.state),
    listPage: (api, afterId) =>
      byIds(
        listWebhooks(api, {
          limit: MAX_WEBHOOKS_PER_ORGANIZATION * 4,
          ...(afterId ? { after_id: afterId } : {}),
        }),
      ),
    removedBy: ['webhooks.delete'],
  },
  rbacGroup: {
    name: 'RBAC_GROUP',
    typename: KINDS.rbacGroup.typename,
    collection: KINDS.rbacGroup.collection,
    recordType: 'rbac_group',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listRbacGroups(api, tokenPage(token))),
    removedBy: ['rbac_groups.delete'],
  },
  rbacRole: {
    name: 'RBAC_ROLE',
    typename: KINDS.rbacRole.typename,
    collection: KINDS.rbacRole.collection,
    recordType: 'rbac_role',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listRbacRoles(api, tokenPage(token))),
    removedBy: [],
  },
  spendLimit: {
    name: 'SPEND_LIMIT',
    typename: KINDS.spendLimit.typename,
    collection: KINDS.spendLimit.collection,
    recordType: 'spend_limit',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: (record) => str((record.scope as Record<string, unknown> | null)?.workspace_id),
    statusOf: () => null,
    listPage: (api, token) => byTokens(listSpendLimits(api, tokenPage(token))),
    removedBy: ['spend_limits.delete'],
  },
  telemetryDestination: {
    name: 'TELEMETRY_DESTINATION',
    typename: KINDS.telemetryDestination.typename,
    collection: KINDS.telemetryDestination.collection,
    recordType: 'telemetry_destination',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: (record) => str(record.state),
    listPage: (api, token) => byTokens(listTelemetryDestinations(api, tokenPage(token))),
    removedBy: ['telemetry_destinations.delete'],
  },
  plugin: {
    name: 'PLUGIN',
    typename: KINDS.plugin.typename,
    collection: KINDS.plugin.collection,
    recordType: 'plugin',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listPlugins(api, tokenPage(token))),
    removedBy: ['plugins.delete'],
  },
  pluginMarketplace: {
    name: 'PLUGIN_MARKETPLACE',
    typename: KINDS.pluginMarketplace.typename,
    collection: KINDS.pluginMarketplace.collection,
    recordType: 'plugin_marketplace',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: (record) => str(record.sync_status),
    listPage: (api, token) => byTokens(listPluginMarketplaces(api, tokenPage(token))),
    removedBy: [],
  },
  claudeTagSlackWorkspace: {
    name: 'CLAUDE_TAG_SLACK_WORKSPACE',
    typename: KINDS.claudeTagSlackWorkspace.typename,
    collection: KINDS.claudeTagSlackWorkspace.collection,
    recordType: 'slack_workspace',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listSlackWorkspaces(api, tokenPage(token))),
    removedBy: [],
  },
  claudeTagBundle: {
    name: 'CLAUDE_TAG_BUNDLE',
    typename: KINDS.claudeTagBundle.typename,
    collection: KINDS.claudeTagBundle.collection,
    recordType: 'bundle',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listBundles(api, tokenPage(token))),
    removedBy: [],
  },
  externalKey: {
    name: 'EXTERNAL_KEY',
    typename: KINDS.externalKey.typename,
    collection: KINDS.externalKey.collection,
    recordType: 'external_key',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: () => null,
    listPage: (api, token) => byTokens(listExternalKeys(api, tokenPage(token))),
    removedBy: ['external_keys.delete'],
  },
  externalStorage: {
    name: 'EXTERNAL_STORAGE',
    typename: KINDS.externalStorage.typename,
    collection: KINDS.externalStorage.collection,
    recordType: 'external_storage',
    readScopes: [],
    perWorkspace: false,
    nodeId: (record) => String(record.id),
    workspaceOf: () => null,
    statusOf: (record) => str((record.status as Record<string, unknown> | null)?.type),
    listPage: (api, token) => byTokens(listExternalStorage(api, tokenPage(token))),
    removedBy: ['external_storage.delete'],
  },
} as const satisfies Record<string, LiveFamily>;

export type LiveFamilyKey = keyof typeof LIVE_FAMILIES;
export const LIVE_FAMILY_KEYS = Object.keys(LIVE_FAMILIES) as LiveFamilyKey[];

export function liveFamily(key: LiveFamilyKey): LiveFamily {
  return LIVE_FAMILIES[key];
}

/** The family a record (as a write returned it) belongs to, if one is watched. */
export function familyOfRecord(value: unknown): LiveFamilyKey | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  return (
    LIVE_FAMILY_KEYS.find((key) => {
      const family: LiveFamily = LIVE_FAMILIES[key];
      return family.recordType === null
        ? (family.isRecord?.(record) ?? false)
        : family.recordType === record.type;
    }) ?? null
  );
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

/** Field names that hold a secret (a webhook's `signing_secret`, …): never in an event. */
const SECRET_FIELD = /secret|private_key/i;

/**
 * A record as a write returned it, without the fields that hold secrets: what a create answers
 * once (a webhook's signing secret) must not travel on the bus, stay in the event log, or reach
 * subscribers.
 */
export function withoutSecrets(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([name]) => !SECRET_FIELD.test(name)),
  );
}
