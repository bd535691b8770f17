import type { ArgBuilder as ArgBuilderOf } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { isId } from '../../domain/ids.js';
import {
  listAnalyticsCost,
  listAnalyticsUsage,
  type AnalyticsActor as AnalyticsActorShape,
  type AnalyticsCostItem,
  type AnalyticsCostQuery,
  type AnalyticsReportPage,
  type AnalyticsUsageItem,
  type AnalyticsUsageQuery,
} from '../../upstream/resources/analytics.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { checkIdArgument } from '../lib/lookup.js';
import { badUserInput } from '../lib/errors.js';
import { enumFieldPair } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import {
  resolveReportConnection,
  type ReportConnection,
  type ReportPageSizes,
} from '../lib/token-paging.js';
import { ApiKey } from '../nodes/api-key.js';
import { Organization } from '../nodes/organization.js';
import { RbacGroup } from '../nodes/rbac-group.js';
import { User } from '../nodes/user.js';
import { Workspace } from '../nodes/workspace.js';
import {
  AnalyticsActorType,
  AnalyticsClaudeTagCategory,
  AnalyticsCostGroupBy,
  AnalyticsCostOrderBy,
  AnalyticsProduct,
  AnalyticsSortOrder,
  AnalyticsTimeBucketWidth,
  AnalyticsUsageGroupBy,
  AnalyticsUsageOrderBy,
} from './analytics-enums.js';
import { formatInstant, idList, requireApiKeysRead } from './common.js';
import {
  ContextWindow,
  CostTokenType,
  CostType,
  InferenceSpeed,
  knownValues,
  ReportInferenceGeo,
  ServiceTier,
} from './enums.js';
import { Money, SafeInt, type MoneyShape } from './scalars.js';

/*
 * Usage and cost analytics (beta `analytics-usage-cost-2026-08-24`): GET
 * /v1/organizations/analytics/usage and /cost, as Organization.analyticsUsage and
 * Organization.analyticsCost. Rows are ranked (or ordered by time bucket) and paged with tokens
 * bound to their query (`resolveReportConnection`); each row carries the values of the
 * dimensions it is grouped by, related to the graph's nodes where it has them (User, Workspace,
 * RbacGroup, ApiKey). Without the beta the field alone fails with NOT_ENABLED.
 * API keys stay behind `api_keys:read`: grouping or filtering by key (API_KEY_ID, apiKeyIds, an
 * apikey_ id in actorIds) is refused before any request, and key ids in rows are FORBIDDEN fields.
 */

/** Page sizes of the usage and cost analytics: `limit` 1–1000, default 20 rows. */
export const ANALYTICS_USAGE_PAGE_SIZES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'row',
  list: 'analytics report',
};

type Row = AnalyticsUsageItem | AnalyticsCostItem;
type Group = AnalyticsUsageItem['group'] & Partial<AnalyticsCostItem['group']>;
const groupOf = (row: Row): Group => row.group;

/** A report page with when its data was last refreshed. */
type AnalyticsConnection<T> = ReportConnection<T> & { dataRefreshedAt: string | null };

export const AnalyticsActor = builder.objectRef<AnalyticsActorShape>('AnalyticsActor').implement({
  description:
    'The identity analytics usage or cost is attributed to: a user, a service account, a federated (cloud-platform or OIDC) identity, or an API key. Fields of the other kinds are null.',
  fields: (t) => ({
    ...enumFieldPair(t, 'type', AnalyticsActorType, (actor) => actor.type, {
      value: 'The kind of identity.',
      raw: 'The kind of identity exactly as the Admin API reports it.',
    }),
    userId: t.id({
      nullable: true,
      description: 'The user (user_…), for a user; null otherwise.',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.user_id : null),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The user, through the user loader; null for other kinds, and for users who are no longer members (see deleted).',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (actor, _args, ctx: GatewayContext) =>
        actor.type === 'user_actor' ? ctx.loaders.users.load(actor.user_id) : null,
    }),
    emailAddress: t.string({
      nullable: true,
      description:
        'The user’s current email address, also for removed users; null when the account was deleted, and for other kinds.',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.email_address : null),
    }),
    name: t.string({
      nullable: true,
      description:
        'The user’s current full name ("Deleted User" for deleted accounts and hidden removed users); null when unset, and for other kinds.',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.name : null),
    }),
    deleted: t.boolean({
      nullable: true,
      description:
        'For a user: whether the account was deleted or is no longer a member of the organization. Null for other kinds.',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.deleted : null),
    }),
    serviceAccountId: t.id({
      nullable: true,
      description: 'The service account (svac_…), for a service account; null otherwise.',
      resolve: (actor) =>
        actor.type === 'service_account_actor' ? actor.service_account_id : null,
    }),
    apiKeyId: t.id({
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key (apikey_…), for usage attributed to a key alone; null otherwise. Needs the `api_keys:read` scope.',
      resolve: (actor) => (actor.type === 'api_actor' ? actor.api_key_id : null),
    }),
    apiKey: t.field({
      type: ApiKey,
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key behind apiKeyId, through the API key loader; null otherwise. Needs the `api_keys:read` scope.',
      extensions: costExtension({ kind: 'reference', collection: 'apiKeys' }),
      resolve: (actor, _args, ctx: GatewayContext) =>
        actor.type === 'api_actor' ? ctx.loaders.apiKeys.load(actor.api_key_id) : null,
    }),
    federatedSubject: t.string({
      nullable: true,
      description:
        'For a federated identity: the provider’s identifier of the caller (an IAM principal ARN on AWS, a principal identifier on Google Cloud); null otherwise.',
      resolve: (actor) => (actor.type === 'federated_actor' ? actor.subject : null),
    }),
    federatedProvider: t.string({
      nullable: true,
      description:
        'For a federated identity: the trusted provider that asserted it ("aws", "azure", "gcp" or "oidc"); null otherwise.',
      resolve: (actor) => (actor.type === 'federated_actor' ? actor.provider.type : null),
    }),
    federatedProviderAccount: t.string({
      nullable: true,
      description:
        'For a federated identity: what the organization is bound to at the provider — the AWS account id, Azure subscription id, Google Cloud project number, or the OIDC issuer URL; null otherwise.',
      resolve: (actor) => {
        if (actor.type !== 'federated_actor') return null;
        const provider = actor.provider;
        switch (provider.type) {
          case 'aws':
            return provider.account_id;
          case 'azure':
            return provider.subscription_id;
          case 'gcp':
            return provider.project_number;
          case 'oidc':
            return provider.issuer;
          default:
            return null;
        }
      },
    }),
  }),
});

/** The dimension fields of a usage or cost row; each is null unless its dimension is grouped. */
function groupFields<R extends Row>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, R>,
) {
  const g = (row: R) => groupOf(row);
  return {
    actor: t.field({
      type: AnalyticsActor,
      nullable: true,
      description:
        'The identity the row is attributed to; null unless grouped by ACTOR, for usage with no attributable identity, and for identities the Admin API cannot show the reader.',
      resolve: (row) => g(row).actor,
    }),
    ...enumFieldPair(t, 'actorType', AnalyticsActorType, (row) => g(row).actor_type, {
      value: 'The kind of identity; null unless grouped by ACTOR_TYPE.',
      raw: 'The kind of identity exactly as the Admin API reports it.',
    }),
    agentId: t.id({
      nullable: true,
      description:
        'The Claude Managed Agents agent; null unless grouped by AGENT_ID, or outside a managed session.',
      resolve: (row) => g(row).agent_id,
    }),
    apiKeyId: t.id({
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key that authenticated the requests; null unless grouped by API_KEY_ID. Needs the `api_keys:read` scope.',
      resolve: (row) => g(row).api_key_id,
    }),
    apiKey: t.field({
      type: ApiKey,
      nullable: true,
      authScopes: { apiKeysRead: true },
      description:
        'The API key behind apiKeyId, through the API key loader. Needs the `api_keys:read` scope.',
      extensions: costExtension({ kind: 'reference', collection: 'apiKeys' }),
      resolve: (row, _args, ctx: GatewayContext) => {
        const id = g(row).api_key_id;
        return id === null ? null : ctx.loaders.apiKeys.load(id);
      },
    }),
    ...enumFieldPair(
      t,
      'claudeTagCategory',
      AnalyticsClaudeTagCategory,
      (row) => g(row).claude_tag_category,
      {
        value: 'The Claude Tag spend category; null unless grouped by CLAUDE_TAG_CATEGORY.',
        raw: 'The Claude Tag category exactly as the Admin API reports it.',
      },
    ),
    claudeTagUserId: t.string({
      nullable: true,
      description:
        'The Slack user id (U…) a Claude Tag usage is attributed to, not a claude.ai user; null unless grouped by CLAUDE_TAG_USER_ID.',
      resolve: (row) => g(row).claude_tag_user_id,
    }),
    ...enumFieldPair(t, 'contextWindow', ContextWindow, (row) => g(row).context_window, {
      value: 'The context-window pricing tier; null unless grouped by CONTEXT_WINDOW.',
      raw: 'The context window exactly as the Admin API reports it.',
    }),
    deploymentId: t.id({
      nullable: true,
      description: 'The deployment that started the session; null unless grouped by DEPLOYMENT_ID.',
      resolve: (row) => g(row).deployment_id,
    }),
    environmentId: t.id({
      nullable: true,
      description: 'The Claude Managed Agents environment; null unless grouped by ENVIRONMENT_ID.',
      resolve: (row) => g(row).environment_id,
    }),
    ...enumFieldPair(t, 'inferenceGeo', ReportInferenceGeo, (row) => g(row).inference_geo, {
      value: 'The inference region; null unless grouped by INFERENCE_GEO, or when not set.',
      raw: 'The inference region exactly as the Admin API reports it.',
    }),
    model: t.string({
      nullable: true,
      description:
        'The model, in the form the models filter takes; null unless grouped by MODEL, or for usage of no model (code execution).',
      resolve: (row) => g(row).model,
    }),
    organizationId: t.id({
      nullable: true,
      description:
        'The child organization (a UUID), on a parent organization’s report; null unless grouped by ORGANIZATION_ID.',
      resolve: (row) => g(row).organization_id,
    }),
    ...enumFieldPair(t, 'product', AnalyticsProduct, (row) => g(row).product, {
      value: 'The product surface; null unless grouped by PRODUCT, or when unattributable.',
      raw: 'The product exactly as the Admin API reports it.',
    }),
    rbacGroupId: t.id({
      nullable: true,
      description:
        'The RBAC group (rbac_group_…); null unless grouped by RBAC_GROUP_ID, and null on the single row of users in no group.',
      resolve: (row) => g(row).rbac_group_id,
    }),
    rbacGroup: t.field({
      type: RbacGroup,
      nullable: true,
      description:
        'The RBAC group behind rbacGroupId, through the RBAC group loader; null when there is none or it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (row, _args, ctx: GatewayContext) => {
        const id = g(row).rbac_group_id;
        return id !== null && isId('rbacGroup', id) ? ctx.loaders.rbacGroups.load(id) : null;
      },
    }),
    ...enumFieldPair(t, 'serviceTier', ServiceTier, (row) => g(row).service_tier, {
      value: 'The service tier; null unless grouped by SERVICE_TIER, or for usage with no tier.',
      raw: 'The service tier exactly as the Admin API reports it.',
    }),
    sessionId: t.id({
      nullable: true,
      description: 'The Claude Managed Agents session; null unless grouped by SESSION_ID.',
      resolve: (row) => g(row).session_id,
    }),
    slackChannelId: t.string({
      nullable: true,
      description: 'The Slack channel; null unless grouped by SLACK_CHANNEL_ID, or outside Slack.',
      resolve: (row) => g(row).slack_channel_id,
    }),
    ...enumFieldPair(t, 'speed', InferenceSpeed, (row) => g(row).speed, {
      value: 'The inference speed mode; null unless grouped by SPEED.',
      raw: 'The speed exactly as the Admin API reports it.',
    }),
    userProfileId: t.id({
      nullable: true,
      description: 'The user profile (uprof_…); null unless grouped by USER_PROFILE_ID.',
      resolve: (row) => g(row).user_profile_id,
    }),
    workspaceId: t.id({
      nullable: true,
      description:
        'The workspace (wrkspc_…); null unless grouped by WORKSPACE_ID, and for a Claude Enterprise organization’s default workspace.',
      resolve: (row) => g(row).workspace_id,
    }),
    workspace: t.field({
      type: Workspace,
      nullable: true,
      description:
        'The workspace behind workspaceId, through the workspace loader; null when there is none or it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: (row, _args, ctx: GatewayContext) => {
        const id = g(row).workspace_id;
        return id === null ? null : ctx.loaders.workspaces.load(id);
      },
    }),
    startingAt: t.field({
      type: DateTime,
      description:
        'The start of the period the row covers (inclusive): its time bucket, or the requested start rounded down to the hour.',
      resolve: (row) => row.starting_at,
    }),
    endingAt: t.field({
      type: DateTime,
      description:
        'The end of the period the row covers (exclusive): its time bucket’s end, or the requested end (by default the earlier of now and 31 days after the start) rounded down to the hour.',
      resolve: (row) => row.ending_at,
    }),
  };
}

const AnalyticsUsageRow = builder.objectRef<AnalyticsUsageItem>('AnalyticsUsageRow').implement({
  description:
    'One row of the analytics usage report: the token usage of one combination of the grouped dimensions (and time bucket), over all usage whether or not a seat user is attributed.',
  fields: (t) => ({
    ...groupFields(t),
    uncachedInputTokens: t.field({
      type: SafeInt,
      description: 'Uncached input tokens processed.',
      resolve: (row) => row.usage.uncached_input_tokens,
    }),
    cacheReadInputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens read from the cache.',
      resolve: (row) => row.usage.cache_read_input_tokens,
    }),
    cacheCreation1hInputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens written to the 1-hour cache.',
      resolve: (row) => row.usage.cache_creation.ephemeral_1h_input_tokens,
    }),
    cacheCreation5mInputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens written to the 5-minute cache.',
      resolve: (row) => row.usage.cache_creation.ephemeral_5m_input_tokens,
    }),
    outputTokens: t.field({
      type: SafeInt,
      description: 'Output tokens generated.',
      resolve: (row) => row.usage.output_tokens,
    }),
    totalTokens: t.field({
      type: SafeInt,
      description: 'All tokens of every type, as the Admin API sums them (the default ranking).',
      resolve: (row) => row.usage.total_tokens,
    }),
    requests: t.field({
      type: SafeInt,
      nullable: true,
      description:
        'API requests in the row (execution spans for code execution, whose rows have no product); null when not reported.',
      resolve: (row) => row.usage.requests,
    }),
    webSearchRequests: t.field({
      type: SafeInt,
      description: 'Web search requests made by the server-side tool.',
      resolve: (row) => row.usage.server_tool_use.web_search_requests,
    }),
  }),
});

const AnalyticsCostRow = builder.objectRef<AnalyticsCostItem>('AnalyticsCostRow').implement({
  description:
    'One row of the analytics cost report: the cost of one combination of the grouped dimensions (and time bucket).',
  fields: (t) => ({
    ...groupFields(t),
    ...enumFieldPair(t, 'costType', CostType, (row) => row.group.cost_type, {
      value: 'The kind of cost; null unless grouped by COST_TYPE.',
      raw: 'The cost type exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'tokenType', CostTokenType, (row) => row.group.token_type, {
      value: 'The kind of tokens of a token cost; null unless grouped by TOKEN_TYPE.',
      raw: 'The token type exactly as the Admin API reports it.',
    }),
    amount: t.field({
      type: Money,
      description: 'The cost after discounts and before credits, exact (see Money).',
      resolve: (row): MoneyShape => ({ minorUnits: row.cost.amount, currency: row.cost.currency }),
    }),
    listAmount: t.field({
      type: Money,
      description: 'The cost at list price, before discounts, exact (see Money).',
      resolve: (row): MoneyShape => ({
        minorUnits: row.cost.list_amount,
        currency: row.cost.currency,
      }),
    }),
    requests: t.field({
      type: SafeInt,
      nullable: true,
      description:
        'API requests in the row; null when grouped by COST_TYPE or TOKEN_TYPE (the count has no per-component share: read it ungrouped).',
      resolve: (row) => row.cost.requests,
    }),
  }),
});

function analyticsConnection<T>(
  name: string,
  node: PothosSchemaTypes.ObjectRef<typeof builder.$inferSchemaTypes, T>,
  what: string,
) {
  return builder.connectionObject(
    {
      type: node,
      name,
      description: `A page of ${what} rows, in the report’s order. Pages forward only (\`first\`/\`after\`).`,
      fields: (t) => ({
        dataRefreshedAt: t.field({
          type: DateTime,
          nullable: true,
          description:
            'When the data behind the report was last refreshed (REST `data_refreshed_at`); null when the Admin API does not say.',
          resolve: (connection) =>
            (connection as unknown as AnalyticsConnection<T>).dataRefreshedAt,
        }),
      }),
    },
    {
      name: `${name.replace(/Connection$/, '')}Edge`,
      description: `A ${what} row and its cursor.`,
    },
  );
}

const AnalyticsUsageConnection = analyticsConnection(
  'AnalyticsUsageConnection',
  AnalyticsUsageRow,
  'analytics usage',
);
const AnalyticsCostConnection = analyticsConnection(
  'AnalyticsCostConnection',
  AnalyticsCostRow,
  'analytics cost',
);

interface AnalyticsArgs extends ConnectionArgs {
  startingAt: Date;
  endingAt?: Date | null;
  timeBucketWidth?: string | null;
  groupBy?: readonly string[] | null;
  orderBy?: string | null;
  order?: string | null;
  actorIds?: readonly string[] | null;
  actorTypes?: readonly string[] | null;
  agentIds?: readonly string[] | null;
  apiKeyIds?: readonly string[] | null;
  claudeTagCategories?: readonly string[] | null;
  claudeTagUserIds?: readonly string[] | null;
  contextWindows?: readonly string[] | null;
  deploymentIds?: readonly string[] | null;
  environmentIds?: readonly string[] | null;
  excludeDeletedUsers?: boolean | null;
  inferenceGeos?: readonly string[] | null;
  models?: readonly string[] | null;
  organizationIds?: readonly string[] | null;
  products?: readonly string[] | null;
  rbacGroupIds?: readonly string[] | null;
  serviceTiers?: readonly string[] | null;
  sessionIds?: readonly string[] | null;
  slackChannelIds?: readonly string[] | null;
  speeds?: readonly string[] | null;
  userProfileIds?: readonly string[] | null;
  workspaceIds?: readonly string[] | null;
}

const strings = (values: readonly string[] | null | undefined) =>
  values == null ? undefined : [...values];

/** Products the usage and cost filters take (output-only values are refused). */
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

/** The REST query of the arguments shared by both reports (without paging, group and order). */
function sharedQuery(args: AnalyticsArgs) {
  const products = knownValues(args.products, 'products');
  for (const product of products ?? []) {
    if (!PRODUCT_FILTERS.has(product)) {
      throw badUserInput(
        `\`products\` cannot select ${product.toUpperCase()}: it is an output value only.`,
        { argumentName: 'products' },
      );
    }
  }
  const lists = {
    actor_ids: args.actorIds?.map((id) => checkActorId(id)),
    actor_types: knownValues(args.actorTypes, 'actorTypes'),
    agent_ids: strings(args.agentIds),
    api_key_ids: idList('apiKey', args.apiKeyIds, 'apiKeyIds'),
    claude_tag_categories: knownValues(args.claudeTagCategories, 'claudeTagCategories'),
    claude_tag_user_ids: strings(args.claudeTagUserIds),
    context_windows: knownValues(args.contextWindows, 'contextWindows'),
    deployment_ids: strings(args.deploymentIds),
    environment_ids: strings(args.environmentIds),
    inference_geos: knownValues(args.inferenceGeos, 'inferenceGeos'),
    models: strings(args.models),
    organization_ids: strings(args.organizationIds),
    products,
    rbac_group_ids: args.rbacGroupIds?.map((id) =>
      checkIdArgument('rbacGroup', id, 'rbacGroupIds'),
    ),
    service_tiers: knownValues(args.serviceTiers, 'serviceTiers'),
    session_ids: strings(args.sessionIds),
    slack_channel_ids: strings(args.slackChannelIds),
    speeds: knownValues(args.speeds, 'speeds'),
    user_profile_ids: strings(args.userProfileIds),
    workspace_ids: idList('workspace', args.workspaceIds, 'workspaceIds'),
  };
  const query: Record<string, unknown> = { starting_at: formatInstant(args.startingAt) };
  if (args.endingAt != null) query['ending_at'] = formatInstant(args.endingAt);
  if (args.timeBucketWidth != null) query['time_bucket_width'] = args.timeBucketWidth;
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

/** An actor id: a user, service account or API key id. */
function checkActorId(id: string): string {
  if (isId('user', id) || isId('serviceAccount', id) || isId('apiKey', id)) return id;
  throw badUserInput(
    `\`actorIds\` must hold user (user_…), service account (svac_…) or API key (apikey_…) ids; got ${JSON.stringify(id.slice(0, 100))}.`,
    { argumentName: 'actorIds' },
  );
}

/** The argument that would show API keys, as named in a refusal; null if none. */
function apiKeyArgument(args: AnalyticsArgs): string | null {
  if (args.groupBy?.includes('api_key_id')) return 'groupBy: API_KEY_ID';
  if (args.apiKeyIds != null) return 'apiKeyIds';
  if (args.actorIds?.some((id) => isId('apiKey', id))) return 'actorIds';
  return null;
}

async function resolveAnalytics<T, Q extends object>(
  args: AnalyticsArgs,
  query: Q,
  fetch: (page: Q & { limit?: number; page?: string }) => Promise<AnalyticsReportPage<T>>,
): Promise<AnalyticsConnection<T>> {
  let dataRefreshedAt: string | null = null;
  const connection = await resolveReportConnection(
    args,
    query,
    ANALYTICS_USAGE_PAGE_SIZES,
    async (page) => {
      const result = await fetch(page);
      dataRefreshedAt = result.data_refreshed_at ?? dataRefreshedAt;
      return result;
    },
  );
  return { ...connection, dataRefreshedAt };
}

const FILTERS = {
  actorIds:
    'Only usage attributed to these identities (REST `actor_ids[]`): user_…, svac_… or apikey_… ids; an API key id matches usage attributed to the key alone and needs the `api_keys:read` scope. Federated identities have no id: use actorTypes.',
  actorTypes: 'Only usage attributed to these kinds of identity (REST `actor_types[]`).',
  agentIds: 'Only usage of Claude Managed Agents sessions of these agents (REST `agent_ids[]`).',
  apiKeyIds:
    'Only requests these API keys authenticated, whoever they are attributed to (apikey_…; REST `api_key_ids[]`). Needs the `api_keys:read` scope.',
  claudeTagCategories:
    'Only Claude Tag usage of these categories (REST `claude_tag_categories[]`).',
  claudeTagUserIds:
    'Only Claude Tag usage attributed to these Slack users (REST `claude_tag_user_ids[]`).',
  contextWindows: 'Only these context-window tiers (REST `context_windows[]`).',
  deploymentIds: 'Only usage of sessions these deployments started (REST `deployment_ids[]`).',
  environmentIds:
    'Only usage of sessions that ran in these environments (REST `environment_ids[]`).',
  excludeDeletedUsers:
    'Leave out rows whose actor is a deleted user (REST `exclude_deleted_users`); needs groupBy ACTOR. A page may then hold fewer rows than `first`.',
  inferenceGeos:
    'Only these inference regions (REST `inference_geos[]`); NOT_AVAILABLE selects rows where the region is not set.',
  models: 'Only these models (REST `models[]`), e.g. "claude-opus-5-5".',
  organizationIds:
    'On a parent organization’s report: only these child organizations (UUIDs or org_… ids; REST `organization_ids[]`).',
  products:
    'Only these product surfaces (REST `products[]`); CC_SECURITY_AUTOPATCH and OTHER are output values and are refused.',
  rbacGroupIds:
    'Only usage of users who belonged to one of these RBAC groups on the UTC day of the usage (rbac_group_…; REST `rbac_group_ids[]`).',
  serviceTiers: 'Only these service tiers (REST `service_tiers[]`).',
  sessionIds: 'Only these Claude Managed Agents sessions (sesn_…; REST `session_ids[]`).',
  slackChannelIds: 'Only usage from these Slack channels (REST `slack_channel_ids[]`).',
  speeds: 'Only these inference speed modes (REST `speeds[]`).',
  userProfileIds:
    'Only usage attributed to these user profiles (uprof_…; REST `user_profile_ids[]`).',
  workspaceIds: 'Only usage in these workspaces (wrkspc_…; REST `workspace_ids[]`).',
} as const;

type ArgBuilder = ArgBuilderOf<typeof builder.$inferSchemaTypes>;

function sharedArgs(arg: ArgBuilder) {
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
        'End of the range, exclusive (REST `ending_at`); required with timeBucketWidth. Left out, the earlier of now and 31 days after startingAt. The range spans at most 31 days (24 hours with MINUTE buckets).',
    }),
    timeBucketWidth: arg({
      type: AnalyticsTimeBucketWidth,
      description:
        'Rows per time bucket (REST `time_bucket_width`; each bucket counts toward `first`). Left out, each row covers the whole range, in whole hours.',
    }),
    order: arg({
      type: AnalyticsSortOrder,
      description: 'The direction of the ranking (REST `order`; default DESCENDING).',
    }),
    actorIds: arg.idList({ description: FILTERS.actorIds }),
    actorTypes: arg({ type: [AnalyticsActorType.ref], description: FILTERS.actorTypes }),
    agentIds: arg.idList({ description: FILTERS.agentIds }),
    apiKeyIds: arg.idList({ description: FILTERS.apiKeyIds }),
    claudeTagCategories: arg({
      type: [AnalyticsClaudeTagCategory.ref],
      description: FILTERS.claudeTagCategories,
    }),
    claudeTagUserIds: arg.stringList({ description: FILTERS.claudeTagUserIds }),
    contextWindows: arg({ type: [ContextWindow.ref], description: FILTERS.contextWindows }),
    deploymentIds: arg.idList({ description: FILTERS.deploymentIds }),
    environmentIds: arg.idList({ description: FILTERS.environmentIds }),
    excludeDeletedUsers: arg.boolean({ description: FILTERS.excludeDeletedUsers }),
    inferenceGeos: arg({ type: [ReportInferenceGeo.ref], description: FILTERS.inferenceGeos }),
    models: arg.stringList({ description: FILTERS.models }),
    organizationIds: arg.idList({ description: FILTERS.organizationIds }),
    products: arg({ type: [AnalyticsProduct.ref], description: FILTERS.products }),
    rbacGroupIds: arg.idList({ description: FILTERS.rbacGroupIds }),
    serviceTiers: arg({ type: [ServiceTier.ref], description: FILTERS.serviceTiers }),
    sessionIds: arg.idList({ description: FILTERS.sessionIds }),
    slackChannelIds: arg.stringList({ description: FILTERS.slackChannelIds }),
    speeds: arg({ type: [InferenceSpeed.ref], description: FILTERS.speeds }),
    userProfileIds: arg.idList({ description: FILTERS.userProfileIds }),
    workspaceIds: arg.idList({ description: FILTERS.workspaceIds }),
  };
}

const PAGE_NOTE =
  '`first` counts rows (1–1000, default 20). Forward only: `last` and `before` are refused. Needs the organization to be enrolled in the beta `analytics-usage-cost-2026-08-24`: otherwise this field alone fails with NOT_ENABLED.';

builder.objectField(Organization, 'analyticsUsage', (t) =>
  t.connection(
    {
      type: AnalyticsUsageRow,
      description: `Token usage across a range, broken out by up to five dimensions and optionally by time bucket, ranked by a metric (GET /v1/organizations/analytics/usage). Without groupBy and timeBucketWidth, one row totals the range. Includes all usage, whether or not a seat user is attributed. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...sharedArgs(t.arg),
        groupBy: t.arg({
          type: [AnalyticsUsageGroupBy],
          description:
            'Dimensions to break usage out by (REST `group_by[]`, at most 5): one row per combination with usage in the range. API_KEY_ID needs the `api_keys:read` scope.',
        }),
        orderBy: t.arg({
          type: AnalyticsUsageOrderBy,
          description: 'The ranking of the rows (REST `order_by`; default TOTAL_TOKENS).',
        }),
      },
      resolve: (_organization, args, ctx, info: GraphQLResolveInfo) => {
        requireApiKeysRead(ctx, info, apiKeyArgument(args));
        const query = sharedQuery(args) as AnalyticsUsageQuery;
        return resolveAnalytics(args, query, (page) => listAnalyticsUsage(ctx.api, page));
      },
    },
    AnalyticsUsageConnection,
  ),
);

builder.objectField(Organization, 'analyticsCost', (t) =>
  t.connection(
    {
      type: AnalyticsCostRow,
      description: `Cost across a range, broken out by up to five dimensions and optionally by time bucket, ranked by amount (GET /v1/organizations/analytics/cost). Without groupBy and timeBucketWidth, one row totals the range. Rows split by COST_TYPE or TOKEN_TYPE do not count toward \`first\`, so a page may hold more rows. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...sharedArgs(t.arg),
        groupBy: t.arg({
          type: [AnalyticsCostGroupBy],
          description:
            'Dimensions to break cost out by (REST `group_by[]`, at most 5): one row per combination with cost in the range. API_KEY_ID needs the `api_keys:read` scope.',
        }),
        orderBy: t.arg({
          type: AnalyticsCostOrderBy,
          description: 'The ranking of the rows (REST `order_by`; default AMOUNT).',
        }),
      },
      resolve: (_organization, args, ctx, info: GraphQLResolveInfo) => {
        requireApiKeysRead(ctx, info, apiKeyArgument(args));
        const query = sharedQuery(args) as AnalyticsCostQuery;
        return resolveAnalytics(args, query, (page) => listAnalyticsCost(ctx.api, page));
      },
    },
    AnalyticsCostConnection,
  ),
);
