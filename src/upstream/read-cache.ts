import type { UpstreamCredential } from './credentials.js';
import type { SharedState } from './state/shared-state.js';
import { nextTurn } from './turns.js';
import type { Collection } from '../domain/kinds.js';

/** The groups of cached reads that a write invalidates together (src/domain/kinds.ts). */
export type { Collection } from '../domain/kinds.js';

/** Hears whether a read was served from the cache. */
export type CacheObserver = (hit: boolean) => void;

/** JSON with object keys sorted and undefined members left out: equal values, equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const GENERATION_OF_ALL = 'generation:*';

/** A cache key for a read with these parameters. */
export const readKey = (operation: string, params: unknown = null) =>
  `${operation}:${stableJson(params)}`;

/**
 * The shared cache of upstream reads: entities and list pages, each kept for the TTL. Keys hold
 * the credential's fingerprint, so a caller never sees data fetched with another credential, and
 * the generation of their collection: a write bumps the generations of what it touched (for every
 * credential and every replica sharing the state), so nothing read before it is served after it.
 * Identical reads in flight at the same time in this process share one upstream call.
 *
 * The cache fails open: when the shared state (Redis) fails, reads are served from upstream and
 * the failure is reported to the state's `errors` (logged and counted), never to the caller. An
 * invalidation that fails is kept and retried before this process reads the cache again.
 */
export class ReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly readListeners = new Set<CacheObserver>();
  private readonly lostInvalidationListeners = new Set<() => void>();
  /** Collections whose invalidation failed: bumped before the next read of the shared state. */
  private readonly pendingInvalidations = new Set<Collection>();
  /**
   * Entries of large reads answered but not yet written to the shared state (see writeInChunks):
   * this process serves them from here meanwhile. Keys hold their generation, as stored ones do.
   */
  private readonly unwritten = new Map<string, unknown>();
  /** Chunked writes under way (see settled). */
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly state: SharedState,
    private readonly ttlMs: number,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Registers a listener that hears every cache lookup (hit or miss), for metrics. */
  onRead(listener: CacheObserver): void {
    this.readListeners.add(listener);
  }

  /** Registers a listener that hears when an invalidation could not be written to the state. */
  onLostInvalidation(listener: () => void): void {
    this.lostInvalidationListeners.add(listener);
  }

  /** Bumps the generations of invalidations that failed earlier; throws while it cannot. */
  private async flushPendingInvalidations(): Promise<void> {
    if (this.pendingInvalidations.size === 0) return;
    const collections = [...this.pendingInvalidations];
    await this.state.increment([
      ...collections.map((collection) => `generation:${collection}`),
      GENERATION_OF_ALL,
    ]);
    for (const collection of collections) this.pendingInvalidations.delete(collection);
  }

  private async generation(collection: Collection): Promise<number> {
    await this.flushPendingInvalidations();
    const [generation] = await this.state.counters([`generation:${collection}`]);
    return generation ?? 0;
  }

  private entryKey(
    credential: UpstreamCredential,
    collection: Collection,
    generation: number,
    key: string,
  ) {
    return `read:${credential.fingerprint}:${collection}:${generation}:${key}`;
  }

  /**
   * Serves a read from the cache or fetches it. `related` names more entries the result answers
   * (the entities of a list page), stored alongside it in one batch (its pairs are taken over:
   * their keys are completed in place). `alone`: a miss fetches on
   * its own, neither joining a fetch of the same entry in flight nor offering its own to others
   * (a dry run's read, which never fetches).
   */
  async read<T>(
    credential: UpstreamCredential,
    collection: Collection,
    key: string,
    fetch: () => Promise<T>,
    observe?: CacheObserver,
    related?: (value: T) => [string, unknown][],
    options?: { alone: boolean },
  ): Promise<T> {
    if (!this.enabled) return fetch();
    let entryKey: string;
    let generation: number;
    let cached: unknown;
    try {
      generation = await this.generation(collection);
      entryKey = this.entryKey(credential, collection, generation, key);
      cached = this.unwritten.get(entryKey) ?? (await this.state.get(entryKey));
    } catch (error) {
      this.state.errors.report('get', error);
      return fetch();
    }
    const hit = cached !== undefined;
    observe?.(hit);
    for (const listener of this.readListeners) listener(hit);
    if (hit) return cached as T;
    if (options?.alone) return fetch();
    const pending = this.inFlight.get(entryKey);
    if (pending) return pending as Promise<T>;
    const fetching = (async () => {
      const value = await fetch();
      const entries: [string, unknown][] = [[entryKey, value]];
      // The related entries' own pairs, keyed in place (a page of 1000 makes no second set).
      const prefix = this.entryKey(credential, collection, generation, '');
      for (const entry of related?.(value) ?? []) {
        entry[0] = prefix + entry[0];
        entries.push(entry);
      }
      if (entries.length > this.state.writeChunk) this.writeInChunks(entries);
      else {
        try {
          await this.state.setMany(entries, this.ttlMs);
        } catch (error) {
          this.state.errors.report('set', error);
        }
      }
      return value;
    })().finally(() => this.inFlight.delete(entryKey));
    this.inFlight.set(entryKey, fetching);
    return fetching;
  }

  /**
   * Writes a read with more entries than the state takes in one write (a list page of 1000 items
   * is 1001 entries; see SharedState.writeChunk) a chunk at a time, each chunk in a turn of the
   * event loop of its own (turns.ts: the chunks of pages cached at the same time take turns too),
   * after the caller has been answered, so that caching large pages never holds the event loop
   * for long and a walk asking for its next page is not kept waiting for it. Until its chunk is
   * written an entry is served from `unwritten`. A failure is reported once per read.
   */
  private writeInChunks(entries: [string, unknown][]): void {
    for (const [key, value] of entries) this.unwritten.set(key, value);
    const size = this.state.writeChunk;
    const written = (async () => {
      let failed = false;
      for (let start = 0; start < entries.length; start += size) {
        await nextTurn();
        const chunk = entries.slice(start, start + size);
        try {
          if (!failed) await this.state.setMany(chunk, this.ttlMs);
        } catch (error) {
          failed = true;
          this.state.errors.report('set', error);
        } finally {
          for (const [key, value] of chunk) {
            if (this.unwritten.get(key) === value) this.unwritten.delete(key);
          }
        }
      }
    })();
    this.writing.add(written);
    void written.finally(() => this.writing.delete(written));
  }

  /** Resolves once every chunked write started so far is written (for tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  /**
   * After a write: drops every cached read of these collections, for every credential. Never
   * throws (the write itself succeeded or failed already): a failure is reported, and the
   * invalidation is retried before this process reads the shared state again.
   */
  async invalidate(collections: Collection[]): Promise<void> {
    if (!this.enabled) return;
    for (const collection of collections) this.pendingInvalidations.add(collection);
    try {
      await this.flushPendingInvalidations();
    } catch (error) {
      this.state.errors.report('invalidate', error);
      for (const listener of this.lostInvalidationListeners) listener();
    }
  }

  /**
   * A number every write moves on, whatever it touched (for caches of whole results), or null
   * when the shared state cannot say (nothing may then be served from such a cache).
   */
  async generationOfAll(): Promise<number | null> {
    try {
      await this.flushPendingInvalidations();
      const [generation] = await this.state.counters([GENERATION_OF_ALL]);
      if (generation) return generation;
      // A new (or emptied) Redis: start from a random number, so that results cached by a process
      // before Redis lost its counters can never match a generation counted afresh.
      await this.state.initCounter(GENERATION_OF_ALL, 1 + Math.floor(Math.random() * 2 ** 40));
      const [initialised] = await this.state.counters([GENERATION_OF_ALL]);
      return initialised ?? null;
    } catch (error) {
      this.state.errors.report('generation', error);
      return null;
    }
  }

  /** Writes through what a write returned, so the next read of it needs no request. Never throws. */
  async store(credential: UpstreamCredential, collection: Collection, key: string, value: unknown) {
    if (!this.enabled) return;
    try {
      const generation = await this.generation(collection);
      await this.state.set(
        this.entryKey(credential, collection, generation, key),
        value,
        this.ttlMs,
      );
    } catch (error) {
      this.state.errors.report('set', error);
    }
  }
}
