import { invalidRequest, notFound } from '../transport/errors.js';
import {
  listOf,
  queryBoolean,
  queryEnumValues,
  queryValue,
  queryValues,
  type Query,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_MS } from '../time.js';
import type { Micros } from '../time.js';
import { RBAC_FIXTURE_IDS } from './rbac.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';

/*
 * Usage and cost analytics (beta `analytics-usage-cost-2026-08-24`) and the organization's daily
 * summaries, over deterministic usage generated from the store: each of the last 120 days, each
 * user, one API key's unattributed usage and a service account's, across models, products and
 * workspaces. Strict like the Admin API: `starting_at` required and not before 2026-01-01, the
 * range at most 31 days (24 hours with 1m buckets), `ending_at` required with a bucket width,
 * `limit` 1–1000, at most 5 `group_by[]` dimensions of the documented set, enum filters checked,
 * page tokens bound to their query (reports/page-tokens.ts). A switch turns the usage/cost beta
 * off for the organization (setAnalyticsUsageCostEnabled): those two routes then answer 404.
 * State lives here, per store, reseeded after a reset.
 */

const SEED = 0xa7a1_7c5;
const DAYS = 120;
const EARLIEST = Date.parse('2026-01-01T00:00:00Z') * MICROS_PER_MS;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const MAX_GROUP_BY = 5;

const MODELS = ['claude-opus-5-5', 'claude-sonnet-5', 'claude-haiku-4-5'] as const;
/** Price per million tokens in cents: [uncached input, output]; cache reads are a tenth. */
const PRICES: Record<(typeof MODELS)[number], readonly [number, number]> = {
  'claude-opus-5-5': [500, 2500],
  'claude-sonnet-5': [300, 1500],
  'claude-haiku-4-5': [100, 500],
};
const PRODUCTS = ['chat', 'claude_code', 'cowork', 'messages_api'] as const;

const GROUP_DIMENSIONS = [
  'actor',
  'actor_type',
  'agent_id',
  'api_key_id',
  'claude_tag_category',
  'claude_tag_user_id',
  'context_window',
  'deployment_id',
  'environment_id',
  'inference_geo',
  'model',
  'organization_id',
  'product',
  'rbac_group_id',
  'service_tier',
  'session_id',
  'slack_channel_id',
  'speed',
  'user_profile_id',
  'workspace_id',
] as const;
const COST_DIMENSIONS = [...GROUP_DIMENSIONS, 'cost_type', 'token_type'] as const;
const PRODUCT_FILTERS = [
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
] as const;
const ACTOR_TYPES = [
  'api_actor',
  'federated_actor',
  'service_account_actor',
  'user_actor',
] as const;
const TOKEN_TYPES = [
  'uncached_input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation.ephemeral_5m_input_tokens',
  'cache_creation.ephemeral_1h_input_tokens',
] as const;

type Actor =
  | {
      type: 'user_actor';
      user_id: string;
      email_address: string | null;
      name: string | null;
      deleted: boolean;
    }
  | { type: 'service_account_actor'; service_account_id: string }
  | { type: 'api_actor'; api_key_id: string };

/** One source's usage on one day (at one minute of it). */
export interface UsageRecord {
  at: Micros;
  actor: Actor;
  apiKeyId: string | null;
  model: (typeof MODELS)[number];
  product: string;
  workspaceId: string | null;
  rbacGroupId: string | null;
  serviceTier: 'standard' | 'batch';
  contextWindow: '0-200k' | '200k-1M';
  inferenceGeo: 'global' | 'us';
  speed: 'standard' | 'fast';
  uncached: number;
  output: number;
  cacheRead: number;
  cache5m: number;
  cache1h: number;
  requests: number;
  webSearches: number;
}

interface AnalyticsState {
  seededFor: object;
  usageCostEnabled: boolean;
  records: UsageRecord[];
}

const states = new WeakMap<SandboxStore, AnalyticsState>();

/** A fixed service account whose usage the reports attribute to it. */
export const ANALYTICS_SERVICE_ACCOUNT = 'svac_01AnalyticsPipeline000001';

function seed(store: SandboxStore): AnalyticsState {
  const rng = new Rng(SEED);
  const anchorDay = Math.floor(store.clock.anchor / MICROS_PER_DAY) * MICROS_PER_DAY;
  const users = [...store.users.values()].sort((a, b) => a.id.localeCompare(b.id)).slice(0, 6);
  const workspaces = [...store.workspaces.values()]
    .filter((w) => w.archivedAt === null && !w.isDefault)
    .map((w) => w.id)
    .sort();
  const keys = [...store.apiKeys.values()].map((k) => k.id).sort();
  const groups = [RBAC_FIXTURE_IDS.engineeringGroup, RBAC_FIXTURE_IDS.supportGroup];
  const sources: { actor: Actor; apiKeyId: string | null; rbacGroupId: string | null }[] = [
    ...users.map((user, index) => ({
      actor: {
        type: 'user_actor' as const,
        user_id: user.id,
        email_address: user.email,
        name: user.name,
        deleted: false,
      },
      apiKeyId: null,
      rbacGroupId: groups[index % groups.length] ?? null,
    })),
    {
      actor: { type: 'service_account_actor', service_account_id: ANALYTICS_SERVICE_ACCOUNT },
      apiKeyId: null,
      rbacGroupId: null,
    },
    ...(keys[0]
      ? [
          {
            actor: { type: 'api_actor' as const, api_key_id: keys[0] },
            apiKeyId: keys[0],
            rbacGroupId: null,
          },
        ]
      : []),
  ];
  const records: UsageRecord[] = [];
  for (let day = DAYS; day >= 1; day--) {
    const dayStart = anchorDay - day * MICROS_PER_DAY;
    for (const source of sources) {
      if (!rng.chance(0.8)) continue;
      const model = rng.pick(MODELS);
      const api = source.actor.type !== 'user_actor';
      records.push({
        at: dayStart + rng.int(0, 24 * 60 - 1) * MICROS_PER_MINUTE,
        actor: source.actor,
        apiKeyId: source.apiKeyId,
        model,
        product: api ? 'messages_api' : rng.pick(PRODUCTS.slice(0, 3)),
        workspaceId: workspaces.length > 0 ? rng.pick(workspaces) : null,
        rbacGroupId: source.rbacGroupId,
        serviceTier: rng.chance(0.15) ? 'batch' : 'standard',
        contextWindow: rng.chance(0.1) ? '200k-1M' : '0-200k',
        inferenceGeo: rng.chance(0.3) ? 'us' : 'global',
        speed: rng.chance(0.1) ? 'fast' : 'standard',
        uncached: rng.int(1_000, 400_000),
        output: rng.int(500, 120_000),
        cacheRead: rng.int(0, 900_000),
        cache5m: rng.int(0, 50_000),
        cache1h: rng.chance(0.3) ? rng.int(0, 20_000) : 0,
        requests: rng.int(1, 400),
        webSearches: rng.chance(0.25) ? rng.int(1, 30) : 0,
      });
    }
  }
  return { seededFor: store.organization, usageCostEnabled: true, records };
}

export function analyticsState(store: SandboxStore): AnalyticsState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/**
 * Test and demo switch: whether the emulated organization is enrolled in the usage/cost
 * analytics beta (on by default and after a reset). Off, /analytics/usage and /cost answer 404.
 */
export function setAnalyticsUsageCostEnabled(store: SandboxStore, enabled: boolean): void {
  analyticsState(store).usageCostEnabled = enabled;
}

// -------------------------------------------------------------------------------------------
// Parameters

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function instant(query: Query, name: string): Micros | undefined {
  const text = queryValue(query, name);
  if (text === undefined) return undefined;
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidRequest(`${name}: '${text}' is not an RFC 3339 timestamp`);
  return ms * MICROS_PER_MS;
}

function limitOf(query: Query, fallback: number): number {
  const text = queryValue(query, 'limit');
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit: must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

/** The offset a bound page token stands for (`page_` + base64 of the offset). */
function offsetOf(store: SandboxStore, report: string, query: Query): number {
  const token = boundPageToken(store, report, query);
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8'));
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

function pageToken(offset: number): string {
  return `page_${Buffer.from(String(offset), 'utf8').toString('base64url')}`;
}

// -------------------------------------------------------------------------------------------
// Usage and cost

type Dimension = (typeof COST_DIMENSIONS)[number];
type TokenType = (typeof TOKEN_TYPES)[number];

interface Cut {
  record: UsageRecord;
  /** For cost rows split by token or cost type. */
  tokenType: TokenType | null;
  costType: 'tokens' | 'web_search' | null;
}

function dimensionValue(cut: Cut, dimension: Dimension): unknown {
  const r = cut.record;
  switch (dimension) {
    case 'actor':
      return r.actor;
    case 'actor_type':
      return r.actor.type;
    case 'api_key_id':
      return r.apiKeyId;
    case 'context_window':
      return r.contextWindow;
    case 'inference_geo':
      return r.inferenceGeo;
    case 'model':
      return r.model;
    case 'product':
      return r.product;
    case 'rbac_group_id':
      return r.rbacGroupId;
    case 'service_tier':
      return r.serviceTier;
    case 'speed':
      return r.speed;
    case 'workspace_id':
      return r.workspaceId;
    case 'cost_type':
      return cut.costType;
    case 'token_type':
      return cut.tokenType;
    default:
      // Dimensions of products the emulated organization does not use (agents, Slack, child
      // organizations, user profiles): every row has none.
      return null;
  }
}

/** Cents (as a fraction) of a record's tokens of one type. */
function tokenCents(record: UsageRecord, type: TokenType): number {
  const [input, output] = PRICES[record.model];
  const perToken = (cents: number) => cents / 1_000_000;
  switch (type) {
    case 'uncached_input_tokens':
      return record.uncached * perToken(input);
    case 'output_tokens':
      return record.output * perToken(output);
    case 'cache_read_input_tokens':
      return record.cacheRead * perToken(input / 10);
    case 'cache_creation.ephemeral_5m_input_tokens':
      return record.cache5m * perToken(input * 1.25);
    case 'cache_creation.ephemeral_1h_input_tokens':
      return record.cache1h * perToken(input * 2);
  }
}

/** Cents with up to 6 decimals, as the Admin API's decimal strings. */
function cents(value: number): string {
  return (Math.round(value * 1_000_000) / 1_000_000).toFixed(6).replace(/\.?0+$/, '') || '0';
}

interface UsageCostParams {
  start: Micros;
  end: Micros;
  width: Micros | null;
  groupBy: Dimension[];
  keep: (record: UsageRecord) => boolean;
  order: 'asc' | 'desc';
  orderBy: string;
  limit: number;
}

function usageCostParams(
  store: SandboxStore,
  query: Query,
  dimensions: readonly Dimension[],
  orderBys: readonly string[],
  defaultOrderBy: string,
): UsageCostParams {
  const start = instant(query, 'starting_at');
  if (start === undefined) throw invalidRequest('starting_at: Field required');
  if (start < EARLIEST)
    throw invalidRequest('starting_at: must be no earlier than 2026-01-01T00:00:00Z');
  const widths = { '1d': MICROS_PER_DAY, '1h': MICROS_PER_HOUR, '1m': MICROS_PER_MINUTE } as const;
  const widthName = queryValue(query, 'time_bucket_width');
  if (widthName !== undefined && !(widthName in widths)) {
    throw invalidRequest(
      `time_bucket_width: '${widthName}' is not one of ${listOf(Object.keys(widths))}`,
    );
  }
  const width = widthName === undefined ? null : widths[widthName as keyof typeof widths];
  const endGiven = instant(query, 'ending_at');
  if (width !== null && endGiven === undefined) {
    throw invalidRequest('ending_at: required when time_bucket_width is set');
  }
  const now = store.now();
  const end = endGiven ?? Math.min(now, start + 31 * MICROS_PER_DAY);
  if (end <= start) throw invalidRequest('ending_at: must be after starting_at');
  const span = width === MICROS_PER_MINUTE ? MICROS_PER_DAY : 31 * MICROS_PER_DAY;
  if (end - start > span) {
    throw invalidRequest(
      `ending_at: the range may span at most ${width === MICROS_PER_MINUTE ? '24 hours with time_bucket_width=1m' : '31 days'}`,
    );
  }
  const groupBy = queryEnumValues(query, 'group_by', dimensions) ?? [];
  if (groupBy.length > MAX_GROUP_BY) {
    throw invalidRequest(`group_by: at most ${MAX_GROUP_BY} dimensions`);
  }
  if (new Set(groupBy).size !== groupBy.length)
    throw invalidRequest('group_by: duplicate dimension');
  const excludeDeleted = queryBoolean(query, 'exclude_deleted_users', false);
  if (excludeDeleted && !groupBy.includes('actor')) {
    throw invalidRequest('exclude_deleted_users: requires group_by[]=actor');
  }
  const order = queryEnumValues(query, 'order', ['asc', 'desc'] as const)?.[0] ?? 'desc';
  const orderBy = queryEnumValues(query, 'order_by', orderBys)?.[0] ?? defaultOrderBy;
  const limit = limitOf(query, DEFAULT_LIMIT);

  const set = (name: string, allowed?: readonly string[]) => {
    const values = allowed ? queryEnumValues(query, name, allowed) : queryValues(query, name);
    return values === undefined ? undefined : new Set<string | null>(values);
  };
  const actorTypes = set('actor_types', ACTOR_TYPES);
  const actorIds = set('actor_ids');
  const apiKeyIds = set('api_key_ids');
  const models = set('models');
  const products = set('products', PRODUCT_FILTERS);
  const workspaceIds = set('workspace_ids');
  const rbacGroupIds = set('rbac_group_ids');
  const serviceTiers = set('service_tiers', [
    'batch',
    'flex',
    'flex_discount',
    'priority',
    'priority_on_demand',
    'standard',
  ]);
  const contextWindows = set('context_windows', ['0-200k', '200k-1M']);
  const geos = set('inference_geos', ['global', 'not_available', 'us']);
  const speeds = set('speeds', ['fast', 'standard']);
  set('claude_tag_categories', ['dm', 'engaged', 'monitoring', 'proactive', 'scheduled']);
  // Filters on dimensions the emulated organization has no usage in match nothing.
  const empty = [
    'agent_ids',
    'claude_tag_categories',
    'claude_tag_user_ids',
    'deployment_ids',
    'environment_ids',
    'organization_ids',
    'session_ids',
    'slack_channel_ids',
    'user_profile_ids',
  ].some((name) => queryValues(query, name) !== undefined);
  const actorIdOf = (actor: Actor) =>
    actor.type === 'user_actor'
      ? actor.user_id
      : actor.type === 'service_account_actor'
        ? actor.service_account_id
        : actor.api_key_id;
  const keep = (r: UsageRecord) =>
    !empty &&
    r.at >= start &&
    r.at < end &&
    (!actorTypes || actorTypes.has(r.actor.type)) &&
    (!actorIds || actorIds.has(actorIdOf(r.actor))) &&
    (!apiKeyIds || apiKeyIds.has(r.apiKeyId)) &&
    (!models || models.has(r.model)) &&
    (!products || products.has(r.product)) &&
    (!workspaceIds || workspaceIds.has(r.workspaceId)) &&
    (!rbacGroupIds || rbacGroupIds.has(r.rbacGroupId)) &&
    (!serviceTiers || serviceTiers.has(r.serviceTier)) &&
    (!contextWindows || contextWindows.has(r.contextWindow)) &&
    (!geos || geos.has(r.inferenceGeo)) &&
    (!speeds || speeds.has(r.speed));
  return { start, end, width, groupBy, keep, order, orderBy, limit };
}

interface Aggregate<M> {
  startingAt: Micros;
  endingAt: Micros;
  group: Record<string, unknown>;
  metrics: M;
}

/** Groups cuts by bucket and dimensions, in first-seen order, summing their metrics. */
function aggregate<M>(
  params: UsageCostParams,
  cuts: Cut[],
  dimensions: readonly Dimension[],
  zero: () => M,
  add: (into: M, cut: Cut) => void,
): Aggregate<M>[] {
  const hour = (at: Micros) => Math.floor(at / MICROS_PER_HOUR) * MICROS_PER_HOUR;
  const rows = new Map<string, Aggregate<M>>();
  for (const cut of cuts) {
    const bucketStart =
      params.width === null
        ? hour(params.start)
        : params.start + Math.floor((cut.record.at - params.start) / params.width) * params.width;
    const bucketEnd =
      params.width === null ? hour(params.end) : Math.min(bucketStart + params.width, params.end);
    const group: Record<string, unknown> = {};
    for (const dimension of dimensions) {
      group[dimension] = params.groupBy.includes(dimension) ? dimensionValue(cut, dimension) : null;
    }
    const key = JSON.stringify([bucketStart, group]);
    let row = rows.get(key);
    if (!row)
      rows.set(
        key,
        (row = { startingAt: bucketStart, endingAt: bucketEnd, group, metrics: zero() }),
      );
    add(row.metrics, cut);
  }
  return [...rows.values()];
}

function iso(micros: Micros): string {
  return new Date(Math.floor(micros / MICROS_PER_MS)).toISOString().replace('.000Z', 'Z');
}

function paged<T>(
  store: SandboxStore,
  report: string,
  query: Query,
  rows: T[],
  limit: number,
  countsTowardLimit: (row: T, previous: T | undefined) => boolean = () => true,
) {
  const offset = offsetOf(store, report, query);
  let end = offset;
  for (let counted = 0; end < rows.length; end++) {
    if (countsTowardLimit(rows[end] as T, rows[end - 1])) {
      if (counted === limit) break;
      counted++;
    }
  }
  const more = end < rows.length;
  const next = more ? issuePageToken(store, report, query, pageToken(end)) : null;
  return { data: rows.slice(offset, end), more, next };
}

function dataRefreshedAt(store: SandboxStore): string {
  return iso(Math.floor(store.clock.anchor / MICROS_PER_HOUR) * MICROS_PER_HOUR - MICROS_PER_HOUR);
}

function enabled(store: SandboxStore, path: string): void {
  if (!analyticsState(store).usageCostEnabled) throw notFound(`No route for GET ${path}.`);
}

function sortRows<M>(
  rows: Aggregate<M>[],
  params: UsageCostParams,
  metric: (metrics: M) => number,
): Aggregate<M>[] {
  const sign = params.order === 'asc' ? 1 : -1;
  const byTime = params.orderBy === 'time' && params.width !== null;
  return rows.sort((a, b) => {
    if (byTime && a.startingAt !== b.startingAt) return sign * (a.startingAt - b.startingAt);
    const difference = metric(a.metrics) - metric(b.metrics);
    if (difference !== 0) return (byTime ? -1 : sign) * difference;
    return JSON.stringify(a.group).localeCompare(JSON.stringify(b.group));
  });
}

interface UsageMetrics {
  uncached: number;
  output: number;
  cacheRead: number;
  cache5m: number;
  cache1h: number;
  requests: number;
  webSearches: number;
}

const total = (m: UsageMetrics) => m.uncached + m.output + m.cacheRead + m.cache5m + m.cache1h;

export function analyticsUsage(store: SandboxStore, query: Query): unknown {
  enabled(store, '/v1/organizations/analytics/usage');
  const params = usageCostParams(
    store,
    query,
    GROUP_DIMENSIONS,
    ['output_tokens', 'requests', 'time', 'total_tokens', 'uncached_input_tokens'],
    'total_tokens',
  );
  const cuts = analyticsState(store)
    .records.filter(params.keep)
    .map((record) => ({ record, tokenType: null, costType: null }));
  const rows = aggregate<UsageMetrics>(
    params,
    cuts,
    GROUP_DIMENSIONS,
    () => ({
      uncached: 0,
      output: 0,
      cacheRead: 0,
      cache5m: 0,
      cache1h: 0,
      requests: 0,
      webSearches: 0,
    }),
    (m, { record: r }) => {
      m.uncached += r.uncached;
      m.output += r.output;
      m.cacheRead += r.cacheRead;
      m.cache5m += r.cache5m;
      m.cache1h += r.cache1h;
      m.requests += r.requests;
      m.webSearches += r.webSearches;
    },
  );
  const metric: Record<string, (m: UsageMetrics) => number> = {
    output_tokens: (m) => m.output,
    requests: (m) => m.requests,
    uncached_input_tokens: (m) => m.uncached,
    total_tokens: total,
    time: total,
  };
  sortRows(rows, params, metric[params.orderBy] ?? total);
  const page = paged(store, 'analytics.usage', query, rows, params.limit);
  return {
    data: page.data.map((row) => ({
      starting_at: iso(row.startingAt),
      ending_at: iso(row.endingAt),
      group: row.group,
      usage: {
        uncached_input_tokens: row.metrics.uncached,
        output_tokens: row.metrics.output,
        cache_read_input_tokens: row.metrics.cacheRead,
        cache_creation: {
          ephemeral_5m_input_tokens: row.metrics.cache5m,
          ephemeral_1h_input_tokens: row.metrics.cache1h,
        },
        total_tokens: total(row.metrics),
        requests: row.metrics.requests,
        server_tool_use: { web_search_requests: row.metrics.webSearches },
      },
    })),
    has_more: page.more,
    next_page: page.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

interface CostMetrics {
  amount: number;
  requests: number;
}

/** Web search costs 1 cent per search. */
const WEB_SEARCH_CENTS = 1;
/** Discount of the emulated organization: list prices are 25% higher than what it pays. */
const LIST_FACTOR = 1.25;

export function analyticsCost(store: SandboxStore, query: Query): unknown {
  enabled(store, '/v1/organizations/analytics/cost');
  const params = usageCostParams(
    store,
    query,
    COST_DIMENSIONS,
    ['amount', 'list_amount', 'time'],
    'amount',
  );
  const split = params.groupBy.includes('cost_type') || params.groupBy.includes('token_type');
  const cuts: Cut[] = [];
  for (const record of analyticsState(store).records.filter(params.keep)) {
    for (const tokenType of TOKEN_TYPES) cuts.push({ record, tokenType, costType: 'tokens' });
    if (record.webSearches > 0) cuts.push({ record, tokenType: null, costType: 'web_search' });
  }
  const seen = new Set<UsageRecord>();
  const rows = aggregate<CostMetrics>(
    params,
    cuts,
    COST_DIMENSIONS,
    () => ({ amount: 0, requests: 0 }),
    (m, cut) => {
      m.amount +=
        cut.costType === 'web_search'
          ? cut.record.webSearches * WEB_SEARCH_CENTS
          : tokenCents(cut.record, cut.tokenType ?? 'uncached_input_tokens');
      if (!seen.has(cut.record)) {
        seen.add(cut.record);
        m.requests += cut.record.requests;
      }
    },
  );
  for (const row of rows) if (split) row.metrics.requests = -1;
  sortRows(rows, params, (m) => m.amount);
  // Rows split by cost or token type fan out from one row and do not count toward `limit`.
  const base = (row: Aggregate<CostMetrics>) =>
    JSON.stringify([row.startingAt, { ...row.group, cost_type: null, token_type: null }]);
  const page = paged(
    store,
    'analytics.cost',
    query,
    split ? fanOutOrder(rows, base) : rows,
    params.limit,
    (row, previous) => !split || previous === undefined || base(row) !== base(previous),
  );
  return {
    data: page.data.map((row) => ({
      starting_at: iso(row.startingAt),
      ending_at: iso(row.endingAt),
      group: row.group,
      cost: {
        amount: cents(row.metrics.amount),
        list_amount: cents(row.metrics.amount * LIST_FACTOR),
        currency: 'USD',
        requests: row.metrics.requests < 0 ? null : row.metrics.requests,
      },
    })),
    has_more: page.more,
    next_page: page.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

/** Keeps the fan-out rows of one base row together, in the order of their largest member. */
function fanOutOrder<T>(rows: T[], base: (row: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = base(row);
    const members = groups.get(key);
    if (members) members.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].flat();
}

// -------------------------------------------------------------------------------------------
// Summaries

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD parameter as the start of its UTC day. */
export function dateParam(query: Query, name: string): Micros | undefined {
  const text = queryValue(query, name);
  if (text === undefined) return undefined;
  const ms = DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms))
    throw invalidRequest(`${name}: '${text}' is not a date in YYYY-MM-DD format`);
  const day = ms * MICROS_PER_MS;
  if (day < EARLIEST) throw invalidRequest(`${name}: must be no earlier than 2026-01-01`);
  return day;
}

/** The last day with data (a 1-day lag): the day before the anchor's. */
export function latestDay(store: SandboxStore): Micros {
  return Math.floor(store.now() / MICROS_PER_DAY) * MICROS_PER_DAY - MICROS_PER_DAY;
}

export function formatDate(day: Micros): string {
  return new Date(day / MICROS_PER_MS).toISOString().slice(0, 10);
}

export function analyticsSummaries(store: SandboxStore, query: Query): unknown {
  // The series is returned in full: no token is ever issued, so any `page` is refused.
  boundPageToken(store, 'analytics.summaries', query);
  const start = dateParam(query, 'starting_date');
  if (start === undefined) throw invalidRequest('starting_date: Field required');
  const latest = latestDay(store);
  const end = dateParam(query, 'ending_date') ?? latest + MICROS_PER_DAY;
  if (end <= start) throw invalidRequest('ending_date: must be after starting_date');
  if (end > latest + MICROS_PER_DAY) {
    throw invalidRequest(
      `ending_date: data is available up to ${formatDate(latest)}; ending_date may be at most ${formatDate(latest + MICROS_PER_DAY)}`,
    );
  }
  if (end - start > 366 * MICROS_PER_DAY)
    throw invalidRequest('ending_date: the range may span at most 366 days');
  const filters = queryValues(query, 'filter') ?? [];
  if (filters.length > 100) throw invalidRequest('filter: at most 100 entries');
  const groups = new Set<string>();
  for (const filter of filters) {
    const [dimension, value] = filter.split(':', 2);
    if (dimension !== 'rbac_group_id' || !value) {
      throw invalidRequest(`filter: '${filter}' is not supported here; use rbac_group_id:{id}`);
    }
    groups.add(value);
  }
  const scoped = groups.size > 0;
  const seats = store.users.size;
  const { records } = analyticsState(store);
  const data: unknown[] = [];
  for (let day = start; day < end; day += MICROS_PER_DAY) {
    const active = (from: Micros) =>
      new Set(
        records
          .filter(
            (r) =>
              r.actor.type === 'user_actor' &&
              r.at >= from &&
              r.at < day + MICROS_PER_DAY &&
              (!scoped || (r.rbacGroupId !== null && groups.has(r.rbacGroupId))),
          )
          .map((r) => (r.actor.type === 'user_actor' ? r.actor.user_id : '')),
      ).size;
    const daily = active(day);
    const weekly = active(day - 6 * MICROS_PER_DAY);
    const monthly = active(day - 29 * MICROS_PER_DAY);
    const rate = (count: number) =>
      scoped || seats === 0 ? null : Math.round((count / seats) * 1000) / 10;
    data.push({
      starting_at: iso(day),
      ending_at: iso(day + MICROS_PER_DAY),
      daily_active_user_count: daily,
      weekly_active_user_count: weekly,
      monthly_active_user_count: monthly,
      cowork_daily_active_user_count: 0,
      cowork_weekly_active_user_count: 0,
      cowork_monthly_active_user_count: 0,
      assigned_seat_count: scoped ? null : seats,
      pending_invite_count: scoped ? null : store.invites.size,
      daily_adoption_rate: rate(daily),
      weekly_adoption_rate: rate(weekly),
      monthly_adoption_rate: rate(monthly),
    });
  }
  return { data, next_page: null };
}

export const analyticsRoutes: Route[] = [
  route('GET', '/v1/organizations/analytics/usage', ({ store, query }) =>
    analyticsUsage(store, query),
  ),
  route('GET', '/v1/organizations/analytics/cost', ({ store, query }) =>
    analyticsCost(store, query),
  ),
  route('GET', '/v1/organizations/analytics/summaries', ({ store, query }) =>
    analyticsSummaries(store, query),
  ),
];
