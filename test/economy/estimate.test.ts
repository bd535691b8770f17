import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalOperations } from '../../bench/operations.js';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { CollectionSizes } from '../../src/upstream/collection-sizes.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { startHarness, type Harness } from '../support/harness.js';
import { run } from './helpers.js';

/** The operation the estimate used to refuse in an organization of a few workspaces. */
const WORKSPACES_WITH_MEMBERS_AND_KEYS = `{
  organization {
    workspaces(first: 100) {
      nodes {
        members(first: 1000) { nodes { id } }
        apiKeys(first: 1000) { nodes { id } }
      }
    }
  }
}`;

/** Reads every workspace, user and key once, so that their sizes are known. */
const LEARN_SIZES = `{
  organization {
    workspaces(first: 100) { nodes { id } }
    users(first: 1000) { nodes { id } }
    apiKeys(first: 1000) { nodes { id } }
  }
}`;

interface ExpensiveField {
  path: string;
  estimatedUpstreamRequests: number;
  suggestedFirst: number | null;
}

const expensiveFieldsOf = (result: Awaited<ReturnType<typeof run>>) =>
  result.errors?.[0]?.extensions?.expensiveFields as ExpensiveField[] | undefined;

describe('an estimate that knows the organization', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 50 } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCounts());

  it('refuses on a cold gateway, naming the costly fields and the page size that fits', async () => {
    const refused = await run(h.endpoint, WORKSPACES_WITH_MEMBERS_AND_KEYS);
    expect(refused.data).toBeUndefined();
    expect(h.upstream()).toEqual([]);
    expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_EXPENSIVE');
    // Nothing known: at most 100 active workspaces, each with a members page and a keys page.
    expect(refused.cost.estimatedUpstreamRequests).toBe(1 + 100 + 100);
    expect(expensiveFieldsOf(refused)).toEqual([
      { path: 'workspaces(first: 100)', estimatedUpstreamRequests: 201, suggestedFirst: 24 },
      {
        path: 'workspaces(first: 100) > members(first: 1000)',
        estimatedUpstreamRequests: 100,
        suggestedFirst: null,
      },
      {
        path: 'workspaces(first: 100) > apiKeys(first: 1000)',
        estimatedUpstreamRequests: 100,
        suggestedFirst: null,
      },
    ]);
    expect(refused.errors?.[0]?.message).toContain(
      'workspaces(first: 100): about 201 requests; workspaces(first: 24) would fit',
    );

    // The suggestion is the largest page that fits.
    const fits = WORKSPACES_WITH_MEMBERS_AND_KEYS.replace('first: 100', 'first: 24');
    expect(
      (await run(h.endpoint, fits.replace('first: 24', 'first: 25'))).errors?.[0]?.extensions?.code,
    ).toBe('OPERATION_TOO_EXPENSIVE');
    const accepted = await run(h.endpoint, fits);
    expect(accepted.errors).toBeUndefined();
  });

  it('accepts it once the sizes are known, estimating close to what it really costs', async () => {
    const learned = await run(h.endpoint, LEARN_SIZES);
    expect(learned.errors).toBeUndefined();
    const workspaces = (learned.data as { organization: { workspaces: { nodes: unknown[] } } })
      .organization.workspaces.nodes.length;
    const keys = h.sandbox.store.apiKeys.size;
    expect(keys).toBeLessThanOrEqual(1000);
    h.resetCounts();

    const result = await run(h.endpoint, WORKSPACES_WITH_MEMBERS_AND_KEYS);
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as { organization: { workspaces: { nodes: unknown[] } } })
      .organization.workspaces.nodes;
    expect(nodes).toHaveLength(workspaces);
    // One workspaces page, one members page per workspace, one walk of all keys.
    expect(result.cost.estimatedUpstreamRequests).toBe(1 + workspaces + 1);
    expect(result.cost.upstreamRequests).toBe(h.upstream().length);
    expect(result.cost.upstreamRequests).toBeLessThanOrEqual(result.cost.estimatedUpstreamRequests);
    expect(result.cost.estimatedUpstreamRequests).toBeLessThanOrEqual(
      2 * result.cost.upstreamRequests,
    );
  });

  it('forgets the sizes a write may change, until the lists are read again', async () => {
    await run(h.endpoint, LEARN_SIZES);
    expect((await run(h.endpoint, WORKSPACES_WITH_MEMBERS_AND_KEYS)).errors).toBeUndefined();
    const created = await run(
      h.endpoint,
      `mutation { createWorkspace(input: { name: "Cost Lab" }) { workspace { id } userErrors { code } } }`,
    );
    expect(created.errors).toBeUndefined();
    const refused = await run(h.endpoint, WORKSPACES_WITH_MEMBERS_AND_KEYS);
    expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_EXPENSIVE');
    await run(h.endpoint, LEARN_SIZES);
    const accepted = await run(h.endpoint, WORKSPACES_WITH_MEMBERS_AND_KEYS);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.cost.upstreamRequests).toBeLessThanOrEqual(
      accepted.cost.estimatedUpstreamRequests,
    );
  });

  it('prices lookups below a page by the collection they are made in', async () => {
    await run(h.endpoint, LEARN_SIZES);
    h.resetCounts();
    // 100 workspaces × 100 members used to be 10 000 user lookups in 11 list pages; the whole
    // users list is one page.
    const result = await run(
      h.endpoint,
      `{ organization { workspaces(first: 3) { nodes { members(first: 1000) { nodes { user { name } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.cost.estimatedUpstreamRequests).toBe(1 + 3 + 2);
    expect(result.cost.upstreamRequests).toBe(h.upstream().length);
    expect(result.cost.upstreamRequests).toBeLessThanOrEqual(result.cost.estimatedUpstreamRequests);
  });

  it('still refuses a truly huge operation once the sizes are known, with what would fit', async () => {
    await run(h.endpoint, LEARN_SIZES);
    h.resetCounts();
    const result = await run(
      h.endpoint,
      `{ organization { users(first: 1000) { nodes { apiKeys(after: "${Buffer.from('cursor:apikey_01AAAAAAAAAAAAAAAAAAAAAAAA').toString('base64url')}", first: 10) { nodes { id } } } } } }`,
    );
    expect(h.upstream()).toEqual([]);
    expect(result.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_EXPENSIVE');
    // Later pages of each user's keys are one request per user: 300 users.
    const users = h.sandbox.store.users.size;
    expect(result.cost.estimatedUpstreamRequests).toBe(1 + users);
    const [first] = expensiveFieldsOf(result) ?? [];
    expect(first).toEqual({
      path: 'users(first: 1000)',
      estimatedUpstreamRequests: 1 + users,
      suggestedFirst: 49,
    });
    expect(result.errors?.[0]?.message).toContain('users(first: 49) would fit');
  });
});

describe('estimates of the canonical operations (bench/operations.ts)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 1000 } });
  });
  afterAll(() => h.close());

  it('never go below what they really cost, cold or with the sizes known', async () => {
    const operations = canonicalOperations(h.sandbox.store);
    const seen: string[] = [];
    for (const round of ['cold', 'known']) {
      for (const operation of operations) {
        h.resetCounts();
        const result = await run(h.endpoint, operation.query, operation.variables ?? {});
        expect(result.errors, operation.key).toBeUndefined();
        const { estimatedUpstreamRequests: estimate, upstreamRequests: real } = result.cost;
        seen.push(`${round} ${operation.key}: ${estimate} for ${real}`);
        expect(real, operation.key).toBe(h.upstream().length);
        expect(estimate, `${round} ${operation.key}`).toBeGreaterThanOrEqual(real);
        if (round === 'known') expect(estimate, operation.key).toBeLessThanOrEqual(2 * real);
      }
      if (round === 'cold') await run(h.endpoint, LEARN_SIZES);
    }
    expect(seen).toHaveLength(2 * operations.length);
  });
});

describe('sizes learned from the shared cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 30 } });
  });
  afterAll(() => h.close());

  it('learns a size from a page the cache serves, as a replica sharing the cache would', async () => {
    const sizes = h.gateway.upstream.sizes;
    const fingerprint = gatewayCredential(DEFAULT_SANDBOX_KEY).fingerprint;
    await run(h.endpoint, `{ organization { users(first: 1000) { nodes { id } } } }`);
    expect(sizes.known(fingerprint).size('users')).toBe(h.sandbox.store.users.size);
    // Forgotten here (as by a replica that never read the list), still in the shared cache.
    sizes.forget(fingerprint, ['users']);
    h.resetCounts();
    const again = await run(
      h.endpoint,
      `{ organization { users(first: 1000) { nodes { name } } } }`,
    );
    expect(again.cost.cacheHits).toBeGreaterThan(0);
    expect(h.upstream()).toEqual([]);
    expect(sizes.known(fingerprint).size('users')).toBe(h.sandbox.store.users.size);
  });
});

describe('first pages of many parents served by one walk', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 1000 } });
  });
  afterAll(() => h.close());

  it.each([
    [
      "users' keys",
      `{ organization { users(first: 60) { nodes { apiKeys(first: 3) { nodes { id } } } } } }`,
    ],
    [
      "workspaces' active keys and their creators",
      `{ organization { workspaces(first: 20) { nodes { apiKeys(first: 10, status: ACTIVE) { nodes { createdBy { user { name } } } } } } } }`,
    ],
  ])('are estimated at least at what they cost: %s', async (_name, query) => {
    for (const round of ['cold', 'known']) {
      h.resetCounts();
      const result = await run(h.endpoint, query);
      expect(result.errors, round).toBeUndefined();
      expect(result.cost.upstreamRequests).toBe(h.upstream().length);
      expect(result.cost.estimatedUpstreamRequests, round).toBeGreaterThanOrEqual(
        result.cost.upstreamRequests,
      );
      if (round === 'known') {
        expect(result.cost.estimatedUpstreamRequests).toBeLessThanOrEqual(
          2 * result.cost.upstreamRequests + 2,
        );
      }
      await run(h.endpoint, LEARN_SIZES);
    }
  });
});

describe('totalCount in the estimate', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 1000 } });
  });
  afterAll(() => h.close());

  it.each([
    [
      'of a page that holds the whole list',
      `{ organization { invites(first: 1000) { totalCount } } }`,
    ],
    ['of a page that does not', `{ organization { users(first: 5) { totalCount } } }`],
    [
      'of filtered and nested lists',
      `{ organization {
          apiKeys(first: 5, status: ACTIVE) { totalCount }
          workspaces(first: 3) { totalCount nodes { members(first: 2) { totalCount } apiKeys(first: 2) { totalCount } } }
        } }`,
    ],
  ])(
    'is estimated at least at what it costs, %s, cold or with sizes known',
    async (_name, query) => {
      for (const round of ['cold', 'known']) {
        h.resetCounts();
        const result = await run(h.endpoint, query);
        expect(result.errors, round).toBeUndefined();
        expect(result.cost.upstreamRequests).toBe(h.upstream().length);
        expect(result.cost.estimatedUpstreamRequests, round).toBeGreaterThanOrEqual(
          result.cost.upstreamRequests,
        );
        await run(h.endpoint, LEARN_SIZES);
      }
    },
  );
});

describe('collection sizes', () => {
  const page = (count: number, hasMore: boolean, lastId = `id_${count}`) => ({
    data: Array.from({ length: count }, () => ({})),
    last_id: count ? lastId : null,
    has_more: hasMore,
  });

  it('learns a size from a whole unfiltered page or a walk to the end, per credential', () => {
    const sizes = new CollectionSizes();
    sizes.observe('a', 'users', { limit: 1000 }, page(300, false));
    sizes.observe('a', 'apiKeys', { limit: 1000 }, page(1000, true, 'key_1000'));
    expect(sizes.known('a').size('apiKeys')).toBeUndefined();
    sizes.observe('a', 'apiKeys', { limit: 1000, after_id: 'key_1000' }, page(403, false));
    expect(sizes.known('a').size('users')).toBe(300);
    expect(sizes.known('a').size('apiKeys')).toBe(1403);
    expect(sizes.known('b').size('users')).toBeUndefined();
  });

  it('learns nothing from filtered pages, pages that go on, or walks it did not see start', () => {
    const sizes = new CollectionSizes();
    sizes.observe('a', 'users', { limit: 1, email: 'x@example.com' }, page(1, false));
    sizes.observe('a', 'invites', { limit: 20 }, page(20, true));
    sizes.observe('a', 'apiKeys', { limit: 1000, after_id: 'key_9' }, page(3, false));
    sizes.observe('a', 'apiKeys', { limit: 20, status: 'active' }, page(3, false));
    const known = sizes.known('a');
    expect([known.size('users'), known.size('invites'), known.size('apiKeys')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('keeps active and all workspaces apart and knows the largest workspace once all are seen', () => {
    const sizes = new CollectionSizes();
    sizes.observe('a', 'workspaces', { limit: 100, include_archived: false }, page(2, false));
    expect(sizes.known('a').size('workspaces')).toBe(2);
    expect(sizes.known('a').size('archivedWorkspaces')).toBeUndefined();
    sizes.observe('a', 'members', { workspaceId: 'w1', limit: 1000 }, page(7, false));
    expect(sizes.known('a').largestWorkspace()).toBeUndefined();
    sizes.observe('a', 'members', { workspaceId: 'w2', limit: 1000 }, page(3, false));
    expect(sizes.known('a').largestWorkspace()).toBe(7);
  });

  it('forgets the collections a write touched, for that credential only', () => {
    const sizes = new CollectionSizes();
    for (const credential of ['a', 'b']) {
      sizes.observe(credential, 'users', { limit: 1000 }, page(5, false));
      sizes.observe(
        credential,
        'workspaces',
        { limit: 1000, include_archived: true },
        page(3, false),
      );
      sizes.observe(credential, 'members', { workspaceId: 'w1', limit: 1000 }, page(2, false));
    }
    sizes.forget('a', ['workspaces', 'members']);
    const a = sizes.known('a');
    expect([a.size('users'), a.size('archivedWorkspaces'), a.largestWorkspace()]).toEqual([
      5,
      undefined,
      undefined,
    ]);
    expect(sizes.known('b').size('archivedWorkspaces')).toBe(3);
  });

  it('forgets sizes after a while and remembers a bounded number of credentials', () => {
    let now = 0;
    const sizes = new CollectionSizes({ ttlMs: 1000, maxCredentials: 2, now: () => now });
    sizes.observe('a', 'users', { limit: 1000 }, page(5, false));
    now = 999;
    expect(sizes.known('a').size('users')).toBe(5);
    now = 1001;
    expect(sizes.known('a').size('users')).toBeUndefined();
    sizes.observe('a', 'users', { limit: 1000 }, page(6, false));
    sizes.observe('b', 'users', { limit: 1000 }, page(7, false));
    sizes.observe('c', 'users', { limit: 1000 }, page(8, false));
    expect(sizes.known('a').size('users')).toBeUndefined();
    expect(sizes.known('c').size('users')).toBe(8);
  });
});
