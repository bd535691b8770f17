import { invalidRequest } from './errors.js';
import { queryValue } from './params.js';
import type { Query } from './params.js';
import type { Micros } from './time.js';

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
  /** The items that pass the filters, in any order. */
  items: T[];
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
 * `has_more` says whether more precede the first of them.
 */
export function paginate<T>(request: PageRequest, source: PageSource<T>): Page {
  const sorted = source.items.filter((item) => !source.hidden?.has(source.idOf(item)));
  sorted.sort(source.compare);
  let page: T[];
  let hasMore: boolean;
  if (request.beforeId !== undefined) {
    const cursor = resolveCursor(source, 'before_id', request.beforeId);
    const preceding = sorted.filter((item) => source.compare(item, cursor) < 0);
    page = preceding.slice(Math.max(0, preceding.length - request.limit));
    hasMore = preceding.length > request.limit;
  } else {
    let following = sorted;
    if (request.afterId !== undefined) {
      const cursor = resolveCursor(source, 'after_id', request.afterId);
      following = sorted.filter((item) => source.compare(item, cursor) > 0);
    }
    page = following.slice(0, request.limit);
    hasMore = following.length > request.limit;
  }
  const first = page[0];
  const last = page[page.length - 1];
  return {
    data: page.map(source.render),
    first_id: first === undefined ? null : source.idOf(first),
    last_id: last === undefined ? null : source.idOf(last),
    has_more: page.length > 0 && hasMore,
  };
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
