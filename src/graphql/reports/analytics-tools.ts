import {
  listAnalyticsConnectors,
  listAnalyticsPlugins,
  listAnalyticsSkills,
  type AnalyticsConnectorActivity,
  type AnalyticsPluginActivity,
  type AnalyticsSkillActivity,
} from '../../upstream/resources/analytics.js';
import { builder } from '../builder.js';
import { costExtension } from '../cost/estimate.js';
import { badUserInput } from '../lib/errors.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { Organization } from '../nodes/organization.js';
import { AnalyticsProduct } from './analytics-enums.js';
import {
  AnalyticsEngagementGroupBy,
  engagementConnection,
  filters,
  grouping,
  groupedFields,
  NULL_DISTINCT,
  orderArgs,
  PAGE_NOTE,
  period,
  periodArgs,
  resolveEngagement,
  type ArgBuilder,
  type EngagementArgs,
} from './analytics-engagement.js';
import { knownValues } from './enums.js';
import { Money, SafeInt, type MoneyShape } from './scalars.js';

/*
 * Claude Enterprise tool analytics: connectors, plugins and skills (GET
 * /v1/organizations/analytics/connectors, /plugins, /skills) as Organization.analyticsConnectors,
 * analyticsPlugins and analyticsSkills: per tool on a day or rolled up over a range, optionally
 * per product, member or RBAC group. Arguments and paging are those of the engagement lists
 * (analytics-engagement.ts).
 */

const AnalyticsSkillShareStatus = openEnum(
  'AnalyticsSkillShareStatus',
  'Who a skill is shared with.',
  {
    private: 'Only its author.',
    organization: 'The whole organization.',
    public: 'Anyone.',
  },
);

const sessions = (value: { distinct_session_connector_used_count: number | null } | undefined) =>
  value?.distinct_session_connector_used_count ?? null;

const AnalyticsConnector = builder
  .objectRef<AnalyticsConnectorActivity>('AnalyticsConnector')
  .implement({
    description:
      'One connector’s (MCP server’s) use on a day or over a range, optionally per product, member or RBAC group.',
    fields: (t) => ({
      connectorName: t.string({
        description: 'The connector’s normalized name (e.g. "github"), the key of the row.',
        resolve: (row) => row.connector_name,
      }),
      connectorDisplayName: t.string({
        nullable: true,
        description: 'The connector’s display name; null when unknown.',
        resolve: (row) => row.connector_display_name,
      }),
      ...groupedFields(t, { user: true, product: true }),
      distinctUserCount: t.field({
        type: SafeInt,
        description: 'Distinct members who used the connector.',
        resolve: (row) => row.distinct_user_count,
      }),
      individualAuthDistinctUserCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Of those, members who authenticated it themselves; null when not reported.',
        resolve: (row) => row.individual_auth_distinct_user_count,
      }),
      managedAuthDistinctUserCount: t.field({
        type: SafeInt,
        nullable: true,
        description:
          'Of those, members who used an organization-managed authentication; null when not reported.',
        resolve: (row) => row.managed_auth_distinct_user_count,
      }),
      readCallCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Read tool calls; null when not reported.',
        resolve: (row) => row.read_call_count,
      }),
      writeCallCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Write tool calls; null when not reported.',
        resolve: (row) => row.write_call_count,
      }),
      unclassifiedCallCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Tool calls not classified as read or write; null when not reported.',
        resolve: (row) => row.unclassified_call_count,
      }),
      chatConversationCount: t.field({
        type: SafeInt,
        nullable: true,
        description: `Distinct claude.ai conversations that used the connector.${NULL_DISTINCT}`,
        resolve: (row) => row.chat_metrics.distinct_conversation_connector_used_count,
      }),
      claudeCodeSessionCount: t.field({
        type: SafeInt,
        nullable: true,
        description: `Distinct Claude Code sessions that used the connector.${NULL_DISTINCT}`,
        resolve: (row) => sessions(row.claude_code_metrics),
      }),
      coworkSessionCount: t.field({
        type: SafeInt,
        nullable: true,
        description: `Distinct Cowork sessions that used the connector.${NULL_DISTINCT}`,
        resolve: (row) => sessions(row.cowork_metrics),
      }),
    }),
  });

const AnalyticsPlugin = builder.objectRef<AnalyticsPluginActivity>('AnalyticsPlugin').implement({
  description:
    'One plugin’s installs and invocations on a day or over a range, optionally per product (Cowork, Claude Code), member or RBAC group.',
  fields: (t) => ({
    pluginId: t.id({
      nullable: true,
      description: 'The plugin’s id; null when the Admin API cannot resolve it.',
      resolve: (row) => row.plugin_id,
    }),
    pluginName: t.string({
      description: 'The plugin’s name, the key of the row.',
      resolve: (row) => row.plugin_name,
    }),
    ...groupedFields(t, { user: true, product: true }),
    distinctUserCount: t.field({
      type: SafeInt,
      description: 'Distinct members who used the plugin.',
      resolve: (row) => row.distinct_user_count,
    }),
    installCount: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Installs; null when not reported for the cut.',
      resolve: (row) => row.install_count,
    }),
    invocationCount: t.field({
      type: SafeInt,
      description: 'Invocations.',
      resolve: (row) => row.invocation_count,
    }),
    claudeCodeSessionCount: t.field({
      type: SafeInt,
      nullable: true,
      description: `Distinct Claude Code sessions that used the plugin.${NULL_DISTINCT}`,
      resolve: (row) => row.claude_code_metrics.distinct_session_plugin_used_count,
    }),
    coworkSessionCount: t.field({
      type: SafeInt,
      nullable: true,
      description: `Distinct Cowork sessions that used the plugin.${NULL_DISTINCT}`,
      resolve: (row) => row.cowork_metrics.distinct_session_plugin_used_count,
    }),
  }),
});

const money = (amount: string | null, currency: string | null): MoneyShape | null =>
  amount === null || currency === null ? null : { minorUnits: amount, currency };

const AnalyticsSkill = builder.objectRef<AnalyticsSkillActivity>('AnalyticsSkill').implement({
  description:
    'One skill’s use on a day or over a range, optionally per product, member or RBAC group, with the value of the requests it was involved in.',
  fields: (t) => ({
    skillName: t.string({
      description: 'The skill’s name, the key of the row.',
      resolve: (row) => row.skill_name,
    }),
    skillDisplayName: t.string({
      nullable: true,
      description: 'The skill’s display name; null when unknown.',
      resolve: (row) => row.skill_display_name,
    }),
    ...enumFieldPair(t, 'shareStatus', AnalyticsSkillShareStatus, (row) => row.share_status, {
      value: 'Who the skill is shared with; null when unknown.',
      raw: 'The share status exactly as the Admin API reports it.',
    }),
    ...groupedFields(t, { user: true, product: true }),
    distinctUserCount: t.field({
      type: SafeInt,
      description: 'Distinct members who used the skill.',
      resolve: (row) => row.distinct_user_count,
    }),
    invocationCount: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Invocations; null when not reported for the cut.',
      resolve: (row) => row.invocation_count,
    }),
    enableCount: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Members who turned the skill on; null when not reported for the cut.',
      resolve: (row) => row.enable_count,
    }),
    attributedListPrice: t.field({
      type: Money,
      nullable: true,
      description:
        'The list-price value of the requests that involved the skill (Claude Code, Cowork and Office Agent; not its incremental cost, and not billed spend); null for chat rows and when spend reporting is not enabled.',
      resolve: (row) => money(row.attributed_list_price, row.currency),
    }),
    estimatedOverageSpend: t.field({
      type: Money,
      nullable: true,
      description:
        'The estimated spend beyond seat allowances of the requests that involved the skill; null when spend reporting is not enabled.',
      resolve: (row) => money(row.estimated_overage_spend, row.currency),
    }),
    chatConversationCount: t.field({
      type: SafeInt,
      nullable: true,
      description: `Distinct claude.ai conversations that used the skill.${NULL_DISTINCT}`,
      resolve: (row) => row.chat_metrics.distinct_conversation_skill_used_count,
    }),
    claudeCodeSessionCount: t.field({
      type: SafeInt,
      nullable: true,
      description: `Distinct Claude Code sessions that used the skill.${NULL_DISTINCT}`,
      resolve: (row) => row.claude_code_metrics.distinct_session_skill_used_count,
    }),
    coworkSessionCount: t.field({
      type: SafeInt,
      nullable: true,
      description: `Distinct Cowork sessions that used the skill.${NULL_DISTINCT}`,
      resolve: (row) => row.cowork_metrics.distinct_session_skill_used_count,
    }),
  }),
});

const ConnectorConnection = engagementConnection(
  'AnalyticsConnector',
  AnalyticsConnector,
  'connector rows',
);
const PluginConnection = engagementConnection('AnalyticsPlugin', AnalyticsPlugin, 'plugin rows');
const SkillConnection = engagementConnection('AnalyticsSkill', AnalyticsSkill, 'skill rows');

interface ToolArgs extends EngagementArgs {
  names?: readonly string[] | null;
  products?: readonly string[] | null;
  shareStatuses?: readonly string[] | null;
}

/** `filter[]` entries of a tool list's own filters (`name`: connector_name, plugin_name…). */
function toolFilters(args: ToolArgs, name: string, products: readonly string[]): string[] {
  const chosen = knownValues(args.products, 'products') ?? [];
  for (const product of chosen) {
    if (!products.includes(product)) {
      throw badUserInput(
        `\`products\` can only select ${products.map((p) => p.toUpperCase()).join(', ')} here.`,
        { argumentName: 'products' },
      );
    }
  }
  return [
    ...(args.names ?? []).map((value) => `${name}:${value}`),
    ...chosen.map((value) => `product:${value}`),
    ...(knownValues(args.shareStatuses, 'shareStatuses') ?? []).map(
      (value) => `share_status:${value}`,
    ),
  ];
}

function toolArgs(arg: ArgBuilder, names: string) {
  return {
    ...periodArgs(arg, false),
    names: arg.stringList({ description: names }),
    products: arg({
      type: [AnalyticsProduct.ref],
      description: 'Only these product surfaces (REST `filter[]=product:…`).',
    }),
    userIds: arg.idList({
      description: 'Only use by these members (user_…; REST `filter[]=user_id:…`).',
    }),
    rbacGroupIds: arg.idList({
      description:
        'Only use by members of these RBAC groups (rbac_group_…; REST `filter[]=rbac_group_id:…`).',
    }),
    groupBy: arg({
      type: [AnalyticsEngagementGroupBy],
      description: 'Break rows out per product, member or RBAC group (REST `group_by[]`).',
    }),
    ...orderArgs(arg),
  };
}

const GROUPS = ['product', 'rbac_group_id', 'user_id'] as const;

builder.objectField(Organization, 'analyticsConnectors', (t) =>
  t.connection(
    {
      type: AnalyticsConnector,
      description: `Connector (MCP server) use per connector on a day, or rolled up over a range (GET /v1/organizations/analytics/connectors). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: toolArgs(
        t.arg,
        'Only these connectors (REST `filter[]=connector_name:…`; case-insensitive, a display name matches its normalized name).',
      ),
      resolve: (_organization, args, ctx, info) => {
        const more = toolFilters(args, 'connector_name', [
          'chat',
          'chat_cowork_unified',
          'claude_code',
          'cowork',
          'office_agent',
        ]);
        const query = {
          ...period(args, false),
          ...filters(args, more),
          ...grouping(args, GROUPS, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsConnectors(ctx.api, page));
      },
    },
    ConnectorConnection,
  ),
);

builder.objectField(Organization, 'analyticsPlugins', (t) =>
  t.connection(
    {
      type: AnalyticsPlugin,
      description: `Plugin installs and invocations per plugin on a day, or rolled up over a range (GET /v1/organizations/analytics/plugins). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: toolArgs(
        t.arg,
        'Only these plugins (REST `filter[]=plugin_name:…`; case-insensitive).',
      ),
      resolve: (_organization, args, ctx, info) => {
        const more = toolFilters(args, 'plugin_name', [
          'chat_cowork_unified',
          'claude_code',
          'cowork',
        ]);
        const query = {
          ...period(args, false),
          ...filters(args, more),
          ...grouping(args, GROUPS, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsPlugins(ctx.api, page));
      },
    },
    PluginConnection,
  ),
);

builder.objectField(Organization, 'analyticsSkills', (t) =>
  t.connection(
    {
      type: AnalyticsSkill,
      description: `Skill use per skill on a day, or rolled up over a range (GET /v1/organizations/analytics/skills). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...toolArgs(t.arg, 'Only these skills (REST `filter[]=skill_name:…`).'),
        shareStatuses: t.arg({
          type: [AnalyticsSkillShareStatus.ref],
          description: 'Only skills shared so (REST `filter[]=share_status:…`).',
        }),
      },
      resolve: (_organization, args, ctx, info) => {
        const more = toolFilters(args, 'skill_name', [
          'chat',
          'chat_cowork_unified',
          'claude_code',
          'cowork',
          'office_agent',
        ]);
        const query = {
          ...period(args, false),
          ...filters(args, more),
          ...grouping(args, GROUPS, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsSkills(ctx.api, page));
      },
    },
    SkillConnection,
  ),
);
