import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { isKnown } from '../lib/open-enum.js';
import { inputError, type InputPaths } from '../lib/user-error.js';
import { updatePluginMarketplace } from '../../upstream/resources/plugins.js';
import { PluginInstallationPreference } from '../nodes/plugin-common.js';
import { PluginMarketplace } from '../nodes/plugin-marketplace.js';
import { runPluginMutation } from './plugins.js';
import { resultPayload } from '../lib/payload.js';

/*
 * The one change the Admin API offers on a plugin marketplace: the default installation setting
 * of its plugins. Needs `write` and `plugins:write`.
 */

const ON_MARKETPLACE: InputPaths = {
  ids: { pluginMarketplace: ['input', 'marketplaceId'] },
  notFound: ['input', 'marketplaceId'],
  body: { default_installation_preference: ['input', 'defaultInstallationPreference'] },
};

builder.relayMutationField(
  'updatePluginMarketplace',
  {
    description: 'Changes the default installation setting of an organization plugin marketplace.',
    inputFields: (t) => ({
      marketplaceId: t.id({ required: true, description: 'The marketplace (marketplace_…).' }),
      defaultInstallationPreference: t.field({
        type: PluginInstallationPreference.ref,
        required: true,
        description:
          'The organization-wide setting every plugin in it without one of its own gets. Once set it can be changed but not removed.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { pluginsWrite: true },
    description:
      'Sets the default installation setting of an organization plugin marketplace (POST /v1/organizations/plugin_marketplaces/{id}); plugins that hold no organization-wide setting of their own show it at once. A member’s personal marketplace has none: NOT_PERMITTED or INVALID_INPUT as the Admin API answers.',
    resolve: async (_root, { input }, ctx) => {
      if (!isKnown(input.defaultInstallationPreference)) {
        return inputError('`defaultInstallationPreference` cannot be UNKNOWN.', [
          'input',
          'defaultInstallationPreference',
        ]);
      }
      const preference = input.defaultInstallationPreference;
      return runPluginMutation(ON_MARKETPLACE, () =>
        updatePluginMarketplace(ctx.api, input.marketplaceId, preference),
      );
    },
  },
  resultPayload(
    'updatePluginMarketplace',
    'pluginMarketplace',
    PluginMarketplace,
    'The marketplace as changed; null when nothing changed.',
  ),
);
