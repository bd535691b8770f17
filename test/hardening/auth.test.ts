import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { CALLER_KEY, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const READ_TOKEN = 'read-only-token-0000000000000001';
const WRITER_TOKEN = 'workspace-writer-000000000000002';
const KEYS_TOKEN = 'api-key-reader-00000000000000003';
const ADMIN_TOKEN = 'full-admin-token-000000000000004';

const USERS = `{ organization { users(first: 2) { nodes { id } } } }`;
const API_KEYS = `{ organization { apiKeys(first: 2) { nodes { id name } } } }`;
const API_KEY_NODE = `{ node(id: "${FIXTURE_IDS.activeApiKey}") { id } }`;
const RENAME_WORKSPACE = `mutation { updateWorkspace(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", name: "Renamed" }) { workspace { name } userErrors { code } } }`;
const UPDATE_KEY = `mutation { updateApiKey(input: { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "k" }) { apiKey { name } userErrors { code } } }`;
const ADD_MEMBER = `mutation { removeWorkspaceMember(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", userId: "${FIXTURE_IDS.developerUser}" }) { userErrors { code } } }`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('token mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: READ_TOKEN, scopes: ['read'] },
            {
              name: 'workspaces',
              token: WRITER_TOKEN,
              scopes: ['read', 'write', 'workspaces:write'],
            },
            { name: 'keys', token: KEYS_TOKEN, scopes: ['read', 'api_keys:read'] },
            { name: 'admin', token: ADMIN_TOKEN, scopes: ['admin'] },
          ],
        },
      },
    });
  });
  afterAll(() => h.close());

  async function expectDenied(query: string, headers: Record<string, string>, code: string) {
    h.resetCounts();
    const { status, body } = await postGraphQL(h.endpoint, { query }, headers);
    expect(body.errors?.[0]?.extensions?.code, JSON.stringify(body)).toBe(code);
    expect(h.upstream()).toEqual([]);
    return { status, body };
  }

  it('refuses a request without a token, or with an unknown or malformed one, before any upstream call', async () => {
    const missing = await expectDenied(USERS, {}, 'UNAUTHENTICATED');
    expect(missing.status).toBe(401);
    await expectDenied(USERS, bearer('not-a-configured-token-00000'), 'UNAUTHENTICATED');
    await expectDenied(USERS, { authorization: `Basic ${READ_TOKEN}` }, 'UNAUTHENTICATED');
  });

  it('does not let a caller slip an Admin API key past the scopes', async () => {
    await expectDenied(
      USERS,
      { ...bearer(READ_TOKEN), 'x-api-key': CALLER_KEY },
      'UNAUTHENTICATED',
    );
  });

  it('lets the read scope query, and acts upstream with the gateway’s key', async () => {
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, { query: USERS }, bearer(READ_TOKEN));
    expect(body.errors).toBeUndefined();
    expect(h.upstream().map((request) => request.credential)).toEqual(['admin']);
  });

  it('needs api_keys:read for API keys, in lists and through node', async () => {
    const denied = await expectDenied(API_KEYS, bearer(READ_TOKEN), 'FORBIDDEN');
    expect(denied.body.errors?.[0]?.message).toContain('api_keys:read');
    await expectDenied(API_KEY_NODE, bearer(READ_TOKEN), 'FORBIDDEN');
    const allowed = await postGraphQL(h.endpoint, { query: API_KEYS }, bearer(KEYS_TOKEN));
    expect(allowed.body.errors).toBeUndefined();
  });

  it('needs write for any mutation, plus the scope of what it changes', async () => {
    const denied = await expectDenied(RENAME_WORKSPACE, bearer(READ_TOKEN), 'FORBIDDEN');
    expect(denied.body.errors?.[0]?.message).toContain('write');
    await expectDenied(UPDATE_KEY, bearer(WRITER_TOKEN), 'FORBIDDEN');
    await expectDenied(ADD_MEMBER, bearer(WRITER_TOKEN), 'FORBIDDEN');
    h.resetCounts();
    const allowed = await postGraphQL(
      h.endpoint,
      { query: RENAME_WORKSPACE },
      bearer(WRITER_TOKEN),
    );
    expect(allowed.body.data).toMatchObject({
      updateWorkspace: { workspace: { name: 'Renamed' } },
    });
    expect(h.upstream()).toHaveLength(1);
  });

  it('grants everything to admin', async () => {
    for (const query of [USERS, API_KEYS, UPDATE_KEY]) {
      const { body } = await postGraphQL(h.endpoint, { query }, bearer(ADMIN_TOKEN));
      expect(body.errors, query).toBeUndefined();
    }
  });
});

describe('jwt mode', () => {
  let h: Harness;
  let jwks: Server;
  let sign: (
    claims: Record<string, unknown>,
    options?: { expired?: boolean; audience?: string },
  ) => Promise<string>;
  let foreignSign: typeof sign;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const foreign = await generateKeyPair('ES256');
    const jwk: JWK = {
      ...(await exportJWK(publicKey)),
      kid: 'gateway-test',
      alg: 'ES256',
      use: 'sig',
    };
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const signer =
      (key: CryptoKey) =>
      async (
        claims: Record<string, unknown>,
        options: { expired?: boolean; audience?: string } = {},
      ) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'gateway-test' })
          .setIssuer('https://idp.example.test/')
          .setAudience(options.audience ?? 'admin-graph')
          .setSubject('dashboard@example.test')
          .setIssuedAt()
          .setExpirationTime(options.expired ? Math.floor(Date.now() / 1000) - 60 : '5m')
          .sign(key);
    sign = signer(privateKey);
    foreignSign = signer(foreign.privateKey);
    h = await startHarness({
      config: {
        auth: {
          mode: 'jwt',
          jwt: {
            jwksUrl,
            issuer: 'https://idp.example.test/',
            audience: 'admin-graph',
            scopesClaim: 'scope',
          },
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts a valid token and reads its scopes from the claim', async () => {
    const token = await sign({ scope: 'read api_keys:read' });
    const { body } = await postGraphQL(h.endpoint, { query: API_KEYS }, bearer(token));
    expect(body.errors).toBeUndefined();
    const write = await postGraphQL(h.endpoint, { query: UPDATE_KEY }, bearer(token));
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('accepts scopes given as an array', async () => {
    const token = await sign({ scope: ['read', 'write', 'api_keys:read', 'api_keys:write'] });
    const { body } = await postGraphQL(h.endpoint, { query: UPDATE_KEY }, bearer(token));
    expect(body.errors).toBeUndefined();
  });

  it.each([
    ['expired', () => sign({ scope: 'read' }, { expired: true }), 'expired'],
    ['for another audience', () => sign({ scope: 'read' }, { audience: 'other' }), 'aud'],
    ['signed by another key', () => foreignSign({ scope: 'read' }), 'signature'],
    ['not a JWT', async () => 'abc.def.ghi', 'well-formed'],
  ])('refuses a token %s with a reason', async (_case, make, reason) => {
    h.resetCounts();
    const { status, body } = await postGraphQL(h.endpoint, { query: USERS }, bearer(await make()));
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain(reason);
    expect(h.upstream()).toEqual([]);
  });
});

describe('forward mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { adminKey: undefined, auth: { mode: 'forward' } } });
  });
  afterAll(() => h.close());

  it('uses the caller’s own credential upstream, as x-api-key or as a bearer token', async () => {
    for (const headers of [{ 'x-api-key': CALLER_KEY }, bearer(CALLER_KEY)]) {
      h.resetCounts();
      const { body } = await postGraphQL(h.endpoint, { query: USERS }, headers);
      expect(body.errors).toBeUndefined();
      expect(h.upstream().map((request) => request.credential)).toEqual(['caller']);
    }
  });

  it('refuses a caller without a credential: the gateway holds none', async () => {
    h.resetCounts();
    const { status, body } = await postGraphQL(h.endpoint, { query: USERS });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(h.upstream()).toEqual([]);
  });
});
