import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { RClaudeCodeUsageDocument, RUsageReportDocument } from '../generated/graphql.js';
import type { RUsageReportQueryVariables } from '../generated/graphql.js';
import { startHarness, type Harness } from '../support/harness.js';
import { API, OCTOBER, errorCodes, post, upstreamGet, useHarness } from './helpers.js';

/*
 * A report page token belongs to the query that produced it (REPORTS.md §1.5, EXTENDED.md §10):
 * the gateway only sends a token again with exactly that query and slices pages itself, and the
 * sandbox refuses a token with any other parameter.
 */

const USAGE = `${API}/usage_report/messages`;
const COST = `${API}/cost_report`;
const CLAUDE_CODE = `${API}/usage_report/claude_code`;

/** A request's query without `page`, as one comparable string. */
const withoutPage = (query: Record<string, string[]>) =>
  JSON.stringify(Object.entries(query).filter(([name]) => name !== 'page'));

group('the gateway re-sends a page token only with the query it came from', () => {
  const harness = useHarness();
  const usagePage = (variables: RUsageReportQueryVariables) =>
    harness()
      .client.request(RUsageReportDocument, variables)
      .then((data) => data.organization.messagesUsageReport!);

  it('continues from mid-page cursors and other page sizes with the first page’s limit', async () => {
    const h = harness();
    const whole = await usagePage({ ...OCTOBER, first: 31 });
    const starts = whole.edges.map((edge) => edge.node.startingAt);
    h.resetCounts();
    const first = await usagePage({ ...OCTOBER, first: 6 });
    const second = await usagePage({ ...OCTOBER, first: 4, after: first.edges[5]!.cursor });
    const third = await usagePage({ ...OCTOBER, first: 3, after: second.edges[1]!.cursor });
    const fourth = await usagePage({ ...OCTOBER, first: 5, after: third.edges[0]!.cursor });
    expect(first.edges.map((e) => e.node.startingAt)).toEqual(starts.slice(0, 6));
    expect(second.edges.map((e) => e.node.startingAt)).toEqual(starts.slice(6, 10));
    expect(third.edges.map((e) => e.node.startingAt)).toEqual(starts.slice(8, 11));
    expect(fourth.edges.map((e) => e.node.startingAt)).toEqual(starts.slice(9, 14));
    const requests = h.upstream();
    expect(requests.length).toBeGreaterThan(3);
    // One query for the whole walk: the first page's, `limit` included; only `page` differs.
    expect(new Set(requests.map((r) => withoutPage(r.query)))).toEqual(
      new Set([withoutPage(requests[0]!.query)]),
    );
    expect(requests[0]!.query['limit']).toEqual(['6']);
    expect(requests.every((r) => r.status === 200)).toBe(true);
  });

  it('re-reads a Claude Code page with its own limit after a cursor in its middle', async () => {
    const h = harness();
    const day = '2026-10-14';
    const page = await h.client.request(RClaudeCodeUsageDocument, { date: day, first: 4 });
    const edges = page.organization.claudeCodeUsageReport!.edges;
    expect(edges).toHaveLength(4);
    h.resetCounts();
    await h.client.request(RClaudeCodeUsageDocument, {
      date: day,
      first: 10,
      after: edges[1]!.cursor,
    });
    const requests = h.upstream().filter((r) => r.path === CLAUDE_CODE);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(request.query['limit']).toEqual(['4']);
  });

  it('refuses a cursor of the same report with other arguments, without an upstream request', async () => {
    const h = harness();
    const page = await usagePage({ ...OCTOBER, first: 3 });
    h.resetCounts();
    const body = await post(h, RUsageReportDocument, {
      ...OCTOBER,
      groupBy: ['MODEL'],
      first: 3,
      after: page.edges[1]!.cursor,
    });
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream()).toEqual([]);
  });
});

group('re-reading a page for a mid-page cursor uses the shared read cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 60 } });
  });
  afterAll(() => h.close());

  it('answers a cursor in a cached page without an upstream request', async () => {
    const usage = (variables: RUsageReportQueryVariables) =>
      h.client
        .request(RUsageReportDocument, variables)
        .then((data) => data.organization.messagesUsageReport!);
    const page = await usage({ ...OCTOBER, first: 6 });
    h.resetCounts();
    const next = await usage({ ...OCTOBER, first: 2, after: page.edges[1]!.cursor });
    expect(next.edges.map((e) => e.node.startingAt)).toEqual(
      page.edges.slice(2, 4).map((e) => e.node.startingAt),
    );
    expect(h.upstream()).toEqual([]);
  });
});

group('the sandbox binds a page token to the full query it was issued for', () => {
  const harness = useHarness();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON
  const get = (path: string): Promise<{ status: number; body: any }> =>
    upstreamGet(harness().sandbox, path);

  const refusedPage = async (path: string) => {
    const answer = await get(path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error.type).toBe('invalid_request_error');
    expect(answer.body.error.message).toMatch(/^page: /);
  };

  it('accepts the token with its own query only: not another limit, filter, grouping, range or report', async () => {
    const base = `starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-20T00:00:00Z&limit=3&group_by[]=model`;
    const first = await get(`${USAGE}?${base}`);
    expect(first.status).toBe(200);
    const token = encodeURIComponent(first.body.next_page);
    expect((await get(`${USAGE}?${base}&page=${token}`)).status).toBe(200);
    await refusedPage(`${USAGE}?${base.replace('limit=3', 'limit=4')}&page=${token}`);
    await refusedPage(`${USAGE}?${base.replace('limit=3&', '')}&page=${token}`);
    await refusedPage(`${USAGE}?${base}&group_by[]=workspace_id&page=${token}`);
    await refusedPage(`${USAGE}?${base}&models[]=claude-opus-4-6&page=${token}`);
    await refusedPage(`${USAGE}?${base.replace('10-20', '10-21')}&page=${token}`);
    await refusedPage(`${USAGE}?${base.replace('10-01', '10-02')}&page=${token}`);
    await refusedPage(`${USAGE}?${base}&bucket_width=1d&page=${token}`);
    await refusedPage(
      `${COST}?starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-20T00:00:00Z&limit=3&page=${token}`,
    );
  });

  it('refuses tokens it never issued, even well-formed ones', async () => {
    const forged = `page_${Buffer.from('2026-10-04T00:00:00Z').toString('base64')}`;
    await refusedPage(`${USAGE}?starting_at=2026-10-01T00:00:00Z&limit=3&page=${forged}`);
    await refusedPage(`${COST}?starting_at=2026-10-01T00:00:00Z&limit=3&page=${forged}`);
    const record = `page_${Buffer.from('2026-10-14:2').toString('base64')}`;
    await refusedPage(`${CLAUDE_CODE}?starting_at=2026-10-14&limit=2&page=${record}`);
    await refusedPage(`${API}/rate_limits?page=${forged}`);
  });

  it('binds Claude Code tokens to their limit too', async () => {
    const first = await get(`${CLAUDE_CODE}?starting_at=2026-10-14&limit=2`);
    expect(first.body.has_more).toBe(true);
    const token = encodeURIComponent(first.body.next_page);
    expect((await get(`${CLAUDE_CODE}?starting_at=2026-10-14&limit=2&page=${token}`)).status).toBe(
      200,
    );
    await refusedPage(`${CLAUDE_CODE}?starting_at=2026-10-14&limit=5&page=${token}`);
  });
});
