import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_REVIEW } from '../../bench/operations.js';
import { EXAMPLE_OPERATIONS, exampleVariables } from '../../src/app/graphiql/examples.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { describe as describeRequest, startHarness, type Harness } from '../support/harness.js';

/** The GraphiQL examples of the newer families, run as GraphiQL sends them in sandbox mode. */
describe('GraphiQL examples: the access review and a service-account mutation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { graphiql: true, sandbox: true } });
  });
  afterAll(() => h.close());

  const runExample = async (operationName: string) => {
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: EXAMPLE_OPERATIONS,
        operationName,
        variables: exampleVariables(new Date(), FIXTURE_IDS.activeApiKey),
      }),
    });
    return (await response.json()) as { errors?: unknown; data?: Record<string, unknown> };
  };

  it('opens with the access review, the same document as the benchmark’s', async () => {
    const page = await (await fetch(h.endpoint, { headers: { accept: 'text/html' } })).text();
    expect(page.includes('query AccessReview'), 'the page holds the AccessReview example').toBe(
      true,
    );
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(squash(EXAMPLE_OPERATIONS)).toContain(squash(ACCESS_REVIEW));
  });

  it('runs the AccessReview example as it is', async () => {
    const body = await runExample('AccessReview');
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const organization = body.data?.['organization'] as Record<string, { nodes: unknown[] }>;
    expect(organization['users']?.nodes).toHaveLength(100);
    expect(organization['serviceAccounts']?.nodes.length).toBeGreaterThan(0);
    expect(organization['rbacGroups']?.nodes).toHaveLength(5);
    expect(organization['apiKeys']?.nodes.length).toBeGreaterThan(0);
    expect(organization['spendLimits']?.nodes.length).toBeGreaterThan(0);
  });

  it('runs the CreateServiceAccount example as it is, with its variables', async () => {
    h.resetCounts();
    const body = await runExample('CreateServiceAccount');
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data?.['createServiceAccount']).toMatchObject({
      serviceAccount: { name: 'nightly-evals', organizationRole: 'DEVELOPER' },
      userErrors: [],
    });
    expect(h.upstream().map(describeRequest)).toEqual(['POST /v1/organizations/service_accounts']);
    expect(h.upstream().map((request) => request.credential)).toEqual(['oauth']);
  });
});
