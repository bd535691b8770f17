import { invalidRequest } from '../transport/errors.js';
import { queryValue, type Query } from '../transport/params.js';
import type { SandboxStore } from '../store.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';

/*
 * Token paging (`limit`, `page` → `next_page`) for the emulated external-key and external-storage
 * lists: `limit` 1–1000 (default 20); page tokens bound to their list and query
 * (reports/page-tokens.ts), naming the last item of the page before, so that a token whose item
 * was deleted meanwhile is refused rather than silently restarting.
 */

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

const encodeToken = (key: string) => `page_${Buffer.from(key, 'utf8').toString('base64url')}`;
const decodeToken = (token: string) =>
  Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');

/** A body field's name inside a nested object, for 400 messages: `provider_config.kms_arn`. */
export function nestedField<T>(prefix: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && 'status' in error && /^[a-z_]+:/.test(error.message)) {
      throw invalidRequest(`${prefix}.${error.message}`);
    }
    throw error;
  }
}

/** One page of `items` (already in list order), after the item its `page` token names. */
export function externalTokenPage<T>(
  store: SandboxStore,
  list: string,
  query: Query,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => unknown,
): { data: unknown[]; next_page: string | null } {
  const rawLimit = queryValue(query, 'limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw invalidRequest('limit: Input should be a valid integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
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
