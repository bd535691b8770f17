import { UpstreamError } from '../upstream/errors.js';
import type { AdminPage, PageQuery } from '../upstream/types.js';
import { MAX_PAGE_SIZE } from '../domain/limits.js';
import { nextTurn } from '../upstream/turns.js';

export { MAX_PAGE_SIZE } from '../domain/limits.js';

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
  /**
   * A page of the walk. The walk asks for the next page as soon as it has a page's cursor, and
   * its batches work through the page in turns of the event loop of their own (turns.ts), so the
   * page should be handed over as it arrives (an urgent read).
   */
  listPage: (query: PageQuery) => Promise<AdminPage<T>>;
  /** Hears every item a list page brought, requested or not. */
  onListed?: (item: T) => void;
}

/** A batch waiting for a walk (see ListedCollection.resolve). */
interface Follower<T> {
  /** Hands the batch an item it waits for. */
  take(id: string, item: T): void;
  /** Whether the batch holds items it has not answered yet. */
  holds(): boolean;
  /** The walk asked for its next page: the batch answers what it was handed so far. */
  answer(): void;
}

/** A walk of the list under way (see ListedCollection.walk). */
interface Walk<T> {
  /**
   * The ids batches wait for, each with its batches: a page is looked up here once, however many
   * batches follow the walk (every workspace's members' users are a batch each).
   */
  wanted: Map<string, Follower<T>[]>;
  /** The batches waiting for it. */
  followers: Set<Follower<T>>;
  /** Resolves once the walk stopped. */
  done: Promise<void>;
}

/** A promise with its resolve and reject functions. */
interface Deferred<V> {
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (error: Error) => void;
}

function deferred<V>(): Deferred<V> {
  let resolve!: (value: V) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Resolves batches of ids of one collection with the fewest upstream requests the Admin API
 * allows. It has no batch-get: one id costs one GET, but a list page returns up to 1000 items for
 * one request. So a single id is fetched directly, and several ids walk the list instead, falling
 * back to single GETs once listing further could cost more than fetching what is still missing.
 * A walk is shared: batches that arrive while it runs wait for it instead of starting their own,
 * and what it listed answers later batches of the same request too.
 *
 * A long walk answers as it goes: once it has asked for its next page, the ids its pages showed so
 * far are answered in a turn of the event loop of their own, so that resolvers waiting on a
 * 20-page walk of a large organization go on page by page while the next page is in flight,
 * instead of all at once at the end in one long stretch of the event loop; the walk itself goes
 * on at the pace of the upstream. Otherwise a batch is answered together, once all of it is known.
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
  /** The walk under way. */
  private walking: Walk<T> | null = null;
  /**
   * Every item listed since the last write (by walks and tracked pages): later lookups of the
   * request are answered from it without a request. Kept here rather than primed into the
   * request's DataLoader, which would make a settled promise per item: a walk of a large
   * organization lists 20,000 users to find the few thousand a page of members names.
   */
  private listed = new Map<string, T>();
  /**
   * Items of tracked pages not yet in `listed`: indexed on the next lookup, since most requests
   * never look anything up in the pages their connections show (a users page of 50 is served
   * out of a cached page of 1000).
   */
  private unindexed: (readonly T[])[] = [];
  /**
   * First pages asked for ahead of the lookups (prefetch) that no walk has counted yet: the next
   * walk counts them as pages it spent, since they were asked for on its behalf.
   */
  private pagesAhead = 0;
  /**
   * While a page asked for ahead is not counted: the ids it answered to lookups that never came
   * to a walk (found at once: listedItem). The walk pays for them too, as if they were of its
   * batch: they are what the page was asked for.
   */
  private answeredAhead = new Set<string>();
  /** List pages other resolvers are fetching right now (see track). */
  private readonly pagesInFlight = new Set<Promise<AdminPage<T>>>();

  constructor(private readonly options: ListedCollectionOptions<T>) {}

  /**
   * A DataLoader batch function. It answers at once with one promise per id, each settled as
   * soon as its id is known (DataLoader resolves a key with the promise, which the key's own
   * promise then follows).
   */
  load = async (ids: readonly string[]): Promise<(T | null | Error)[]> => {
    const answers = new Map<string, Deferred<T | null>>();
    for (const id of ids) if (!answers.has(id)) answers.set(id, deferred());
    const answer = (id: string, value: T | null | Error) => {
      const pending = answers.get(id)!;
      if (value instanceof Error) pending.reject(value);
      else pending.resolve(value);
    };
    this.resolve([...answers.keys()], answer).then(
      // Every id is answered by now; settling again changes nothing.
      () => answers.forEach((pending) => pending.resolve(null)),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        answers.forEach((pending) => pending.reject(failure));
      },
    );
    // What DataLoader receives are promises of the values (see above).
    return ids.map((id) => answers.get(id)!.promise as unknown as T);
  };

  /**
   * Finds `ids`. They are answered together once all are known, as a batch always was (so that
   * the lookups their resolvers make next are batched together too), except while a walk goes
   * on: what it found so far is answered when it has asked for its next page.
   */
  private async resolve(
    ids: readonly string[],
    answer: (id: string, value: T | null | Error) => void,
  ): Promise<void> {
    // What was listed since the last write answers at once; a write empties it (reset), so an id
    // looked up after a write is fetched anew. Ids are looked up in the map (never copied: it may
    // hold a whole organization's users).
    const asked = new Set(ids);
    const found = new Map<string, T | null | Error>();
    const flush = () => {
      for (const [id, value] of found) answer(id, value);
      found.clear();
    };
    const take = (id: string, item: T) => {
      if (asked.delete(id)) found.set(id, item);
    };
    /** Takes what a tracked page shows. */
    const hear = (items: readonly T[]) => {
      for (let index = 0; index < items.length; index++) {
        const item = items[index]!;
        const id = this.options.idOf(item);
        if (asked.has(id)) take(id, item);
      }
    };
    const pick = () => {
      const listed = this.known();
      for (const id of asked) {
        const item = listed.get(id);
        if (item !== undefined) take(id, item);
      }
    };
    /** Waits for a walk, handed what its pages show as they come. */
    const follow = async (walk: Walk<T>) => {
      pick();
      const follower: Follower<T> = { take, holds: () => found.size > 0, answer: flush };
      walk.followers.add(follower);
      for (const id of asked) {
        const waiting = walk.wanted.get(id);
        if (waiting) waiting.push(follower);
        else walk.wanted.set(id, [follower]);
      }
      try {
        await walk.done;
        pick();
      } finally {
        walk.followers.delete(follower);
      }
    };
    pick();
    while (asked.size > 0 && (this.walking || this.pagesInFlight.size > 0)) {
      if (this.walking) await follow(this.walking);
      for (const page of await Promise.allSettled([...this.pagesInFlight])) {
        if (page.status === 'fulfilled') hear(page.value.data);
      }
    }
    if (asked.size >= 2 && !this.exhausted) await follow(this.startWalk([...asked], ids.length));
    const fetched = await Promise.all(
      [...asked].map(async (id) => {
        try {
          return [id, await orNull(this.options.getOne(id))] as const;
        } catch (error) {
          return [id, error instanceof Error ? error : new Error(String(error))] as const;
        }
      }),
    );
    for (const [id, value] of fetched) found.set(id, value);
    flush();
  }

  /**
   * The item with this id if it was listed since the last write; undefined otherwise (a lookup
   * then answers it). What a lookup would answer at once, without a promise: a resolver that
   * finds its item here completes in the same turn.
   */
  listedItem(id: string): T | undefined {
    const item = this.known().get(id);
    if (item !== undefined && this.pagesAhead > 0) this.answeredAhead.add(id);
    return item;
  }

  /** Everything listed since the last write, tracked pages indexed. */
  private known(): Map<string, T> {
    if (this.unindexed.length > 0) {
      for (const items of this.unindexed) this.index(items);
      this.unindexed = [];
    }
    return this.listed;
  }

  private index(items: readonly T[]): void {
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      this.listed.set(this.options.idOf(item), item);
    }
  }

  /**
   * Keeps a page's items for later lookups: indexed at once (a walk's, which its followers look
   * up as it goes) or on the first lookup (a tracked page's); `onListed` hears them either way.
   */
  private keep(items: readonly T[], indexNow: boolean): void {
    if (indexNow) this.index(items);
    else this.unindexed.push(items);
    if (this.options.onListed) for (const item of items) this.options.onListed(item);
  }

  /**
   * Keeps a walk's page, indexed at once (its followers look it up as it goes). A page read
   * through `track` (as the loaders read every page) is kept already, waiting to be indexed.
   */
  private keepWalked(items: readonly T[]): void {
    const at = this.unindexed.indexOf(items);
    if (at < 0) return this.keep(items, true);
    this.unindexed.splice(at, 1);
    this.index(items);
  }

  /**
   * After a write: forgets how far the list was walked, the pages in flight and what was listed,
   * so that nothing read before the write answers a lookup made after it.
   */
  reset(): void {
    this.generation++;
    this.after = undefined;
    this.exhausted = false;
    this.walking = null;
    this.pagesAhead = 0;
    this.answeredAhead = new Set();
    this.pagesInFlight.clear();
    this.listed = new Map();
    this.unindexed = [];
  }

  /**
   * A list page some resolver fetches (a connection): its items answer later lookups, and lookups
   * that arrive while it is in flight wait for it instead of fetching what it may bring. When the
   * page was asked for without filters or cursor and holds the whole list (`wholeList`), a walk
   * would show nothing more: ids it does not show are fetched by GET straight away; when it
   * holds the start of the list, a later walk starts after it.
   */
  track(fetching: Promise<AdminPage<T>>, wholeList = false): Promise<AdminPage<T>> {
    const generation = this.generation;
    const page = fetching.then((result) => {
      if (generation !== this.generation) return result;
      this.keep(result.data, false);
      if (wholeList && !result.has_more) this.exhausted = true;
      // The list's first page of the walk's size, read by a connection: its items are kept and
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
   * Asks for the first page a walk would list, ahead of the lookups that will need it (an
   * operation whose lookups come in batches: see Loaders.prefetch). It is tracked as any list
   * page: lookups made while it is in flight wait for it, and a walk goes on after it. Nothing is
   * asked once the list was read or walked in this request.
   */
  prefetch(): void {
    if (this.after !== undefined || this.exhausted || this.walking) return;
    if (this.pagesInFlight.size > 0 || this.listed.size > 0 || this.unindexed.length > 0) return;
    this.pagesAhead++;
    // A failure is met again by the lookups, which then walk or GET as usual.
    this.options.listPage({ limit: MAX_PAGE_SIZE }).catch(() => undefined);
  }

  /**
   * Starts a walk for `wanted`, what is left of a batch of `batch` ids, and makes it the one under
   * way.
   */
  private startWalk(wanted: string[], batch: number): Walk<T> {
    const walk: Walk<T> = { wanted: new Map(), followers: new Set(), done: Promise.resolve() };
    walk.done = this.walk(wanted, batch, walk).finally(() => {
      if (this.walking === walk) this.walking = null;
    });
    this.walking = walk;
    return walk;
  }

  /**
   * Lists pages until `wanted` are found, the list ends, or GETs would be cheaper. Each page costs
   * one request and must pay for itself: a page is listed only while the pages spent so far plus
   * the GETs still missing cost no more than GETs for every wanted id. A walk that finds nothing
   * on its first page stops there, so it never costs more than one GET per id plus one page,
   * however long the list (in an organization of 20,000 users, 16 scattered ids would otherwise
   * list 15 pages and still GET the rest). A first page asked for ahead of the lookups (prefetch)
   * is one of its pages, and the ids it answered (of the batch, and found at once before any
   * batch: listedItem) are among those it pays for. The next page is asked for before the items
   * of the current one are kept and answered to the batches waiting: that work overlaps the
   * request.
   */
  private async walk(wanted: string[], batch: number, walk: Walk<T>): Promise<void> {
    const missing = new Set(wanted);
    const generation = this.generation;
    let pages = this.pagesAhead;
    const budget = pages > 0 ? batch + this.answeredAhead.size : wanted.length;
    this.pagesAhead = 0;
    this.answeredAhead = new Set();
    const more = () => missing.size >= 2 && pages + missing.size <= budget && !this.exhausted;
    const next = () =>
      this.options.listPage(
        this.after ? { limit: MAX_PAGE_SIZE, after_id: this.after } : { limit: MAX_PAGE_SIZE },
      );
    let asking = more() ? next() : null;
    while (asking) {
      const page = await asking;
      pages++;
      // A write happened meanwhile: what this walk lists answers nothing any more.
      if (generation !== this.generation) return;
      const items = page.data;
      for (let index = 0; index < items.length; index++) {
        const item = items[index]!;
        const id = this.options.idOf(item);
        missing.delete(id);
        const waiting = walk.wanted.get(id);
        if (waiting) {
          walk.wanted.delete(id);
          for (const follower of waiting) follower.take(id, item);
        }
      }
      if (!page.has_more || !page.last_id) this.exhausted = true;
      else this.after = page.last_id;
      asking = more() ? next() : null;
      this.keepWalked(items);
      if (!asking) return;
      // The batches work through what this page found (their resolvers complete it) in a turn of
      // their own, once the next page's request is on its way; the walk does not wait for that
      // turn, which may come after other pages' (the pages keep arriving meanwhile).
      for (const follower of walk.followers) {
        if (!follower.holds()) continue;
        void nextTurn().then(() => {
          if (generation === this.generation) follower.answer();
        });
      }
    }
  }
}
