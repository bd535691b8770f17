import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { beforeAll, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { SandboxStore } from '../../src/sandbox/index.js';
import {
  QApiKeysPageDocument,
  QInvitesPageDocument,
  QUsersPageDocument,
  QWorkspaceMembersPageDocument,
  QWorkspacesPageDocument,
} from '../generated/graphql.js';
import type { Harness } from '../support/harness.js';
import {
  API,
  expectNoDuplicates,
  expectRefusedWithoutUpstream,
  forgedCursor,
  parseMemberId,
  post,
  useHarness,
  type Page,
  type PageArgs,
} from './helpers.js';

const harness = useHarness();

/** One connection under test, and how to reach it. */
interface ConnectionSpec {
  name: string;
  /** Page sizes to walk with; the smallest should give several middle pages. */
  sizes: number[];
  fetch: (h: Harness, args: PageArgs) => Promise<Page>;
  /** The raw operation and its fixed variables, for refusals. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any typed document
  document: TypedDocumentNode<any, any>;
  variables: Record<string, unknown>;
  /** The list endpoint, and the filter parameters every call to it must carry. */
  path: string;
  filters: Record<string, string[]>;
  /** Other upstream calls each page costs (the parent lookup). */
  otherCalls: string[];
  /** The Admin API id the cursor of a node stands for (`after_id`/`before_id`). */
  cursorIdOf: (nodeId: string) => string;
  /** Ids the whole list must hold, from the sandbox's own records. */
  expectedIds: (store: SandboxStore) => string[];
  /** A request whose first edge's cursor belongs to another kind of connection. */
  foreign: (h: Harness) => Promise<string>;
}

const sameId = (id: string) => id;

const usersSpec: ConnectionSpec = {
  name: 'Organization.users',
  sizes: [7, 50, 1000],
  fetch: async (h, args) => (await h.client.request(QUsersPageDocument, args)).organization.users!,
  document: QUsersPageDocument,
  variables: {},
  path: `${API}/users`,
  filters: {},
  otherCalls: [],
  cursorIdOf: sameId,
  expectedIds: (store) => [...store.users.keys()],
  foreign: async (h) =>
    (await h.client.request(QWorkspacesPageDocument, { first: 1 })).organization.workspaces!
      .edges[0]!.cursor,
};

const invitesSpec: ConnectionSpec = {
  name: 'Organization.invites',
  sizes: [7, 50, 1000],
  fetch: async (h, args) =>
    (await h.client.request(QInvitesPageDocument, args)).organization.invites!,
  document: QInvitesPageDocument,
  variables: {},
  path: `${API}/invites`,
  filters: {},
  otherCalls: [],
  cursorIdOf: sameId,
  expectedIds: (store) =>
    [...store.invites.values()].filter((i) => i.status !== 'deleted').map((i) => i.id),
  foreign: async (h) =>
    (await h.client.request(QApiKeysPageDocument, { first: 1 })).organization.apiKeys!.edges[0]!
      .cursor,
};

const workspacesSpec: ConnectionSpec = {
  name: 'Organization.workspaces(includeArchived: true)',
  sizes: [3, 7, 1000],
  fetch: async (h, args) =>
    (await h.client.request(QWorkspacesPageDocument, { ...args, includeArchived: true }))
      .organization.workspaces!,
  document: QWorkspacesPageDocument,
  variables: { includeArchived: true },
  path: `${API}/workspaces`,
  filters: { include_archived: ['true'] },
  otherCalls: [],
  cursorIdOf: sameId,
  expectedIds: (store) =>
    [...store.workspaces.values()].filter((w) => !w.isDefault).map((w) => w.id),
  foreign: async (h) =>
    (await h.client.request(QUsersPageDocument, { first: 1 })).organization.users!.edges[0]!.cursor,
};

const apiKeysSpec: ConnectionSpec = {
  name: 'Organization.apiKeys',
  sizes: [7, 50, 1000],
  fetch: async (h, args) =>
    (await h.client.request(QApiKeysPageDocument, args)).organization.apiKeys!,
  document: QApiKeysPageDocument,
  variables: {},
  path: `${API}/api_keys`,
  filters: {},
  otherCalls: [],
  cursorIdOf: sameId,
  expectedIds: (store) => [...store.apiKeys.keys()],
  foreign: async (h) =>
    (await h.client.request(QInvitesPageDocument, { first: 1 })).organization.invites!.edges[0]!
      .cursor,
};

const production = FIXTURE_IDS.productionWorkspace;
const membersSpec: ConnectionSpec = {
  name: 'Workspace.members',
  sizes: [7, 50, 1000],
  fetch: async (h, args) =>
    (await h.client.request(QWorkspaceMembersPageDocument, { ...args, workspaceId: production }))
      .workspace!.members!,
  document: QWorkspaceMembersPageDocument,
  variables: { workspaceId: production },
  path: `${API}/workspaces/${production}/members`,
  filters: {},
  otherCalls: [`${API}/workspaces/${production}`],
  cursorIdOf: (id) => parseMemberId(id).userId,
  expectedIds: (store) =>
    store
      .members(store.workspaces.get(production)!)
      .map((m) => `workspace_member:${production}:${m.userId}`),
  foreign: async (h) =>
    (await h.client.request(QWorkspacesPageDocument, { first: 1 })).organization.workspaces!
      .edges[0]!.cursor,
};

const specs = [usersSpec, invitesSpec, workspacesSpec, apiKeysSpec, membersSpec];

/**
 * Fetches one page and checks the single list request it cost: the path, `limit`, the cursor
 * parameter and the filters, exactly.
 */
async function fetchChecked(
  h: Harness,
  spec: ConnectionSpec,
  args: PageArgs,
  expectedQuery: Record<string, string[]>,
): Promise<Page> {
  h.resetCounts();
  const page = await spec.fetch(h, args);
  const requests = h.upstream();
  expect(requests.map((r) => r.path).sort()).toEqual([spec.path, ...spec.otherCalls].sort());
  const list = requests.find((r) => r.path === spec.path)!;
  expect(list.method).toBe('GET');
  expect(list.query).toEqual({ ...expectedQuery, ...spec.filters });
  return page;
}

/** Checks pageInfo against the page's position in the whole list. */
function checkPageInfo(page: Page, all: string[], direction: 'forward' | 'backward'): void {
  const ids = page.edges.map((e) => e.node.id);
  const start = all.indexOf(ids[0]!);
  const end = all.indexOf(ids.at(-1)!);
  expect(start).toBeGreaterThanOrEqual(0);
  // The page is a contiguous run of the list.
  expect(ids).toEqual(all.slice(start, end + 1));
  expect(page.pageInfo).toEqual({
    hasPreviousPage: start > 0,
    hasNextPage: end < all.length - 1,
    startCursor: page.edges[0]!.cursor,
    endCursor: page.edges.at(-1)!.cursor,
  });
  // Backward pages always have the cursor's item after them.
  if (direction === 'backward') expect(page.pageInfo.hasNextPage).toBe(true);
}

group.each(specs)('pagination of $name', (spec) => {
  /** The whole list as one page of 1000 shows it: the reference order. */
  let reference: string[];

  beforeAll(async () => {
    const page = await spec.fetch(harness(), { first: 1000 });
    expect(page.pageInfo.hasNextPage).toBe(false);
    reference = page.edges.map((e) => e.node.id);
  });

  it('the whole list holds every item exactly once', () => {
    const h = harness();
    expectNoDuplicates(reference);
    expect([...reference].sort()).toEqual(spec.expectedIds(h.sandbox.store).sort());
    expect(reference.length).toBeGreaterThan(Math.min(...spec.sizes));
  });

  it.each(spec.sizes)('walking forward with first: %i gives the same sequence', async (k) => {
    const h = harness();
    const seen: string[] = [];
    let after: string | undefined;
    let lastId: string | undefined;
    let pages = 0;
    for (;;) {
      const args: PageArgs = after === undefined ? { first: k } : { first: k, after };
      const expectedQuery: Record<string, string[]> = { limit: [String(k)] };
      if (lastId !== undefined) expectedQuery['after_id'] = [spec.cursorIdOf(lastId)];
      const page = await fetchChecked(h, spec, args, expectedQuery);
      pages++;
      expect(page.edges.length).toBe(Math.min(k, reference.length - seen.length));
      checkPageInfo(page, reference, 'forward');
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
      lastId = page.edges.at(-1)!.node.id;
      expect(pages).toBeLessThan(reference.length + 1);
    }
    expect(pages).toBe(Math.ceil(reference.length / k));
    expect(seen).toEqual(reference);
  });

  it.each(spec.sizes)(
    'walking backward with last: %i from the final item gives the same sequence',
    async (k) => {
      const h = harness();
      // Start from the final item's cursor (the endCursor of a forward walk's final page); it
      // is the one item a backward walk from there does not return, so it starts the sequence.
      const whole = await spec.fetch(h, { first: 1000 });
      const finalEdge = whole.edges.at(-1)!;
      expect(finalEdge.node.id).toBe(reference.at(-1));

      const seen: string[] = [finalEdge.node.id];
      let before = finalEdge.cursor;
      let beforeId = finalEdge.node.id;
      let pages = 0;
      for (;;) {
        const page = await fetchChecked(
          h,
          spec,
          { last: k, before },
          { limit: [String(k)], before_id: [spec.cursorIdOf(beforeId)] },
        );
        pages++;
        expect(page.edges.length).toBe(Math.min(k, reference.length - seen.length));
        checkPageInfo(page, reference, 'backward');
        // The page ends right before the item it was asked before.
        expect(reference.indexOf(page.edges.at(-1)!.node.id)).toBe(reference.indexOf(beforeId) - 1);
        seen.unshift(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor!;
        beforeId = page.edges[0]!.node.id;
        expect(pages).toBeLessThan(reference.length + 1);
      }
      expect(pages).toBe(Math.ceil((reference.length - 1) / k));
      expectNoDuplicates(seen);
      expect(seen).toEqual(reference);
    },
  );

  it('a page after the final item is empty, and says what precedes it', async () => {
    const h = harness();
    const whole = await spec.fetch(h, { first: 1000 });
    const last = whole.edges.at(-1)!;
    const page = await fetchChecked(
      h,
      spec,
      { first: 5, after: last.cursor },
      { limit: ['5'], after_id: [spec.cursorIdOf(last.node.id)] },
    );
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  });

  it('a page before the first item is empty, and says what follows it', async () => {
    const h = harness();
    const first = (await spec.fetch(h, { first: 1 })).edges[0]!;
    const page = await fetchChecked(
      h,
      spec,
      { last: 5, before: first.cursor },
      { limit: ['5'], before_id: [spec.cursorIdOf(first.node.id)] },
    );
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('without first or last the Admin API default of 20 is asked for', async () => {
    const h = harness();
    const page = await fetchChecked(h, spec, {}, { limit: ['20'] });
    expect(page.edges.map((e) => e.node.id)).toEqual(reference.slice(0, 20));
  });

  group('refusals (BAD_USER_INPUT, no list request)', () => {
    let cursor: string;
    let foreign: string;
    beforeAll(async () => {
      const h = harness();
      cursor = (await spec.fetch(h, { first: 3 })).edges[1]!.cursor;
      foreign = await spec.foreign(h);
    });

    const cases: [string, () => PageArgs][] = [
      ['first: 0', () => ({ first: 0 })],
      ['first: -1', () => ({ first: -1 })],
      ['first: 1001', () => ({ first: 1001 })],
      ['last: 0 with before', () => ({ last: 0, before: cursor })],
      ['last: 1001 with before', () => ({ last: 1001, before: cursor })],
      ['last without before', () => ({ last: 5 })],
      ['last with after', () => ({ last: 5, after: cursor })],
      ['first and last', () => ({ first: 5, last: 5 })],
      ['first and last with before', () => ({ first: 5, last: 5, before: cursor })],
      ['first with before', () => ({ first: 5, before: cursor })],
      ['after and before', () => ({ first: 5, after: cursor, before: cursor })],
      ['a cursor of another connection kind as after', () => ({ first: 5, after: foreign })],
      ['a cursor of another connection kind as before', () => ({ last: 5, before: foreign })],
      ['a garbage cursor', () => ({ first: 5, after: 'garbage' })],
      ['an empty cursor', () => ({ first: 5, after: '' })],
      ['a forged cursor naming a path', () => ({ first: 5, after: forgedCursor('x/../../users') })],
      ['a raw id instead of a cursor', () => ({ first: 5, after: spec.cursorIdOf(reference[0]!) })],
    ];

    it.each(cases)('%s', async (_label, args) => {
      const h = harness();
      h.resetCounts();
      const body = await post(h, spec.document, { ...spec.variables, ...args() });
      if (spec.otherCalls.length === 0) {
        expectRefusedWithoutUpstream(h, body);
      } else {
        expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
        expect(h.upstream().map((r) => r.path)).toEqual(spec.otherCalls);
      }
    });
  });
});
