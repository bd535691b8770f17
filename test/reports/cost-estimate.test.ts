import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { OCTOBER, useHarness } from './helpers.js';

const harness = useHarness();

interface CostExtension {
  estimatedUpstreamRequests: number;
  upstreamRequests: number;
}

async function run(query: string, variables: Record<string, unknown> = {}) {
  const h = harness();
  const { body } = await postGraphQL(h.endpoint, {
    query,
    variables: { ...OCTOBER, ...variables },
  });
  expect(body.errors).toBeUndefined();
  const cost = (body as { extensions?: { cost?: CostExtension } }).extensions?.cost;
  if (!cost) throw new Error('no extensions.cost in the response');
  expect(cost.upstreamRequests).toBe(h.upstream().length);
  return cost;
}

group('report fields in the operation cost estimate', () => {
  it('counts one request per report, plus the lookups below the buckets', async () => {
    const cost = await run(
      `query ($startingAt: DateTime!, $endingAt: DateTime) {
        organization {
          messagesUsageReport(startingAt: $startingAt, endingAt: $endingAt, groupBy: [WORKSPACE_ID], first: 3) {
            nodes { results { workspace { name } } }
          }
          costReport(startingAt: $startingAt, endingAt: $endingAt, first: 2) { nodes { startingAt } }
          claudeCodeUsageReport(date: "2026-10-14", first: 4) { nodes { terminalType } }
          rateLimits { id }
        }
      }`,
    );
    // 4 reports, and workspace lookups below 3 buckets: at most 1 list page + 1 single GET.
    expect(cost.estimatedUpstreamRequests).toBe(6);
    expect(cost.upstreamRequests).toBeGreaterThanOrEqual(4);
    expect(cost.upstreamRequests).toBeLessThanOrEqual(6);
  });

  it('multiplies the Workspace report fields by the page of workspaces they hang off', async () => {
    const cost = await run(
      `query ($startingAt: DateTime!, $endingAt: DateTime) {
        organization {
          workspaces(first: 4) {
            nodes {
              rateLimits { rateLimitId }
              usage(startingAt: $startingAt, endingAt: $endingAt, first: 2) { nodes { startingAt } }
              cost(startingAt: $startingAt, endingAt: $endingAt, first: 2) { nodes { startingAt } }
            }
          }
        }
      }`,
    );
    // The workspace page, then three reports for each of its 4 workspaces.
    expect(cost.estimatedUpstreamRequests).toBe(1 + 3 * 4);
    expect(cost.upstreamRequests).toBe(13);
  });

  it('counts ApiKey.usage as one request below the key lookup', async () => {
    const cost = await run(
      `query ($id: ID!, $startingAt: DateTime!, $endingAt: DateTime) {
        apiKey(id: $id) { usage(startingAt: $startingAt, endingAt: $endingAt, first: 5) { nodes { startingAt } } }
      }`,
      { id: FIXTURE_IDS.activeApiKey },
    );
    expect(cost.estimatedUpstreamRequests).toBe(2);
    expect(cost.upstreamRequests).toBe(2);
  });
});

group('Claude Code actors in the estimate', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { maxUpstreamRequestsPerOperation: 50 } });
  });
  afterAll(() => h.close());

  it('accepts a page of 100 rows with their users: the lookups share one walk of the users', async () => {
    // The users are known once listed (the estimate cuts lookups to the collection's size).
    await postGraphQL(h.endpoint, {
      query: '{ organization { users(first: 1000) { nodes { id } } } }',
    });
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, {
      query: `{
        organization {
          claudeCodeUsageReport(date: "2026-10-14", first: 100) {
            nodes { actor { ... on ClaudeCodeUserActor { emailAddress user { name email } } } }
          }
        }
      }`,
    });
    expect(body.errors).toBeUndefined();
    const nodes = (
      body.data as {
        organization: {
          claudeCodeUsageReport: {
            nodes: { actor: { emailAddress?: string; user?: { email: string } | null } }[];
          };
        };
      }
    ).organization.claudeCodeUsageReport.nodes;
    const users = nodes.map((node) => node.actor).filter((actor) => actor.emailAddress);
    expect(users.length).toBeGreaterThan(10);
    for (const actor of users) expect(actor.user?.email).toBe(actor.emailAddress);
    const cost = (body as { extensions?: { cost?: CostExtension } }).extensions!.cost!;
    expect(cost.upstreamRequests).toBe(h.upstream().length);
    // The report page and one users list page for every actor of the page, asked together: the
    // users page as the operation starts, since the rows' users are looked up.
    expect(
      h
        .upstream()
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/v1/organizations/usage_report/claude_code', '/v1/organizations/users']);
    expect(cost.upstreamRequests).toBeLessThanOrEqual(cost.estimatedUpstreamRequests);
    expect(cost.estimatedUpstreamRequests).toBeLessThanOrEqual(2 * cost.upstreamRequests);
  });
});
