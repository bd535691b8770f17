import { MAX_PAGE_SIZE } from './batch.js';
import type { AdminPage, AdminUser, UserListQuery } from '../upstream/types.js';

/** Lower-cased address with any `+tag` in the local part dropped. */
export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at).split('+')[0] ?? '';
  return `${local}${lower.slice(at)}`;
}

/**
 * Members by email address, for report rows that name their actor by email (Claude Code usage).
 * The Admin API finds a member by email with a users list filtered by `email`: one request per
 * address. When a page of rows names several addresses at once, one walk of the whole users list
 * (1000 a request, the same pages the id lookups walk) answers them all instead; an address the
 * walk did not reach is asked on its own. Matching is the users `email` filter's: case-insensitive,
 * a `+tag` in the local part ignored.
 */
export async function usersByEmailBatch(
  listUsers: (query: UserListQuery) => Promise<AdminPage<AdminUser>>,
  emails: readonly string[],
): Promise<(AdminUser | null)[]> {
  // Each wanted address by its normalized form, as first given.
  const wanted = new Map<string, string>();
  for (const email of emails) {
    const key = normalizeEmail(email);
    if (!wanted.has(key)) wanted.set(key, email);
  }
  const found = new Map<string, AdminUser>();
  let complete = false;
  if (wanted.size >= 2) {
    let after: string | undefined;
    // Each page costs one request: stop before listing could cost more than asking one by one.
    for (let pages = 0; pages < wanted.size - 1; pages++) {
      const page = await listUsers(
        after ? { limit: MAX_PAGE_SIZE, after_id: after } : { limit: MAX_PAGE_SIZE },
      );
      for (const user of page.data) {
        const key = normalizeEmail(user.email);
        if (wanted.has(key)) found.set(key, user);
      }
      const last = page.data.at(-1);
      if (!page.has_more || !last) {
        complete = true;
        break;
      }
      if (found.size === wanted.size) break;
      after = last.id;
    }
  }
  const missing = complete ? [] : [...wanted].filter(([key]) => !found.has(key));
  await Promise.all(
    missing.map(async ([key, email]) => {
      const page = await listUsers({ email, limit: 1 });
      if (page.data[0]) found.set(key, page.data[0]);
    }),
  );
  return emails.map((email) => found.get(normalizeEmail(email)) ?? null);
}
