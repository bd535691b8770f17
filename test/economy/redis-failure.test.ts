import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { CALLER_KEY, SEED_NOW, startGateway, type RunningGateway } from '../support/harness.js';
import { run } from './helpers.js';
import { freePort } from '../support/ports.js';

/**
 * Redis failing must not fail the gateway: reads are served from upstream, writes succeed, the
 * budget is counted locally, /ready says "degraded", and every failure is logged and counted.
 * These tests use a redis-server of their own (started, paused and killed here), never the shared
 * REDIS_TEST_URL one.
 */

async function startRedisServer(port: number): Promise<ChildProcess> {
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const client = new Redis(`redis://127.0.0.1:${port}`, {
    retryStrategy: () => 50,
    maxRetriesPerRequest: null,
  });
  client.on('error', () => {});
  try {
    await client.ping();
  } finally {
    await client.quit().catch(() => {});
  }
  return server;
}

async function stopRedisServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INVITES = `{ organization { invites(first: 100) { nodes { email } } } }`;
const createInvite = (email: string) =>
  `mutation { createInvite(input: { email: "${email}", role: USER }) { invite { email } userErrors { code } } }`;
const emails = (body: { data?: unknown }) =>
  (
    body.data as { organization: { invites: { nodes: { email: string }[] } } }
  ).organization.invites.nodes.map((invite) => invite.email);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    now: SEED_NOW,
    credentials: { admin: DEFAULT_SANDBOX_KEY, caller: CALLER_KEY },
  });
});
afterAll(() => sandbox?.close());

async function get(gateway: RunningGateway, path: string) {
  const response = await fetch(new URL(path, gateway.endpoint));
  return { status: response.status, text: await response.text() };
}

describe('an unreachable Redis (nothing listens on its port)', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway(sandbox, {
      redisUrl: `redis://127.0.0.1:${await freePort()}/0`,
      cacheTtlSeconds: 30,
      upstreamRateLimitPerMinute: 4,
      upstreamBudgetMaxWaitMs: 0,
      redisExpectedReplicas: 2,
    });
  });
  afterAll(() => gateway?.close());

  it('serves reads from upstream, succeeds a write once, and counts a local share of the budget', async () => {
    sandbox.reset();
    sandbox.clearRequests();
    const read = await run(gateway.endpoint, INVITES);
    expect(read.errors).toBeUndefined();
    expect(read.cost.upstreamRequests).toBe(1);
    expect(read.cost.budget).toMatchObject({ limit: 2, remaining: 1 });

    const created = await run(gateway.endpoint, createInvite('fails-open@northwind.example'));
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({
      createInvite: { invite: { email: 'fails-open@northwind.example' }, userErrors: [] },
    });
    expect(sandbox.requests.filter((request) => request.method === 'POST')).toHaveLength(1);

    // Four per minute over two expected replicas: this replica's local share of 2 is spent.
    const refused = await run(gateway.endpoint, INVITES);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(sandbox.requests).toHaveLength(2);
  });

  it('says so in the log, in /metrics and in /ready (200, degraded)', async () => {
    expect(gateway.logs.join('')).toContain('shared state (Redis) failed; falling back');
    const metrics = await get(gateway, '/metrics');
    expect(metrics.text).toMatch(/admin_graph_shared_state_errors_total\{operation="get"\} [1-9]/);
    expect(metrics.text).toMatch(
      /admin_graph_shared_state_errors_total\{operation="budget"\} [1-9]/,
    );
    const ready = await get(gateway, '/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: 'degraded',
      problems: [expect.stringContaining('Redis')],
    });
  });
});

describe('a Redis that stops answering or dies while the gateway runs', () => {
  let port: number;
  let server: ChildProcess;
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    port = await freePort();
    server = await startRedisServer(port);
    const shared = {
      redisUrl: `redis://127.0.0.1:${port}/0`,
      cacheTtlSeconds: 30,
      redisCommandTimeoutMs: 300,
    };
    a = await startGateway(sandbox, shared);
    b = await startGateway(sandbox, shared);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (server) await stopRedisServer(server);
  });

  it('a write while Redis hangs succeeds, and its invalidation reaches every replica once Redis is back', async () => {
    sandbox.reset();
    expect(emails(await run(a.endpoint, INVITES))).not.toContain('paused@northwind.example');
    sandbox.clearRequests();
    expect((await run(b.endpoint, INVITES)).cost.upstreamRequests).toBe(0); // shared cache

    const admin = new Redis(`redis://127.0.0.1:${port}`);
    await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
    const created = await run(a.endpoint, createInvite('paused@northwind.example'));
    expect(created.errors).toBeUndefined();
    expect(sandbox.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    const ready = await get(a, '/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'degraded' });

    await sleep(3_000); // the pause is over
    await admin.quit();
    // The replica that wrote re-sends the invalidation before it reads again; then every replica
    // sees the write.
    expect(emails(await run(a.endpoint, INVITES))).toContain('paused@northwind.example');
    expect(emails(await run(b.endpoint, INVITES))).toContain('paused@northwind.example');
  });

  it('keeps answering when Redis dies, and reports ready again once it is back', async () => {
    await stopRedisServer(server);
    sandbox.clearRequests();
    const read = await run(a.endpoint, INVITES);
    expect(read.errors).toBeUndefined();
    const created = await run(b.endpoint, createInvite('redis-down@northwind.example'));
    expect(created.errors).toBeUndefined();
    expect(sandbox.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(JSON.parse((await get(a, '/ready')).text)).toMatchObject({ status: 'degraded' });

    server = await startRedisServer(port);
    // ioredis reconnects by itself; /ready turns "ready" once Redis answers and no failure is
    // recent (the window is 30 s, so only the Redis ping is checked here).
    let status = '';
    for (let attempt = 0; attempt < 50 && status !== 'ok'; attempt++) {
      await sleep(200);
      const body = JSON.parse((await get(a, '/ready')).text) as { problems: string[] };
      status = body.problems.some((problem) => problem.includes('does not answer')) ? '' : 'ok';
    }
    expect(status).toBe('ok');
    const again = await run(a.endpoint, INVITES);
    expect(again.errors).toBeUndefined();
    expect(emails(again)).toContain('redis-down@northwind.example');
  });
});
