import { isId } from '../../domain/ids.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, isKnown, openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { pluginVersionKey } from '../../loaders/plugins.js';
import { Organization } from './organization.js';
import {
  PLUGINS_NOT_ENABLED_NOTE,
  PluginActor,
  PluginComponent,
  PluginContentScan,
  PluginInstallationPreference,
  PluginOwner,
  PluginOwnerType,
  PluginReach,
  PluginTarget,
} from './plugin-common.js';
import { PluginMarketplace } from './plugin-marketplace.js';
import {
  listPluginInstallationSettings,
  listPluginShares,
  listPluginVersions,
  listPlugins,
  type InstallationSettingListQuery,
  type Plugin as AdminPlugin,
  type PluginInstallationSetting as AdminPluginInstallationSetting,
  type PluginListQuery,
  type PluginShare as AdminPluginShare,
  type PluginVersion as AdminPluginVersion,
  type ShareListQuery,
} from '../../upstream/resources/plugins.js';

/*
 * Plugins (plugin_…) and their versions (pluginver_…), with an organization-owned plugin's
 * installation settings and a member-owned plugin's shares (beta `ce-plugins-2026-09-01`, Claude
 * Enterprise only). Plugins are created and versions uploaded in claude.ai or by file upload,
 * which the graph does not carry; mutations (served version, delete, installation settings) are
 * in src/graphql/mutations/plugins.ts.
 */

export const Plugin = builder.objectRef<AdminPlugin>('Plugin');
export const PluginVersion = builder.objectRef<AdminPluginVersion>('PluginVersion');

export const PluginShareTargetType = openEnum(
  'PluginShareTargetType',
  'The kinds of share targets a plugin’s shares can be filtered by.',
  {
    organization: 'Shares with every member.',
    rbac_group: 'Shares with an RBAC group.',
    organization_member: 'Shares with one member.',
  },
);

export const PluginSettingTargetType = openEnum(
  'PluginSettingTargetType',
  'The kinds of targets a plugin’s installation settings can be filtered by.',
  {
    organization: 'The plugin’s own organization-wide setting.',
    rbac_group: 'RBAC groups’ settings.',
  },
);

export const PluginInstallationSetting = builder
  .objectRef<AdminPluginInstallationSetting>('PluginInstallationSetting')
  .implement({
    description:
      'The installation setting an organization-owned plugin holds for one target: the whole organization, or one RBAC group (which overrides it for its members). It has no id of its own.',
    fields: (t) => ({
      target: t.field({
        type: PluginTarget,
        description: 'Whose setting it is.',
        resolve: (setting) => setting.target,
      }),
      ...enumFieldPair(
        t,
        'installationPreference',
        PluginInstallationPreference,
        (setting) => setting.installation_preference,
        {
          value: 'The setting the target holds.',
          raw: 'The setting exactly as the Admin API reports it, also when `installationPreference` is UNKNOWN.',
        },
      ),
      pluginId: t.exposeID('plugin_id', { description: 'The plugin’s id (plugin_…).' }),
      plugin: t.field({
        type: Plugin,
        nullable: true,
        description: 'The plugin; null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
        resolve: (setting, _args, ctx) => ctx.loaders.plugins.load(setting.plugin_id),
      }),
      createdAt: t.field({
        type: DateTime,
        description: 'When the target was first given a setting for this plugin.',
        resolve: (setting) => setting.created_at,
      }),
      updatedAt: t.field({
        type: DateTime,
        description: 'When the setting last changed.',
        resolve: (setting) => setting.updated_at,
      }),
    }),
  });

export const PluginShare = builder.objectRef<AdminPluginShare>('PluginShare').implement({
  description:
    'A share the owner of a member-owned plugin gave, to every member, an RBAC group or one member. Shares are given and withdrawn in claude.ai only; they have no id of their own.',
  fields: (t) => ({
    target: t.field({
      type: PluginTarget,
      description: 'Whom the plugin is shared with.',
      resolve: (share) => share.target,
    }),
    grantedAt: t.field({
      type: DateTime,
      description: 'When the share was given (a share whose role changed later carries that time).',
      resolve: (share) => share.granted_at,
    }),
  }),
});

const PLUGIN_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'plugin',
  list: 'plugin list',
};
const VERSION_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'version',
  list: 'plugin version list',
};
const SETTING_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'installation setting',
  list: 'installation setting list',
};
const SHARE_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'share',
  list: 'share list',
};

export const PluginConnection = builder.connectionObject(
  {
    type: Plugin,
    name: 'PluginConnection',
    description: 'A page of plugins. Pages forward only (`first`/`after`).',
  },
  { name: 'PluginEdge', description: 'A plugin and its cursor.' },
);

const PluginVersionConnection = builder.connectionObject(
  {
    type: PluginVersion,
    name: 'PluginVersionConnection',
    description: 'A page of a plugin’s versions. Pages forward only (`first`/`after`).',
  },
  { name: 'PluginVersionEdge', description: 'A plugin version and its cursor.' },
);

const PluginInstallationSettingConnection = builder.connectionObject(
  {
    type: PluginInstallationSetting,
    name: 'PluginInstallationSettingConnection',
    description:
      'A page of a plugin’s installation settings. Pages forward only (`first`/`after`).',
  },
  {
    name: 'PluginInstallationSettingEdge',
    description: 'An installation setting and its cursor.',
  },
);

const PluginShareConnection = builder.connectionObject(
  {
    type: PluginShare,
    name: 'PluginShareConnection',
    description: 'A page of a plugin’s shares. Pages forward only (`first`/`after`).',
  },
  { name: 'PluginShareEdge', description: 'A share and its cursor.' },
);

/** The fields a plugin shows of its served version and a version of itself. */
function versionFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<
    typeof builder.$inferSchemaTypes,
    AdminPlugin | AdminPluginVersion
  >,
  of: string,
) {
  return {
    displayName: t.string({
      nullable: true,
      description: `${of} manifest’s display name; null when it declares none.`,
      resolve: (parent) => parent.display_name,
    }),
    description: t.string({
      nullable: true,
      description: `${of} manifest’s description; null when it declares none.`,
      resolve: (parent) => parent.description,
    }),
    manifestVersion: t.string({
      nullable: true,
      description: `${of} manifest’s \`version\`, normalized for display (\`v1.4.0\` reads \`1.4.0\`); null when it is not a version number or was not recorded.`,
      resolve: (parent) => parent.manifest_version,
    }),
    components: t.field({
      type: [PluginComponent],
      nullable: true,
      description: `What ${of.toLowerCase()} version contains; null when not enumerated.`,
      resolve: (parent) => parent.components,
    }),
    contentScan: t.field({
      type: PluginContentScan,
      nullable: true,
      description: `${of} content scan; null when it has not been scanned.`,
      resolve: (parent) => parent.content_scan,
    }),
    ...enumFieldPair(t, 'reach', PluginReach, (parent) => parent.reach, {
      value: `How far ${of.toLowerCase()} version reaches; null when it is not classified.`,
      raw: 'The reach exactly as the Admin API reports it, also when `reach` is UNKNOWN.',
    }),
  };
}

builder.node(Plugin, {
  description:
    'A plugin: skills, commands, agents, hooks, MCP servers and CLIs for Claude, packaged together. It lives in a plugin marketplace of the organization or of one member, and keeps every version stored; one version is served to members.',
  id: { resolve: (plugin) => plugin.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'plugin',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.plugins.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'Its lowercase identifier, unique within its marketplace (fixed for an organization-owned plugin; a member may rename theirs).',
    }),
    ...versionFields(t, 'The served version’s'),
    owner: t.field({
      type: PluginOwner,
      description: 'The organization, or the member whose personal marketplace it lives in.',
      resolve: (plugin) => plugin.owner,
    }),
    createdBy: t.field({
      type: PluginActor,
      nullable: true,
      description: 'Who created it; null when no creator is recorded.',
      resolve: (plugin) => plugin.created_by,
    }),
    marketplaceId: t.exposeID('marketplace_id', {
      description: 'The id of the plugin marketplace it lives in (marketplace_…).',
    }),
    marketplace: t.field({
      type: PluginMarketplace,
      nullable: true,
      description:
        'The plugin marketplace it lives in; null when that is not listed (Anthropic’s catalog).',
      extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
      resolve: (plugin, _args, ctx) => ctx.loaders.pluginMarketplaces.load(plugin.marketplace_id),
    }),
    ...enumFieldPair(
      t,
      'organizationInstallationPreference',
      PluginInstallationPreference,
      (plugin) => plugin.organization_installation_preference,
      {
        value:
          'For an organization-owned plugin, the organization-wide setting every member gets unless an RBAC group of theirs holds its own: the plugin’s own, or its marketplace’s default. Null for a member-owned plugin (it has shares instead).',
        raw: 'The setting exactly as the Admin API reports it, also when `organizationInstallationPreference` is UNKNOWN.',
      },
    ),
    organizationInstallationPreferenceInherited: t.boolean({
      nullable: true,
      description:
        'For an organization-owned plugin, true while it has no organization-wide setting of its own and shows its marketplace’s default; null for a member-owned plugin.',
      resolve: (plugin) => plugin.organization_installation_preference_inherited,
    }),
    servedVersionId: t.exposeID('served_version_id', {
      description: 'The id of the version claude.ai serves to members (pluginver_…).',
    }),
    servedVersion: t.field({
      type: PluginVersion,
      nullable: true,
      description: 'The version claude.ai serves to members.',
      extensions: costExtension({ kind: 'request' }),
      resolve: (plugin, _args, ctx) =>
        ctx.loaders.pluginVersions.load(pluginVersionKey(plugin.id, plugin.served_version_id)),
    }),
    servedVersionPinned: t.exposeBoolean('served_version_pinned', {
      description:
        'True once the served version has been pinned (by `updatePlugin` or in claude.ai): new versions are then stored without being served. Pinning cannot be undone.',
    }),
    latestVersionId: t.exposeID('latest_version_id', {
      description:
        'The id of the newest version (pluginver_…); it differs from the served one while the newest is not served.',
    }),
    latestVersion: t.field({
      type: PluginVersion,
      nullable: true,
      description: 'The newest version.',
      extensions: costExtension({ kind: 'request' }),
      resolve: (plugin, _args, ctx) =>
        ctx.loaders.pluginVersions.load(pluginVersionKey(plugin.id, plugin.latest_version_id)),
    }),
    versions: t.connection(
      {
        type: PluginVersion,
        description:
          'Its versions, newest first (GET /v1/organizations/plugins/{id}/versions). `first` is 1–1000 (default 20); forward only.',
        extensions: costExtension({ kind: 'connection' }),
        resolve: (plugin, args, ctx) =>
          resolveReportConnection(
            args,
            { pluginId: plugin.id },
            VERSION_PAGES,
            ({ pluginId: _plugin, ...query }) => listPluginVersions(ctx.api, plugin.id, query),
          ),
      },
      PluginVersionConnection,
    ),
    installationSettings: t.connection(
      {
        type: PluginInstallationSetting,
        nullable: true,
        description:
          'An organization-owned plugin’s own installation settings, most recently created first (GET /v1/organizations/plugins/{id}/installation_settings): its organization-wide one (absent while it inherits its marketplace’s default) and each RBAC group’s. Null for a member-owned plugin, which has shares instead (no request is made). `first` is 1–1000 (default 20); forward only.',
        extensions: costExtension({ kind: 'connection' }),
        args: {
          targetType: t.arg({
            type: PluginSettingTargetType.ref,
            description: 'Only settings of this kind of target.',
          }),
        },
        resolve: (plugin, args, ctx) => {
          if (plugin.owner.type !== 'organization') return null;
          if (args.targetType != null && !isKnown(args.targetType)) {
            throw badUserInput('`targetType` cannot be UNKNOWN.', { argumentName: 'targetType' });
          }
          const base: InstallationSettingListQuery =
            args.targetType != null && isKnown(args.targetType)
              ? { target_type: args.targetType }
              : {};
          return resolveReportConnection(
            args,
            { pluginId: plugin.id, ...base },
            SETTING_PAGES,
            ({ pluginId: _plugin, ...query }) =>
              listPluginInstallationSettings(ctx.api, plugin.id, query),
          );
        },
      },
      PluginInstallationSettingConnection,
    ),
    shares: t.connection(
      {
        type: PluginShare,
        nullable: true,
        description:
          'A member-owned plugin’s shares, most recently granted first (GET /v1/organizations/plugins/{id}/shares); read-only, given in claude.ai. Null for an organization-owned plugin, which has installation settings instead (no request is made). `first` is 1–1000 (default 20); forward only.',
        extensions: costExtension({ kind: 'connection' }),
        args: {
          targetType: t.arg({
            type: PluginShareTargetType.ref,
            description: 'Only shares with this kind of target.',
          }),
        },
        resolve: (plugin, args, ctx) => {
          if (plugin.owner.type !== 'user') return null;
          if (args.targetType != null && !isKnown(args.targetType)) {
            throw badUserInput('`targetType` cannot be UNKNOWN.', { argumentName: 'targetType' });
          }
          const base: ShareListQuery =
            args.targetType != null && isKnown(args.targetType)
              ? { target_type: args.targetType }
              : {};
          return resolveReportConnection(
            args,
            { pluginId: plugin.id, ...base },
            SHARE_PAGES,
            ({ pluginId: _plugin, ...query }) => listPluginShares(ctx.api, plugin.id, query),
          );
        },
      },
      PluginShareConnection,
    ),
    createdAt: t.field({
      type: DateTime,
      description: 'When the plugin was created.',
      resolve: (plugin) => plugin.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description:
        'When its served version last changed (normally also on a new version); installation settings and shares do not move it.',
      resolve: (plugin) => plugin.updated_at,
    }),
  }),
});

builder.node(PluginVersion, {
  description:
    'One stored version of a plugin: its files as uploaded or synchronized, with what its manifest declares and its content scan.',
  id: { resolve: (version) => version.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'plugin_version',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.pluginVersions.load(id)),
  fields: (t) => ({
    ...versionFields(t, 'This version’s'),
    pluginId: t.exposeID('plugin_id', { description: 'The plugin’s id (plugin_…).' }),
    plugin: t.field({
      type: Plugin,
      nullable: true,
      description: 'The plugin; null when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
      resolve: (version, _args, ctx) => ctx.loaders.plugins.load(version.plugin_id),
    }),
    releaseNotes: t.string({
      nullable: true,
      description: 'The release notes supplied with the upload; null when none were.',
      resolve: (version) => version.release_notes,
    }),
    createdBy: t.field({
      type: PluginActor,
      nullable: true,
      description: 'Who uploaded it; null when not recorded.',
      resolve: (version) => version.created_by,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the version was stored.',
      resolve: (version) => version.created_at,
    }),
  }),
});

type PluginFilterArgs = {
  ownerType?: string | null;
  ownerUserId?: string | null;
  createdAfter?: Date | string | null;
  createdBefore?: Date | string | null;
};

const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);

/** The REST filters of the plugin list from the connection's arguments. */
function pluginFilters(args: PluginFilterArgs): PluginListQuery {
  if (args.ownerType != null && args.ownerType !== 'organization' && args.ownerType !== 'user') {
    throw badUserInput('`ownerType` cannot be UNKNOWN.', { argumentName: 'ownerType' });
  }
  const ownerUserId =
    args.ownerUserId != null ? checkIdArgument('user', args.ownerUserId, 'ownerUserId') : null;
  return {
    ...(args.ownerType != null ? { owner_type: args.ownerType as 'organization' | 'user' } : {}),
    ...(ownerUserId ? { owner_user_id: ownerUserId } : {}),
    ...(args.createdAfter != null ? { 'created_at[gte]': iso(args.createdAfter) } : {}),
    ...(args.createdBefore != null ? { 'created_at[lt]': iso(args.createdBefore) } : {}),
  };
}

async function pluginConnection(
  args: Parameters<typeof resolveReportConnection>[0],
  base: PluginListQuery,
  ctx: GatewayContext,
) {
  const connection = await resolveReportConnection(args, base, PLUGIN_PAGES, (query) =>
    listPlugins(ctx.api, query),
  );
  for (const { node } of connection.edges) ctx.loaders.plugins.prime(node.id, node);
  return connection;
}

builder.objectField(Organization, 'plugins', (t) =>
  t.connection(
    {
      type: Plugin,
      description: `The plugins of the organization’s marketplaces and of its members’ personal marketplaces, newest first (GET /v1/organizations/plugins). \`first\` is 1–1000 (default 20); forward only. ${PLUGINS_NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        marketplaceId: t.arg.id({
          description: 'Only plugins of this plugin marketplace (marketplace_…).',
        }),
        ownerType: t.arg({
          type: PluginOwnerType.ref,
          description: 'Only the organization’s plugins (ORGANIZATION) or members’ (USER).',
        }),
        ownerUserId: t.arg.id({
          description:
            'Only plugins of this member’s personal marketplaces (user_…; a removed member’s id is accepted).',
        }),
        createdAfter: t.arg({
          type: DateTime,
          description: 'Only plugins created at or after this time.',
        }),
        createdBefore: t.arg({
          type: DateTime,
          description: 'Only plugins created before this time.',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const marketplaceId =
          args.marketplaceId != null
            ? checkIdArgument('pluginMarketplace', args.marketplaceId, 'marketplaceId')
            : null;
        const base: PluginListQuery = {
          ...(marketplaceId ? { marketplace_id: marketplaceId } : {}),
          ...pluginFilters(args),
        };
        return pluginConnection(args, base, ctx);
      },
    },
    PluginConnection,
  ),
);

builder.objectField(PluginMarketplace, 'plugins', (t) =>
  t.connection(
    {
      type: Plugin,
      description:
        'The plugins in this marketplace, newest first (GET /v1/organizations/plugins?marketplace_id={id}). `first` is 1–1000 (default 20); forward only.',
      extensions: costExtension({ kind: 'connection' }),
      args: {
        createdAfter: t.arg({
          type: DateTime,
          description: 'Only plugins created at or after this time.',
        }),
        createdBefore: t.arg({
          type: DateTime,
          description: 'Only plugins created before this time.',
        }),
      },
      resolve: (marketplace, args, ctx) =>
        pluginConnection(args, { marketplace_id: marketplace.id, ...pluginFilters(args) }, ctx),
    },
    PluginConnection,
  ),
);

builder.queryField('plugin', (t) =>
  t.field({
    type: Plugin,
    nullable: true,
    description:
      'A plugin by id; null when no such plugin exists (also while the organization has no Plugins API: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
    args: {
      id: t.arg.id({ required: true, description: 'The plugin id (plugin_…).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.plugins.load(checkIdArgument('plugin', args.id, 'id')),
  }),
);

// Federation entities keyed by their ids, resolved through the request's loaders.
builder.asEntity(Plugin, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('plugin', id)) return null;
    const found = await ctx.loaders.plugins.load(id);
    return found && { ...found };
  },
});
builder.asEntity(PluginVersion, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('pluginVersion', id)) return null;
    const found = await ctx.loaders.pluginVersions.load(id);
    return found && { ...found };
  },
});
