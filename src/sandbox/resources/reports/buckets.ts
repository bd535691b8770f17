import { invalidRequest } from '../../transport/errors.js';
import { listOf, queryEnumValues, queryValue } from '../../transport/params.js';
import type { Query } from '../../transport/params.js';
import type { SandboxStore } from '../../store.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_MS } from '../../time.js';
import type { Micros } from '../../time.js';
import { BUCKET_WIDTHS } from './catalog.js';
import type { BucketWidth } from './catalog.js';
import { boundPageToken, issuePageToken } from './page-tokens.js';

/*
 * The bucket grid of the usage and cost reports (REPORTS.md §1.5, §7), with the API reference's
 * meaning of the range: buckets that start at or after `starting_at` snapped down to the bucket
 * width, and "time buckets that end before `ending_at`" — a bucket is included when its end is at
 * or before `ending_at` (REPORTS.md §1.5: the guide's last-7-days example includes the bucket
 * ending exactly there), so a bucket straddling `ending_at` is not returned. Without `ending_at`
 * the grid runs up to now, the bucket in progress included (partial). Cut at `limit` per page.
 * `next_page` is `page_` and the base64 of the next bucket's start, the shape of the docs'
 * example, bound to the query that produced it (page-tokens.ts).
 */

export const WIDTH_MICROS: Record<BucketWidth, Micros> = {
  '1d': MICROS_PER_DAY,
  '1h': MICROS_PER_HOUR,
  '1m': MICROS_PER_MINUTE,
};

export const LIMITS: Record<BucketWidth, { fallback: number; max: number }> = {
  '1d': { fallback: 7, max: 31 },
  '1h': { fallback: 24, max: 168 },
  '1m': { fallback: 60, max: 1440 },
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Any valid RFC 3339 instant, to microseconds (sub-millisecond digits are dropped). */
export function parseInstant(name: string, text: string): Micros {
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidRequest(`${name}: '${text}' is not a valid RFC 3339 datetime`);
  return ms * MICROS_PER_MS;
}

/** Whole-second RFC 3339 in UTC, as report bucket edges are written. */
export function formatEdge(micros: Micros): string {
  return `${new Date(micros / MICROS_PER_MS).toISOString().slice(0, 19)}Z`;
}

/** `limit`: an integer in 1..max, or the fallback. */
export function parseLimit(query: Query, fallback: number, max: number): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalidRequest('limit: Input should be a valid integer');
  const limit = Number(raw);
  if (limit < 1 || limit > max) {
    throw invalidRequest(`limit: Input should be between 1 and ${max}`);
  }
  return limit;
}

/** Each value of an array parameter must be allowed; repeated values count once. */
export function enumValues<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const values = queryEnumValues(query, name, allowed);
  return values && [...new Set(values)];
}

export interface BucketPage {
  /** Starts of this page's buckets. */
  starts: Micros[];
  width: Micros;
  nextPage: string | null;
}

export function encodePageToken(text: string): string {
  return `page_${Buffer.from(text, 'utf8').toString('base64')}`;
}

export function decodePageToken(token: string): string | null {
  if (!token.startsWith('page_')) return null;
  const body = token.slice('page_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  return Buffer.from(body, 'base64').toString('utf8');
}

/** Reads the time range, width, limit and page of a bucketed report and lays out its page. */
export function bucketPage(
  store: SandboxStore,
  query: Query,
  options: { report: string; widths: readonly BucketWidth[]; fallbackWidth: BucketWidth },
): BucketPage {
  const startText = queryValue(query, 'starting_at');
  if (startText === undefined || startText === '') {
    throw invalidRequest('starting_at: Field required');
  }
  const startingAt = parseInstant('starting_at', startText);
  const endText = queryValue(query, 'ending_at');
  const endingAt = endText === undefined ? undefined : parseInstant('ending_at', endText);
  if (endingAt !== undefined && startingAt >= endingAt) {
    throw invalidRequest('ending_at: must be after starting_at');
  }
  const widthText = queryValue(query, 'bucket_width') ?? options.fallbackWidth;
  if (!(options.widths as readonly string[]).includes(widthText)) {
    throw invalidRequest(`bucket_width: Input should be ${listOf(options.widths)}`);
  }
  const widthName = widthText as BucketWidth;
  const width = WIDTH_MICROS[widthName];
  const { fallback, max } = LIMITS[widthName];
  const limit = parseLimit(query, fallback, max);

  const first = Math.floor(startingAt / width) * width;
  const now = store.now();
  // A bucket is in the report when it has started by now and ends at or before `ending_at`.
  const inRange = (start: Micros) =>
    start < now && (endingAt === undefined || start + width <= endingAt);
  let from = first;
  const page = boundPageToken(store, options.report, query);
  if (page !== undefined) {
    const text = decodePageToken(page);
    const at = text === null ? NaN : Date.parse(text);
    const micros = at * MICROS_PER_MS;
    // A token must be a bucket start of this query: aligned, after its first bucket, in range.
    if (Number.isNaN(at) || micros % width !== 0 || micros <= first || !inRange(micros)) {
      throw invalidRequest('page: the page token does not belong to this query');
    }
    from = micros;
  }
  const starts: Micros[] = [];
  let next = from;
  while (inRange(next) && starts.length < limit) {
    starts.push(next);
    next += width;
  }
  const token = inRange(next) ? encodePageToken(formatEdge(next)) : null;
  return { starts, width, nextPage: issuePageToken(store, options.report, query, token) };
}

/** The report envelope for a laid-out page and its buckets' rows. */
export function bucketReport(page: BucketPage, rowsOf: (start: Micros) => unknown[]) {
  return {
    data: page.starts.map((start) => ({
      starting_at: formatEdge(start),
      ending_at: formatEdge(start + page.width),
      results: rowsOf(start),
    })),
    has_more: page.nextPage !== null,
    next_page: page.nextPage,
  };
}

/** Compares dimension values: ascending, null last. */
export function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export { BUCKET_WIDTHS };
