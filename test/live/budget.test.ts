import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_FAMILY_KEYS } from '../../src/live/families.js';
import { Poller } from '../../src/live/poller.js';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { BudgetStatus, UpstreamBudget } from '../../src/upstream/budget.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { direct, liveConfig, sseSubscribe, subscribed } from './helpers.js';

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

describe('a watch that costs more than a poll may spend', () => {
  // A gateway of its own, whose budget the test above has not spent.
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ config: { live: liveConfig(), upstreamTimeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await g?.close();
  });

  it('is walked part by part, in turn, and every list is still read', async () => {
    const h = g;
    // A bucket that always holds 25 tokens of a large budget: a poll may spend 5 (share 0.2).
    const status: BudgetStatus = {
      limit: 100_000,
      remaining: 25,
      resetAt: new Date().toISOString(),
      pausedUntil: null,
      caller: null,
      local: false,
    };
    const budget = { enabled: true, status: async () => status } as unknown as UpstreamBudget;
    const poller = new Poller(
      h.gateway.upstream,
      budget,
      gatewayCredential(DEFAULT_SANDBOX_KEY),
      { minIntervalMs: 100, budgetShare: 0.2 },
      () => null,
    );
    // Every family but members (one list each): 18 lists, 5 a poll. Service accounts and
    // federation need an OAuth token this poller lacks: skipped, at no cost.
    const entries = LIVE_FAMILY_KEYS.filter((family) => family !== 'workspaceMember');
    const polls: string[][] = [];
    for (let poll = 0; poll < 4; poll++) {
      h.resetCounts();
      const outcome = await poller.poll(entries);
      expect(outcome.status).toBe('done');
      polls.push(h.upstream().map(show));
    }
    for (const requests of polls) expect(requests.length).toBeLessThanOrEqual(5);
    const paths = polls.flat();
    // The first round reads every list but the three OAuth-only ones, each once; the next round
    // has begun again from the first.
    const readable = entries.length - 3;
    expect(new Set(paths.slice(0, readable)).size).toBe(readable);
    expect(new Set(paths).size).toBe(readable);
    // A change to a list is seen within one round of polls.
    await direct(h.sandbox, 'POST', `/users/${FIXTURE_IDS.userUser}`, { role: 'developer' });
    const seen: (string | null)[] = [];
    for (let poll = 0; poll < 4; poll++) {
      seen.push(...(await poller.poll(entries)).events.map((event) => event.nodeId));
    }
    expect(seen).toEqual([FIXTURE_IDS.userUser]);
  });
});
