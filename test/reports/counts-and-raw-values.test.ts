import { describe as group, expect, it } from 'vitest';
import { addUsageEvent } from '../../src/sandbox/resources/reports/activity.js';
import { addClaudeCodeRecord } from '../../src/sandbox/resources/reports/claude-code.js';
import { postGraphQL } from '../support/harness.js';
import { OCTOBER, useHarness } from './helpers.js';

/*
 * Counts never overflow and the Admin API's own values never null a report: Claude Code counts
 * are SafeInt (the 32-bit Int fields are deprecated), the exact input-token sum of a usage row is
 * a BigInt, and a Claude Code date comes out as the API wrote it.
 */

const harness = useHarness();

const ABOVE_INT = 2 ** 31 + 12_345; // a shared key's cache reads in a day
const DAY = '2026-10-14';

const CLAUDE_CODE = `query ($date: LocalDate!) { organization { claudeCodeUsageReport(date: $date, first: 1000) {
  nodes { date terminalType
    actor { ... on ClaudeCodeApiActor { apiKeyName } }
    coreMetrics { sessions commits pullRequests linesOfCode { linesAdded linesRemoved } }
    modelBreakdown { model tokens { inputTokens outputTokens cacheReadTokens cacheCreationTokens } }
    toolActions { tool acceptedCount rejectedCount }
  } } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
type Json = any;

async function claudeCodeDay(date: string): Promise<{ data: Json; errors?: unknown[] }> {
  const { body } = await postGraphQL(harness().endpoint, {
    query: CLAUDE_CODE,
    variables: { date },
  });
  return body as { data: Json; errors?: unknown[] };
}

group('Claude Code counts beyond 32 bits', () => {
  it('come out exactly through the SafeInt fields', async () => {
    const h = harness();
    addClaudeCodeRecord(h.sandbox.store, DAY, {
      actor: { type: 'api_actor', api_key_name: 'zz-shared-ci-key' },
      core_metrics: {
        commits_by_claude_code: 2 ** 31,
        lines_of_code: { added: 2 ** 32, removed: 7 },
        num_sessions: ABOVE_INT,
        pull_requests_by_claude_code: 3,
      },
      model_breakdown: [
        {
          estimated_cost: { amount: 123456789, currency: 'USD' },
          model: 'claude-opus-4-6',
          tokens: {
            cache_creation: 2 ** 33,
            cache_read: ABOVE_INT,
            input: 2 ** 40,
            output: 9_007_199_254_740_991,
          },
        },
      ],
      tool_actions: { edit_tool: { accepted: 2 ** 31, rejected: 0 } },
    });
    const body = await claudeCodeDay(DAY);
    expect(body.errors).toBeUndefined();
    const records = body.data.organization.claudeCodeUsageReport.nodes;
    const shared = records.filter((r: Json) => r.actor.apiKeyName === 'zz-shared-ci-key');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({
      coreMetrics: {
        sessions: ABOVE_INT,
        commits: 2 ** 31,
        pullRequests: 3,
        linesOfCode: { linesAdded: 2 ** 32, linesRemoved: 7 },
      },
      modelBreakdown: [
        {
          model: 'claude-opus-4-6',
          tokens: {
            inputTokens: 2 ** 40,
            outputTokens: 9_007_199_254_740_991,
            cacheReadTokens: ABOVE_INT,
            cacheCreationTokens: 2 ** 33,
          },
        },
      ],
      toolActions: [{ tool: 'edit_tool', acceptedCount: 2 ** 31, rejectedCount: 0 }],
    });
    // The generated records are there too, with the same new fields.
    expect(records.length).toBeGreaterThan(1);
  });

  it('deprecates the 32-bit fields with a reason that names their replacement', async () => {
    const { body } = await postGraphQL(harness().endpoint, {
      query: `{ ${[
        'ClaudeCodeModelTokens',
        'ClaudeCodeCoreMetrics',
        'ClaudeCodeLinesOfCode',
        'ClaudeCodeToolActions',
        'MessagesUsageRow',
      ]
        .map(
          (name) =>
            `${name}: __type(name: "${name}") { fields(includeDeprecated: true) { name isDeprecated deprecationReason type { name ofType { name } } } }`,
        )
        .join(' ')} }`,
    });
    const fields = Object.fromEntries(
      Object.entries(body.data as Record<string, { fields: Json[] }>).flatMap(([type, value]) =>
        value.fields.map((field) => [`${type}.${field.name}`, field]),
      ),
    );
    const replaced: Record<string, string> = {
      'ClaudeCodeModelTokens.input': 'inputTokens',
      'ClaudeCodeModelTokens.output': 'outputTokens',
      'ClaudeCodeModelTokens.cacheRead': 'cacheReadTokens',
      'ClaudeCodeModelTokens.cacheCreation': 'cacheCreationTokens',
      'ClaudeCodeCoreMetrics.numSessions': 'sessions',
      'ClaudeCodeCoreMetrics.commitsByClaudeCode': 'commits',
      'ClaudeCodeCoreMetrics.pullRequestsByClaudeCode': 'pullRequests',
      'ClaudeCodeLinesOfCode.added': 'linesAdded',
      'ClaudeCodeLinesOfCode.removed': 'linesRemoved',
      'ClaudeCodeToolActions.accepted': 'acceptedCount',
      'ClaudeCodeToolActions.rejected': 'rejectedCount',
      'MessagesUsageRow.totalInputTokens': 'inputTokens',
    };
    for (const [old, replacement] of Object.entries(replaced)) {
      expect(fields[old]?.isDeprecated, old).toBe(true);
      expect(fields[old]?.deprecationReason, old).toContain(`Use ${replacement}`);
      const type = old.split('.')[0];
      const next = fields[`${type}.${replacement}`];
      expect(next?.isDeprecated, replacement).toBe(false);
      expect(next?.type.ofType?.name, replacement).toBe(
        old === 'MessagesUsageRow.totalInputTokens' ? 'BigInt' : 'SafeInt',
      );
    }
  });
});

group('the exact input-token sum of a usage row', () => {
  it('is a BigInt equal to the four input counts', async () => {
    const { body } = await postGraphQL(harness().endpoint, {
      query: `{ organization { messagesUsageReport(startingAt: "${OCTOBER.startingAt}", endingAt: "${OCTOBER.endingAt}", groupBy: [MODEL], first: 5) {
        nodes { results { inputTokens uncachedInputTokens cacheReadInputTokens cacheCreation { ephemeral1hInputTokens ephemeral5mInputTokens } } } } } }`,
    });
    expect(body.errors).toBeUndefined();
    const rows = (body.data as Json).organization.messagesUsageReport.nodes.flatMap(
      (bucket: Json) => bucket.results,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.inputTokens).toBe(
        row.uncachedInputTokens +
          row.cacheReadInputTokens +
          row.cacheCreation.ephemeral1hInputTokens +
          row.cacheCreation.ephemeral5mInputTokens,
      );
    }
  });
});

group('a usage row whose input tokens sum past 2^53', () => {
  it('gives the exact sum as a BigInt string while the counts stay SafeInt', async () => {
    const h = harness();
    const at = Date.parse('2026-09-15T10:00:00Z') * 1000;
    addUsageEvent(h.sandbox.store, {
      at,
      uncachedInputTokens: 2 ** 52,
      cacheReadInputTokens: 2 ** 52 + 1,
      cacheWrite5mTokens: 3,
      cacheWrite1hTokens: 5,
      outputTokens: 2 ** 40,
    });
    const { body } = await postGraphQL(h.endpoint, {
      query: `{ organization { messagesUsageReport(startingAt: "2026-09-15T00:00:00Z", endingAt: "2026-09-16T00:00:00Z") {
        nodes { results { inputTokens uncachedInputTokens cacheReadInputTokens outputTokens
          cacheCreation { ephemeral1hInputTokens ephemeral5mInputTokens } } } } } }`,
    });
    expect(body.errors).toBeUndefined();
    const [row] = (body.data as Json).organization.messagesUsageReport.nodes[0].results;
    const exact =
      BigInt(row.uncachedInputTokens) +
      BigInt(row.cacheReadInputTokens) +
      BigInt(row.cacheCreation.ephemeral1hInputTokens) +
      BigInt(row.cacheCreation.ephemeral5mInputTokens);
    expect(exact > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(row.inputTokens).toBe(exact.toString());
    expect(row.cacheReadInputTokens).toBeGreaterThan(2 ** 52);
  });
});

group('Claude Code dates as the Admin API writes them', () => {
  it('come out unchanged, whatever their offset, precision or form', async () => {
    const h = harness();
    const day = '2026-10-13';
    const forms = ['2026-10-13', '2026-10-13T02:00:00.123456789+02:00', '2026-10-13T00:00:00'];
    forms.forEach((date, index) =>
      addClaudeCodeRecord(h.sandbox.store, day, {
        actor: { type: 'user_actor', email_address: `zz-date-${index}@example.com` },
        date,
      }),
    );
    const { body } = await postGraphQL(h.endpoint, {
      query: `{ organization { claudeCodeUsageReport(date: "${day}", first: 1000) { nodes { date } } } }`,
    });
    expect(body.errors).toBeUndefined();
    const dates = (body.data as Json).organization.claudeCodeUsageReport.nodes.map(
      (r: Json) => r.date,
    );
    expect(dates.slice(-3)).toEqual(forms);
  });
});
