import DataLoader from 'dataloader';
import type { AdminPage, PageQuery } from '../upstream/types.js';
import { MAX_PAGE_SIZE } from './batch.js';

/** The first page of one part of a collection, such as one workspace's API keys. */
export interface PartKey<F> {
  /** The part: the value of the list filter that selects it (a workspace id). */
  part: string;
  /** The other filters, the same for every part a walk can serve together. */
  filters: F;
  limit: number;
}

/** What `partOf` answers for an item whose part the walk cannot tell. */
export const UNKNOWN_PART = Symbol('unknown part');

/**
 * The part an item belongs to: a part id, `null` when it belongs to none a caller can ask for
 * (a key created by a service account), or UNKNOWN_PART when the item does not say (the Admin
 * API reports the Default Workspace's keys with `workspace_id: null`, not with its id).
 */
export type PartOf = string | null | typeof UNKNOWN_PART;

export interface PartitionedPagesOptions<T, F> {
  /** Which part an item belongs to: the one place items are attributed. */
  partOf: (item: T) => PartOf;
  /**
   * Whether a part is known not to be one that items of unknown part may belong to (a
   * workspace a list showed is not the Default Workspace). Such parts are answered by a walk
   * that saw items of unknown part; the others are asked for on their own.
   */
  provenDistinct?: (part: string) => boolean;
  /** One page of the whole collection with these filters (no part filter). */
  listAll: (filters: F, query: PageQuery) => Promise<AdminPage<T>>;
  /** One page of one part: the fallback, and what a lone part uses. */
  listPart: (part: string, filters: F, query: PageQuery) => Promise<AdminPage<T>>;
}

function pageOf<T>(items: T[], limit: number, hasMore: boolean, idOf: (item: T) => string) {
  const data = items.slice(0, limit);
  return {
    data,
    first_id: data[0] ? idOf(data[0]) : null,
    last_id: data.length ? idOf(data[data.length - 1]!) : null,
    has_more: hasMore,
  };
}

/**
 * First pages of several parts of one collection in few requests. The Admin API lists a
 * workspace's API keys with `workspace_id=…`: ten workspaces cost ten requests. When several are
 * asked for at once, one walk of the whole list (1000 items per request, in the same order)
 * serves them all; a part the walk cannot answer for certain is fetched on its own.
 */
export function partitionedFirstPages<T extends { id: string }, F>(
  options: PartitionedPagesOptions<T, F>,
): DataLoader<PartKey<F>, AdminPage<T>, string> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, PartKey<F>[]>();
      for (const key of keys) {
        const group = JSON.stringify(key.filters);
        const members = groups.get(group);
        if (members) members.push(key);
        else groups.set(group, [key]);
      }
      const pages = new Map<PartKey<F>, AdminPage<T>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const answered =
            group.length >= 2 ? await walk(group) : new Map<PartKey<F>, AdminPage<T>>();
          await Promise.all(
            group.map(async (key) => {
              pages.set(
                key,
                answered.get(key) ??
                  (await options.listPart(key.part, key.filters, { limit: key.limit })),
              );
            }),
          );
        }),
      );
      return keys.map((key) => pages.get(key)!);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.part, key.filters, key.limit]) },
  );

  /** Walks the whole list while that costs less than asking part by part. */
  async function walk(group: PartKey<F>[]): Promise<Map<PartKey<F>, AdminPage<T>>> {
    const filters = group[0]!.filters;
    const seen = new Map<string, T[]>();
    // A part is settled once more of it was seen than its page holds; one that items of unknown
    // part may belong to cannot be answered by the walk, so listing on does not help it.
    const settled = () =>
      group.every((key) => !certain(key.part) || (seen.get(key.part)?.length ?? 0) > key.limit);
    let after: string | undefined;
    let exhausted = false;
    let sawUnknown = false;
    const certain = (part: string) => !sawUnknown || (options.provenDistinct?.(part) ?? false);
    for (let pages = 0; pages < group.length - 1 && !settled(); pages++) {
      const page = await options.listAll(
        filters,
        after ? { limit: MAX_PAGE_SIZE, after_id: after } : { limit: MAX_PAGE_SIZE },
      );
      for (const item of page.data) {
        const part = options.partOf(item);
        if (part === UNKNOWN_PART) {
          sawUnknown = true;
          continue;
        }
        if (part === null) continue;
        const items = seen.get(part);
        if (items) items.push(item);
        else seen.set(part, [item]);
      }
      if (!page.has_more || !page.last_id) {
        exhausted = true;
        break;
      }
      after = page.last_id;
    }
    const answered = new Map<PartKey<F>, AdminPage<T>>();
    for (const key of group) {
      const items = seen.get(key.part) ?? [];
      // Certain when the walk saw the whole list, or more of this part than the page holds, and
      // no item it could not attribute may belong to this part.
      if ((exhausted || items.length > key.limit) && certain(key.part)) {
        answered.set(
          key,
          pageOf(items, key.limit, items.length > key.limit, (item) => item.id),
        );
      }
    }
    return answered;
  }
}
