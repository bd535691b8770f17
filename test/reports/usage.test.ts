import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  RApiKeyUsageDocument,
  RUsageReferencesDocument,
  RUsageReportDocument,
  type RUsageReportQueryVariables,
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
const USAGE = `${API}/usage_report/messages`;

const usagePage = (variables: RUsageReportQueryVariables) =>
  harness()
    .client.request(RUsageReportDocument, variables)
    .then((data) => data.organization.messagesUsageReport!);

group('Organization.messagesUsageReport: upstream parameters', () => {
  it('sends starting_at and the default bucket width, and nothing else, when only startingAt is given', async () => {
    const h = harness();
    await usagePage({ startingAt: OCTOBER.startingAt });
    expect(onlyQueryTo(h, USAGE)).toEqual({
      starting_at: ['2026-10-01T00:00:00Z'],
      bucket_width: ['1d'],
    });
  });

  it('maps every argument onto its REST parameter, arrays as name[]', async () => {
    const h = harness();
    const page = await usagePage({
      startingAt: '2026-10-05T02:00:00+02:00',
      endingAt: '2026-10-05T12:00:00Z',
      bucketWidth: 'HOUR',
      groupBy: ['MODEL', 'WORKSPACE_ID', 'SERVICE_TIER'],
      accountIds: [FIXTURE_IDS.developerUser],
      apiKeyIds: [FIXTURE_IDS.activeApiKey],
      contextWindows: ['UP_TO_200K', 'FROM_200K_TO_1M'],
      inferenceGeos: ['US', 'NOT_AVAILABLE'],
      models: ['claude-opus-4-6'],
      serviceAccountIds: ['svac_01AbCdEfGhJkLmNpQrStUvWx'],
      serviceTiers: ['STANDARD', 'PRIORITY_ON_DEMAND'],
      workspaceIds: [FIXTURE_IDS.productionWorkspace, FIXTURE_IDS.defaultWorkspace],
      first: 5,
    });
    expect(onlyQueryTo(h, USAGE)).toEqual({
      starting_at: ['2026-10-05T00:00:00Z'],
      ending_at: ['2026-10-05T12:00:00Z'],
      bucket_width: ['1h'],
      'group_by[]': ['model', 'workspace_id', 'service_tier'],
      'account_ids[]': [FIXTURE_IDS.developerUser],
      'api_key_ids[]': [FIXTURE_IDS.activeApiKey],
      'context_window[]': ['0-200k', '200k-1M'],
      'inference_geos[]': ['us', 'not_available'],
      'models[]': ['claude-opus-4-6'],
      'service_account_ids[]': ['svac_01AbCdEfGhJkLmNpQrStUvWx'],
      'service_tiers[]': ['standard', 'priority_on_demand'],
      'workspace_ids[]': [FIXTURE_IDS.productionWorkspace, FIXTURE_IDS.defaultWorkspace],
      limit: ['5'],
    });
    expect(h.upstream()[0]!.headers['anthropic-beta']).toBeUndefined();
    expect(page.edges.map((e) => e.node.startingAt)).toEqual([
      '2026-10-05T00:00:00Z',
      '2026-10-05T01:00:00Z',
      '2026-10-05T02:00:00Z',
      '2026-10-05T03:00:00Z',
      '2026-10-05T04:00:00Z',
    ]);
  });

  it('sends the fast-mode beta header when filtering or grouping by speed', async () => {
    const h = harness();
    await usagePage({ ...OCTOBER, speeds: ['FAST'], first: 2 });
    await usagePage({ ...OCTOBER, groupBy: ['SPEED'], first: 2 });
    const requests = h.upstream();
    expect(requests.map((r) => r.query['speeds[]'] ?? r.query['group_by[]'])).toEqual([
      ['fast'],
      ['speed'],
    ]);
    expect(requests.map((r) => r.headers['anthropic-beta'])).toEqual([
      'fast-mode-2026-02-01',
      'fast-mode-2026-02-01',
    ]);
  });

  it('gives the buckets and rows of the upstream report, typed', async () => {
    const h = harness();
    const variables = {
      startingAt: '2026-10-06T00:00:00Z',
      endingAt: '2026-10-08T00:00:00Z',
      groupBy: ['MODEL', 'SERVICE_TIER', 'INFERENCE_GEO', 'CONTEXT_WINDOW', 'SPEED'] as const,
    };
    const page = await usagePage({ ...variables, groupBy: [...variables.groupBy] });
    const direct = await upstreamGet(
      h.sandbox,
      `${USAGE}?starting_at=2026-10-06T00:00:00Z&ending_at=2026-10-08T00:00:00Z&bucket_width=1d` +
        '&group_by[]=model&group_by[]=service_tier&group_by[]=inference_geo&group_by[]=context_window&group_by[]=speed',
      { 'anthropic-beta': 'fast-mode-2026-02-01' },
    );
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const rows = page.edges.flatMap((e) => e.node.results);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw upstream rows
    const upstreamRows = direct.body.data.flatMap((b: any) => b.results);
    expect(rows.length).toBe(upstreamRows.length);
    expect(rows.length).toBeGreaterThan(3);
    rows.forEach((row, i) => {
      const raw = upstreamRows[i];
      expect(row.model).toBe(raw.model);
      expect(row.serviceTierValue).toBe(raw.service_tier);
      expect(row.serviceTier).toBe(raw.service_tier.toUpperCase());
      expect(row.inferenceGeoValue).toBe(raw.inference_geo);
      expect(row.contextWindow).toBe(
        raw.context_window === '0-200k' ? 'UP_TO_200K' : 'FROM_200K_TO_1M',
      );
      expect(row.speedValue).toBe(raw.speed);
      expect(row.uncachedInputTokens).toBe(raw.uncached_input_tokens);
      expect(row.cacheReadInputTokens).toBe(raw.cache_read_input_tokens);
      expect(row.cacheCreation.ephemeral1hInputTokens).toBe(
        raw.cache_creation.ephemeral_1h_input_tokens,
      );
      expect(row.outputTokens).toBe(raw.output_tokens);
      expect(row.serverToolUse.webSearchRequests).toBe(raw.server_tool_use.web_search_requests);
      expect(row.totalInputTokens).toBe(
        raw.uncached_input_tokens +
          raw.cache_read_input_tokens +
          raw.cache_creation.ephemeral_1h_input_tokens +
          raw.cache_creation.ephemeral_5m_input_tokens,
      );
      // Not grouped by them: null.
      expect([row.accountId, row.apiKeyId, row.workspaceId, row.isDefaultWorkspace]).toEqual([
        null,
        null,
        null,
        null,
      ]);
    });
  });
});

group('Organization.messagesUsageReport: paging over the whole report', () => {
  it('walks every bucket once for every page size, and agrees with one big page', async () => {
    const h = harness();
    const whole = await usagePage({ ...OCTOBER, groupBy: ['WORKSPACE_ID'], first: 31 });
    expect(whole.edges).toHaveLength(19);
    expect(whole.pageInfo.hasNextPage).toBe(false);
    for (const size of [1, 4, 7, 19]) {
      h.resetCounts();
      const { items, pages } = await walk((after) =>
        usagePage({ ...OCTOBER, groupBy: ['WORKSPACE_ID'], first: size, after }),
      );
      expect(items).toEqual(whole.edges.map((e) => e.node));
      expect(pages).toBe(Math.ceil(19 / size));
      // Every page is one upstream request: the first without a token, the others with the
      // token the previous page handed out, always with the same query.
      const requests = h.upstream();
      expect(requests).toHaveLength(pages);
      expect(requests[0]!.query['page']).toBeUndefined();
      for (const request of requests.slice(1)) expect(request.query['page']?.[0]).toMatch(/^page_/);
      for (const request of requests) {
        expect(request.query['group_by[]']).toEqual(['workspace_id']);
        expect(request.query['limit']).toEqual([String(size)]);
      }
    }
  });

  it('continues after any cursor, also one in the middle of a page, without gaps or repeats', async () => {
    const whole = await usagePage({ ...OCTOBER, first: 31 });
    const starts = whole.edges.map((e) => e.node.startingAt);
    const page = await usagePage({ ...OCTOBER, first: 6 });
    for (const index of [0, 2, 5]) {
      const next = await usagePage({ ...OCTOBER, first: 4, after: page.edges[index]!.cursor });
      expect(next.edges.map((e) => e.node.startingAt)).toEqual(starts.slice(index + 1, index + 5));
      expect(next.pageInfo.hasPreviousPage).toBe(true);
      expect(next.pageInfo.hasNextPage).toBe(true);
    }
  });

  it('ends with an empty page after the last cursor of a complete report', async () => {
    const page = await usagePage({ ...OCTOBER, first: 31 });
    const after = await usagePage({ ...OCTOBER, first: 3, after: page.pageInfo.endCursor! });
    expect(after.edges).toEqual([]);
    expect(after.pageInfo.hasNextPage).toBe(false);
  });

  it('pages hourly buckets up to now when no end is given', async () => {
    const { items } = await walk((after) =>
      usagePage({ startingAt: '2026-11-01T00:00:00Z', bucketWidth: 'HOUR', first: 5, after }),
    );
    // The harness's now is 2026-11-01T12:00:00Z: the buckets of the twelve hours before it.
    expect(items.map((b) => b.startingAt)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-11-01T${String(i).padStart(2, '0')}:00:00Z`),
    );
  });
});

group('Organization.messagesUsageReport: refusals and upstream errors', () => {
  const refused = async (variables: Record<string, unknown>, argumentName: string) => {
    const h = harness();
    h.resetCounts();
    const body = await post(h, RUsageReportDocument, { ...OCTOBER, ...variables });
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.extensions?.['argumentName']).toBe(argumentName);
    expect(calls(h)).toEqual([]);
    return body.errors![0]!.message;
  };

  it('refuses last and before: token paging is forward only', async () => {
    expect(await refused({ last: 3 }, 'last')).toMatch(/forward only/);
    const page = await usagePage({ ...OCTOBER, first: 2 });
    expect(await refused({ before: page.pageInfo.endCursor }, 'before')).toMatch(/forward only/);
  });

  it('refuses page sizes outside the bounds of the bucket width', async () => {
    expect(await refused({ first: 32 }, 'first')).toMatch(/between 1 and 31/);
    expect(await refused({ first: 0 }, 'first')).toMatch(/between 1 and 31/);
    expect(await refused({ bucketWidth: 'HOUR', first: 169 }, 'first')).toMatch(/168/);
    await usagePage({ ...OCTOBER, bucketWidth: 'MINUTE', first: 1440 });
  });

  it('refuses cursors that are not its own, and cursors of the same report with other arguments', async () => {
    expect(await refused({ after: 'bm90LWEtY3Vyc29y' }, 'after')).toMatch(/not a cursor/);
    const page = await usagePage({ ...OCTOBER, groupBy: ['MODEL'], first: 2 });
    expect(
      await refused({ groupBy: ['WORKSPACE_ID'], after: page.pageInfo.endCursor }, 'after'),
    ).toMatch(/other arguments/);
  });

  it('refuses malformed ids and UNKNOWN enum values without calling upstream', async () => {
    await refused({ workspaceIds: ['apikey_01x'] }, 'workspaceIds');
    await refused({ apiKeyIds: ['wrkspc_01x'] }, 'apiKeyIds');
    await refused({ accountIds: ['nope'] }, 'accountIds');
    await refused({ serviceAccountIds: ['user_01x'] }, 'serviceAccountIds');
    await refused({ serviceTiers: ['UNKNOWN'] }, 'serviceTiers');
    await refused({ groupBy: ['MODEL'], inferenceGeos: ['UNKNOWN'] }, 'inferenceGeos');
  });

  it('passes the Admin API’s 400 on as BAD_USER_INPUT with its message and request id', async () => {
    const h = harness();
    const body = await post(h, RUsageReportDocument, {
      startingAt: '2026-10-10T00:00:00Z',
      endingAt: '2026-10-01T00:00:00Z',
    });
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    const error = body.errors![0]!;
    expect(error.message).toMatch(/ending_?at/i);
    expect(error.extensions).toMatchObject({
      upstreamStatus: 400,
      upstreamErrorType: 'invalid_request_error',
    });
    expect(error.extensions?.['upstreamRequestId']).toBe(h.upstream()[0]!.requestId);
  });
});

group('usage rows reference workspaces, API keys and users through the loaders', () => {
  it('resolves them with list pages shared by all rows, and marks the Default Workspace', async () => {
    const h = harness();
    const data = await h.client.request(RUsageReferencesDocument, { ...OCTOBER, first: 3 });
    const rows = data.organization.messagesUsageReport!.nodes.flatMap((b) => b.results);
    expect(rows.length).toBeGreaterThan(20);
    const store = h.sandbox.store;
    for (const row of rows) {
      if (row.workspaceId === null) {
        expect(row.isDefaultWorkspace).toBe(true);
        expect(row.workspace).toBeNull();
      } else {
        expect(row.isDefaultWorkspace).toBe(false);
        expect(row.workspace?.name).toBe(store.workspaces.get(row.workspaceId)!.name);
      }
      if (row.apiKeyId !== null) {
        expect(row.apiKey).toMatchObject({
          id: row.apiKeyId,
          name: store.apiKeys.get(row.apiKeyId)!.name,
          // Reports name the Default Workspace null; its keys name its real id (2026-10-21).
          workspaceId: row.workspaceId ?? FIXTURE_IDS.defaultWorkspace,
        });
      }
      if (row.accountId !== null) {
        expect(row.account?.email).toBe(store.users.get(row.accountId)!.email);
        expect(row.apiKeyId).toBeNull();
      }
    }
    expect(rows.some((row) => row.accountId !== null)).toBe(true);
    expect(rows.some((row) => row.isDefaultWorkspace)).toBe(true);
    // One report page and list pages of the loaders (asked as the operation starts, since the
    // rows' workspaces, keys and users are looked up) rather than one lookup per row.
    const paths = calls(h).map((call) => call.split('?')[0]);
    expect(paths.filter((path) => path === `GET ${USAGE}`)).toHaveLength(1);
    expect(paths.length).toBeLessThanOrEqual(7);
  });

  it('ApiKey.usage filters the report to the key', async () => {
    const h = harness();
    const data = await h.client.request(RApiKeyUsageDocument, {
      id: FIXTURE_IDS.activeApiKey,
      ...OCTOBER,
      first: 10,
    });
    const usageCalls = h.upstream().filter((r) => r.path === USAGE);
    expect(usageCalls.map((r) => r.query)).toEqual([
      {
        starting_at: [OCTOBER.startingAt],
        ending_at: [OCTOBER.endingAt],
        bucket_width: ['1d'],
        'group_by[]': ['api_key_id'],
        'api_key_ids[]': [FIXTURE_IDS.activeApiKey],
        limit: ['10'],
      },
    ]);
    const rows = data.apiKey!.usage!.edges.flatMap((e) => e.node.results);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.apiKeyId))).toEqual(new Set([FIXTURE_IDS.activeApiKey]));
  });
});
