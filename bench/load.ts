import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayConfig } from '../src/config/config.js';
import { DASHBOARD } from './operations.js';
import { errorCodes, post } from './client.js';
import { Prng } from './prng.js';
import { benchConfig, serveGateway, startBenchSandbox } from './servers.js';

/** The simulated frontend: virtual users opening the dashboard again and again. */
export interface LoadOptions {
  virtualUsers: number;
  durationSeconds: number;
  /** Think time between two dashboard loads of one user, uniform in [min, max] ms. */
  thinkMs: [number, number];
  /** Users start at a random moment within this many ms. */
  rampMs: number;
  seed: number;
  /** Upstream rate limit the sandbox enforces. */
  sandboxRateLimitPerMinute: number;
}

export const DEFAULT_LOAD: Omit<LoadOptions, 'durationSeconds'> = {
  virtualUsers: 50,
  thinkMs: [250, 1500],
  rampMs: 2_000,
  seed: 0x10ad_2026,
  sandboxRateLimitPerMinute: 100,
};

/** Iterations one virtual user may run at most, a bound on top of the duration. */
export const MAX_ITERATIONS_PER_USER = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface LoadResult {
  options: LoadOptions;
  gatewaySettings: Pick<
    GatewayConfig,
    | 'cacheTtlSeconds'
    | 'upstreamRateLimitPerMinute'
    | 'upstreamBudgetMaxWaitMs'
    | 'upstreamMaxRetries'
  >;
  elapsedMs: number;
  /** Dashboard loads sent. */
  operations: number;
  /** Answered with data and no error. */
  served: number;
  /** GraphQL error codes over all answers (one answer can carry several). */
  errorsByCode: Record<string, number>;
  /** Answers that carried at least one error, or failed outright. */
  failedOperations: number;
  /** HTTP statuses of the answers (`network` for a failed fetch). */
  httpStatuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  upstreamRequests: number;
  upstreamByStatus: Record<string, number>;
  /** The most upstream requests sent in any 60-second window (sampled each second). */
  peakUpstreamPerMinute: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

/**
 * Runs the simulated frontend load against a fresh sandbox that enforces the Admin API's rate
 * limit and a gateway with its production defaults (cache TTL 30 s, budget 100/min). Bounded in
 * time and in iterations; loopback only.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sandbox = await startBenchSandbox(options.sandboxRateLimitPerMinute);
  const config = benchConfig(sandbox);
  const gateway = await serveGateway(config);
  const latencies: number[] = [];
  const errorsByCode: Record<string, number> = {};
  const httpStatuses: Record<string, number> = {};
  let operations = 0;
  let served = 0;
  let failedOperations = 0;
  const bump = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };

  // Upstream requests sent so far, sampled every second, for the per-minute peak.
  const samples: number[] = [0];
  const sampler = setInterval(() => samples.push(sandbox.requests.length), 1_000);

  const started = performance.now();
  const deadline = started + options.durationSeconds * 1_000;
  const virtualUser = async (index: number) => {
    const prng = new Prng(options.seed + index * 7919);
    await sleep(prng.between(0, options.rampMs));
    for (let i = 0; i < MAX_ITERATIONS_PER_USER && performance.now() < deadline; i++) {
      operations++;
      try {
        const response = await post(gateway.url, DASHBOARD, undefined, 'Dashboard', {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        latencies.push(response.ms);
        bump(httpStatuses, String(response.status));
        const codes = errorCodes(response.body);
        for (const code of codes) bump(errorsByCode, code);
        if (codes.length === 0 && response.body.data) served++;
        else failedOperations++;
      } catch (error) {
        bump(httpStatuses, 'network');
        bump(errorsByCode, (error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK');
        failedOperations++;
      }
      const think = prng.between(options.thinkMs[0], options.thinkMs[1]);
      if (performance.now() + think >= deadline) break;
      await sleep(think);
    }
  };

  try {
    await Promise.all(
      Array.from({ length: options.virtualUsers }, (_, index) => virtualUser(index)),
    );
  } finally {
    clearInterval(sampler);
  }
  const elapsedMs = performance.now() - started;
  samples.push(sandbox.requests.length);
  let peakUpstreamPerMinute = 0;
  for (let i = 0; i < samples.length; i++) {
    const windowStart = samples[Math.max(0, i - 60)] ?? 0;
    peakUpstreamPerMinute = Math.max(peakUpstreamPerMinute, (samples[i] ?? 0) - windowStart);
  }
  const upstreamByStatus: Record<string, number> = {};
  for (const request of sandbox.requests) bump(upstreamByStatus, String(request.status));
  const upstreamRequests = sandbox.requests.length;

  await gateway.close();
  await sandbox.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    options,
    gatewaySettings: {
      cacheTtlSeconds: config.cacheTtlSeconds,
      upstreamRateLimitPerMinute: config.upstreamRateLimitPerMinute,
      upstreamBudgetMaxWaitMs: config.upstreamBudgetMaxWaitMs,
      upstreamMaxRetries: config.upstreamMaxRetries,
    },
    elapsedMs,
    operations,
    served,
    errorsByCode,
    failedOperations,
    httpStatuses,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    upstreamRequests,
    upstreamByStatus,
    peakUpstreamPerMinute,
  };
}
