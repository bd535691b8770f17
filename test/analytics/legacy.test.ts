import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type GraphQLBody, type Harness } from '../support/harness.js';

/*
 * The legacy per-user reports (Organization.analyticsUserUsageReport and
 * analyticsUserCostReport), through the real path: the exact upstream requests, paging
 * equivalence with page tokens bound to their query, arguments refused before any request, the
 * Admin API's 400 as a field error, the cost estimate, and the emulator's own strictness.
 */

const API = '/v1/organizations/analytics';
const READ_TOKEN = 'legacy-reader-000000000000000000001';
const RANGE = 'startingAt: "2026-10-01T00:00:00Z", endingAt: "2026-10-29T00:00:00Z"';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: {
        mode: 'token',
        tokens: [{ name: 'reader', token: READ_TOKEN, scopes: ['read'] }],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
type Body = GraphQLBody & { data?: any };

const run = async (query: string): Promise<Body> => {
  h.resetCounts();
  const { body } = await postGraphQL(
    h.endpoint,
    { query },
    { authorization: `Bearer ${READ_TOKEN}` },
  );
  return body;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
async function data(query: string): Promise<any> {
  const body = await run(query);
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

group('Organization.analyticsUserUsageReport', () => {
  it('sends one GET with the filters, grouping and order, and relates rows to users', async () => {
    const result = await data(`{ organization { analyticsUserUsageReport(${RANGE},
      groupBy: [MODEL], orderBy: OUTPUT_TOKENS, order: ASCENDING,
      models: ["claude-opus-5-5", "claude-sonnet-5"], excludeDeletedUsers: true, first: 4) {
        dataRefreshedAt nodes { userId user { id email } emailAddress deleted model
          outputTokens totalTokens requests startingAt } } } }`);
    const requests = h.upstream().filter((r) => r.path.startsWith(API));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(`${API}/user_usage_report`);
    expect(requests[0]!.query).toEqual({
      starting_at: ['2026-10-01T00:00:00Z'],
      ending_at: ['2026-10-29T00:00:00Z'],
      exclude_deleted_users: ['true'],
      'models[]': ['claude-opus-5-5', 'claude-sonnet-5'],
      order: ['asc'],
      order_by: ['output_tokens'],
      'group_by[]': ['model'],
      limit: ['4'],
    });
    const connection = result.organization.analyticsUserUsageReport;
    expect(connection.dataRefreshedAt).toBeTruthy();
    const rows = connection.nodes as {
      userId: string;
      user: { id: string; email: string } | null;
      emailAddress: string;
      model: string;
      outputTokens: number;
      startingAt: string | null;
    }[];
    expect(rows).toHaveLength(4);
    const outputs = rows.map((r) => r.outputTokens);
    expect(outputs).toEqual([...outputs].sort((a, b) => a - b));
    for (const row of rows) {
      expect(row.userId).toMatch(/^user_/);
      expect(row.user?.id).toBe(row.userId);
      expect(row.user?.email).toBe(row.emailAddress);
      expect(['claude-opus-5-5', 'claude-sonnet-5']).toContain(row.model);
      expect(row.startingAt).toBeNull();
    }
  });

  it('gives the same rows whatever the page size, sending the first page’s query each time', async () => {
    const query = (first: number, after?: string) =>
      `{ organization { analyticsUserUsageReport(${RANGE}, groupBy: [MODEL, PRODUCT], first: ${first}${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor } nodes { userId model product totalTokens } } } }`;
    const whole = (await data(query(1000))).organization.analyticsUserUsageReport;
    expect(whole.pageInfo.hasNextPage).toBe(false);
    expect(whole.nodes.length).toBeGreaterThan(8);
    const walked: unknown[] = [];
    const upstreamQueries = new Set<string>();
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = (await data(query(5, after))).organization.analyticsUserUsageReport;
      for (const r of h.upstream()) upstreamQueries.add(JSON.stringify({ ...r.query, page: 0 }));
      walked.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.nodes);
    expect(upstreamQueries.size).toBe(1);
  });

  it('refuses bad arguments and a cursor of other arguments, before any request', async () => {
    const first = (
      await data(
        `{ organization { analyticsUserUsageReport(${RANGE}, first: 1) { pageInfo { endCursor } } } }`,
      )
    ).organization.analyticsUserUsageReport.pageInfo.endCursor as string;
    const bodies = [
      await run(
        `{ organization { analyticsUserUsageReport(${RANGE}, groupBy: [MODEL], first: 1, after: "${first}") { nodes { userId } } } }`,
      ),
      await run(
        `{ organization { analyticsUserUsageReport(${RANGE}, userIds: ["wrkspc_01NotAUser"]) { nodes { userId } } } }`,
      ),
      await run(
        `{ organization { analyticsUserUsageReport(${RANGE}, products: [OTHER]) { nodes { userId } } } }`,
      ),
      await run(
        `{ organization { analyticsUserUsageReport(startingAt: "2026-10-01T00:00:00Z", bucketWidth: DAY) { nodes { userId } } } }`,
      ),
    ];
    for (const body of bodies) expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream()).toEqual([]);
  });

  it('maps the Admin API’s 400 (a range over 31 days) to an error on the field alone', async () => {
    const body = await run(
      `{ organization { name analyticsUserUsageReport(startingAt: "2026-09-01T00:00:00Z", endingAt: "2026-10-15T00:00:00Z") { nodes { userId } } } }`,
    );
    expect(body.data?.organization?.name).toBeTruthy();
    expect(body.data?.organization?.analyticsUserUsageReport).toBeNull();
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('31 days');
  });
});

group('Organization.analyticsUserCostReport', () => {
  it('sends one GET, ranks users by amount, and splits rows by cost type', async () => {
    const result = await data(`{ organization { analyticsUserCostReport(${RANGE},
      bucketWidth: DAY, orderBy: LIST_AMOUNT, first: 3) {
        nodes { userId user { id } amount { minorUnits currency } listAmount { minorUnits }
          requests startingAt endingAt } } } }`);
    const requests = h.upstream().filter((r) => r.path.startsWith(API));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(`${API}/user_cost_report`);
    expect(requests[0]!.query).toEqual({
      starting_at: ['2026-10-01T00:00:00Z'],
      ending_at: ['2026-10-29T00:00:00Z'],
      bucket_width: ['1d'],
      order_by: ['list_amount'],
      limit: ['3'],
    });
    const rows = result.organization.analyticsUserCostReport.nodes as {
      userId: string;
      user: { id: string } | null;
      amount: { minorUnits: string; currency: string };
      requests: number | null;
      startingAt: string;
      endingAt: string;
    }[];
    expect(rows).toHaveLength(3);
    const amounts = rows.map((r) => Number(r.amount.minorUnits));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    for (const row of rows) {
      expect(row.user?.id).toBe(row.userId);
      expect(row.amount.currency).toBe('USD');
      expect(row.requests).toBeGreaterThan(0);
      expect(Date.parse(row.endingAt) - Date.parse(row.startingAt)).toBe(86_400_000);
    }

    const split = (
      await data(
        `{ organization { analyticsUserCostReport(${RANGE}, groupBy: [COST_TYPE], first: 1000) {
          nodes { userId costType requests } } } }`,
      )
    ).organization.analyticsUserCostReport.nodes as {
      userId: string;
      costType: string;
      requests: number | null;
    }[];
    expect(new Set(split.map((r) => r.userId)).size).toBeLessThan(split.length);
    expect(new Set(split.map((r) => r.costType))).toEqual(new Set(['TOKENS', 'WEB_SEARCH']));
    for (const row of split) expect(row.requests).toBeNull();
  });

  it('gives the same rows whatever the page size', async () => {
    const query = (first: number, after?: string) =>
      `{ organization { analyticsUserCostReport(${RANGE}, groupBy: [PRODUCT], first: ${first}${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor } nodes { userId product amount { minorUnits } } } } }`;
    const whole = (await data(query(1000))).organization.analyticsUserCostReport;
    expect(whole.nodes.length).toBeGreaterThan(5);
    const walked: unknown[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = (await data(query(4, after))).organization.analyticsUserCostReport;
      walked.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.nodes);
  });
});

group('Organization.analyticsUsageReport and analyticsCostReport (bucketed)', () => {
  it('sends one GET with the bucket width, filters and grouping, and answers its buckets', async () => {
    const users = (
      await data(
        `{ organization { analyticsUserUsageReport(${RANGE}, first: 2) { nodes { userId } } } }`,
      )
    ).organization.analyticsUserUsageReport.nodes as { userId: string }[];
    const ids = users.map((u) => u.userId);
    const result = await data(`{ organization { analyticsUsageReport(
      startingAt: "2026-10-01T00:00:00Z", endingAt: "2026-10-03T00:00:00Z", bucketWidth: HOUR,
      groupBy: [MODEL], userIds: ${JSON.stringify(ids)}, first: 30) {
        dataRefreshedAt nodes { startingAt endingAt results { model outputTokens requests } } } } }`);
    const requests = h.upstream().filter((r) => r.path.startsWith(API));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(`${API}/usage_report`);
    expect(requests[0]!.query).toEqual({
      starting_at: ['2026-10-01T00:00:00Z'],
      ending_at: ['2026-10-03T00:00:00Z'],
      bucket_width: ['1h'],
      'user_ids[]': ids,
      'group_by[]': ['model'],
      limit: ['30'],
    });
    const buckets = result.organization.analyticsUsageReport.nodes as {
      startingAt: string;
      endingAt: string;
      results: { model: string | null; outputTokens: number }[];
    }[];
    expect(buckets).toHaveLength(30);
    expect(buckets[0]!.startingAt).toBe('2026-10-01T00:00:00Z');
    for (const bucket of buckets) {
      expect(Date.parse(bucket.endingAt) - Date.parse(bucket.startingAt)).toBe(3_600_000);
      for (const r of bucket.results) expect(r.model).toMatch(/^claude-/);
    }
    expect(buckets.some((b) => b.results.length > 0)).toBe(true);
  });

  it('gives the same buckets whatever the page size, and refuses a page size over the width’s cap before any request', async () => {
    const query = (first: number, after?: string) =>
      `{ organization { analyticsCostReport(${RANGE}, groupBy: [COST_TYPE], first: ${first}${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor } nodes { startingAt results { costType amount { minorUnits } requests } } } } }`;
    const whole = (await data(query(31))).organization.analyticsCostReport;
    expect(whole.pageInfo.hasNextPage).toBe(false);
    expect(whole.nodes).toHaveLength(28);
    for (const bucket of whole.nodes as { results: { requests: number | null }[] }[]) {
      for (const r of bucket.results) expect(r.requests).toBeNull();
    }
    const walked: unknown[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = (await data(query(5, after))).organization.analyticsCostReport;
      walked.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.nodes);
    const tooMany = await run(
      `{ organization { analyticsCostReport(${RANGE}, first: 32) { nodes { startingAt } } } }`,
    );
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream()).toEqual([]);
  });
});

group('the cost estimate', () => {
  it('counts one request per legacy report, and the user lookups below the rows', async () => {
    const estimate = async (query: string) => {
      const { body } = await postGraphQL(
        h.endpoint,
        { query },
        { authorization: `Bearer ${READ_TOKEN}` },
      );
      expect(body.errors).toBeUndefined();
      const extensions = body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      return extensions.extensions!.cost!;
    };
    const reports = await estimate(`{ organization {
      analyticsUserUsageReport(${RANGE}, first: 3) { nodes { totalTokens } }
      analyticsUserCostReport(${RANGE}, first: 2) { nodes { requests } }
      analyticsUsageReport(${RANGE}, first: 2) { nodes { startingAt } }
      analyticsCostReport(${RANGE}, first: 2) { nodes { startingAt } } } }`);
    expect(reports).toMatchObject({ estimatedUpstreamRequests: 4, upstreamRequests: 4 });
    const lookups = await estimate(`{ organization {
      analyticsUserUsageReport(${RANGE}, first: 3) { nodes { user { email } } } } }`);
    expect(lookups.estimatedUpstreamRequests).toBeGreaterThan(1);
    expect(lookups.upstreamRequests).toBeLessThanOrEqual(lookups.estimatedUpstreamRequests);
  });
});

group('the emulator', () => {
  it('binds page tokens to their query and refuses unknown ones', async () => {
    const base = `${API}/user_usage_report?starting_at=2026-10-01T00:00:00Z&limit=1`;
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

  it('checks its parameters like the Admin API, naming the bad one', async () => {
    const bad = async (path: string, name: string) => {
      const response = await upstreamGet(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.message, path).toMatch(new RegExp(`^${name}`));
    };
    const start = 'starting_at=2026-10-01T00:00:00Z';
    await bad(`${API}/user_usage_report`, 'starting_at');
    await bad(`${API}/usage_report?${start}&limit=32`, 'limit');
    await bad(
      `${API}/cost_report?${start}&bucket_width=1m&ending_at=2026-10-01T12:00:00Z&limit=257`,
      'limit',
    );
    await bad(`${API}/user_usage_report?${start}&bucket_width=1d`, 'ending_at');
    await bad(`${API}/user_usage_report?${start}&limit=0`, 'limit');
    await bad(`${API}/user_usage_report?${start}&group_by[]=cost_type`, 'group_by');
    await bad(`${API}/user_usage_report?${start}&order_by=amount`, 'order_by');
    await bad(`${API}/user_cost_report?${start}&products[]=other`, 'products');
    await bad(
      `${API}/user_cost_report?${start}&bucket_width=2d&ending_at=2026-10-02T00:00:00Z`,
      'bucket_width',
    );
  });
});
