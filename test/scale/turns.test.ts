import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { growOrganization, ORGANIZATION_SIZES } from '../../src/sandbox/seed.js';
import { AdminApi, type PageReadOptions } from '../../src/upstream/admin-api.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { ReadCache } from '../../src/upstream/read-cache.js';
import { MemoryState } from '../../src/upstream/state/shared-state.js';
import { nextTurn, turnsWaiting } from '../../src/upstream/turns.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Heavy pieces of work take turns of the event loop one at a time (src/upstream/turns.ts): pages
 * that arrive together are worked through one per turn, with timers and sockets served between
 * them, instead of in one stall of their sum.
 */

/** Counts the turns of the event loop (its check phases) while `run` runs. */
async function countingTurns<T>(run: (turn: () => number) => Promise<T>): Promise<T> {
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await run(() => turn);
  } finally {
    counting = false;
  }
}

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('nextTurn', () => {
  it('releases waiters in the order they came, one per turn, with a due timer served between them', async () => {
    const log: string[] = [];
    const waiter = async (name: string, work?: () => void) => {
      await nextTurn();
      log.push(name);
      work?.();
    };
    await Promise.all([
      waiter('first', () => {
        setTimeout(() => log.push('timer'), 1);
        busy(5); // the timer is due before the next turn
      }),
      waiter('second'),
      waiter('third'),
    ]);
    expect(log).toEqual(['first', 'timer', 'second', 'third']);
    expect(turnsWaiting()).toBe(0);
  });

  it('gives each waiter a turn of its own', async () => {
    const turns = await countingTurns(async (turn) => {
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          await nextTurn();
          seen.push(turn());
        }),
      );
      return seen;
    });
    expect(new Set(turns).size).toBe(5);
    expect([...turns].sort((a, b) => a - b)).toEqual(turns);
  });
});

const WRITE_CHUNK = 250;

describe('large pages cached at the same time', () => {
  it('are written one chunk per turn, not one chunk per page per turn', async () => {
    const credential = gatewayCredential('sk-ant-admin01-turns-test-key');
    const writes: number[] = [];
    await countingTurns(async (turn) => {
      // Chunked as Redis writes are (SharedState.writeChunk).
      const state = new MemoryState({ writeChunk: WRITE_CHUNK });
      const setMany = state.setMany.bind(state);
      state.setMany = async (entries, ttlMs) => {
        writes.push(turn());
        await setMany(entries, ttlMs);
      };
      const cache = new ReadCache(state, 30_000);
      const page = (prefix: string) => ({
        data: Array.from({ length: 1000 }, (_, index) => ({ id: `${prefix}_${index}` })),
      });
      const related = (value: { data: { id: string }[] }) =>
        value.data.map((item): [string, unknown] => [`entity:${item.id}`, { found: item }]);
      // Two pages of two collections, answered in the same turn.
      await Promise.all([
        cache.read(credential, 'users', 'a', async () => page('user'), undefined, related),
        cache.read(credential, 'apiKeys', 'b', async () => page('apikey'), undefined, related),
      ]);
      await cache.settled();
    });
    expect(writes).toHaveLength(2 * Math.ceil(1001 / WRITE_CHUNK));
    expect(new Set(writes).size).toBe(writes.length);
  });
});

describe('a large list page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 30 } });
    growOrganization(h.sandbox.store, h.sandbox.store.clock.anchor, ORGANIZATION_SIZES.medium);
  }, 60_000);
  afterAll(() => h.close());

  /**
   * Reads a page of 1000 users and logs when the caller got it, and when a turn of the event loop
   * queued the moment the answer arrived (before any caching) came.
   */
  async function arrival(options?: PageReadOptions): Promise<string[]> {
    const log: string[] = [];
    const api = new AdminApi(h.gateway.upstream, gatewayCredential(DEFAULT_SANDBOX_KEY));
    const stop = h.gateway.upstream.onAttempt(() => {
      setImmediate(() => log.push('turn'));
    });
    try {
      const page = await api.listUsers({ limit: 1000 }, options);
      log.push(`page of ${page.data.length}`);
      await new Promise((resolve) => setImmediate(resolve));
      return log;
    } finally {
      stop();
      await h.gateway.upstream.cache?.invalidate(['users']);
    }
  }

  it('waits for a turn of its own before its caller works through it', async () => {
    expect(await arrival()).toEqual(['turn', 'page of 1000']);
  });

  it('read urgently (a walk’s) is handed over as it arrives', async () => {
    expect(await arrival({ urgent: true })).toEqual(['page of 1000', 'turn']);
  });
});
