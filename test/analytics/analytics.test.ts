import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import { setAnalyticsUsageCostEnabled } from '../../src/sandbox/resources/analytics.js';
import { RBAC_FIXTURE_IDS } from '../../src/sandbox/resources/rbac.js';
import { postGraphQL, startHarness, type GraphQLBody, type Harness } from '../support/harness.js';

/*
 * Usage and cost analytics and the daily summaries, through the real path: the exact upstream
 * requests, paging equivalence, page tokens bound to their query, the beta gate (NOT_ENABLED on
 * the field alone), the API-key boundary, argument checks before any request, the cost estimate,
 * and the emulator's own strictness.
 */

const API = '/v1/organizations/analytics';
const BETA = 'analytics-usage-cost-2026-08-24';
const READ_TOKEN = 'analytics-reader-00000000000000001';
const KEYS_TOKEN = 'analytics-key-reader-0000000000002';
const RANGE = 'startingAt: "2026-10-01T00:00:00Z", endingAt: "2026-10-29T00:00:00Z"';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: {
        mode: 'token',
        tokens: [
          { name: 'reader', token: READ_TOKEN, scopes: ['read'] },
          { name: 'keys', token: KEYS_TOKEN, scopes: ['read', 'api_keys:read'] },
        ],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

/** A GraphQL answer with its data read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
type Body = GraphQLBody & { data?: any };

const run = async (query: string, token = KEYS_TOKEN): Promise<Body> => {
  h.resetCounts();
  const { body } = await postGraphQL(h.endpoint, { query }, { authorization: `Bearer ${token}` });
  return body;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
async function data(query: string, token = KEYS_TOKEN): Promise<any> {
  const body = await run(query, token);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

const codes = (body: GraphQLBody) => (body.errors ?? []).map((e) => e.extensions?.['code']);

async function upstreamGet(path: string) {
  const response = await fetch(h.sandbox.url + path, {
    headers: { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01' },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw REST body
  return { status: response.status, body: (await response.json()) as any };
}

interface UsageRow {
  actor: { type: string; userId: string | null; user: { email: string } | null } | null;
  model: string | null;
  totalTokens: number;
  outputTokens: number;
}

const USAGE_ROW = 'actor { type userId user { email } } model totalTokens outputTokens';

group('Organization.analyticsUsage', () => {
  it('sends one GET with the filters, grouping and order, and relates actors to users', async () => {
    const result = await data(`{ organization { analyticsUsage(${RANGE}, groupBy: [ACTOR, MODEL],
      orderBy: OUTPUT_TOKENS, order: ASCENDING, models: ["claude-opus-5-5", "claude-sonnet-5"],
      workspaceIds: ["${FIXTURE_IDS.productionWorkspace}"], first: 5) {
        dataRefreshedAt nodes { ${USAGE_ROW} startingAt endingAt } } } }`);
    const requests = h.upstream().filter((r) => r.path.startsWith(API));
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.path).toBe(`${API}/usage`);
    expect(request!.headers['anthropic-beta']).toContain(BETA);
    expect(request!.query).toEqual({
      starting_at: ['2026-10-01T00:00:00Z'],
      ending_at: ['2026-10-29T00:00:00Z'],
      'models[]': ['claude-opus-5-5', 'claude-sonnet-5'],
      'workspace_ids[]': [FIXTURE_IDS.productionWorkspace],
      order: ['asc'],
      order_by: ['output_tokens'],
      'group_by[]': ['actor', 'model'],
      limit: ['5'],
    });
    const connection = result.organization.analyticsUsage;
    expect(connection.dataRefreshedAt).toBe('2026-11-01T11:00:00Z');
    const rows = connection.nodes as (UsageRow & { startingAt: string; endingAt: string })[];
    expect(rows).toHaveLength(5);
    const outputs = rows.map((r) => r.outputTokens);
    expect(outputs).toEqual([...outputs].sort((a, b) => a - b));
    for (const row of rows) {
      expect(['claude-opus-5-5', 'claude-sonnet-5']).toContain(row.model);
      expect(row.startingAt).toBe('2026-10-01T00:00:00Z');
      if (row.actor?.type === 'USER_ACTOR') expect(row.actor.user?.email).toMatch(/@/);
    }
    expect(rows.some((r) => r.actor?.type === 'USER_ACTOR')).toBe(true);
  });

  it('gives the same rows whatever the page size, sending the first page’s query each time', async () => {
    const query = (first: number, after?: string) =>
      `{ organization { analyticsUsage(${RANGE}, groupBy: [ACTOR, MODEL, PRODUCT], first: ${first}${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor } nodes { actor { type userId } model product totalTokens } } } }`;
    const whole = (await data(query(1000))).organization.analyticsUsage;
    expect(whole.pageInfo.hasNextPage).toBe(false);
    expect(whole.nodes.length).toBeGreaterThan(8);
    const walked: unknown[] = [];
    let after: string | undefined;
    const upstreamQueries = new Set<string>();
    for (let pages = 0; pages < 50; pages++) {
      const page = (await data(query(7, after))).organization.analyticsUsage;
      for (const r of h.upstream()) {
        upstreamQueries.add(JSON.stringify({ ...r.query, page: undefined }));
      }
      walked.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.nodes);
    expect(upstreamQueries.size).toBe(1);
  });

  it('sums to the ungrouped total', async () => {
    const total = (
      await data(`{ organization { analyticsUsage(${RANGE}) { nodes { totalTokens } } } }`)
    ).organization.analyticsUsage.nodes;
    expect(total).toHaveLength(1);
    const grouped = (
      await data(
        `{ organization { analyticsUsage(${RANGE}, groupBy: [MODEL], first: 1000) { nodes { totalTokens } } } }`,
      )
    ).organization.analyticsUsage.nodes as { totalTokens: number }[];
    expect(grouped.reduce((sum, r) => sum + r.totalTokens, 0)).toBe(total[0].totalTokens);
  });

  it('refuses a cursor of other arguments and bad ids, before any request', async () => {
    const first = (
      await data(
        `{ organization { analyticsUsage(${RANGE}, groupBy: [MODEL], first: 1) { pageInfo { endCursor } } } }`,
      )
    ).organization.analyticsUsage.pageInfo.endCursor as string;
    const other = await run(
      `{ organization { analyticsUsage(${RANGE}, groupBy: [PRODUCT], first: 1, after: "${first}") { nodes { totalTokens } } } }`,
    );
    expect(codes(other)).toEqual(['BAD_USER_INPUT']);
    const badGroup = await run(
      `{ organization { analyticsUsage(${RANGE}, rbacGroupIds: ["wrkspc_01NotAGroup"]) { nodes { totalTokens } } } }`,
    );
    expect(codes(badGroup)).toEqual(['BAD_USER_INPUT']);
    const outputOnly = await run(
      `{ organization { analyticsUsage(${RANGE}, products: [OTHER]) { nodes { totalTokens } } } }`,
    );
    expect(codes(outputOnly)).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream()).toEqual([]);
  });

  it('maps the Admin API’s 400 (a range over 31 days) to a field error', async () => {
    const body = await run(
      `{ organization { name analyticsUsage(startingAt: "2026-09-01T00:00:00Z", endingAt: "2026-10-15T00:00:00Z") { nodes { totalTokens } } } }`,
    );
    expect(body.data?.organization?.name).toBeTruthy();
    expect(body.data?.organization?.analyticsUsage).toBeNull();
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('31 days');
  });

  it('is NOT_ENABLED on its field alone without the beta', async () => {
    setAnalyticsUsageCostEnabled(h.sandbox.store, false);
    try {
      const body = await run(`{ organization { name
        analyticsUsage(${RANGE}) { nodes { totalTokens } }
        analyticsCost(${RANGE}) { nodes { requests } }
        analyticsSummaries(startingDate: "2026-10-01", endingDate: "2026-10-03") { startingAt } } }`);
      expect(body.data?.organization?.name).toBeTruthy();
      expect(body.data?.organization?.analyticsUsage).toBeNull();
      expect(body.data?.organization?.analyticsCost).toBeNull();
      expect(body.data?.organization?.analyticsSummaries).toHaveLength(2);
      expect(codes(body)).toEqual(['NOT_ENABLED', 'NOT_ENABLED']);
    } finally {
      setAnalyticsUsageCostEnabled(h.sandbox.store, true);
    }
  });
});

group('faults', () => {
  it('fails the faulted report alone: a 429 on the cost analytics, a 400 as the Admin API words it', async () => {
    h.sandbox.injectFault({ path: `${API}/cost`, status: 429, retryAfter: 7 });
    h.sandbox.injectFault({
      path: `${API}/usage`,
      status: 400,
      message: 'This endpoint is not available to organizations with HIPAA readiness enabled.',
    });
    const body = await run(`{ organization {
      analyticsCost(${RANGE}) { nodes { requests } }
      analyticsUsage(${RANGE}) { nodes { totalTokens } }
      analyticsSummaries(startingDate: "2026-10-01", endingDate: "2026-10-02") { startingAt } } }`);
    expect(body.data?.organization?.analyticsCost).toBeNull();
    expect(body.data?.organization?.analyticsUsage).toBeNull();
    expect(body.data?.organization?.analyticsSummaries).toHaveLength(1);
    const byPath = Object.fromEntries((body.errors ?? []).map((e) => [String(e.path?.at(-1)), e]));
    expect(byPath['analyticsCost']?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: 7,
    });
    expect(byPath['analyticsUsage']?.message).toContain('HIPAA');
    expect(byPath['analyticsUsage']?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

group('the API-key boundary', () => {
  it('refuses grouping or filtering by API key without api_keys:read, before any request', async () => {
    for (const args of [
      'groupBy: [API_KEY_ID]',
      `apiKeyIds: ["${FIXTURE_IDS.activeApiKey}"]`,
      `actorIds: ["${FIXTURE_IDS.activeApiKey}"]`,
    ]) {
      for (const field of ['analyticsUsage', 'analyticsCost']) {
        const query = `{ organization { ${field}(${RANGE}, ${args}) { nodes { startingAt } } } }`;
        const body = await run(query, READ_TOKEN);
        expect(codes(body), `${field}(${args})`).toEqual(['FORBIDDEN']);
        expect(body.errors?.[0]?.message).toContain('api_keys:read');
        expect(h.upstream()).toEqual([]);
        expect((await run(query, KEYS_TOKEN)).errors).toBeUndefined();
      }
    }
  });

  it('refuses the key ids of rows and actors, and shows them with the scope', async () => {
    const query = `{ organization { analyticsUsage(${RANGE}, groupBy: [ACTOR], first: 50) {
      nodes { actor { type apiKeyId } } } } }`;
    const refused = await run(query, READ_TOKEN);
    expect(new Set(codes(refused))).toEqual(new Set(['FORBIDDEN']));
    const allowed = await data(query, KEYS_TOKEN);
    const keys = (
      allowed.organization.analyticsUsage.nodes as { actor: { apiKeyId: string | null } | null }[]
    )
      .map((r) => r.actor?.apiKeyId)
      .filter(Boolean);
    expect(keys.length).toBeGreaterThan(0);
  });
});

group('Organization.analyticsCost', () => {
  it('reads amounts exactly, and a split by token type adds up to the total', async () => {
    const total = (
      await data(
        `{ organization { analyticsCost(${RANGE}) { nodes { amount { minorUnits currency } listAmount { minorUnits } requests } } } }`,
      )
    ).organization.analyticsCost.nodes;
    expect(total).toHaveLength(1);
    expect(total[0].amount.currency).toBe('USD');
    expect(total[0].requests).toBeGreaterThan(0);
    expect(h.upstream()[0]!.headers['anthropic-beta']).toContain(BETA);
    const split = (
      await data(
        `{ organization { analyticsCost(${RANGE}, groupBy: [COST_TYPE, TOKEN_TYPE], first: 1000) { nodes { costType tokenType amount { minorUnits } requests } } } }`,
      )
    ).organization.analyticsCost.nodes as {
      costType: string;
      tokenType: string | null;
      amount: { minorUnits: string };
      requests: number | null;
    }[];
    expect(split.every((r) => r.requests === null)).toBe(true);
    expect(new Set(split.map((r) => r.costType))).toEqual(new Set(['TOKENS', 'WEB_SEARCH']));
    const sum = split.reduce((acc, r) => acc + Number(r.amount.minorUnits), 0);
    expect(sum).toBeCloseTo(Number(total[0].amount.minorUnits), 3);
  });
});

group('Organization.analyticsSummaries', () => {
  it('reads the day series in one request, scoped to RBAC groups on demand', async () => {
    const all = (
      await data(`{ organization { analyticsSummaries(startingDate: "2026-10-01", endingDate: "2026-10-08") {
        startingAt activeUsers { daily weekly monthly } assignedSeatCount dailyAdoptionRate chat { daily } } } }`)
    ).organization.analyticsSummaries;
    expect(h.upstream().map((r) => [r.path, r.query])).toEqual([
      [`${API}/summaries`, { starting_date: ['2026-10-01'], ending_date: ['2026-10-08'] }],
    ]);
    expect(all).toHaveLength(7);
    expect(all[0].startingAt).toBe('2026-10-01T00:00:00Z');
    expect(all[0].assignedSeatCount).toBeGreaterThan(0);
    expect(all[0].chat).toBeNull();
    expect(all[6].activeUsers.weekly).toBeGreaterThanOrEqual(all[6].activeUsers.daily);
    const scoped = (
      await data(`{ organization { analyticsSummaries(startingDate: "2026-10-01", endingDate: "2026-10-08",
        rbacGroupIds: ["${RBAC_FIXTURE_IDS.engineeringGroup}"]) { activeUsers { monthly } assignedSeatCount dailyAdoptionRate } } }`)
    ).organization.analyticsSummaries;
    expect(h.upstream()[0]!.query['filter[]']).toEqual([
      `rbac_group_id:${RBAC_FIXTURE_IDS.engineeringGroup}`,
    ]);
    expect(scoped[6].assignedSeatCount).toBeNull();
    expect(scoped[6].dailyAdoptionRate).toBeNull();
    expect(scoped[6].activeUsers.monthly).toBeLessThanOrEqual(all[6].activeUsers.monthly);
  });
});

group('the cost estimate', () => {
  const estimate = async (query: string) => {
    const { body } = await postGraphQL(
      h.endpoint,
      { query },
      { authorization: `Bearer ${KEYS_TOKEN}` },
    );
    expect(body.errors).toBeUndefined();
    const extensions = body as {
      extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
    };
    return extensions.extensions!.cost!;
  };

  it('counts one request per analytics field, and the lookups below the rows', async () => {
    const reports = await estimate(`{ organization {
      analyticsUsage(${RANGE}, first: 3) { nodes { totalTokens } }
      analyticsCost(${RANGE}, first: 2) { nodes { requests } }
      analyticsSummaries(startingDate: "2026-10-01", endingDate: "2026-10-02") { startingAt } } }`);
    expect(reports).toMatchObject({ estimatedUpstreamRequests: 3, upstreamRequests: 3 });
    const lookups = await estimate(`{ organization {
      analyticsUsage(${RANGE}, groupBy: [WORKSPACE_ID], first: 3) { nodes { workspace { name } } } } }`);
    expect(lookups.estimatedUpstreamRequests).toBeGreaterThan(1);
    expect(lookups.upstreamRequests).toBeLessThanOrEqual(lookups.estimatedUpstreamRequests);
  });
});

group('the emulator', () => {
  it('binds page tokens to their query and refuses unknown ones', async () => {
    const base = `${API}/usage?starting_at=2026-10-01T00:00:00Z&group_by[]=model&limit=1`;
    const first = await upstreamGet(base);
    expect(first.status).toBe(200);
    expect(first.body.has_more).toBe(true);
    const token = first.body.next_page as string;
    expect((await upstreamGet(`${base}&page=${token}`)).status).toBe(200);
    const other = await upstreamGet(`${base.replace('limit=1', 'limit=2')}&page=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^page:/);
    expect((await upstreamGet(`${base}&page=page_bm9wZQ`)).status).toBe(400);
  });

  it('checks its parameters like the Admin API', async () => {
    const bad = async (path: string, name: string) => {
      const response = await upstreamGet(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.message, path).toMatch(new RegExp(`^${name}`));
    };
    await bad(`${API}/usage`, 'starting_at');
    await bad(`${API}/usage?starting_at=2026-10-01T00:00:00Z&time_bucket_width=1d`, 'ending_at');
    await bad(`${API}/usage?starting_at=2026-10-01T00:00:00Z&limit=1001`, 'limit');
    await bad(`${API}/usage?starting_at=2026-10-01T00:00:00Z&group_by[]=cost_type`, 'group_by');
    await bad(`${API}/cost?starting_at=2026-10-01T00:00:00Z&products[]=other`, 'products');
    await bad(`${API}/summaries`, 'starting_date');
    await bad(`${API}/summaries?starting_date=2026-10-01&filter[]=user_id:user_1`, 'filter');
    await bad(`${API}/summaries?starting_date=2026-10-01&page=page_MA`, 'page');
  });
});
