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

export interface ListedCollectionOptions<T> {
  idOf: (item: T) => string;
  getOne: (id: string) => Promise<T>;
  listPage: (query: PageQuery) => Promise<AdminPage<T>>;
  /** Hears every item a list page brought, requested or not, so loaders can be primed. */
  onListed?: (item: T) => void;
}

/**
 * Resolves batches of ids of one collection with the fewest upstream requests the Admin API
 * allows. It has no batch-get: one id costs one GET, but a list page returns up to 1000 items for
 * one request. So a single id is fetched directly, and several ids walk the list instead, falling
 * back to single GETs once listing further could cost more than fetching what is still missing.
 * A walk is shared: batches that arrive while it runs wait for it instead of starting their own,
 * and what it listed answers later batches of the same request too.
 *
 * No list is taken to hold every item that exists (nothing documents that one does: workspaces
 * hide the Default Workspace, invites withdrawn ones, and other lists may hide what they do not
 * say): an id no list showed is fetched by GET, and a 404 answers null.
 */
export class ListedCollection<T> {
  private after: string | undefined;
  /** The walk reached the end of the list: listing again would show nothing new. */
  private exhausted = false;
  /** Moves on with every write (see reset): what was under way before it is not used after. */
  private generation = 0;
  /** The walk under way and what it has listed so far. */
  private walking: Promise<Map<string, T>> | null = null;
  /** List pages other resolvers are fetching right now (see track). */
  private readonly pagesInFlight = new Set<Promise<AdminPage<T>>>();

  constructor(private readonly options: ListedCollectionOptions<T>) {}

  /** A DataLoader batch function. */
  load = async (ids: readonly string[]): Promise<(T | null | Error)[]> => {
    // Items a walk listed are primed into the request's loaders; what a walk or a tracked page
    // listed answers only batches that were waiting for it, so a loader entry cleared after a
    // write is fetched anew. Ids are looked up in the walk's own map (never copied: it may hold
    // a whole organization's users).
    const found = new Map<string, T>();
    const asked = new Set(ids);
    const pick = (listed: ReadonlyMap<string, T>) => {
      for (const id of asked) {
        const item = listed.get(id);
        if (item !== undefined) found.set(id, item);
      }
    };
    while (this.walking || this.pagesInFlight.size > 0) {
      if (this.walking) pick(await this.walking);
      for (const page of await Promise.allSettled([...this.pagesInFlight])) {
        if (page.status === 'fulfilled') {
          for (const item of page.value.data) {
            const id = this.options.idOf(item);
            if (asked.has(id)) found.set(id, item);
          }
        }
      }
    }
    let missing = ids.filter((id) => !found.has(id));
    if (missing.length >= 2 && !this.exhausted) {
      const walking: Promise<Map<string, T>> = this.walk(missing).finally(() => {
        if (this.walking === walking) this.walking = null;
      });
      this.walking = walking;
      pick(await walking);
      missing = missing.filter((id) => !found.has(id));
    }
    const fetched = new Map<string, T | null | Error>(
      await Promise.all(
        missing.map(async (id) => {
          try {
            return [id, await orNull(this.options.getOne(id))] as const;
          } catch (error) {
            return [id, error instanceof Error ? error : new Error(String(error))] as const;
          }
        }),
      ),
    );
    return ids.map((id) => found.get(id) ?? fetched.get(id) ?? null);
  };

  /**
   * After a write: forgets how far the list was walked and the pages in flight, so that nothing
   * read before the write answers a lookup made after it (those pages no longer prime either).
   */
  reset(): void {
    this.generation++;
    this.after = undefined;
    this.exhausted = false;
    this.walking = null;
    this.pagesInFlight.clear();
  }

  /**
   * A list page some resolver fetches (a connection): its items prime the loaders, and lookups
   * that arrive while it is in flight wait for it instead of fetching what it may bring. When the
   * page was asked for without filters or cursor and holds the whole list (`wholeList`), a walk
   * would show nothing more: ids it does not show are fetched by GET straight away; when it
   * holds the start of the list, a later walk starts after it.
   */
  track(fetching: Promise<AdminPage<T>>, wholeList = false): Promise<AdminPage<T>> {
    const generation = this.generation;
    const page = fetching.then((result) => {
      if (generation !== this.generation) return result;
      for (const item of result.data) this.options.onListed?.(item);
      if (wholeList && !result.has_more) this.exhausted = true;
      // The list's first page of the walk's size, read by a connection: its items are primed and
      // answered the batches waiting for it, so a walk goes on after it instead of listing it
      // again for nothing (the repeat would be free, but would count as a page against the GETs).
      // A smaller first page is not skipped: the walk's own first page may be shared (a count).
      else if (
        wholeList &&
        result.data.length === MAX_PAGE_SIZE &&
        result.last_id &&
        this.after === undefined &&
        !this.walking
      ) {
        this.after = result.last_id;
      }
      return result;
    });
    this.pagesInFlight.add(page);
    const forget = () => this.pagesInFlight.delete(page);
    page.then(forget, forget);
    return page;
  }

  /**
   * Lists pages until `wanted` are found, the list ends, or GETs would be cheaper. Each page costs
   * one request and must pay for itself: a page is listed only while the pages spent so far plus
   * the GETs still missing cost no more than GETs for every wanted id. A walk that finds nothing
   * on its first page stops there, so it never costs more than one GET per id plus one page,
   * however long the list (in an organization of 20,000 users, 16 scattered ids would otherwise
   * list 15 pages and still GET the rest).
   */
  private async walk(wanted: string[]): Promise<Map<string, T>> {
    const listed = new Map<string, T>();
    const missing = new Set(wanted);
    const generation = this.generation;
    let pages = 0;
    while (missing.size >= 2 && pages + missing.size <= wanted.length && !this.exhausted) {
      const page = await this.options.listPage(
        this.after ? { limit: MAX_PAGE_SIZE, after_id: this.after } : { limit: MAX_PAGE_SIZE },
      );
      pages++;
      // A write happened meanwhile: what this walk lists answers nothing any more.
      if (generation !== this.generation) return new Map();
      for (const item of page.data) {
        const id = this.options.idOf(item);
        listed.set(id, item);
        missing.delete(id);
        this.options.onListed?.(item);
      }
      if (!page.has_more || !page.last_id) this.exhausted = true;
      else this.after = page.last_id;
    }
    return listed;
  }
}
