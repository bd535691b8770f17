import { DASHBOARD } from '../../bench/operations.js';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { newestFirst } from '../../src/sandbox/transport/pagination.js';
import { growOrganization, ORGANIZATION_SIZES } from '../../src/sandbox/seed.js';
import type { UserRecord } from '../../src/sandbox/store.js';
import { describe, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const NODES = /* GraphQL */ `
  query Nodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on User {
        email
      }
    }
  }
`;

/** `count` user ids spread evenly over the users list, in list order (newest first). */
function spreadUserIds(h: Harness, count: number): string[] {
  const users = [...h.sandbox.store.users.values()].sort(
    newestFirst<UserRecord>(
      (u) => u.addedAt,
      (u) => u.id,
    ),
  );
  const step = Math.floor(users.length / count);
  return Array.from({ length: count }, (_, index) => users[index * step]!.id);
}

async function lookUp(h: Harness, ids: string[]): Promise<string[]> {
  h.resetCounts();
  const answer = await postGraphQL(h.endpoint, { query: NODES, variables: { ids } });
  expect(answer.body.errors).toBeUndefined();
  const nodes = (answer.body.data as { nodes: ({ id: string } | null)[] }).nodes;
  expect(nodes.map((node) => node?.id)).toEqual(ids);
  return h.upstream().map(describe);
}

for (const [size, ceiling] of [
  ['large', 17],
  ['medium', 2],
] as const) {
  group(`nodes over 16 users of a ${size} organization`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      const { store } = h.sandbox;
      growOrganization(store, store.clock.anchor, ORGANIZATION_SIZES[size]);
    }, 60_000);
    afterAll(() => h.close());

    it(`costs at most ${ceiling} upstream requests (never more than one GET per id plus one page)`, async () => {
      const calls = await lookUp(h, spreadUserIds(h, 16));
      expect(calls.length).toBeLessThanOrEqual(ceiling);
      if (size === 'medium') {
        // 2,000 users are two pages: walking the list is cheaper than 16 GETs.
        expect(calls).toEqual([
          'GET /v1/organizations/users?limit=1000',
          expect.stringMatching(/^GET \/v1\/organizations\/users\?limit=1000&after_id=user_/),
        ]);
      }
    }, 60_000);

    it('a users page read first does not make the members’ users cost GETs: the walk goes on after it', async () => {
      h.resetCounts();
      const answer = await postGraphQL(h.endpoint, { query: DASHBOARD });
      expect(answer.body.errors).toBeUndefined();
      const calls = h.upstream().map(describe);
      const userCalls = calls.filter((call) => call.startsWith('GET /v1/organizations/users'));
      // At most one GET per user beyond the list pages, and at 2,000 users the two pages hold all.
      if (size === 'medium') {
        expect(userCalls).toEqual([
          'GET /v1/organizations/users?limit=1000',
          expect.stringMatching(/^GET \/v1\/organizations\/users\?limit=1000&after_id=user_/),
        ]);
      }
      expect(new Set(userCalls).size).toBe(userCalls.length);
    }, 60_000);
  });
}
