import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { ANALYTICS_PROJECTS } from '../../src/sandbox/resources/analytics-engagement.js';
import { RBAC_FIXTURE_IDS } from '../../src/sandbox/resources/rbac.js';
import { postGraphQL, startHarness, type GraphQLBody, type Harness } from '../support/harness.js';

/*
 * The Claude Enterprise engagement lists (analytics users, chat projects, artifacts) through the
 * real path: exact upstream requests with the typed filters as `filter[]`, paging equivalence with
 * query-bound tokens, relations to User and RbacGroup, argument checks before any request, the
 * scope boundary, and the emulator's strictness.
 */

const API = '/v1/organizations/analytics';
const DAY = '2026-10-14';
const NOTHING_TOKEN = 'analytics-no-scope-000000000000003';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: {
        mode: 'token',
        tokens: [
          { name: 'admin', token: 'analytics-admin-00000000000000001', scopes: ['admin'] },
          { name: 'nothing', token: NOTHING_TOKEN, scopes: [] },
        ],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
type Body = GraphQLBody & { data?: any };

const run = async (query: string, token = 'analytics-admin-00000000000000001'): Promise<Body> => {
  h.resetCounts();
  const { body } = await postGraphQL(h.endpoint, { query }, { authorization: `Bearer ${token}` });
  return body;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
async function data(query: string): Promise<any> {
  const body = await run(query);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.['code']);

group('Organization.analyticsUserActivity', () => {
  it('reads a day’s members sorted by email, each related to its User', async () => {
    const rows = (
      await data(`{ organization { analyticsUserActivity(date: "${DAY}") { nodes {
        userId emailAddress user { id email } webSearchCount
        chat { messageCount distinctConversationCount } claudeCode { linesAdded editsAccepted }
        cowork { messageCount } design { messageCount } science { messageCount } } } } }`)
    ).organization.analyticsUserActivity.nodes;
    const requests = h.upstream();
    expect(requests.filter((r) => r.path.startsWith(API)).map((r) => [r.path, r.query])).toEqual([
      [`${API}/users`, { date: [DAY] }],
    ]);
    // The users behind the rows: one page of the user list, shared by every row.
    expect(requests.filter((r) => !r.path.startsWith(API))).toHaveLength(1);
    expect(rows.length).toBeGreaterThan(1);
    const emails = rows.map((r: { emailAddress: string }) => r.emailAddress);
    expect(emails).toEqual([...emails].sort());
    for (const row of rows) {
      expect(row.user?.id ?? row.userId).toBe(row.userId);
      expect(row.chat.messageCount).toBeGreaterThanOrEqual(0);
    }
    expect(rows.some((r: { user: unknown }) => r.user !== null)).toBe(true);
  });

  it('rolls a range up per RBAC group, filtered, with the group as a node', async () => {
    const rows = (
      await data(`{ organization { analyticsUserActivity(startingDate: "2026-10-01", endingDate: "2026-10-15",
        groupBy: [RBAC_GROUP_ID], rbacGroupIds: ["${RBAC_FIXTURE_IDS.engineeringGroup}"], orderBy: "message_count", order: DESCENDING) {
        nodes { userId rbacGroupId rbacGroupName rbacGroup { id } distinctUserCount } } } }`)
    ).organization.analyticsUserActivity.nodes;
    const [request] = h.upstream().filter((r) => r.path.startsWith(API));
    expect(request!.query).toEqual({
      starting_date: ['2026-10-01'],
      ending_date: ['2026-10-15'],
      'filter[]': [`rbac_group_id:${RBAC_FIXTURE_IDS.engineeringGroup}`],
      'group_by[]': ['rbac_group_id'],
      order: ['desc'],
      order_by: ['message_count'],
    });
    expect(rows).toEqual([
      {
        userId: null,
        rbacGroupId: RBAC_FIXTURE_IDS.engineeringGroup,
        rbacGroupName: 'Engineering',
        rbacGroup: { id: RBAC_FIXTURE_IDS.engineeringGroup },
        distinctUserCount: expect.any(Number),
      },
    ]);
  });

  it('gives the same rows whatever the page size', async () => {
    const query = (first: number, after?: string) =>
      `{ organization { analyticsUserActivity(startingDate: "2026-09-01", endingDate: "2026-10-20", first: ${first}${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor } nodes { userId chat { messageCount } } } } }`;
    const whole = (await data(query(1000))).organization.analyticsUserActivity;
    expect(whole.pageInfo.hasNextPage).toBe(false);
    const walked: unknown[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = (await data(query(2, after))).organization.analyticsUserActivity;
      walked.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.nodes);
    expect(walked.length).toBeGreaterThan(2);
  });

  it('refuses bad arguments before any request, and callers without the read scope', async () => {
    for (const args of [
      `date: "${DAY}", startingDate: "${DAY}"`,
      `endingDate: "${DAY}"`,
      `date: "${DAY}", userIds: ["wrkspc_01Nope"]`,
      `date: "${DAY}", projectIds: ["proj_1"]`,
      `date: "${DAY}", groupBy: [PRODUCT]`,
    ]) {
      const body = await run(
        `{ organization { analyticsUserActivity(${args}) { nodes { userId } } } }`,
      );
      expect(codes(body), args).toEqual(['BAD_USER_INPUT']);
    }
    const forbidden = await run(
      `{ organization { analyticsUserActivity(date: "${DAY}") { nodes { userId } } } }`,
      NOTHING_TOKEN,
    );
    expect(codes(forbidden)).toContain('FORBIDDEN');
    expect(h.upstream()).toEqual([]);
  });

  it('maps the Admin API’s 400 for a day without data yet to a field error', async () => {
    const body = await run(
      `{ organization { name analyticsUserActivity(date: "2026-11-20") { nodes { userId } } } }`,
    );
    expect(body.data.organization.name).toBeTruthy();
    expect(body.data.organization.analyticsUserActivity).toBeNull();
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.message).toContain('available up to 2026-10-31');
  });
});

group('Organization.analyticsChatProjects and analyticsArtifacts', () => {
  it('reads chat projects per member, with their creators and members as users', async () => {
    const rows = (
      await data(`{ organization { analyticsChatProjects(date: "${DAY}", groupBy: [USER_ID],
        projectIds: ["${ANALYTICS_PROJECTS[0].id}"]) { nodes {
        projectId projectName createdBy { id } userId user { id } messageCount distinctUserCount } } } }`)
    ).organization.analyticsChatProjects.nodes;
    expect(h.upstream().filter((r) => r.path.startsWith(API))[0]!.query).toEqual({
      date: [DAY],
      'filter[]': [`project_id:${ANALYTICS_PROJECTS[0].id}`],
      'group_by[]': ['user_id'],
    });
    for (const row of rows) {
      expect(row.projectId).toBe(ANALYTICS_PROJECTS[0].id);
      expect(row.user.id).toBe(row.userId);
      expect(row.distinctUserCount).toBe(1);
    }
  });

  it('reads the artifact cube of a day, per product', async () => {
    const rows = (
      await data(`{ organization { analyticsArtifacts(date: "${DAY}", groupBy: [PRODUCT]) { nodes {
        artifactType isShared product productValue artifactsCreatedCount publishedArtifactsCreatedCount } } } }`)
    ).organization.analyticsArtifacts.nodes;
    expect(h.upstream().filter((r) => r.path.startsWith(API))[0]!.query).toEqual({
      date: [DAY],
      'group_by[]': ['product'],
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.publishedArtifactsCreatedCount).toBeLessThanOrEqual(row.artifactsCreatedCount);
      expect(['CHAT', 'CLAUDE_CODE', 'COWORK']).toContain(row.product);
    }
    const noDate = await run(`{ organization { analyticsArtifacts { nodes { artifactType } } } }`);
    expect(codes(noDate)).toEqual(['BAD_USER_INPUT']);
  });
});

group('Organization.analyticsConnectors, analyticsPlugins and analyticsSkills', () => {
  it('read each tool list with its typed filters as filter[] entries', async () => {
    const result = await data(`{ organization {
      analyticsConnectors(startingDate: "2026-10-01", names: ["github"], products: [CLAUDE_CODE]) {
        nodes { connectorName connectorDisplayName distinctUserCount readCallCount claudeCodeSessionCount } }
      analyticsPlugins(startingDate: "2026-10-01", endingDate: "2026-10-15", groupBy: [USER_ID], orderBy: "invocation_count") {
        nodes { pluginName pluginId userId user { id } invocationCount coworkSessionCount } }
      analyticsSkills(date: "${DAY}", shareStatuses: [PUBLIC]) {
        nodes { skillName shareStatus attributedListPrice { minorUnits currency } invocationCount } } } }`);
    const queries = Object.fromEntries(
      h
        .upstream()
        .filter((r) => r.path.startsWith(API))
        .map((r) => [r.path.slice(API.length), r.query]),
    );
    expect(queries).toEqual({
      '/connectors': {
        starting_date: ['2026-10-01'],
        'filter[]': ['connector_name:github', 'product:claude_code'],
      },
      '/plugins': {
        starting_date: ['2026-10-01'],
        ending_date: ['2026-10-15'],
        'group_by[]': ['user_id'],
        order_by: ['invocation_count'],
      },
      '/skills': { date: [DAY], 'filter[]': ['share_status:public'] },
    });
    const { analyticsConnectors, analyticsPlugins, analyticsSkills } = result.organization;
    expect(analyticsConnectors.nodes.length).toBeGreaterThan(0);
    expect(analyticsPlugins.nodes.length).toBeGreaterThan(1);
    for (const row of analyticsConnectors.nodes) expect(row.connectorName).toBe('github');
    const invocations = analyticsPlugins.nodes.map(
      (r: { invocationCount: number }) => r.invocationCount,
    );
    expect(invocations).toEqual([...invocations].sort((a, b) => b - a));
    for (const row of analyticsPlugins.nodes) expect(row.user.id).toBe(row.userId);
    expect(analyticsSkills.nodes.length).toBeGreaterThan(0);
    for (const row of analyticsSkills.nodes) expect(row.shareStatus).toBe('PUBLIC');
  });

  it('refuses products a list does not take, before any request', async () => {
    const body = await run(
      `{ organization { analyticsPlugins(date: "${DAY}", products: [CHAT]) { nodes { pluginName } } } }`,
    );
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(h.upstream()).toEqual([]);
  });
});

group('the emulator', () => {
  const get = async (path: string) => {
    const response = await fetch(h.sandbox.url + path, {
      headers: { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01' },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw REST body
    return { status: response.status, body: (await response.json()) as any };
  };

  it('binds page tokens to their query and checks its parameters', async () => {
    const base = `${API}/users?starting_date=2026-09-01&ending_date=2026-10-20&limit=1`;
    const first = await get(base);
    expect(first.status).toBe(200);
    const token = first.body.next_page as string;
    expect((await get(`${base}&page=${token}`)).status).toBe(200);
    const other = await get(`${base.replace('limit=1', 'limit=2')}&page=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^page:/);
    for (const [path, name] of [
      [`${API}/users`, 'date'],
      [`${API}/users?date=${DAY}&group_by[]=user_id`, 'group_by'],
      [`${API}/users?date=${DAY}&filter[]=product:chat`, 'filter'],
      [`${API}/users?date=${DAY}&limit=0`, 'limit'],
      [`${API}/apps/chat/projects?date=${DAY}&group_by[]=product`, 'group_by'],
      [`${API}/artifacts?starting_date=${DAY}`, 'starting_date'],
      [`${API}/users?date=2025-12-31`, 'date'],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.message, path).toMatch(new RegExp(`^${name}`));
    }
  });
});
