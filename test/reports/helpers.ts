import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Harness } from '../support/harness.js';

export { API, calls, callsTo, errorCodes, post, useHarness } from '../queries/helpers.js';

/** A month of daily buckets well inside the sandbox's history (the harness's now is 2026-11-01). */
export const OCTOBER = { startingAt: '2026-10-01T00:00:00Z', endingAt: '2026-10-20T00:00:00Z' };

/** The decoded query of the one upstream request that went to `path`. */
export function onlyQueryTo(h: Harness, path: string): Record<string, string[]> {
  const requests = h.upstream();
  if (requests.length !== 1 || requests[0]!.path !== path) {
    throw new Error(`expected one request to ${path}, got ${requests.map((r) => r.path)}`);
  }
  return requests[0]!.query;
}

/** Reads the sandbox directly, as the Admin API. */
export async function upstreamGet(
  sandbox: Sandbox,
  path: string,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience
): Promise<{ status: number; body: any }> {
  const response = await fetch(sandbox.url + path, {
    headers: { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01', ...headers },
  });
  return { status: response.status, body: await response.json() };
}

/** Pages through a connection with `first`/`after`, returning every page's nodes in order. */
export async function walk<T>(
  fetchPage: (after: string | undefined) => Promise<{
    edges: { cursor: string; node: T }[];
    pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  }>,
  maxPages = 50,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await fetchPage(after);
    items.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return { items, pages };
    after = page.pageInfo.endCursor ?? undefined;
  }
  throw new Error('too many pages');
}
