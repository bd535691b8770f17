import { expect } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { GatewayConfig } from '../../src/config/config.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import {
  postGraphQL,
  startGateway,
  type GraphQLBody,
  type RunningGateway,
} from '../support/harness.js';

/**
 * Bulk tests run at the real limits on a shrunken clock: the gateway allows itself 100 upstream
 * requests per window and the sandbox answers 429 past 100 per window, with a window of WINDOW_MS
 * instead of a minute, so that pacing at 100 a minute is seen in seconds.
 */
export const WINDOW_MS = 1_000;

export const PACED: Partial<GatewayConfig> = {
  upstreamRateLimitPerMinute: 100,
  upstreamRateLimitWindowMs: WINDOW_MS,
  bulkBudgetShare: 0.5,
  bulkLeaseMs: 1_000,
  bulkPollMs: 50,
  // The budget never lets a request wait here: any interactive request it cannot serve at once
  // is RATE_LIMITED, so that a job eating the interactive room would show.
  upstreamBudgetMaxWaitMs: 0,
};

/** Sandbox options matching PACED: 100 requests per window, then 429. */
export const SANDBOX_LIMIT = { rateLimitPerMinute: 100, rateLimitWindowMs: WINDOW_MS };

/** A gateway in front of `sandbox` on a given database (which outlives it), its runner on. */
export async function gatewayOn(
  sandbox: Sandbox,
  database: () => Promise<Database>,
  config: Partial<GatewayConfig> = {},
): Promise<RunningGateway> {
  return startGateway(sandbox, { ...PACED, ...config }, { database, startBulkRunner: true });
}

export async function gql(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLBody> {
  return (await postGraphQL(endpoint, { query, variables }, headers)).body;
}

export const START_INVITES = `mutation($emails: [EmailAddress!]!) {
  bulkCreateInvites(input: { emails: $emails, role: USER }) {
    bulkOperation { id status total kind createdBy estimatedSecondsLeft }
    userErrors { message code field }
  }
}`;

export const FOLLOW = `query($id: ID!) {
  bulkOperation(id: $id) {
    id status total done failed left estimatedSecondsLeft startedAt finishedAt
    items(first: 1000, status: FAILED) { nodes { index email userErrors { code message } } }
  }
}`;

export const emails = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag}-${i}@bulk.example.com`);

export async function startInvites(
  endpoint: string,
  list: string[],
  headers: Record<string, string> = {},
): Promise<string> {
  const body = await gql(endpoint, START_INVITES, { emails: list }, headers);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  const payload = body.data!['bulkCreateInvites'] as {
    bulkOperation: { id: string; status: string } | null;
    userErrors: unknown[];
  };
  expect(payload.userErrors).toEqual([]);
  expect(payload.bulkOperation?.status).toBe('QUEUED');
  return payload.bulkOperation!.id;
}

export interface Followed {
  status: string;
  total: number;
  done: number;
  failed: number;
  left: number;
  estimatedSecondsLeft: number | null;
}

export async function follow(
  endpoint: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<Followed> {
  const body = await gql(endpoint, FOLLOW, { id }, headers);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!['bulkOperation'] as Followed;
}

/** Polls (a condition on real work, not a race) until `done(value)`, up to `timeoutMs`. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const finished = (op: Followed) =>
  ['SUCCEEDED', 'FAILED', 'PARTIAL', 'CANCELLED'].includes(op.status);

/** How many invite creations the sandbox received per address. */
export function inviteWrites(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of sandbox.requests) {
    if (request.method !== 'POST' || request.path !== '/v1/organizations/invites') continue;
    const email = (request.body as { email?: string } | null)?.email ?? '';
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

export const upstream429s = (sandbox: Sandbox) =>
  sandbox.requests.filter((request) => request.status === 429).length;
