import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResultCache } from '../../src/app/plugins/result-cache.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

/**
 * The fast hit path (src/app/plugins/fast-hit.ts): a query whose whole result is cached, sent again
 * with the same text, is answered from the request's parameters, before it is parsed, validated,
 * given a context or executed; and it answers exactly what the usual path answers.
 */
const READER = 'fast-hit-reader-token-0123456789';
const ADMIN = 'fast-hit-admin-token-0123456789ab';
const USERS =
  'query FastUsers($first: Int) { organization { users(first: $first) { nodes { id email } } } }';
// The same operation in other words: its text has no cached result, its document has.
const USERS_RESPACED = USERS.replace('{ organization', '{  organization');

const send = (
  h: Harness,
  query: string,
  variables: Record<string, unknown>,
  token = READER,
  headers: Record<string, string> = {},
) =>
  postGraphQL(h.endpoint, { query, variables }, { authorization: `Bearer ${token}`, ...headers });

/** How often the usual path looked an operation up in the result cache. */
const usualLookups = () => vi.spyOn(ResultCache.prototype, 'key');

describe('the fast hit path', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        cacheTtlSeconds: 600,
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: READER, scopes: ['read'] },
            { name: 'admin', token: ADMIN, scopes: ['admin'] },
          ],
        },
      },
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => h.close());

  it('answers a repeated query without executing it, exactly as the usual path answers the hit', async () => {
    const executed = await send(h, USERS, { first: 3 });
    expect(executed.body.errors).toBeUndefined();
    expect(h.upstream().length).toBeGreaterThan(0);
    h.resetCounts();

    const lookups = usualLookups();
    const fast = await send(h, USERS, { first: 3 });
    expect(lookups).not.toHaveBeenCalled();
    const usual = await send(h, USERS_RESPACED, { first: 3 });
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(h.upstream()).toEqual([]);

    expect(fast.status).toBe(200);
    expect(fast.body).toEqual(usual.body);
    expect(fast.body.data).toEqual(executed.body.data);
    const cost = (fast.body as { extensions?: { cost?: Record<string, unknown> } }).extensions
      ?.cost;
    const executedCost = (executed.body as { extensions?: { cost?: Record<string, unknown> } })
      .extensions?.cost;
    expect(cost).toMatchObject({
      estimatedUpstreamRequests: executedCost?.estimatedUpstreamRequests,
      upstreamRequests: 0,
      cacheHits: 1,
    });
    expect(fast.headers.get('content-type')).toBe(usual.headers.get('content-type'));
    expect(fast.headers.get('x-request-id')).toMatch(/\S/);
  });

  it('is reported as an executed hit is: the operation log line and the operation metrics', async () => {
    await send(h, USERS, { first: 4 });
    const fast = await send(h, USERS, { first: 4 }, READER, { 'x-request-id': 'fast-hit-log-1' });
    expect(fast.headers.get('x-request-id')).toBe('fast-hit-log-1');
    const line = h.logs
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'operation' && entry.requestId === 'fast-hit-log-1');
    expect(line).toMatchObject({
      operationName: null,
      upstreamRequests: 0,
      caller: 'token:reader',
      fromResultCache: true,
      errors: 0,
    });
    const metrics = await (
      await h.gateway.metrics(new Request('http://gateway.test/metrics'))
    ).text();
    const executions =
      /graphql_envelop_request\{operationType="query",operationName="FastUsers"\} (\d+)/.exec(
        metrics,
      );
    // Every request of FastUsers in this file so far: executed, hit fast or hit the usual way.
    expect(Number(executions?.[1])).toBeGreaterThanOrEqual(5);
    expect(metrics).toMatch(
      /graphql_yoga_http_duration_count\{operationType="query",operationName="FastUsers",method="POST",statusCode="200"\} \d+/,
    );
    expect(metrics).toMatch(/admin_graph_result_cache_lookups_total\{result="hit"\} \d+/);
  });

  it('never serves a result after a write moved the cache on', async () => {
    const query = '{ organization { workspaces(first: 5) { nodes { id name } } } }';
    const before = await send(h, query, {}, ADMIN);
    const workspace = (
      before.body.data as { organization: { workspaces: { nodes: { id: string }[] } } }
    ).organization.workspaces.nodes[0]!;
    const renamed = await send(
      h,
      'mutation Rename($id: ID!) { updateWorkspace(input: { workspaceId: $id, name: "Renamed by fast-hit test" }) { workspace { id } userErrors { message } } }',
      { id: workspace.id },
      ADMIN,
    );
    expect(renamed.body.errors).toBeUndefined();
    h.resetCounts();
    const after = await send(h, query, {}, ADMIN);
    expect(h.upstream().length).toBeGreaterThan(0);
    expect(JSON.stringify(after.body.data)).toContain('Renamed by fast-hit test');
  });

  it('keeps callers apart, variables apart, and leaves dry runs and strangers to the usual path', async () => {
    await send(h, USERS, { first: 5 });
    const lookups = usualLookups();
    // Another caller (other scopes): its own lookup, its own execution.
    h.resetCounts();
    const admin = await send(h, USERS, { first: 5 }, ADMIN);
    expect(admin.body.errors).toBeUndefined();
    expect(lookups).toHaveBeenCalledTimes(1);
    // Other variables.
    await send(h, USERS, { first: 6 });
    expect(lookups).toHaveBeenCalledTimes(2);
    // A dry run.
    await send(h, USERS, { first: 5 }, READER, { 'x-dry-run': '1' });
    expect(lookups).toHaveBeenCalledTimes(3);
    // No credential, or a wrong one: refused as before.
    const stranger = await postGraphQL(h.endpoint, { query: USERS, variables: { first: 5 } });
    expect(stranger.status).toBe(401);
    const wrong = await send(h, USERS, { first: 5 }, 'not-a-token-of-this-gateway-000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.data ?? null).toBeNull();
  });
});

describe('with reads audited (AUDIT_READS)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 600, auditReads: true } });
  });
  afterAll(() => h.close());

  it('takes the usual path, where reads are recorded as they execute', async () => {
    await postGraphQL(h.endpoint, { query: USERS, variables: { first: 2 } });
    const lookups = usualLookups();
    try {
      const again = await postGraphQL(h.endpoint, { query: USERS, variables: { first: 2 } });
      expect(again.body.errors).toBeUndefined();
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });
});
