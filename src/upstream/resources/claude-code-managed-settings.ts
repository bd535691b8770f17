import type {
  BetaClaudeCodeManagedSettingsConfiguration,
  ConfigurationUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-code/managed-settings/configuration';
import type { BetaClaudeCodeRBACGroupDefaultManagedSettings } from '@anthropic-ai/sdk/resources/beta/organization/claude-code/managed-settings/rbac-group-default';
import type {
  BetaClaudeCodeRBACGroupManagedSettings,
  BetaClaudeCodeRBACGroupManagedSettingsSummary,
  BetaDeletedClaudeCodeRBACGroupManagedSettings,
  RBACGroupSetParams,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-code/managed-settings/rbac-groups';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../errors.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';
import { coded, plainPage, type PlainPage } from './coded-errors.js';

/*
 * Claude Code managed settings (beta `ce-claude-code-managed-settings-2026-10-06`, which the SDK
 * sends itself; Claude Enterprise only): a settings document per RBAC group, an optional default
 * document for members in no listed group, and the organization's configuration — its mode
 * (`organization` or `rbac_groups`) and the order of the groups with settings, versioned for
 * optimistic concurrency (a reorder sent with a stale `rbac_group_order_version` is a 409).
 *
 * Every route answers 404 while the organization is not enabled. The configuration, the default
 * and the list name no object, so they carry the operation `gate` (their 404 is NOT_ENABLED). A
 * group's routes answer a missing object with a coded 404 (`rbac_group_managed_settings_not_found`:
 * the group has no settings; `rbac_group_not_found`: no such group), so there a 404 without a code
 * is NOT_ENABLED and a coded one is kept as it is. Calls run through `coded` so that the Admin
 * API's `error_code` (limits, CMEK) reaches the mutations. The list is token-paged; what is cached
 * is the plain page.
 */

export type ManagedSettingsConfiguration = BetaClaudeCodeManagedSettingsConfiguration;
export type RbacGroupManagedSettings = BetaClaudeCodeRBACGroupManagedSettings;
export type RbacGroupManagedSettingsSummary = BetaClaudeCodeRBACGroupManagedSettingsSummary;
export type DefaultManagedSettings = BetaClaudeCodeRBACGroupDefaultManagedSettings;
export type DeletedRbacGroupManagedSettings = BetaDeletedClaudeCodeRBACGroupManagedSettings;
export type ManagedSettingsConfigurationBody = Omit<ConfigurationUpdateParams, 'betas'>;
export type SettingsDocument = RBACGroupSetParams['settings'];

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const CLAUDE_CODE_SETTINGS_BETA = 'ce-claude-code-managed-settings-2026-10-06';

/** The largest settings document the Admin API stores: 1 MiB. */
export const MAX_SETTINGS_DOCUMENT_BYTES = 1024 * 1024;

/** The `error_code` of a group without settings (retrieve, delete). */
export const SETTINGS_NOT_FOUND_CODE = 'rbac_group_managed_settings_not_found';
/** The `error_code` of a group that is not one of the organization's (set). */
export const GROUP_NOT_FOUND_CODE = 'rbac_group_not_found';

export interface ManagedSettingsListQuery {
  limit?: number;
  page?: string;
}

const COLLECTION = 'claudeCodeSettings' as const;
/** Cache keys: a group's settings by its id; the configuration and the default by name. */
const entity = (id: string) => `entity:${id}`;
const CONFIGURATION = 'configuration';
const DEFAULT = 'default';

/** Operations that name no object: a 404 means the organization is not enabled. */
const gated = (name: string, method: 'GET' | 'POST'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
  gate: CLAUDE_CODE_SETTINGS_BETA,
});
/** Operations on one group's settings: a coded 404 names the missing object. */
const onGroup = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

/** The size of a settings document as JSON text, in bytes (what the 1 MiB limit counts). */
export function settingsDocumentBytes(settings: SettingsDocument): number {
  return Buffer.byteLength(JSON.stringify(settings), 'utf8');
}

/**
 * A 404 of a group's route without an `error_code` is the Admin API's answer to an organization
 * not enabled for the beta; coded ones (no settings, no such group) are kept.
 */
async function notEnabledUnlessCoded<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (
      error instanceof UpstreamError &&
      error.status === 404 &&
      error.errorType !== SETTINGS_NOT_FOUND_CODE &&
      error.errorType !== GROUP_NOT_FOUND_CODE &&
      error.errorType !== NOT_ENABLED_ERROR_TYPE
    ) {
      throw new UpstreamError({
        kind: 'http',
        status: 404,
        errorType: NOT_ENABLED_ERROR_TYPE,
        message: `The organization is not enabled for ${CLAUDE_CODE_SETTINGS_BETA} (the Admin API answered 404: ${error.message})`,
        upstreamRequestId: error.upstreamRequestId,
      });
    }
    throw error;
  }
}

export function getManagedSettingsConfiguration(
  api: AdminApi,
): Promise<ManagedSettingsConfiguration> {
  return api.read<ManagedSettingsConfiguration>(
    COLLECTION,
    entity(CONFIGURATION),
    gated('claude_code_managed_settings.configuration.retrieve', 'GET'),
    coded((org, opts) => org.claudeCode.managedSettings.configuration.retrieve({}, opts)),
  );
}

export function updateManagedSettingsConfiguration(
  api: AdminApi,
  body: ManagedSettingsConfigurationBody,
): Promise<ManagedSettingsConfiguration> {
  for (const id of body.rbac_group_order ?? []) checkId('rbacGroup', id);
  return api.write<ManagedSettingsConfiguration>(
    gated('claude_code_managed_settings.configuration.update', 'POST'),
    coded((org, opts) => org.claudeCode.managedSettings.configuration.update(body, opts)),
    [COLLECTION],
    () => [COLLECTION, CONFIGURATION],
  );
}

export function getDefaultManagedSettings(api: AdminApi): Promise<DefaultManagedSettings> {
  return api.read<DefaultManagedSettings>(
    COLLECTION,
    entity(DEFAULT),
    gated('claude_code_managed_settings.rbac_group_default.retrieve', 'GET'),
    coded((org, opts) => org.claudeCode.managedSettings.rbacGroupDefault.retrieve({}, opts)),
  );
}

/** Sets the default settings document, or clears it (`null`). */
export function updateDefaultManagedSettings(
  api: AdminApi,
  settings: SettingsDocument | null,
): Promise<DefaultManagedSettings> {
  return api.write<DefaultManagedSettings>(
    gated('claude_code_managed_settings.rbac_group_default.update', 'POST'),
    coded((org, opts) =>
      org.claudeCode.managedSettings.rbacGroupDefault.update({ settings }, opts),
    ),
    [COLLECTION],
    () => [COLLECTION, DEFAULT],
  );
}

export function listRbacGroupManagedSettings(
  api: AdminApi,
  query: ManagedSettingsListQuery,
): Promise<PlainPage<RbacGroupManagedSettingsSummary>> {
  return api.read<PlainPage<RbacGroupManagedSettingsSummary>>(
    COLLECTION,
    readKey('claudeCode.managedSettings.rbacGroups.list', query),
    gated('claude_code_managed_settings.rbac_groups.list', 'GET'),
    coded(
      (org, opts) => org.claudeCode.managedSettings.rbacGroups.list(query, opts),
      plainPage,
      CLAUDE_CODE_SETTINGS_BETA,
    ),
  );
}

export function getRbacGroupManagedSettings(
  api: AdminApi,
  groupId: string,
): Promise<RbacGroupManagedSettings> {
  checkId('rbacGroup', groupId);
  return notEnabledUnlessCoded(
    api.read<RbacGroupManagedSettings>(
      COLLECTION,
      entity(groupId),
      onGroup('claude_code_managed_settings.rbac_groups.retrieve', 'GET'),
      coded((org, opts) => org.claudeCode.managedSettings.rbacGroups.retrieve(groupId, {}, opts)),
    ),
  );
}

/** Creates or replaces a group's settings document (new settings join the end of the order). */
export function setRbacGroupManagedSettings(
  api: AdminApi,
  groupId: string,
  settings: SettingsDocument,
): Promise<RbacGroupManagedSettings> {
  checkId('rbacGroup', groupId);
  return notEnabledUnlessCoded(
    api.write<RbacGroupManagedSettings>(
      onGroup('claude_code_managed_settings.rbac_groups.set', 'POST'),
      coded((org, opts) =>
        org.claudeCode.managedSettings.rbacGroups.set(groupId, { settings }, opts),
      ),
      [COLLECTION],
      (written) => [COLLECTION, written.rbac_group_id],
    ),
  );
}

/** Deletes a group's settings and takes the group out of the order. */
export function deleteRbacGroupManagedSettings(
  api: AdminApi,
  groupId: string,
): Promise<DeletedRbacGroupManagedSettings> {
  checkId('rbacGroup', groupId);
  return notEnabledUnlessCoded(
    api.write<DeletedRbacGroupManagedSettings>(
      onGroup('claude_code_managed_settings.rbac_groups.delete', 'DELETE'),
      coded((org, opts) => org.claudeCode.managedSettings.rbacGroups.delete(groupId, {}, opts)),
      [COLLECTION],
    ),
  );
}
