import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { federationIssuerIdByName } from '../../src/sandbox/resources/federation.js';
import { API, calls, gql, useHarness } from './helpers.js';

/* Workload identity federation issuers: OAuth-only like service accounts. */

const READER = 'fdis-scopes-reader-token-0000000001';
const WRITER = 'fdis-scopes-writer-token-0000000002';
const OWNER = 'fdis-scopes-owner-token-00000000003';
const harness = useHarness({
  auth: {
    mode: 'token',
    tokens: [
      { name: 'reader', token: READER, scopes: ['read'] },
      { name: 'writer', token: WRITER, scopes: ['read', 'write', 'service_accounts:write'] },
      { name: 'owner', token: OWNER, scopes: ['read', 'write', 'federation:write'] },
    ],
  },
});
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const owner = as(OWNER);
const ERRORS = 'userErrors { code field message }';

const ids = (h: ReturnType<typeof harness>) => ({
  github: federationIssuerIdByName(h.sandbox.store, 'github-actions'),
  gitlab: federationIssuerIdByName(h.sandbox.store, 'gitlab-ci'),
  jenkins: federationIssuerIdByName(h.sandbox.store, 'legacy-jenkins'),
});

describe('reads', () => {
  it('lists issuers with one GET carrying the OAuth token, with their key settings', async () => {
    const h = harness();
    const { github, gitlab } = ids(h);
    const body = await gql(
      h,
      '{ organization { federationIssuers(first: 5) { nodes { id name issuerUrl checkJti maxJwtLifetimeSeconds isArchived jwks { source sourceValue url } pollStatus { consecutiveFailures } } } } }',
      {},
      as(READER),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organization: {
        federationIssuers: {
          nodes: [
            {
              id: gitlab,
              name: 'gitlab-ci',
              issuerUrl: 'https://gitlab.northwind.example',
              checkJti: true,
              maxJwtLifetimeSeconds: 3600,
              isArchived: false,
              jwks: {
                source: 'EXPLICIT_URL',
                sourceValue: 'explicit_url',
                url: 'https://gitlab.northwind.example/oauth/discovery/keys',
              },
              pollStatus: { consecutiveFailures: 0 },
            },
            {
              id: github,
              name: 'github-actions',
              issuerUrl: 'https://token.actions.githubusercontent.com',
              checkJti: true,
              maxJwtLifetimeSeconds: 3600,
              isArchived: false,
              jwks: { source: 'DISCOVERY', sourceValue: 'discovery', url: null },
              pollStatus: { consecutiveFailures: 0 },
            },
          ],
        },
      },
    });
    expect(h.upstream().map((r) => `${r.method} ${r.path} ${r.credential}`)).toEqual([
      `GET ${API}/federation_issuers oauth`,
    ]);
    expect(h.upstream()[0]?.query).toEqual({ include_archived: ['false'], limit: ['5'] });
  });

  it('pages of any size give the same items as one page, archived ones included', async () => {
    const h = harness();
    const query =
      'query($first: Int!, $after: String) { organization { federationIssuers(first: $first, after: $after, includeArchived: true) { nodes { id } pageInfo { hasNextPage endCursor } } } }';
    type P = { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const pageOf = (data: unknown) =>
      (data as { organization: { federationIssuers: P } }).organization.federationIssuers;
    const all = pageOf((await gql(h, query, { first: 100 }, owner)).data).nodes.map((n) => n.id);
    expect(all).toHaveLength(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 5; guard++) {
      const page = pageOf((await gql(h, query, { first: 1, after }, owner)).data);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('federationIssuer(id:) and node(id:) read one; a missing one is null', async () => {
    const h = harness();
    const { jenkins } = ids(h);
    const body = await gql(
      h,
      `{ a: federationIssuer(id: "${jenkins}") { name isArchived archivedBy { __typename } }
         b: federationIssuer(id: "fdis_01missing") { id } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      a: { name: 'legacy-jenkins', isArchived: true, archivedBy: { __typename: 'User' } },
      b: null,
    });
    h.resetCounts();
    const node = await gql(h, `{ node(id: "${jenkins}") { __typename id } }`, {}, owner);
    expect(node.data).toEqual({ node: { __typename: 'FederationIssuer', id: jenkins } });
    expect(calls(h)).toEqual([`GET ${API}/federation_issuers/${jenkins}`]);
  });
});

describe('writes', () => {
  it('createFederationIssuer sends one POST with the key setting; a later read sees it', async () => {
    const h = harness();
    const body = await gql(
      h,
      `mutation { createFederationIssuer(input: { name: "buildkite", issuerUrl: "https://agent.buildkite.com",
          jwks: { source: INLINE, inlineKeys: ["{\\"kty\\":\\"OKP\\",\\"crv\\":\\"Ed25519\\",\\"x\\":\\"abc\\"}"] },
          maxJwtLifetimeSeconds: 600 }) {
        federationIssuer { id name jwks { source inlineKeys } pollStatus { consecutiveFailures } } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    const payload = (body.data as { createFederationIssuer: { federationIssuer: { id: string } } })
      .createFederationIssuer;
    expect(payload).toEqual({
      federationIssuer: {
        id: expect.stringMatching(/^fdis_/),
        name: 'buildkite',
        jwks: { source: 'INLINE', inlineKeys: ['{"kty":"OKP","crv":"Ed25519","x":"abc"}'] },
        pollStatus: null,
      },
      userErrors: [],
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body, r.credential])).toEqual([
      [
        'POST',
        `${API}/federation_issuers`,
        {
          name: 'buildkite',
          issuer_url: 'https://agent.buildkite.com',
          jwks: { type: 'inline', keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] },
          max_jwt_lifetime_seconds: 600,
        },
        'oauth',
      ],
    ]);
    const read = await gql(
      h,
      `{ federationIssuer(id: "${payload.federationIssuer.id}") { name } }`,
      {},
      owner,
    );
    expect(read.data).toEqual({ federationIssuer: { name: 'buildkite' } });
  });

  it('refuses bad key settings before any request, and upstream refusals as userErrors', async () => {
    const h = harness();
    const { github, jenkins } = ids(h);
    const body = await gql(
      h,
      `mutation {
        noUrl: createFederationIssuer(input: { name: "a", issuerUrl: "https://a.example", jwks: { source: EXPLICIT_URL } }) { ${ERRORS} }
        badKey: createFederationIssuer(input: { name: "b", issuerUrl: "https://b.example", jwks: { source: INLINE, inlineKeys: ["nope"] } }) { ${ERRORS} }
        taken: createFederationIssuer(input: { name: "gitlab-ci", issuerUrl: "https://c.example" }) { ${ERRORS} }
        lifetime: updateFederationIssuer(input: { federationIssuerId: "${github}", maxJwtLifetimeSeconds: 999999 }) { ${ERRORS} }
        archived: updateFederationIssuer(input: { federationIssuerId: "${jenkins}", checkJti: false }) { ${ERRORS} }
        missing: archiveFederationIssuer(input: { federationIssuerId: "fdis_01missing" }) { ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      noUrl: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'jwks', 'url'] }] },
      badKey: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'jwks', 'inlineKeys'] }] },
      taken: { userErrors: [{ code: 'CONFLICT' }] },
      lifetime: {
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'maxJwtLifetimeSeconds'] }],
      },
      archived: { userErrors: [{ code: 'INVALID_INPUT' }] },
      missing: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'federationIssuerId'] }] },
    });
    expect(calls(h)).toEqual([
      `POST ${API}/federation_issuers`,
      `POST ${API}/federation_issuers/${github}`,
      `POST ${API}/federation_issuers/${jenkins}`,
      `POST ${API}/federation_issuers/fdis_01missing/archive`,
    ]);
  });

  it('update and archive: one write each, and the next read in the operation sees the change', async () => {
    const h = harness();
    const { gitlab } = ids(h);
    const body = await gql(
      h,
      `mutation {
        u: updateFederationIssuer(input: { federationIssuerId: "${gitlab}", checkJti: false, jwksPollingDisabled: true }) { federationIssuer { checkJti jwksPollingDisabledAt pollStatus { nextPollAt } } ${ERRORS} }
        a: archiveFederationIssuer(input: { federationIssuerId: "${gitlab}" }) { federationIssuer { isArchived checkJti } ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      u: {
        federationIssuer: {
          checkJti: false,
          jwksPollingDisabledAt: expect.any(String),
          pollStatus: { nextPollAt: null },
        },
        userErrors: [],
      },
      a: { federationIssuer: { isArchived: true, checkJti: false }, userErrors: [] },
    });
    expect(h.upstream().map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `${API}/federation_issuers/${gitlab}`,
        { check_jti: false, jwks_polling_disabled: true },
      ],
      ['POST', `${API}/federation_issuers/${gitlab}/archive`, null],
    ]);
  });

  it('needs federation:write: FORBIDDEN and no upstream request without it', async () => {
    const h = harness();
    for (const token of [READER, WRITER]) {
      const body = await gql(
        h,
        'mutation { createFederationIssuer(input: { name: "x", issuerUrl: "https://x.example" }) { userErrors { code } } }',
        {},
        as(token),
      );
      expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.extensions?.['missingScopes']).toContain('federation:write');
    }
    expect(calls(h)).toEqual([]);
  });
});

describe('the emulator', () => {
  it('refuses an Admin API key on the issuer routes', async () => {
    const h = harness();
    const response = await fetch(`${h.sandbox.url}${API}/federation_issuers`, {
      headers: { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(403);
  });
});
