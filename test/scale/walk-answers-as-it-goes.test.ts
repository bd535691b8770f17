import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { ListedCollection } from '../../src/loaders/batch.js';
import { turnsWaiting } from '../../src/upstream/turns.js';
import type { AdminPage, PageQuery } from '../../src/upstream/types.js';

/**
 * Lookups of thousands of users (every workspace's members' users) walk the whole users list,
 * 20 pages at 20,000 users. The walk asks for its next page before it works through the page it
 * got, and answers what each page found while the next one is in flight, so that the resolvers
 * waiting on it go on page by page instead of all at once at the end. The answers take turns of
 * the event loop (src/upstream/turns.ts), which the walk does not wait for.
 */
interface Item {
  id: string;
}

interface Pending {
  query: PageQuery;
  resolve: (page: AdminPage<Item>) => void;
}

const PAGE = 1000;
const idAt = (index: number) => `user_${String(index).padStart(6, '0')}`;

/**
 * A list of `total` items served a page at a time, each page when the test releases it. `tracked`:
 * every page is read as the loaders read them (src/loaders/index.ts `listed`): tracked by the
 * collection, and a page asked for twice in the request asked for once.
 */
function controlledList(total: number, log: string[], tracked = false) {
  const pending: Pending[] = [];
  const gets: string[] = [];
  const asked = new Map<string, Promise<AdminPage<Item>>>();
  const ask = (query: PageQuery) => {
    log.push(`ask ${query.after_id ?? 'start'}`);
    return new Promise<AdminPage<Item>>((resolve) => pending.push({ query, resolve }));
  };
  const collection: ListedCollection<Item> = new ListedCollection<Item>({
    idOf: (item) => item.id,
    getOne: (id) => {
      gets.push(id);
      return Promise.resolve({ id });
    },
    listPage: (query) => {
      if (!tracked) return ask(query);
      const key = query.after_id ?? 'start';
      const page = asked.get(key) ?? collection.track(ask(query), !query.after_id);
      asked.set(key, page);
      return page;
    },
  });
  /** Releases the oldest page asked for. */
  const release = () => {
    const next = pending.shift()!;
    const start = next.query.after_id ? Number(next.query.after_id.slice(5)) + 1 : 0;
    const data = Array.from({ length: Math.min(PAGE, total - start) }, (_, i) => ({
      id: idAt(start + i),
    }));
    next.resolve({
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + PAGE < total,
    });
  };
  return { collection, pending, gets, release };
}

/** Lets every pending promise callback, queued immediate and waiting turn run. */
const settle = async () => {
  do await new Promise((resolve) => setImmediate(resolve));
  while (turnsWaiting() > 0);
};

/** Lets pending promise callbacks run, but no immediate or turn of the event loop. */
const microtasks = async () => {
  for (let hop = 0; hop < 20; hop++) await Promise.resolve();
};

describe('a long walk answers as it goes', () => {
  it('asks for the next page first, then answers what the page found', async () => {
    const log: string[] = [];
    const list = controlledList(3 * PAGE, log);
    const loader = new DataLoader(list.collection.load);
    // Three wanted ids on each of the three pages.
    const wanted = [0, 1, 2, 0, 1, 2].flatMap((page, i) => idAt(page * PAGE + i * 7));
    const answered = new Set<string>();
    const done = Promise.all(
      wanted.map((id) =>
        loader.load(id).then((item) => {
          log.push(`answer ${item?.id}`);
          answered.add(item!.id);
        }),
      ),
    );
    await settle();
    expect(log).toEqual(['ask start']);

    list.release();
    await settle();
    // The second page was asked for before the first page's ids were answered.
    const firstAnswer = log.findIndex((entry) => entry.startsWith('answer'));
    expect(log.indexOf(`ask ${idAt(PAGE - 1)}`)).toBeGreaterThan(0);
    expect(log.indexOf(`ask ${idAt(PAGE - 1)}`)).toBeLessThan(firstAnswer);
    // The first page's ids are answered while the second page is in flight; the others wait.
    expect([...answered].sort()).toEqual(wanted.filter((id) => id < idAt(PAGE)).sort());

    list.release();
    await settle();
    expect(answered.size).toBe(wanted.filter((id) => id < idAt(2 * PAGE)).length);

    list.release();
    await done;
    expect(answered.size).toBe(new Set(wanted).size);
    expect(list.pending).toHaveLength(0);
    expect(list.gets).toEqual([]);
  });

  it('answers a batch together when the walk ends on its first page', async () => {
    const log: string[] = [];
    const list = controlledList(10, log);
    const loader = new DataLoader(list.collection.load);
    const listed = idAt(3);
    const unlisted = 'user_999999';
    let listedAnswered = false;
    const lookups = Promise.all([
      loader.load(listed).then(() => (listedAnswered = true)),
      loader.load(unlisted),
    ]);
    await settle();
    list.release();
    await lookups;
    expect(listedAnswered).toBe(true);
    // The unlisted id was fetched by GET; the listed one was answered only with it, as one batch
    // is (so that what their resolvers look up next is batched together too).
    expect(list.gets).toEqual([unlisted]);
    const order = log.filter((entry) => entry.startsWith('ask'));
    expect(order).toEqual(['ask start']);
  });

  it('a batch that arrives during the walk is answered from the pages it lists', async () => {
    const log: string[] = [];
    const list = controlledList(3 * PAGE, log);
    const loader = new DataLoader(list.collection.load);
    // Two ids on each page: worth walking all three.
    const first = [0, 1, 2].flatMap((page) => [idAt(page * PAGE + 5), idAt(page * PAGE + 9)]);
    const firstDone = loader.loadMany(first);
    await settle();
    list.release();
    await settle();
    // Arrives while the second page is in flight: one id on the first page, one on the third.
    const lateAnswers: string[] = [];
    const late = [idAt(6), idAt(2 * PAGE + 6)].map((id) =>
      loader.load(id).then((item) => lateAnswers.push(item!.id)),
    );
    await settle();
    list.release();
    await settle();
    // The walk goes on to the third page: what it listed so far is answered.
    expect(lateAnswers).toEqual([idAt(6)]);
    list.release();
    await Promise.all([firstDone, ...late]);
    expect(lateAnswers).toEqual([idAt(6), idAt(2 * PAGE + 6)]);
    expect(list.gets).toEqual([]);
    expect(log.filter((entry) => entry.startsWith('ask'))).toHaveLength(3);
  });

  it('asks for its next pages without waiting for the turns in which its batches are answered', async () => {
    const log: string[] = [];
    const list = controlledList(3 * PAGE, log);
    const loader = new DataLoader(list.collection.load);
    const wanted = [0, 1, 2].flatMap((page) => [idAt(page * PAGE + 3), idAt(page * PAGE + 8)]);
    const answered: string[] = [];
    const done = Promise.all(
      wanted.map((id) => loader.load(id).then((item) => answered.push(item!.id))),
    );
    await settle();
    // Two pages arrive before the event loop takes another turn.
    list.release();
    await microtasks();
    list.release();
    await microtasks();
    expect(log).toEqual(['ask start', `ask ${idAt(PAGE - 1)}`, `ask ${idAt(2 * PAGE - 1)}`]);
    expect(answered).toEqual([]);
    await settle();
    // Both pages' ids are answered in their turns while the third page is in flight.
    expect([...answered].sort()).toEqual(wanted.filter((id) => id < idAt(2 * PAGE)).sort());
    list.release();
    await done;
    expect([...answered].sort()).toEqual([...wanted].sort());
    expect(list.gets).toEqual([]);
  });
});

describe('a first page asked for ahead of the lookups (prefetch)', () => {
  /** Releases every page asked for, and again for the pages those lead to, until none is left. */
  const drain = async (list: ReturnType<typeof controlledList>) => {
    await settle();
    while (list.pending.length > 0) {
      list.release();
      await settle();
    }
  };

  it('counts as a page of the walk: the batch costs at most its GETs plus one page', async () => {
    const log: string[] = [];
    const list = controlledList(20 * PAGE, log, true);
    list.collection.prefetch();
    // Four ids on pages 2, 5, 9 and 14: none on the prefetched first page. Listing on after it
    // would find one on page 2, none on page 3, and then GET the three left: 6 requests.
    const wanted = [2, 5, 9, 14].map((page) => idAt((page - 1) * PAGE + 17));
    const loader = new DataLoader(list.collection.load);
    const answers = Promise.all(wanted.map((id) => loader.load(id)));
    await drain(list);
    expect((await answers).map((item) => item?.id)).toEqual(wanted);
    expect(log).toEqual(['ask start']);
    expect(list.gets.sort()).toEqual([...wanted].sort());
  });

  it('pays for the ids it answered at once too (listedItem), as if they were of the batch', async () => {
    const log: string[] = [];
    const list = controlledList(20 * PAGE, log, true);
    list.collection.prefetch();
    await drain(list);
    // Two lookups answered from the prefetched page without a batch (as a member's user is).
    for (const id of [idAt(3), idAt(4)]) expect(list.collection.listedItem(id)?.id).toBe(id);
    // Then a batch of three ids on pages 2, 3 and 4: the page answered five lookups, so listing on
    // pays for itself while pages spent plus ids missing are at most five.
    const wanted = [2, 3, 4].map((page) => idAt((page - 1) * PAGE + 9));
    const loader = new DataLoader(list.collection.load);
    const answers = Promise.all(wanted.map((id) => loader.load(id)));
    await drain(list);
    expect((await answers).map((item) => item?.id)).toEqual(wanted);
    expect(log).toEqual(['ask start', `ask ${idAt(PAGE - 1)}`, `ask ${idAt(2 * PAGE - 1)}`]);
    expect(list.gets).toEqual([wanted[2]]);
  });

  it('a walk goes on after it while its pages pay for themselves', async () => {
    const log: string[] = [];
    const list = controlledList(3 * PAGE, log, true);
    list.collection.prefetch();
    // Two ids on each page: the walk lists the two pages after the prefetched one.
    const wanted = [0, 0, 1, 1, 2, 2].map((page, i) => idAt(page * PAGE + i));
    const loader = new DataLoader(list.collection.load);
    const answers = Promise.all(wanted.map((id) => loader.load(id)));
    await drain(list);
    expect((await answers).map((item) => item?.id)).toEqual(wanted);
    expect(log).toEqual(['ask start', `ask ${idAt(PAGE - 1)}`, `ask ${idAt(2 * PAGE - 1)}`]);
    expect(list.gets).toEqual([]);
  });
});
