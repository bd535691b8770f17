import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  MOrganizationNameDocument,
  MRemoveWorkspaceMemberDocument,
  MUpdateWorkspaceDocument,
  MWorkspaceCheckDocument,
  MWorkspaceMemberCheckDocument,
} from '../generated/graphql.js';
import type { GraphQLBody } from '../support/harness.js';
import {
  emittedTexts,
  expectNoSecrets,
  startGateway,
  UNKNOWN_KEY,
  type Gateway,
} from './helpers.js';
import { MUTATIONS, payloadOf } from './table.js';

const ORG = '/v1/organizations';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

/** A query and a mutation, each with the one upstream request it makes. */
const OPERATIONS = [
  {
    kind: 'query',
    name: 'organization',
    document: MOrganizationNameDocument,
    variables: {},
    method: 'GET',
    path: `${ORG}/me`,
  },
  {
    kind: 'mutation',
    name: 'updateWorkspace',
    document: MUpdateWorkspaceDocument,
    variables: { input: { workspaceId: PRODUCTION, name: 'Renamed' } },
    method: 'POST',
    path: `${ORG}/workspaces/${PRODUCTION}`,
  },
] as const;

/** The single GraphQL error of a response, under the given root field, and no data. */
function onlyGraphQLError(body: GraphQLBody, field: string) {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors ?? [];
  // `organization` resolves lazily: its error is reported at the first field that needs the
  // upstream (organization.name); a mutation's at the mutation field itself.
  expect(error?.path?.[0]).toBe(field);
  expect(body.data ?? null).toBeNull();
  return error!;
}

const gateways: Gateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
});

describe('failures the caller cannot fix are GraphQL errors (no retries)', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await startGateway();
    gateways.push(g);
  });
  beforeEach(() => {
    g.h.sandbox.reset();
    g.h.resetCounts();
  });

  describe.each(OPERATIONS)('$kind $name', (operation) => {
    it('upstream 500 api_error → UPSTREAM_ERROR with the upstream request id', async () => {
      g.h.sandbox.injectFault({
        method: operation.method,
        path: operation.path,
        status: 500,
        errorType: 'api_error',
      });
      const { body } = await g.post(operation.document, operation.variables);
      const error = onlyGraphQLError(body, operation.name);
      const [request, ...others] = g.h.upstream();
      expect(others).toEqual([]);
      expect(request).toMatchObject({
        method: operation.method,
        path: operation.path,
        status: 500,
      });
      expect(request?.requestId).toMatch(/^req_/);
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        upstreamRequestId: request?.requestId,
      });
    });

    it('upstream 429 with retry-after → RATE_LIMITED with retryAfter', async () => {
      g.h.sandbox.injectFault({
        method: operation.method,
        path: operation.path,
        status: 429,
        errorType: 'rate_limit_error',
        retryAfter: 37,
      });
      const { body } = await g.post(operation.document, operation.variables);
      const error = onlyGraphQLError(body, operation.name);
      const requests = g.h.upstream();
      expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
        [operation.method, operation.path, 429],
      ]);
      expect(error.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfter: 37,
        upstreamRequestId: requests[0]?.requestId,
      });
    });

    it('upstream 529 overloaded_error → UPSTREAM_UNAVAILABLE', async () => {
      g.h.sandbox.injectFault({
        method: operation.method,
        path: operation.path,
        status: 529,
        errorType: 'overloaded_error',
      });
      const { body } = await g.post(operation.document, operation.variables);
      const error = onlyGraphQLError(body, operation.name);
      const requests = g.h.upstream();
      expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
        [operation.method, operation.path, 529],
      ]);
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamRequestId: requests[0]?.requestId,
      });
    });

    it('an unknown caller key (upstream 401) → UNAUTHENTICATED, no fallback to the own key', async () => {
      const { body } = await g.post(operation.document, operation.variables, {
        'x-api-key': UNKNOWN_KEY,
      });
      const error = onlyGraphQLError(body, operation.name);
      const requests = g.h.upstream();
      expect(requests.map((r) => [r.method, r.path, r.status, r.credential])).toEqual([
        [operation.method, operation.path, 401, null],
      ]);
      expect(error.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        upstreamRequestId: requests[0]?.requestId,
      });
    });
  });

  it('the failed mutations changed nothing', async () => {
    g.h.sandbox.injectFault({ method: 'POST', status: 500, errorType: 'api_error' });
    const { body } = await g.post(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, name: 'Renamed' },
    });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_ERROR');
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace?.name).toBe('Production');
  });

  describe('a 500 on any mutation: one upstream request, UPSTREAM_ERROR, no user error', () => {
    it.each(MUTATIONS)('$name', async (mutation) => {
      g.h.sandbox.injectFault({
        method: mutation.method,
        path: mutation.path,
        status: 500,
        errorType: 'api_error',
        times: 3,
      });
      const { body } = await g.post(mutation.document, { input: mutation.input });
      const error = onlyGraphQLError(body, mutation.name);
      const requests = g.h.upstream();
      expect(
        requests.map(({ method, path, body: sent, status }) => ({ method, path, sent, status })),
      ).toEqual([
        { method: mutation.method, path: mutation.path, sent: mutation.body, status: 500 },
      ]);
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        upstreamRequestId: requests[0]?.requestId,
      });
    });
  });
});

describe('with upstreamMaxRetries: 2, reads are retried and writes are not', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await startGateway({ config: { upstreamMaxRetries: 2 } });
    gateways.push(g);
  });
  beforeEach(() => {
    g.h.sandbox.reset();
    g.h.resetCounts();
  });

  it('a read that fails once with 500 is retried and succeeds', async () => {
    g.h.sandbox.injectFault({ method: 'GET', path: `${ORG}/me`, status: 500, times: 1 });
    const { body } = await g.post(MOrganizationNameDocument);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organization: { id: FIXTURE_IDS.organization, name: 'Northwind Robotics' },
    });
    expect(g.h.upstream().map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `${ORG}/me`, 500],
      ['GET', `${ORG}/me`, 200],
    ]);
  });

  it('a read that keeps failing is tried 1 + 2 times, then reports the last request id', async () => {
    g.h.sandbox.injectFault({ method: 'GET', path: `${ORG}/me`, status: 500, times: 5 });
    const { body } = await g.post(MOrganizationNameDocument);
    const error = onlyGraphQLError(body, 'organization');
    const requests = g.h.upstream();
    expect(requests.map((r) => r.status)).toEqual([500, 500, 500]);
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamRequestId: requests[2]?.requestId,
    });
  });

  it('a POST that fails once with 500 is not retried (a retry would have succeeded)', async () => {
    const path = `${ORG}/workspaces/${PRODUCTION}`;
    g.h.sandbox.injectFault({ method: 'POST', path, status: 500, times: 1 });
    const { body } = await g.post(MUpdateWorkspaceDocument, {
      input: { workspaceId: PRODUCTION, name: 'Renamed' },
    });
    const error = onlyGraphQLError(body, 'updateWorkspace');
    expect(error.extensions?.['code']).toBe('UPSTREAM_ERROR');
    expect(g.h.upstream().map((r) => [r.method, r.path, r.status])).toEqual([['POST', path, 500]]);

    g.h.resetCounts();
    const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
    expect(after.workspace?.name).toBe('Production');
    expect(g.h.upstream().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a DELETE that fails once with 529 is not retried', async () => {
    const userId = FIXTURE_IDS.developerUser;
    const path = `${ORG}/workspaces/${PRODUCTION}/members/${userId}`;
    g.h.sandbox.injectFault({ method: 'DELETE', path, status: 529, times: 1 });
    const { body } = await g.post(MRemoveWorkspaceMemberDocument, {
      input: { workspaceId: PRODUCTION, userId },
    });
    const error = onlyGraphQLError(body, 'removeWorkspaceMember');
    expect(error.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(g.h.upstream().map((r) => [r.method, r.path, r.status])).toEqual([
      ['DELETE', path, 529],
    ]);
    const after = await g.client.request(MWorkspaceMemberCheckDocument, {
      workspaceId: PRODUCTION,
      userId,
    });
    expect(after.workspaceMember?.role).toBe('WORKSPACE_DEVELOPER');
  });

  it('a POST answered 429 with retry-after 0 is not retried either', async () => {
    const mutation = MUTATIONS.find((m) => m.name === 'createInvite')!;
    g.h.sandbox.injectFault({
      method: 'POST',
      path: mutation.path,
      status: 429,
      retryAfter: 0,
      times: 1,
    });
    const { body } = await g.post(mutation.document, { input: mutation.input });
    const error = onlyGraphQLError(body, 'createInvite');
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 0 });
    expect(g.h.upstream().map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', mutation.path, 429],
    ]);
  });

  it('every mutation is tried once against a one-shot 500', async () => {
    for (const mutation of MUTATIONS) {
      g.h.sandbox.reset();
      g.h.resetCounts();
      g.h.sandbox.injectFault({ method: mutation.method, path: mutation.path, status: 500 });
      const { body } = await g.post(mutation.document, { input: mutation.input });
      expect(body.errors?.[0]?.extensions?.['code'], mutation.name).toBe('UPSTREAM_ERROR');
      expect(
        g.h.upstream().map((r) => [r.method, r.path, r.status]),
        mutation.name,
      ).toEqual([[mutation.method, mutation.path, 500]]);
      // The fault is spent: the same call now succeeds, so a retry would have hidden the error.
      const again = await g.post(mutation.document, { input: mutation.input });
      expect(payloadOf(again.body, mutation.name).userErrors, mutation.name).toEqual([]);
    }
  });
});

describe('credentials', () => {
  it('no response or log line of this file carries a credential', () => {
    expect(gateways).toHaveLength(2);
    expectNoSecrets(gateways.flatMap(emittedTexts));
  });
});
