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
