import { invalidRequest } from './errors.js';
import { queryValue } from './params.js';
import type { Query } from './params.js';
import type { Micros } from '../time.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

export interface PageRequest {
  limit: number;
  afterId: string | undefined;
  beforeId: string | undefined;
}

export interface Page {
  data: unknown[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** Reads and validates `limit`, `after_id` and `before_id`. */
export function parsePageRequest(query: Query): PageRequest {
  const rawLimit = queryValue(query, 'limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw invalidRequest('limit: Input should be a valid integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
    }
  }
  const afterId = queryValue(query, 'after_id');
  const beforeId = queryValue(query, 'before_id');
  if (afterId !== undefined && beforeId !== undefined) {
    throw invalidRequest('after_id, before_id: send at most one of after_id and before_id');
  }
  return { limit, afterId, beforeId };
}

/** Newest first, ties by ID descending: the order of every core list. */
export function newestFirst<T>(timeOf: (item: T) => Micros, idOf: (item: T) => string) {
  return (a: T, b: T): number => {
    const byTime = timeOf(b) - timeOf(a);
    if (byTime !== 0) return byTime;
    const ia = idOf(a);
    const ib = idOf(b);
    return ia < ib ? 1 : ia > ib ? -1 : 0;
  };
}

export interface PageSource<T> {
  /** The items that pass the filters, in any order (in list order when `sorted`). */
  items: readonly T[];
  /** `items` are already in list order (see sortedValues): they are not sorted again. */
  sorted?: boolean;
  /** List order. */
  compare: (a: T, b: T) => number;
  /** Cursor value of an item (`first_id` / `last_id`). */
  idOf: (item: T) => string;
  /**
   * Resolves a cursor to an item, filtered out or not; a cursor that resolves to nothing is
   * rejected. A filtered-out item still has its place in the order.
   */
  findCursor: (id: string) => T | undefined;
  render: (item: T) => unknown;
  /** Ids left out of the list (they still resolve as cursors and by GET): a test switch. */
  hidden?: ReadonlySet<string>;
}

/**
 * One page of a cursor list. An `after_id` page holds the items that follow the cursor; a
 * `before_id` page holds the `limit` items immediately preceding it, still in list order, and
 * `has_more` says whether more precede the first of them. The cursor's place is found by binary
 * search (the order is total: ties go by ID), and only the page is rendered.
 */
export function paginate<T>(request: PageRequest, source: PageSource<T>): Page {
  let sorted: readonly T[] = source.items;
  if (!source.sorted) sorted = [...sorted].sort(source.compare);
  const hidden = source.hidden;
  if (hidden !== undefined && hidden.size > 0) {
    sorted = sorted.filter((item) => !hidden.has(source.idOf(item)));
  }
  let start: number;
  let end: number;
  let hasMore: boolean;
  if (request.beforeId !== undefined) {
    const cursor = resolveCursor(source, 'before_id', request.beforeId);
    // Items before the cursor: those that compare below it.
    end = firstIndex(sorted, (item) => source.compare(item, cursor) >= 0);
    start = Math.max(0, end - request.limit);
    hasMore = end > request.limit;
  } else {
    start = 0;
    if (request.afterId !== undefined) {
      const cursor = resolveCursor(source, 'after_id', request.afterId);
      start = firstIndex(sorted, (item) => source.compare(item, cursor) > 0);
    }
    end = Math.min(sorted.length, start + request.limit);
    hasMore = sorted.length - start > request.limit;
  }
  const page = sorted.slice(start, end);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    data: page.map((item) => source.render(item)),
    first_id: first === undefined ? null : source.idOf(first),
    last_id: last === undefined ? null : source.idOf(last),
    has_more: page.length > 0 && hasMore,
  };
}

/** The first index whose item satisfies `past` (false for a prefix, true after it), by bisection. */
function firstIndex<T>(sorted: readonly T[], past: (item: T) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (past(sorted[middle] as T)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A Map that counts its writes (`set`, `delete`, `clear`), so that an order derived from its
 * values can be kept until the next write. The store keeps its collections in these.
 */
export class VersionedMap<K, V> extends Map<K, V> {
  private writes = 0;

  get version(): number {
    return this.writes;
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    this.writes = (this.writes ?? 0) + 1;
    return this;
  }

  override delete(key: K): boolean {
    const deleted = super.delete(key);
    if (deleted) this.writes++;
    return deleted;
  }

  override clear(): void {
    super.clear();
    this.writes++;
  }
}

interface SortedCache {
  version: number;
  compare: unknown;
  values: readonly unknown[];
}

const sortedCaches = new WeakMap<ReadonlyMap<unknown, unknown>, SortedCache>();

/**
 * The values of `map` in `compare` order, sorted once per write when `map` is a VersionedMap
 * (then shared: do not mutate the array). The sort keys of stored records never change in place.
 */
export function sortedValues<V>(
  map: ReadonlyMap<unknown, V>,
  compare: (a: V, b: V) => number,
): readonly V[] {
  if (!(map instanceof VersionedMap)) return [...map.values()].sort(compare);
  const cached = sortedCaches.get(map);
  if (cached && cached.version === map.version && cached.compare === compare) {
    return cached.values as readonly V[];
  }
  const values = [...map.values()].sort(compare);
  sortedCaches.set(map, { version: map.version, compare, values });
  return values;
}

function resolveCursor<T>(source: PageSource<T>, param: string, id: string): T {
  const item = id === '' ? undefined : source.findCursor(id);
  if (item === undefined) {
    throw invalidRequest(
      `${param}: unknown ID ${JSON.stringify(id)}: no object with this ID to page from`,
    );
  }
  return item;
}
