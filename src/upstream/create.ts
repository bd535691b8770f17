import type { GatewayConfig } from '../config/config.js';
import { UpstreamBudget } from './budget.js';
import { ReadCache } from './read-cache.js';
import { MemoryState, RedisState, type SharedState } from './state/shared-state.js';
import { Upstream } from './upstream.js';

export interface UpstreamStack {
  /** Memory, or Redis shared by the replicas (REDIS_URL). */
  state: SharedState;
  budget: UpstreamBudget;
  upstream: Upstream;
}

/**
 * The door to the Admin API as the configuration asks for it: the shared state, the budget
 * counted in it, and the upstream client with its read cache (none when `naive`).
 */
export function createUpstream(
  config: GatewayConfig,
  options: {
    naive?: boolean | undefined;
    onStateError?: (operation: string, error: unknown) => void;
  } = {},
): UpstreamStack {
  const state: SharedState = config.redisUrl
    ? new RedisState(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs })
    : new MemoryState();
  if (options.onStateError) state.errors.on(options.onStateError);
  const budget = new UpstreamBudget(state, {
    perMinute: config.upstreamRateLimitPerMinute,
    maxWaitMs: config.upstreamBudgetMaxWaitMs,
    callerShare: config.upstreamCallerShare,
    expectedReplicas: config.redisExpectedReplicas,
    ...(config.upstreamRateLimitWindowMs ? { windowMs: config.upstreamRateLimitWindowMs } : {}),
  });
  const upstream = new Upstream({
    baseUrl: config.upstreamBaseUrl,
    timeoutMs: config.upstreamTimeoutMs,
    maxRetries: config.upstreamMaxRetries,
    readDeadlineMs: config.upstreamReadDeadlineMs,
    circuitResetMs: config.circuitResetMs,
    budget,
    ...(options.naive ? {} : { cache: new ReadCache(state, config.cacheTtlSeconds * 1000) }),
  });
  return { state, budget, upstream };
}
