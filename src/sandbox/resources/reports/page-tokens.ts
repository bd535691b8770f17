import { invalidRequest } from '../../transport/errors.js';
import { queryValue } from '../../transport/params.js';
import type { Query } from '../../transport/params.js';
import type { SandboxStore } from '../../store.js';

/*
 * Page tokens bound to the query that produced them (REPORTS.md §1.5, EXTENDED.md §10: changing
 * parameters with an old cursor gives 400). Tokens keep the shape of the docs' example (`page_`
 * and the base64 of a position), so two queries can be handed the same text; the emulator
 * remembers, per store, which queries each token was issued for. A token comes back only with
 * the report and every parameter (except `page` itself) it was issued for: another `limit`,
 * filter, grouping, range or report, and a token that was never issued, are a 400 naming `page`.
 */

/** Issued (token, query) pairs kept per store; the oldest are forgotten first. */
const MAX_ISSUED = 50_000;

const issued = new WeakMap<SandboxStore, Map<string, Set<string>>>();

function registry(store: SandboxStore): Map<string, Set<string>> {
  let tokens = issued.get(store);
  if (!tokens) issued.set(store, (tokens = new Map()));
  return tokens;
}

/** The report and every parameter but `page`, in a canonical form (values in the order sent). */
export function queryFingerprint(report: string, query: Query): string {
  const names = Object.keys(query)
    .filter((name) => name !== 'page')
    .sort();
  return JSON.stringify([report, ...names.map((name) => [name, query[name]])]);
}

/**
 * The `page` of a request, checked: absent, or a token this store issued for exactly this report
 * and query. Anything else is a 400 `invalid_request_error` naming `page`.
 */
export function boundPageToken(
  store: SandboxStore,
  report: string,
  query: Query,
): string | undefined {
  const page = queryValue(query, 'page');
  if (page === undefined) return undefined;
  const queries = registry(store).get(page);
  if (!queries) {
    throw invalidRequest('page: unknown page token; pass a `next_page` value of this report');
  }
  if (!queries.has(queryFingerprint(report, query))) {
    throw invalidRequest(
      'page: the page token belongs to another query; send the parameters it was issued with (only `page` may differ)',
    );
  }
  return page;
}

/** Records that `token` was handed out as `next_page` of this report and query; returns it. */
export function issuePageToken(
  store: SandboxStore,
  report: string,
  query: Query,
  token: string | null,
): string | null {
  if (token === null) return null;
  const tokens = registry(store);
  let queries = tokens.get(token);
  if (!queries) {
    if (tokens.size >= MAX_ISSUED) {
      const oldest = tokens.keys().next().value;
      if (oldest !== undefined) tokens.delete(oldest);
    }
    tokens.set(token, (queries = new Set()));
  }
  queries.add(queryFingerprint(report, query));
  return token;
}

const encodeToken = (key: string) => `page_${Buffer.from(key, 'utf8').toString('base64url')}`;
const decodeToken = (token: string) =>
  Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');

/**
 * One token-paged page (`limit`, `page` → `next_page`) of `items` in list order, after the item
 * its bound `page` token names; `limit` 1–1000, 20 by default.
 */
export function tokenPage<T>(
  store: SandboxStore,
  list: string,
  query: Query,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => unknown,
): { data: unknown[]; next_page: string | null } {
  const rawLimit = queryValue(query, 'limit');
  let limit = 20;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw invalidRequest('limit: Input should be a valid integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > 1000) {
      throw invalidRequest(`limit: Input should be between 1 and ${1000}`);
    }
  }
  const token = boundPageToken(store, list, query);
  let start = 0;
  if (token !== undefined) {
    const index = items.findIndex((item) => keyOf(item) === decodeToken(token));
    if (index < 0) {
      throw invalidRequest(
        'page: the page token no longer matches an item of this list; restart from the first page',
      );
    }
    start = index + 1;
  }
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < items.length && last !== undefined;
  return {
    data: page.map(render),
    next_page: issuePageToken(store, list, query, more ? encodeToken(keyOf(last)) : null),
  };
}
