import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_UPSTREAM_BASE_URL,
  isLoopback,
  loadConfig,
} from '../src/config/config.js';
import { ALL_SCOPES } from '../src/domain/scopes.js';

/** The scopes resource families add after the core's six, as the refusal lists them. */
const FAMILY_SCOPES = [...ALL_SCOPES]
  .slice(6)
  .map((scope) => `${scope}, `)
  .join('');

describe('configuration', () => {
  it('defaults to sandbox mode on loopback port 4000 without a key', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      sandbox: true,
      adminKey: undefined,
      upstreamBaseUrl: DEFAULT_UPSTREAM_BASE_URL,
      upstreamTimeoutMs: 10_000,
    });
  });

  it('serves the real API when a key is set', () => {
    const config = loadConfig({
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-x',
      ANTHROPIC_BASE_URL: 'https://admin.example.test/',
      PORT: '8080',
      HOST: '0.0.0.0',
      UPSTREAM_TIMEOUT_MS: '2500',
      GATEWAY_AUTH_MODE: 'none',
      GATEWAY_ALLOW_UNAUTHENTICATED: 'true',
    });
    expect(config).toMatchObject({
      sandbox: false,
      adminKey: 'sk-ant-admin01-x',
      upstreamBaseUrl: 'https://admin.example.test',
      port: 8080,
      host: '0.0.0.0',
      upstreamTimeoutMs: 2500,
    });
  });

  it('accepts each auth mode with what it needs', () => {
    expect(loadConfig({ GATEWAY_AUTH_MODE: 'forward' })).toMatchObject({
      sandbox: false,
      adminKey: undefined,
      auth: { mode: 'forward' },
    });
    expect(
      loadConfig({
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'jwt',
        JWT_JWKS_URL: 'https://idp.example.test/jwks.json',
        JWT_ISSUER: 'https://idp.example.test/',
        JWT_AUDIENCE: 'admin-graph',
      }).auth,
    ).toEqual({
      mode: 'jwt',
      jwt: {
        jwksUrl: 'https://idp.example.test/jwks.json',
        issuer: 'https://idp.example.test/',
        audience: 'admin-graph',
        scopesClaim: 'scope',
        maxLifetimeSeconds: 86_400,
        clockSkewSeconds: 60,
      },
    });
    expect(
      loadConfig({
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'token',
        GATEWAY_TOKENS: '[{"name":"dash","token":"0123456789abcdef0","scopes":["read"]}]',
      }).auth.tokens,
    ).toEqual([{ name: 'dash', token: '0123456789abcdef0', scopes: ['read'] }]);
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
  });

  it('runs the sandbox off loopback or in production only when asked for with SANDBOX=true', () => {
    expect(loadConfig({ HOST: '0.0.0.0', NODE_ENV: 'production', SANDBOX: 'true' })).toMatchObject({
      sandbox: true,
      auth: { mode: 'none' },
    });
    expect(loadConfig({ HOST: 'localhost' }).sandbox).toBe(true);
    expect(loadConfig({ HOST: '127.0.0.2' }).sandbox).toBe(true);
    expect(loadConfig({ HOST: '::1' }).sandbox).toBe(true);
  });

  it('accepts only real loopback addresses as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['127.foo.invalid', '127.0.0.1.nip.io', '0.0.0.0', '::', '10.0.0.1', '']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('reads the host allow-list, the metrics settings and the JWT limits', () => {
    expect(
      loadConfig({
        ALLOWED_HOSTS: 'Admin.Example.com, *.corp.example',
        METRICS_PORT: '9464',
        METRICS_TOKEN: 'metrics-token-0123456789',
      }),
    ).toMatchObject({
      allowedHosts: ['admin.example.com', '*.corp.example'],
      metricsPort: 9464,
      metricsToken: 'metrics-token-0123456789',
    });
    expect(
      loadConfig({
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'jwt',
        JWT_JWKS_URL: 'http://127.0.0.1:9000/jwks.json',
        JWT_ISSUER: 'i',
        JWT_AUDIENCE: 'a',
        JWT_MAX_LIFETIME_SECONDS: '3600',
        JWT_CLOCK_SKEW_SECONDS: '5',
        JWT_TYPE: 'at+jwt',
      }).auth.jwt,
    ).toMatchObject({ maxLifetimeSeconds: 3600, clockSkewSeconds: 5, type: 'at+jwt' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', ANTHROPIC_ADMIN_KEY: '' }).sandbox).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a number'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ PORT: '80.5' }, 'PORT must be a whole number'],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', ANTHROPIC_BASE_URL: 'ftp://x' },
      'ANTHROPIC_BASE_URL must be an http(s) URL',
    ],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', ANTHROPIC_BASE_URL: 'not a url' },
      'ANTHROPIC_BASE_URL must be an http(s) URL',
    ],
    [
      { ANTHROPIC_BASE_URL: 'https://api.example.test' },
      'ANTHROPIC_BASE_URL is set but ANTHROPIC_ADMIN_KEY is not',
    ],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ UPSTREAM_TIMEOUT_MS: '0' }, 'UPSTREAM_TIMEOUT_MS must be at least 1'],
    [{ ANTHROPIC_ADMIN_KEY: 'k' }, 'ANTHROPIC_ADMIN_KEY is set but GATEWAY_AUTH_MODE is not'],
    [{ GATEWAY_AUTH_MODE: 'magic' }, 'GATEWAY_AUTH_MODE must be one of forward, jwt, token, none'],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'none', HOST: '0.0.0.0' },
      'GATEWAY_AUTH_MODE=none serves the admin key to anyone',
    ],
    [{ ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'forward' }, 'unset ANTHROPIC_ADMIN_KEY'],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'jwt' },
      'needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE',
    ],
    [{ ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'token' }, 'needs GATEWAY_TOKENS'],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'token', GATEWAY_TOKENS: 'nope' },
      'GATEWAY_TOKENS must be JSON',
    ],
    [
      {
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'token',
        GATEWAY_TOKENS: '[{"name":"a","token":"short","scopes":[]}]',
      },
      'at least 16 characters',
    ],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL must be true or false'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    // No key: the sandbox's unauthenticated demo data never starts by accident.
    [{ HOST: '0.0.0.0' }, 'ANTHROPIC_ADMIN_KEY is not set: sandbox demo data'],
    [{ NODE_ENV: 'production' }, 'NODE_ENV=production'],
    [{ SANDBOX: 'false' }, 'ANTHROPIC_ADMIN_KEY is not set and SANDBOX=false'],
    [
      { SANDBOX: 'true', ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'none' },
      'SANDBOX=true serves demo data',
    ],
    // 127.foo.invalid is a name that resolves anywhere, not a loopback address.
    [
      { ANTHROPIC_ADMIN_KEY: 'k', GATEWAY_AUTH_MODE: 'none', HOST: '127.foo.invalid' },
      'GATEWAY_AUTH_MODE=none serves the admin key to anyone',
    ],
    [{ HOST: '127.foo.invalid' }, 'ANTHROPIC_ADMIN_KEY is not set: sandbox demo data'],
    [
      {
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'token',
        GATEWAY_TOKENS: '[{"name":"dash","token":"0123456789abcdef0","scopes":["raed"]}]',
      },
      `GATEWAY_TOKENS: token "dash" has the unknown scope "raed"; valid scopes: read, write, api_keys:read, api_keys:write, members:write, workspaces:write, ${FAMILY_SCOPES}admin`,
    ],
    [
      {
        ANTHROPIC_ADMIN_KEY: 'k',
        GATEWAY_AUTH_MODE: 'jwt',
        JWT_JWKS_URL: 'http://idp.example.test/jwks.json',
        JWT_ISSUER: 'https://idp.example.test/',
        JWT_AUDIENCE: 'admin-graph',
      },
      'JWT_JWKS_URL must be an https:// URL',
    ],
    [{ JWT_MAX_LIFETIME_SECONDS: '0' }, 'JWT_MAX_LIFETIME_SECONDS must be at least 1'],
    [{ JWT_CLOCK_SKEW_SECONDS: '9999' }, 'JWT_CLOCK_SKEW_SECONDS must be at most 600'],
    [{ ALLOWED_HOSTS: 'good.example, bad host/' }, 'ALLOWED_HOSTS must be a comma-separated'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 16 characters'],
    [{ METRICS_PORT: '4000' }, 'METRICS_PORT must differ from PORT'],
  ])('refuses %o with a one-line explanation', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
