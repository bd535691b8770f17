import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { USERS_PATH, USERS_QUERY, logRecords, originOf, query, send } from './helpers.js';

// The tracer provider (and its context manager, which links the upstream spans to the operation
// span) must be global before the gateway is built: its plugin takes the provider then.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

const BUDGET = 500;

let h: Harness;
let origin: string;
beforeAll(async () => {
  h = await startHarness({
    config: { cacheTtlSeconds: 30, upstreamRateLimitPerMinute: BUDGET },
  });
  origin = originOf(h.endpoint);
});
afterAll(async () => {
  await h.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
/** Every cached read: each test sees the upstream requests it causes, whatever ran before it. */
const dropCachedReads = () =>
  h.gateway.upstream.cache?.invalidate([
    'organization',
    'users',
    'invites',
    'workspaces',
    'members',
    'apiKeys',
    'reports',
  ]);
beforeEach(async () => {
  await dropCachedReads();
  h.resetCounts();
  exporter.reset();
});

/** The value of one sample of the Prometheus text exposition, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries(
      [...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

const metrics = async () => (await send(`${origin}/metrics`)).text;

describe('health and readiness', () => {
  it('/health answers 200 and /ready answers 200 with nothing wrong', async () => {
    expect((await send(`${origin}/health`)).status).toBe(200);
    const ready = await send(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', problems: [] });
    expect(h.upstream()).toEqual([]);
  });
});

describe('Prometheus /metrics', () => {
  it('counts real upstream requests by operation, method and status', async () => {
    const labels = { operation: 'users.list', method: 'GET', status: '200' };
    const before = sample(await metrics(), 'admin_graph_upstream_requests_total', labels) ?? 0;
    // Distinct page sizes, and no cached read that could answer them.
    for (const first of [3, 4, 5]) {
      await dropCachedReads();
      const answer = await query(
        h.endpoint,
        `{ organization { users(first: ${first}) { nodes { id } } } }`,
      );
      expect(answer.body.errors).toBeUndefined();
    }
    const sent = h.upstream().filter((r) => r.path === USERS_PATH && r.status === 200).length;
    expect(sent).toBe(3);
    const after = sample(await metrics(), 'admin_graph_upstream_requests_total', labels);
    expect(after).toBe(before + sent);
  });

  it('counts upstream failures under their status', async () => {
    h.sandbox.injectFault({ method: 'GET', path: USERS_PATH, status: 503, retryAfter: null });
    const labels = { operation: 'users.list', method: 'GET', status: '503' };
    const before = sample(await metrics(), 'admin_graph_upstream_requests_total', labels) ?? 0;
    await query(h.endpoint, '{ organization { users(first: 6) { nodes { id } } } }');
    expect(sample(await metrics(), 'admin_graph_upstream_requests_total', labels)).toBe(before + 1);
  });

  it('counts cache reads: a miss, then a hit for the same read', async () => {
    const text = await metrics();
    const misses = sample(text, 'admin_graph_cache_reads_total', { result: 'miss' }) ?? 0;
    const hits = sample(text, 'admin_graph_cache_reads_total', { result: 'hit' }) ?? 0;
    const wholeHits =
      sample(text, 'admin_graph_result_cache_lookups_total', { result: 'hit' }) ?? 0;
    const read = '{ organization { users(first: 7) { nodes { id } } } }';
    await query(h.endpoint, read);
    // The same read in another operation: a hit in the cache of upstream reads.
    await query(h.endpoint, '{ organization { people: users(first: 7) { nodes { id } } } }');
    // The same operation again: a hit in the cache of whole results, which reads nothing.
    await query(h.endpoint, read);
    expect(h.upstream()).toHaveLength(1);
    const after = await metrics();
    expect(sample(after, 'admin_graph_cache_reads_total', { result: 'miss' })).toBe(misses + 1);
    expect(sample(after, 'admin_graph_cache_reads_total', { result: 'hit' })).toBe(hits + 1);
    expect(sample(after, 'admin_graph_result_cache_lookups_total', { result: 'hit' })).toBe(
      wholeHits + 1,
    );
  });

  it('reports the upstream budget left for the gateway’s own key', async () => {
    // The bucket refills continuously: with the clock stopped, what the gauge shows moves only by
    // what the gateway spends, whatever ran before and however long the requests take.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const remaining = sample(await metrics(), 'admin_graph_upstream_budget_remaining');
      expect(remaining).toBeDefined();
      expect(remaining).toBeLessThanOrEqual(BUDGET);
      // A page size no other test reads: not served from any cache.
      await query(h.endpoint, '{ organization { users(first: 8) { nodes { id } } } }');
      expect(h.upstream()).toHaveLength(1);
      const after = sample(await metrics(), 'admin_graph_upstream_budget_remaining');
      expect(after).toBe(remaining! - 1);
      expect(after).toBeLessThan(BUDGET);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exposes GraphQL operation metrics and the circuit state', async () => {
    await query(h.endpoint, '{ rateLimit { cost } }');
    const text = await metrics();
    expect(text).toMatch(/^graphql_envelop_request_duration_bucket\{/m);
    expect(text).toMatch(/^graphql_yoga_http_duration_bucket\{/m);
    expect(sample(text, 'admin_graph_upstream_circuit_open')).toBe(0);
    expect(text).toContain('# TYPE admin_graph_upstream_request_duration_seconds histogram');
  });
});

describe('request ids', () => {
  it('the x-request-id header is the requestId of the operation and upstream log lines', async () => {
    const answer = await query(h.endpoint, '{ organization { users(first: 9) { nodes { id } } } }');
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const records = logRecords(h).filter((r) => r['requestId'] === requestId);
    const operation = records.filter((r) => r['msg'] === 'operation');
    expect(operation).toHaveLength(1);
    expect(operation[0]).toMatchObject({ upstreamRequests: 1, errors: 0 });
    const upstream = records.filter((r) => r['msg'] === 'upstream request');
    const [recorded, ...others] = h.upstream();
    expect(others).toEqual([]);
    expect(upstream.map((r) => r['upstream'])).toEqual([
      expect.objectContaining({
        operation: 'users.list',
        status: 200,
        upstreamRequestId: recorded!.requestId,
      }),
    ]);
  });

  it('keeps a sane caller-supplied x-request-id and replaces an insane one', async () => {
    const sane = await query(h.endpoint, USERS_QUERY, { 'x-request-id': 'trace-abc.123_X' });
    expect(sane.headers.get('x-request-id')).toBe('trace-abc.123_X');
    expect(logRecords(h).some((r) => r['requestId'] === 'trace-abc.123_X')).toBe(true);
    for (const insane of ['has spaces', 'x'.repeat(65), 'semi;colon', '../../etc', '%C3%BC']) {
      const answer = await query(h.endpoint, USERS_QUERY, { 'x-request-id': insane });
      expect(answer.headers.get('x-request-id'), insane).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(h.logs.join('')).not.toContain('semi;colon');
  });
});

describe('OpenTelemetry', () => {
  it('spans the operation and its Admin API call, with the upstream request id', async () => {
    const answer = await query(
      h.endpoint,
      '{ organization { users(first: 10) { nodes { id } } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const upstream = spans.filter((s) => s.name === 'Admin API users.list');
    expect(upstream).toHaveLength(1);
    expect(upstream[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'admin_graph.upstream.request_id': h.upstream()[0]!.requestId,
    });
    const names = spans.map((s) => s.name);
    expect(names).toContain('query.anonymous');
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds.size, names.join(', ')).toBe(1);
  });
});
