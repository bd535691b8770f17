import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setSandboxFeatures } from '../../src/sandbox/resources/spend-limits.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type Harness,
} from '../support/harness.js';

interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const LIMIT_FIELDS = `
  id
  amount { amount minorUnits currency }
  period
  periodValue
  isEnabled
  scope {
    type
    typeValue
    ... on UserSpendLimitScope { userId user { id name } }
    ... on WorkspaceSpendLimitScope { workspaceId workspace { id name } }
  }
  createdAt
  updatedAt
`;

describe('spend limits: reads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  const query = async (text: string, variables: Record<string, unknown> = {}) => {
    const { body } = await postGraphQL(h.endpoint, { query: text, variables });
    return body;
  };

  it('lists spend limits with one GET, scopes linking to users and workspaces', async () => {
    const body = await query(
      `{ organization { spendLimits(first: 20) { edges { node { ${LIMIT_FIELDS} } } pageInfo { hasNextPage } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const page = (body.data as { organization: { spendLimits: Page<Record<string, unknown>> } })
      .organization.spendLimits;
    const nodes = page.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThanOrEqual(5);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const types = nodes.map((node) => (node['scope'] as { type: string }).type);
    expect(types.slice(0, 3)).toEqual(['ORGANIZATION', 'USAGE_TIER', 'WORKSPACE']);
    const user = nodes.find((node) => (node['scope'] as { type: string }).type === 'USER')!;
    expect((user['scope'] as { user: { id: string } }).user.id).toBe(
      (user['scope'] as { userId: string }).userId,
    );
    expect(user['amount']).toEqual({ amount: '500', minorUnits: '50000', currency: 'USD' });
    const requests = h.upstream().map(describeRequest);
    const list = requests.indexOf('GET /v1/organizations/spend_limits?limit=20');
    expect(list).toBeGreaterThanOrEqual(0);
    // The SDK sends the beta the list needs.
    expect(h.upstream()[list]!.headers['anthropic-beta']).toContain('spend-limit-reads-2026-09-26');
    // The scopes' users and workspace come from the loaders: one list page each at most.
    expect(requests.filter((r) => r.startsWith('GET /v1/organizations/spend_limits'))).toHaveLength(
      1,
    );
  });

  it('gives the same items whatever the page size', async () => {
    const all = await query(`{ organization { spendLimits(first: 100) { nodes { id } } } }`);
    const ids = (
      all.data as { organization: { spendLimits: { nodes: { id: string }[] } } }
    ).organization.spendLimits.nodes.map((node) => node.id);
    for (const size of [1, 2, 3]) {
      const walked: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 50; guard++) {
        const body = await query(
          `query($after: String) { organization { spendLimits(first: ${size}, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`,
          { after },
        );
        expect(body.errors).toBeUndefined();
        const page = (body.data as { organization: { spendLimits: Page<{ id: string }> } })
          .organization.spendLimits;
        walked.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(walked).toEqual(ids);
    }
  });

  it('filters by scope type and workspace, as the Admin API does', async () => {
    const body = await query(
      `{ organization { users: spendLimits(scopeTypes: [USER], first: 5) { nodes { scope { type } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(h.upstream().map(describeRequest)).toEqual([
      'GET /v1/organizations/spend_limits?scope_type[]=user&limit=5',
    ]);
    const nodes = (
      body.data as { organization: { users: { nodes: { scope: { type: string } }[] } } }
    ).organization.users.nodes;
    expect(nodes.length).toBe(3);
    expect(new Set(nodes.map((node) => node.scope.type))).toEqual(new Set(['USER']));
  });

  it('resolves a spend limit by id through node and spendLimit, once per id', async () => {
    const list = await query(`{ organization { spendLimits(first: 1) { nodes { id } } } }`);
    const id = (list.data as { organization: { spendLimits: { nodes: { id: string }[] } } })
      .organization.spendLimits.nodes[0]!.id;
    h.resetCounts();
    const body = await query(
      `query($id: ID!) { node(id: $id) { id ... on SpendLimit { period } } spendLimit(id: $id) { id } }`,
      { id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ node: { id, period: 'MONTHLY' }, spendLimit: { id } });
    expect(h.upstream().map(describeRequest)).toEqual([`GET /v1/organizations/spend_limits/${id}`]);
  });

  it('answers null for an unknown id and refuses a malformed one without a request', async () => {
    const body = await query(`{ spendLimit(id: "spl_01unknownunknownunknown") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ spendLimit: null });
    h.resetCounts();
    const bad = await query(`{ spendLimit(id: "../users") { id } }`);
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });

  /** The member with the seeded monthly override of $500.00. */
  const monthlyMember = async (): Promise<string> => {
    const body = await query(
      `{ organization { spendLimits(scopeTypes: [USER], first: 10) { nodes { period scope { ... on UserSpendLimitScope { userId } } } } } }`,
    );
    const nodes = (
      body.data as {
        organization: { spendLimits: { nodes: { period: string; scope: { userId: string } }[] } };
      }
    ).organization.spendLimits.nodes;
    return nodes.find((node) => node.period === 'MONTHLY')!.scope.userId;
  };

  it('lists effective limits per member, with their source and spend so far', async () => {
    const first = await monthlyMember();
    h.resetCounts();
    const body = await query(
      `query($ids: [ID!]) { organization { effectiveSpendLimits(userIds: $ids, periods: [MONTHLY], first: 10) {
        nodes {
          period
          amount { minorUnits }
          periodToDateSpend { minorUnits currency }
          actor { type ... on SpendLimitUserActor { userId user { id } } }
          source { type }
          spendLimit { id scope { type } }
        }
      } } }`,
      { ids: [first] },
    );
    expect(body.errors).toBeUndefined();
    const rows = (
      body.data as {
        organization: {
          effectiveSpendLimits: {
            nodes: {
              period: string;
              amount: { minorUnits: string };
              source: { type: string };
              actor: { userId: string };
              spendLimit: { scope: { type: string } };
            }[];
          };
        };
      }
    ).organization.effectiveSpendLimits.nodes;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      period: 'MONTHLY',
      amount: { minorUnits: '50000' },
      source: { type: 'USER' },
      actor: { userId: first },
      spendLimit: { scope: { type: 'USER' } },
    });
    // The rows' users are looked up in a users page asked as the operation starts.
    const [limit] = h
      .upstream()
      .filter((r) => /^\/v1\/organizations\/spend_limits\/spl_/.test(r.path));
    expect(h.upstream().map(describeRequest).sort()).toEqual([
      `GET /v1/organizations/spend_limits/effective?period[]=monthly&user_ids[]=${first}&limit=10`,
      `GET ${limit!.path}`,
      'GET /v1/organizations/users?limit=1000',
    ]);
  });

  it('lists increase requests newest first, filtered by status, with live summaries while pending', async () => {
    const body = await query(
      `{ organization {
        pending: spendLimitIncreaseRequests(statuses: [PENDING], first: 10) {
          nodes { id status period createdAt resolvedAt spendSummary { period } actor { type } }
        }
        all: spendLimitIncreaseRequests(first: 10) { nodes { id status createdAt resolvedBy { type } } }
      } }`,
    );
    expect(body.errors).toBeUndefined();
    const data = body.data as {
      organization: {
        pending: {
          nodes: { id: string; status: string; resolvedAt: null; spendSummary: unknown }[];
        };
        all: { nodes: { id: string; status: string; createdAt: string }[] };
      };
    };
    expect(data.organization.pending.nodes.length).toBe(2);
    for (const node of data.organization.pending.nodes) {
      expect(node.status).toBe('PENDING');
      expect(node.resolvedAt).toBeNull();
      expect(node.spendSummary).not.toBeNull();
    }
    const created = data.organization.all.nodes.map((node) => node.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const id = data.organization.pending.nodes[0]!.id;
    h.resetCounts();
    const one = await query(
      `query($id: ID!) { spendLimitIncreaseRequest(id: $id) { id status } }`,
      {
        id,
      },
    );
    expect(one.data).toEqual({ spendLimitIncreaseRequest: { id, status: 'PENDING' } });
    expect(h.upstream().map(describeRequest)).toEqual([
      `GET /v1/organizations/spend_limit_increase_requests/${id}`,
    ]);
  });

  it('a member’s effective limits are a field of User', async () => {
    const first = await monthlyMember();
    h.resetCounts();
    const body = await query(
      `query($id: ID!) { user(id: $id) { effectiveSpendLimits { period amount { minorUnits } } } }`,
      { id: first },
    );
    expect(body.errors).toBeUndefined();
    expect(
      (body.data as { user: { effectiveSpendLimits: { period: string }[] } }).user
        .effectiveSpendLimits.length,
    ).toBeGreaterThan(0);
    expect(h.upstream().map(describeRequest)).toContain(
      `GET /v1/organizations/spend_limits/effective?user_ids[]=${first}&limit=1`,
    );
  });

  it('an organization not enrolled in the spend-limit reads beta gets NOT_ENABLED on that field alone', async () => {
    setSandboxFeatures(h.sandbox.store, { spendLimitReads: false });
    const body = await query(
      `{ organization {
        spendLimits(first: 5) { nodes { id } }
        spendLimitIncreaseRequests(first: 1) { nodes { id } }
        complianceSettings { state }
      } }`,
    );
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['organization', 'spendLimits']);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
    expect(body.errors?.[0]?.message).toContain('spend-limit-reads-2026-09-26');
    const data = body.data as {
      organization: {
        spendLimits: null;
        spendLimitIncreaseRequests: { nodes: unknown[] };
        complianceSettings: { state: string };
      };
    };
    expect(data.organization.spendLimits).toBeNull();
    expect(data.organization.spendLimitIncreaseRequests.nodes).toHaveLength(1);
    expect(data.organization.complianceSettings).toEqual({ state: 'ENABLED' });
  });

  it('estimates one request per list and per lookup', async () => {
    const { body } = await postGraphQL(h.endpoint, {
      query: `{ organization {
        spendLimits(first: 5) { nodes { id } }
        effectiveSpendLimits(first: 5) { nodes { period } }
        spendLimitIncreaseRequests(first: 5) { nodes { id } }
        complianceSettings { state }
      } }`,
    });
    expect(body.errors).toBeUndefined();
    const cost = (body as { extensions?: { cost?: { estimatedUpstreamRequests: number } } })
      .extensions?.cost;
    expect(cost?.estimatedUpstreamRequests).toBe(4);
  });
});
