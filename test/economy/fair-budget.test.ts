import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, startHarness, type Harness } from '../support/harness.js';
import { startTestRedis } from '../support/redis.js';
import { run } from './helpers.js';

const READER = 'reader-token-0123456789abcdef';
const OTHER_READER = 'other-reader-token-0123456789';
const ADMIN = 'admin-token-0123456789abcdefgh';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      // No cache: every query below costs exactly one upstream request.
      upstreamRateLimitPerMinute: 6,
      upstreamBudgetMaxWaitMs: 0,
      upstreamCallerShare: 0.5,
      auth: {
        mode: 'token',
        tokens: [
          { name: 'dashboards', token: READER, scopes: ['read'] },
          { name: 'reports', token: OTHER_READER, scopes: ['read'] },
          { name: 'admins', token: ADMIN, scopes: ['admin'] },
        ],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

const users = (first: number) => `{ organization { users(first: ${first}) { nodes { id } } } }`;

describe('fair budget between callers', () => {
  it('a reader that spends its share is refused while an admin still gets through', async () => {
    // The reader's share is half of 6: three requests, then RATE_LIMITED.
    for (const first of [1, 2, 3]) {
      const ok = await run(h.endpoint, users(first), {}, bearer(READER));
      expect(ok.errors).toBeUndefined();
      expect(ok.cost.budget?.caller).toMatchObject({
        limit: 3,
        remaining: 3 - first,
        whole: false,
      });
    }
    const refused = await run(h.endpoint, users(4), {}, bearer(READER));
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(h.upstream()).toHaveLength(3); // the refused request was never sent

    // The organization's bucket still holds 3: the admin may use all of them.
    const admin = await run(h.endpoint, users(5), {}, bearer(ADMIN));
    expect(admin.errors).toBeUndefined();
    expect(admin.cost.budget).toMatchObject({ limit: 6, remaining: 2 });
    expect(admin.cost.budget?.caller).toMatchObject({ limit: 6, whole: true });
    // Another reader has a share of its own.
    const other = await run(h.endpoint, users(6), {}, bearer(OTHER_READER));
    expect(other.errors).toBeUndefined();
    expect(h.upstream()).toHaveLength(5);

    // rateLimit shows the caller's share next to the organization's bucket, spending nothing.
    const limits = await run(
      h.endpoint,
      `{ rateLimit { limit remaining caller { limit remaining wholeBudget resetAt } } }`,
      {},
      bearer(READER),
    );
    expect(limits.data).toMatchObject({
      rateLimit: { limit: 6, remaining: 1, caller: { limit: 3, remaining: 0, wholeBudget: false } },
    });
    expect(h.upstream()).toHaveLength(5);
  });
});

describe('fair budget across replicas sharing Redis', () => {
  it('a reader’s share is one share for the whole fleet', async () => {
    const redis = await startTestRedis();
    const config = {
      redisUrl: redis.url,
      upstreamRateLimitPerMinute: 6,
      upstreamBudgetMaxWaitMs: 0,
      upstreamCallerShare: 0.5,
      auth: {
        mode: 'token' as const,
        tokens: [
          { name: 'dashboards', token: READER, scopes: ['read'] },
          { name: 'admins', token: ADMIN, scopes: ['admin'] },
        ],
      },
    };
    const a = await startGateway(h.sandbox, config);
    const b = await startGateway(h.sandbox, config);
    try {
      for (const [index, gateway] of [a, b, a].entries()) {
        const ok = await run(gateway.endpoint, users(10 + index), {}, bearer(READER));
        expect(ok.errors).toBeUndefined();
      }
      const refused = await run(b.endpoint, users(20), {}, bearer(READER));
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      const admin = await run(b.endpoint, users(21), {}, bearer(ADMIN));
      expect(admin.errors).toBeUndefined();
      expect(admin.cost.budget).toMatchObject({ limit: 6, remaining: 2 });
    } finally {
      await a.close();
      await b.close();
      await redis.close();
    }
  });
});
