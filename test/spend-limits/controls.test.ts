import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { setSandboxFeatures } from '../../src/sandbox/resources/spend-limits.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';

const field = <T>(body: GraphQLBody, name: string): T => {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return (body.data as Record<string, T>)[name]!;
};

const SIGN_OUT = `mutation($id: ID!) {
  signOutUser(input: { userId: $id }) { user { id email } refusal userErrors { code field message } }
}`;

describe('user sign-out, workspace rate-limit overrides and Compliance Settings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 60 } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  const run = async (query: string, variables: Record<string, unknown> = {}) =>
    (await postGraphQL(h.endpoint, { query, variables })).body;

  it('signs a member out', async () => {
    const body = await run(SIGN_OUT, { id: FIXTURE_IDS.developerUser });
    expect(field(body, 'signOutUser')).toMatchObject({
      user: { id: FIXTURE_IDS.developerUser },
      refusal: null,
      userErrors: [],
    });
    const [request] = h.upstream();
    expect(describeRequest(request!)).toBe(
      `POST /v1/organizations/users/${FIXTURE_IDS.developerUser}/sign_out`,
    );
    expect(request!.headers['anthropic-beta']).toContain('admin-user-sign-out-2026-10-08');
  });

  it.each([
    ['primary_owner', 'CANNOT_SIGN_OUT_PRIMARY_OWNER'],
    ['owner', 'CANNOT_SIGN_OUT_OWNER'],
    ['membership_admin', 'CANNOT_SIGN_OUT_MEMBERSHIP_ADMIN'],
    ['managed', 'CANNOT_SIGN_OUT_MANAGED_MEMBER'],
  ] as const)('a %s is refused: NOT_PERMITTED with the reason %s', async (role, refusal) => {
    h.sandbox.store.users.get(FIXTURE_IDS.userUser)!.role = role;
    const body = await run(SIGN_OUT, { id: FIXTURE_IDS.userUser });
    const payload = field<{ user: null; refusal: string; userErrors: { code: string }[] }>(
      body,
      'signOutUser',
    );
    expect(payload.user).toBeNull();
    expect(payload.refusal).toBe(refusal);
    expect(payload.userErrors).toMatchObject([
      { code: 'NOT_PERMITTED', field: ['input', 'userId'] },
    ]);
  });

  it('an unknown member is NOT_FOUND; a malformed id costs no request', async () => {
    const unknown = await run(SIGN_OUT, { id: 'user_01NoSuchUserNoSuchUser' });
    expect(field(unknown, 'signOutUser')).toMatchObject({
      user: null,
      refusal: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'userId'] }],
    });
    h.resetCounts();
    const bad = await run(SIGN_OUT, { id: 'apikey_01abc' });
    expect(field(bad, 'signOutUser')).toMatchObject({
      userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'userId'] }],
    });
    expect(h.upstream()).toEqual([]);
  });

  it('an organization not enrolled in the sign-out beta gets NOT_ENABLED on that field', async () => {
    setSandboxFeatures(h.sandbox.store, { userSignOut: false });
    const body = await run(
      `mutation($id: ID!) {
        signOutUser(input: { userId: $id }) { user { id } userErrors { code } }
        updateComplianceSettings(input: { state: ENABLED }) { complianceSettings { state } }
      }`,
      { id: FIXTURE_IDS.developerUser },
    );
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['signOutUser']);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
    expect(body.errors?.[0]?.message).toContain('admin-user-sign-out-2026-10-08');
    expect(body.data).toEqual({
      signOutUser: null,
      updateComplianceSettings: { complianceSettings: { state: 'ENABLED' } },
    });
  });

  const RATE_LIMITS = `query($id: ID!) { workspace(id: $id) { rateLimits { rateLimitId limits { type value orgLimit } } } }`;
  const UPDATE = `mutation($input: UpdateWorkspaceRateLimitInput!) {
    updateWorkspaceRateLimit(input: $input) {
      rateLimitId
      workspace { id rateLimits { rateLimitId limits { type value orgLimit } } }
      userErrors { code field message }
    }
  }`;

  it('sets and clears a workspace’s override; the workspace’s rate limits read afterwards show it', async () => {
    const before = await run(RATE_LIMITS, { id: FIXTURE_IDS.productionWorkspace });
    expect(before.errors).toBeUndefined();
    h.resetCounts();
    const body = await run(UPDATE, {
      input: {
        workspaceId: FIXTURE_IDS.productionWorkspace,
        rateLimitId: 'rl_grp_opus_4',
        limits: [
          { type: 'REQUESTS_PER_MINUTE', value: 1500 },
          { type: 'INPUT_TOKENS_PER_MINUTE', clear: true },
        ],
      },
    });
    const payload = field<{
      rateLimitId: string;
      workspace: {
        rateLimits: { rateLimitId: string; limits: { type: string; value: number }[] }[];
      };
      userErrors: unknown[];
    }>(body, 'updateWorkspaceRateLimit');
    expect(payload.userErrors).toEqual([]);
    expect(payload.rateLimitId).toBe('rl_grp_opus_4');
    const entry = payload.workspace.rateLimits.find(
      (limit) => limit.rateLimitId === 'rl_grp_opus_4',
    );
    expect(entry?.limits).toEqual([{ type: 'requests_per_minute', value: 1500, orgLimit: 4000 }]);
    const [request] = h.upstream();
    expect(describeRequest(request!)).toBe(
      `POST /v1/organizations/workspaces/${FIXTURE_IDS.productionWorkspace}/rate_limits/rl_grp_opus_4`,
    );
    expect(request!.body).toEqual({
      limits: [
        { type: 'requests_per_minute', value: 1500 },
        { type: 'input_tokens_per_minute', value: null },
      ],
    });
    // The overrides were cached before the write; the write dropped them.
    const after = await run(RATE_LIMITS, { id: FIXTURE_IDS.productionWorkspace });
    expect(JSON.stringify(after.data)).toContain('"value":1500');
  });

  it.each([
    [
      'the Default Workspace',
      { workspaceId: FIXTURE_IDS.defaultWorkspace, rateLimitId: 'rl_grp_opus_4' },
      'INVALID_INPUT',
      null,
    ],
    [
      'an unknown group',
      { workspaceId: FIXTURE_IDS.productionWorkspace, rateLimitId: 'rl_grp_nope' },
      'NOT_FOUND',
      ['input', 'rateLimitId'],
    ],
    [
      'an unknown workspace',
      { workspaceId: 'wrkspc_01NoSuchWorkspaceNoSuch', rateLimitId: 'rl_grp_opus_4' },
      'NOT_FOUND',
      ['input', 'workspaceId'],
    ],
  ])('refuses %s', async (_name, ids, code, path) => {
    const body = await run(UPDATE, {
      input: { ...ids, limits: [{ type: 'REQUESTS_PER_MINUTE', value: 10 }] },
    });
    const payload = field<{ userErrors: { code: string; field: string[] | null }[] }>(
      body,
      'updateWorkspaceRateLimit',
    );
    expect(payload.userErrors[0]?.code).toBe(code);
    if (path) expect(payload.userErrors[0]?.field).toEqual(path);
  });

  it.each([
    [{ limits: [] }, ['input', 'limits']],
    [{ limits: [{ type: 'REQUESTS_PER_MINUTE' }] }, ['input', 'limits', '0']],
    [
      { limits: [{ type: 'REQUESTS_PER_MINUTE', value: 1, clear: true }] },
      ['input', 'limits', '0'],
    ],
    [{ limits: [{ type: 'REQUESTS_PER_MINUTE', value: -1 }] }, ['input', 'limits', '0', 'value']],
    [
      {
        limits: [
          { type: 'REQUESTS_PER_MINUTE', value: 1 },
          { type: 'REQUESTS_PER_MINUTE', clear: true },
        ],
      },
      ['input', 'limits', '1'],
    ],
    [
      { rateLimitId: '../users', limits: [{ type: 'TOKENS_PER_DAY', value: 1 }] },
      ['input', 'rateLimitId'],
    ],
  ])('refuses %o before any request', async (input, path) => {
    const body = await run(UPDATE, {
      input: {
        workspaceId: FIXTURE_IDS.productionWorkspace,
        rateLimitId: 'rl_grp_opus_4',
        ...input,
      },
    });
    expect(field(body, 'updateWorkspaceRateLimit')).toMatchObject({
      userErrors: [{ code: 'INVALID_INPUT', field: path }],
    });
    expect(h.upstream()).toEqual([]);
  });

  it('reads and updates Compliance Settings; the next read sees the change', async () => {
    const READ = `{ organization { complianceSettings { state stateValue isEnabled accessTransparency } } }`;
    const before = await run(READ);
    expect(before.data).toEqual({
      organization: {
        complianceSettings: {
          state: 'ENABLED',
          stateValue: 'enabled',
          isEnabled: true,
          accessTransparency: null,
        },
      },
    });
    h.resetCounts();
    const body = await run(
      `mutation { updateComplianceSettings(input: { state: DISABLED }) { complianceSettings { state isEnabled } userErrors { code } } }`,
    );
    expect(field(body, 'updateComplianceSettings')).toEqual({
      complianceSettings: { state: 'DISABLED', isEnabled: false },
      userErrors: [],
    });
    const [request] = h.upstream();
    expect(describeRequest(request!)).toBe('POST /v1/organizations/compliance_settings');
    expect(request!.body).toEqual({ state: { type: 'disabled' } });
    // The write replaced the cached settings: the next read needs no request and is current.
    h.resetCounts();
    const after = await run(READ);
    expect(JSON.stringify(after.data)).toContain('"state":"DISABLED"');
    expect(h.upstream()).toEqual([]);
  });
});

describe('the family’s scopes', () => {
  const READER = 'spend-reader-token-00000000000001';
  const WRITER = 'spend-writer-token-00000000000002';
  const MEMBERS = 'spend-members-token-0000000000003';
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: READER, scopes: ['read'] },
            { name: 'writer', token: WRITER, scopes: ['read', 'write', 'workspaces:write'] },
            { name: 'members', token: MEMBERS, scopes: ['read', 'write', 'members:write'] },
          ],
        },
      },
    });
  });
  afterAll(() => h.close());

  it.each([
    [
      WRITER,
      'mutation { setSpendLimit(input: { scope: { organization: true }, amountMinorUnits: "1" }) { userErrors { code } } }',
      ['spend_limits:write'],
    ],
    [
      WRITER,
      'mutation { deleteSpendLimit(input: { spendLimitId: "spl_01abc" }) { userErrors { code } } }',
      ['spend_limits:write'],
    ],
    [
      WRITER,
      'mutation { approveSpendLimitIncreaseRequest(input: { increaseRequestId: "r1", amountMinorUnits: "1" }) { userErrors { code } } }',
      ['spend_limits:write'],
    ],
    [
      WRITER,
      'mutation { denySpendLimitIncreaseRequest(input: { increaseRequestId: "r1" }) { userErrors { code } } }',
      ['spend_limits:write'],
    ],
    [
      WRITER,
      'mutation { updateComplianceSettings(input: { state: ENABLED }) { userErrors { code } } }',
      ['compliance:write'],
    ],
    [
      WRITER,
      `mutation { signOutUser(input: { userId: "${FIXTURE_IDS.developerUser}" }) { userErrors { code } } }`,
      ['members:write'],
    ],
    [
      MEMBERS,
      `mutation { updateWorkspaceRateLimit(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", rateLimitId: "rl_grp_opus_4", limits: [{ type: TOKENS_PER_DAY, value: 1 }] }) { userErrors { code } } }`,
      ['workspaces:write'],
    ],
    [
      READER,
      'mutation { setSpendLimit(input: { scope: { organization: true }, amountMinorUnits: "1" }) { userErrors { code } } }',
      ['write', 'spend_limits:write'],
    ],
  ])('token %s, %s: FORBIDDEN, missing %o, no upstream request', async (token, query, missing) => {
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, { query }, { authorization: `Bearer ${token}` });
    const error = body.errors?.[0];
    expect(error?.extensions?.['code'], JSON.stringify(body)).toBe('FORBIDDEN');
    expect(error?.extensions?.['missingScopes']).toEqual(missing);
    expect(h.upstream()).toEqual([]);
  });

  it('reads need only read', async () => {
    h.resetCounts();
    const { body } = await postGraphQL(
      h.endpoint,
      {
        query:
          '{ organization { complianceSettings { state } spendLimitIncreaseRequests(first: 1) { nodes { id } } } }',
      },
      { authorization: `Bearer ${READER}` },
    );
    expect(body.errors).toBeUndefined();
    expect(h.upstream()).toHaveLength(2);
  });
});
