import { describe as group, expect, it } from 'vitest';
import {
  RClaudeCodeUsageDocument,
  RClaudeCodeUsersDocument,
  RRateLimitsDocument,
  type RClaudeCodeUsageQueryVariables,
} from '../generated/graphql.js';
import {
  API,
  calls,
  errorCodes,
  onlyQueryTo,
  post,
  upstreamGet,
  useHarness,
  walk,
} from './helpers.js';

const harness = useHarness();
const CLAUDE_CODE = `${API}/usage_report/claude_code`;
const RATE_LIMITS = `${API}/rate_limits`;
/** A Wednesday well inside the sandbox's history. */
const DAY = '2026-10-14';

const claudeCodePage = (variables: RClaudeCodeUsageQueryVariables) =>
  harness()
    .client.request(RClaudeCodeUsageDocument, variables)
    .then((data) => data.organization.claudeCodeUsageReport!);

group('Organization.claudeCodeUsageReport', () => {
  it('sends the day as starting_at and first as limit', async () => {
    const h = harness();
    await claudeCodePage({ date: DAY, first: 7 });
    expect(onlyQueryTo(h, CLAUDE_CODE)).toEqual({ starting_at: [DAY], limit: ['7'] });
    h.resetCounts();
    await claudeCodePage({ date: DAY });
    expect(onlyQueryTo(h, CLAUDE_CODE)).toEqual({ starting_at: [DAY] });
  });

  it('pages over the whole day without skipping or repeating a record, in upstream order', async () => {
    const h = harness();
    const direct = await upstreamGet(h.sandbox, `${CLAUDE_CODE}?starting_at=${DAY}&limit=1000`);
    expect(direct.body.data.length).toBeGreaterThan(20);
    h.resetCounts();
    const { items, pages } = await walk((after) => claudeCodePage({ date: DAY, first: 7, after }));
    expect(pages).toBe(Math.ceil(direct.body.data.length / 7));
    expect(h.upstream()).toHaveLength(pages);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw upstream records
    const expected = direct.body.data.map((record: any) => ({
      actor:
        record.actor.type === 'user_actor'
          ? { __typename: 'ClaudeCodeUserActor', emailAddress: record.actor.email_address }
          : { __typename: 'ClaudeCodeApiActor', apiKeyName: record.actor.api_key_name },
      terminalType: record.terminal_type,
      isRemote: record.is_remote,
      sessions: record.core_metrics.num_sessions,
    }));
    expect(
      items.map((item) => ({
        actor: item.actor,
        terminalType: item.terminalType,
        isRemote: item.isRemote,
        sessions: item.coreMetrics.numSessions,
      })),
    ).toEqual(expected);
    const record = items[0]!;
    expect(record).toMatchObject({
      date: `${DAY}T00:00:00Z`,
      organizationId: h.sandbox.store.organization.id,
      customerType: 'API',
      customerTypeValue: 'api',
      subscriptionType: null,
    });
    const breakdown = record.modelBreakdown[0]!;
    // Cents as a number upstream; exact decimals here.
    expect(breakdown.estimatedCost.minorUnits).toMatch(/^\d+$/);
    expect(Number(breakdown.estimatedCost.amount) * 100).toBeCloseTo(
      Number(breakdown.estimatedCost.minorUnits),
    );
    for (const tool of record.toolActions) {
      const total = tool.accepted + tool.rejected;
      expect(tool.acceptanceRate).toBe(total === 0 ? null : tool.accepted / total);
    }
  });

  it('gives an empty report for a day that is not over yet', async () => {
    const page = await claudeCodePage({ date: '2026-11-01' });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('resolves user actors to members by email', async () => {
    const h = harness();
    const data = await h.client.request(RClaudeCodeUsersDocument, { date: DAY, first: 5 });
    const actors = data.organization
      .claudeCodeUsageReport!.nodes.map((node) => node.actor)
      .filter((actor) => 'emailAddress' in actor);
    expect(actors.length).toBeGreaterThan(0);
    for (const actor of actors) {
      if (!('emailAddress' in actor)) continue;
      expect(actor.user?.email).toBe(actor.emailAddress);
    }
    // Several actors share one walk of the users list (the sandbox has fewer than 1000 users).
    expect(h.upstream().filter((r) => r.path === `${API}/users`)).toHaveLength(
      actors.length >= 2 ? 1 : actors.length,
    );
  });

  it('refuses last and first above 1000 without calling upstream', async () => {
    const h = harness();
    for (const variables of [{ last: 3 }, { first: 1001 }]) {
      const body = await post(h, RClaudeCodeUsageDocument, { date: DAY, ...variables });
      expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    }
    expect(calls(h)).toEqual([]);
  });
});

group('Organization.rateLimits', () => {
  it('lists the organization’s groups: model groups first', async () => {
    const h = harness();
    const data = await h.client.request(RRateLimitsDocument, {});
    expect(onlyQueryTo(h, RATE_LIMITS)).toEqual({});
    const groups = data.organization.rateLimits!;
    expect(groups.map((g) => g.groupType)).toEqual([
      'MODEL_GROUP',
      'MODEL_GROUP',
      'MODEL_GROUP',
      'MODEL_GROUP',
      'MODEL_GROUP',
      'BATCH',
      'FILES',
      'SKILLS',
      'TOKEN_COUNT',
      'WEB_SEARCH',
    ]);
    expect(groups.find((g) => g.id === 'rl_grp_batch')).toEqual({
      id: 'rl_grp_batch',
      groupType: 'BATCH',
      groupTypeValue: 'batch',
      models: null,
      limits: [{ type: 'enqueued_batch_requests', value: 500000 }],
    });
  });

  it('sends groupType as group_type and model as model', async () => {
    const h = harness();
    const batch = await h.client.request(RRateLimitsDocument, { groupType: 'BATCH' });
    expect(onlyQueryTo(h, RATE_LIMITS)).toEqual({ group_type: ['batch'] });
    expect(batch.organization.rateLimits!.map((g) => g.id)).toEqual(['rl_grp_batch']);
    h.resetCounts();
    const opus = await h.client.request(RRateLimitsDocument, { model: 'claude-opus-4-6' });
    expect(onlyQueryTo(h, RATE_LIMITS)).toEqual({ model: ['claude-opus-4-6'] });
    expect(opus.organization.rateLimits!).toHaveLength(1);
    expect(opus.organization.rateLimits![0]!.models).toContain('claude-opus-4-6');
  });

  it('an unknown model is the Admin API’s 404, a NOT_FOUND error', async () => {
    const h = harness();
    const body = await post(h, RRateLimitsDocument, { model: 'claude-nonexistent-1' });
    expect(errorCodes(body)).toEqual(['NOT_FOUND']);
    expect(body.errors![0]!.extensions).toMatchObject({
      upstreamStatus: 404,
      upstreamErrorType: 'not_found_error',
    });
    // The report field is nullable: the error stays on it, the rest of the query survives.
    expect(body.data).toEqual({ organization: { rateLimits: null } });
  });

  it('refuses groupType UNKNOWN without calling upstream', async () => {
    const h = harness();
    const body = await post(h, RRateLimitsDocument, { groupType: 'UNKNOWN' });
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    expect(calls(h)).toEqual([]);
  });
});
