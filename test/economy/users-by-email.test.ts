import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import type { Loaders } from '../../src/loaders/index.js';
import type { AdminPage, AdminUser, UserListQuery } from '../../src/upstream/types.js';
import { normalizeEmail, usersByEmailBatch } from '../../src/loaders/users-by-email.js';

const user = (id: number, email: string) => ({ id: `user_${id}`, email }) as AdminUser;

/** Loaders whose users list pages come from `all`, in pages of `pageSize`, recording each call. */
function fakeLoaders(all: AdminUser[], pageSize = 1000) {
  const calls: UserListQuery[] = [];
  const users = async (query: UserListQuery): Promise<AdminPage<AdminUser>> => {
    calls.push(query);
    if (query.email !== undefined) {
      const wanted = query.email.toLowerCase().replace(/\+[^@]*@/, '@');
      const data = all.filter((u) => u.email.toLowerCase() === wanted).slice(0, 1);
      return { data, first_id: null, last_id: null, has_more: false };
    }
    const start = query.after_id ? all.findIndex((u) => u.id === query.after_id) + 1 : 0;
    const data = all.slice(start, start + Math.min(pageSize, query.limit ?? 20));
    return {
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + data.length < all.length,
    };
  };
  const usersByEmail = new DataLoader(
    (emails: readonly string[]) => usersByEmailBatch(users, emails),
    {
      cacheKeyFn: normalizeEmail,
    },
  );
  return { loaders: { pages: { users }, usersByEmail } as unknown as Loaders, calls };
}

describe('users by email', () => {
  it('asks a lone address with the email filter', async () => {
    const { loaders, calls } = fakeLoaders([user(1, 'ana@example.com')]);
    expect((await loaders.usersByEmail.load('ana@example.com'))?.id).toBe('user_1');
    expect(calls).toEqual([{ email: 'ana@example.com', limit: 1 }]);
  });

  it('answers several addresses from one walk, ignoring case and +tags; others are null', async () => {
    const { loaders, calls } = fakeLoaders([
      user(1, 'ana@example.com'),
      user(2, 'Ben@Example.com'),
      user(3, 'cy@example.com'),
    ]);
    const found = await Promise.all(
      ['ana+ci@example.com', 'ben@example.com', 'gone@example.com', 'ANA@example.com'].map(
        (email) => loaders.usersByEmail.load(email),
      ),
    );
    expect(found.map((u) => u?.id ?? null)).toEqual(['user_1', 'user_2', null, 'user_1']);
    expect(calls).toEqual([{ limit: 1000 }]);
  });

  it('stops walking before it costs more than asking one by one', async () => {
    const all = Array.from({ length: 10 }, (_, i) => user(i, `u${i}@example.com`));
    const { loaders, calls } = fakeLoaders(all, 2);
    const found = await Promise.all(
      ['u9@example.com', 'u8@example.com'].map((email) => loaders.usersByEmail.load(email)),
    );
    expect(found.map((u) => u?.id)).toEqual(['user_9', 'user_8']);
    // One page (two addresses: at most one page), then the filter for what it did not show.
    expect(calls).toEqual([
      { limit: 1000 },
      { email: 'u9@example.com', limit: 1 },
      { email: 'u8@example.com', limit: 1 },
    ]);
  });
});
