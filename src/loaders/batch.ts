import { UpstreamError } from '../upstream/errors.js';
import type { AdminPage, PageQuery } from '../upstream/types.js';

/** The largest page the Admin API serves (CONTRACT.md §1.9). */
export const MAX_PAGE_SIZE = 1000;

/** A lookup that found nothing upstream (404) resolves to null, as the contract's root fields do. */
export async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404) return null;
    throw error;
  }
}

export interface BatchByListOptions<T> {
  ids: readonly string[];
  idOf: (item: T) => string;
  getOne: (id: string) => Promise<T>;
  listPage: (query: PageQuery) => Promise<AdminPage<T>>;
  /**
   * Whether the list holds every item that exists. When false (workspaces hide the Default
   * Workspace, invites hide withdrawn ones), ids the list did not show are fetched one by one.
   */
  listIsComplete: boolean;
  /** Hears every item a list page brought, requested or not, so other loaders can be primed. */
  onListed?: (item: T) => void;
}

/**
 * Resolves a batch of ids with the fewest upstream requests the Admin API allows. It has no
 * batch-get: one id costs one GET, but a list page returns up to 1000 items for one request. So a
 * single id is fetched directly, and several ids walk the list instead, falling back to single
 * GETs once listing further could cost more than fetching what is still missing.
 */
export async function batchByList<T>(
  options: BatchByListOptions<T>,
): Promise<(T | null | Error)[]> {
  const { ids, idOf, getOne, listPage } = options;
  const found = new Map<string, T>();
  const missing = new Set(ids);
  let exhausted = false;

  if (missing.size >= 2) {
    let after: string | undefined;
    let pages = 0;
    // Each page costs one request; stop before listing could cost more than the GETs it saves.
    while (missing.size >= 2 && pages < ids.length - 1) {
      const page = await listPage(
        after ? { limit: MAX_PAGE_SIZE, after_id: after } : { limit: MAX_PAGE_SIZE },
      );
      pages++;
      for (const item of page.data) {
        const id = idOf(item);
        options.onListed?.(item);
        if (missing.delete(id)) found.set(id, item);
      }
      if (!page.has_more || !page.last_id) {
        exhausted = true;
        break;
      }
      after = page.last_id;
    }
  }

  const needGet = exhausted && options.listIsComplete ? [] : [...missing];
  const fetched = await Promise.all(
    needGet.map(async (id) => {
      try {
        return [id, await orNull(getOne(id))] as const;
      } catch (error) {
        return [id, error instanceof Error ? error : new Error(String(error))] as const;
      }
    }),
  );
  const results = new Map<string, T | null | Error>(fetched);
  return ids.map((id) => found.get(id) ?? results.get(id) ?? null);
}
