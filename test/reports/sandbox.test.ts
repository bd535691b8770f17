import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { FIXTURE_IDS, FIXTURE_REFERENCE } from '../../src/sandbox/index.js';
import { start } from '../sandbox/helpers.js';
import { upstreamGet } from './helpers.js';

/* The emulator's report endpoints, called directly. */

const USAGE = '/v1/organizations/usage_report/messages';
const COST = '/v1/organizations/cost_report';
const CLAUDE_CODE = '/v1/organizations/usage_report/claude_code';

/** The shared fixtures' usage report query and what its answer looks like (fixtures.json). */
const FIXTURE_USAGE = {
  query:
    'starting_at=2026-08-10T00:00:00Z&bucket_width=1d&limit=2&group_by[]=model&group_by[]=workspace_id&group_by[]=api_key_id',
  buckets: [
    ['2026-08-10T00:00:00Z', '2026-08-11T00:00:00Z'],
    ['2026-08-11T00:00:00Z', '2026-08-12T00:00:00Z'],
  ],
  nextPage: 'page_MjAyNi0wOC0xMlQwMDowMDowMFo=',
  rowFields: [
    'account_id',
    'api_key_id',
    'cache_creation',
    'cache_read_input_tokens',
    'context_window',
    'inference_geo',
    'model',
    'output_tokens',
    'server_tool_use',
    'service_account_id',
    'service_tier',
    'uncached_input_tokens',
    'workspace_id',
  ],
  costFields: [
    'amount',
    'context_window',
    'cost_type',
    'currency',
    'description',
    'inference_geo',
    'model',
    'service_tier',
    'token_type',
    'workspace_id',
  ],
};

let sandbox: Sandbox;
let twin: Sandbox;

beforeAll(async () => {
  // Both at the fixtures' reference instant: the same now must give the same data.
  sandbox = await start();
  twin = await start();
});
afterAll(async () => {
  await sandbox.close();
  await twin.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON
type Json = any;
const get = async (path: string, headers: Record<string, string> = {}): Promise<Json> => {
  const answer = await upstreamGet(sandbox, path, headers);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

group('report data', () => {
  it('is the same for the same now', async () => {
    for (const path of [
      `${USAGE}?starting_at=2026-08-01T00:00:00Z&limit=10&group_by[]=api_key_id&group_by[]=model`,
      `${COST}?starting_at=2026-08-01T00:00:00Z&limit=10&group_by[]=workspace_id&group_by[]=description`,
      `${CLAUDE_CODE}?starting_at=2026-08-12&limit=100`,
      `/v1/organizations/workspaces/${FIXTURE_IDS.productionWorkspace}/rate_limits`,
    ]) {
      const a = await upstreamGet(sandbox, path);
      const b = await upstreamGet(twin, path);
      expect(a.status).toBe(200);
      expect(a.body).toEqual(b.body);
    }
  });

  it('has the fixtures’ shapes and page token for the fixtures’ query', async () => {
    const body = await get(`${USAGE}?${FIXTURE_USAGE.query}`);
    expect(FIXTURE_REFERENCE.startsWith('2026-08-22')).toBe(true);
    expect(body.next_page).toBe(FIXTURE_USAGE.nextPage);
    expect(body.has_more).toBe(true);
    expect(body.data.map((b: Json) => [b.starting_at, b.ending_at])).toEqual(FIXTURE_USAGE.buckets);
    expect(Object.keys(body.data[0].results[0]).sort()).toEqual(FIXTURE_USAGE.rowFields);
    const costRow = (
      await get(`${COST}?starting_at=2026-08-10T00:00:00Z&limit=1&group_by[]=description`)
    ).data[0].results[0];
    expect(Object.keys(costRow).sort()).toEqual(FIXTURE_USAGE.costFields);
    expect(costRow.amount).toMatch(/^\d+\.\d{6}$/);
  });

  it('references existing keys, workspaces (null for the Default one) and users', async () => {
    const body = await get(
      `${USAGE}?starting_at=2026-08-01T00:00:00Z&limit=14&group_by[]=api_key_id&group_by[]=workspace_id&group_by[]=account_id&group_by[]=service_account_id`,
    );
    const store = sandbox.store;
    const rows = body.data.flatMap((b: Json) => b.results);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      if (row.api_key_id !== null) {
        const key = store.apiKeys.get(row.api_key_id)!;
        expect(key).toBeDefined();
        expect(row.workspace_id).toBe(key.workspaceId);
        expect(row.service_account_id).toBe(
          key.principal?.type === 'service_account' ? key.principal.id : null,
        );
      } else {
        expect(store.users.get(row.account_id)).toBeDefined();
        expect(row.workspace_id).toBeNull();
      }
      if (row.workspace_id !== null) {
        expect(store.workspaces.get(row.workspace_id)?.isDefault).toBe(false);
      }
    }
  });

  it('adds up across bucket widths: the minutes of an hour make the hour', async () => {
    const hour = await get(`${USAGE}?starting_at=2026-08-12T15:00:00Z&bucket_width=1h&limit=1`);
    const minutes = await get(`${USAGE}?starting_at=2026-08-12T15:00:00Z&bucket_width=1m&limit=60`);
    expect(minutes.data).toHaveLength(60);
    const sum = (field: string) =>
      minutes.data.reduce((total: number, b: Json) => total + (b.results[0]?.[field] ?? 0), 0);
    expect(hour.data[0].results[0].output_tokens).toBe(sum('output_tokens'));
    expect(hour.data[0].results[0].uncached_input_tokens).toBe(sum('uncached_input_tokens'));
  });

  it('prices the usage it reports: web search requests outside Priority Tier cost 1 cent each', async () => {
    const usage = await get(
      `${USAGE}?starting_at=2026-08-03T00:00:00Z&limit=5&group_by[]=service_tier`,
    );
    const cost = await get(
      `${COST}?starting_at=2026-08-03T00:00:00Z&limit=5&group_by[]=description`,
    );
    usage.data.forEach((bucket: Json, i: number) => {
      const requests = bucket.results
        .filter((row: Json) => row.service_tier !== 'priority')
        .reduce((total: number, row: Json) => total + row.server_tool_use.web_search_requests, 0);
      const line = cost.data[i].results.find((row: Json) => row.cost_type === 'web_search');
      expect(line?.amount ?? '0.000000').toBe(`${requests}.000000`);
    });
  });

  it('includes empty buckets and stops at now', async () => {
    const body = await get(`${USAGE}?starting_at=2020-01-01T00:00:00Z&limit=3`);
    expect(body.data.map((b: Json) => b.results)).toEqual([[], [], []]);
    expect(body.has_more).toBe(true);
    const recent = await get(
      `${USAGE}?starting_at=2026-08-20T00:00:00Z&ending_at=2026-09-30T00:00:00Z&limit=31`,
    );
    // now is 2026-08-22T00:00:00Z: the two days before it.
    expect(recent.data.map((b: Json) => b.starting_at)).toEqual([
      '2026-08-20T00:00:00Z',
      '2026-08-21T00:00:00Z',
    ]);
    expect(recent).toMatchObject({ has_more: false, next_page: null });
  });
});

group('report validation', () => {
  const cases: [string, RegExp][] = [
    [`${USAGE}?bucket_width=1d`, /starting_at/],
    [`${USAGE}?starting_at=yesterday`, /starting_at/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&ending_at=2026-08-01T00:00:00Z`, /ending_at/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&bucket_width=1w`, /bucket_width/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&limit=32`, /limit/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&bucket_width=1h&limit=0`, /limit/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&group_by[]=colour`, /group_by/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&service_tiers[]=gold`, /service_tiers/],
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&page=page_bm9wZQ==`, /page/],
    // A token of another query: a bucket start before this query's first bucket.
    [`${USAGE}?starting_at=2026-08-10T00:00:00Z&page=page_MjAyNi0wOC0wMlQwMDowMDowMFo=`, /page/],
    [`${COST}?starting_at=2026-08-10T00:00:00Z&bucket_width=1h`, /bucket_width/],
    [`${COST}?starting_at=2026-08-10T00:00:00Z&group_by[]=model`, /group_by/],
    [`${CLAUDE_CODE}?starting_at=2026-08-10T00:00:00Z`, /starting_at/],
    [`${CLAUDE_CODE}?starting_at=2026-08-10&limit=1001`, /limit/],
    ['/v1/organizations/rate_limits?group_type=gpu', /group_type/],
  ];
  it.each(cases)(
    '%s is a 400 invalid_request_error in the documented envelope',
    async (path, message) => {
      const answer = await upstreamGet(sandbox, path);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringMatching(message) },
        request_id: expect.stringMatching(/^req_/),
      });
    },
  );

  it('404s an unknown model and an unknown workspace', async () => {
    const model = await upstreamGet(sandbox, '/v1/organizations/rate_limits?model=claude-nope');
    const workspace = await upstreamGet(
      sandbox,
      '/v1/organizations/workspaces/wrkspc_01NoSuchObjectAnywhere0000/rate_limits',
    );
    for (const answer of [model, workspace]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.type).toBe('not_found_error');
    }
  });
});
