import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  forgetTelemetryTests,
  setTelemetryEnabled,
  telemetryHeaderValues,
} from '../../src/sandbox/resources/telemetry-destinations.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const ROOT = '/v1/organizations/telemetry_destinations';
const BETA = 'telemetry-destinations-2026-08-11';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

const gql = async (query: string, variables: Record<string, unknown> = {}) =>
  (await postGraphQL(h.endpoint, { query, variables })).body;

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

interface Destination {
  id: string;
  displayName: string | null;
  coverage: string;
  state: string;
  disabledReason: string | null;
  headerNames: string[];
}
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    organization {
      telemetryDestinations(first: $first, after: $after) {
        nodes {
          id
          displayName
          coverage
          state
          disabledReason
          headerNames
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
type ListData = {
  organization: {
    telemetryDestinations: {
      nodes: Destination[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};
const list = async (variables: Record<string, unknown> = {}) =>
  (await data<ListData>(LIST, variables)).organization.telemetryDestinations;

async function walk(first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await list({ first, after });
    ids.push(...page.nodes.map((node) => node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const CREATE = /* GraphQL */ `
  mutation ($input: CreateTelemetryDestinationInput!) {
    createTelemetryDestination(input: $input) {
      telemetryDestination {
        id
        displayName
        endpointUrl
        coverage
        headerNames
        traces {
          enabled
          contentMode
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
type CreateData = {
  createTelemetryDestination: {
    telemetryDestination: (Destination & { endpointUrl: string }) | null;
    userErrors: { code: string; field: string[] | null; message: string }[];
  };
};
const create = async (input: Record<string, unknown>) =>
  (await data<CreateData>(CREATE, { input })).createTelemetryDestination;

const HEADER_VALUE = 'collector-secret-value-0123456789';
const NEW_DESTINATION = {
  endpointUrl: 'https://otel.example.com',
  coverage: 'INCLUDE',
  workspaceIds: [PRODUCTION],
  displayName: 'Collector',
  headers: [{ name: 'x-api-key', value: HEADER_VALUE }],
};

describe('reads', () => {
  it('lists destinations newest first, with the beta header, in one request', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes.map((node) => [node.displayName, node.coverage, node.state])).toEqual([
      ['Self-hosted collector', 'INCLUDE', 'DISABLED'],
      ['Honeycomb (all workspaces)', 'ALL', 'ENABLED'],
    ]);
    expect(page.nodes[0]?.disabledReason).toBe('SUSTAINED_FAILURE');
    expect(page.nodes[1]?.headerNames).toEqual(['x-honeycomb-team']);
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('gives the same destinations whatever the page size', async () => {
    for (let i = 0; i < 4; i++) await create({ ...NEW_DESTINATION, displayName: `c${i}` });
    const whole = await walk(50);
    expect(whole).toHaveLength(6);
    expect(await walk(1)).toEqual(whole);
    expect(await walk(4)).toEqual(whole);
  });

  it('shows a destination’s workspace list as workspaces, and the destinations of a workspace', async () => {
    const created = await create(NEW_DESTINATION);
    const id = created.telemetryDestination!.id;
    h.resetCounts();
    const result = await data<{
      telemetryDestination: {
        workspaceList: { nodes: { workspaceId: string; workspace: { name: string } }[] };
      };
      workspace: { telemetryDestinations: { nodes: { id: string }[] } };
    }>(
      `query ($id: ID!, $ws: ID!) {
        telemetryDestination(id: $id) { workspaceList(first: 5) { nodes { workspaceId workspace { name } } } }
        workspace(id: $ws) { telemetryDestinations(first: 10) { nodes { id } } }
      }`,
      { id, ws: PRODUCTION },
    );
    expect(result.telemetryDestination.workspaceList.nodes).toEqual([
      { workspaceId: PRODUCTION, workspace: { name: expect.any(String) } },
    ]);
    expect(result.workspace.telemetryDestinations.nodes.map((node) => node.id)).toContain(id);
    expect(h.upstream().map(show)).toEqual(
      expect.arrayContaining([
        `GET ${ROOT}/${id}`,
        `GET ${ROOT}/${id}/workspaces?limit=5`,
        `GET ${ROOT}?workspace_ids[]=${PRODUCTION}&limit=10`,
      ]),
    );
  });

  it('is null for an unknown id and refuses a malformed one unsent', async () => {
    const body = await gql(`{ a: telemetryDestination(id: "tdst_01missing") { id } }`);
    expect(body.data).toEqual({ a: null });
    h.resetCounts();
    const bad = await gql(`{ telemetryDestination(id: "wrkspc_01abc") { id } }`);
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });
});

describe('an organization not enabled for telemetry destinations', () => {
  it('answers the rest of the query and NOT_ENABLED for the destinations alone', async () => {
    setTelemetryEnabled(h.sandbox.store, false);
    const body = await gql(
      `{ organization { name telemetryDestinations(first: 5) { nodes { id } } } }`,
    );
    expect(body.data).toEqual({
      organization: { name: 'Northwind Robotics', telemetryDestinations: null },
    });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['organization', 'telemetryDestinations'],
      extensions: { code: 'NOT_ENABLED' },
    });
  });
});

describe('writes', () => {
  it('creates a destination: header values go upstream, never back, never into logs', async () => {
    const created = await create(NEW_DESTINATION);
    expect(created.userErrors).toEqual([]);
    expect(created.telemetryDestination).toMatchObject({
      displayName: 'Collector',
      coverage: 'INCLUDE',
      headerNames: ['x-api-key'],
      traces: { enabled: true, contentMode: 'METADATA_ONLY' },
    });
    const [request] = h.upstream();
    expect(show(request!)).toBe(`POST ${ROOT}`);
    expect(request!.body).toEqual({
      endpoint_url: 'https://otel.example.com',
      workspaces: { type: 'include', workspace_ids: [PRODUCTION] },
      display_name: 'Collector',
      headers: { 'x-api-key': HEADER_VALUE },
    });
    expect(telemetryHeaderValues(h.sandbox.store, created.telemetryDestination!.id)).toEqual([
      HEADER_VALUE,
    ]);
    expect(h.logs.join('\n')).not.toContain(HEADER_VALUE);
  });

  it('updates, edits the list, and a later read in the same operation sees it', async () => {
    const created = await create(NEW_DESTINATION);
    const id = created.telemetryDestination!.id;
    h.resetCounts();
    const result = await data<Record<string, unknown>>(
      `mutation ($id: ID!, $ws: ID!) {
        updateTelemetryDestination(input: { destinationId: $id, state: DISABLED, displayName: "Paused" }) {
          telemetryDestination { state disabledReason displayName }
          userErrors { code }
        }
        removeTelemetryDestinationWorkspace(input: { destinationId: $id, workspaceId: $ws }) {
          telemetryDestination { displayName state workspaceList(first: 5) { nodes { workspaceId } } }
          userErrors { code }
        }
      }`,
      { id, ws: PRODUCTION },
    );
    expect(result).toEqual({
      updateTelemetryDestination: {
        telemetryDestination: {
          state: 'DISABLED',
          disabledReason: 'CALLER',
          displayName: 'Paused',
        },
        userErrors: [],
      },
      removeTelemetryDestinationWorkspace: {
        telemetryDestination: {
          displayName: 'Paused',
          state: 'DISABLED',
          workspaceList: { nodes: [] },
        },
        userErrors: [],
      },
    });
    expect(h.upstream().map(show)).toEqual([
      `POST ${ROOT}/${id}`,
      `DELETE ${ROOT}/${id}/workspaces/${PRODUCTION}`,
      `GET ${ROOT}/${id}`,
      `GET ${ROOT}/${id}/workspaces?limit=5`,
    ]);
    expect(h.upstream()[0]?.body).toEqual({ display_name: 'Paused', state: { type: 'disabled' } });
  });

  it('deletes a destination', async () => {
    const created = await create(NEW_DESTINATION);
    const id = created.telemetryDestination!.id;
    const result = await data<Record<string, unknown>>(
      `mutation ($id: ID!) { deleteTelemetryDestination(input: { destinationId: $id }) { deletedTelemetryDestinationId userErrors { code } } }`,
      { id },
    );
    expect(result).toEqual({
      deleteTelemetryDestination: { deletedTelemetryDestinationId: id, userErrors: [] },
    });
    expect(await data(`query ($id: ID!) { telemetryDestination(id: $id) { id } }`, { id })).toEqual(
      {
        telemetryDestination: null,
      },
    );
  });
});

describe('testTelemetryDestination', () => {
  const TEST = `mutation ($id: ID!) { testTelemetryDestination(input: { destinationId: $id }) { delivered error retryAfterSeconds userErrors { code field message } } }`;

  it('sends one span, and a second within 10 s is a clear userError with retryAfterSeconds, not retried', async () => {
    const [first] = (await list({ first: 1 })).nodes;
    forgetTelemetryTests(h.sandbox.store);
    h.resetCounts();
    const ok = await data<Record<string, unknown>>(TEST, { id: first!.id });
    expect(ok).toEqual({
      testTelemetryDestination: {
        delivered: true,
        error: null,
        retryAfterSeconds: null,
        userErrors: [],
      },
    });
    const again = await data<{
      testTelemetryDestination: {
        delivered: null;
        retryAfterSeconds: number;
        userErrors: { code: string; field: string[]; message: string }[];
      };
    }>(TEST, { id: first!.id });
    expect(again.testTelemetryDestination.delivered).toBeNull();
    expect(again.testTelemetryDestination.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(again.testTelemetryDestination.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(again.testTelemetryDestination.userErrors).toEqual([
      {
        code: 'CONFLICT',
        field: ['input', 'destinationId'],
        message: expect.stringContaining('tested less than 10 s ago'),
      },
    ]);
    expect(h.upstream().map((r) => [show(r), r.status])).toEqual([
      [`POST ${ROOT}/${first!.id}/test`, 200],
      [`POST ${ROOT}/${first!.id}/test`, 429],
    ]);
  });

  it("does not pause the credential's budget on the test endpoint's own 429", async () => {
    // The shared harness runs without a budget: this one has the Admin API's 100 per minute.
    const budgeted = await startHarness({ config: { upstreamRateLimitPerMinute: 100 } });
    try {
      const post = async <T>(query: string, variables: Record<string, unknown> = {}) =>
        (await postGraphQL(budgeted.endpoint, { query, variables })).body.data as T;
      const id = (
        await post<{ organization: { telemetryDestinations: { nodes: { id: string }[] } } }>(
          '{ organization { telemetryDestinations(first: 1) { nodes { id } } } }',
        )
      ).organization.telemetryDestinations.nodes[0]!.id;
      forgetTelemetryTests(budgeted.sandbox.store);
      await post(TEST, { id });
      budgeted.resetCounts();
      const refused = await post<{ testTelemetryDestination: { retryAfterSeconds: number } }>(
        TEST,
        { id },
      );
      expect(refused.testTelemetryDestination.retryAfterSeconds).toBeGreaterThan(0);
      expect(budgeted.upstream().map((r) => r.status)).toEqual([429]);
      const after = await postGraphQL(budgeted.endpoint, {
        query: '{ rateLimit { pausedUntil } organization { users(first: 1) { nodes { id } } } }',
      });
      expect(after.body.errors).toBeUndefined();
      expect(after.body.data?.['rateLimit']).toEqual({ pausedUntil: null });
    } finally {
      await budgeted.close();
    }
  });

  it('reports a failed delivery as its reason', async () => {
    const created = await create({ ...NEW_DESTINATION, endpointUrl: 'https://collector.invalid' });
    const result = await data<Record<string, unknown>>(TEST, {
      id: created.telemetryDestination!.id,
    });
    expect(result).toEqual({
      testTelemetryDestination: {
        delivered: false,
        error: 'invalid address',
        retryAfterSeconds: null,
        userErrors: [],
      },
    });
  });
});

describe('errors', () => {
  it('maps refusals to userErrors on the input field at fault', async () => {
    const bad = await create({ ...NEW_DESTINATION, endpointUrl: 'http://plain.example.com' });
    expect(bad.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'endpointUrl'],
        message: 'endpointUrl: must be an HTTPS URL',
      },
    ]);
    const all = await create({ ...NEW_DESTINATION, coverage: 'ALL' });
    expect(all.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'workspaceIds'],
    });
    h.resetCounts();
    const body = await gql(`mutation {
      a: updateTelemetryDestination(input: { destinationId: "tdst_01missing", displayName: "x" }) { userErrors { code field } }
      b: deleteTelemetryDestination(input: { destinationId: "nope" }) { userErrors { code field } }
      c: removeTelemetryDestinationWorkspace(input: { destinationId: "tdst_01missing", workspaceId: "${PRODUCTION}" }) { userErrors { code field } }
    }`);
    expect(body.data).toEqual({
      a: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'destinationId'] }] },
      b: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'destinationId'] }] },
      c: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'destinationId'] }] },
    });
    // The malformed id and the ALL-with-list coverage never went upstream.
    expect(h.upstream().map(show)).toEqual([
      `POST ${ROOT}/tdst_01missing`,
      `DELETE ${ROOT}/tdst_01missing/workspaces/${PRODUCTION}`,
    ]);
  });

  it('names the workspace when it is not on the list', async () => {
    const seeded = (await list({ first: 5 })).nodes[0]!;
    const body = await data<Record<string, unknown>>(
      `mutation ($id: ID!) { removeTelemetryDestinationWorkspace(input: { destinationId: $id, workspaceId: "wrkspc_01NotOnTheList" }) { workspace { id } userErrors { code field } } }`,
      { id: seeded.id },
    );
    expect(body).toEqual({
      removeTelemetryDestinationWorkspace: {
        workspace: null,
        userErrors: [{ code: 'NOT_FOUND', field: ['input', 'workspaceId'] }],
      },
    });
  });
});

describe('scopes', () => {
  let scoped: Harness;
  const WRITER = 'telemetry-test-writer-token-00001';
  beforeAll(async () => {
    scoped = await startHarness({
      config: {
        auth: { mode: 'token', tokens: [{ name: 'w', token: WRITER, scopes: ['read', 'write'] }] },
      },
    });
  });
  afterAll(() => scoped.close());

  it.each([
    'testTelemetryDestination(input: { destinationId: "tdst_01abc" }) { userErrors { code } }',
    'deleteTelemetryDestination(input: { destinationId: "tdst_01abc" }) { userErrors { code } }',
    `addTelemetryDestinationWorkspace(input: { destinationId: "tdst_01abc", workspaceId: "${PRODUCTION}" }) { userErrors { code } }`,
  ])('%s needs telemetry:write and makes no request without it', async (field) => {
    const { body } = await postGraphQL(
      scoped.endpoint,
      { query: `mutation { ${field} }` },
      { authorization: `Bearer ${WRITER}` },
    );
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['telemetry:write']);
    expect(scoped.upstream()).toEqual([]);
  });
});

describe('cost estimate', () => {
  it('counts the connection, a lookup and the test as one request each', async () => {
    const [first] = (await list({ first: 1 })).nodes;
    forgetTelemetryTests(h.sandbox.store);
    for (const query of [
      '{ organization { telemetryDestinations(first: 5) { nodes { id } } } }',
      `{ telemetryDestination(id: "${first!.id}") { id } }`,
      `mutation { testTelemetryDestination(input: { destinationId: "${first!.id}" }) { delivered } }`,
    ]) {
      h.resetCounts();
      const body = (await postGraphQL(h.endpoint, { query })).body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(1);
      expect(body.extensions?.cost?.upstreamRequests).toBe(h.upstream().length);
    }
  });
});
