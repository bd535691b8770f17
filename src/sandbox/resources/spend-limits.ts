import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import {
  enumField,
  fieldValue,
  has,
  isObject,
  objectBody,
  queryEnumValues,
  queryValue,
  queryValues,
  type JsonObject,
  type Query,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import { FIXTURE_IDS } from '../seed.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatNullableTimestamp, formatTimestamp, type Micros } from '../time.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';
import { hash32 } from './reports/catalog.js';

/*
 * Spend limits, effective limits and spend-limit increase requests (EXTENDED.md §8), emulated
 * statefully: setting, deleting, approving and denying change what the lists and gets return.
 * The emulated organization takes the writes of both organization types (user limits as in
 * Claude Enterprise, organization and workspace limits as in Claude Console) so that sandbox mode
 * shows every kind of scope. Lists are token-paged (`limit` 1–1000, default 20; `page` tokens
 * bound to the query that produced them). The effective report pages by member.
 *
 * Features a real organization may not be enrolled in are switches of the emulated organization
 * (`setSandboxFeatures`): without `spendLimitReads`, GET /spend_limits answers 404 (a gated beta);
 * without `userSignOut`, sign-out answers 400 `organization_not_enrolled_in_beta`
 * (organization-controls.ts). State lives per seeded organization, so `reset` reseeds it.
 */

export interface SandboxFeatures {
  /** The `spend-limit-reads-2026-09-26` beta (the list of spend limits). */
  spendLimitReads: boolean;
  /** The `admin-user-sign-out-2026-10-08` beta. */
  userSignOut: boolean;
}

const PERIODS = ['daily', 'weekly', 'monthly'] as const;
type Period = (typeof PERIODS)[number];
const SCOPE_TYPES = [
  'organization',
  'usage_tier',
  'workspace',
  'seat_tier',
  'rbac_group',
  'organization_service',
  'user',
] as const;
const SETTABLE_SCOPES = ['user', 'organization', 'workspace'] as const;
const REQUEST_STATUSES = ['approved', 'denied', 'pending'] as const;
type RequestStatus = (typeof REQUEST_STATUSES)[number];

type Scope =
  | { type: 'user'; user_id: string }
  | { type: 'workspace'; workspace_id: string }
  | { type: 'organization' }
  | { type: 'usage_tier' };

interface LimitRecord {
  id: string;
  scope: Scope;
  period: Period;
  amount: string | null;
  createdAt: Micros;
  updatedAt: Micros;
}

interface RequestRecord {
  id: string;
  userId: string;
  period: Period;
  status: RequestStatus;
  createdAt: Micros;
  resolvedAt: Micros | null;
  resolvedBy: string | null;
}

interface SpendState {
  rng: Rng;
  features: SandboxFeatures;
  limits: Map<string, LimitRecord>;
  requests: Map<string, RequestRecord>;
  compliance: 'enabled' | 'disabled';
  /** workspace id → rate-limit group id → limiter type → value (null: cleared). */
  rateLimitEdits: Map<string, Map<string, Map<string, number | null>>>;
}

const CURRENCY = 'USD';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/** Keyed by the seeded organization record, which `reset` replaces. */
const states = new WeakMap<object, SpendState>();

/** The family's state for the store's current seed, created on first use (deterministic). */
export function spendState(store: SandboxStore): SpendState {
  let state = states.get(store.organization);
  if (!state) states.set(store.organization, (state = seed(store)));
  return state;
}

/** Turns emulated organization features on or off (tests, demos); a reset turns them back on. */
export function setSandboxFeatures(store: SandboxStore, features: Partial<SandboxFeatures>): void {
  Object.assign(spendState(store).features, features);
}

function seed(store: SandboxStore): SpendState {
  const rng = new Rng(hash32('spend-limits'));
  const now = store.now();
  const state: SpendState = {
    rng,
    features: { spendLimitReads: true, userSignOut: true },
    limits: new Map(),
    requests: new Map(),
    compliance: 'enabled',
    rateLimitEdits: new Map(),
  };
  const created = now - 90 * MICROS_PER_DAY;
  const add = (scope: Scope, period: Period, amount: string | null, age: number) => {
    const id = rng.id('spl_');
    state.limits.set(id, {
      id,
      scope,
      period,
      amount,
      createdAt: created + age * MICROS_PER_DAY,
      updatedAt: created + age * MICROS_PER_DAY,
    });
  };
  add({ type: 'usage_tier' }, 'monthly', '10000000', 0);
  add({ type: 'organization' }, 'monthly', '500000', 1);
  if (store.workspaces.has(FIXTURE_IDS.productionWorkspace)) {
    add(
      { type: 'workspace', workspace_id: FIXTURE_IDS.productionWorkspace },
      'monthly',
      '200000',
      2,
    );
  }
  const users = [...store.users.keys()].sort();
  const [first, second, third, fourth, fifth] = users;
  if (first) add({ type: 'user', user_id: first }, 'monthly', '50000', 3);
  if (second) add({ type: 'user', user_id: second }, 'daily', '2500', 4);
  if (third) add({ type: 'user', user_id: third }, 'weekly', null, 5);
  const request = (
    userId: string | undefined,
    period: Period,
    status: RequestStatus,
    age: number,
  ) => {
    if (!userId) return;
    const id = rng.id('splreq_');
    const at = now - age * MICROS_PER_DAY;
    state.requests.set(id, {
      id,
      userId,
      period,
      status,
      createdAt: at,
      resolvedAt: status === 'pending' ? null : at + MICROS_PER_DAY / 2,
      resolvedBy: status === 'pending' ? null : FIXTURE_IDS.adminUser,
    });
  };
  request(first, 'monthly', 'approved', 20);
  request(fifth, 'monthly', 'denied', 10);
  request(fourth, 'monthly', 'pending', 2);
  request(second, 'daily', 'pending', 1);
  return state;
}

// Rendering

function renderLimit(limit: LimitRecord): JsonObject {
  return {
    id: limit.id,
    amount: limit.amount,
    created_at: formatTimestamp(limit.createdAt),
    currency: CURRENCY,
    is_enabled: true,
    period: limit.period,
    scope: { ...limit.scope },
    type: 'spend_limit',
    updated_at: formatTimestamp(limit.updatedAt),
  };
}

function userActor(store: SandboxStore, userId: string): JsonObject {
  const user = store.users.get(userId);
  return {
    deleted: false,
    email_address: user?.email ?? null,
    name: user?.name ?? null,
    type: 'user_actor',
    user_id: userId,
  };
}

/** A member's spend so far in a period: fixed per member and period, fractions of a cent included. */
function spendToDate(userId: string, period: Period): string {
  const cents = hash32(`spend:${userId}:${period}`) % (period === 'daily' ? 3000 : 60000);
  const tenths = hash32(`spend-tenths:${userId}:${period}`) % 10;
  return tenths === 0 ? String(cents) : `${cents}.${tenths}`;
}

/** The member's effective limit rows: one per period they resolve a limit for. */
function effectiveRows(store: SandboxStore, state: SpendState, userId: string): JsonObject[] {
  const rows: JsonObject[] = [];
  const limits = [...state.limits.values()];
  for (const period of PERIODS) {
    const own = limits.find(
      (l) => l.period === period && l.scope.type === 'user' && l.scope.user_id === userId,
    );
    const inherited =
      own ?? limits.find((l) => l.period === period && l.scope.type === 'organization');
    if (!inherited) continue;
    rows.push({
      actor: userActor(store, userId),
      amount: inherited.amount,
      currency: CURRENCY,
      period,
      period_to_date_spend: spendToDate(userId, period),
      scope: { type: 'user', user_id: userId },
      source: { ...inherited.scope },
      spend_limit_id: inherited.id,
    });
  }
  return rows;
}

function renderRequest(store: SandboxStore, state: SpendState, request: RequestRecord): JsonObject {
  const summary =
    request.status === 'pending'
      ? (effectiveRows(store, state, request.userId).find((row) => row.period === request.period) ??
        null)
      : null;
  return {
    id: request.id,
    actor: userActor(store, request.userId),
    created_at: formatTimestamp(request.createdAt),
    period: request.period,
    resolved_at: formatNullableTimestamp(request.resolvedAt),
    resolved_by: request.resolvedBy ? userActor(store, request.resolvedBy) : null,
    spend_summary: summary,
    status: request.status,
    type: 'spend_limit_increase_request',
  };
}

// Token paging

function pageLimit(query: Query): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) throw invalidRequest('limit: Input should be a valid integer');
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

/** A page of `items` (groups of rows: the effective report pages by member) with bound tokens. */
function tokenPage(
  store: SandboxStore,
  list: string,
  query: Query,
  groups: readonly JsonObject[][],
): { data: JsonObject[]; next_page: string | null } {
  const limit = pageLimit(query);
  const token = boundPageToken(store, list, query);
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^page_(.+)$/.exec(token)?.[1];
    const text = decoded ? Buffer.from(decoded, 'base64url').toString('utf8') : '';
    const match = /^(\w+):(\d+)$/.exec(text);
    if (!match || match[1] !== list.replace(/\W/g, '')) {
      throw invalidRequest('page: unknown page token; pass a `next_page` value of this list');
    }
    offset = Number(match[2]);
  }
  const slice = groups.slice(offset, offset + limit);
  const end = offset + slice.length;
  const next =
    end < groups.length
      ? `page_${Buffer.from(`${list.replace(/\W/g, '')}:${end}`, 'utf8').toString('base64url')}`
      : null;
  return { data: slice.flat(), next_page: issuePageToken(store, list, query, next) };
}

// Requests

const SCOPE_RANK = new Map<string, number>(SCOPE_TYPES.map((type, index) => [type, index]));

function requireLimit(state: SpendState, id: string | undefined): LimitRecord {
  const limit = id === undefined ? undefined : state.limits.get(id);
  if (!limit) throw notFound('No spend limit with the given ID exists in this organization.');
  return limit;
}

function requireRequest(state: SpendState, id: string | undefined): RequestRecord {
  const request = id === undefined ? undefined : state.requests.get(id);
  if (!request) {
    throw notFound(
      'No spend limit increase request with the given ID exists in this organization.',
    );
  }
  return request;
}

function amountOf(body: JsonObject, options: { nullable: boolean }): string | null {
  const value = fieldValue(body, 'amount', { required: true, nullable: options.nullable });
  if (value === null) return null;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw invalidRequest(
      'amount: must be a non-negative integer decimal string in minor units, such as "50000"',
    );
  }
  return value;
}

function scopeOf(store: SandboxStore, body: JsonObject): Scope {
  const raw = fieldValue(body, 'scope', { required: true });
  if (!isObject(raw)) throw invalidRequest('scope: Input should be an object');
  const type = enumField(raw, 'type', SETTABLE_SCOPES, { required: true });
  const scopeField = (name: string): string => {
    const value = raw[name];
    if (typeof value !== 'string' || value === '') {
      throw invalidRequest(`scope.${name}: Field required`);
    }
    return value;
  };
  switch (type) {
    case 'user': {
      const userId = scopeField('user_id');
      if (!store.users.has(userId)) {
        throw notFound('No user with the given ID exists in this organization.');
      }
      return { type, user_id: userId };
    }
    case 'workspace': {
      const workspaceId = scopeField('workspace_id');
      const workspace = store.workspaces.get(workspaceId);
      if (!workspace) throw notFound('No workspace with the given ID exists in this organization.');
      if (workspace.archivedAt !== null) {
        throw invalidRequest('scope.workspace_id: the workspace is archived');
      }
      return { type, workspace_id: workspaceId };
    }
    default:
      return { type: 'organization' };
  }
}

const sameScope = (a: Scope, b: Scope) => JSON.stringify(a) === JSON.stringify(b);

/** The upsert of `spend_limits.set` and of an approval. */
function upsert(
  store: SandboxStore,
  state: SpendState,
  scope: Scope,
  period: Period,
  amount: string | null,
): LimitRecord {
  const now = store.tick();
  const existing = [...state.limits.values()].find(
    (limit) => limit.period === period && sameScope(limit.scope, scope),
  );
  if (existing) {
    existing.amount = amount;
    existing.updatedAt = now;
    return existing;
  }
  const limit: LimitRecord = {
    id: state.rng.id('spl_'),
    scope,
    period,
    amount,
    createdAt: now,
    updatedAt: now,
  };
  state.limits.set(limit.id, limit);
  return limit;
}

function suppressNotification(body: JsonObject): void {
  if (has(body, 'suppress_notification') && typeof body['suppress_notification'] !== 'boolean') {
    throw invalidRequest('suppress_notification: Input should be a valid boolean');
  }
}

export const spendLimitRoutes: Route[] = [
  route('GET', '/v1/organizations/spend_limits', ({ store, query }) => {
    const state = spendState(store);
    if (!state.features.spendLimitReads) throw notFound('Not found.');
    const types = queryEnumValues(query, 'scope_type', SCOPE_TYPES);
    const workspaceId = queryValue(query, 'workspace_id');
    if (workspaceId !== undefined && !store.workspaces.has(workspaceId)) {
      throw invalidRequest('workspace_id: no workspace with this ID exists in this organization');
    }
    const items = [...state.limits.values()]
      .filter((limit) => types === undefined || types.includes(limit.scope.type))
      .filter(
        (limit) =>
          workspaceId === undefined ||
          (limit.scope.type === 'workspace' && limit.scope.workspace_id === workspaceId),
      )
      .sort(
        (a, b) =>
          (SCOPE_RANK.get(a.scope.type) ?? 99) - (SCOPE_RANK.get(b.scope.type) ?? 99) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
    return tokenPage(
      store,
      'spend_limits',
      query,
      items.map((limit) => [renderLimit(limit)]),
    );
  }),

  route('GET', '/v1/organizations/spend_limits/effective', ({ store, query }) => {
    const state = spendState(store);
    const periods = queryEnumValues(query, 'period', PERIODS);
    const userIds = queryValues(query, 'user_ids');
    if (userIds && userIds.length > 100) {
      throw invalidRequest('user_ids: at most 100 entries');
    }
    const members = (userIds ?? [...store.users.keys()].sort()).filter((id) => store.users.has(id));
    const groups = members
      .map((userId) =>
        effectiveRows(store, state, userId).filter(
          (row) => periods === undefined || periods.includes(row['period'] as Period),
        ),
      )
      .filter((rows) => rows.length > 0);
    return tokenPage(store, 'spend_limits_effective', query, groups);
  }),

  route('GET', '/v1/organizations/spend_limits/:spend_limit_id', ({ store, params }) =>
    renderLimit(requireLimit(spendState(store), params['spend_limit_id'])),
  ),

  route('POST', '/v1/organizations/spend_limits', ({ store, body }) => {
    const state = spendState(store);
    const input = objectBody(body, ['amount', 'scope', 'period']);
    const scope = scopeOf(store, input);
    const amount = amountOf(input, { nullable: true });
    const period = enumField(input, 'period', PERIODS) ?? 'monthly';
    if (scope.type !== 'user') {
      // Claude Console limits are monthly and always carry an amount.
      if (period !== 'monthly') {
        throw invalidRequest(`period: ${scope.type} limits are monthly`);
      }
      if (amount === null) throw invalidRequest(`amount: ${scope.type} limits need an amount`);
    }
    return renderLimit(upsert(store, state, scope, period, amount));
  }),

  route('DELETE', '/v1/organizations/spend_limits/:spend_limit_id', ({ store, params }) => {
    const state = spendState(store);
    const limit = requireLimit(state, params['spend_limit_id']);
    if (limit.scope.type === 'usage_tier') {
      throw invalidRequest('The usage_tier spend limit is set by Anthropic and cannot be deleted.');
    }
    state.limits.delete(limit.id);
    return { id: limit.id, type: 'spend_limit_deleted' };
  }),

  route('GET', '/v1/organizations/spend_limit_increase_requests', ({ store, query }) => {
    const state = spendState(store);
    const statuses = queryEnumValues(query, 'status', REQUEST_STATUSES);
    const actorIds = queryValues(query, 'actor_ids');
    const items = [...state.requests.values()]
      .filter((request) => store.users.has(request.userId))
      .filter((request) => statuses === undefined || statuses.includes(request.status))
      .filter((request) => actorIds === undefined || actorIds.includes(request.userId))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return tokenPage(
      store,
      'spend_limit_increase_requests',
      query,
      items.map((request) => [renderRequest(store, state, request)]),
    );
  }),

  route(
    'GET',
    '/v1/organizations/spend_limit_increase_requests/:request_id',
    ({ store, params }) => {
      const state = spendState(store);
      return renderRequest(store, state, requireRequest(state, params['request_id']));
    },
  ),

  route(
    'POST',
    '/v1/organizations/spend_limit_increase_requests/:request_id/approve',
    ({ store, params, body }) => {
      const state = spendState(store);
      const request = requireRequest(state, params['request_id']);
      const input = objectBody(body, ['amount', 'period', 'suppress_notification']);
      const amount = amountOf(input, { nullable: false });
      const period = enumField(input, 'period', PERIODS, { nullable: true }) ?? request.period;
      suppressNotification(input);
      if (request.status !== 'pending') {
        throw invalidRequest(`The increase request is already ${request.status}.`);
      }
      const limit = upsert(store, state, { type: 'user', user_id: request.userId }, period, amount);
      request.status = 'approved';
      request.resolvedAt = limit.updatedAt;
      request.resolvedBy = FIXTURE_IDS.adminUser;
      return { ...renderRequest(store, state, request), spend_limit: renderLimit(limit) };
    },
  ),

  route(
    'POST',
    '/v1/organizations/spend_limit_increase_requests/:request_id/deny',
    ({ store, params, body }) => {
      const state = spendState(store);
      const request = requireRequest(state, params['request_id']);
      suppressNotification(objectBody(body, ['suppress_notification']));
      if (request.status === 'approved') {
        throw invalidRequest('The increase request is already approved and cannot be denied.');
      }
      if (request.status === 'pending') {
        request.status = 'denied';
        request.resolvedAt = store.tick();
        request.resolvedBy = FIXTURE_IDS.adminUser;
      }
      return renderRequest(store, state, request);
    },
  ),
];

/** A refusal the Admin API names in `error.details.error_code`. */
export function codedRefusal(status: number, errorCode: string, message: string): ApiError {
  return new ApiError(status, message, { details: { error_code: errorCode } });
}
