import type { ArgBuilder as ArgBuilderOf } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import type {
  AdminApiKey,
  AdminMessagesUsageResult,
  MessagesUsageQuery,
  ReportBucketWidth as BucketWidth,
} from '../../upstream/types.js';
import { ApiKey } from '../nodes/api-key.js';
import { builder } from '../builder.js';
import { enumFieldPair } from '../lib/open-enum.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { Organization } from '../nodes/organization.js';
import { DateTime } from '../lib/scalars.js';
import { User } from '../nodes/user.js';
import { Workspace } from '../nodes/workspace.js';
import {
  bucketEdgeFields,
  ENDING_AT,
  STARTING_AT,
  formatInstant,
  groupBuckets,
  idList,
  requireApiKeysRead,
  workspaceRowFields,
  type Grouped,
  type GroupedBucket,
} from './common.js';
import {
  ContextWindow,
  InferenceSpeed,
  knownValues,
  MessagesUsageGroupBy,
  ReportBucketWidth,
  ReportInferenceGeo,
  ServiceTier,
} from './enums.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { asBigIntOutput, BigIntScalar, SafeInt } from './scalars.js';

type UsageRow = Grouped<AdminMessagesUsageResult>;

/** Page sizes of the usage report per bucket width (REPORTS.md §1.2). */
export const USAGE_PAGE_SIZES: Record<BucketWidth, ReportPageSizes> = {
  '1d': { defaultSize: 7, maxSize: 31, unit: 'bucket' },
  '1h': { defaultSize: 24, maxSize: 168, unit: 'bucket' },
  '1m': { defaultSize: 60, maxSize: 1440, unit: 'bucket' },
};

const CacheCreationTokens = builder
  .objectRef<AdminMessagesUsageResult['cache_creation']>('CacheCreationTokens')
  .implement({
    description: 'Input tokens written to the prompt cache, by cache lifetime.',
    fields: (t) => ({
      ephemeral1hInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 1-hour cache.',
        resolve: (cache) => cache.ephemeral_1h_input_tokens,
      }),
      ephemeral5mInputTokens: t.field({
        type: SafeInt,
        description: 'Input tokens written to the 5-minute cache.',
        resolve: (cache) => cache.ephemeral_5m_input_tokens,
      }),
    }),
  });

const ServerToolUse = builder
  .objectRef<AdminMessagesUsageResult['server_tool_use']>('ServerToolUse')
  .implement({
    description: 'Server-side tool use.',
    fields: (t) => ({
      webSearchRequests: t.field({
        type: SafeInt,
        description: 'Web search tool requests.',
        resolve: (use) => use.web_search_requests,
      }),
    }),
  });

const MessagesUsageRow = builder.objectRef<UsageRow>('MessagesUsageRow').implement({
  description:
    'The token usage of one combination of the grouped dimensions within a bucket. Dimensions the report is not grouped by are null.',
  fields: (t) => ({
    accountId: t.id({
      nullable: true,
      description:
        'The user account (user_…) that made the requests; null when not grouped by ACCOUNT_ID or for requests not made through OAuth.',
      resolve: ({ row }) => row.account_id,
    }),
    account: t.field({
      type: User,
      nullable: true,
      description:
        'The user behind accountId, through the user loader; null when there is none or they are no longer a member.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: ({ row }, _args, ctx) =>
        row.account_id === null ? null : ctx.loaders.users.load(row.account_id),
    }),
    apiKeyId: t.id({
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key used; null when not grouped by API_KEY_ID or for Console (Playground) usage. Needs the `api_keys:read` scope.',
      resolve: ({ row }) => row.api_key_id,
    }),
    apiKey: t.field({
      type: ApiKey,
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key behind apiKeyId, through the API key loader; null when there is none. Needs the `api_keys:read` scope.',
      extensions: costExtension({ kind: 'reference', collection: 'apiKeys' }),
      resolve: ({ row }, _args, ctx) =>
        row.api_key_id === null ? null : ctx.loaders.apiKeys.load(row.api_key_id),
    }),
    serviceAccountId: t.id({
      nullable: true,
      description:
        'The service account (svac_…) that made the requests; null when not grouped by SERVICE_ACCOUNT_ID or for requests not made through OIDC federation.',
      resolve: ({ row }) => row.service_account_id,
    }),
    ...workspaceRowFields(t),
    model: t.string({
      nullable: true,
      description: 'The model; null when not grouped by MODEL.',
      resolve: ({ row }) => row.model,
    }),
    ...enumFieldPair(t, 'contextWindow', ContextWindow, ({ row }) => row.context_window, {
      value: 'The context-window tier; null when not grouped by CONTEXT_WINDOW.',
      raw: 'The context window exactly as the Admin API reports it ("0-200k").',
    }),
    ...enumFieldPair(t, 'inferenceGeo', ReportInferenceGeo, ({ row }) => row.inference_geo, {
      value: 'Where inference ran; null when not grouped by INFERENCE_GEO.',
      raw: 'The inference geo exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'serviceTier', ServiceTier, ({ row }) => row.service_tier, {
      value: 'The service tier; null when not grouped by SERVICE_TIER.',
      raw: 'The service tier exactly as the Admin API reports it.',
    }),
    speed: t.field({
      type: InferenceSpeed.ref,
      nullable: true,
      description:
        'The inference speed, when the Admin API reports one (grouped by SPEED); null otherwise.',
      resolve: ({ row }) => InferenceSpeed.fromUpstream(row.speed),
    }),
    speedValue: t.string({
      nullable: true,
      description: 'The speed exactly as the Admin API reports it.',
      resolve: ({ row }) => row.speed ?? null,
    }),
    uncachedInputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens not read from or written to the cache.',
      resolve: ({ row }) => row.uncached_input_tokens,
    }),
    cacheReadInputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens read from the cache.',
      resolve: ({ row }) => row.cache_read_input_tokens,
    }),
    cacheCreation: t.field({
      type: CacheCreationTokens,
      description: 'Input tokens written to the cache.',
      resolve: ({ row }) => row.cache_creation,
    }),
    outputTokens: t.field({
      type: SafeInt,
      description: 'Output tokens.',
      resolve: ({ row }) => row.output_tokens,
    }),
    inputTokens: t.field({
      type: BigIntScalar,
      description:
        'All input tokens: uncached, read from the cache and written to it, summed exactly (a BigInt: the sum of four counts can pass 2^53).',
      resolve: ({ row }) =>
        asBigIntOutput(
          BigInt(row.uncached_input_tokens) +
            BigInt(row.cache_read_input_tokens) +
            BigInt(row.cache_creation.ephemeral_1h_input_tokens) +
            BigInt(row.cache_creation.ephemeral_5m_input_tokens),
        ),
    }),
    totalInputTokens: t.field({
      type: SafeInt,
      description: 'All input tokens: uncached, read from the cache and written to it.',
      deprecationReason:
        'Use inputTokens (BigInt): this sum of four counts is a SafeInt, which fails the row above 2^53 − 1.',
      resolve: ({ row }) =>
        row.uncached_input_tokens +
        row.cache_read_input_tokens +
        row.cache_creation.ephemeral_1h_input_tokens +
        row.cache_creation.ephemeral_5m_input_tokens,
    }),
    serverToolUse: t.field({
      type: ServerToolUse,
      description: 'Server-side tool use.',
      resolve: ({ row }) => row.server_tool_use,
    }),
  }),
});

const MessagesUsageBucket = builder
  .objectRef<GroupedBucket<AdminMessagesUsageResult>>('MessagesUsageBucket')
  .implement({
    description:
      'One time bucket of the Messages usage report. Buckets without usage are included, with no rows.',
    fields: (t) => ({
      ...bucketEdgeFields(t),
      results: t.field({
        type: [MessagesUsageRow],
        description:
          'One row per combination of the grouped dimensions, sorted by them; a single total row when nothing is grouped; none when there was no usage.',
        resolve: (bucket) => bucket.results,
      }),
    }),
  });

export const MessagesUsageConnection = builder.connectionObject(
  {
    type: MessagesUsageBucket,
    name: 'MessagesUsageConnection',
    description:
      'A page of Messages usage buckets, oldest first. Pages forward only (`first`/`after`).',
  },
  { name: 'MessagesUsageEdge', description: 'A usage bucket and its cursor.' },
);

type Filter =
  | 'accountIds'
  | 'apiKeyIds'
  | 'contextWindows'
  | 'inferenceGeos'
  | 'models'
  | 'serviceAccountIds'
  | 'serviceTiers'
  | 'speeds'
  | 'workspaceIds';

interface UsageArgs extends ConnectionArgs {
  startingAt: Date;
  endingAt?: Date | null;
  bucketWidth?: string | null;
  groupBy?: readonly string[] | null;
  accountIds?: readonly string[] | null;
  apiKeyIds?: readonly string[] | null;
  contextWindows?: readonly string[] | null;
  inferenceGeos?: readonly string[] | null;
  models?: readonly string[] | null;
  serviceAccountIds?: readonly string[] | null;
  serviceTiers?: readonly string[] | null;
  speeds?: readonly string[] | null;
  workspaceIds?: readonly string[] | null;
}

/** The REST query for the arguments; `scope` fixes a filter (Workspace.usage, ApiKey.usage). */
function usageQuery(args: UsageArgs, scope: Partial<MessagesUsageQuery>): MessagesUsageQuery {
  const lists: Partial<Record<keyof MessagesUsageQuery, string[] | undefined>> = {
    group_by: knownValues(args.groupBy, 'groupBy'),
    account_ids: idList('user', args.accountIds, 'accountIds'),
    api_key_ids: idList('apiKey', args.apiKeyIds, 'apiKeyIds'),
    context_window: knownValues(args.contextWindows, 'contextWindows'),
    inference_geos: knownValues(args.inferenceGeos, 'inferenceGeos'),
    models: args.models == null ? undefined : [...args.models],
    service_account_ids: idList('serviceAccount', args.serviceAccountIds, 'serviceAccountIds'),
    service_tiers: knownValues(args.serviceTiers, 'serviceTiers'),
    speeds: knownValues(args.speeds, 'speeds'),
    workspace_ids: idList('workspace', args.workspaceIds, 'workspaceIds'),
  };
  const query: MessagesUsageQuery = {
    starting_at: formatInstant(args.startingAt),
    ...(args.endingAt != null ? { ending_at: formatInstant(args.endingAt) } : {}),
    bucket_width: (args.bucketWidth ?? '1d') as BucketWidth,
  };
  for (const [name, values] of Object.entries(lists)) {
    if (values !== undefined) (query as unknown as Record<string, unknown>)[name] = values;
  }
  return { ...query, ...scope };
}

/** The argument of a usage field that would show API keys, as named in a refusal; null if none. */
function apiKeyArgument(args: UsageArgs): string | null {
  if (args.groupBy?.includes('api_key_id')) return 'groupBy: API_KEY_ID';
  if (args.apiKeyIds != null) return 'apiKeyIds';
  return null;
}

function resolveUsage(
  args: UsageArgs,
  scope: Partial<MessagesUsageQuery>,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
) {
  // ApiKey.usage is already behind api_keys:read (the ApiKey type); its own filter is the key.
  requireApiKeysRead(ctx, info, apiKeyArgument(args));
  const query = usageQuery(args, scope);
  const sizes = USAGE_PAGE_SIZES[query.bucket_width ?? '1d'];
  return resolveReportConnection(args, query, sizes, async (page) => {
    const report = await ctx.api.messagesUsageReport(page);
    return { ...report, data: groupBuckets(report.data, query.group_by ?? []) };
  });
}

const FILTER_DESCRIPTIONS: Record<Filter, string> = {
  accountIds: 'Restrict the usage to these user accounts (user_…; REST `account_ids[]`).',
  apiKeyIds:
    'Restrict the usage to these API keys (apikey_…; REST `api_key_ids[]`). Needs the `api_keys:read` scope.',
  contextWindows: 'Restrict the usage to these context-window tiers (REST `context_window[]`).',
  inferenceGeos:
    'Restrict the usage to these inference geos (REST `inference_geos[]`); NOT_AVAILABLE selects models that take no inference geo.',
  models: 'Restrict the usage to these models (model ids; REST `models[]`).',
  serviceAccountIds:
    'Restrict the usage to these service accounts (svac_…; REST `service_account_ids[]`).',
  serviceTiers: 'Restrict the usage to these service tiers (REST `service_tiers[]`).',
  speeds:
    'Restrict the usage to these speeds (REST `speeds[]`; research preview, the gateway sends the beta header it needs).',
  workspaceIds:
    'Restrict the usage to these workspaces (wrkspc_…; REST `workspace_ids[]`; the Default Workspace’s id selects its usage).',
};

type ArgBuilder = ArgBuilderOf<typeof builder.$inferSchemaTypes>;

/** The report's arguments, less the filter a scoped field fixes. */
function usageArgs(arg: ArgBuilder) {
  return {
    startingAt: arg({
      type: DateTime,
      required: true,
      description: STARTING_AT,
    }),
    endingAt: arg({
      type: DateTime,
      description: ENDING_AT,
    }),
    bucketWidth: arg({
      type: ReportBucketWidth,
      defaultValue: '1d',
      description:
        'The time granularity of the buckets (REST `bucket_width`, default DAY); it sets the page size bounds of `first`.',
    }),
    groupBy: arg({
      type: [MessagesUsageGroupBy],
      description:
        'Group by any subset of the dimensions (REST `group_by[]`): each bucket gets one row per combination of their values; none gives one total row per bucket. API_KEY_ID needs the `api_keys:read` scope.',
    }),
    accountIds: arg.idList({ description: FILTER_DESCRIPTIONS.accountIds }),
    apiKeyIds: arg.idList({ description: FILTER_DESCRIPTIONS.apiKeyIds }),
    contextWindows: arg({
      type: [ContextWindow.ref],
      description: FILTER_DESCRIPTIONS.contextWindows,
    }),
    inferenceGeos: arg({
      type: [ReportInferenceGeo.ref],
      description: FILTER_DESCRIPTIONS.inferenceGeos,
    }),
    models: arg.stringList({ description: FILTER_DESCRIPTIONS.models }),
    serviceAccountIds: arg.idList({ description: FILTER_DESCRIPTIONS.serviceAccountIds }),
    serviceTiers: arg({ type: [ServiceTier.ref], description: FILTER_DESCRIPTIONS.serviceTiers }),
    speeds: arg({ type: [InferenceSpeed.ref], description: FILTER_DESCRIPTIONS.speeds }),
    workspaceIds: arg.idList({ description: FILTER_DESCRIPTIONS.workspaceIds }),
  };
}

const PAGE_NOTE =
  '`first` counts buckets: 1–31 for DAY (default 7), 1–168 for HOUR (default 24), 1–1440 for MINUTE (default 60). Forward only: `last` and `before` are refused.';

builder.objectField(Organization, 'messagesUsageReport', (t) =>
  t.connection(
    {
      type: MessagesUsageBucket,
      description: `Token usage of the Messages API in time buckets, optionally grouped and filtered (GET /v1/organizations/usage_report/messages). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: usageArgs(t.arg),
      resolve: (_organization, args, ctx, info) => resolveUsage(args, {}, ctx, info),
    },
    MessagesUsageConnection,
  ),
);

builder.objectField(Workspace, 'usage', (t) => {
  const { workspaceIds: _workspaceIds, ...args } = usageArgs(t.arg);
  return t.connection(
    {
      type: MessagesUsageBucket,
      description: `This workspace’s Messages usage: the usage report filtered to it (workspace_ids[]). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args,
      resolve: (workspace, args, ctx, info) =>
        resolveUsage(args, { workspace_ids: [workspace.id] }, ctx, info),
    },
    MessagesUsageConnection,
  );
});

builder.objectField(ApiKey, 'usage', (t) => {
  const { apiKeyIds: _apiKeyIds, ...args } = usageArgs(t.arg);
  return t.connection(
    {
      type: MessagesUsageBucket,
      description: `This key’s Messages usage: the usage report filtered to it (api_key_ids[]). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args,
      resolve: (key: AdminApiKey, args, ctx, info) =>
        resolveUsage(args, { api_key_ids: [key.id] }, ctx, info),
    },
    MessagesUsageConnection,
  );
});
