import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { CALLER_KEY, SEED_NOW, startGateway, type RunningGateway } from '../support/harness.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { run } from './helpers.js';

/** Two gateway replicas sharing one Redis, in front of one sandbox. */
let redis: TestRedis;
let sandbox: Sandbox;
let a: RunningGateway;
let b: RunningGateway;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await startSandbox({
    now: SEED_NOW,
    credentials: { admin: DEFAULT_SANDBOX_KEY, caller: CALLER_KEY },
  });
  const shared = { redisUrl: redis.url, cacheTtlSeconds: 30 };
  a = await startGateway(sandbox, shared);
  b = await startGateway(sandbox, shared);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await redis?.close();
});
beforeEach(async () => {
  sandbox.reset();
  await redis.flush();
  sandbox.clearRequests();
});

const KEY = FIXTURE_IDS.activeApiKey;
const READ_KEY = `{ apiKey(id: "${KEY}") { name } organization { apiKeys(first: 5) { nodes { id } } } }`;

describe('Redis mode: several replicas share one cache and one budget', () => {
  it('a read cached by one replica is served by the other without an upstream request', async () => {
    const cold = await run(a.endpoint, READ_KEY);
    // The lookup is answered from the keys list page the same operation reads.
    expect(cold.cost.upstreamRequests).toBe(1);
    sandbox.clearRequests();
    const warm = await run(b.endpoint, READ_KEY);
    expect(warm.data).toEqual(cold.data);
    expect(sandbox.requests).toEqual([]);
    expect(warm.cost.cacheHits).toBeGreaterThan(0);
  });

  it('a write through one replica is seen at once through the other', async () => {
    await run(a.endpoint, READ_KEY);
    await run(b.endpoint, READ_KEY);
    const renamed = await run(
      b.endpoint,
      `mutation { updateApiKey(input: { apiKeyId: "${KEY}", name: "renamed-on-b" }) { userErrors { code } } }`,
    );
    expect(renamed.errors).toBeUndefined();
    const seen = await run(a.endpoint, READ_KEY);
    expect((seen.data as { apiKey: { name: string } }).apiKey.name).toBe('renamed-on-b');
  });

  it('keeps credentials apart in the shared cache', async () => {
    await run(a.endpoint, READ_KEY);
    sandbox.clearRequests();
    await run(b.endpoint, READ_KEY, {}, { 'x-api-key': CALLER_KEY });
    expect(sandbox.requests.map((request) => request.credential)).toEqual(['caller']);
  });

  it('spends one budget across replicas', async () => {
    const budgeted = {
      redisUrl: redis.url,
      upstreamRateLimitPerMinute: 4,
      upstreamBudgetMaxWaitMs: 0,
    };
    const c = await startGateway(sandbox, budgeted);
    const d = await startGateway(sandbox, budgeted);
    try {
      const lookup = (id: string) => `{ workspace(id: "${id}") { name } }`;
      expect(
        (await run(c.endpoint, lookup(FIXTURE_IDS.productionWorkspace))).errors,
      ).toBeUndefined();
      expect((await run(d.endpoint, lookup(FIXTURE_IDS.archivedWorkspace))).errors).toBeUndefined();
      expect((await run(c.endpoint, lookup(FIXTURE_IDS.defaultWorkspace))).errors).toBeUndefined();
      const last = await run(d.endpoint, lookup(FIXTURE_IDS.productionWorkspace));
      expect(last.errors).toBeUndefined();
      expect(last.cost.budget?.remaining).toBe(0);
      const refused = await run(c.endpoint, lookup(FIXTURE_IDS.archivedWorkspace));
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(sandbox.requests).toHaveLength(4);
    } finally {
      await c.close();
      await d.close();
    }
  });

  it('an upstream 429 seen by one replica pauses the other', async () => {
    const budgeted = {
      redisUrl: redis.url,
      upstreamRateLimitPerMinute: 100,
      upstreamBudgetMaxWaitMs: 500,
    };
    const c = await startGateway(sandbox, budgeted);
    const d = await startGateway(sandbox, budgeted);
    try {
      sandbox.injectFault({ status: 429, errorType: 'rate_limit_error', retryAfter: 20 });
      const hit = await run(
        c.endpoint,
        `{ workspace(id: "${FIXTURE_IDS.productionWorkspace}") { name } }`,
      );
      expect(hit.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      const paused = await run(
        d.endpoint,
        `{ workspace(id: "${FIXTURE_IDS.archivedWorkspace}") { name } }`,
      );
      expect(paused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(sandbox.requests).toHaveLength(1);
    } finally {
      await c.close();
      await d.close();
    }
  });
});
