import { MAX_PAGE_SIZE } from '../loaders/batch.js';
import { badUserInput } from '../errors.js';
import { isId, type IdKind } from '../upstream/ids.js';
import type { AdminPage, PageQuery } from '../upstream/types.js';

/** Page size when the caller gives neither `first` nor `last` (the Admin API's default). */
export const DEFAULT_PAGE_SIZE = 20;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const CURSOR_PREFIX = 'cursor:';

/** Cursors are opaque to clients: the Admin API id of the item (a user id for members), wrapped. */
export function encodeCursor(id: string): string {
  return Buffer.from(CURSOR_PREFIX + id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, kind: IdKind, argument: 'after' | 'before'): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!isId(kind, id)) {
    throw badUserInput(`\`${argument}\` is not a cursor of this connection.`, {
      argumentName: argument,
    });
  }
  return id;
}

function checkSize(value: number, argument: 'first' | 'last'): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argument}\` must be between 1 and ${MAX_PAGE_SIZE}; got ${value}.`, {
      argumentName: argument,
    });
  }
  return value;
}

/**
 * Maps Relay arguments onto the Admin API's `limit`/`after_id`/`before_id`. The Admin API can
 * serve `first` (with or without `after`) and `last` with `before`; the other combinations would
 * need the whole list, so they are refused with a clear error rather than answered wrongly.
 */
export function pageQueryFor(args: ConnectionArgs, cursorKind: IdKind): PageQuery {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw badUserInput('Pass `first` or `last`, not both.');
  }
  if (last != null || before != null) {
    if (after != null) throw badUserInput('Pass `after` or `before`, not both.');
    if (first != null) {
      throw badUserInput('`first` cannot be combined with `before`: use `last` with `before`.');
    }
    if (before == null) {
      throw badUserInput(
        '`last` needs `before`: the Admin API pages backwards only from a known item. Page forwards with `first`, then backwards from a cursor.',
      );
    }
    return {
      limit: last == null ? DEFAULT_PAGE_SIZE : checkSize(last, 'last'),
      before_id: decodeCursor(before, cursorKind, 'before'),
    };
  }
  return {
    limit: first == null ? DEFAULT_PAGE_SIZE : checkSize(first, 'first'),
    ...(after != null ? { after_id: decodeCursor(after, cursorKind, 'after') } : {}),
  };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Builds the Relay connection for one upstream page fetched with `query`. */
export function connectionFor<T>(
  page: AdminPage<T>,
  query: PageQuery,
  cursorIdOf: (item: T) => string,
): Connection<T> {
  const edges = page.data.map((node) => ({ cursor: encodeCursor(cursorIdOf(node)), node }));
  const backwards = query.before_id !== undefined;
  return {
    edges,
    pageInfo: {
      // `has_more` speaks of the direction that was asked for; the cursor item itself lies on
      // the other side, so there is something there.
      hasNextPage: backwards ? true : page.has_more,
      hasPreviousPage: backwards ? page.has_more : query.after_id !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Resolves a connection field: maps the arguments, fetches one page, builds the result. With
 * `widen`, a forward page is fetched 1000 items long (the same request) and cut to the size asked
 * for, so that lookups elsewhere in the operation find their objects in it instead of listing
 * the collection again.
 */
export async function resolveConnection<T>(
  args: ConnectionArgs,
  cursorKind: IdKind,
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  cursorIdOf: (item: T) => string = (item) => (item as { id: string }).id,
  widen = false,
): Promise<Connection<T>> {
  const query = pageQueryFor(args, cursorKind);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!widen || query.before_id !== undefined || limit >= MAX_PAGE_SIZE) {
    return connectionFor(await fetchPage(query), query, cursorIdOf);
  }
  const wide = await fetchPage({ ...query, limit: MAX_PAGE_SIZE });
  const data = wide.data.slice(0, limit);
  const page: AdminPage<T> = {
    data,
    first_id: data[0] ? cursorIdOf(data[0]) : null,
    last_id: data.length ? cursorIdOf(data[data.length - 1]!) : null,
    has_more: wide.data.length > limit || wide.has_more,
  };
  return connectionFor(page, query, cursorIdOf);
}
