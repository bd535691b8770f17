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

/** A list of `total` items served a page at a time, each page when the test releases it. */
function controlledList(total: number, log: string[]) {
  const pending: Pending[] = [];
  const gets: string[] = [];
  const collection = new ListedCollection<Item>({
    idOf: (item) => item.id,
    getOne: (id) => {
      gets.push(id);
      return Promise.resolve({ id });
    },
    listPage: (query) => {
      log.push(`ask ${query.after_id ?? 'start'}`);
      return new Promise((resolve) => pending.push({ query, resolve }));
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
