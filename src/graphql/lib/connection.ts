import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/limits.js';
import type { UpstreamCost } from '../cost/estimate.js';
import type { builder } from '../builder.js';
import { badUserInput } from './errors.js';
import { UpstreamError } from '../../upstream/errors.js';
import { isId, type IdKind } from '../../domain/ids.js';
import type { AdminPage, PageQuery } from '../../upstream/types.js';

export { DEFAULT_PAGE_SIZE } from '../../domain/limits.js';

/** How many neighbouring ids on each side a cursor carries, to page on when its item is gone. */
const NEIGHBOURS = 3;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const CURSOR_PREFIX = 'cursor:';

/**
 * The upstream query a page was served from, so that the next page can re-read it (the shared
 * read cache answers it without a request): the start of the list, the 1000 items after an id,
 * or the 1000 items before an id.
 */
type Anchor = { from: 'start' } | { from: 'after' | 'before'; id: string };

/**
 * What a cursor holds: the item's Admin API id (a user id for members), the ids of up to three
 * items before and after it in the list as it was served (to page on when the item is removed),
 * and the upstream window it was served from, if any.
 */
export interface Cursor {
  id: string;
  before: string[];
  after: string[];
  anchor: Anchor | null;
}

const anchorText = (anchor: Anchor | null) =>
  anchor === null ? '' : anchor.from === 'start' ? 's' : `${anchor.from[0]}${anchor.id}`;

/** Cursors are opaque to clients (base64url); what they hold is the gateway's business. */
export function encodeCursor(cursor: Cursor | string): string {
  const { id, before, after, anchor } =
    typeof cursor === 'string' ? { id: cursor, before: [], after: [], anchor: null } : cursor;
  const text = [id, before.join(','), after.join(','), anchorText(anchor)].join('|');
  return Buffer.from(CURSOR_PREFIX + text, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, kind: IdKind, argument: 'after' | 'before'): Cursor {
  const refuse = () =>
    badUserInput(`\`${argument}\` is not a cursor of this connection.`, {
      argumentName: argument,
    });
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) throw refuse();
  const [id = '', before = '', after = '', anchor = '', ...rest] = decoded
    .slice(CURSOR_PREFIX.length)
    .split('|');
  const ids = (list: string) => (list === '' ? [] : list.split(','));
  const result: Cursor = { id, before: ids(before), after: ids(after), anchor: null };
  if (anchor === 's') result.anchor = { from: 'start' };
  else if (anchor.startsWith('a')) result.anchor = { from: 'after', id: anchor.slice(1) };
  else if (anchor.startsWith('b')) result.anchor = { from: 'before', id: anchor.slice(1) };
  else if (anchor !== '') throw refuse();
  const all = [id, ...result.before, ...result.after];
  if (result.anchor && result.anchor.from !== 'start') all.push(result.anchor.id);
  // Every id must be of this connection's kind: a cursor of another connection is refused.
  if (rest.length > 0 || !all.every((value) => isId(kind, value))) throw refuse();
  if (result.before.length > NEIGHBOURS || result.after.length > NEIGHBOURS) throw refuse();
  return result;
}

function checkSize(value: number, argument: 'first' | 'last'): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argument}\` must be between 1 and ${MAX_PAGE_SIZE}; got ${value}.`, {
      argumentName: argument,
    });
  }
  return value;
}

/** A page request as the Relay arguments ask for it. */
export interface PageRequest {
  direction: 'forward' | 'backward';
  limit: number;
  /** The `after` (forward) or `before` (backward) cursor. */
  cursor: Cursor | null;
}

/**
 * Reads the Relay arguments. The Admin API can serve `first` (with or without `after`) and
 * `last` with `before`; the other combinations would need the whole list, so they are refused
 * with a clear error rather than answered wrongly.
 */
export function pageRequestFor(args: ConnectionArgs, cursorKind: IdKind): PageRequest {
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
      direction: 'backward',
      limit: last == null ? DEFAULT_PAGE_SIZE : checkSize(last, 'last'),
      cursor: decodeCursor(before, cursorKind, 'before'),
    };
  }
  return {
    direction: 'forward',
    limit: first == null ? DEFAULT_PAGE_SIZE : checkSize(first, 'first'),
    cursor: after != null ? decodeCursor(after, cursorKind, 'after') : null,
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
  /** The number of items of the whole list (with the connection's filters). */
  totalCount?: () => Promise<number>;
}

export interface ConnectionOptions<T> {
  /** The Admin API id a cursor stands for (`after_id`/`before_id`); the item's id by default. */
  cursorIdOf?: (item: T) => string;
  /**
   * Serve pages out of full upstream pages of 1000 ("windows"): the cursor records the window,
   * and the next page re-reads it, which costs nothing when the shared read cache holds it (or,
   * within one request, when the operation also looks objects of the collection up).
   */
  wide?: boolean;
  /**
   * Fetch the first page at the size asked for even when `wide`: for connections whose first
   * pages several parents share in one walk of the whole list (a workspace's keys), where a
   * first page of 1000 would keep that walk from settling. Later pages are served wide.
   */
  narrowFirstPage?: boolean;
}

/** Whether an upstream failure is its refusal of the cursor parameter as an unknown id. */
function refusedCursor(error: unknown, parameter: 'after_id' | 'before_id'): boolean {
  return (
    error instanceof UpstreamError &&
    error.status === 400 &&
    error.errorType === 'invalid_request_error' &&
    error.message.includes(parameter)
  );
}

/** Items as served, with the ids around them: where the cursors' neighbours come from. */
interface Served<T> {
  items: T[];
  /**
   * Ids of the list around the served items, in list order, the served ones included: made when
   * a cursor is first read (a window holds up to 1000 items, and most operations read none).
   */
  context: () => readonly string[];
  /** Where `items[0]` is in `context`. */
  offset: number;
  anchor: Anchor | null;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * Resolves a connection field: reads the arguments, fetches what the page needs, builds the
 * result. When the item a cursor names is gone, the page continues from the next id the cursor
 * carries, without repeating what was served; only when all of them are gone is the cursor refused.
 */
export async function resolveConnection<T>(
  args: ConnectionArgs,
  cursorKind: IdKind,
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  options: ConnectionOptions<T> = {},
): Promise<Connection<T>> {
  const request = pageRequestFor(args, cursorKind);
  const idOf = options.cursorIdOf ?? ((item: T) => (item as { id: string }).id);
  const wide = options.wide ?? false;
  const windows = new Map<string, Promise<AdminPage<T>>>();
  /** The window an anchor names (read once per resolution). */
  const windowOf = (anchor: Anchor) => {
    const key = anchorText(anchor);
    let page = windows.get(key);
    if (!page) {
      const query: PageQuery =
        anchor.from === 'start'
          ? { limit: MAX_PAGE_SIZE }
          : {
              limit: MAX_PAGE_SIZE,
              [anchor.from === 'after' ? 'after_id' : 'before_id']: anchor.id,
            };
      page = fetchPage(query);
      windows.set(key, page);
    }
    return page;
  };
  /** Known without a request: the list as a whole, when a page showed it from start to end. */
  let whole: number | null = null;

  const served = await (request.direction === 'forward'
    ? forward(
        request,
        idOf,
        wide && !(options.narrowFirstPage && request.cursor === null),
        windowOf,
        fetchPage,
        (count) => (whole = count),
      )
    : backward(request, idOf, wide, windowOf, fetchPage, (count) => (whole = count)));

  const cursorAt = (at: number, node: T) => {
    const context = served.context();
    return encodeCursor({
      id: idOf(node),
      before: context.slice(Math.max(0, at - NEIGHBOURS), at).reverse(),
      after: context.slice(at + 1, at + 1 + NEIGHBOURS),
      anchor: served.anchor,
    });
  };
  const edges = served.items.map((node, index) => new Edge(node, served.offset + index, cursorAt));
  let counting: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: served.hasNextPage,
      hasPreviousPage: served.hasPreviousPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: () => {
      if (whole !== null) return Promise.resolve(whole);
      return (counting ??= countAll(fetchPage, idOf));
    },
  };
}

/**
 * An edge whose cursor is encoded when it is read: an operation that asks for `nodes` only (1000
 * a page) encodes none, and an edge is one small object (a connection of a large organization
 * serves thousands).
 */
class Edge<T> {
  #cursor: string | undefined;
  constructor(
    readonly node: T,
    private readonly at: number,
    private readonly cursorAt: (at: number, node: T) => string,
  ) {}

  get cursor(): string {
    return (this.#cursor ??= this.cursorAt(this.at, this.node));
  }
}

/** Walks the whole list 1000 items a request (pages the request's loaders share) and counts it. */
async function countAll<T>(
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  idOf: (item: T) => string,
): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(
      after === undefined ? { limit: MAX_PAGE_SIZE } : { limit: MAX_PAGE_SIZE, after_id: after },
    );
    count += page.data.length;
    const last = page.data.at(-1);
    if (!page.has_more || last === undefined) return count;
    after = idOf(last);
  }
}

type WindowOf<T> = (anchor: Anchor) => Promise<AdminPage<T>>;

/** Reads a window; null when the Admin API no longer knows its anchor. */
async function tryWindow<T>(windowOf: WindowOf<T>, anchor: Anchor): Promise<AdminPage<T> | null> {
  try {
    return await windowOf(anchor);
  } catch (error) {
    if (anchor.from !== 'start' && refusedCursor(error, `${anchor.from}_id`)) return null;
    throw error;
  }
}

/** Ids of a window's items with its anchor around them, in list order (made when asked for). */
function windowContext<T>(anchor: Anchor, window: AdminPage<T>, idOf: (item: T) => string) {
  const context = () => {
    const ids = window.data.map(idOf);
    if (anchor.from === 'after') ids.unshift(anchor.id);
    else if (anchor.from === 'before') ids.push(anchor.id);
    return ids;
  };
  return { context, offset: anchor.from === 'after' ? 1 : 0 };
}

/** Whether the list holds items before / after a window. */
const itemsBefore = (anchor: Anchor, window: AdminPage<unknown>) =>
  anchor.from === 'after' || (anchor.from === 'before' && window.has_more);
const itemsAfter = (anchor: Anchor, window: AdminPage<unknown>) =>
  anchor.from === 'before' || window.has_more;

const gone = (argument: 'after' | 'before') =>
  badUserInput(
    `The item \`${argument}\` points at and the items around it are no longer in the list; page again from the beginning (without \`${argument}\`).`,
    { argumentName: argument },
  );

/**
 * Fetches the page after (or before) a cursor, falling back to the next id the cursor carries
 * when the Admin API refuses one as unknown, and dropping items the cursor says were served.
 */
async function fetchFrom<T>(
  cursor: Cursor,
  direction: 'after' | 'before',
  limit: number,
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  idOf: (item: T) => string,
): Promise<{ page: AdminPage<T>; usedId: string; raw: AdminPage<T> }> {
  const parameter = direction === 'after' ? 'after_id' : 'before_id';
  // Forwards, the items before the cursor were served; backwards, the items after it.
  const fallbacks = direction === 'after' ? cursor.before : cursor.after;
  const candidates = [cursor.id, ...fallbacks];
  for (const [index, id] of candidates.entries()) {
    let raw: AdminPage<T>;
    try {
      // Items between a fallback id and the cursor were served: ask for that many more.
      raw = await fetchPage({ limit: Math.min(MAX_PAGE_SIZE, limit + index), [parameter]: id });
    } catch (error) {
      if (refusedCursor(error, parameter)) continue;
      throw error;
    }
    if (index === 0) return { page: raw, usedId: id, raw };
    const served = new Set(candidates.slice(0, index + 1));
    const fresh = raw.data.filter((item) => !served.has(idOf(item)));
    const data = direction === 'after' ? fresh.slice(0, limit) : fresh.slice(-limit);
    const more = raw.has_more || fresh.length > limit;
    return { page: { ...raw, data, has_more: more }, usedId: id, raw };
  }
  throw gone(direction);
}

async function forward<T>(
  request: PageRequest,
  idOf: (item: T) => string,
  wide: boolean,
  windowOf: WindowOf<T>,
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  knownWhole: (count: number) => void,
): Promise<Served<T>> {
  const { limit, cursor } = request;
  if (cursor === null) {
    if (!wide) {
      const page = await fetchPage({ limit });
      if (!page.has_more) knownWhole(page.data.length);
      return servedPage(page.data, () => page.data.map(idOf), 0, null, page.has_more, false);
    }
    const anchor: Anchor = { from: 'start' };
    const window = await windowOf(anchor);
    if (!window.has_more) knownWhole(window.data.length);
    return fromWindow(window, anchor, idOf, 0, limit);
  }
  if (wide && cursor.anchor) {
    const window = await tryWindow(windowOf, cursor.anchor);
    if (window) {
      if (cursor.anchor.from === 'start' && !window.has_more) knownWhole(window.data.length);
      const index = window.data.findIndex((item) => idOf(item) === cursor.id);
      const start = index + 1;
      if (
        index >= 0 &&
        (start + limit <= window.data.length || !itemsAfter(cursor.anchor, window))
      ) {
        return fromWindow(window, cursor.anchor, idOf, start, limit);
      }
    }
  }
  // No window, or it does not hold the item (or what follows it): ask after the item itself.
  const { page, usedId, raw } = await fetchFrom(
    cursor,
    'after',
    wide ? MAX_PAGE_SIZE : limit,
    fetchPage,
    idOf,
  );
  if (wide) {
    const anchor: Anchor = { from: 'after', id: usedId };
    const start = raw.data.findIndex((item) => idOf(item) === (page.data[0] && idOf(page.data[0])));
    return fromWindow(raw, anchor, idOf, start < 0 ? raw.data.length : start, limit);
  }
  const context = () => [...[...cursor.before].reverse(), cursor.id, ...page.data.map(idOf)];
  return servedPage(page.data, context, cursor.before.length + 1, null, page.has_more, true);
}

async function backward<T>(
  request: PageRequest,
  idOf: (item: T) => string,
  wide: boolean,
  windowOf: WindowOf<T>,
  fetchPage: (query: PageQuery) => Promise<AdminPage<T>>,
  knownWhole: (count: number) => void,
): Promise<Served<T>> {
  const { limit } = request;
  const cursor = request.cursor!;
  if (wide && cursor.anchor) {
    const window = await tryWindow(windowOf, cursor.anchor);
    if (window) {
      if (cursor.anchor.from === 'start' && !window.has_more) knownWhole(window.data.length);
      const index = window.data.findIndex((item) => idOf(item) === cursor.id);
      if (index >= 0 && (index >= limit || !itemsBefore(cursor.anchor, window))) {
        return windowBefore(window, cursor.anchor, idOf, index, limit);
      }
    }
  }
  const { page, usedId, raw } = await fetchFrom(
    cursor,
    'before',
    wide ? MAX_PAGE_SIZE : limit,
    fetchPage,
    idOf,
  );
  if (wide) {
    const anchor: Anchor = { from: 'before', id: usedId };
    // Served items end where the kept ones end (anything after them was dropped as served).
    const lastKept = page.data.at(-1);
    const end = lastKept ? raw.data.findIndex((item) => item === lastKept) + 1 : 0;
    return windowBefore(raw, anchor, idOf, end, limit);
  }
  const context = () => [...page.data.map(idOf), cursor.id, ...cursor.after];
  // `has_more` says whether more precede; the cursor's item (or its successor) follows.
  return servedPage(page.data, context, 0, null, true, page.has_more);
}

/** Up to `limit` items of a window from `start`. */
function fromWindow<T>(
  window: AdminPage<T>,
  anchor: Anchor,
  idOf: (item: T) => string,
  start: number,
  limit: number,
): Served<T> {
  const items = window.data.slice(start, start + limit);
  const { context, offset } = windowContext(anchor, window, idOf);
  return servedPage(
    items,
    context,
    offset + start,
    anchor,
    start + limit < window.data.length || itemsAfter(anchor, window),
    start > 0 || itemsBefore(anchor, window),
  );
}

/** Up to `limit` items of a window that end right before index `end`. */
function windowBefore<T>(
  window: AdminPage<T>,
  anchor: Anchor,
  idOf: (item: T) => string,
  end: number,
  limit: number,
): Served<T> {
  const start = Math.max(0, end - limit);
  const items = window.data.slice(start, end);
  const { context, offset } = windowContext(anchor, window, idOf);
  return servedPage(
    items,
    context,
    offset + start,
    anchor,
    true,
    start > 0 || itemsBefore(anchor, window),
  );
}

function servedPage<T>(
  items: T[],
  context: () => readonly string[],
  offset: number,
  anchor: Anchor | null,
  hasNextPage: boolean,
  hasPreviousPage: boolean,
): Served<T> {
  // Made once, on the first cursor read.
  let made: readonly string[] | undefined;
  const once = () => (made ??= context());
  return { items, context: once, offset, anchor, hasNextPage, hasPreviousPage };
}

/**
 * The `totalCount` field of a connection type: free when a page showed the whole list, otherwise
 * a walk of the list (1000 items a request, pages shared with the request's other walks).
 */
export function totalCountField<Parent extends object>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, Parent>,
) {
  return t.int({
    nullable: true,
    description:
      'How many items the whole list holds, with the same filters. Free when the list fits in one upstream page read from its start; otherwise it lists the collection (one upstream request per 1000 items). Null when it cannot be counted.',
    // The estimate charges the walk (cost.ts); written out here, as cost.ts imports this module.
    extensions: { upstreamCost: { kind: 'walk' } satisfies UpstreamCost },
    resolve: (connection) =>
      (connection as Pick<Connection<unknown>, 'totalCount'>).totalCount?.() ?? null,
  });
}
