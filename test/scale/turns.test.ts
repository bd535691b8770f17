import { describe, expect, it } from 'vitest';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { ReadCache } from '../../src/upstream/read-cache.js';
import { MemoryState } from '../../src/upstream/state/shared-state.js';
import { nextTurn, turnsWaiting } from '../../src/upstream/turns.js';

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
