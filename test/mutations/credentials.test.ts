import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  MApiKeyCheckDocument,
  MOrganizationNameDocument,
  MUpdateApiKeyDocument,
  MUpdateWorkspaceDocument,
  MWorkspaceCheckDocument,
} from '../generated/graphql.js';
import { CALLER_KEY } from '../support/harness.js';
import {
  emittedTexts,
  expectNoSecrets,
  SECRETS,
  sliceOf,
  startGateway,
  UNKNOWN_KEY,
  type Gateway,
} from './helpers.js';
import { MUTATIONS, payloadOf } from './table.js';

const ORG = '/v1/organizations';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

let g: Gateway;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(() => g.close());
beforeEach(() => {
  g.h.sandbox.reset();
  g.h.resetCounts();
});

const CREDENTIAL_HEADERS = [
  { name: 'x-api-key: CALLER_KEY', headers: { 'x-api-key': CALLER_KEY }, expected: 'caller' },
  {
    name: 'Authorization: Bearer CALLER_KEY',
    headers: { authorization: `Bearer ${CALLER_KEY}` },
    expected: 'caller',
  },
  { name: 'no credential header', headers: {}, expected: 'admin' },
] as const;

describe.each(CREDENTIAL_HEADERS)('with $name', ({ headers, expected }) => {
  it(`a query goes upstream with the ${expected} credential`, async () => {
    const { body } = await g.post(MOrganizationNameDocument, {}, headers);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organization: { id: FIXTURE_IDS.organization, name: 'Northwind Robotics' },
    });
    expect(g.h.upstream().map((r) => [r.method, r.path, r.status, r.credential])).toEqual([
      ['GET', `${ORG}/me`, 200, expected],
    ]);
  });

  it(`a mutation goes upstream with the ${expected} credential`, async () => {
    const apiKeyId = FIXTURE_IDS.activeApiKey;
    const { body } = await g.post(
      MUpdateApiKeyDocument,
      { input: { apiKeyId, name: 'rotated' } },
      headers,
    );
    expect(body.errors).toBeUndefined();
    expect(payloadOf(body, 'updateApiKey').userErrors).toEqual([]);
    expect(g.h.upstream().map((r) => [r.method, r.path, r.body, r.credential])).toEqual([
      ['POST', `${ORG}/api_keys/${apiKeyId}`, { name: 'rotated' }, expected],
    ]);
  });

  it(`a mutation's payload and a follow-up read in one request use the ${expected} credential`, async () => {
    const query = /* GraphQL */ `
      mutation MCredentialMixed($input: UpdateWorkspaceInput!, $userId: ID!) {
        updateWorkspace(input: $input) {
          workspace {
            id
            name
            member(userId: $userId) {
              role
            }
          }
          userErrors {
            code
          }
        }
      }
    `;
    const { body } = await g.post(
      query,
      { input: { workspaceId: PRODUCTION, name: 'Prod' }, userId: FIXTURE_IDS.userUser },
      headers,
    );
    expect(body.errors).toBeUndefined();
    const requests = g.h.upstream();
    expect(requests.map((r) => r.method).sort()).toEqual(['GET', 'POST']);
    expect(new Set(requests.map((r) => r.credential))).toEqual(new Set([expected]));
  });
});

it('every mutation forwards the caller credential', async () => {
  for (const mutation of MUTATIONS) {
    g.h.sandbox.reset();
    g.h.resetCounts();
    const { body } = await g.post(
      mutation.document,
      { input: mutation.input },
      { 'x-api-key': CALLER_KEY },
    );
    expect(payloadOf(body, mutation.name).userErrors, mutation.name).toEqual([]);
    expect(
      g.h.upstream().map((r) => [r.method, r.path, r.credential]),
      mutation.name,
    ).toEqual([[mutation.method, mutation.path, 'caller']]);
  }
});

it('concurrent requests each keep their own credential', async () => {
  const [withCaller, withOwn] = await Promise.all([
    g.post(
      MUpdateApiKeyDocument,
      { input: { apiKeyId: FIXTURE_IDS.activeApiKey, status: 'INACTIVE' } },
      { 'x-api-key': CALLER_KEY },
    ),
    g.post(MUpdateWorkspaceDocument, { input: { workspaceId: PRODUCTION, name: 'Prod' } }),
  ]);
  expect(withCaller.body.errors).toBeUndefined();
  expect(withOwn.body.errors).toBeUndefined();
  const byPath = Object.fromEntries(g.h.upstream().map((r) => [r.path, r.credential]));
  expect(byPath).toEqual({
    [`${ORG}/api_keys/${FIXTURE_IDS.activeApiKey}`]: 'caller',
    [`${ORG}/workspaces/${PRODUCTION}`]: 'admin',
  });
});

describe('an unknown caller key', () => {
  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'x-api-key', headers: { 'x-api-key': UNKNOWN_KEY } },
    { name: 'Authorization: Bearer', headers: { authorization: `Bearer ${UNKNOWN_KEY}` } },
  ])(
    'in $name is refused and the gateway does not fall back to its own key',
    async ({ headers }) => {
      const { body } = await g.post(
        MUpdateWorkspaceDocument,
        { input: { workspaceId: PRODUCTION, name: 'Hijacked' } },
        headers,
      );
      expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
      expect(g.h.upstream().map((r) => [r.method, r.status, r.credential])).toEqual([
        ['POST', 401, null],
      ]);
      const after = await g.client.request(MWorkspaceCheckDocument, { id: PRODUCTION });
      expect(after.workspace?.name).toBe('Production');
    },
  );

  it('does not poison later requests that bring the caller key', async () => {
    await g.post(MOrganizationNameDocument, {}, { 'x-api-key': UNKNOWN_KEY });
    const { body } = await g.post(
      MApiKeyCheckDocument,
      { id: FIXTURE_IDS.activeApiKey },
      { 'x-api-key': CALLER_KEY },
    );
    expect(body.errors).toBeUndefined();
    expect(g.h.upstream().map((r) => [r.status, r.credential])).toEqual([
      [401, null],
      [200, 'caller'],
    ]);
  });
});

describe('no credential leaks', () => {
  it('the slices searched for are distinctive', () => {
    expect(SECRETS).toEqual([DEFAULT_SANDBOX_KEY, CALLER_KEY, UNKNOWN_KEY]);
    expect(new Set(SECRETS.map(sliceOf)).size).toBe(3);
    for (const secret of SECRETS) {
      expect(sliceOf(secret)).toMatch(/^admin01-(sandbox|caller|unknown)-/);
    }
    // The check itself finds a slice and a whole key.
    expect(() => expectNoSecrets([`key=${sliceOf(CALLER_KEY)}`])).toThrow();
    expect(() => expectNoSecrets([`{"k":"${DEFAULT_SANDBOX_KEY}"}`])).toThrow();
    expect(() => expectNoSecrets([`Bearer ${UNKNOWN_KEY}`])).toThrow();
  });

  it('the gateway logged every upstream request, and nothing of this file leaks a key', () => {
    expect(g.h.logs.some((line) => line.includes('upstream request'))).toBe(true);
    expect(g.h.logs.some((line) => line.includes('"credentialSource":"caller"'))).toBe(true);
    expect(g.responses.some((r) => r.body.includes('UNAUTHENTICATED'))).toBe(true);
    expectNoSecrets(emittedTexts(g));
  });
});
