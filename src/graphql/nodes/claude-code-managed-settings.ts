import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { JSONObject } from '../lib/json-object.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { isId } from '../../domain/ids.js';
import { Organization } from './organization.js';
import { RbacGroup } from './rbac-group.js';
import {
  getDefaultManagedSettings,
  getManagedSettingsConfiguration,
  listRbacGroupManagedSettings,
  type DefaultManagedSettings,
  type ManagedSettingsConfiguration,
  type RbacGroupManagedSettings,
  type RbacGroupManagedSettingsSummary,
} from '../../upstream/resources/claude-code-managed-settings.js';

/*
 * Claude Code managed settings (beta `ce-claude-code-managed-settings-2026-10-06`, Claude
 * Enterprise): the settings documents Claude Code receives per RBAC group, the default document,
 * and the organization's mode and group order. Reads need `claude_code:read` besides `read`: a
 * document can carry environment variables and helper commands, and the Admin API gives these
 * reads a scope of their own (`read:claude_code_managed_settings`). Mutations are in
 * src/graphql/mutations/claude-code-managed-settings.ts.
 */

export const NOT_ENABLED_NOTE =
  'Fails alone with NOT_ENABLED until the organization is enabled for Claude Code managed settings (beta `ce-claude-code-managed-settings-2026-10-06`, Claude Enterprise only).';

export const ClaudeCodeManagedSettingsMode = openEnum(
  'ClaudeCodeManagedSettingsMode',
  'How the organization serves Claude Code managed settings.',
  {
    organization:
      'Every member receives the organization settings, which are set in claude.ai (the RBAC group settings wait until the mode changes).',
    rbac_groups:
      'Each member receives the settings of the first RBAC group in the order that they belong to; a member in none of them receives the default settings, or none if no default is set.',
  },
);

export const ClaudeCodeRbacGroupStatus = openEnum(
  'ClaudeCodeRbacGroupStatus',
  'Whether the RBAC group of a settings document is still one of the organization’s groups.',
  {
    active: 'The group exists; its settings apply to its members.',
    deleted: 'The group was deleted: its settings stay in the order but match no member.',
    unknown_status: [
      'UNKNOWN_STATUS',
      'The Admin API could not check the group right now (its `unknown` status).',
    ],
  },
);

/** The Admin API's `unknown` status is a value of its own, distinct from an unknown value. */
const statusOf = (raw: string) =>
  ClaudeCodeRbacGroupStatus.fromUpstream(raw === 'unknown' ? 'unknown_status' : raw);

export const ClaudeCodeManagedSettingsConfiguration = builder
  .objectRef<ManagedSettingsConfiguration>('ClaudeCodeManagedSettingsConfiguration')
  .implement({
    description:
      'The organization’s Claude Code managed settings mode and the order of the RBAC groups with settings. Change both with updateClaudeCodeManagedSettingsConfiguration, sending `rbacGroupOrderVersion` back with a new order.',
    authScopes: { claudeCodeRead: true },
    fields: (t) => ({
      mode: t.field({
        type: ClaudeCodeManagedSettingsMode.ref,
        description: 'How the organization serves managed settings.',
        resolve: (configuration) =>
          ClaudeCodeManagedSettingsMode.fromUpstream(configuration.mode.type) as never,
      }),
      modeValue: t.string({
        description: 'The mode exactly as the Admin API reports it, also when `mode` is UNKNOWN.',
        resolve: (configuration) => configuration.mode.type,
      }),
      modeUpdatedAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When the mode last changed; null if it never has.',
        resolve: (configuration) => configuration.mode_updated_at,
      }),
      rbacGroupOrder: t.idList({
        description:
          'The id (rbac_group_…) of every RBAC group with settings, deleted groups included, highest precedence first.',
        resolve: (configuration) => [...configuration.rbac_group_order],
      }),
      rbacGroupOrderVersion: t.exposeString('rbac_group_order_version', {
        description:
          'An opaque version of `rbacGroupOrder` that changes whenever the order does. Send it back with a new order: a change based on an older version is refused with CONFLICT.',
      }),
      rbacGroups: t.field({
        type: [RbacGroup],
        nullable: { list: false, items: true },
        description:
          'The RBAC groups of `rbacGroupOrder`, in that order; null for a group that no longer exists. Lookups of many groups share list pages.',
        extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
        resolve: async (configuration, _args, ctx) => {
          const ids = configuration.rbac_group_order;
          const loaded = await ctx.loaders.rbacGroups.loadMany(
            ids.filter((id) => isId('rbacGroup', id)),
          );
          const byId = new Map(
            loaded.flatMap((group) =>
              group && !(group instanceof Error) ? [[group.id, group]] : [],
            ),
          );
          return ids.map((id) => byId.get(id) ?? null);
        },
      }),
    }),
  });

export const ClaudeCodeDefaultManagedSettings = builder
  .objectRef<DefaultManagedSettings>('ClaudeCodeDefaultManagedSettings')
  .implement({
    description:
      'The default Claude Code managed settings: what members in no RBAC group of the order receive in RBAC_GROUPS mode.',
    authScopes: { claudeCodeRead: true },
    fields: (t) => ({
      isSet: t.boolean({
        description:
          'Whether default settings are set (false: members in no listed group receive none).',
        resolve: (defaults) => defaults.updated_at !== null,
      }),
      settings: t.field({
        type: JSONObject,
        nullable: true,
        description:
          'The default settings document; null when none is set (`isSet` false) or when the stored document is damaged and can no longer be read (`isSet` true: replacing it fixes this).',
        resolve: (defaults) => defaults.settings,
      }),
      updatedAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When the default settings last changed; null when none are set.',
        resolve: (defaults) => defaults.updated_at,
      }),
    }),
  });

type GroupSettingsShape = RbacGroupManagedSettings | RbacGroupManagedSettingsSummary;

/** The fields a group's settings and a list entry share. */
function groupFields<T extends GroupSettingsShape>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, T>,
) {
  return {
    rbacGroupId: t.id({
      description: 'The RBAC group’s id (rbac_group_…).',
      resolve: (entry) => entry.rbac_group_id,
    }),
    rbacGroup: t.field({
      type: RbacGroup,
      nullable: true,
      description: 'The RBAC group; null when it no longer exists (`status` DELETED).',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (entry, _args, ctx) =>
        isId('rbacGroup', entry.rbac_group_id)
          ? ctx.loaders.rbacGroups.load(entry.rbac_group_id)
          : null,
    }),
    status: t.field({
      type: ClaudeCodeRbacGroupStatus.ref,
      description: 'Whether the group is still one of the organization’s RBAC groups.',
      resolve: (entry) => statusOf(entry.rbac_group_status.type) as never,
    }),
    statusValue: t.string({
      description:
        'The status exactly as the Admin API reports it (`active`, `deleted`, `unknown`), also when `status` is UNKNOWN.',
      resolve: (entry) => entry.rbac_group_status.type,
    }),
    createdAt: t.field({
      type: DateTime,
      description:
        'When the settings document the group uses was first stored: it can be earlier than when the group got its settings, and it changes when the group gets another document.',
      resolve: (entry) => entry.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description:
        'When the group’s settings or its position in the order last changed (its position changes whenever the number of groups ahead of it does).',
      resolve: (entry) => entry.updated_at,
    }),
  };
}

export const ClaudeCodeRbacGroupManagedSettings = builder
  .objectRef<RbacGroupManagedSettings>('ClaudeCodeRbacGroupManagedSettings')
  .implement({
    description:
      'An RBAC group’s Claude Code managed settings: the settings document its members receive in RBAC_GROUPS mode, unless a group earlier in the order also holds them.',
    authScopes: { claudeCodeRead: true },
    fields: (t) => ({
      ...groupFields(t),
      settings: t.field({
        type: JSONObject,
        nullable: true,
        description:
          'The group’s settings document; null when the stored document is damaged and can no longer be read (replacing it fixes this).',
        resolve: (entry) => entry.settings,
      }),
    }),
  });

export const ClaudeCodeRbacGroupManagedSettingsEntry = builder
  .objectRef<RbacGroupManagedSettingsSummary>('ClaudeCodeRbacGroupManagedSettingsEntry')
  .implement({
    description:
      'An RBAC group in the order of groups with Claude Code managed settings: its status and timestamps; its document is one more request (`settings`).',
    authScopes: { claudeCodeRead: true },
    fields: (t) => ({
      ...groupFields(t),
      settings: t.field({
        type: ClaudeCodeRbacGroupManagedSettings,
        nullable: true,
        description:
          'The group’s settings with their document (GET /v1/organizations/claude_code/managed_settings/rbac_groups/{id}: one request per entry); null when they were deleted meanwhile.',
        extensions: costExtension({ kind: 'request' }),
        resolve: (entry, _args, ctx) =>
          ctx.loaders.claudeCodeManagedSettings.load(entry.rbac_group_id),
      }),
    }),
  });

const ENTRY_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'group',
  list: 'list of RBAC groups with settings',
};

const ClaudeCodeRbacGroupManagedSettingsConnection = builder.connectionObject(
  {
    type: ClaudeCodeRbacGroupManagedSettingsEntry,
    name: 'ClaudeCodeRbacGroupManagedSettingsConnection',
    description:
      'A page of the RBAC groups with Claude Code managed settings, highest precedence first. Pages forward only (`first`/`after`).',
  },
  {
    name: 'ClaudeCodeRbacGroupManagedSettingsEdge',
    description: 'An RBAC group with settings and its cursor.',
  },
);

builder.objectField(Organization, 'claudeCodeManagedSettingsConfiguration', (t) =>
  t.field({
    type: ClaudeCodeManagedSettingsConfiguration,
    nullable: true,
    description: `The Claude Code managed settings mode and RBAC group order (GET /v1/organizations/claude_code/managed_settings/configuration). Needs \`claude_code:read\`. ${NOT_ENABLED_NOTE}`,
    authScopes: { claudeCodeRead: true },
    extensions: costExtension({ kind: 'request' }),
    resolve: (_organization, _args, ctx) => getManagedSettingsConfiguration(ctx.api),
  }),
);

builder.objectField(Organization, 'claudeCodeDefaultManagedSettings', (t) =>
  t.field({
    type: ClaudeCodeDefaultManagedSettings,
    nullable: true,
    description: `The default Claude Code managed settings (GET /v1/organizations/claude_code/managed_settings/rbac_group_default). Needs \`claude_code:read\`. ${NOT_ENABLED_NOTE}`,
    authScopes: { claudeCodeRead: true },
    extensions: costExtension({ kind: 'request' }),
    resolve: (_organization, _args, ctx) => getDefaultManagedSettings(ctx.api),
  }),
);

builder.objectField(Organization, 'claudeCodeRbacGroupManagedSettings', (t) =>
  t.connection(
    {
      type: ClaudeCodeRbacGroupManagedSettingsEntry,
      description: `The RBAC groups with Claude Code managed settings, highest precedence first, deleted groups included, the default settings left out (GET /v1/organizations/claude_code/managed_settings/rbac_groups). The Admin API offers no filter on this list. \`first\` is 1–1000 (default 20); forward only. A change of the order between pages fails the next page with CONFLICT: list again from the first page. Needs \`claude_code:read\`. ${NOT_ENABLED_NOTE}`,
      authScopes: { claudeCodeRead: true },
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (_organization, args, ctx) =>
        // The list's name binds its cursors to it (the list takes no arguments).
        resolveReportConnection(
          args,
          { list: 'claudeCodeRbacGroupManagedSettings' },
          ENTRY_PAGES,
          (query) =>
            listRbacGroupManagedSettings(ctx.api, {
              ...(query.limit !== undefined ? { limit: query.limit } : {}),
              ...(query.page !== undefined ? { page: query.page } : {}),
            }),
        ),
    },
    ClaudeCodeRbacGroupManagedSettingsConnection,
  ),
);

builder.objectField(RbacGroup, 'claudeCodeManagedSettings', (t) =>
  t.field({
    type: ClaudeCodeRbacGroupManagedSettings,
    nullable: true,
    description: `The group’s Claude Code managed settings with their document (GET /v1/organizations/claude_code/managed_settings/rbac_groups/{id}); null when the group has none. Needs \`claude_code:read\`. ${NOT_ENABLED_NOTE}`,
    authScopes: { claudeCodeRead: true },
    extensions: costExtension({ kind: 'request' }),
    resolve: (group, _args, ctx) => ctx.loaders.claudeCodeManagedSettings.load(group.id),
  }),
);
