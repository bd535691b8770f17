import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type Harness,
} from '../support/harness.js';

describe('spend limits: the emulator’s fault knobs reach the family', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  const run = async (query: string, variables: Record<string, unknown> = {}) =>
    (await postGraphQL(h.endpoint, { query, variables })).body;

  it('an upstream outage fails one list alone', async () => {
    h.sandbox.injectFault({ status: 503, path: '/v1/organizations/spend_limits/effective' });
    const body = await run(
      `{ organization { effectiveSpendLimits(first: 2) { nodes { period } } spendLimits(first: 2) { nodes { id } } } }`,
    );
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['organization', 'effectiveSpendLimits']);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    const data = body.data as {
      organization: { effectiveSpendLimits: null; spendLimits: { nodes: unknown[] } };
    };
    expect(data.organization.effectiveSpendLimits).toBeNull();
    expect(data.organization.spendLimits.nodes).toHaveLength(2);
  });

  it('a set whose answer is lost is UPSTREAM_OUTCOME_UNKNOWN, sent once', async () => {
    h.sandbox.injectFault({
      kind: 'reset',
      method: 'POST',
      path: '/v1/organizations/spend_limits',
    });
    const body = await run(
      `mutation { setSpendLimit(input: { scope: { organization: true }, amountMinorUnits: "100" }) { userErrors { code } } }`,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
    expect(h.upstream().map(describeRequest)).toEqual(['POST /v1/organizations/spend_limits']);
  });

  it('an approval whose answer is lost is read back and reported approved', async () => {
    const list = await run(
      `{ organization { spendLimitIncreaseRequests(statuses: [PENDING], first: 1) { nodes { id } } } }`,
    );
    const id = (
      list.data as { organization: { spendLimitIncreaseRequests: { nodes: { id: string }[] } } }
    ).organization.spendLimitIncreaseRequests.nodes[0]!.id;
    h.sandbox.injectFault({
      kind: 'reset',
      method: 'POST',
      path: `/v1/organizations/spend_limit_increase_requests/${id}/approve`,
      handle: true,
    });
    h.resetCounts();
    const body = await run(
      `mutation($id: ID!) { approveSpendLimitIncreaseRequest(input: { increaseRequestId: $id, amountMinorUnits: "1000" }) { spendLimitIncreaseRequest { status } spendLimit { id } userErrors { code } } }`,
      { id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      approveSpendLimitIncreaseRequest: {
        spendLimitIncreaseRequest: { status: 'APPROVED' },
        spendLimit: null,
        userErrors: [],
      },
    });
    expect(h.upstream().map(describeRequest)).toEqual([
      `POST /v1/organizations/spend_limit_increase_requests/${id}/approve`,
      `GET /v1/organizations/spend_limit_increase_requests/${id}`,
    ]);
  });

  it('a rate-limited sign-out is a GraphQL error, not a userError', async () => {
    h.sandbox.injectFault({ status: 429, retryAfter: 1, path: /sign_out$/ });
    const body = await run(
      `mutation($id: ID!) { signOutUser(input: { userId: $id }) { userErrors { code } } }`,
      { id: FIXTURE_IDS.developerUser },
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
  });
});
