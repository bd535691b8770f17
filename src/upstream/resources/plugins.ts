import type {
  BetaDeletedPlugin,
  BetaPlugin,
  BetaPluginComponent,
  BetaPluginContentScan,
  BetaPluginOwnerOrganization,
  BetaPluginOwnerUser,
  BetaPluginAPIActor,
  BetaPluginUserActor,
  BetaPluginTargetOrganization,
  BetaPluginTargetOrganizationMember,
  BetaPluginTargetRBACGroup,
  PluginListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/plugins/plugins';
import type { BetaPluginVersion } from '@anthropic-ai/sdk/resources/beta/organization/plugins/versions';
import type {
  BetaDeletedPluginInstallationSetting,
  BetaPluginInstallationSetting,
  InstallationSettingListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/plugins/installation-settings';
import type {
  BetaPluginShare,
  ShareListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/plugins/shares';
import type {
  BetaPluginMarketplace,
  BetaPluginMarketplaceValidationReport,
  PluginMarketplaceListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/plugin-marketplaces';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';
import { coded, plainPage, type PlainPage } from './coded-errors.js';

/*
 * Plugins (with their versions, shares and installation settings) and plugin marketplaces (beta
 * `ce-plugins-2026-09-01`, which the SDK sends itself; Claude Enterprise only). Without the beta
 * the Admin API answers 404 "exactly as if the endpoint did not exist": the operations that name
 * no object (the two lists and the repository check) carry the operation `gate`, so such a 404 is
 * NOT_ENABLED on their field alone; a 404 naming a plugin, version or marketplace stays "no such
 * object". Lists are token-paged (`limit`, `page` → `next_page`); what is cached is the plain page.
 * Every call keeps the Admin API's `error_code` (`skill_name_taken`, `scan_pending`,
 * `scan_failed`, `registration_pending`) as the error's type, so that mutations can branch on it.
 *
 * `organization_id` (for a parent organization's audit keys reading a child organization) is never
 * sent: the graph is the credential's own organization, and its ids, caches and relations
 * (a plugin's marketplace, an RBAC group, a user) are that organization's.
 *
 * Uploads (`plugins.create`, `plugins.versions.create`, `pluginMarketplaces.validateArchive`) and
 * the archive download are not served: GraphQL over JSON carries no files.
 */

export type Plugin = BetaPlugin;
export type PluginVersion = BetaPluginVersion;
export type PluginMarketplace = BetaPluginMarketplace;
export type PluginInstallationSetting = BetaPluginInstallationSetting;
export type PluginShare = BetaPluginShare;
export type PluginDeletion = BetaDeletedPlugin;
export type PluginInstallationSettingDeletion = BetaDeletedPluginInstallationSetting;
export type PluginValidationReport = BetaPluginMarketplaceValidationReport;
export type PluginComponent = BetaPluginComponent;
export type PluginContentScan = BetaPluginContentScan;
export type PluginActor = BetaPluginUserActor | BetaPluginAPIActor;
export type PluginOwner = BetaPluginOwnerOrganization | BetaPluginOwnerUser;
export type PluginTarget =
  BetaPluginTargetOrganization | BetaPluginTargetRBACGroup | BetaPluginTargetOrganizationMember;
export type InstallationPreference = BetaPluginInstallationSetting['installation_preference'];

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const PLUGINS_BETA = 'ce-plugins-2026-09-01';

export interface PluginPageQuery {
  limit?: number;
  page?: string;
}

/** The filters of the plugin list, as the SDK names them (organization_id is never sent). */
export type PluginListQuery = PluginPageQuery &
  Pick<
    PluginListParams,
    | 'created_at[gt]'
    | 'created_at[gte]'
    | 'created_at[lt]'
    | 'created_at[lte]'
    | 'marketplace_id'
    | 'owner_type'
    | 'owner_user_id'
  >;
export type PluginMarketplaceListQuery = PluginPageQuery &
  Pick<PluginMarketplaceListParams, 'owner_type' | 'source'>;
export type InstallationSettingListQuery = PluginPageQuery &
  Pick<InstallationSettingListParams, 'target_type'>;
export type ShareListQuery = PluginPageQuery & Pick<ShareListParams, 'target_type'>;

const COLLECTION = 'plugins' as const;
const entity = (id: string) => `entity:${id}`;
const versionKey = (pluginId: string, version: string) => `version:${pluginId}:${version}`;

/** Operations that name no object: a 404 means the organization is not enabled. */
const gated = (name: string, method: 'GET' | 'POST'): UpstreamOperation => ({
  name,
  method,
  write: false,
  gate: PLUGINS_BETA,
});
const onObject = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

export function listPlugins(api: AdminApi, query: PluginListQuery): Promise<PlainPage<Plugin>> {
  if (query.marketplace_id) checkId('pluginMarketplace', query.marketplace_id);
  if (query.owner_user_id) checkId('user', query.owner_user_id);
  return api.read<PlainPage<Plugin>>(
    COLLECTION,
    readKey('plugins.list', query),
    gated('plugins.list', 'GET'),
    coded((org, opts) => org.plugins.list(query, opts), plainPage, PLUGINS_BETA),
  );
}

export function getPlugin(api: AdminApi, pluginId: string): Promise<Plugin> {
  checkId('plugin', pluginId);
  return api.read<Plugin>(
    COLLECTION,
    entity(pluginId),
    onObject('plugins.retrieve', 'GET'),
    coded((org, opts) => org.plugins.retrieve(pluginId, {}, opts)),
  );
}

/** Serves (and pins) one stored version of an organization-owned plugin. */
export function updatePlugin(
  api: AdminApi,
  pluginId: string,
  servedVersionId: string,
): Promise<Plugin> {
  checkId('plugin', pluginId);
  checkId('pluginVersion', servedVersionId);
  return api.write<Plugin>(
    onObject('plugins.update', 'POST'),
    coded((org, opts) =>
      org.plugins.update(pluginId, { served_version_id: servedVersionId }, opts),
    ),
    [COLLECTION],
    (plugin) => [COLLECTION, plugin.id],
  );
}

export function deletePlugin(api: AdminApi, pluginId: string): Promise<PluginDeletion> {
  checkId('plugin', pluginId);
  return api.write<PluginDeletion>(
    onObject('plugins.delete', 'DELETE'),
    coded((org, opts) => org.plugins.delete(pluginId, {}, opts)),
    [COLLECTION],
  );
}

export function listPluginVersions(
  api: AdminApi,
  pluginId: string,
  query: PluginPageQuery,
): Promise<PlainPage<PluginVersion>> {
  checkId('plugin', pluginId);
  return api.read<PlainPage<PluginVersion>>(
    COLLECTION,
    readKey('plugins.versions.list', { pluginId, ...query }),
    onObject('plugins.versions.list', 'GET'),
    coded((org, opts) => org.plugins.versions.list(pluginId, query, opts), plainPage),
  );
}

/** One version of a plugin by its id (pluginver_…). */
export function getPluginVersion(
  api: AdminApi,
  pluginId: string,
  versionId: string,
): Promise<PluginVersion> {
  checkId('plugin', pluginId);
  checkId('pluginVersion', versionId);
  return api.read<PluginVersion>(
    COLLECTION,
    versionKey(pluginId, versionId),
    onObject('plugins.versions.retrieve', 'GET'),
    coded((org, opts) => org.plugins.versions.retrieve(versionId, { plugin_id: pluginId }, opts)),
  );
}

export function listPluginInstallationSettings(
  api: AdminApi,
  pluginId: string,
  query: InstallationSettingListQuery,
): Promise<PlainPage<PluginInstallationSetting>> {
  checkId('plugin', pluginId);
  return api.read<PlainPage<PluginInstallationSetting>>(
    COLLECTION,
    readKey('plugins.installationSettings.list', { pluginId, ...query }),
    onObject('plugins.installation_settings.list', 'GET'),
    coded((org, opts) => org.plugins.installationSettings.list(pluginId, query, opts), plainPage),
  );
}

/** The path segment of an installation-setting target: `organization` or an RBAC group id. */
const targetSegment = (rbacGroupId: string | null) =>
  rbacGroupId === null ? 'organization' : checkId('rbacGroup', rbacGroupId);

/** Sets the installation setting of the whole organization (null) or of one RBAC group. */
export function setPluginInstallationSetting(
  api: AdminApi,
  pluginId: string,
  rbacGroupId: string | null,
  preference: InstallationPreference,
): Promise<PluginInstallationSetting> {
  checkId('plugin', pluginId);
  const target = targetSegment(rbacGroupId);
  return api.write<PluginInstallationSetting>(
    onObject('plugins.installation_settings.set', 'POST'),
    coded((org, opts) =>
      org.plugins.installationSettings.set(
        target,
        { plugin_id: pluginId, installation_preference: preference },
        opts,
      ),
    ),
    [COLLECTION],
  );
}

/** Removes the installation setting of the whole organization (null) or of one RBAC group. */
export function removePluginInstallationSetting(
  api: AdminApi,
  pluginId: string,
  rbacGroupId: string | null,
): Promise<PluginInstallationSettingDeletion> {
  checkId('plugin', pluginId);
  const target = targetSegment(rbacGroupId);
  return api.write<PluginInstallationSettingDeletion>(
    onObject('plugins.installation_settings.remove', 'DELETE'),
    coded((org, opts) =>
      org.plugins.installationSettings.remove(target, { plugin_id: pluginId }, opts),
    ),
    [COLLECTION],
  );
}

export function listPluginShares(
  api: AdminApi,
  pluginId: string,
  query: ShareListQuery,
): Promise<PlainPage<PluginShare>> {
  checkId('plugin', pluginId);
  return api.read<PlainPage<PluginShare>>(
    COLLECTION,
    readKey('plugins.shares.list', { pluginId, ...query }),
    onObject('plugins.shares.list', 'GET'),
    coded((org, opts) => org.plugins.shares.list(pluginId, query, opts), plainPage),
  );
}

export function listPluginMarketplaces(
  api: AdminApi,
  query: PluginMarketplaceListQuery,
): Promise<PlainPage<PluginMarketplace>> {
  return api.read<PlainPage<PluginMarketplace>>(
    COLLECTION,
    readKey('pluginMarketplaces.list', query),
    gated('plugin_marketplaces.list', 'GET'),
    coded((org, opts) => org.pluginMarketplaces.list(query, opts), plainPage, PLUGINS_BETA),
  );
}

export function getPluginMarketplace(
  api: AdminApi,
  marketplaceId: string,
): Promise<PluginMarketplace> {
  checkId('pluginMarketplace', marketplaceId);
  return api.read<PluginMarketplace>(
    COLLECTION,
    entity(marketplaceId),
    onObject('plugin_marketplaces.retrieve', 'GET'),
    coded((org, opts) => org.pluginMarketplaces.retrieve(marketplaceId, {}, opts)),
  );
}

export function updatePluginMarketplace(
  api: AdminApi,
  marketplaceId: string,
  preference: InstallationPreference,
): Promise<PluginMarketplace> {
  checkId('pluginMarketplace', marketplaceId);
  return api.write<PluginMarketplace>(
    onObject('plugin_marketplaces.update', 'POST'),
    coded((org, opts) =>
      org.pluginMarketplaces.update(
        marketplaceId,
        { default_installation_preference: preference },
        opts,
      ),
    ),
    // The default shows on the marketplace's plugins that inherit it.
    [COLLECTION],
    (marketplace) => [COLLECTION, marketplace.id],
  );
}

/**
 * Checks whether a marketplace in a public GitHub repository would synchronize. A report, not a
 * stored object, and no change: it is not cached (the repository may change at any moment) and
 * invalidates nothing.
 */
export function validatePluginMarketplaceRepository(
  api: AdminApi,
  repositoryUrl: string,
  ref: string | null,
): Promise<PluginValidationReport> {
  return api.write<PluginValidationReport>(
    gated('plugin_marketplaces.validate_repository', 'POST'),
    coded(
      (org, opts) =>
        org.pluginMarketplaces.validateRepository(
          { repository_url: repositoryUrl, ...(ref !== null ? { ref } : {}) },
          opts,
        ),
      undefined,
      PLUGINS_BETA,
    ),
    [],
  );
}
