import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  RCostReportDocument,
  RWorkspaceReportsDocument,
  type RCostReportQueryVariables,
} from '../generated/graphql.js';
import {
  API,
  OCTOBER,
  calls,
  errorCodes,
  onlyQueryTo,
  post,
  upstreamGet,
  useHarness,
  walk,
} from './helpers.js';

const harness = useHarness();
const COST = `${API}/cost_report`;

const costPage = (variables: RCostReportQueryVariables) =>
  harness()
    .client.request(RCostReportDocument, variables)
    .then((data) => data.organization.costReport!);

/** An exact decimal string as a BigInt count of 10^-digits units. */
const scaled = (decimal: unknown, digits: number) => {
  // Decimal is a string scalar; the generated types leave custom scalars `unknown`.
  expect(decimal).toMatch(/^\d+(\.\d+)?$/);
  const [whole = '0', fraction = ''] = String(decimal).split('.');
  expect(fraction.length).toBeLessThanOrEqual(digits);
  return BigInt(whole + fraction.padEnd(digits, '0'));
};
/** Cents as an exact decimal string → millionths of a cent. */
const microcents = (cents: unknown) => scaled(cents, 6);

group('Organization.costReport', () => {
  it('maps startingAt, endingAt, groupBy and first onto the REST parameters', async () => {
    const h = harness();
    await costPage({ ...OCTOBER, groupBy: ['WORKSPACE_ID', 'DESCRIPTION'], first: 3 });
    expect(onlyQueryTo(h, COST)).toEqual({
      starting_at: [OCTOBER.startingAt],
      ending_at: [OCTOBER.endingAt],
      'group_by[]': ['workspace_id', 'description'],
      limit: ['3'],
    });
    h.resetCounts();
    await costPage({ startingAt: OCTOBER.startingAt });
    expect(onlyQueryTo(h, COST)).toEqual({ starting_at: [OCTOBER.startingAt] });
  });

  it('gives amounts exactly: minor units as upstream, major units shifted, totals summed', async () => {
    const h = harness();
    const page = await costPage({ ...OCTOBER, groupBy: ['WORKSPACE_ID', 'DESCRIPTION'], first: 2 });
    const direct = await upstreamGet(
      h.sandbox,
      `${COST}?starting_at=${OCTOBER.startingAt}&ending_at=${OCTOBER.endingAt}&limit=2&group_by[]=workspace_id&group_by[]=description`,
    );
    expect(page.edges).toHaveLength(2);
    page.edges.forEach((edge, b) => {
      const raw = direct.body.data[b];
      expect(edge.node.results.map((row) => row.amount.minorUnits)).toEqual(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw upstream rows
        raw.results.map((row: any) => row.amount),
      );
      for (const row of edge.node.results) {
        expect(row.amount.currency).toBe('USD');
        // "1234.567891" cents is "12.34567891" dollars: the same digits, the point moved by two.
        expect(scaled(row.amount.amount, 8)).toBe(microcents(row.amount.minorUnits));
      }
      const sum = edge.node.results.reduce(
        (total, row) => total + microcents(row.amount.minorUnits),
        0n,
      );
      expect(edge.node.totals).toHaveLength(1);
      expect(microcents(edge.node.totals[0]!.minorUnits)).toBe(sum);
    });
    const rows = page.edges.flatMap((edge) => edge.node.results);
    const tokenRow = rows.find((row) => row.costType === 'TOKENS')!;
    expect(tokenRow).toMatchObject({ costTypeValue: 'tokens' });
    expect(tokenRow.model).not.toBeNull();
    expect(tokenRow.tokenTypeValue).not.toBeNull();
    expect(['STANDARD', 'BATCH']).toContain(tokenRow.serviceTier);
    const webSearch = rows.find((row) => row.costType === 'WEB_SEARCH')!;
    expect(webSearch).toMatchObject({
      description: 'Web Search Usage',
      model: null,
      tokenType: null,
      serviceTier: null,
      contextWindow: null,
      inferenceGeo: null,
    });
    expect(rows.some((row) => row.isDefaultWorkspace === true && row.workspaceId === null)).toBe(
      true,
    );
  });

  it('one total row per day when nothing is grouped, equal to the sum of the grouped rows', async () => {
    const grouped = await costPage({
      ...OCTOBER,
      groupBy: ['WORKSPACE_ID', 'DESCRIPTION'],
      first: 5,
    });
    const total = await costPage({ ...OCTOBER, first: 5 });
    total.edges.forEach((edge, i) => {
      expect(edge.node.results).toHaveLength(1);
      expect(edge.node.results[0]).toMatchObject({
        workspaceId: null,
        isDefaultWorkspace: null,
        description: null,
        costType: null,
      });
      expect(edge.node.results[0]!.amount.minorUnits).toBe(
        grouped.edges[i]!.node.totals[0]!.minorUnits,
      );
    });
  });

  it('pages over the whole report without skipping or repeating a day', async () => {
    const whole = await costPage({ ...OCTOBER, first: 31 });
    expect(whole.edges).toHaveLength(19);
    const { items, pages } = await walk((after) => costPage({ ...OCTOBER, first: 4, after }));
    expect(items).toEqual(whole.edges.map((edge) => edge.node));
    expect(pages).toBe(5);
  });

  it('refuses last/before and first above 31 without calling upstream', async () => {
    const h = harness();
    for (const variables of [{ last: 2 }, { before: 'x' }, { first: 32 }]) {
      const body = await post(h, RCostReportDocument, { ...OCTOBER, ...variables });
      expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    }
    expect(calls(h)).toEqual([]);
  });

  it('passes an upstream 400 on as BAD_USER_INPUT', async () => {
    const h = harness();
    const body = await post(h, RCostReportDocument, {
      startingAt: OCTOBER.endingAt,
      endingAt: OCTOBER.startingAt,
    });
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.extensions).toMatchObject({ upstreamStatus: 400 });
  });
});

group('Workspace.usage, Workspace.cost and Workspace.rateLimits', () => {
  it('scope the reports to the workspace and list its overrides', async () => {
    const h = harness();
    const data = await h.client.request(RWorkspaceReportsDocument, {
      id: FIXTURE_IDS.productionWorkspace,
      ...OCTOBER,
      first: 5,
      byDescription: true,
    });
    const byPath = (path: string) => h.upstream().filter((r) => r.path === path);
    expect(byPath(`${API}/usage_report/messages`).map((r) => r.query)).toEqual([
      {
        starting_at: [OCTOBER.startingAt],
        ending_at: [OCTOBER.endingAt],
        bucket_width: ['1d'],
        'group_by[]': ['workspace_id'],
        'workspace_ids[]': [FIXTURE_IDS.productionWorkspace],
        limit: ['5'],
      },
    ]);
    expect(byPath(COST).map((r) => r.query)).toEqual([
      {
        starting_at: [OCTOBER.startingAt],
        ending_at: [OCTOBER.endingAt],
        'group_by[]': ['workspace_id', 'description'],
        limit: ['5'],
      },
    ]);
    expect(byPath(`${API}/workspaces/${FIXTURE_IDS.productionWorkspace}/rate_limits`)).toHaveLength(
      1,
    );
    const workspace = data.workspace!;
    const usageRows = workspace.usage!.edges.flatMap((edge) => edge.node.results);
    expect(usageRows.length).toBeGreaterThan(0);
    expect(new Set(usageRows.map((row) => row.workspaceId))).toEqual(
      new Set([FIXTURE_IDS.productionWorkspace]),
    );
    const costRows = workspace.cost!.edges.flatMap((edge) => edge.node.results);
    expect(costRows.length).toBeGreaterThan(0);
    expect(new Set(costRows.map((row) => row.workspaceId))).toEqual(
      new Set([FIXTURE_IDS.productionWorkspace]),
    );
    expect(workspace.rateLimits).toEqual([
      {
        rateLimitId: 'rl_grp_opus_4',
        workspaceId: FIXTURE_IDS.productionWorkspace,
        groupType: 'MODEL_GROUP',
        models: [
          'claude-opus-4-5',
          'claude-opus-4-5-20251101',
          'claude-opus-4-6',
          'claude-opus-4-7',
          'claude-opus-4-8',
        ],
        limits: [
          { type: 'requests_per_minute', value: 1000, orgLimit: 4000 },
          { type: 'input_tokens_per_minute', value: 500000, orgLimit: 10000000 },
        ],
      },
    ]);
  });

  it('Workspace.usage of the Default Workspace filters by its id; it has no overrides', async () => {
    const h = harness();
    const data = await h.client.request(RWorkspaceReportsDocument, {
      id: FIXTURE_IDS.defaultWorkspace,
      ...OCTOBER,
      first: 3,
    });
    const rows = data.workspace!.usage!.edges.flatMap((edge) => edge.node.results);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({ workspaceId: null, isDefaultWorkspace: true });
    expect(data.workspace!.rateLimits).toEqual([]);
    const usage = h.upstream().find((r) => r.path === `${API}/usage_report/messages`)!;
    expect(usage.query['workspace_ids[]']).toEqual([FIXTURE_IDS.defaultWorkspace]);
  });
});
