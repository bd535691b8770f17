import { COLLECTIONS } from '../src/domain/kinds.js';
import type { RecordedRequest, Sandbox } from '../src/sandbox/index.js';
import { errorCodes, post } from './client.js';
import type { Minimum } from './minimum.js';
import type { CanonicalOperation } from './operations.js';
import { runPeerOperation } from './peer/operations.js';
import { replayUpstream, type RunRequest } from './replay.js';
import { LATENCY_MS, benchConfig, serveGateway, type Served } from './servers.js';

/** Everything measured for one canonical operation outside the throughput runs. */
export interface OperationMeasurement {
  operation: CanonicalOperation;
  minimum: Minimum;
  criticalPathMs: number;
  /** The gateway's own pre-execution estimate (extensions.cost). */
  estimate: number | null;
  cold: {
    /** Upstream requests of each cold run (fresh gateway each). */
    upstreamRuns: number[];
    /**
     * Median wall time of the cold runs: a running gateway (its connections open, as in
     * production) with every cache emptied before each run (every collection's generation moved
     * on), as the naive gateway and the peer are timed on running servers that do not cache.
     */
    ms: number;
    msRuns: number[];
    /** Median wall time of the first request to a brand-new gateway (the counted runs). */
    freshMs: number;
    /**
     * The same upstream requests sent straight to the sandbox, without the gateway, in the order
     * the cold run needed them (see replayUpstream): median of three, or null when the run wrote.
     */
    upstreamAloneMs: number | null;
    errors: string[];
    /** The upstream calls of the first cold run, grouped by route. */
    calls: string[];
  };
  warm: { upstream: number; ms: number; errors: string[] };
  naive: { upstream: number; ms: number; errors: string[]; sameData: boolean };
  peer: {
    upstream: number;
    ms: number;
    clientRequests: number;
    errors: number;
    note: string;
    calls: string[];
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** `GET /v1/organizations/users?limit=1000` with ids replaced by `{id}`, counted. */
export function groupCalls(requests: RecordedRequest[]): string[] {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const path = request.path
      .replace('/v1/organizations', '')
      .replace(/(user|wrkspc|apikey|invite)_[A-Za-z0-9]+/g, '{$1}');
    const query = Object.entries(request.query)
      .map(
        ([key, values]) =>
          `${key}=${key.endsWith('_id') && key !== 'workspace_id' ? '…' : values.join(',')}`,
      )
      .join('&');
    const status = request.status === 200 ? '' : ` → ${request.status}`;
    const label = `${request.method} ${path}${query ? `?${query.replace(/wrkspc_[A-Za-z0-9]+/g, '{wrkspc}')}` : ''}${status}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => `${count} × ${label}`);
}

const COLD_RUNS = 5;
/** Naive and peer runs (each is cold: neither caches); counts come from the first. */
const OTHER_RUNS = 3;

/** Runs an operation once against a served endpoint. */
function send(served: Served, operation: CanonicalOperation) {
  return post(served.url, operation.query, operation.variables, operation.operationName);
}

/**
 * Cold (fresh gateway), warm (same gateway, again within the TTL), naive and peer runs of one
 * operation, counting upstream requests exactly from the sandbox's log. The budget is off in
 * these runs (they count requests, they do not test the rate limit); caching is at its default.
 */
export async function measureOperation(
  sandbox: Sandbox,
  peer: Served,
  operation: CanonicalOperation,
  minimum: Minimum,
): Promise<OperationMeasurement> {
  const config = benchConfig(sandbox, { upstreamRateLimitPerMinute: 0 });
  const upstreamRuns: number[] = [];
  const msRuns: number[] = [];
  const freshMs: number[] = [];
  const warmMs: number[] = [];
  let calls: string[] = [];
  let coldErrors: string[] = [];
  let estimate: number | null = null;
  let warm: OperationMeasurement['warm'] = { upstream: 0, ms: 0, errors: [] };
  let ourData = '';

  for (let run = 0; run < COLD_RUNS; run++) {
    const gateway = await serveGateway(config);
    try {
      sandbox.clearRequests();
      const cold = await send(gateway, operation);
      upstreamRuns.push(sandbox.requests.length);
      freshMs.push(cold.ms);
      if (run === 0) {
        calls = groupCalls(sandbox.requests);
        coldErrors = errorCodes(cold.body);
        ourData = JSON.stringify(cold.body.data);
        const cost = cold.body.extensions?.['cost'] as
          { estimatedUpstreamRequests?: number } | undefined;
        estimate = cost?.estimatedUpstreamRequests ?? null;
      }
      sandbox.clearRequests();
      const again = await send(gateway, operation);
      warmMs.push(again.ms);
      warm = {
        upstream: Math.max(warm.upstream, sandbox.requests.length),
        ms: median(warmMs),
        errors: [...new Set([...warm.errors, ...errorCodes(again.body)])],
      };
    } finally {
      await gateway.close();
    }
  }

  // Cold caches on a running gateway, timed: the same requests, without opening connections.
  const running = await serveGateway(config);
  let upstream: RecordedRequest[] = [];
  try {
    await send(running, operation);
    const cache = running.gateway.upstream.cache;
    for (let run = 0; run < COLD_RUNS; run++) {
      await cache?.invalidate([...COLLECTIONS]);
      await cache?.settled();
      sandbox.clearRequests();
      const cold = await send(running, operation);
      if (sandbox.requests.length !== upstreamRuns[0]) {
        throw new Error(
          `${operation.title}: ${sandbox.requests.length} upstream requests with emptied caches, ${upstreamRuns[0]} on a fresh gateway`,
        );
      }
      msRuns.push(cold.ms);
      upstream = [...sandbox.requests];
    }
  } finally {
    await running.close();
  }
  const replays: number[] = [];
  if (upstream.every((request) => request.method === 'GET')) {
    for (let run = 0; run < OTHER_RUNS; run++) {
      replays.push(await replayUpstream(sandbox.url, upstream.map(runRequest)));
      sandbox.clearRequests();
    }
  }

  const naiveGateway = await serveGateway(config, true);
  let naive: OperationMeasurement['naive'] | undefined;
  const naiveMs: number[] = [];
  try {
    for (let run = 0; run < OTHER_RUNS; run++) {
      sandbox.clearRequests();
      const result = await send(naiveGateway, operation);
      naiveMs.push(result.ms);
      naive ??= {
        upstream: sandbox.requests.length,
        ms: 0,
        errors: errorCodes(result.body),
        sameData: JSON.stringify(result.body.data) === ourData,
      };
    }
  } finally {
    await naiveGateway.close();
  }

  let peerResult: OperationMeasurement['peer'] | undefined;
  const peerMs: number[] = [];
  for (let run = 0; run < OTHER_RUNS; run++) {
    sandbox.clearRequests();
    const peerRun = await runPeerOperation(peer.url, operation);
    peerMs.push(peerRun.ms);
    peerResult ??= {
      ...peerRun,
      upstream: sandbox.requests.length,
      calls: groupCalls(sandbox.requests),
    };
  }
  sandbox.clearRequests();
  if (!naive || !peerResult) throw new Error('no naive or peer run');

  return {
    operation,
    minimum,
    criticalPathMs: operation.rounds * LATENCY_MS,
    estimate,
    cold: {
      upstreamRuns,
      ms: median(msRuns),
      msRuns,
      freshMs: median(freshMs),
      upstreamAloneMs: replays.length > 0 ? median(replays) : null,
      errors: coldErrors,
      calls,
    },
    warm,
    naive: { ...naive, ms: median(naiveMs) },
    peer: { ...peerResult, ms: median(peerMs) },
  };
}

/** A request of the sandbox's log, as the replay sends it again. */
function runRequest(request: RecordedRequest): RunRequest {
  const query = new URLSearchParams();
  for (const [key, values] of Object.entries(request.query)) {
    for (const value of values) query.append(key, value);
  }
  const headers: Record<string, string> = {};
  for (const name of ['anthropic-version', 'anthropic-beta']) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return {
    path: query.size > 0 ? `${request.path}?${query.toString()}` : request.path,
    status: request.status,
    headers,
    sentAt: request.arrivedAt,
    answeredAt: request.answeredAt,
  };
}

/** Runs every operation once on throwaway gateways and the peer, so that timings exclude JIT. */
export async function warmUpProcess(
  sandbox: Sandbox,
  peer: Served,
  operations: CanonicalOperation[],
): Promise<void> {
  const config = benchConfig(sandbox, { upstreamRateLimitPerMinute: 0 });
  for (const naive of [false, true]) {
    const gateway = await serveGateway(config, naive);
    try {
      for (const operation of operations) await send(gateway, operation);
    } finally {
      await gateway.close();
    }
  }
  for (const operation of operations) await runPeerOperation(peer.url, operation);
  sandbox.clearRequests();
}
