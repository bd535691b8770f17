import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';

interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}

const field = <T>(body: GraphQLBody, name: string): T => {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return (body.data as Record<string, T>)[name]!;
};

describe('spend limits: writes', () => {
  let h: Harness;
  beforeAll(async () => {
    // The shared cache on: a write must drop what reads cached before it.
    h = await startHarness({ config: { cacheTtlSeconds: 60 } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  const run = async (query: string, variables: Record<string, unknown> = {}) =>
    (await postGraphQL(h.endpoint, { query, variables })).body;

  const userLimit = async (period: string) => {
    const body = await run(
      `{ organization { spendLimits(scopeTypes: [USER], first: 10) { nodes { id period amount { minorUnits } scope { ... on UserSpendLimitScope { userId } } } } } }`,
    );
    const nodes = field<{
      spendLimits: {
        nodes: {
          id: string;
          period: string;
          amount: { minorUnits: string } | null;
          scope: { userId: string };
        }[];
      };
    }>(body, 'organization').spendLimits.nodes;
    return nodes.find((node) => node.period === period)!;
  };

  const SET = `mutation($input: SetSpendLimitInput!) {
    setSpendLimit(input: $input) {
      spendLimit { id period amount { minorUnits amount } scope { type ... on UserSpendLimitScope { userId } } }
      userErrors { code field message }
    }
  }`;

  it('sets a limit as an upsert on scope and period, and later reads see it', async () => {
    const monthly = await userLimit('MONTHLY');
    // Cached now; read again after the write.
    await run(`query($id: ID!) { spendLimit(id: $id) { amount { minorUnits } } }`, {
      id: monthly.id,
    });
    h.resetCounts();
    const body = await run(SET, {
      input: {
        scope: { userId: monthly.scope.userId },
        amountMinorUnits: '75000',
        period: 'MONTHLY',
      },
    });
    const payload = field<{ spendLimit: { id: string; amount: unknown }; userErrors: unknown[] }>(
      body,
      'setSpendLimit',
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload.spendLimit.id).toBe(monthly.id);
    expect(payload.spendLimit.amount).toEqual({ minorUnits: '75000', amount: '750' });
    const [request] = h.upstream();
    expect(describeRequest(request!)).toBe('POST /v1/organizations/spend_limits');
    expect(request!.body).toEqual({
      amount: '75000',
      scope: { type: 'user', user_id: monthly.scope.userId },
      period: 'monthly',
    });
    const again = await run(`query($id: ID!) { spendLimit(id: $id) { amount { minorUnits } } }`, {
      id: monthly.id,
    });
    expect(again.data).toEqual({ spendLimit: { amount: { minorUnits: '75000' } } });
  });

  it('sets an explicit no-limit and organization limits', async () => {
    const monthly = await userLimit('MONTHLY');
    const noLimit = await run(SET, {
      input: { scope: { userId: monthly.scope.userId }, noLimit: true, period: 'WEEKLY' },
    });
    expect(
      field<{ spendLimit: { amount: unknown; period: string } }>(noLimit, 'setSpendLimit')
        .spendLimit,
    ).toMatchObject({ amount: null, period: 'WEEKLY' });
    const org = await run(SET, {
      input: { scope: { organization: true }, amountMinorUnits: '123400' },
    });
    expect(
      field<{ spendLimit: { scope: { type: string } } }>(org, 'setSpendLimit').spendLimit.scope,
    ).toEqual({ type: 'ORGANIZATION' });
  });

  it.each([
    [{ scope: {}, amountMinorUnits: '1' }, ['input', 'scope']],
    [
      { scope: { organization: true, userId: 'user_01x' }, amountMinorUnits: '1' },
      ['input', 'scope'],
    ],
    [{ scope: { organization: true } }, ['input', 'amountMinorUnits']],
    [
      { scope: { organization: true }, amountMinorUnits: '1', noLimit: true },
      ['input', 'amountMinorUnits'],
    ],
    [{ scope: { organization: true }, amountMinorUnits: '12.50' }, ['input', 'amountMinorUnits']],
    [{ scope: { organization: true }, amountMinorUnits: '-5' }, ['input', 'amountMinorUnits']],
    [{ scope: { userId: 'wrkspc_01abc' }, amountMinorUnits: '5' }, ['input', 'scope', 'userId']],
  ])('refuses %o before any request', async (input, path) => {
    const body = await run(SET, { input });
    const payload = field<{ spendLimit: null; userErrors: UserError[] }>(body, 'setSpendLimit');
    expect(payload.spendLimit).toBeNull();
    expect(payload.userErrors).toHaveLength(1);
    expect(payload.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: path });
    expect(h.upstream()).toEqual([]);
  });

  it('maps the Admin API’s refusals to userErrors', async () => {
    const unknownUser = await run(SET, {
      input: { scope: { userId: 'user_01NoSuchUserNoSuchUser' }, amountMinorUnits: '5' },
    });
    expect(
      field<{ userErrors: UserError[] }>(unknownUser, 'setSpendLimit').userErrors[0],
    ).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'scope'] });
    const weekly = await run(SET, {
      input: { scope: { organization: true }, amountMinorUnits: '5', period: 'WEEKLY' },
    });
    const refusal = field<{ userErrors: UserError[] }>(weekly, 'setSpendLimit').userErrors[0]!;
    expect(refusal).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'period'] });
  });

  it('deletes a limit; the member falls back to the organization’s', async () => {
    const monthly = await userLimit('MONTHLY');
    h.resetCounts();
    const body = await run(
      `mutation($id: ID!) {
        deleteSpendLimit(input: { spendLimitId: $id }) { deletedSpendLimitId userErrors { code } }
      }`,
      { id: monthly.id },
    );
    expect(field<{ deletedSpendLimitId: string }>(body, 'deleteSpendLimit')).toEqual({
      deletedSpendLimitId: monthly.id,
      userErrors: [],
    });
    expect(h.upstream().map(describeRequest)).toEqual([
      `DELETE /v1/organizations/spend_limits/${monthly.id}`,
    ]);
    const after = await run(
      `query($id: ID!, $user: [ID!]) {
        spendLimit(id: $id) { id }
        organization { effectiveSpendLimits(userIds: $user, periods: [MONTHLY]) { nodes { source { type } } } }
      }`,
      { id: monthly.id, user: [monthly.scope.userId] },
    );
    expect(after.data).toEqual({
      spendLimit: null,
      organization: { effectiveSpendLimits: { nodes: [{ source: { type: 'ORGANIZATION' } }] } },
    });
    const again = await run(
      `mutation($id: ID!) { deleteSpendLimit(input: { spendLimitId: $id }) { deletedSpendLimitId userErrors { code field } } }`,
      { id: monthly.id },
    );
    expect(field(again, 'deleteSpendLimit')).toEqual({
      deletedSpendLimitId: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'spendLimitId'] }],
    });
  });

  it('a malformed spend limit id is a userError and costs no request', async () => {
    const body = await run(
      `mutation { deleteSpendLimit(input: { spendLimitId: "user_01abc" }) { userErrors { code field } } }`,
    );
    expect(field(body, 'deleteSpendLimit')).toEqual({
      userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'spendLimitId'] }],
    });
    expect(h.upstream()).toEqual([]);
  });

  const pending = async () => {
    const body = await run(
      `{ organization { spendLimitIncreaseRequests(statuses: [PENDING], first: 5) { nodes { id period actor { ... on SpendLimitUserActor { userId } } } } } }`,
    );
    return field<{
      spendLimitIncreaseRequests: {
        nodes: { id: string; period: string; actor: { userId: string } }[];
      };
    }>(body, 'organization').spendLimitIncreaseRequests.nodes;
  };

  it('approves a pending request: a per-user limit is written, and a later read in the same operation sees it', async () => {
    const [request] = await pending();
    h.resetCounts();
    const body = await run(
      `mutation($id: ID!) {
        approve: approveSpendLimitIncreaseRequest(input: { increaseRequestId: $id, amountMinorUnits: "90000", suppressNotification: true }) {
          spendLimitIncreaseRequest { id status resolvedAt }
          spendLimit { id amount { minorUnits } scope { ... on UserSpendLimitScope { userId } } }
          userErrors { code }
        }
        again: approveSpendLimitIncreaseRequest(input: { increaseRequestId: $id, amountMinorUnits: "1" }) {
          userErrors { code field message }
        }
      }`,
      { id: request!.id },
    );
    expect(body.errors).toBeUndefined();
    const data = body.data as {
      approve: {
        spendLimitIncreaseRequest: { status: string; resolvedAt: string | null };
        spendLimit: { amount: { minorUnits: string }; scope: { userId: string } };
        userErrors: unknown[];
      };
      again: { userErrors: UserError[] };
    };
    expect(data.approve.userErrors).toEqual([]);
    expect(data.approve.spendLimitIncreaseRequest.status).toBe('APPROVED');
    expect(data.approve.spendLimitIncreaseRequest.resolvedAt).not.toBeNull();
    expect(data.approve.spendLimit).toMatchObject({
      amount: { minorUnits: '90000' },
      scope: { userId: request!.actor.userId },
    });
    // The second approval finds the request approved already: the Admin API refuses it.
    expect(data.again.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    const [first] = h.upstream();
    expect(describeRequest(first!)).toBe(
      `POST /v1/organizations/spend_limit_increase_requests/${request!.id}/approve`,
    );
    expect(first!.body).toEqual({ amount: '90000', suppress_notification: true });
    const effective = await run(
      `query($user: [ID!], $period: [SpendLimitPeriod!]) { organization { effectiveSpendLimits(userIds: $user, periods: $period) { nodes { amount { minorUnits } source { type } } } } }`,
      { user: [request!.actor.userId], period: [request!.period] },
    );
    expect(effective.data).toEqual({
      organization: {
        effectiveSpendLimits: {
          nodes: [{ amount: { minorUnits: '90000' }, source: { type: 'USER' } }],
        },
      },
    });
  });

  it('denies a request; denying again succeeds; an unknown request is NOT_FOUND', async () => {
    const [, request] = await pending();
    const DENY = `mutation($id: ID!) { denySpendLimitIncreaseRequest(input: { increaseRequestId: $id }) { spendLimitIncreaseRequest { status } userErrors { code field } } }`;
    for (let i = 0; i < 2; i++) {
      const body = await run(DENY, { id: request!.id });
      expect(field(body, 'denySpendLimitIncreaseRequest')).toEqual({
        spendLimitIncreaseRequest: { status: 'DENIED' },
        userErrors: [],
      });
    }
    const unknown = await run(DENY, { id: 'splreq_nosuchrequest' });
    expect(field(unknown, 'denySpendLimitIncreaseRequest')).toEqual({
      spendLimitIncreaseRequest: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'increaseRequestId'] }],
    });
    h.resetCounts();
    const bad = await run(DENY, { id: '../spend_limits' });
    expect(
      field<{ userErrors: UserError[] }>(bad, 'denySpendLimitIncreaseRequest').userErrors[0],
    ).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'increaseRequestId'] });
    expect(h.upstream()).toEqual([]);
  });

  it('a delete whose answer is lost is read back once', async () => {
    const monthly = await userLimit('MONTHLY');
    h.sandbox.injectFault({
      kind: 'reset',
      method: 'DELETE',
      path: `/v1/organizations/spend_limits/${monthly.id}`,
      handle: true,
    });
    h.resetCounts();
    const body = await run(
      `mutation($id: ID!) { deleteSpendLimit(input: { spendLimitId: $id }) { deletedSpendLimitId userErrors { code } } }`,
      { id: monthly.id },
    );
    expect(field(body, 'deleteSpendLimit')).toEqual({
      deletedSpendLimitId: monthly.id,
      userErrors: [],
    });
    expect(h.upstream().map(describeRequest)).toEqual([
      `DELETE /v1/organizations/spend_limits/${monthly.id}`,
      `GET /v1/organizations/spend_limits/${monthly.id}`,
    ]);
  });
});
