import type { ArgBuilder as ArgBuilderOf } from '@pothos/core';
import { isId } from '../../domain/ids.js';
import {
  listAnalyticsCostReport,
  listAnalyticsUsageReport,
  listAnalyticsUserCostReport,
  listAnalyticsUserUsageReport,
  type AnalyticsCostReportBucket,
  type AnalyticsCostReportQuery,
  type AnalyticsReportPage,
  type AnalyticsUsageReportBucket,
  type AnalyticsUsageReportQuery,
  type AnalyticsUserCostItem,
  type AnalyticsUserCostReportQuery,
  type AnalyticsUserUsageItem,
  type AnalyticsUserUsageReportQuery,
} from '../../upstream/resources/analytics.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import {
  resolveReportConnection,
  type ReportConnection,
  type ReportPageSizes,
} from '../lib/token-paging.js';
import { Organization } from '../nodes/organization.js';
import { RbacGroup } from '../nodes/rbac-group.js';
import { User } from '../nodes/user.js';
import {
  AnalyticsClaudeTagCategory,
  AnalyticsProduct,
  AnalyticsSortOrder,
  AnalyticsTimeBucketWidth,
} from './analytics-enums.js';
import { formatInstant, idList } from './common.js';
import {
  ContextWindow,
  CostTokenType,
  CostType,
  InferenceSpeed,
  knownValues,
  ReportInferenceGeo,
} from './enums.js';
import { Money, SafeInt, type MoneyShape } from './scalars.js';

/*
 * The legacy Claude Enterprise per-user reports ("[Legacy]" in the SDK): GET
 * /v1/organizations/analytics/user_usage_report and /user_cost_report, as
 * Organization.analyticsUserUsageReport and Organization.analyticsUserCostReport. Superseded by
 * analyticsUsage and analyticsCost (group those by ACTOR), they are served for integrations that
 * still read them. Rows are users (related to User through the loader), ranked, paged with tokens
 * bound to their query (`resolveReportConnection`). They carry no API key ids. Not beta-gated.
 */

/** Page sizes of the legacy per-user reports: `limit` 1–1000, default 20 rows. */
export const ANALYTICS_LEGACY_PAGE_SIZES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'row',
  list: 'legacy analytics report',
};

type Row = AnalyticsUserUsageItem | AnalyticsUserCostItem;
type UsageResult = AnalyticsUsageReportBucket['results'][number];
type CostResult = AnalyticsCostReportBucket['results'][number];
type Grouped = Row | UsageResult | CostResult;
type LegacyConnection<T> = ReportConnection<T> & { dataRefreshedAt: string | null };

const LEGACY_DIMENSIONS = {
  CLAUDE_TAG_CATEGORY: {
    value: 'claude_tag_category',
    description: 'The Claude Tag (Claude in Slack) spend category.',
  },
  CLAUDE_TAG_USER_ID: {
    value: 'claude_tag_user_id',
    description: 'The Slack user a Claude Tag usage is attributed to.',
  },
  CONTEXT_WINDOW: { value: 'context_window', description: 'The context-window pricing tier.' },
  INFERENCE_GEO: { value: 'inference_geo', description: 'The inference region.' },
  MODEL: { value: 'model', description: 'The model.' },
  PRODUCT: { value: 'product', description: 'The product surface (chat, Claude Code…).' },
  RBAC_GROUP_ID: { value: 'rbac_group_id', description: 'The RBAC group (team).' },
  SLACK_CHANNEL_ID: { value: 'slack_channel_id', description: 'The Slack channel.' },
  SPEED: { value: 'speed', description: 'The inference speed mode.' },
} as const;

const AnalyticsLegacyUsageGroupBy = builder.enumType('AnalyticsLegacyUsageGroupBy', {
  description:
    'A dimension the legacy usage reports (usage_report, user_usage_report) break their rows out by (REST `group_by[]`).',
  values: LEGACY_DIMENSIONS,
});

const AnalyticsLegacyCostGroupBy = builder.enumType('AnalyticsLegacyCostGroupBy', {
  description:
    'A dimension the legacy cost reports (cost_report, user_cost_report) break their rows out by (REST `group_by[]`).',
  values: {
    ...LEGACY_DIMENSIONS,
    COST_TYPE: {
      value: 'cost_type',
      description:
        'The kind of cost (tokens, web search, code execution); its rows do not count toward `first`.',
    },
    TOKEN_TYPE: {
      value: 'token_type',
      description: 'The kind of tokens of a token cost; its rows do not count toward `first`.',
    },
  } as const,
});

const AnalyticsUserUsageReportOrderBy = builder.enumType('AnalyticsUserUsageReportOrderBy', {
  description: 'How the users of the legacy per-user usage report are ranked (REST `order_by`).',
  values: {
    TOTAL_TOKENS: { value: 'total_tokens', description: 'By total tokens (the default).' },
    OUTPUT_TOKENS: { value: 'output_tokens', description: 'By output tokens.' },
    UNCACHED_INPUT_TOKENS: {
      value: 'uncached_input_tokens',
      description: 'By uncached input tokens.',
    },
    REQUESTS: { value: 'requests', description: 'By request count.' },
  } as const,
});

const AnalyticsUserCostReportOrderBy = builder.enumType('AnalyticsUserCostReportOrderBy', {
  description: 'How the users of the legacy per-user cost report are ranked (REST `order_by`).',
  values: {
    AMOUNT: { value: 'amount', description: 'By amount after discounts (the default).' },
    LIST_AMOUNT: { value: 'list_amount', description: 'By list-price amount.' },
  } as const,
});

function rowFields<R extends Row>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, R>,
) {
  return {
    ...dimensionFields(t),
    userId: t.id({
      description: 'The user (user_…) the row is attributed to.',
      resolve: (row) => row.actor.user_id,
    }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The user, through the user loader; null for users who are no longer members (see deleted).',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (row, _args, ctx: GatewayContext) => ctx.loaders.users.load(row.actor.user_id),
    }),
    emailAddress: t.string({
      nullable: true,
      description:
        'The user’s current email address, also for removed users; null when the account was deleted.',
      resolve: (row) => row.actor.email_address,
    }),
    name: t.string({
      nullable: true,
      description:
        'The user’s current full name ("Deleted User" for deleted accounts); null when unset.',
      resolve: (row) => row.actor.name,
    }),
    deleted: t.boolean({
      description: 'Whether the account was deleted or is no longer a member of the organization.',
      resolve: (row) => row.actor.deleted,
    }),
    startingAt: t.field({
      type: DateTime,
      nullable: true,
      description:
        'The start of the row’s time bucket (inclusive); null without bucketWidth (the row covers the whole range).',
      resolve: (row) => row.starting_at,
    }),
    endingAt: t.field({
      type: DateTime,
      nullable: true,
      description:
        'The end of the row’s time bucket (exclusive); null without bucketWidth (the row covers the whole range).',
      resolve: (row) => row.ending_at,
    }),
  };
}

/** The dimension fields of a legacy report row; each is null unless its dimension is grouped. */
function dimensionFields<R extends Grouped>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, R>,
) {
  return {
    ...enumFieldPair(
      t,
      'claudeTagCategory',
      AnalyticsClaudeTagCategory,
      (row) => row.claude_tag_category,
      {
        value: 'The Claude Tag spend category; null unless grouped by CLAUDE_TAG_CATEGORY.',
        raw: 'The Claude Tag category exactly as the Admin API reports it.',
      },
    ),
    claudeTagUserId: t.string({
      nullable: true,
      description:
        'The Slack user id (U…) a Claude Tag usage is attributed to; null unless grouped by CLAUDE_TAG_USER_ID.',
      resolve: (row) => row.claude_tag_user_id,
    }),
    ...enumFieldPair(t, 'contextWindow', ContextWindow, (row) => row.context_window, {
      value: 'The context-window pricing tier; null unless grouped by CONTEXT_WINDOW.',
      raw: 'The context window exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'inferenceGeo', ReportInferenceGeo, (row) => row.inference_geo, {
      value: 'The inference region; null unless grouped by INFERENCE_GEO, or when not set.',
      raw: 'The inference region exactly as the Admin API reports it.',
    }),
    model: t.string({
      nullable: true,
      description: 'The model; null unless grouped by MODEL.',
      resolve: (row) => row.model,
    }),
    ...enumFieldPair(t, 'product', AnalyticsProduct, (row) => row.product, {
      value: 'The product surface; null unless grouped by PRODUCT.',
      raw: 'The product exactly as the Admin API reports it.',
    }),
    rbacGroupId: t.id({
      nullable: true,
      description: 'The RBAC group (rbac_group_…); null unless grouped by RBAC_GROUP_ID.',
      resolve: (row) => row.rbac_group_id,
    }),
    rbacGroup: t.field({
      type: RbacGroup,
      nullable: true,
      description:
        'The RBAC group behind rbacGroupId, through the RBAC group loader; null when there is none or it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (row, _args, ctx: GatewayContext) => {
        const id = row.rbac_group_id;
        return id !== null && isId('rbacGroup', id) ? ctx.loaders.rbacGroups.load(id) : null;
      },
    }),
    slackChannelId: t.string({
      nullable: true,
      description: 'The Slack channel; null unless grouped by SLACK_CHANNEL_ID.',
      resolve: (row) => row.slack_channel_id,
    }),
    ...enumFieldPair(t, 'speed', InferenceSpeed, (row) => row.speed, {
      value: 'The inference speed mode; null unless grouped by SPEED.',
      raw: 'The speed exactly as the Admin API reports it.',
    }),
  };
}

const AnalyticsUserUsageReportRow = builder
  .objectRef<AnalyticsUserUsageItem>('AnalyticsUserUsageReportRow')
  .implement({
    description:
      'One row of the legacy per-user usage report: one user’s token usage (per time bucket and grouped dimensions when asked). Legacy: analyticsUsage grouped by ACTOR supersedes it.',
    fields: (t) => ({
      ...rowFields(t),
      uncachedInputTokens: t.field({
        type: SafeInt,
        description: 'Uncached input tokens processed.',
        resolve: (row) => row.uncached_input_tokens,
      }),
      cacheReadInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens read from the cache.',
        resolve: (row) => row.cache_read_input_tokens,
      }),
      cacheCreation1hInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 1-hour cache.',
        resolve: (row) => row.cache_creation.ephemeral_1h_input_tokens,
      }),
      cacheCreation5mInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 5-minute cache.',
        resolve: (row) => row.cache_creation.ephemeral_5m_input_tokens,
      }),
      outputTokens: t.field({
        type: SafeInt,
        description: 'Output tokens generated.',
        resolve: (row) => row.output_tokens,
      }),
      totalTokens: t.field({
        type: SafeInt,
        description: 'All tokens of every type, as the Admin API sums them (the default ranking).',
        resolve: (row) => row.total_tokens,
      }),
      requests: t.field({
        type: SafeInt,
        nullable: true,
        description: 'API requests in the row; null when not reported.',
        resolve: (row) => row.requests,
      }),
      webSearchRequests: t.field({
        type: SafeInt,
        description: 'Web search requests made by the server-side tool.',
        resolve: (row) => row.server_tool_use.web_search_requests,
      }),
    }),
  });

const AnalyticsUserCostReportRow = builder
  .objectRef<AnalyticsUserCostItem>('AnalyticsUserCostReportRow')
  .implement({
    description:
      'One row of the legacy per-user cost report: one user’s cost (per time bucket, grouped dimensions and cost or token type when asked). Legacy: analyticsCost grouped by ACTOR supersedes it.',
    fields: (t) => ({
      ...rowFields(t),
      ...enumFieldPair(t, 'costType', CostType, (row) => row.cost_type, {
        value: 'The kind of cost; null unless grouped by COST_TYPE or TOKEN_TYPE.',
        raw: 'The cost type exactly as the Admin API reports it.',
      }),
      ...enumFieldPair(t, 'tokenType', CostTokenType, (row) => row.token_type, {
        value: 'The kind of tokens of a token cost; null unless grouped by TOKEN_TYPE.',
        raw: 'The token type exactly as the Admin API reports it.',
      }),
      amount: t.field({
        type: Money,
        description: 'The cost after discounts and before credits, exact (see Money).',
        resolve: (row): MoneyShape => ({ minorUnits: row.amount, currency: row.currency }),
      }),
      listAmount: t.field({
        type: Money,
        description: 'The cost at list price, before discounts, exact (see Money).',
        resolve: (row): MoneyShape => ({ minorUnits: row.list_amount, currency: row.currency }),
      }),
      requests: t.field({
        type: SafeInt,
        nullable: true,
        description:
          'API requests in the row; null when grouped by COST_TYPE or TOKEN_TYPE (read it ungrouped).',
        resolve: (row) => row.requests,
      }),
    }),
  });

function legacyConnection<T>(
  name: string,
  node: PothosSchemaTypes.ObjectRef<typeof builder.$inferSchemaTypes, T>,
  what: string,
) {
  return builder.connectionObject(
    {
      type: node,
      name,
      description: `A page of ${what} rows, in the report’s ranking. Pages forward only (\`first\`/\`after\`).`,
      fields: (t) => ({
        dataRefreshedAt: t.field({
          type: DateTime,
          nullable: true,
          description:
            'When the data behind the report was last refreshed (REST `data_refreshed_at`); null when the Admin API does not say.',
          resolve: (connection) => (connection as unknown as LegacyConnection<T>).dataRefreshedAt,
        }),
      }),
    },
    {
      name: `${name.replace(/Connection$/, '')}Edge`,
      description: `A ${what} row and its cursor.`,
    },
  );
}

const AnalyticsUserUsageReportConnection = legacyConnection(
  'AnalyticsUserUsageReportConnection',
  AnalyticsUserUsageReportRow,
  'legacy per-user usage report',
);
const AnalyticsUserCostReportConnection = legacyConnection(
  'AnalyticsUserCostReportConnection',
  AnalyticsUserCostReportRow,
  'legacy per-user cost report',
);

interface LegacyArgs extends ConnectionArgs {
  startingAt: Date;
  endingAt?: Date | null;
  bucketWidth?: string | null;
  groupBy?: readonly string[] | null;
  orderBy?: string | null;
  order?: string | null;
  userIds?: readonly string[] | null;
  claudeTagCategories?: readonly string[] | null;
  claudeTagUserIds?: readonly string[] | null;
  contextWindows?: readonly string[] | null;
  excludeDeletedUsers?: boolean | null;
  inferenceGeos?: readonly string[] | null;
  models?: readonly string[] | null;
  products?: readonly string[] | null;
  rbacGroupIds?: readonly string[] | null;
  slackChannelIds?: readonly string[] | null;
  speeds?: readonly string[] | null;
}

const strings = (values: readonly string[] | null | undefined) =>
  values == null ? undefined : [...values];

/** Products the filters take (output-only values are refused). */
const PRODUCT_FILTERS: ReadonlySet<string> = new Set([
  'chat',
  'chat_cowork_unified',
  'claude_code',
  'claude_console',
  'claude_design',
  'claude_in_chrome',
  'claude_tag',
  'cowork',
  'managed_agents_api',
  'message_batches_api',
  'messages_api',
  'office_agent',
]);

/** The REST query of the arguments (without paging); ids and enums checked before any request. */
function legacyQuery(args: LegacyArgs, perUser = true): Record<string, unknown> {
  const products = knownValues(args.products, 'products');
  for (const product of products ?? []) {
    if (!PRODUCT_FILTERS.has(product)) {
      throw badUserInput(
        `\`products\` cannot select ${product.toUpperCase()}: it is an output value only.`,
        { argumentName: 'products' },
      );
    }
  }
  if (perUser && args.bucketWidth != null && args.endingAt == null) {
    throw badUserInput('`endingAt` is required with `bucketWidth`.', {
      argumentName: 'endingAt',
    });
  }
  const lists = {
    user_ids: idList('user', args.userIds, 'userIds'),
    claude_tag_categories: knownValues(args.claudeTagCategories, 'claudeTagCategories'),
    claude_tag_user_ids: strings(args.claudeTagUserIds),
    context_windows: knownValues(args.contextWindows, 'contextWindows'),
    inference_geos: knownValues(args.inferenceGeos, 'inferenceGeos'),
    models: strings(args.models),
    products,
    rbac_group_ids: args.rbacGroupIds?.map((id) =>
      checkIdArgument('rbacGroup', id, 'rbacGroupIds'),
    ),
    slack_channel_ids: strings(args.slackChannelIds),
    speeds: knownValues(args.speeds, 'speeds'),
  };
  const query: Record<string, unknown> = { starting_at: formatInstant(args.startingAt) };
  if (args.endingAt != null) query['ending_at'] = formatInstant(args.endingAt);
  if (args.bucketWidth != null) query['bucket_width'] = args.bucketWidth;
  if (args.excludeDeletedUsers != null) query['exclude_deleted_users'] = args.excludeDeletedUsers;
  for (const [name, values] of Object.entries(lists)) {
    if (values !== undefined) query[name] = values;
  }
  if (args.order != null) query['order'] = args.order;
  if (args.orderBy != null) query['order_by'] = args.orderBy;
  const groupBy = strings(args.groupBy);
  if (groupBy !== undefined) query['group_by'] = groupBy;
  return query;
}

async function resolveLegacy<T, Q extends object>(
  args: LegacyArgs,
  query: Q,
  fetch: (page: Q & { limit?: number; page?: string }) => Promise<AnalyticsReportPage<T>>,
): Promise<LegacyConnection<T>> {
  let dataRefreshedAt: string | null = null;
  const connection = await resolveReportConnection(
    args,
    query,
    ANALYTICS_LEGACY_PAGE_SIZES,
    async (page) => {
      const result = await fetch(page);
      dataRefreshedAt = result.data_refreshed_at ?? dataRefreshedAt;
      return result;
    },
  );
  return { ...connection, dataRefreshedAt };
}

type ArgBuilder = ArgBuilderOf<typeof builder.$inferSchemaTypes>;

function legacyArgs(arg: ArgBuilder) {
  return {
    ...bucketedArgs(arg),
    bucketWidth: arg({
      type: AnalyticsTimeBucketWidth,
      description:
        'Rows per time bucket (REST `bucket_width`; each bucket counts toward `first`, so a user may span several rows). Left out, each row covers the whole range.',
    }),
    order: arg({
      type: AnalyticsSortOrder,
      description: 'The direction of the ranking (REST `order`; default DESCENDING).',
    }),
    excludeDeletedUsers: arg.boolean({
      description:
        'Leave out rows of deleted users (REST `exclude_deleted_users`). A page may then hold fewer rows than `first`.',
    }),
  };
}

/** The arguments the bucketed and the per-user reports share. */
function bucketedArgs(arg: ArgBuilder) {
  return {
    startingAt: arg({
      type: DateTime,
      required: true,
      description:
        'Start of the range, inclusive (REST `starting_at`): within the last 365 days and not before 2026-01-01T00:00:00Z.',
    }),
    endingAt: arg({
      type: DateTime,
      description:
        'End of the range, exclusive (REST `ending_at`); required with bucketWidth. Left out, the earlier of now and 31 days after startingAt. The range spans at most 31 days (24 hours with MINUTE buckets).',
    }),
    userIds: arg.idList({
      description: 'Only these users (user_…; REST `user_ids[]`).',
    }),
    claudeTagCategories: arg({
      type: [AnalyticsClaudeTagCategory.ref],
      description: 'Only Claude Tag usage of these categories (REST `claude_tag_categories[]`).',
    }),
    claudeTagUserIds: arg.stringList({
      description:
        'Only Claude Tag usage attributed to these Slack users (REST `claude_tag_user_ids[]`).',
    }),
    contextWindows: arg({
      type: [ContextWindow.ref],
      description: 'Only these context-window tiers (REST `context_windows[]`).',
    }),
    inferenceGeos: arg({
      type: [ReportInferenceGeo.ref],
      description:
        'Only these inference regions (REST `inference_geos[]`); NOT_AVAILABLE selects rows where the region is not set.',
    }),
    models: arg.stringList({ description: 'Only these models (REST `models[]`).' }),
    products: arg({
      type: [AnalyticsProduct.ref],
      description:
        'Only these product surfaces (REST `products[]`); output-only values are refused.',
    }),
    rbacGroupIds: arg.idList({
      description:
        'Only usage of users who belonged to one of these RBAC groups on the UTC day of the usage (rbac_group_…; REST `rbac_group_ids[]`).',
    }),
    slackChannelIds: arg.stringList({
      description: 'Only usage from these Slack channels (REST `slack_channel_ids[]`).',
    }),
    speeds: arg({
      type: [InferenceSpeed.ref],
      description: 'Only these inference speed modes (REST `speeds[]`).',
    }),
  };
}

const PAGE_NOTE =
  '`first` counts rows (1–1000, default 20). Forward only: `last` and `before` are refused.';

builder.objectField(Organization, 'analyticsUserUsageReport', (t) =>
  t.connection(
    {
      type: AnalyticsUserUsageReportRow,
      description: `[Legacy] Per-user token usage across a range, ranked by a token metric (GET /v1/organizations/analytics/user_usage_report), one of the legacy Claude Enterprise usage and cost reports: for new integrations use analyticsUsage grouped by ACTOR. Only usage attributed to a user account is included. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...legacyArgs(t.arg),
        groupBy: t.arg({
          type: [AnalyticsLegacyUsageGroupBy],
          description:
            'Dimensions to break each user’s row out by (REST `group_by[]`); each combination counts toward `first`.',
        }),
        orderBy: t.arg({
          type: AnalyticsUserUsageReportOrderBy,
          description: 'The ranking of the users (REST `order_by`; default TOTAL_TOKENS).',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const query = legacyQuery(args) as AnalyticsUserUsageReportQuery;
        return resolveLegacy(args, query, (page) => listAnalyticsUserUsageReport(ctx.api, page));
      },
    },
    AnalyticsUserUsageReportConnection,
  ),
);

builder.objectField(Organization, 'analyticsUserCostReport', (t) =>
  t.connection(
    {
      type: AnalyticsUserCostReportRow,
      description: `[Legacy] Per-user cost in USD across a range, ranked by spend (GET /v1/organizations/analytics/user_cost_report), one of the legacy Claude Enterprise usage and cost reports: for new integrations use analyticsCost grouped by ACTOR. Only cost attributed to a user account is included. Rows split by COST_TYPE or TOKEN_TYPE do not count toward \`first\`, so a page may hold more rows. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...legacyArgs(t.arg),
        groupBy: t.arg({
          type: [AnalyticsLegacyCostGroupBy],
          description:
            'Dimensions to break each user’s row out by (REST `group_by[]`); COST_TYPE and TOKEN_TYPE rows do not count toward `first`.',
        }),
        orderBy: t.arg({
          type: AnalyticsUserCostReportOrderBy,
          description: 'The ranking of the users (REST `order_by`; default AMOUNT).',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const query = legacyQuery(args) as AnalyticsUserCostReportQuery;
        return resolveLegacy(args, query, (page) => listAnalyticsUserCostReport(ctx.api, page));
      },
    },
    AnalyticsUserCostReportConnection,
  ),
);

// -------------------------------------------------------------------------------------------
// The bucketed legacy reports: GET .../usage_report and .../cost_report, pages of time buckets.

/** Page sizes of the bucketed legacy reports per bucket width (`limit` counts buckets). */
export const ANALYTICS_LEGACY_BUCKET_SIZES: Record<string, ReportPageSizes> = {
  '1d': { defaultSize: 7, maxSize: 31, unit: 'bucket', list: 'legacy analytics report' },
  '1h': { defaultSize: 24, maxSize: 168, unit: 'bucket', list: 'legacy analytics report' },
  '1m': { defaultSize: 60, maxSize: 256, unit: 'bucket', list: 'legacy analytics report' },
};

const AnalyticsUsageReportResult = builder
  .objectRef<UsageResult>('AnalyticsUsageReportResult')
  .implement({
    description:
      'The token usage of one combination of the grouped dimensions in a time bucket of the legacy usage report (all usage, whether or not a user is attributed).',
    fields: (t) => ({
      ...dimensionFields(t),
      uncachedInputTokens: t.field({
        type: SafeInt,
        description: 'Uncached input tokens processed.',
        resolve: (row) => row.uncached_input_tokens,
      }),
      cacheReadInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens read from the cache.',
        resolve: (row) => row.cache_read_input_tokens,
      }),
      cacheCreation1hInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 1-hour cache.',
        resolve: (row) => row.cache_creation.ephemeral_1h_input_tokens,
      }),
      cacheCreation5mInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 5-minute cache.',
        resolve: (row) => row.cache_creation.ephemeral_5m_input_tokens,
      }),
      outputTokens: t.field({
        type: SafeInt,
        description: 'Output tokens generated.',
        resolve: (row) => row.output_tokens,
      }),
      requests: t.field({
        type: SafeInt,
        nullable: true,
        description: 'API requests in the result; null when not reported.',
        resolve: (row) => row.requests,
      }),
      webSearchRequests: t.field({
        type: SafeInt,
        description: 'Web search requests made by the server-side tool.',
        resolve: (row) => row.server_tool_use.web_search_requests,
      }),
    }),
  });

const AnalyticsCostReportResult = builder
  .objectRef<CostResult>('AnalyticsCostReportResult')
  .implement({
    description:
      'The cost of one combination of the grouped dimensions (and cost or token type) in a time bucket of the legacy cost report.',
    fields: (t) => ({
      ...dimensionFields(t),
      ...enumFieldPair(t, 'costType', CostType, (row) => row.cost_type, {
        value: 'The kind of cost; null unless grouped by COST_TYPE or TOKEN_TYPE.',
        raw: 'The cost type exactly as the Admin API reports it.',
      }),
      ...enumFieldPair(t, 'tokenType', CostTokenType, (row) => row.token_type, {
        value: 'The kind of tokens of a token cost; null unless grouped by TOKEN_TYPE.',
        raw: 'The token type exactly as the Admin API reports it.',
      }),
      amount: t.field({
        type: Money,
        description: 'The cost after discounts and before credits, exact (see Money).',
        resolve: (row): MoneyShape => ({ minorUnits: row.amount, currency: row.currency }),
      }),
      listAmount: t.field({
        type: Money,
        description: 'The cost at list price, before discounts, exact (see Money).',
        resolve: (row): MoneyShape => ({ minorUnits: row.list_amount, currency: row.currency }),
      }),
      requests: t.field({
        type: SafeInt,
        nullable: true,
        description:
          'API requests in the result; null when grouped by COST_TYPE or TOKEN_TYPE (read it ungrouped).',
        resolve: (row) => row.requests,
      }),
    }),
  });

function bucketType<B extends AnalyticsUsageReportBucket | AnalyticsCostReportBucket, R>(
  name: string,
  what: string,
  results: PothosSchemaTypes.ObjectRef<typeof builder.$inferSchemaTypes, R>,
  pick: (bucket: B) => R[],
) {
  return builder.objectRef<B>(name).implement({
    description: `One time bucket of the legacy ${what} report, with its results.`,
    fields: (t) => ({
      startingAt: t.field({
        type: DateTime,
        description: 'The start of the bucket (inclusive), aligned to its UTC minute, hour or day.',
        resolve: (bucket) => bucket.starting_at,
      }),
      endingAt: t.field({
        type: DateTime,
        description: 'The end of the bucket (exclusive).',
        resolve: (bucket) => bucket.ending_at,
      }),
      results: t.field({
        type: [results],
        description: `The ${what} of the bucket, one result per combination of the grouped dimensions (at most 100 groups per bucket; none when the bucket has no ${what}).`,
        resolve: (bucket) => pick(bucket),
      }),
    }),
  });
}

const AnalyticsUsageReportBucketRef = bucketType<AnalyticsUsageReportBucket, UsageResult>(
  'AnalyticsUsageReportBucket',
  'usage',
  AnalyticsUsageReportResult,
  (bucket) => bucket.results,
);
const AnalyticsCostReportBucketRef = bucketType<AnalyticsCostReportBucket, CostResult>(
  'AnalyticsCostReportBucket',
  'cost',
  AnalyticsCostReportResult,
  (bucket) => bucket.results,
);

const AnalyticsUsageReportConnection = legacyConnection(
  'AnalyticsUsageReportConnection',
  AnalyticsUsageReportBucketRef,
  'legacy usage report bucket',
);
const AnalyticsCostReportConnection = legacyConnection(
  'AnalyticsCostReportConnection',
  AnalyticsCostReportBucketRef,
  'legacy cost report bucket',
);

async function resolveBuckets<T, Q extends object>(
  args: LegacyArgs,
  query: Q,
  fetch: (page: Q & { limit?: number; page?: string }) => Promise<AnalyticsReportPage<T>>,
): Promise<LegacyConnection<T>> {
  const sizes =
    ANALYTICS_LEGACY_BUCKET_SIZES[args.bucketWidth ?? '1d'] ?? ANALYTICS_LEGACY_PAGE_SIZES;
  let dataRefreshedAt: string | null = null;
  const connection = await resolveReportConnection(args, query, sizes, async (page) => {
    const result = await fetch(page);
    dataRefreshedAt = result.data_refreshed_at ?? dataRefreshedAt;
    return result;
  });
  return { ...connection, dataRefreshedAt };
}

const BUCKET_WIDTH =
  'The size of the time buckets (REST `bucket_width`; default DAY). `first` counts buckets: DAY 1–31 (default 7), HOUR 1–168 (24), MINUTE 1–256 (60).';

builder.objectField(Organization, 'analyticsUsageReport', (t) =>
  t.connection(
    {
      type: AnalyticsUsageReportBucketRef,
      description:
        '[Legacy] Token usage over time, in time buckets optionally broken out by dimensions (GET /v1/organizations/analytics/usage_report), one of the legacy Claude Enterprise usage and cost reports: for new integrations use analyticsUsage. Forward only: `last` and `before` are refused.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...bucketedArgs(t.arg),
        bucketWidth: t.arg({ type: AnalyticsTimeBucketWidth, description: BUCKET_WIDTH }),
        groupBy: t.arg({
          type: [AnalyticsLegacyUsageGroupBy],
          description:
            'Dimensions to break each bucket out by (REST `group_by[]`); each bucket reports at most its top 100 groups.',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const query = legacyQuery(args, false) as AnalyticsUsageReportQuery;
        return resolveBuckets(args, query, (page) => listAnalyticsUsageReport(ctx.api, page));
      },
    },
    AnalyticsUsageReportConnection,
  ),
);

builder.objectField(Organization, 'analyticsCostReport', (t) =>
  t.connection(
    {
      type: AnalyticsCostReportBucketRef,
      description:
        '[Legacy] Cost in USD over time, in time buckets optionally broken out by dimensions (GET /v1/organizations/analytics/cost_report), one of the legacy Claude Enterprise usage and cost reports: for new integrations use analyticsCost. Forward only: `last` and `before` are refused.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...bucketedArgs(t.arg),
        bucketWidth: t.arg({ type: AnalyticsTimeBucketWidth, description: BUCKET_WIDTH }),
        groupBy: t.arg({
          type: [AnalyticsLegacyCostGroupBy],
          description:
            'Dimensions to break each bucket out by (REST `group_by[]`); each bucket reports at most its top 100 groups.',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const query = legacyQuery(args, false) as AnalyticsCostReportQuery;
        return resolveBuckets(args, query, (page) => listAnalyticsCostReport(ctx.api, page));
      },
    },
    AnalyticsCostReportConnection,
  ),
);
