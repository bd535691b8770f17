import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { newestFirst } from '../../src/sandbox/transport/pagination.js';
import { growOrganization, ORGANIZATION_SIZES } from '../../src/sandbox/seed.js';
import type { EffectiveMember, UserRecord } from '../../src/sandbox/store.js';
import { del, get, post, start } from '../sandbox/helpers.js';

/**
 * The emulator keeps its lists sorted between writes, finds cursors by bisection and indexes
 * memberships per workspace: the pages must stay exactly what a full filter-and-sort gives.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  growOrganization(sandbox.store, sandbox.store.clock.anchor, ORGANIZATION_SIZES.medium);
});

const byUserAddedAt = newestFirst<UserRecord>(
  (u) => u.addedAt,
  (u) => u.id,
);
const byMemberAddedAt = newestFirst<EffectiveMember>(
  (m) => m.addedAt,
  (m) => m.userId,
);

/** Every id of a list, walked forward with after_id, and the pages it took. */
async function walk(path: string, limit: number, idOf: (item: never) => string) {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const query: string = `limit=${limit}${after ? `&after_id=${after}` : ''}`;
    const answer = await get(sandbox, `${path}${path.includes('?') ? '&' : '?'}${query}`);
    expect(answer.status).toBe(200);
    pages++;
    ids.push(...(answer.body.data as never[]).map(idOf));
    if (!answer.body.has_more) return { ids, pages };
    after = answer.body.last_id as string;
  }
}

/** Effective members computed the slow way: every user of the organization checked. */
function referenceMembers(workspaceId: string): string[] {
  const { store } = sandbox;
  const ws = store.workspaces.get(workspaceId)!;
  return [...store.users.keys()]
    .map((id) => store.member(ws, id))
    .filter((m): m is EffectiveMember => m !== undefined)
    .sort(byMemberAddedAt)
    .map((m) => m.userId);
}

describe('emulator lists of a grown organization', () => {
  it('pages users forward and backward exactly as the full sorted list, across writes', async () => {
    const expected = () => [...sandbox.store.users.values()].sort(byUserAddedAt).map((u) => u.id);
    expect((await walk('/v1/organizations/users', 333, (u: { id: string }) => u.id)).ids).toEqual(
      expected(),
    );
    const all = expected();
    const middle = all[1000]!;
    const before = await get(sandbox, `/v1/organizations/users?limit=7&before_id=${middle}`);
    expect(before.body.data.map((u: { id: string }) => u.id)).toEqual(all.slice(993, 1000));
    expect(before.body.has_more).toBe(true);

    // A write changes the order: the cached order follows.
    const removed = all[500]!;
    expect((await del(sandbox, `/v1/organizations/users/${removed}`)).status).toBe(200);
    const after = await get(sandbox, `/v1/organizations/users?limit=3&after_id=${all[498]}`);
    expect(after.body.data.map((u: { id: string }) => u.id)).toEqual([
      all[499],
      all[501],
      all[502],
    ]);
    // A removed user is no cursor any more.
    expect((await get(sandbox, `/v1/organizations/users?after_id=${removed}`)).status).toBe(400);
  });

  it('lists each workspace’s members as checking every user would, and follows role changes', async () => {
    const ws = FIXTURE_IDS.productionWorkspace;
    const path = `/v1/organizations/workspaces/${ws}/members`;
    const idOf = (m: { user_id: string }) => m.user_id;
    expect((await walk(path, 250, idOf)).ids).toEqual(referenceMembers(ws));

    // A user with no membership of this workspace becomes billing: inherited, so now listed.
    const outsider = [...sandbox.store.users.values()].find(
      (u) => u.role === 'developer' && !sandbox.store.memberships.get(ws)?.has(u.id),
    )!;
    expect((await walk(path, 1000, idOf)).ids).not.toContain(outsider.id);
    expect(
      (await post(sandbox, `/v1/organizations/users/${outsider.id}`, { role: 'billing' })).status,
    ).toBe(200);
    const promoted = (await walk(path, 1000, idOf)).ids;
    expect(promoted).toContain(outsider.id);
    expect(promoted).toEqual(referenceMembers(ws));

    expect(
      (await post(sandbox, `/v1/organizations/users/${outsider.id}`, { role: 'developer' })).status,
    ).toBe(200);
    const demoted = (await walk(path, 1000, idOf)).ids;
    expect(demoted).not.toContain(outsider.id);
    expect(demoted).toEqual(referenceMembers(ws));
  });
});
