/**
 * The registry of resource kinds: what each kind of Admin API object is, once. Ids, lookups,
 * `node`/`nodes`, federation references, the cost estimate, the read cache and the emulator all
 * read it, so that a new resource is one entry here plus its schema file and its emulator file.
 *
 * Nothing here imports another layer: the registry names loaders, cache collections and scopes by
 * their keys, and each layer resolves the names it owns.
 */

/** Collections of the read cache; a write names those it changes. */
export const COLLECTIONS = [
  'organization',
  'users',
  'invites',
  'workspaces',
  'members',
  'apiKeys',
  'reports',
  'spendLimits',
  'compliance',
  'serviceAccounts',
  'federation',
  'webhooks',
  'rbacGroups',
  'rbacRoles',
  'telemetry',
  'externalKeys',
  'externalStorage',
  'googleDataControls',
  'plugins',
  'claudeTag',
  'claudeCodeSettings',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** Collections whose size the gateway learns from list pages (for the cost estimate). */
export type SizedCollection = 'users' | 'invites' | 'workspaces' | 'archivedWorkspaces' | 'apiKeys';

export interface ResourceKind {
  /** The GraphQL type of objects of this kind. */
  readonly typename: string;
  /** What an id of this kind looks like; caller ids are checked against it before any URL. */
  readonly pattern: RegExp;
  /** The id's prefix as the Admin API writes it (null when the id is not prefixed). */
  readonly prefix: string | null;
  /** How messages name objects of this kind together: `API keys`. */
  readonly plural: string;
  /** How an error names the expected id: `a user id (user_…)`. */
  readonly label: string;
  /** The read-cache collection its records live in (and writes to it invalidate). */
  readonly collection: Collection;
  /** The per-request loader that looks one up by id (a key of the loaders), if any. */
  readonly loader:
    | 'users'
    | 'invites'
    | 'workspaces'
    | 'apiKeys'
    | 'organization'
    | 'serviceAccounts'
    | 'federationIssuers'
    | 'federationRules'
    | 'webhooks'
    | 'rbacGroups'
    | 'rbacRoles'
    | 'spendLimits'
    | 'telemetryDestinations'
    | 'plugins'
    | 'pluginVersions'
    | 'pluginMarketplaces'
    | 'claudeTagSlackWorkspaces'
    | 'claudeTagSlackChannels'
    | 'claudeTagBundles'
    | 'externalKeys'
    | 'externalStorage';
  /** The collection size that bounds lookups of this kind in the cost estimate. */
  readonly sized?: SizedCollection;
  /** A scope needed beyond `read` to see objects of this kind (a key of SCOPES). */
  readonly readScope?: 'apiKeysRead';
  /**
   * The SDK methods that read it (dotted paths under `client.beta.organization`, as in the
   * coverage table, which a test checks them against).
   */
  readonly calls: { readonly get: string; readonly list: string };
}

const prefixed = (prefix: string) => new RegExp(`^${prefix}[A-Za-z0-9]{1,64}$`);

export const KINDS = {
  user: {
    typename: 'User',
    plural: 'users',
    prefix: 'user_',
    pattern: prefixed('user_'),
    label: 'a user id (user_…)',
    collection: 'users',
    loader: 'users',
    sized: 'users',
    calls: { get: 'users.retrieve', list: 'users.list' },
  },
  invite: {
    typename: 'Invite',
    plural: 'invites',
    prefix: 'invite_',
    pattern: prefixed('invite_'),
    label: 'an invite id (invite_…)',
    collection: 'invites',
    loader: 'invites',
    sized: 'invites',
    calls: { get: 'invites.retrieve', list: 'invites.list' },
  },
  workspace: {
    typename: 'Workspace',
    plural: 'workspaces',
    prefix: 'wrkspc_',
    pattern: prefixed('wrkspc_'),
    label: 'a workspace id (wrkspc_…)',
    collection: 'workspaces',
    loader: 'workspaces',
    sized: 'archivedWorkspaces',
    calls: { get: 'workspaces.retrieve', list: 'workspaces.list' },
  },
  apiKey: {
    typename: 'ApiKey',
    plural: 'API keys',
    prefix: 'apikey_',
    pattern: prefixed('apikey_'),
    label: 'an API key id (apikey_…)',
    collection: 'apiKeys',
    loader: 'apiKeys',
    sized: 'apiKeys',
    readScope: 'apiKeysRead',
    calls: { get: 'apiKeys.retrieve', list: 'apiKeys.list' },
  },
  organization: {
    typename: 'Organization',
    plural: 'organizations',
    prefix: null,
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    label: 'the organization id (a UUID)',
    collection: 'organization',
    loader: 'organization',
    calls: { get: 'retrieve', list: 'retrieve' },
  },
  serviceAccount: {
    typename: 'ServiceAccount',
    plural: 'service accounts',
    prefix: 'svac_',
    pattern: prefixed('svac_'),
    label: 'a service account id (svac_…)',
    // Service accounts and their workspace memberships: a write to either touches both.
    collection: 'serviceAccounts',
    loader: 'serviceAccounts',
    calls: { get: 'serviceAccounts.retrieve', list: 'serviceAccounts.list' },
  },
  federationIssuer: {
    typename: 'FederationIssuer',
    plural: 'federation issuers',
    prefix: 'fdis_',
    pattern: prefixed('fdis_'),
    label: 'a federation issuer id (fdis_…)',
    // Workload identity federation: issuers (and their rules).
    collection: 'federation',
    loader: 'federationIssuers',
    calls: { get: 'federation.issuers.retrieve', list: 'federation.issuers.list' },
  },
  federationRule: {
    typename: 'FederationRule',
    plural: 'federation rules',
    prefix: 'fdrl_',
    pattern: prefixed('fdrl_'),
    label: 'a federation rule id (fdrl_…)',
    collection: 'federation',
    loader: 'federationRules',
    calls: { get: 'federation.rules.retrieve', list: 'federation.rules.list' },
  },
  webhook: {
    typename: 'Webhook',
    plural: 'webhook endpoints',
    // The SDK documents no prefix for webhook endpoint ids; `whep_` is assumed (the emulator's).
    prefix: 'whep_',
    pattern: prefixed('whep_'),
    label: 'a webhook endpoint id (whep_…)',
    collection: 'webhooks',
    loader: 'webhooks',
    calls: { get: 'webhooks.retrieve', list: 'webhooks.list' },
  },
  rbacGroup: {
    typename: 'RbacGroup',
    plural: 'RBAC groups',
    prefix: 'rbac_group_',
    pattern: prefixed('rbac_group_'),
    label: 'an RBAC group id (rbac_group_…)',
    // Groups and their member lists: a write to either touches this collection.
    collection: 'rbacGroups',
    loader: 'rbacGroups',
    calls: { get: 'rbacGroups.retrieve', list: 'rbacGroups.list' },
  },
  rbacRole: {
    typename: 'RbacRole',
    plural: 'RBAC roles',
    prefix: 'rbac_role_',
    pattern: prefixed('rbac_role_'),
    label: 'an RBAC role id (rbac_role_…)',
    // Roles and their permissions are read-only through the Admin API.
    collection: 'rbacRoles',
    loader: 'rbacRoles',
    calls: { get: 'rbacRoles.retrieve', list: 'rbacRoles.list' },
  },
  spendLimit: {
    typename: 'SpendLimit',
    plural: 'spend limits',
    prefix: 'spl_',
    pattern: prefixed('spl_'),
    label: 'a spend limit id (spl_…)',
    // Limits, members' effective limits and increase requests: a write to one changes the others.
    collection: 'spendLimits',
    loader: 'spendLimits',
    calls: { get: 'spendLimits.retrieve', list: 'spendLimits.list' },
  },
  telemetryDestination: {
    typename: 'TelemetryDestination',
    plural: 'telemetry destinations',
    prefix: 'tdst_',
    pattern: prefixed('tdst_'),
    label: 'a telemetry destination id (tdst_…)',
    // Destinations and their workspace lists: a write to either touches this collection.
    collection: 'telemetry',
    loader: 'telemetryDestinations',
    calls: { get: 'telemetryDestinations.retrieve', list: 'telemetryDestinations.list' },
  },
  plugin: {
    typename: 'Plugin',
    plural: 'plugins',
    prefix: 'plugin_',
    pattern: prefixed('plugin_'),
    label: 'a plugin id (plugin_…)',
    // Plugins, their versions, shares and installation settings, and plugin marketplaces (a
    // marketplace's default installation setting shows on its plugins): one collection.
    collection: 'plugins',
    loader: 'plugins',
    calls: { get: 'plugins.retrieve', list: 'plugins.list' },
  },
  pluginVersion: {
    typename: 'PluginVersion',
    plural: 'plugin versions',
    prefix: 'pluginver_',
    pattern: prefixed('pluginver_'),
    label: 'a plugin version id (pluginver_…)',
    collection: 'plugins',
    loader: 'pluginVersions',
    calls: { get: 'plugins.versions.retrieve', list: 'plugins.versions.list' },
  },
  pluginMarketplace: {
    typename: 'PluginMarketplace',
    plural: 'plugin marketplaces',
    prefix: 'marketplace_',
    pattern: prefixed('marketplace_'),
    label: 'a plugin marketplace id (marketplace_…)',
    collection: 'plugins',
    loader: 'pluginMarketplaces',
    calls: { get: 'pluginMarketplaces.retrieve', list: 'pluginMarketplaces.list' },
  },
  claudeTagSlackWorkspace: {
    typename: 'ClaudeTagSlackWorkspace',
    plural: 'Claude Tag Slack workspaces',
    prefix: 'slws_',
    pattern: prefixed('slws_'),
    label: 'a Claude Tag Slack workspace id (slws_…)',
    // Claude Tag: Slack workspaces, channels, bundles and bundle targets share one collection.
    collection: 'claudeTag',
    loader: 'claudeTagSlackWorkspaces',
    calls: { get: 'claudeTag.slackWorkspaces.retrieve', list: 'claudeTag.slackWorkspaces.list' },
  },
  claudeTagSlackChannel: {
    typename: 'ClaudeTagSlackChannel',
    plural: 'Claude Tag Slack channels',
    prefix: 'slch_',
    pattern: prefixed('slch_'),
    label: 'a Claude Tag Slack channel id (slch_…)',
    collection: 'claudeTag',
    loader: 'claudeTagSlackChannels',
    calls: { get: 'claudeTag.slackChannels.retrieve', list: 'claudeTag.slackChannels.list' },
  },
  claudeTagBundle: {
    typename: 'ClaudeTagBundle',
    plural: 'Claude Tag bundles',
    prefix: 'capp_',
    pattern: prefixed('capp_'),
    label: 'a Claude Tag bundle id (capp_…)',
    collection: 'claudeTag',
    loader: 'claudeTagBundles',
    calls: { get: 'claudeTag.bundles.retrieve', list: 'claudeTag.bundles.list' },
  },
  externalKey: {
    typename: 'ExternalKey',
    plural: 'external keys',
    prefix: 'ekey_',
    pattern: prefixed('ekey_'),
    label: 'an external key id (ekey_…)',
    // Customer-managed encryption key (CMEK) configurations.
    collection: 'externalKeys',
    loader: 'externalKeys',
    calls: { get: 'externalKeys.retrieve', list: 'externalKeys.list' },
  },
  externalStorage: {
    typename: 'ExternalStorage',
    plural: 'external storages',
    prefix: 'estrg_',
    // Through Claude Platform on AWS, S3 storage is named by its bucket ARN instead.
    pattern:
      /^(estrg_[A-Za-z0-9]{1,64}|arn:aws(-[a-z]+){0,2}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/,
    label: 'an external storage id (estrg_…, or an S3 bucket ARN on Claude Platform on AWS)',
    collection: 'externalStorage',
    loader: 'externalStorage',
    calls: { get: 'externalStorage.retrieve', list: 'externalStorage.list' },
  },
} as const satisfies Record<string, ResourceKind>;

export type IdKind = keyof typeof KINDS;

export const ID_KINDS = Object.keys(KINDS) as IdKind[];

const KIND_OF_TYPENAME = new Map<string, IdKind>(
  ID_KINDS.map((kind) => [KINDS[kind].typename, kind]),
);

/** The kind whose GraphQL type is `typename`, if it is one of the registry's. */
export function kindOfTypename(typename: string): IdKind | null {
  return KIND_OF_TYPENAME.get(typename) ?? null;
}

/**
 * A workspace membership has no id upstream: its id in the graph joins the workspace id and the
 * user id after this prefix.
 */
export const WORKSPACE_MEMBER_PREFIX = 'workspace_member:';

/** The ids `node` accepts, for error messages. */
export function describeNodeIds(): string {
  const prefixes = ID_KINDS.flatMap((kind) => {
    const prefix = KINDS[kind].prefix;
    return prefix ? [prefix] : [];
  });
  const last = prefixes.pop();
  return `a ${prefixes.join(', ')} or ${last ?? ''} id, the organization's UUID, or a workspace member id`;
}
