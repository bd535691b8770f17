import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { DASHBOARD, run } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 50 } });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

describe('cost analysis before execution', () => {
  it.each([
    {
      name: 'a users page',
      query: `{ organization { users(first: 50) { nodes { id } } } }`,
      estimate: 1,
    },
    { name: 'the organization name', query: `{ organization { name } }`, estimate: 1 },
    {
      name: 'workspaces → members → user',
      query: `{ organization { workspaces(first: 5) { nodes { members(first: 10) { nodes { user { name } } } } } } }`,
      // 1 workspaces page + 5 members pages + users: one list page (+1 for a first lone lookup).
      estimate: 1 + 5 + 2,
    },
    { name: 'a lookup', query: `{ user(id: "${FIXTURE_IDS.adminUser}") { name } }`, estimate: 1 },
    {
      name: 'nodes of three kinds',
      query: `{ nodes(ids: ["${FIXTURE_IDS.adminUser}", "${FIXTURE_IDS.productionWorkspace}", "${FIXTURE_IDS.activeApiKey}"]) { id } }`,
      estimate: 3,
    },
    { name: 'rateLimit alone', query: `{ rateLimit { remaining } }`, estimate: 0 },
  ])(
    'estimates $name at $estimate and never below what it really costs',
    async ({ query, estimate }) => {
      const result = await run(h.endpoint, query);
      expect(result.errors).toBeUndefined();
      expect(result.cost.estimatedUpstreamRequests).toBe(estimate);
      expect(result.cost.upstreamRequests).toBe(h.upstream().length);
      expect(result.cost.upstreamRequests).toBeLessThanOrEqual(estimate);
    },
  );

  it('multiplies nested page sizes and counts fragments and variables', async () => {
    const result = await run(
      h.endpoint,
      `query ($n: Int!) { organization { ...W } }
       fragment W on Organization { workspaces(first: $n) { nodes { apiKeys(first: 3) { nodes { id } } } } }`,
      { n: 4 },
    );
    expect(result.cost.estimatedUpstreamRequests).toBe(1 + 4);
    // The estimate is an upper bound: the four workspaces' first pages of keys share one walk.
    expect(result.cost.upstreamRequests).toBe(2);
  });

  it('refuses an operation above the limit before it runs, naming the estimate and the limit', async () => {
    const result = await run(
      h.endpoint,
      `{ organization { workspaces(first: 100) { nodes { members(first: 100) { nodes { user { name } } } } } } }`,
    );
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_TOO_EXPENSIVE',
      maxUpstreamRequestsPerOperation: 50,
    });
    // 1 workspaces page + 100 members pages + the user lookups: one or two list pages once the
    // users are known (earlier tests here read them all), 11 before (test/economy/estimate.test.ts).
    const estimate = result.errors?.[0]?.extensions?.estimatedUpstreamRequests as number;
    expect(estimate).toBeGreaterThanOrEqual(103);
    expect(estimate).toBeLessThanOrEqual(112);
    expect(result.errors?.[0]?.message).toContain(`about ${estimate} upstream requests`);
    expect(result.errors?.[0]?.message).toContain('50');
    expect(h.upstream()).toEqual([]);
  });

  it('refuses nodes with more than 100 ids before any upstream call', async () => {
    const ids = Array.from({ length: 101 }, () => FIXTURE_IDS.adminUser);
    const result = await run(h.endpoint, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids,
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('at most 100');
    expect(h.upstream()).toEqual([]);
  });

  it('puts extensions.cost on every response, mutations and errors included', async () => {
    const dashboard = await run(h.endpoint, DASHBOARD);
    expect(dashboard.cost.upstreamRequests).toBe(h.upstream().length);
    expect(dashboard.cost.estimatedUpstreamRequests).toBeGreaterThanOrEqual(
      dashboard.cost.upstreamRequests,
    );
    const failed = await run(h.endpoint, `{ user(id: "not-an-id") { id } }`);
    expect(failed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(failed.cost.upstreamRequests).toBe(0);
    const mutation = await run(
      h.endpoint,
      `mutation { updateApiKey(input: { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "x" }) { userErrors { code } } }`,
    );
    expect(mutation.cost).toMatchObject({ estimatedUpstreamRequests: 1, upstreamRequests: 1 });
  });
});
