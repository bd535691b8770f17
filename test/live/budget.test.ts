import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { liveConfig, sseSubscribe, subscribed } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    config: {
      // A tight budget that fails at once when spent: 30 requests a minute, the poller's share 6.
      upstreamRateLimitPerMinute: 30,
      upstreamBudgetMaxWaitMs: 0,
      upstreamCallerShare: 1,
      upstreamTimeoutMs: 60_000,
      // Polls are due every 100 ms: only the budget holds them back.
      live: liveConfig(100, { budgetShare: 0.2 }),
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('the poller and the budget', () => {
  it('never makes an interactive caller get RATE_LIMITED, and spends at most its share', async () => {
    const received = await sseSubscribe(h.endpoint, { filter: { kinds: ['WORKSPACE'] } });
    try {
      await subscribed(h.gateway);
      while ((await h.gateway.live!.status()).lastPollAt === null) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // A burst of interactive queries, one upstream request each, while polls are due (and
      // asked for on top).
      const query = `{ workspace(id: "${FIXTURE_IDS.productionWorkspace}") { name } }`;
      const burst = Array.from({ length: 23 }, () => postGraphQL(h.endpoint, { query }));
      const polls = Array.from({ length: 10 }, () => h.gateway.live!.pollNow());
      const answers = await Promise.all(burst);
      await Promise.all(polls);
      const codes = answers.flatMap((answer) =>
        (answer.body.errors ?? []).map((error) => error.extensions?.code),
      );
      expect(codes).toEqual([]);
      const status = await h.gateway.live!.status();
      expect(status.spentLastMinute).toBeGreaterThan(0);
      expect(status.spentLastMinute).toBeLessThanOrEqual(6);
    } finally {
      received.close();
    }
  });
});
