import { invalidRequest } from '../transport/errors.js';
import {
  listOf,
  queryBoolean,
  queryEnumValues,
  queryValue,
  queryValues,
  type Query,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_MS } from '../time.js';
import type { Micros } from '../time.js';
import { analyticsState, type UsageRecord } from './analytics.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';

/*
 * The legacy Claude Enterprise per-user reports: GET /v1/organizations/analytics/user_usage_report
 * and /user_cost_report, over the same deterministic usage as the usage/cost analytics
 * (analytics.ts), limited to usage attributed to a user. One row per user (and per time bucket
 * with `bucket_width`, and per combination of the `group_by[]` dimensions), ranked by `order_by`.
 * Strict like the Admin API: `starting_at` required and not before 2026-01-01, the range at most
 * 31 days (24 hours with 1m buckets), `ending_at` required with `bucket_width`, `limit` 1–1000,
 * enum parameters checked and named in the 400, page tokens bound to their query. Cost rows split
 * by `cost_type`/`token_type` do not count toward `limit`. Not beta-gated.
 */

const EARLIEST = Date.parse('2026-01-01T00:00:00Z') * MICROS_PER_MS;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const USAGE_DIMENSIONS = [
  'claude_tag_category',
  'claude_tag_user_id',
  'context_window',
  'inference_geo',
  'model',
  'product',
  'rbac_group_id',
  'slack_channel_id',
  'speed',
] as const;
const COST_DIMENSIONS = [...USAGE_DIMENSIONS, 'cost_type', 'token_type'] as const;
type Dimension = (typeof COST_DIMENSIONS)[number];

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

const MODEL_PRICES: Record<string, readonly [number, number]> = {
  'claude-opus-5-5': [500, 2500],
  'claude-sonnet-5': [300, 1500],
  'claude-haiku-4-5': [100, 500],
};
const LIST_FACTOR = 1.25;
const TOKEN_TYPES = [
  'uncached_input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation.ephemeral_5m_input_tokens',
  'cache_creation.ephemeral_1h_input_tokens',
] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
/** `limit` of the bucketed reports per bucket width: [default, max]. */
const BUCKET_LIMITS: Record<string, readonly [number, number]> = {
  '1d': [7, 31],
  '1h': [24, 168],
  '1m': [60, 256],
};

function instant(query: Query, name: string): Micros | undefined {
  const text = queryValue(query, name);
  if (text === undefined) return undefined;
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidRequest(`${name}: '${text}' is not an RFC 3339 timestamp`);
  return ms * MICROS_PER_MS;
}

function iso(micros: Micros): string {
  return new Date(Math.floor(micros / MICROS_PER_MS)).toISOString().replace('.000Z', 'Z');
}

function cents(value: number): string {
  return (Math.round(value * 1_000_000) / 1_000_000).toFixed(6).replace(/\.?0+$/, '') || '0';
}

function tokenCents(record: UsageRecord, type: TokenType): number {
  const [input, output] = MODEL_PRICES[record.model] ?? [0, 0];
  const per = (c: number) => c / 1_000_000;
  switch (type) {
    case 'uncached_input_tokens':
      return record.uncached * per(input);
    case 'output_tokens':
      return record.output * per(output);
    case 'cache_read_input_tokens':
      return record.cacheRead * per(input / 10);
    case 'cache_creation.ephemeral_5m_input_tokens':
      return record.cache5m * per(input * 1.25);
    case 'cache_creation.ephemeral_1h_input_tokens':
      return record.cache1h * per(input * 2);
  }
}

interface Params {
  start: Micros;
  end: Micros;
  width: Micros | null;
  groupBy: Dimension[];
  order: 'asc' | 'desc';
  orderBy: string;
  limit: number;
  excludeDeleted: boolean;
  keep: (record: UsageRecord) => boolean;
}

function params(
  store: SandboxStore,
  query: Query,
  dimensions: readonly Dimension[],
  orderBys: readonly string[],
  defaultOrderBy: string,
  bucketed = false,
): Params {
  const start = instant(query, 'starting_at');
  if (start === undefined) throw invalidRequest('starting_at: Field required');
  if (start < EARLIEST)
    throw invalidRequest('starting_at: must be no earlier than 2026-01-01T00:00:00Z');
  const widths = { '1d': MICROS_PER_DAY, '1h': MICROS_PER_HOUR, '1m': MICROS_PER_MINUTE } as const;
  const widthName = queryValue(query, 'bucket_width') ?? (bucketed ? '1d' : undefined);
  if (widthName !== undefined && !(widthName in widths)) {
    throw invalidRequest(
      `bucket_width: '${widthName}' is not one of ${listOf(Object.keys(widths))}`,
    );
  }
  const width = widthName === undefined ? null : widths[widthName as keyof typeof widths];
  const endGiven = instant(query, 'ending_at');
  if (!bucketed && width !== null && endGiven === undefined) {
    throw invalidRequest('ending_at: required when bucket_width is set');
  }
  const end = endGiven ?? Math.min(store.now(), start + 31 * MICROS_PER_DAY);
  if (end <= start) throw invalidRequest('ending_at: must be after starting_at');
  const span = width === MICROS_PER_MINUTE ? MICROS_PER_DAY : 31 * MICROS_PER_DAY;
  if (end - start > span) {
    throw invalidRequest(
      `ending_at: the range may span at most ${width === MICROS_PER_MINUTE ? '24 hours with bucket_width=1m' : '31 days'}`,
    );
  }
  const groupBy = queryEnumValues(query, 'group_by', dimensions) ?? [];
  if (new Set(groupBy).size !== groupBy.length)
    throw invalidRequest('group_by: duplicate dimension');
  const order = queryEnumValues(query, 'order', ['asc', 'desc'] as const)?.[0] ?? 'desc';
  const orderBy = queryEnumValues(query, 'order_by', orderBys)?.[0] ?? defaultOrderBy;
  const limitText = queryValue(query, 'limit');
  const [defaultLimit, maxLimit] = bucketed
    ? (BUCKET_LIMITS[widthName ?? '1d'] ?? [7, 31])
    : [DEFAULT_LIMIT, MAX_LIMIT];
  const limit = limitText === undefined ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw invalidRequest(`limit: must be an integer between 1 and ${maxLimit}`);
  }
  const excludeDeleted = queryBoolean(query, 'exclude_deleted_users', false);
  const set = (name: string, allowed?: readonly string[]) => {
    const values = allowed ? queryEnumValues(query, name, allowed) : queryValues(query, name);
    return values === undefined ? undefined : new Set<string | null>(values);
  };
  const userIds = set('user_ids');
  const models = set('models');
  const products = set('products', PRODUCT_FILTERS);
  const rbacGroupIds = set('rbac_group_ids');
  const contextWindows = set('context_windows', ['0-200k', '200k-1M']);
  const geos = set('inference_geos', ['global', 'not_available', 'us']);
  const speeds = set('speeds', ['fast', 'standard']);
  set('claude_tag_categories', ['dm', 'engaged', 'monitoring', 'proactive', 'scheduled']);
  // Slack and Claude Tag filters: the emulated organization has no such usage.
  const empty = ['claude_tag_categories', 'claude_tag_user_ids', 'slack_channel_ids'].some(
    (name) => queryValues(query, name) !== undefined,
  );
  const keep = (r: UsageRecord) =>
    !empty &&
    (bucketed || r.actor.type === 'user_actor') &&
    r.at >= start &&
    r.at < end &&
    (!userIds || (r.actor.type === 'user_actor' && userIds.has(r.actor.user_id))) &&
    (!models || models.has(r.model)) &&
    (!products || products.has(r.product)) &&
    (!rbacGroupIds || rbacGroupIds.has(r.rbacGroupId)) &&
    (!contextWindows || contextWindows.has(r.contextWindow)) &&
    (!geos || geos.has(r.inferenceGeo)) &&
    (!speeds || speeds.has(r.speed));
  return { start, end, width, groupBy, order, orderBy, limit, excludeDeleted, keep };
}

function dimensionValue(record: UsageRecord, dimension: Dimension): string | null {
  switch (dimension) {
    case 'context_window':
      return record.contextWindow;
    case 'inference_geo':
      return record.inferenceGeo;
    case 'model':
      return record.model;
    case 'product':
      return record.product;
    case 'rbac_group_id':
      return record.rbacGroupId;
    case 'speed':
      return record.speed;
    default:
      return null;
  }
}

interface Row {
  actor: Extract<UsageRecord['actor'], { type: 'user_actor' }>;
  startingAt: Micros | null;
  endingAt: Micros | null;
  group: Record<string, string | null>;
  records: UsageRecord[];
}

/** Rows per user, bucket and grouped dimensions, in first-seen order. */
function rowsOf(store: SandboxStore, p: Params, dimensions: readonly Dimension[]): Row[] {
  const rows = new Map<string, Row>();
  for (const record of analyticsState(store).records) {
    if (!p.keep(record) || record.actor.type !== 'user_actor') continue;
    const actor = store.users.has(record.actor.user_id)
      ? record.actor
      : { ...record.actor, deleted: true };
    if (p.excludeDeleted && actor.deleted) continue;
    const bucketStart =
      p.width === null ? null : p.start + Math.floor((record.at - p.start) / p.width) * p.width;
    const group: Record<string, string | null> = {};
    for (const dimension of dimensions) {
      if (dimension === 'cost_type' || dimension === 'token_type') continue;
      group[dimension] = p.groupBy.includes(dimension) ? dimensionValue(record, dimension) : null;
    }
    const key = JSON.stringify([actor.user_id, bucketStart, group]);
    let row = rows.get(key);
    if (!row) {
      row = {
        actor,
        startingAt: bucketStart,
        endingAt:
          bucketStart === null || p.width === null ? null : Math.min(bucketStart + p.width, p.end),
        group,
        records: [],
      };
      rows.set(key, row);
    }
    row.records.push(record);
  }
  return [...rows.values()];
}

function sorted(rows: Row[], p: Params, metric: (row: Row) => number): Row[] {
  const sign = p.order === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const difference = metric(a) - metric(b);
    if (difference !== 0) return sign * difference;
    return JSON.stringify([a.actor.user_id, a.startingAt, a.group]).localeCompare(
      JSON.stringify([b.actor.user_id, b.startingAt, b.group]),
    );
  });
}

function page<T>(store: SandboxStore, report: string, query: Query, rows: T[], limit: number) {
  const token = boundPageToken(store, report, query);
  const decoded =
    token === undefined
      ? 0
      : Number(Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8'));
  const offset = Number.isInteger(decoded) && decoded >= 0 ? decoded : 0;
  const end = Math.min(offset + limit, rows.length);
  const more = end < rows.length;
  const next = more
    ? issuePageToken(
        store,
        report,
        query,
        `page_${Buffer.from(String(end), 'utf8').toString('base64url')}`,
      )
    : null;
  return { data: rows.slice(offset, end), more, next };
}

function dataRefreshedAt(store: SandboxStore): string {
  return iso(Math.floor(store.clock.anchor / MICROS_PER_HOUR) * MICROS_PER_HOUR - MICROS_PER_HOUR);
}

const sum = (records: UsageRecord[], pick: (r: UsageRecord) => number) =>
  records.reduce((total, r) => total + pick(r), 0);
const totalTokens = (r: UsageRecord) => r.uncached + r.output + r.cacheRead + r.cache5m + r.cache1h;

function rowBase(row: Row) {
  return {
    actor: row.actor,
    starting_at: row.startingAt === null ? null : iso(row.startingAt),
    ending_at: row.endingAt === null ? null : iso(row.endingAt),
    claude_tag_category: null,
    claude_tag_user_id: null,
    slack_channel_id: null,
    ...row.group,
  };
}

export function userUsageReport(store: SandboxStore, query: Query): unknown {
  const p = params(
    store,
    query,
    USAGE_DIMENSIONS,
    ['output_tokens', 'requests', 'total_tokens', 'uncached_input_tokens'],
    'total_tokens',
  );
  const metrics: Record<string, (r: UsageRecord) => number> = {
    output_tokens: (r) => r.output,
    requests: (r) => r.requests,
    total_tokens: totalTokens,
    uncached_input_tokens: (r) => r.uncached,
  };
  const metric = metrics[p.orderBy] ?? totalTokens;
  const rows = sorted(rowsOf(store, p, USAGE_DIMENSIONS), p, (row) => sum(row.records, metric));
  const result = page(store, 'analytics.user_usage_report', query, rows, p.limit);
  return {
    data: result.data.map((row) => ({
      ...rowBase(row),
      uncached_input_tokens: sum(row.records, (r) => r.uncached),
      output_tokens: sum(row.records, (r) => r.output),
      cache_read_input_tokens: sum(row.records, (r) => r.cacheRead),
      cache_creation: {
        ephemeral_5m_input_tokens: sum(row.records, (r) => r.cache5m),
        ephemeral_1h_input_tokens: sum(row.records, (r) => r.cache1h),
      },
      total_tokens: sum(row.records, totalTokens),
      requests: sum(row.records, (r) => r.requests),
      server_tool_use: { web_search_requests: sum(row.records, (r) => r.webSearches) },
    })),
    has_more: result.more,
    next_page: result.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

const recordCents = (r: UsageRecord) =>
  TOKEN_TYPES.reduce((total, type) => total + tokenCents(r, type), 0) + r.webSearches;

export function userCostReport(store: SandboxStore, query: Query): unknown {
  const p = params(store, query, COST_DIMENSIONS, ['amount', 'list_amount'], 'amount');
  const rows = sorted(rowsOf(store, p, COST_DIMENSIONS), p, (row) => sum(row.records, recordCents));
  const result = page(store, 'analytics.user_cost_report', query, rows, p.limit);
  const byCost = p.groupBy.includes('cost_type');
  const byToken = p.groupBy.includes('token_type');
  const data: unknown[] = [];
  const push = (
    row: Row,
    amount: number,
    costType: string | null,
    tokenType: string | null,
    split: boolean,
  ) =>
    data.push({
      ...rowBase(row),
      cost_type: costType,
      token_type: tokenType,
      amount: cents(amount),
      list_amount: cents(amount * LIST_FACTOR),
      currency: 'USD',
      requests: split ? null : sum(row.records, (r) => r.requests),
    });
  for (const row of result.data) {
    if (!byCost && !byToken) {
      push(row, sum(row.records, recordCents), null, null, false);
      continue;
    }
    if (byToken) {
      for (const type of TOKEN_TYPES) {
        push(
          row,
          sum(row.records, (r) => tokenCents(r, type)),
          'tokens',
          type,
          true,
        );
      }
    } else {
      const tokens = sum(row.records, (r) => recordCents(r) - r.webSearches);
      push(row, tokens, 'tokens', null, true);
    }
    const searches = sum(row.records, (r) => r.webSearches);
    if (searches > 0) push(row, searches, byCost ? 'web_search' : null, null, true);
  }
  return {
    data,
    has_more: result.more,
    next_page: result.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

// -------------------------------------------------------------------------------------------
// The bucketed reports: every time bucket of the range, each with its grouped results.

interface Bucket {
  startingAt: Micros;
  endingAt: Micros;
  results: { group: Record<string, string | null>; records: UsageRecord[] }[];
}

function buckets(store: SandboxStore, p: Params, dimensions: readonly Dimension[]): Bucket[] {
  const width = p.width ?? MICROS_PER_DAY;
  const first = Math.floor(p.start / width) * width;
  const all: Bucket[] = [];
  for (let at = first; at < p.end; at += width) {
    all.push({ startingAt: at, endingAt: at + width, results: [] });
  }
  const index = new Map<string, { group: Record<string, string | null>; records: UsageRecord[] }>();
  for (const record of analyticsState(store).records) {
    if (!p.keep(record)) continue;
    const bucket = all[Math.floor((record.at - first) / width)];
    if (!bucket) continue;
    const group: Record<string, string | null> = {};
    for (const dimension of dimensions) {
      if (dimension === 'cost_type' || dimension === 'token_type') continue;
      group[dimension] = p.groupBy.includes(dimension) ? dimensionValue(record, dimension) : null;
    }
    const key = JSON.stringify([bucket.startingAt, group]);
    let result = index.get(key);
    if (!result) {
      result = { group, records: [] };
      index.set(key, result);
      bucket.results.push(result);
    }
    result.records.push(record);
  }
  return all;
}

const emptyGroup = { claude_tag_category: null, claude_tag_user_id: null, slack_channel_id: null };

export function usageReport(store: SandboxStore, query: Query): unknown {
  const p = params(store, query, USAGE_DIMENSIONS, ['total_tokens'], 'total_tokens', true);
  const result = page(
    store,
    'analytics.usage_report',
    query,
    buckets(store, p, USAGE_DIMENSIONS),
    p.limit,
  );
  return {
    data: result.data.map((bucket) => ({
      starting_at: iso(bucket.startingAt),
      ending_at: iso(bucket.endingAt),
      results: bucket.results.map(({ group, records }) => ({
        ...emptyGroup,
        ...group,
        uncached_input_tokens: sum(records, (r) => r.uncached),
        output_tokens: sum(records, (r) => r.output),
        cache_read_input_tokens: sum(records, (r) => r.cacheRead),
        cache_creation: {
          ephemeral_5m_input_tokens: sum(records, (r) => r.cache5m),
          ephemeral_1h_input_tokens: sum(records, (r) => r.cache1h),
        },
        requests: sum(records, (r) => r.requests),
        server_tool_use: { web_search_requests: sum(records, (r) => r.webSearches) },
      })),
    })),
    has_more: result.more,
    next_page: result.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

export function costReport(store: SandboxStore, query: Query): unknown {
  const p = params(store, query, COST_DIMENSIONS, ['amount'], 'amount', true);
  const result = page(
    store,
    'analytics.cost_report',
    query,
    buckets(store, p, COST_DIMENSIONS),
    p.limit,
  );
  const byCost = p.groupBy.includes('cost_type');
  const byToken = p.groupBy.includes('token_type');
  return {
    data: result.data.map((bucket) => {
      const results: unknown[] = [];
      for (const { group, records } of bucket.results) {
        const push = (amount: number, costType: string | null, tokenType: string | null) =>
          results.push({
            ...emptyGroup,
            ...group,
            cost_type: costType,
            token_type: tokenType,
            amount: cents(amount),
            list_amount: cents(amount * LIST_FACTOR),
            currency: 'USD',
            requests: costType === null ? sum(records, (r) => r.requests) : null,
          });
        if (!byCost && !byToken) {
          push(sum(records, recordCents), null, null);
          continue;
        }
        if (byToken) {
          for (const type of TOKEN_TYPES) {
            push(
              sum(records, (r) => tokenCents(r, type)),
              'tokens',
              type,
            );
          }
        } else
          push(
            sum(records, (r) => recordCents(r) - r.webSearches),
            'tokens',
            null,
          );
        const searches = sum(records, (r) => r.webSearches);
        if (searches > 0) push(searches, 'web_search', null);
      }
      return { starting_at: iso(bucket.startingAt), ending_at: iso(bucket.endingAt), results };
    }),
    has_more: result.more,
    next_page: result.next,
    data_refreshed_at: dataRefreshedAt(store),
  };
}

export const analyticsLegacyRoutes: Route[] = [
  route('GET', '/v1/organizations/analytics/usage_report', ({ store, query }) =>
    usageReport(store, query),
  ),
  route('GET', '/v1/organizations/analytics/cost_report', ({ store, query }) =>
    costReport(store, query),
  ),
  route('GET', '/v1/organizations/analytics/user_usage_report', ({ store, query }) =>
    userUsageReport(store, query),
  ),
  route('GET', '/v1/organizations/analytics/user_cost_report', ({ store, query }) =>
    userCostReport(store, query),
  ),
];
