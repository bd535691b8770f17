import { afterAll, afterEach, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { describe, postGraphQL, startHarness, type Harness } from '../support/harness.js';

interface UsersPage {
  organization: {
    users: {
      totalCount?: number | null;
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    };
  };
}

const USERS = `query ($first: Int, $after: String, $last: Int, $before: String) {
  organization { users(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  } }
}`;

/** Every user, in list order, as the sandbox holds them. */
function usersInOrder(h: Harness): string[] {
  return [...h.sandbox.store.users.values()]
    .sort((a, b) => b.addedAt - a.addedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((user) => user.id);
}

async function walkForward(h: Harness, first: number, query = USERS) {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const data: UsersPage = await h.client.request<UsersPage>(query, {
      first,
      ...(after ? { after } : {}),
    });
    pages++;
    seen.push(...data.organization.users.edges.map((e) => e.node.id));
    if (!data.organization.users.pageInfo.hasNextPage) return { seen, pages, last: data };
    after = data.organization.users.pageInfo.endCursor;
    if (pages > 1000) throw new Error('no end');
  }
}

group('cursors whose item was removed (cache off)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  it('paging on after the cursor item was removed skips nothing and repeats nothing', async () => {
    const reference = usersInOrder(h);
    const first = await h.client.request<UsersPage>(USERS, { first: 5 });
    const served = first.organization.users.edges.map((e) => e.node.id);
    expect(served).toEqual(reference.slice(0, 5));
    // The item the cursor names leaves the organization between the two pages.
    h.sandbox.store.users.delete(served[4]!);
    const next = await h.client.request<UsersPage>(USERS, {
      first: 5,
      after: first.organization.users.pageInfo.endCursor,
    });
    expect(next.organization.users.edges.map((e) => e.node.id)).toEqual(reference.slice(5, 10));
    expect(next.organization.users.pageInfo.hasPreviousPage).toBe(true);
  });

  it('when the item and its neighbours are all gone, the cursor is refused with a clear message', async () => {
    const first = await h.client.request<UsersPage>(USERS, { first: 5 });
    for (const edge of first.organization.users.edges) h.sandbox.store.users.delete(edge.node.id);
    const { body } = await postGraphQL(h.endpoint, {
      query: USERS,
      variables: { first: 5, after: first.organization.users.pageInfo.endCursor },
    });
    expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toMatch(/page again from the beginning/);
  });

  it('paging backwards from a removed item continues before it', async () => {
    const reference = usersInOrder(h);
    const whole = await h.client.request<UsersPage>(USERS, { first: 20 });
    const edges = whole.organization.users.edges;
    const before = edges[10]!;
    h.sandbox.store.users.delete(before.node.id);
    const page = await h.client.request<UsersPage>(USERS, { last: 4, before: before.cursor });
    expect(page.organization.users.edges.map((e) => e.node.id)).toEqual(reference.slice(6, 10));
  });

  it('a cursor of one connection is refused by another kind', async () => {
    const keys = await h.client.request<{
      organization: { apiKeys: { pageInfo: { endCursor: string } } };
    }>(`{ organization { apiKeys(first: 2) { pageInfo { endCursor } } } }`);
    const { body } = await postGraphQL(h.endpoint, {
      query: USERS,
      variables: { first: 5, after: keys.organization.apiKeys.pageInfo.endCursor },
    });
    expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream().filter((r) => r.path.endsWith('/users'))).toEqual([]);
  });
});

// Walks of 30 to 43 pages: two minutes each, not the default 20 s, as a busy machine needs.
group('page size independent of cost (cache on)', { timeout: 120_000 }, () => {
  // A fresh gateway (and so an empty cache) per test, so that no test depends on what an earlier
  // one cached; a TTL far longer than any run, so that none depends on how fast the machine is.
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 3_600 } });
  });
  afterEach(() => h.close());

  it('300 users with first: 7 cost exactly one upstream request', async () => {
    h.resetCounts();
    const reference = usersInOrder(h);
    expect(reference).toHaveLength(300);
    const { seen, pages } = await walkForward(h, 7);
    expect(pages).toBe(43);
    expect(seen).toEqual(reference);
    expect(h.upstream().map(describe)).toEqual(['GET /v1/organizations/users?limit=1000']);
  });

  it('paging forward then backward gives the same items, none skipped or repeated', async () => {
    const reference = usersInOrder(h);
    const { last } = await walkForward(h, 9);
    let before = last.organization.users.edges.at(-1)!.cursor;
    const seen = [last.organization.users.edges.at(-1)!.node.id];
    h.resetCounts();
    const counted = USERS.replace('edges {', 'totalCount edges {');
    for (let pages = 0; pages < 100; pages++) {
      const data = await h.client.request<UsersPage>(counted, { last: 11, before });
      expect(data.organization.users.totalCount).toBe(reference.length);
      const edges = data.organization.users.edges;
      seen.unshift(...edges.map((e) => e.node.id));
      if (!data.organization.users.pageInfo.hasPreviousPage) break;
      before = edges[0]!.cursor;
    }
    expect(seen).toEqual(reference);
    // Backward pages, and their counts, come out of the one cached full page too.
    expect(h.upstream()).toEqual([]);
  });

  it('a workspace’s keys page on from a shared first page, then from one full page', async () => {
    const production = FIXTURE_IDS.productionWorkspace;
    const expected = [...h.sandbox.store.apiKeys.values()]
      .filter((k) => k.workspaceId === production)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((k) => k.id);
    expect(expected.length).toBeGreaterThan(8);
    h.resetCounts();
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const data: {
        workspace: {
          apiKeys: {
            nodes: { id: string }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      } = await h.client.request(
        `query ($ws: ID!, $after: String) {
          workspace(id: $ws) { apiKeys(first: 4, after: $after) {
            nodes { id } pageInfo { hasNextPage endCursor }
          } }
        }`,
        { ws: production, after },
      );
      seen.push(...data.workspace.apiKeys.nodes.map((n) => n.id));
      if (!data.workspace.apiKeys.pageInfo.hasNextPage) break;
      after = data.workspace.apiKeys.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const keyCalls = h.upstream().filter((r) => r.path.endsWith('/api_keys'));
    expect(keyCalls.length).toBeLessThanOrEqual(2);
  });

  it('totalCount equals the number of items paged, and is free for a list read whole', async () => {
    // One page read fetches the whole list (one upstream request) into the cache.
    await h.client.request<UsersPage>(USERS, { first: 7 });
    expect(h.upstream().map(describe)).toEqual(['GET /v1/organizations/users?limit=1000']);
    h.resetCounts();
    const query = USERS.replace('edges {', 'totalCount edges {');
    const { seen, last } = await walkForward(h, 25, query);
    expect(last.organization.users.totalCount).toBe(seen.length);
    expect(seen).toHaveLength(300);
    expect(h.upstream()).toHaveLength(0);
  });
});

group('totalCount walks the list when no page showed it whole (cache off)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a count shares its list pages with the lookups of the same request', async () => {
    const invites = [...h.sandbox.store.invites.values()].filter((i) => i.status !== 'deleted');
    h.resetCounts();
    const data = await h.client.request<{
      organization: { invites: { totalCount: number } };
      nodes: ({ id: string } | null)[];
    }>(
      `query ($ids: [ID!]!) {
        organization { invites(first: 2) { totalCount } }
        nodes(ids: $ids) { id }
      }`,
      { ids: invites.slice(0, 3).map((i) => i.id) },
    );
    expect(data.organization.invites.totalCount).toBe(invites.length);
    expect(data.nodes.map((n) => n?.id)).toEqual(invites.slice(0, 3).map((i) => i.id));
    expect(h.upstream().map(describe).sort()).toEqual(
      ['GET /v1/organizations/invites?limit=2', 'GET /v1/organizations/invites?limit=1000'].sort(),
    );
  });

  it('counts every key of the organization and of a workspace', async () => {
    h.resetCounts();
    const data = await h.client.request<{
      organization: { apiKeys: { totalCount: number; nodes: unknown[] } };
      workspace: { apiKeys: { totalCount: number } };
    }>(
      `query ($ws: ID!) {
        organization { apiKeys(first: 3) { totalCount nodes { id } } }
        workspace(id: $ws) { apiKeys(first: 2) { totalCount } }
      }`,
      { ws: FIXTURE_IDS.productionWorkspace },
    );
    const store = h.sandbox.store;
    expect(data.organization.apiKeys.nodes).toHaveLength(3);
    expect(data.organization.apiKeys.totalCount).toBe(store.apiKeys.size);
    expect(data.workspace.apiKeys.totalCount).toBe(
      [...store.apiKeys.values()].filter((k) => k.workspaceId === FIXTURE_IDS.productionWorkspace)
        .length,
    );
  });
});
