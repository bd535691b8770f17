import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { logRecords, originOf, send } from '../hardening/helpers.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'admin-graph';
const USERS = '{ organization { users(first: 2) { nodes { id } } } }';
const now = () => Math.floor(Date.now() / 1000);

interface SignOptions {
  typ?: string;
  /** Claims set on top of iss, aud and sub; `undefined` values leave a claim out. */
  claims?: JWTPayload;
}

describe('JWT hardening', () => {
  let h: Harness;
  let typed: Harness;
  let jwks: Server;
  let jwksUrl: string;
  let sign: (options?: SignOptions) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    sign = async ({ typ = 'JWT', claims = {} } = {}) => {
      const payload: JWTPayload = {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'dashboard',
        scope: 'read',
        iat: now(),
        exp: now() + 300,
        ...claims,
      };
      for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ })
        .sign(privateKey);
    };
    const jwt = (extra: Record<string, unknown> = {}) => ({
      auth: {
        mode: 'jwt' as const,
        jwt: {
          jwksUrl,
          issuer: ISSUER,
          audience: AUDIENCE,
          scopesClaim: 'scope',
          maxLifetimeSeconds: 3600,
          clockSkewSeconds: 60,
          ...extra,
        },
      },
    });
    h = await startHarness({ config: jwt() });
    typed = await startHarness({ config: jwt({ type: 'at+jwt' }) });
  });
  afterAll(async () => {
    await h.close();
    await typed.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const call = (harness: Harness, token: string) =>
    postGraphQL(harness.endpoint, { query: USERS }, { authorization: `Bearer ${token}` });

  it('accepts a well-formed token', async () => {
    const { body } = await call(h, await sign());
    expect(body.errors).toBeUndefined();
  });

  it.each([
    ['without exp', { exp: undefined }, 'exp'],
    ['living longer than JWT_MAX_LIFETIME_SECONDS', { exp: now() + 7200 }, 'lifetime'],
    [
      'without iat, expiring beyond the maximum lifetime',
      { iat: undefined, exp: now() + 7200 },
      'lifetime',
    ],
    ['issued in the future beyond the clock skew', { iat: now() + 600 }, 'iat'],
    ['not valid yet beyond the clock skew', { nbf: now() + 600 }, 'nbf'],
  ])('refuses a token %s, with WWW-Authenticate', async (_case, claims, reason) => {
    h.resetCounts();
    const { status, body, headers } = await call(h, await sign({ claims }));
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain(reason);
    expect(headers.get('www-authenticate')).toMatch(
      /^Bearer realm="admin-graph", error="invalid_token"/,
    );
    expect(h.upstream()).toEqual([]);
  });

  it('tolerates a clock a little ahead, within the skew', async () => {
    const { body } = await call(h, await sign({ claims: { iat: now() + 30, nbf: now() + 30 } }));
    expect(body.errors).toBeUndefined();
  });

  it('asks for a bearer token with WWW-Authenticate when none is sent', async () => {
    const { status, headers } = await postGraphQL(h.endpoint, { query: USERS });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="admin-graph"/);
  });

  it('checks typ when JWT_TYPE is set', async () => {
    expect((await call(typed, await sign({ typ: 'at+jwt' }))).body.errors).toBeUndefined();
    const wrong = await call(typed, await sign({ typ: 'JWT' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors?.[0]?.message).toContain('typ');
  });

  it('ignores unknown scopes in a token, logging them at debug', async () => {
    const { body } = await call(h, await sign({ claims: { scope: 'raed write' } }));
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const record = logRecords(h).find((r) => r['msg'] === 'unknown scopes in a JWT ignored');
    expect(record).toMatchObject({ level: 20, unknownScopes: ['raed'] });
  });

  it('logs JWKS failures without secrets and shows them in /ready', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/jwks.json`;
    await new Promise((resolve) => dead.close(resolve));
    const broken = await startHarness({
      config: {
        auth: {
          mode: 'jwt',
          jwt: { jwksUrl: deadUrl, issuer: ISSUER, audience: AUDIENCE, scopesClaim: 'scope' },
        },
      },
    });
    try {
      const token = await sign();
      const { status } = await call(broken, token);
      expect(status).toBe(401);
      const failure = logRecords(broken).find((r) => r['msg'] === 'JWKS could not be fetched');
      expect(failure).toMatchObject({ level: 40 });
      expect(broken.logs.join('')).not.toContain(token.split('.')[2]!);
      const ready = await send(`${originOf(broken.endpoint)}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.text).toContain('JWKS');
    } finally {
      await broken.close();
    }
  });
});

describe('WWW-Authenticate in token mode', () => {
  it('comes with every 401', async () => {
    const h = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [{ name: 'r', token: 'www-auth-token-000000000001', scopes: ['read'] }],
        },
      },
    });
    try {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-000000000000' },
      ];
      for (const headers of attempts) {
        const answer = await postGraphQL(h.endpoint, { query: USERS }, headers);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="admin-graph"/);
      }
    } finally {
      await h.close();
    }
  });
});
