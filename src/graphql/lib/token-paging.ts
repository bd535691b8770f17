import { createHash } from 'node:crypto';
import { badUserInput } from './errors.js';
import { readKey } from '../../upstream/read-cache.js';
import type { Connection, ConnectionArgs } from './connection.js';

/** One page of a token-paged list: the reports' pages, and the SDK's `PageCursor` pages. */
export interface TokenPage<T> {
  data: T[];
  next_page: string | null;
  /** Absent from `PageCursor` pages: there, a `next_page` means more. */
  has_more?: boolean;
}

/** The paging fields sent with a token-paged list request. */
export interface TokenPageQuery {
  limit?: number;
  page?: string;
}

/*
 * Relay connections over token paging (the reports, REPORTS.md §0, and every list the SDK pages
 * with `PageCursor`): the Admin API hands out one
 * opaque `next_page` token per page and pages forward only, and a token belongs to the query that
 * produced it (EXTENDED.md §10: changing parameters with an old cursor is a 400). So a token is
 * only ever sent again with exactly that query — the same `limit`, filters, grouping and range —
 * and the gateway slices the page itself. A cursor wraps the token that fetched the page an item
 * is on, the `limit` that page was fetched with, the item's position on that page, and a
 * fingerprint of the report's arguments:
 * - the last item of a page that has more gets `next_page` itself (position 0): `after` it is
 *   exactly the next upstream page, with the same `limit`;
 * - any other item gets the token and `limit` of its own page and the count of items up to it:
 *   `after` it re-reads that page with the same query (a hit of the shared read cache while it
 *   lasts) and continues on the next page with the same `limit` when `first` needs more.
 * So paging with `first`/`after` from any cursor never skips or repeats an item, the page size of
 * a walk is the `first` of its first page, and `after` from a report with other arguments is
 * refused instead of answered with another report's data.
 */

/** A page of a report connection (reports have no totalCount). */
export type ReportConnection<T> = Pick<Connection<T>, 'edges' | 'pageInfo'>;

export interface ReportPageSizes {
  /** The Admin API's page size when none is sent. */
  defaultSize: number;
  /** The largest `limit` the Admin API takes. */
  maxSize: number;
  /** What one item is, for messages ("bucket", "record"). */
  unit: string;
  /** What the list is, for messages (by default "report"). */
  list?: string;
}

interface ReportCursor {
  /** Fingerprint of the report's arguments. */
  q: string;
  /** The upstream page token, null for the first page. */
  p: string | null;
  /** The `limit` that page was fetched with; null when none was sent. */
  l: number | null;
  /** Items of that page that lie before the cursor's successor. */
  s: number;
}

const CURSOR_PREFIX = 'report:';

/** Upstream pages one connection reads at most: the cursor's page and the one after it. */
const MAX_PAGES_PER_CONNECTION = 2;

function fingerprint(query: object): string {
  return createHash('sha256').update(readKey('report', query)).digest('base64url').slice(0, 16);
}

function encodeReportCursor(cursor: ReportCursor): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeReportCursor(value: string, expected: string, sizes: ReportPageSizes): ReportCursor {
  const list = sizes.list ?? 'report';
  const text = Buffer.from(value, 'base64url').toString('utf8');
  let cursor: Partial<ReportCursor> | null = null;
  if (text.startsWith(CURSOR_PREFIX)) {
    try {
      cursor = JSON.parse(text.slice(CURSOR_PREFIX.length)) as Partial<ReportCursor>;
    } catch {
      cursor = null;
    }
  }
  const valid =
    cursor !== null &&
    typeof cursor.q === 'string' &&
    (cursor.p === null || typeof cursor.p === 'string') &&
    (cursor.l === null ||
      (Number.isInteger(cursor.l) &&
        (cursor.l as number) >= 1 &&
        (cursor.l as number) <= sizes.maxSize)) &&
    Number.isInteger(cursor.s) &&
    (cursor.s as number) >= 0 &&
    (cursor.s as number) <= sizes.maxSize;
  if (!valid) {
    throw badUserInput(`\`after\` is not a cursor of this ${list}.`, { argumentName: 'after' });
  }
  if (cursor!.q !== expected) {
    throw badUserInput(
      `\`after\` is a cursor of the same ${list} with other arguments: page with the arguments that produced it.`,
      { argumentName: 'after' },
    );
  }
  return cursor as ReportCursor;
}

/** Refuses what token paging cannot serve and checks `first`; returns the page size asked for. */
export function checkReportArgs(args: ConnectionArgs, sizes: ReportPageSizes): number | null {
  if (args.last != null || args.before != null) {
    throw badUserInput(
      `${sizes.list ? `This ${sizes.list} pages` : 'Reports page'} forward only: the Admin API’s page tokens lead to the next page, never back. Use \`first\` and \`after\`; \`last\` and \`before\` are not supported here.`,
      { argumentName: args.last != null ? 'last' : 'before' },
    );
  }
  const { first } = args;
  if (first == null) return null;
  if (!Number.isInteger(first) || first < 1 || first > sizes.maxSize) {
    throw badUserInput(
      `\`first\` must be between 1 and ${sizes.maxSize} ${sizes.unit}s here; got ${first}.`,
      { argumentName: 'first' },
    );
  }
  return first;
}

/**
 * Resolves a report connection: the first page is fetched with `limit` = `first`; after a cursor,
 * the cursor's page is read again with exactly its own query and sliced, continuing on the next
 * page (same query, its token) while `first` asks for more. Builds the edges and cursors
 * described above.
 */
export async function resolveReportConnection<T, Q extends object>(
  args: ConnectionArgs,
  base: Q,
  sizes: ReportPageSizes,
  fetchPage: (query: Q & TokenPageQuery) => Promise<TokenPage<T>>,
): Promise<ReportConnection<T>> {
  const first = checkReportArgs(args, sizes);
  const q = fingerprint(base);
  const from: ReportCursor =
    args.after != null ? decodeReportCursor(args.after, q, sizes) : { q, p: null, l: first, s: 0 };
  const limit = from.l;
  const read = (token: string | null) =>
    fetchPage({
      ...base,
      ...(limit != null ? { limit } : {}),
      ...(token !== null ? { page: token } : {}),
    });

  const edges: ReportConnection<T>['edges'] = [];
  let token = from.p;
  let start = from.s;
  let hasNextPage: boolean;
  for (let pages = 1; ; pages++) {
    const page = await read(token);
    const count = page.data.length;
    const more = (page.has_more ?? true) && page.next_page !== null;
    let index = start;
    for (; index < count && (first == null || edges.length < first); index++) {
      const cursor: ReportCursor =
        index === count - 1 && more
          ? { q, p: page.next_page, l: limit, s: 0 }
          : { q, p: token, l: limit, s: index + 1 };
      edges.push({ cursor: encodeReportCursor(cursor), node: page.data[index] as T });
    }
    hasNextPage = index < count || more;
    const wantsMore = first != null && edges.length < first;
    if (!wantsMore || !more || index < count || pages >= MAX_PAGES_PER_CONNECTION) break;
    token = page.next_page;
    start = 0;
  }
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Follows `next_page` to the end of a list that has no `limit` (the rate-limit lists). */
export async function readAllPages<T>(
  fetchPage: (page: string | undefined) => Promise<{ data: T[]; next_page: string | null }>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(token);
    items.push(...page.data);
    if (page.next_page === null || page.next_page === token) return items;
    token = page.next_page;
  }
  return items;
}
