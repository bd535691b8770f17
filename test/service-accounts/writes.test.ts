import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { API, calls, gql, seeded, useHarness } from './helpers.js';

const PRODUCTION = FIXTURE_IDS.productionWorkspace;
const DEFAULT = FIXTURE_IDS.defaultWorkspace;
const ARCHIVED_WORKSPACE = FIXTURE_IDS.archivedWorkspace;

const READER = 'sa-scopes-reader-token-000000000001';
const WRITER = 'sa-scopes-writer-token-000000000002';
const OWNER = 'sa-scopes-owner-token-0000000000003';

const harness = useHarness({
  auth: {
    mode: 'token',
    tokens: [
      { name: 'reader', token: READER, scopes: ['read'] },
      { name: 'writer', token: WRITER, scopes: ['read', 'write'] },
      { name: 'owner', token: OWNER, scopes: ['read', 'write', 'service_accounts:write'] },
    ],
  },
});
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const owner = as(OWNER);

const ERRORS = 'userErrors { code field message }';

describe('service accounts', () => {
  it('createServiceAccount sends one POST and answers the new account, which a later read shows', async () => {
    const h = harness();
    const body = await gql(
      h,
      `mutation { createServiceAccount(input: { name: "etl-bot", description: "Loads the warehouse.", organizationRole: DEVELOPER }) {
        serviceAccount { id name description organizationRole isArchived } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    const payload = (
      body.data as {
        createServiceAccount: { serviceAccount: { id: string }; userErrors: unknown[] };
      }
    ).createServiceAccount;
    expect(payload).toEqual({
      serviceAccount: {
        id: expect.stringMatching(/^svac_/),
        name: 'etl-bot',
        description: 'Loads the warehouse.',
        organizationRole: 'DEVELOPER',
        isArchived: false,
      },
      userErrors: [],
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body, r.credential])).toEqual([
      [
        'POST',
        `${API}/service_accounts`,
        { name: 'etl-bot', description: 'Loads the warehouse.', organization_role: 'developer' },
        'oauth',
      ],
    ]);
    const read = await gql(
      h,
      `{ serviceAccount(id: "${payload.serviceAccount.id}") { name } organization { serviceAccounts(first: 1) { nodes { name } } } }`,
      {},
      owner,
    );
    expect(read.data).toEqual({
      serviceAccount: { name: 'etl-bot' },
      organization: { serviceAccounts: { nodes: [{ name: 'etl-bot' }] } },
    });
  });

  it('a name already taken is a CONFLICT, a name that is not a slug INVALID_INPUT on `name`', async () => {
    const h = harness();
    const body = await gql(
      h,
      `mutation { a: createServiceAccount(input: { name: "ci-deploy-bot" }) { serviceAccount { id } ${ERRORS} }
                  b: createServiceAccount(input: { name: "Not A Slug" }) { serviceAccount { id } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      a: { serviceAccount: null, userErrors: [{ code: 'CONFLICT', field: null }] },
      b: {
        serviceAccount: null,
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'name'] }],
      },
    });
  });

  it('updateServiceAccount sends only what was given; null clears the description', async () => {
    const h = harness();
    const { deploy } = seeded(h);
    const body = await gql(
      h,
      `mutation { updateServiceAccount(input: { serviceAccountId: "${deploy}", description: null, organizationRole: ADMIN }) {
        serviceAccount { description organizationRole } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(body.data).toEqual({
      updateServiceAccount: {
        serviceAccount: { description: '', organizationRole: 'ADMIN' },
        userErrors: [],
      },
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `${API}/service_accounts/${deploy}`,
        { description: null, organization_role: 'admin' },
      ],
    ]);
  });

  it('refuses an unknown, malformed or archived account as userErrors', async () => {
    const h = harness();
    const { archived } = seeded(h);
    const body = await gql(
      h,
      `mutation {
        missing: updateServiceAccount(input: { serviceAccountId: "svac_01missing", description: "x" }) { ${ERRORS} }
        malformed: archiveServiceAccount(input: { serviceAccountId: "user_01x" }) { ${ERRORS} }
        archived: updateServiceAccount(input: { serviceAccountId: "${archived}", description: "x" }) { ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      missing: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'serviceAccountId'] }] },
      malformed: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'serviceAccountId'] }] },
      archived: { userErrors: [{ code: 'INVALID_INPUT' }] },
    });
    // The malformed id never reached a URL.
    expect(calls(h)).toEqual([
      `POST ${API}/service_accounts/svac_01missing`,
      `POST ${API}/service_accounts/${archived}`,
    ]);
  });

  it('archiveServiceAccount archives, and its memberships go with it', async () => {
    const h = harness();
    const { pipeline } = seeded(h);
    const body = await gql(
      h,
      `mutation { archiveServiceAccount(input: { serviceAccountId: "${pipeline}" }) { serviceAccount { isArchived archivedBy { __typename } } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(body.data).toEqual({
      archiveServiceAccount: {
        serviceAccount: { isArchived: true, archivedBy: { __typename: 'User' } },
        userErrors: [],
      },
    });
    const read = await gql(
      h,
      `{ serviceAccount(id: "${pipeline}") { workspaces { nodes { workspaceId } } } workspace(id: "${PRODUCTION}") { serviceAccounts { nodes { serviceAccountId } } } }`,
      {},
      owner,
    );
    expect(read.errors).toBeUndefined();
    const data = read.data as {
      serviceAccount: { workspaces: { nodes: unknown[] } };
      workspace: { serviceAccounts: { nodes: { serviceAccountId: string }[] } };
    };
    expect(data.serviceAccount.workspaces.nodes).toEqual([]);
    expect(data.workspace.serviceAccounts.nodes.map((n) => n.serviceAccountId)).not.toContain(
      pipeline,
    );
  });
});

describe('workspace memberships', () => {
  it('add, update and remove: each one upstream write, and later reads in the operation see it', async () => {
    const h = harness();
    const { evals } = seeded(h);
    const member =
      'serviceAccountWorkspaceMember { role implicit serviceAccount { organizationRole } }';
    const body = await gql(
      h,
      `mutation {
        add: addWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${evals}", role: WORKSPACE_DEVELOPER }) { ${member} ${ERRORS} }
        promote: updateServiceAccount(input: { serviceAccountId: "${evals}", organizationRole: ADMIN }) { ${ERRORS} }
        update: updateWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${evals}", role: WORKSPACE_ADMIN }) { ${member} ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      add: {
        serviceAccountWorkspaceMember: {
          role: 'WORKSPACE_DEVELOPER',
          implicit: false,
          serviceAccount: { organizationRole: 'DEVELOPER' },
        },
        userErrors: [],
      },
      promote: { userErrors: [] },
      // The account read after the promotion is read anew, not the copy from before it.
      update: {
        serviceAccountWorkspaceMember: {
          role: 'WORKSPACE_ADMIN',
          implicit: false,
          serviceAccount: { organizationRole: 'ADMIN' },
        },
        userErrors: [],
      },
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `${API}/service_accounts/${evals}/workspaces`,
        { workspace_id: PRODUCTION, workspace_role: 'workspace_developer' },
      ],
      ['GET', `${API}/service_accounts/${evals}`, null],
      ['POST', `${API}/service_accounts/${evals}`, { organization_role: 'admin' }],
      [
        'POST',
        `${API}/workspaces/${PRODUCTION}/service_accounts/${evals}`,
        { workspace_role: 'workspace_admin' },
      ],
      ['GET', `${API}/service_accounts/${evals}`, null],
    ]);

    h.resetCounts();
    const removed = await gql(
      h,
      `mutation { removeWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${evals}" }) { removedServiceAccountId workspaceId ${ERRORS} } }`,
      {},
      owner,
    );
    expect(removed.data).toEqual({
      removeWorkspaceServiceAccount: {
        removedServiceAccountId: evals,
        workspaceId: PRODUCTION,
        userErrors: [],
      },
    });
    expect(calls(h)).toEqual([`DELETE ${API}/service_accounts/${evals}/workspaces/${PRODUCTION}`]);
    const read = await gql(
      h,
      `{ workspace(id: "${PRODUCTION}") { serviceAccountMember(serviceAccountId: "${evals}") { role } } }`,
      {},
      owner,
    );
    expect(read.data).toEqual({ workspace: { serviceAccountMember: null } });
  });

  it('removing an explicit Default Workspace membership falls back to the implicit one', async () => {
    const h = harness();
    const { platform } = seeded(h);
    await gql(
      h,
      `mutation { removeWorkspaceServiceAccount(input: { workspaceId: "${DEFAULT}", serviceAccountId: "${platform}" }) { ${ERRORS} } }`,
      {},
      owner,
    );
    const read = await gql(
      h,
      `{ serviceAccount(id: "${platform}") { workspaces { nodes { implicit role workspaceId } } } }`,
      {},
      owner,
    );
    expect(read.data).toEqual({
      serviceAccount: {
        workspaces: {
          nodes: [
            { implicit: true, role: 'WORKSPACE_USER', workspaceId: DEFAULT },
            { implicit: false, role: 'WORKSPACE_ADMIN', workspaceId: PRODUCTION },
          ],
        },
      },
    });
  });

  it('refuses WORKSPACE_BILLING before any request, and archived workspaces and implicit memberships as userErrors', async () => {
    const h = harness();
    const { deploy } = seeded(h);
    const body = await gql(
      h,
      `mutation {
        billing: addWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${deploy}", role: WORKSPACE_BILLING }) { ${ERRORS} }
        archived: addWorkspaceServiceAccount(input: { workspaceId: "${ARCHIVED_WORKSPACE}", serviceAccountId: "${deploy}", role: WORKSPACE_USER }) { ${ERRORS} }
        implicit: updateWorkspaceServiceAccount(input: { workspaceId: "${DEFAULT}", serviceAccountId: "${deploy}", role: WORKSPACE_ADMIN }) { ${ERRORS} }
        missing: updateWorkspaceServiceAccount(input: { workspaceId: "wrkspc_01missing", serviceAccountId: "${deploy}", role: WORKSPACE_ADMIN }) { ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      billing: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'role'] }] },
      archived: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'workspaceId'] }] },
      implicit: { userErrors: [{ code: 'INVALID_INPUT' }] },
      missing: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'workspaceId'] }] },
    });
    expect(calls(h)).toEqual([
      `POST ${API}/service_accounts/${deploy}/workspaces`,
      `POST ${API}/workspaces/${DEFAULT}/service_accounts/${deploy}`,
      `POST ${API}/workspaces/wrkspc_01missing/service_accounts/${deploy}`,
    ]);
  });
});

describe('scopes', () => {
  it.each([
    [READER, ['write', 'service_accounts:write']],
    [WRITER, ['service_accounts:write']],
  ])(
    'a caller without service_accounts:write gets FORBIDDEN and no upstream request',
    async (token, missing) => {
      const h = harness();
      const { deploy } = seeded(h);
      for (const mutation of [
        'createServiceAccount(input: { name: "x" }) { userErrors { code } }',
        `archiveServiceAccount(input: { serviceAccountId: "${deploy}" }) { userErrors { code } }`,
        `addWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${deploy}", role: WORKSPACE_USER }) { userErrors { code } }`,
        `removeWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${deploy}" }) { userErrors { code } }`,
      ]) {
        const body = await gql(h, `mutation { ${mutation} }`, {}, as(token));
        expect(body.errors?.[0]?.extensions).toMatchObject({
          code: 'FORBIDDEN',
          missingScopes: missing,
        });
      }
      expect(calls(h)).toEqual([]);
    },
  );

  it('reads need only `read`', async () => {
    const h = harness();
    const body = await gql(
      h,
      '{ organization { serviceAccounts(first: 1) { nodes { name } } } }',
      {},
      as(READER),
    );
    expect(body.errors).toBeUndefined();
    expect(calls(h)).toEqual([`GET ${API}/service_accounts?include_archived=false&limit=1`]);
  });
});

describe('cost estimate', () => {
  it('counts the list, a membership page per account and the shared workspace lookups', async () => {
    const h = harness();
    const body = await gql(
      h,
      '{ organization { serviceAccounts(first: 4) { nodes { name workspaces(first: 3) { nodes { workspace { name } } } } } } }',
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    const cost = (body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost;
    // 1 list + 4 membership pages + workspace lookups (one list page, one GET at most).
    expect(cost?.['estimatedUpstreamRequests']).toBe(7);
    expect(cost?.['upstreamRequests']).toBeLessThanOrEqual(7);
  });

  it('counts one request per mutation', async () => {
    const h = harness();
    const { deploy } = seeded(h);
    const body = await gql(
      h,
      `mutation { archiveServiceAccount(input: { serviceAccountId: "${deploy}" }) { userErrors { code } } }`,
      {},
      owner,
    );
    const cost = (body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost;
    expect(cost?.['estimatedUpstreamRequests']).toBe(1);
    expect(cost?.['upstreamRequests']).toBe(1);
  });
});

describe('a write whose answer is lost', () => {
  // A live clock, so that a read-back can tell what was created after the write was sent.
  let live: Harness;
  beforeAll(async () => {
    live = await startHarness({ sandbox: { now: undefined } });
  });
  afterAll(() => live.close());

  it('reads back once and answers the real outcome when the write was carried out', async () => {
    const h = live;
    const { deploy } = seeded(h);
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'POST' });
    const created = await gql(
      h,
      `mutation { createServiceAccount(input: { name: "lost-answer-bot" }) { serviceAccount { name } ${ERRORS} } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({
      createServiceAccount: { serviceAccount: { name: 'lost-answer-bot' }, userErrors: [] },
    });
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'POST' });
    const added = await gql(
      h,
      `mutation { addWorkspaceServiceAccount(input: { workspaceId: "${PRODUCTION}", serviceAccountId: "${deploy}", role: WORKSPACE_ADMIN }) { serviceAccountWorkspaceMember { role } ${ERRORS} } }`,
    );
    expect(added.data).toEqual({
      addWorkspaceServiceAccount: {
        serviceAccountWorkspaceMember: { role: 'WORKSPACE_ADMIN' },
        userErrors: [],
      },
    });
    // One write each, never retried, and one read-back each.
    expect(h.upstream().map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'GET']);
  });

  it('answers UPSTREAM_OUTCOME_UNKNOWN when the read-back does not show the change', async () => {
    const h = live;
    const { deploy } = seeded(h);
    h.sandbox.injectFault({ kind: 'reset', handle: false, method: 'POST' });
    const body = await gql(
      h,
      `mutation { archiveServiceAccount(input: { serviceAccountId: "${deploy}" }) { ${ERRORS} } }`,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
  });
});
