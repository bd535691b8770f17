import autocannon from 'autocannon';
import type { Sandbox } from '../src/sandbox/index.js';
import { post, requestBody, type GraphQLResponse } from './client.js';
import type { CanonicalOperation } from './operations.js';
import type { Served } from './servers.js';

/** One autocannon run against a GraphQL endpoint. */
export interface ThroughputResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failures: number;
  /** GraphQL errors in a check request after the run. */
  graphqlErrors: number;
  /** Upstream requests the sandbox saw during the run (target: 0 for warm runs). */
  upstreamDuringRun: number | null;
  /** Size of one answer and how many leaf values it holds: the work behind each request. */
  responseBytes: number;
  leafValues: number;
  /** The bare graphql-yoga run made just before this one, as its baseline. */
  baseline?: ThroughputResult;
  /** Each paired run's throughput as a share of its bare-yoga run (this one is the median). */
  shares?: number[];
}

export const CONNECTIONS = 10;

type RunResult = Pick<
  ThroughputResult,
  'label' | 'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'total' | 'failures'
>;

/**
 * Hammers one request for `durationSeconds` over loopback with autocannon, from a worker thread
 * so that the load generator does not share the event loop of the servers it measures.
 */
export async function runAutocannon(
  label: string,
  url: string,
  body: string,
  durationSeconds: number,
): Promise<RunResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: durationSeconds,
    workers: 1,
    timeout: 10,
    title: label,
  });
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Scalars (and nulls) in a JSON value: roughly the fields a GraphQL answer resolved. */
function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countLeaves(item), 0);
  if (value && typeof value === 'object') {
    return Object.values(value).reduce((sum: number, item) => sum + countLeaves(item), 0);
  }
  return 1;
}

function shape(body: GraphQLResponse) {
  return {
    graphqlErrors: body.errors?.length ?? 0,
    responseBytes: Buffer.byteLength(JSON.stringify(body)),
    leafValues: countLeaves(body.data),
  };
}

/** Warm throughput of one operation: warmed first, then autocannon; upstream counted. */
export async function warmThroughput(
  served: Served,
  sandbox: Sandbox,
  operation: CanonicalOperation,
  durationSeconds: number,
): Promise<ThroughputResult> {
  const send = () =>
    post(served.url, operation.query, operation.variables, operation.operationName);
  await send();
  sandbox.clearRequests();
  const run = await runAutocannon(
    operation.title,
    served.url,
    requestBody(operation.query, operation.variables, operation.operationName),
    durationSeconds,
  );
  const upstreamDuringRun = sandbox.requests.length;
  const check = await send();
  sandbox.clearRequests();
  return { ...run, ...shape(check.body), upstreamDuringRun };
}

/** The ceiling: a bare graphql-yoga answering `{ __typename }`. */
export async function bareYogaThroughput(
  served: Served,
  durationSeconds: number,
): Promise<ThroughputResult> {
  const run = await runAutocannon(
    'bare graphql-yoga `{ __typename }`',
    served.url,
    requestBody('{ __typename }'),
    durationSeconds,
  );
  const check = await post(served.url, '{ __typename }');
  return { ...run, ...shape(check.body), upstreamDuringRun: null };
}

/**
 * `pairs` runs of bare yoga then the operation, back to back so that each pair sees the same
 * machine load; answers the pair whose share of bare yoga is the median, with every pair's share.
 */
export async function pairedThroughput(
  bare: Served,
  served: Served,
  sandbox: Sandbox,
  operation: CanonicalOperation,
  options: { pairs: number; bareSeconds: number; seconds: number; label?: string },
): Promise<ThroughputResult> {
  const runs: ThroughputResult[] = [];
  for (let pair = 0; pair < options.pairs; pair++) {
    const baseline = await bareYogaThroughput(bare, options.bareSeconds);
    const run = await warmThroughput(served, sandbox, operation, options.seconds);
    runs.push({ ...run, label: options.label ?? run.label, baseline });
  }
  const share = (run: ThroughputResult) =>
    run.baseline ? run.requestsPerSecond / run.baseline.requestsPerSecond : 0;
  const sorted = [...runs].sort((a, b) => share(a) - share(b));
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    ...median,
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    upstreamDuringRun: runs.reduce((sum, run) => sum + (run.upstreamDuringRun ?? 0), 0),
    shares: runs.map(share),
  };
}
