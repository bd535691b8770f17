import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryState } from '../../src/upstream/state/shared-state.js';

/** Counts how often any Map is iterated while `run` runs: a sweep of the cache would iterate it. */
async function mapIterations(run: () => Promise<void>): Promise<number> {
  const proto = Map.prototype as unknown as Record<
    string | symbol,
    (...args: unknown[]) => unknown
  >;
  const names: (string | symbol)[] = [Symbol.iterator, 'entries', 'keys', 'values', 'forEach'];
  const originals = names.map((name) => proto[name]!);
  let count = 0;
  names.forEach((name, index) => {
    const original = originals[index]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
  });
  try {
    await run();
  } finally {
    names.forEach((name, index) => (proto[name] = originals[index]!));
  }
  return count;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryState at scale', () => {
  it('keeps a bounded number of cached items however many are written', async () => {
    const state = new MemoryState({ maxItems: 50_000 });
    for (let index = 0; index < 200_000; index++) {
      await state.set(`read:key:${index}`, { id: index }, 60_000);
    }
    expect(state.size().items).toBeLessThanOrEqual(50_000);
    // The most recent entries are kept, the oldest ones evicted.
    expect(await state.get('read:key:199999')).toEqual({ id: 199_999 });
    expect(await state.get('read:key:0')).toBeUndefined();
  });

  it('a write to a full cache does not walk the cache', async () => {
    const state = new MemoryState({ maxItems: 50_000 });
    for (let index = 0; index < 60_000; index++) {
      await state.set(`read:key:${index}`, { id: index }, 60_000);
    }
    const iterations = await mapIterations(async () => {
      for (let index = 0; index < 1_000; index++) {
        await state.set(`read:more:${index}`, { id: index }, 60_000);
      }
      await state.setMany(
        Array.from({ length: 1_000 }, (_, index) => [`read:batch:${index}`, { id: index }]),
        60_000,
      );
    });
    expect(iterations).toBe(0);
  });

  it('counts a list page by its items, so that large pages cannot outgrow the bound', async () => {
    const state = new MemoryState({ maxItems: 10_000 });
    const page = { data: Array.from({ length: 1_000 }, (_, id) => ({ id })), has_more: true };
    for (let index = 0; index < 50; index++) await state.set(`page:${index}`, page, 60_000);
    expect(state.size().items).toBeLessThanOrEqual(10_000);
  });

  it('serves cached values as frozen objects, the same object on every hit', async () => {
    const state = new MemoryState();
    await state.setMany([['a', { found: { id: 'user_1', tags: ['x'] } }]], 60_000);
    const first = (await state.get('a')) as { found: { tags: string[] } };
    expect(Object.isFrozen(first.found.tags)).toBe(true);
    expect(await state.get('a')).toBe(first);
  });

  it('expires values after their TTL', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const state = new MemoryState();
    await state.set('a', 1, 1_000);
    vi.advanceTimersByTime(1_001);
    expect(await state.get('a')).toBeUndefined();
  });

  it('prunes budget buckets of callers that have gone idle', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const state = new MemoryState();
    const spec = { capacity: 10, refillPerMs: 10 / 60_000 };
    for (let index = 0; index < 20_000; index++) {
      await state.takeTokens([{ key: `budget:caller-${index}`, spec }], 1);
    }
    expect(state.size().buckets).toBe(20_000);
    // A minute later every bucket is full again: forgetting it changes nothing.
    vi.advanceTimersByTime(61_000);
    await state.takeTokens([{ key: 'budget:another', spec }], 1);
    expect(state.size().buckets).toBeLessThanOrEqual(1);
    // A bucket that is still refilling is kept.
    vi.advanceTimersByTime(1_000);
    const [left] = await state.takeTokens([{ key: 'budget:another', spec }], 0);
    expect(left!.remaining).toBe(9);
  });
});
