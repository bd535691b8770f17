import { GraphQLError } from 'graphql';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { upstreamExtensions } from '../lib/errors.js';
import { isKnown } from '../lib/open-enum.js';
import {
  inputError,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { UpstreamError } from '../../upstream/errors.js';
import {
  deletePlugin,
  removePluginInstallationSetting,
  setPluginInstallationSetting,
  updatePlugin,
} from '../../upstream/resources/plugins.js';
import { Plugin } from '../nodes/plugin.js';
import { PluginInstallationPreference, PluginTarget } from '../nodes/plugin-common.js';
import { PluginInstallationSetting } from '../nodes/plugin.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Mutations of plugins: which stored version is served, deletion, and an organization-owned
 * plugin's installation settings. Each needs `write` and `plugins:write`. Plugins are created and
 * versions uploaded as files, which the graph does not carry (see the coverage table).
 *
 * Refusals the Admin API names by `error_code` become userErrors that point at the input field at
 * fault: `skill_name_taken` (an organization skill holds the name of one of the version's skills)
 * and `scan_pending` (its content scan still runs) are CONFLICT, `scan_failed` INVALID_INPUT, each
 * on `servedVersionId`. A 503 (`registration_pending`, or writes of one plugin's installation
 * settings arriving together) changed nothing that must be undone and is thrown as a retryable
 * UPSTREAM_UNAVAILABLE error that says so.
 */

const PLUGIN_BODY: Record<string, string[]> = {
  served_version_id: ['input', 'servedVersionId'],
  installation_preference: ['input', 'installationPreference'],
};

const ON_PLUGIN: InputPaths = {
  ids: {
    plugin: ['input', 'pluginId'],
    pluginVersion: ['input', 'servedVersionId'],
    rbacGroup: ['input', 'rbacGroupId'],
  },
  // A 404 names the plugin, the version or the RBAC group.
  notFound: (message) =>
    /version/i.test(message)
      ? ['input', 'servedVersionId']
      : /rbac|group/i.test(message)
        ? ['input', 'rbacGroupId']
        : ['input', 'pluginId'],
  body: PLUGIN_BODY,
};

/** The input field each `error_code` of a refused served-version change is about. */
const CODED_FIELDS: Record<string, { code: UserErrorShape['code']; field: string[] }> = {
  skill_name_taken: { code: 'CONFLICT', field: ['input', 'servedVersionId'] },
  scan_pending: { code: 'CONFLICT', field: ['input', 'servedVersionId'] },
  scan_failed: { code: 'INVALID_INPUT', field: ['input', 'servedVersionId'] },
};

/** The message of a 503: what happened, and that the same request may be sent again. */
function unavailableMessage(error: UpstreamError): string {
  if (error.errorType === 'registration_pending') {
    return `The plugin version was stored but is not yet usable in claude.ai (registration_pending); retry in a few seconds. ${error.message}`;
  }
  return `The Admin API did not apply this plugin write (503; several writes of one plugin's installation settings may have arrived together); nothing changed: send it again in a second or two. ${error.message}`;
}

/**
 * runMutation, with the plugin family's `error_code`s pointing at their input field and a 503
 * thrown as a retryable error.
 */
export async function runPluginMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
): Promise<{ result: T | null; userErrors: UserErrorShape[] }> {
  let refused: UpstreamError | null = null;
  let unavailable: UpstreamError | null = null;
  const outcome = await runMutation(paths, async () => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'http') {
        if (error.status === 503) unavailable = error;
        else refused = error;
      }
      throw error;
    }
  }).catch((error: unknown) => {
    if (unavailable) {
      const cause: UpstreamError = unavailable;
      throw new GraphQLError(unavailableMessage(cause), {
        extensions: { ...upstreamExtensions(cause), retryable: true },
      });
    }
    throw error;
  });
  const coded = refused ? CODED_FIELDS[(refused as UpstreamError).errorType] : undefined;
  if (!coded) return outcome;
  return {
    result: outcome.result,
    userErrors: outcome.userErrors.map((error) => ({ ...error, ...coded })),
  };
}

builder.relayMutationField(
  'updatePlugin',
  {
    description: 'Changes which stored version of an organization-owned plugin is served.',
    inputFields: (t) => ({
      pluginId: t.id({ required: true, description: 'The plugin (plugin_…).' }),
      servedVersionId: t.id({
        required: true,
        description:
          'The version to serve and pin (pluginver_…): an earlier one to roll back, a later one to serve it, or the one served to pin it.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { pluginsWrite: true },
    description:
      'Serves one stored version of an organization-owned plugin to members and pins it (POST /v1/organizations/plugins/{id}): later uploads are then stored without being served, and pinning cannot be undone. A version whose content scan still runs, or whose skills collide with an organization skill, is a CONFLICT userError; one that failed its scan is INVALID_INPUT; a member-owned plugin is NOT_PERMITTED.',
    resolve: (_root, { input }, ctx) =>
      runPluginMutation(ON_PLUGIN, () =>
        updatePlugin(ctx.api, input.pluginId, input.servedVersionId),
      ),
  },
  resultPayload(
    'updatePlugin',
    'plugin',
    Plugin,
    'The plugin as changed; null when nothing changed.',
  ),
);

builder.relayMutationField(
  'deletePlugin',
  {
    description: 'Deletes a plugin and every version it holds.',
    inputFields: (t) => ({
      pluginId: t.id({ required: true, description: 'The plugin (plugin_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { pluginsWrite: true },
    description:
      'Permanently deletes a plugin and all its versions, as an administrator can in claude.ai (DELETE /v1/organizations/plugins/{id}); its installation settings or shares go with it. Only a plugin of a MANUAL marketplace can be deleted (one synchronized from a repository is an INVALID_INPUT userError). To take a plugin out of use reversibly, set its organization-wide installation setting to NOT_AVAILABLE instead.',
    resolve: (_root, { input }, ctx) =>
      runPluginMutation(ON_PLUGIN, () => deletePlugin(ctx.api, input.pluginId)),
  },
  {
    description: 'The result of deletePlugin.',
    outputFields: (t) => ({
      deletedPluginId: t.id({
        nullable: true,
        description: 'The id of the deleted plugin; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

const TARGET_NOTE =
  'Without `rbacGroupId`, the plugin’s own organization-wide setting; with it, that RBAC group’s (which overrides the organization-wide one for its members).';

builder.relayMutationField(
  'setPluginInstallationSetting',
  {
    description: 'Sets an organization-owned plugin’s installation setting for one target.',
    inputFields: (t) => ({
      pluginId: t.id({ required: true, description: 'The plugin (plugin_…).' }),
      rbacGroupId: t.id({
        description: `The RBAC group (rbac_group_…). ${TARGET_NOTE}`,
      }),
      installationPreference: t.field({
        type: PluginInstallationPreference.ref,
        required: true,
        description: 'The setting the target is to hold.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { pluginsWrite: true },
    description:
      'Sets or changes an organization-owned plugin’s installation setting for the whole organization or one RBAC group (POST /v1/organizations/plugins/{id}/installation_settings/{target}); writing the value a target already holds changes nothing. A member-owned plugin has shares instead: NOT_FOUND. Send one plugin’s setting writes one at a time: writes that arrive together can be refused with a retryable UPSTREAM_UNAVAILABLE error.',
    resolve: async (_root, { input }, ctx) => {
      if (!isKnown(input.installationPreference)) {
        return inputError('`installationPreference` cannot be UNKNOWN.', [
          'input',
          'installationPreference',
        ]);
      }
      const preference = input.installationPreference;
      return runPluginMutation(ON_PLUGIN, () =>
        setPluginInstallationSetting(
          ctx.api,
          input.pluginId,
          input.rbacGroupId ?? null,
          preference,
        ),
      );
    },
  },
  resultPayload(
    'setPluginInstallationSetting',
    'installationSetting',
    PluginInstallationSetting,
    'The setting as it now stands; null when nothing changed.',
  ),
);

builder.relayMutationField(
  'removePluginInstallationSetting',
  {
    description: 'Removes an organization-owned plugin’s own installation setting for one target.',
    inputFields: (t) => ({
      pluginId: t.id({ required: true, description: 'The plugin (plugin_…).' }),
      rbacGroupId: t.id({
        description: `The RBAC group (rbac_group_…). ${TARGET_NOTE}`,
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { pluginsWrite: true },
    description:
      'Removes an organization-owned plugin’s own installation setting (DELETE /v1/organizations/plugins/{id}/installation_settings/{target}): without the organization-wide one the plugin returns to its marketplace’s default; without a group’s, the group’s members fall back to the organization-wide setting or their other groups’. A target that holds no setting of its own is NOT_FOUND.',
    resolve: (_root, { input }, ctx) =>
      runPluginMutation(ON_PLUGIN, () =>
        removePluginInstallationSetting(ctx.api, input.pluginId, input.rbacGroupId ?? null),
      ),
  },
  {
    description: 'The result of removePluginInstallationSetting.',
    outputFields: (t) => ({
      removedTarget: t.field({
        type: PluginTarget,
        nullable: true,
        description: 'Whose setting was removed; null when nothing was removed.',
        resolve: (payload) => payload.result?.target ?? null,
      }),
      plugin: t.field({
        type: Plugin,
        nullable: true,
        description: 'The plugin as it now stands; null when nothing was removed.',
        extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.plugins.load(payload.result.plugin_id) : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
