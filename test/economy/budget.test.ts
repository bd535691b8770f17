import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { run } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LOOKUP = (id: string) => `{ workspace(id: "${id}") { name } }`;
const RATE_LIMIT = `{ rateLimit { limit remaining resetAt pausedUntil cost } }`;

describe('upstream budget', () => {
  it('refuses with RATE_LIMITED and a retryAfter once the budget is spent, without sending', async () => {
    h = await startHarness({
      config: { upstreamRateLimitPerMinute: 3, upstreamBudgetMaxWaitMs: 0 },
    });
    for (let i = 0; i < 3; i++) {
      const ok = await run(h.endpoint, LOOKUP(FIXTURE_IDS.productionWorkspace));
      expect(ok.errors).toBeUndefined();
      expect(ok.cost.budget?.remaining).toBe(2 - i);
    }
    const refused = await run(h.endpoint, LOOKUP(FIXTURE_IDS.productionWorkspace));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = refused.errors?.[0]?.extensions?.retryAfter as number;
    // Three per minute: a token comes back every 20 s.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(h.upstream()).toHaveLength(3);
  });

  it('waits for a token when the wait is within the allowed time', async () => {
    // 600 a minute: a token every 100 ms, so the request after the burst waits and succeeds.
    h = await startHarness({
      config: { upstreamRateLimitPerMinute: 600, upstreamBudgetMaxWaitMs: 2_000 },
    });
    const burst = `{ ${Array.from({ length: 6 }, (_, i) => `w${i}: workspace(id: "${FIXTURE_IDS.productionWorkspace}") { name }`).join(' ')} }`;
    // Spend the bucket with cheap single requests, then one more.
    for (let i = 0; i < 600; i++) {
      await h.gateway.upstream.budget?.acquire('spent-elsewhere');
    }
    const result = await run(h.endpoint, burst);
    expect(result.errors).toBeUndefined();
    expect(h.upstream()).toHaveLength(1);
  });

  it('pauses every upstream call for the retry-after of an upstream 429', async () => {
    h = await startHarness({
      config: { upstreamRateLimitPerMinute: 100, upstreamBudgetMaxWaitMs: 1_000 },
    });
    h.sandbox.injectFault({ status: 429, errorType: 'rate_limit_error', retryAfter: 30 });
    const first = await run(h.endpoint, LOOKUP(FIXTURE_IDS.productionWorkspace));
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 30 });
    expect(h.upstream()).toHaveLength(1);

    const second = await run(h.endpoint, LOOKUP(FIXTURE_IDS.archivedWorkspace));
    expect(second.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(second.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(29);
    // Nothing was sent while paused.
    expect(h.upstream()).toHaveLength(1);

    const status = await run(h.endpoint, RATE_LIMIT);
    const limit = (status.data as { rateLimit: { remaining: number; pausedUntil: string | null } })
      .rateLimit;
    expect(limit.remaining).toBe(0);
    expect(limit.pausedUntil).not.toBeNull();
  });

  it('rateLimit answers without spending budget or making upstream requests', async () => {
    h = await startHarness({ config: { upstreamRateLimitPerMinute: 100 } });
    const before = await run(h.endpoint, RATE_LIMIT);
    expect(before.data).toMatchObject({
      rateLimit: { limit: 100, remaining: 100, pausedUntil: null, cost: 0 },
    });
    const combined = await run(
      h.endpoint,
      `{ rateLimit { remaining cost } organization { users(first: 5) { nodes { id } } } }`,
    );
    expect(combined.data).toMatchObject({ rateLimit: { cost: 1 } });
    expect(h.upstream()).toHaveLength(1);
    const after = await run(h.endpoint, RATE_LIMIT);
    expect((after.data as { rateLimit: { remaining: number } }).rateLimit.remaining).toBe(99);
  });

  it('reports no budget when it is turned off', async () => {
    h = await startHarness({ config: { upstreamRateLimitPerMinute: 0 } });
    const result = await run(h.endpoint, RATE_LIMIT);
    expect(result.data).toEqual({
      rateLimit: { limit: null, remaining: null, resetAt: null, pausedUntil: null, cost: 0 },
    });
    expect(result.cost.budget).toBeNull();
  });
});
