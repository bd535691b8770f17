import { describe, expect, it } from 'vitest';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { ReadCache } from '../../src/upstream/read-cache.js';
import { MemoryState } from '../../src/upstream/state/shared-state.js';

/**
 * A list page of 1000 items is 1001 cache entries. Written to Redis in one go before the page is
 * answered (each value serialized), it held the event loop and kept a walk from asking for its
 * next page; now the page is answered first and its entries are written in chunks of the state's
 * `writeChunk`, one macrotask each, served from memory meanwhile. Memory takes a page at once.
 */
const WRITE_CHUNK = 250;
const credential = gatewayCredential('sk-ant-admin01-chunked-cache-writes-test-key');

interface User {
  id: string;
  name: string;
}

const page = (count: number) => ({
  data: Array.from({ length: count }, (_, index): User => ({
    id: `user_${index}`,
    name: `U${index}`,
  })),
  has_more: false,
});

/** A MemoryState that records each setMany call (its size) and other events in one log. */
function recordingState(log: string[], writeChunk = WRITE_CHUNK) {
  const state = new MemoryState({ writeChunk });
  const setMany = state.setMany.bind(state);
  state.setMany = async (entries, ttlMs) => {
    log.push(`write ${entries.length}`);
    await setMany(entries, ttlMs);
  };
  return state;
}

const related = (value: { data: User[] }) =>
  value.data.map((user): [string, unknown] => [`entity:${user.id}`, { found: user }]);

const noFetch = () => Promise.reject(new Error('should have been served from the cache'));

describe('ReadCache writes large reads in chunks after answering', () => {
  it('answers a 1000-item page before writing any of it, then writes it a chunk per macrotask', async () => {
    const log: string[] = [];
    const cache = new ReadCache(recordingState(log), 30_000);
    const value = await cache.read(
      credential,
      'users',
      'users.list:{"limit":1000}',
      async () => page(1000),
      undefined,
      related,
    );
    log.push('answered');
    // Another macrotask queued now runs between the chunks, not after all of them.
    setImmediate(() => log.push('other work'));
    expect(value.data).toHaveLength(1000);
    await cache.settled();

    const writes = log.filter((entry) => entry.startsWith('write '));
    expect(log[0]).toBe('answered');
    expect(writes.map((entry) => Number(entry.slice(6)))).toEqual(
      Array.from({ length: Math.ceil(1001 / WRITE_CHUNK) }, (_, index) =>
        Math.min(WRITE_CHUNK, 1001 - index * WRITE_CHUNK),
      ),
    );
    expect(log.indexOf('other work')).toBeLessThan(log.lastIndexOf(writes.at(-1)!));
  });

  it('serves the page and its items from memory while they wait to be written, and from the state after', async () => {
    const log: string[] = [];
    const cache = new ReadCache(recordingState(log), 30_000);
    const key = 'users.list:{"limit":1000}';
    const fetched = await cache.read(
      credential,
      'users',
      key,
      async () => page(1000),
      undefined,
      related,
    );
    expect(log).toEqual([]);
    // Nothing is written yet, and neither read reaches upstream.
    expect(await cache.read(credential, 'users', key, noFetch)).toBe(fetched);
    expect(await cache.read(credential, 'users', 'entity:user_999', noFetch)).toEqual({
      found: { id: 'user_999', name: 'U999' },
    });
    await cache.settled();
    expect(log.length).toBeGreaterThan(1);
    expect(await cache.read(credential, 'users', 'entity:user_0', noFetch)).toEqual({
      found: { id: 'user_0', name: 'U0' },
    });
  });

  it('writes a page to a state that takes it at once before answering it (memory)', async () => {
    const log: string[] = [];
    const cache = new ReadCache(recordingState(log, new MemoryState().writeChunk), 30_000);
    await cache.read(credential, 'users', 'list', async () => page(1000), undefined, related);
    expect(log).toEqual(['write 1001']);
  });

  it('still writes small reads before answering them', async () => {
    const log: string[] = [];
    const cache = new ReadCache(recordingState(log), 30_000);
    await cache.read(credential, 'users', 'small', async () => page(10), undefined, related);
    expect(log).toEqual(['write 11']);
  });

  it('does not serve entries of a read made before an invalidation after it', async () => {
    const cache = new ReadCache(new MemoryState({ writeChunk: WRITE_CHUNK }), 30_000);
    await cache.read(credential, 'users', 'list', async () => page(1000), undefined, related);
    await cache.invalidate(['users']);
    let fetches = 0;
    const fresh = await cache.read(credential, 'users', 'entity:user_1', async () => {
      fetches++;
      return { found: { id: 'user_1', name: 'renamed' } };
    });
    expect(fetches).toBe(1);
    expect(fresh).toEqual({ found: { id: 'user_1', name: 'renamed' } });
    await cache.settled();
  });

  it('reports a failing state once per read and still answers it', async () => {
    const state = new MemoryState({ writeChunk: WRITE_CHUNK });
    state.setMany = () => Promise.reject(new Error('state down'));
    const reports: string[] = [];
    state.errors.on((operation) => reports.push(operation));
    const cache = new ReadCache(state, 30_000);
    const value = await cache.read(
      credential,
      'users',
      'list',
      async () => page(1000),
      undefined,
      related,
    );
    expect(value.data).toHaveLength(1000);
    await cache.settled();
    expect(reports).toEqual(['set']);
  });
});
