import type { SizedCollection } from '../domain/kinds.js';

/**
 * How many items the collections of each credential held when the gateway last read them to their
 * end, so that the cost estimate can use real sizes instead of the requested maxima: an
 * organization with 9 workspaces does not need 100 members pages for `workspaces(first: 100)`.
 *
 * A size is learned from unfiltered list pages only: a page that starts at the beginning and has
 * `has_more: false`, or a walk of several pages (each continuing after the last id of the one
 * before) that reaches the end. Sizes are kept per credential fingerprint (two credentials may
 * see different organizations), in memory of this process (replicas learn on their own), bounded
 * (least recently refreshed credentials and entries go first), and forgotten after `ttlMs`, so
 * that an estimate never leans on an old observation for long.
 */

/** The collections whose sizes the estimate uses (src/domain/kinds.ts). `members` is per workspace. */
export type { SizedCollection } from '../domain/kinds.js';

/** What the estimate reads: the sizes known for one credential. */
export interface KnownSizes {
  /** Items in the whole collection (archived workspaces included for `archivedWorkspaces`). */
  size(collection: SizedCollection): number | undefined;
  /**
   * The most members a workspace was seen to have, once as many workspaces' member lists are
   * known as there are workspaces.
   */
  largestWorkspace(): number | undefined;
}

export const NO_SIZES: KnownSizes = {
  size: () => undefined,
  largestWorkspace: () => undefined,
};

export interface CollectionSizesOptions {
  /** How long a learned size is trusted. */
  ttlMs?: number;
  /** Credentials remembered at most (the least recently refreshed are dropped). */
  maxCredentials?: number;
  /** Entries (sizes, workspaces' member counts, walks under way) per credential at most. */
  maxEntriesPerCredential?: number;
  now?: () => number;
}

interface Entry {
  size: number;
  at: number;
}

/** The parameters of a list call, as AdminApi.readPage receives them. */
type ListParams = Record<string, unknown>;

const CURSORS = new Set(['limit', 'after_id', 'before_id']);

export class CollectionSizes {
  private readonly ttlMs: number;
  private readonly maxCredentials: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Per credential: sizes by key (`users`, `members:<workspace id>`, `walk:<key>:<last id>`). */
  private readonly byCredential = new Map<string, Map<string, Entry>>();

  constructor(options: CollectionSizesOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxCredentials = options.maxCredentials ?? 1000;
    this.maxEntries = options.maxEntriesPerCredential ?? 2000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Hears one list page that `fingerprint` read from `collection` (the read cache's collection
   * names) with `params`; returns the page unchanged.
   */
  observe<P extends { data: unknown[]; last_id: string | null; has_more: boolean }>(
    fingerprint: string,
    collection: string,
    params: unknown,
    page: P,
  ): P {
    const key = keyOf(collection, (params ?? {}) as ListParams);
    if (key === null) return page;
    const query = (params ?? {}) as ListParams;
    if (query.before_id !== undefined) return page;
    const entries = this.entries(fingerprint);
    let count = page.data.length;
    if (query.after_id !== undefined) {
      // Only a walk whose earlier pages this process saw adds up to a size.
      const walkKey = `walk:${key}:${String(query.after_id)}`;
      const before = this.fresh(entries, walkKey);
      entries.delete(walkKey);
      if (before === undefined) return page;
      count += before;
    }
    if (page.has_more) {
      if (page.last_id) this.set(entries, `walk:${key}:${page.last_id}`, count);
    } else {
      this.set(entries, key, count);
    }
    return page;
  }

  /**
   * Forgets what is known of the collections a write of `fingerprint` touched (the read cache's
   * names), so that the estimate does not count on a size the write may have changed.
   */
  forget(fingerprint: string, collections: readonly string[]): void {
    const entries = this.byCredential.get(fingerprint);
    if (!entries) return;
    const touched = new Set(
      collections.flatMap((collection) =>
        collection === 'workspaces' ? ['workspaces', 'archivedWorkspaces'] : [collection],
      ),
    );
    for (const key of [...entries.keys()]) {
      const collection = (key.startsWith('walk:') ? key.slice(5) : key).split(':')[0]!;
      if (touched.has(collection)) entries.delete(key);
    }
  }

  /** The sizes known for one credential, read when an operation is estimated. */
  known(fingerprint: string): KnownSizes {
    const entries = this.byCredential.get(fingerprint);
    if (!entries) return NO_SIZES;
    return {
      size: (collection) => this.fresh(entries, collection),
      largestWorkspace: () => {
        const workspaces =
          this.fresh(entries, 'archivedWorkspaces') ?? this.fresh(entries, 'workspaces');
        if (workspaces === undefined) return undefined;
        let largest = 0;
        let known = 0;
        const now = this.now();
        for (const [key, entry] of entries) {
          if (!key.startsWith('members:') || now - entry.at > this.ttlMs) continue;
          known++;
          largest = Math.max(largest, entry.size);
        }
        return known >= workspaces ? largest : undefined;
      },
    };
  }

  private entries(fingerprint: string): Map<string, Entry> {
    let entries = this.byCredential.get(fingerprint);
    if (entries) {
      // Most recently used last, so that the first one is the one to drop.
      this.byCredential.delete(fingerprint);
    } else {
      entries = new Map();
      if (this.byCredential.size >= this.maxCredentials) {
        const oldest = this.byCredential.keys().next().value;
        if (oldest !== undefined) this.byCredential.delete(oldest);
      }
    }
    this.byCredential.set(fingerprint, entries);
    return entries;
  }

  private set(entries: Map<string, Entry>, key: string, size: number): void {
    entries.delete(key);
    if (entries.size >= this.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.set(key, { size, at: this.now() });
  }

  private fresh(entries: Map<string, Entry>, key: string): number | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      entries.delete(key);
      return undefined;
    }
    return entry.size;
  }
}

/**
 * The key a list call's size is kept under, or null when its filters make it a part of the
 * collection that the estimate does not use.
 */
function keyOf(collection: string, params: ListParams): string | null {
  const filters = Object.entries(params).filter(
    ([name, value]) => !CURSORS.has(name) && value !== undefined,
  );
  if (collection === 'members') {
    const [only] = filters;
    return filters.length === 1 && only?.[0] === 'workspaceId'
      ? `members:${String(only[1])}`
      : null;
  }
  if (collection === 'workspaces') {
    if (filters.some(([name]) => name !== 'include_archived')) return null;
    return params.include_archived === true ? 'archivedWorkspaces' : 'workspaces';
  }
  if (collection === 'users' || collection === 'invites' || collection === 'apiKeys') {
    return filters.length === 0 ? collection : null;
  }
  return null;
}
