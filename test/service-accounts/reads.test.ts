import { describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { API, calls, gql, seeded, useHarness } from './helpers.js';

const harness = useHarness();
const PRODUCTION = FIXTURE_IDS.productionWorkspace;
const DEFAULT = FIXTURE_IDS.defaultWorkspace;

interface Page {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe('Organization.serviceAccounts', () => {
  it('lists newest first with one GET that carries the OAuth token and the filter', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      '{ organization { serviceAccounts(first: 2) { nodes { id name organizationRole organizationRoleValue isArchived } pageInfo { hasNextPage } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organization: {
        serviceAccounts: {
          nodes: [
            {
              id: ids.platform,
              name: 'platform-admin-bot',
              organizationRole: 'ADMIN',
              organizationRoleValue: 'admin',
              isArchived: false,
            },
            {
              id: ids.evals,
              name: 'eval-runner',
              organizationRole: 'DEVELOPER',
              organizationRoleValue: 'developer',
              isArchived: false,
            },
          ],
          pageInfo: { hasNextPage: true },
        },
      },
    });
    expect(calls(h)).toEqual([`GET ${API}/service_accounts?include_archived=false&limit=2`]);
    expect(h.upstream().map((r) => r.credential)).toEqual(['oauth']);
  });

  it('includes archived service accounts when asked', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      '{ organization { serviceAccounts(first: 10, includeArchived: true) { nodes { id isArchived archivedAt } } } }',
    );
    const nodes = (
      body.data as {
        organization: { serviceAccounts: { nodes: { id: string; isArchived: boolean }[] } };
      }
    ).organization.serviceAccounts.nodes;
    expect(nodes.map((n) => n.id)).toEqual([
      ids.platform,
      ids.evals,
      ids.pipeline,
      ids.deploy,
      ids.archived,
    ]);
    expect(nodes.at(-1)).toMatchObject({ isArchived: true });
    expect(calls(h)).toEqual([`GET ${API}/service_accounts?include_archived=true&limit=10`]);
  });

  it('pages of any size give the same items as one page', async () => {
    const h = harness();
    const all = await gql(
      h,
      '{ organization { serviceAccounts(first: 1000, includeArchived: true) { nodes { id } } } }',
    );
    const expected = (
      all.data as { organization: { serviceAccounts: Page } }
    ).organization.serviceAccounts.nodes.map((n) => n.id);
    expect(expected).toHaveLength(5);
    for (const size of [1, 2, 3]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const body = await gql(
          h,
          'query($first: Int!, $after: String) { organization { serviceAccounts(first: $first, after: $after, includeArchived: true) { nodes { id } pageInfo { hasNextPage endCursor } } } }',
          { first: size, after },
        );
        expect(body.errors).toBeUndefined();
        const page = (body.data as { organization: { serviceAccounts: Page } }).organization
          .serviceAccounts;
        seen.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    }
  });

  it('refuses `last` before any upstream request', async () => {
    const h = harness();
    const body = await gql(h, '{ organization { serviceAccounts(last: 2) { nodes { id } } } }');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(calls(h)).toEqual([]);
  });
});

describe('serviceAccount(id:) and node(id:)', () => {
  it('reads one by id, and a missing one is null', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ a: serviceAccount(id: "${ids.deploy}") { id name description createdBy { __typename ... on User { id } } }
         b: serviceAccount(id: "svac_01missing") { id } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      a: {
        id: ids.deploy,
        name: 'ci-deploy-bot',
        description: 'Deploys from CI through workload identity federation.',
        createdBy: { __typename: 'User', id: FIXTURE_IDS.adminUser },
      },
      b: null,
    });
    // Two lookups walk the list once (archived ones included); the one it did not show costs its GET.
    expect(calls(h)).toEqual([
      `GET ${API}/service_accounts?include_archived=true&limit=1000`,
      `GET ${API}/service_accounts/svac_01missing`,
      `GET ${API}/users/${FIXTURE_IDS.adminUser}`,
    ]);
  });

  it('a lone lookup is one GET', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(h, `{ serviceAccount(id: "${ids.archived}") { isArchived } }`);
    expect(body.data).toEqual({ serviceAccount: { isArchived: true } });
    expect(calls(h)).toEqual([`GET ${API}/service_accounts/${ids.archived}`]);
  });

  it('refuses a malformed id without an upstream request', async () => {
    const h = harness();
    const body = await gql(h, '{ serviceAccount(id: "../users") { id } }');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(calls(h)).toEqual([]);
  });

  it('node(id:) resolves a svac_ id to a ServiceAccount', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ node(id: "${ids.evals}") { __typename id ... on ServiceAccount { name } } }`,
    );
    expect(body.data).toEqual({
      node: { __typename: 'ServiceAccount', id: ids.evals, name: 'eval-runner' },
    });
    expect(calls(h)).toEqual([`GET ${API}/service_accounts/${ids.evals}`]);
  });
});

describe('workspace memberships', () => {
  it('ServiceAccount.workspaces starts with the implicit Default Workspace membership', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ serviceAccount(id: "${ids.pipeline}") { workspaces(first: 10) { nodes { implicit role roleValue workspaceId serviceAccountId workspace { name } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const nodes = (
      body.data as { serviceAccount: { workspaces: { nodes: Record<string, unknown>[] } } }
    ).serviceAccount.workspaces.nodes;
    expect(nodes.slice(0, 2)).toEqual([
      {
        implicit: true,
        role: 'WORKSPACE_USER',
        roleValue: 'workspace_user',
        workspaceId: DEFAULT,
        serviceAccountId: ids.pipeline,
        workspace: { name: 'Default' },
      },
      {
        implicit: false,
        role: 'WORKSPACE_RESTRICTED_DEVELOPER',
        roleValue: 'workspace_restricted_developer',
        workspaceId: PRODUCTION,
        serviceAccountId: ids.pipeline,
        workspace: { name: 'Production' },
      },
    ]);
    expect(nodes).toHaveLength(3);
    expect(calls(h)).toContain(`GET ${API}/service_accounts/${ids.pipeline}/workspaces?limit=10`);
  });

  it('pages of memberships of any size give the same items as one page', async () => {
    const h = harness();
    const ids = seeded(h);
    const query = `query($first: Int!, $after: String) { serviceAccount(id: "${ids.pipeline}") { workspaces(first: $first, after: $after) { nodes { workspaceId implicit } pageInfo { hasNextPage endCursor } } } }`;
    type P = { nodes: { workspaceId: string }[]; pageInfo: Page['pageInfo'] };
    const all = await gql(h, query, { first: 100 });
    const expected = (all.data as { serviceAccount: { workspaces: P } }).serviceAccount.workspaces;
    for (const size of [1, 2]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const body = await gql(h, query, { first: size, after });
        expect(body.errors).toBeUndefined();
        const page = (body.data as { serviceAccount: { workspaces: P } }).serviceAccount.workspaces;
        seen.push(...page.nodes.map((n) => n.workspaceId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected.nodes.map((n) => n.workspaceId));
    }
  });

  it('an explicit Default Workspace membership replaces the implicit one; an archived account has none', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ p: serviceAccount(id: "${ids.platform}") { workspaces { nodes { implicit role workspaceId } } }
         a: serviceAccount(id: "${ids.archived}") { workspaces { nodes { workspaceId } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      p: {
        workspaces: {
          nodes: [
            { implicit: false, role: 'WORKSPACE_ADMIN', workspaceId: PRODUCTION },
            { implicit: false, role: 'WORKSPACE_DEVELOPER', workspaceId: DEFAULT },
          ],
        },
      },
      a: { workspaces: { nodes: [] } },
    });
  });

  it('Workspace.serviceAccounts lists explicit members, archived service accounts left out', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ workspace(id: "${PRODUCTION}") { serviceAccounts(first: 10) { nodes { role serviceAccount { name } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      workspace: {
        serviceAccounts: {
          nodes: [
            { role: 'WORKSPACE_DEVELOPER', serviceAccount: { name: 'ci-deploy-bot' } },
            { role: 'WORKSPACE_RESTRICTED_DEVELOPER', serviceAccount: { name: 'data-pipeline' } },
            { role: 'WORKSPACE_ADMIN', serviceAccount: { name: 'platform-admin-bot' } },
          ],
        },
      },
    });
    expect(calls(h)).toEqual([
      `GET ${API}/workspaces/${PRODUCTION}`,
      `GET ${API}/workspaces/${PRODUCTION}/service_accounts?limit=10`,
      // The members' service accounts: one list page instead of three GETs.
      `GET ${API}/service_accounts?include_archived=true&limit=1000`,
    ]);
    expect(ids.archived).toBeTruthy();
  });

  it('an archived workspace’s list is an error on that field alone', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ workspace(id: "${FIXTURE_IDS.archivedWorkspace}") { name serviceAccounts { nodes { role } } } }`,
    );
    expect(body.data).toEqual({ workspace: { name: 'Hackathon 2025', serviceAccounts: null } });
    expect(body.errors?.[0]).toMatchObject({
      path: ['workspace', 'serviceAccounts'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('Workspace.serviceAccountMember reads one membership: implicit on the Default Workspace, null when none', async () => {
    const h = harness();
    const ids = seeded(h);
    const body = await gql(
      h,
      `{ d: workspace(id: "${DEFAULT}") { serviceAccountMember(serviceAccountId: "${ids.deploy}") { implicit role createdByActorId } }
         p: workspace(id: "${PRODUCTION}") { serviceAccountMember(serviceAccountId: "${ids.evals}") { role } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      d: {
        serviceAccountMember: { implicit: true, role: 'WORKSPACE_USER', createdByActorId: null },
      },
      p: { serviceAccountMember: null },
    });
    expect(calls(h)).toContain(`GET ${API}/workspaces/${DEFAULT}/service_accounts/${ids.deploy}`);
  });
});

describe('API key actors', () => {
  it('a key whose principal is a service account reaches it as such', async () => {
    const h = harness();
    const key = [...h.sandbox.store.apiKeys.values()].find(
      (k) => k.principal?.type === 'service_account',
    );
    const userKey = FIXTURE_IDS.activeApiKey;
    expect(key).toBeDefined();
    const body = await gql(
      h,
      `{ a: apiKey(id: "${key!.id}") { principal { serviceAccount { id name } user { id } } }
         b: apiKey(id: "${userKey}") { principal { serviceAccount { id } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      a: {
        principal: {
          serviceAccount: { id: key!.principal!.id, name: expect.any(String) },
          user: null,
        },
      },
      b: { principal: { serviceAccount: null } },
    });
    // The user's key costs no service-account request.
    expect(calls(h).filter((c) => c.includes('/service_accounts'))).toEqual([
      `GET ${API}/service_accounts/${key!.principal!.id}`,
    ]);
  });
});
