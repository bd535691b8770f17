import type {
  BetaSpendLimit,
  BetaSpendLimitPeriod,
  BetaSpendSummary,
  SpendLimitDeleteResponse,
  SpendLimitListParams,
  SpendLimitSetParams,
} from '@anthropic-ai/sdk/resources/beta/organization/spend-limits/spend-limits';
import type {
  BetaSpendLimitIncreaseRequest,
  BetaSpendLimitIncreaseRequestStatus,
  IncreaseRequestApproveParams,
  IncreaseRequestApproveResponse,
  IncreaseRequestDenyParams,
} from '@anthropic-ai/sdk/resources/beta/organization/spend-limits/increase-requests';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';
import { coded, plainPage, type PlainPage } from './coded-errors.js';

/*
 * Spend limits, members' effective limits and spend-limit increase requests (EXTENDED.md §8).
 * An Admin API key works here. Only the list of limits is a beta (`spend-limit-reads-2026-09-26`,
 * which the SDK sends itself): an organization not enabled for it gets NOT_ENABLED on that field
 * alone (the operation's `gate`). Amounts are integer decimal strings in minor units, passed
 * through unchanged. Lists are token-paged (`limit`, `page` → `next_page`); what is cached is the
 * plain page. Every read and write of the family lives in one cache collection: approving an
 * increase request writes a limit, setting a limit changes members' effective limits.
 */

export type {
  BetaSpendLimit,
  BetaSpendLimitIncreaseRequest,
  BetaSpendLimitIncreaseRequestStatus,
  BetaSpendLimitPeriod,
  BetaSpendSummary,
  IncreaseRequestApproveResponse,
  SpendLimitDeleteResponse,
};

/** The beta the list of spend limits needs. */
export const SPEND_LIMIT_READS_BETA = 'spend-limit-reads-2026-09-26';

const read = (name: string, gate?: string): UpstreamOperation => ({
  name,
  method: 'GET',
  write: false,
  ...(gate ? { gate } : {}),
});
const post = (name: string): UpstreamOperation => ({ name, method: 'POST', write: true });
const remove = (name: string): UpstreamOperation => ({ name, method: 'DELETE', write: true });

const COLLECTION = 'spendLimits' as const;
const entity = (id: string) => `entity:${id}`;
const requestEntity = (id: string) => `increase_request:${id}`;

/**
 * What an increase request id may look like. The Admin API documents no prefix for them, so the
 * gateway only makes sure a caller's id is one plain path segment before it reaches a URL.
 */
export const INCREASE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export class InvalidIncreaseRequestIdError extends Error {
  override name = 'InvalidIncreaseRequestIdError';
  constructor(readonly value: string) {
    super(
      `${JSON.stringify(value.slice(0, 100))} is not a spend-limit increase request id (letters, digits, _ and -).`,
    );
  }
}

function checkIncreaseRequestId(id: string): string {
  if (!INCREASE_REQUEST_ID.test(id)) throw new InvalidIncreaseRequestIdError(id);
  return id;
}

export interface TokenQuery {
  limit?: number;
  page?: string;
}

export type SpendLimitListQuery = TokenQuery &
  Pick<SpendLimitListParams, 'scope_type' | 'workspace_id'>;

export interface EffectiveSpendLimitQuery extends TokenQuery {
  period?: BetaSpendLimitPeriod[];
  user_ids?: string[];
}

export interface IncreaseRequestListQuery extends TokenQuery {
  actor_ids?: string[];
  status?: BetaSpendLimitIncreaseRequestStatus[];
}

export function listSpendLimits(
  api: AdminApi,
  query: SpendLimitListQuery,
): Promise<PlainPage<BetaSpendLimit>> {
  if (query.workspace_id != null) checkId('workspace', query.workspace_id);
  // A 404 (not enabled) is cached as such and answered as NOT_ENABLED again from the cache.
  return api.read(
    COLLECTION,
    readKey('spendLimits.list', query),
    read('spend_limits.list', SPEND_LIMIT_READS_BETA),
    coded((org, opts) => org.spendLimits.list(query, opts), plainPage, SPEND_LIMIT_READS_BETA),
  );
}

export function getSpendLimit(api: AdminApi, id: string): Promise<BetaSpendLimit> {
  checkId('spendLimit', id);
  return api.read(
    COLLECTION,
    entity(id),
    read('spend_limits.get'),
    coded((org, opts) => org.spendLimits.retrieve(id, opts)),
  );
}

export function setSpendLimit(
  api: AdminApi,
  body: Pick<SpendLimitSetParams, 'amount' | 'scope' | 'period'>,
): Promise<BetaSpendLimit> {
  if (body.scope.type === 'user') checkId('user', body.scope.user_id);
  if (body.scope.type === 'workspace') checkId('workspace', body.scope.workspace_id);
  return api.write<BetaSpendLimit>(
    post('spend_limits.set'),
    coded((org, opts) => org.spendLimits.set(body, opts)),
    [COLLECTION],
    (limit) => [COLLECTION, limit.id],
  );
}

export function deleteSpendLimit(api: AdminApi, id: string): Promise<SpendLimitDeleteResponse> {
  checkId('spendLimit', id);
  return api.write<SpendLimitDeleteResponse>(
    remove('spend_limits.delete'),
    coded((org, opts) => org.spendLimits.delete(id, opts)),
    [COLLECTION],
  );
}

export function listEffectiveSpendLimits(
  api: AdminApi,
  query: EffectiveSpendLimitQuery,
): Promise<PlainPage<BetaSpendSummary>> {
  for (const userId of query.user_ids ?? []) checkId('user', userId);
  return api.read(
    COLLECTION,
    readKey('spendLimits.effective.list', query),
    read('spend_limits.effective.list'),
    coded((org, opts) => org.spendLimits.effective.list(query, opts), plainPage),
  );
}

export function listIncreaseRequests(
  api: AdminApi,
  query: IncreaseRequestListQuery,
): Promise<PlainPage<BetaSpendLimitIncreaseRequest>> {
  for (const userId of query.actor_ids ?? []) checkId('user', userId);
  return api.read(
    COLLECTION,
    readKey('spendLimits.increaseRequests.list', query),
    read('spend_limit_increase_requests.list'),
    coded((org, opts) => org.spendLimits.increaseRequests.list(query, opts), plainPage),
  );
}

export function getIncreaseRequest(
  api: AdminApi,
  id: string,
): Promise<BetaSpendLimitIncreaseRequest> {
  checkIncreaseRequestId(id);
  return api.read(
    COLLECTION,
    requestEntity(id),
    read('spend_limit_increase_requests.get'),
    coded((org, opts) => org.spendLimits.increaseRequests.retrieve(id, opts)),
  );
}

export function approveIncreaseRequest(
  api: AdminApi,
  id: string,
  body: IncreaseRequestApproveParams,
): Promise<IncreaseRequestApproveResponse> {
  checkIncreaseRequestId(id);
  return api.write<IncreaseRequestApproveResponse>(
    post('spend_limit_increase_requests.approve'),
    coded((org, opts) => org.spendLimits.increaseRequests.approve(id, body, opts)),
    [COLLECTION],
  );
}

export function denyIncreaseRequest(
  api: AdminApi,
  id: string,
  body: IncreaseRequestDenyParams,
): Promise<BetaSpendLimitIncreaseRequest> {
  checkIncreaseRequestId(id);
  return api.write<BetaSpendLimitIncreaseRequest>(
    post('spend_limit_increase_requests.deny'),
    coded((org, opts) => org.spendLimits.increaseRequests.deny(id, body, opts)),
    [COLLECTION],
  );
}
