import { isDeepStrictEqual } from 'node:util';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { runGatedMutation } from '../lib/gated-mutation.js';
import { JSONObject } from '../lib/json-object.js';
import { isKnown } from '../lib/open-enum.js';
import {
  inputError,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { UpstreamError } from '../../upstream/errors.js';
import {
  MAX_SETTINGS_DOCUMENT_BYTES,
  SETTINGS_NOT_FOUND_CODE,
  deleteRbacGroupManagedSettings,
  getDefaultManagedSettings,
  getManagedSettingsConfiguration,
  getRbacGroupManagedSettings,
  setRbacGroupManagedSettings,
  settingsDocumentBytes,
  updateDefaultManagedSettings,
  updateManagedSettingsConfiguration,
  type DefaultManagedSettings,
  type DeletedRbacGroupManagedSettings,
  type ManagedSettingsConfiguration,
  type ManagedSettingsConfigurationBody,
  type RbacGroupManagedSettings,
  type SettingsDocument,
} from '../../upstream/resources/claude-code-managed-settings.js';
import type { AdminApi } from '../../upstream/admin-api.js';
import {
  ClaudeCodeDefaultManagedSettings,
  ClaudeCodeManagedSettingsConfiguration,
  ClaudeCodeManagedSettingsMode,
  ClaudeCodeRbacGroupManagedSettings,
  NOT_ENABLED_NOTE,
} from '../nodes/claude-code-managed-settings.js';
import { RbacGroup } from '../nodes/rbac-group.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Mutations of Claude Code managed settings. Each needs `write` and `claude_code:write`; their
 * payloads are read with the caller's read scopes (`claude_code:read` for settings). Documents
 * over 1 MiB are refused before any request. A reorder carries the order's version: a stale one
 * is a CONFLICT userError, and the payload then holds the current configuration to retry from.
 */

/** Refusals of the Admin API that are limits of the organization, not faults of the input. */
const LIMIT_CODES = new Set([
  'rbac_group_order_limit_exceeded',
  'settings_document_limit_exceeded',
  'settings_history_limit_exceeded',
  'cmek_feature_unsupported',
]);

const ON_GROUP: InputPaths = {
  ids: { rbacGroup: ['input', 'rbacGroupId'] },
  notFound: ['input', 'rbacGroupId'],
  body: { settings: ['input', 'settings'] },
};

const ON_CONFIGURATION: InputPaths = {
  ids: { rbacGroup: ['input', 'rbacGroupOrder'] },
  body: {
    rbac_group_order_version: ['input', 'rbacGroupOrderVersion'],
    rbac_group_order: ['input', 'rbacGroupOrder'],
    mode: ['input', 'mode'],
  },
};

const ON_DEFAULT: InputPaths = { body: { settings: ['input', 'settings'] } };

/** A limit refusal is a CONFLICT with the organization's state, naming no input field. */
function withLimits(userErrors: UserErrorShape[], failure: UpstreamError | null) {
  if (!failure || !LIMIT_CODES.has(failure.errorType ?? '')) return userErrors;
  return userErrors.map((error) => ({ ...error, code: 'CONFLICT' as const, field: null }));
}

/** A document over the Admin API's 1 MiB, refused before any request; null when it fits. */
function oversized(settings: SettingsDocument) {
  const bytes = settingsDocumentBytes(settings);
  if (bytes <= MAX_SETTINGS_DOCUMENT_BYTES) return null;
  return inputError(
    `\`settings\` is ${bytes} bytes as JSON; a settings document may be at most 1 MiB (${MAX_SETTINGS_DOCUMENT_BYTES} bytes).`,
    ['input', 'settings'],
  );
}

/*
 * Read-backs for writes whose answer was lost (runMutation's `settle`): the Admin API says such a
 * write may have applied and that retrying it is safe. Each reads once, after the write dropped
 * the cached reads, and returns what the write would have returned, or null when the read does
 * not show the change (the mutation then fails with UPSTREAM_OUTCOME_UNKNOWN).
 */

/** The group now holds exactly the document sent. */
const settleSet =
  (api: AdminApi, groupId: string, sent: SettingsDocument) =>
  async (): Promise<RbacGroupManagedSettings | null> => {
    const read = await getRbacGroupManagedSettings(api, groupId);
    return isDeepStrictEqual(read.settings, sent) ? read : null;
  };

/** The group has no settings any more (its coded 404). */
const settleDelete =
  (api: AdminApi, groupId: string) => async (): Promise<DeletedRbacGroupManagedSettings | null> => {
    try {
      await getRbacGroupManagedSettings(api, groupId);
      return null;
    } catch (error) {
      if (error instanceof UpstreamError && error.errorType === SETTINGS_NOT_FOUND_CODE) {
        return { rbac_group_id: groupId, type: 'claude_code_rbac_group_managed_settings_deleted' };
      }
      throw error;
    }
  };

/** The default is the document sent, or none is set when it was cleared. */
const settleDefault =
  (api: AdminApi, sent: SettingsDocument | null) =>
  async (): Promise<DefaultManagedSettings | null> => {
    const read = await getDefaultManagedSettings(api);
    const applied =
      sent === null ? read.updated_at === null : isDeepStrictEqual(read.settings, sent);
    return applied ? read : null;
  };

/** The configuration has the mode and the order sent. */
const settleConfiguration =
  (api: AdminApi, sent: ManagedSettingsConfigurationBody) =>
  async (): Promise<ManagedSettingsConfiguration | null> => {
    const read = await getManagedSettingsConfiguration(api);
    const modeApplied = !sent.mode || read.mode.type === sent.mode.type;
    const orderApplied =
      !sent.rbac_group_order || isDeepStrictEqual(read.rbac_group_order, sent.rbac_group_order);
    return modeApplied && orderApplied ? read : null;
  };

const SETTINGS_INPUT_DESCRIPTION =
  'The whole settings document, a JSON object of Claude Code managed settings (such as `permissions`, `env`, `model`); it replaces any stored document. At most 1 MiB as JSON.';

interface GroupPayload {
  rbacGroupId: string;
  result: RbacGroupManagedSettings | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'setClaudeCodeRbacGroupManagedSettings',
  {
    description: 'Creates or replaces an RBAC group’s Claude Code managed settings.',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The RBAC group (rbac_group_…).' }),
      settings: t.field({
        type: JSONObject,
        required: true,
        description: SETTINGS_INPUT_DESCRIPTION,
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeCodeWrite: true },
    description: `Creates or replaces an RBAC group’s settings document (POST /v1/organizations/claude_code/managed_settings/rbac_groups/{id}). New settings join the end of the order (existing ones keep their place): members also in an earlier group keep that group’s settings until this one is moved up. In ORGANIZATION mode the write changes no member’s settings until the mode is switched, and once a group has settings that switch no longer copies the organization settings into the default. An unknown group is NOT_FOUND on \`rbacGroupId\`; organization limits (groups in the order, stored documents, settings history) are CONFLICT. ${NOT_ENABLED_NOTE}`,
    resolve: async (_root, { input }, ctx): Promise<GroupPayload> => {
      const refused = oversized(input.settings);
      if (refused) return { rbacGroupId: input.rbacGroupId, ...refused };
      const outcome = await runGatedMutation(
        ON_GROUP,
        () => setRbacGroupManagedSettings(ctx.api, input.rbacGroupId, input.settings),
        { settle: settleSet(ctx.api, input.rbacGroupId, input.settings) },
      );
      return {
        rbacGroupId: input.rbacGroupId,
        result: outcome.result,
        userErrors: withLimits(outcome.userErrors, outcome.failure),
      };
    },
  },
  {
    description: 'The result of setClaudeCodeRbacGroupManagedSettings.',
    outputFields: (t) => ({
      rbacGroupManagedSettings: t.field({
        type: ClaudeCodeRbacGroupManagedSettings,
        nullable: true,
        description: 'The group’s settings as stored; null when nothing changed.',
        resolve: (payload) => payload.result,
      }),
      rbacGroup: t.field({
        type: RbacGroup,
        nullable: true,
        description: 'The RBAC group; null when nothing changed.',
        extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.rbacGroups.load(payload.rbacGroupId) : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

builder.relayMutationField(
  'deleteClaudeCodeRbacGroupManagedSettings',
  {
    description: 'Deletes an RBAC group’s Claude Code managed settings.',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The RBAC group (rbac_group_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeCodeWrite: true },
    description: `Deletes an RBAC group’s settings and takes the group out of the order (DELETE /v1/organizations/claude_code/managed_settings/rbac_groups/{id}). A group without settings is NOT_FOUND on \`rbacGroupId\` (also on a retry of a delete whose answer was lost: the settings are gone). ${NOT_ENABLED_NOTE}`,
    resolve: async (_root, { input }, ctx) => {
      const outcome = await runGatedMutation(
        ON_GROUP,
        () => deleteRbacGroupManagedSettings(ctx.api, input.rbacGroupId),
        { settle: settleDelete(ctx.api, input.rbacGroupId) },
      );
      return {
        deletedRbacGroupId: outcome.result?.rbac_group_id ?? null,
        userErrors: withLimits(outcome.userErrors, outcome.failure),
      };
    },
  },
  {
    description: 'The result of deleteClaudeCodeRbacGroupManagedSettings.',
    outputFields: (t) => ({
      deletedRbacGroupId: t.id({
        nullable: true,
        description: 'The RBAC group whose settings were deleted; null when nothing changed.',
        resolve: (payload) => payload.deletedRbacGroupId,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

interface ConfigurationPayload {
  result: ManagedSettingsConfiguration | null;
  /** Whether the order was refused as changed since the version sent (CONFLICT). */
  conflict: boolean;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'updateClaudeCodeManagedSettingsConfiguration',
  {
    description:
      'Changes the Claude Code managed settings mode, the RBAC group order, or both, in one atomic write.',
    inputFields: (t) => ({
      mode: t.field({
        type: ClaudeCodeManagedSettingsMode.ref,
        description: 'The new mode; left out, the mode stays.',
      }),
      rbacGroupOrder: t.idList({
        description:
          'Every RBAC group that has settings (rbac_group_…), each once, in the new order, highest precedence first. Requires `rbacGroupOrderVersion`.',
      }),
      rbacGroupOrderVersion: t.string({
        description:
          'The `rbacGroupOrderVersion` of the configuration read this change is based on. Requires `rbacGroupOrder`.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeCodeWrite: true },
    description: `Changes the mode, the order, or both (POST /v1/organizations/claude_code/managed_settings/configuration). A new order goes with the version it is based on: when the order changed since that read, nothing changes and the mutation answers a CONFLICT userError, with the current configuration in \`configuration\` to retry from. To switch modes only if the order has not changed, send the current order and version with the new mode. A switch to RBAC_GROUPS with no group settings and no default copies the organization settings into a new default, in the same write. ${NOT_ENABLED_NOTE}`,
    resolve: async (_root, { input }, ctx): Promise<ConfigurationPayload> => {
      const refused = (message: string, field: string) => ({
        conflict: false,
        ...inputError(message, ['input', field]),
      });
      if (input.mode != null && !isKnown(input.mode)) {
        return refused('`mode` must be ORGANIZATION or RBAC_GROUPS.', 'mode');
      }
      const order = input.rbacGroupOrder ?? null;
      const version = input.rbacGroupOrderVersion ?? null;
      if (order !== null && version === null) {
        return refused(
          '`rbacGroupOrderVersion` is required with `rbacGroupOrder`: send the version of the configuration the new order is based on.',
          'rbacGroupOrderVersion',
        );
      }
      if (version !== null && order === null) {
        return refused(
          '`rbacGroupOrder` is required with `rbacGroupOrderVersion`.',
          'rbacGroupOrder',
        );
      }
      const body: ManagedSettingsConfigurationBody = {
        ...(input.mode != null && isKnown(input.mode) ? { mode: { type: input.mode } } : {}),
        ...(order !== null && version !== null
          ? { rbac_group_order: order, rbac_group_order_version: version }
          : {}),
      };
      const outcome = await runGatedMutation(
        ON_CONFIGURATION,
        () => updateManagedSettingsConfiguration(ctx.api, body),
        { settle: settleConfiguration(ctx.api, body) },
      );
      if (outcome.failure?.status === 409) {
        return {
          result: null,
          conflict: true,
          userErrors: [
            {
              message: `The RBAC group order changed since version \`${version ?? ''}\` was read, so nothing changed. Read the configuration again (\`configuration\` in this payload has the current order and \`rbacGroupOrderVersion\`) and retry.`,
              code: 'CONFLICT',
              field: ['input', 'rbacGroupOrderVersion'],
            },
          ],
        };
      }
      return {
        result: outcome.result,
        conflict: false,
        userErrors: withLimits(outcome.userErrors, outcome.failure),
      };
    },
  },
  {
    description: 'The result of updateClaudeCodeManagedSettingsConfiguration.',
    outputFields: (t) => ({
      configuration: t.field({
        type: ClaudeCodeManagedSettingsConfiguration,
        nullable: true,
        description:
          'The configuration after the change; after a CONFLICT, the current configuration (read again, one request when asked for) to base a retry on; null when nothing else changed.',
        extensions: costExtension({ kind: 'request' }),
        resolve: (payload, _args, ctx) =>
          payload.result ?? (payload.conflict ? getManagedSettingsConfiguration(ctx.api) : null),
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

interface DefaultPayload {
  result: DefaultManagedSettings | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'updateClaudeCodeDefaultManagedSettings',
  {
    description: 'Sets, replaces or clears the default Claude Code managed settings.',
    inputFields: (t) => ({
      settings: t.field({
        type: JSONObject,
        description: `${SETTINGS_INPUT_DESCRIPTION} Null clears the default settings. Required: left out, nothing is sent (INVALID_INPUT).`,
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeCodeWrite: true },
    description: `Sets or replaces the default settings document that members in no RBAC group of the order receive in RBAC_GROUPS mode, or clears it with \`settings: null\` (they then receive none) (POST /v1/organizations/claude_code/managed_settings/rbac_group_default). ${NOT_ENABLED_NOTE}`,
    resolve: async (_root, { input }, ctx): Promise<DefaultPayload> => {
      if (input.settings === undefined) {
        return inputError(
          '`settings` is required: the new default document, or null to clear the default settings.',
          ['input', 'settings'],
        );
      }
      const settings = input.settings;
      const refused = settings ? oversized(settings) : null;
      if (refused) return refused;
      const outcome = await runGatedMutation(
        ON_DEFAULT,
        () => updateDefaultManagedSettings(ctx.api, settings),
        { settle: settleDefault(ctx.api, settings) },
      );
      return {
        result: outcome.result,
        userErrors: withLimits(outcome.userErrors, outcome.failure),
      };
    },
  },
  resultPayload(
    'updateClaudeCodeDefaultManagedSettings',
    'defaultSettings',
    ClaudeCodeDefaultManagedSettings,
    'The default settings after the change (`isSet` false once cleared); null when nothing changed.',
  ),
);
