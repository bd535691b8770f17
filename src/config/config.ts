import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ALL_SCOPES } from '../domain/scopes.js';

/** Everything the gateway reads from its environment, validated once at start-up. */
export interface GatewayConfig {
  /** Interface the HTTP server binds. */
  host: string;
  /** HTTP port of the gateway; 0 picks a free port. */
  port: number;
  /** The gateway's own Admin API key; undefined in sandbox mode or when callers bring their own. */
  adminKey: string | undefined;
  /**
   * The gateway's OAuth access token (`org:admin`) for the endpoints that take no Admin API key
   * (service accounts, federation): given as is, or read from a file that another process renews.
   */
  oauthToken: { token: string } | { file: string } | undefined;
  /** Upstream origin; requests go to `${upstreamBaseUrl}/v1/organizations/…`. */
  upstreamBaseUrl: string;
  /** Per-attempt timeout of an upstream request. */
  upstreamTimeoutMs: number;
  /** How often a failed read is retried (writes are never retried). */
  upstreamMaxRetries: number;
  /** A read and its retries must finish within this. */
  upstreamReadDeadlineMs: number;
  /** On SIGTERM, how long in-flight requests may take to finish before they are cut. */
  shutdownTimeoutMs: number;
  /** How long the circuit breaker stays open before one trial request; 0 turns it off. */
  circuitResetMs: number;
  /** Sandbox mode: the embedded Admin API emulator serves the data. */
  sandbox: boolean;
  /** Port of the embedded sandbox in sandbox mode (0 picks a free port). */
  sandboxPort: number;
  /** How long upstream reads stay cached; 0 turns the cache off. */
  cacheTtlSeconds: number;
  /** Redis for the cache and the budget shared by several replicas; in memory when unset. */
  redisUrl: string | undefined;
  /**
   * PostgreSQL server for the audit trail and bulk jobs (what replicas share); the embedded
   * PGlite when unset.
   */
  databaseUrl: string | undefined;
  /** PGlite's data directory when DATABASE_URL is unset; in memory (lost on restart) when unset. */
  databaseDir: string | undefined;
  /** Days audit events are kept before they are pruned; 0 keeps them forever. */
  auditRetentionDays: number;
  /** Whether reads of sensitive fields (API keys, service accounts) are audited too. */
  auditReads: boolean;
  /** Upstream requests per minute the gateway allows itself per credential; 0 turns it off. */
  upstreamRateLimitPerMinute: number;
  /** Longest a request waits for upstream budget before it fails with RATE_LIMITED. */
  upstreamBudgetMaxWaitMs: number;
  /**
   * The fraction of the upstream budget one caller may spend per minute on queries unless it holds
   * `admin` (mutations may use the whole budget); 1 sets no per-caller limit.
   */
  upstreamCallerShare: number;
  /**
   * The window UPSTREAM_RATE_LIMIT_PER_MINUTE counts over, in milliseconds (default 60,000);
   * tests shrink it so that pacing at the real limit runs in seconds.
   */
  upstreamRateLimitWindowMs?: number;
  /**
   * The fraction of the upstream budget bulk jobs may spend (BULK_BUDGET_SHARE); the rest stays
   * free for interactive callers.
   */
  bulkBudgetShare: number;
  /** A bulk job's lease: a replica that stops renewing it for this long loses the job. */
  bulkLeaseMs?: number;
  /** How often an idle bulk runner looks for jobs (queued elsewhere, or whose lease expired). */
  bulkPollMs?: number;
  /** Replicas sharing REDIS_URL: while Redis fails, each counts budget / this locally. */
  redisExpectedReplicas: number;
  /** A Redis command taking longer fails, and the gateway falls back (cache off, local budget). */
  redisCommandTimeoutMs: number;
  /** Operations estimated to need more upstream requests than this are refused before they run. */
  maxUpstreamRequestsPerOperation: number;
  /** How callers authenticate to the gateway, and what they may do. */
  auth: AuthConfig;
  /** Limits on what one request may ask for. */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxBodyBytes: number;
  };
  /** Whether the schema can be introspected (off for production hardening). */
  introspection: boolean;
  /** Whether GraphiQL is served at GET /graphql. */
  graphiql: boolean;
  /** A JSON allow-list of operations (hash → document); when set, only those are accepted. */
  persistedOperationsFile: string | undefined;
  /** Origins allowed to call the gateway from a browser; empty means none. `*` allows any. */
  corsOrigins: string[];
  /** OTLP/HTTP endpoint traces are exported to; unset means no export. */
  otlpEndpoint: string | undefined;
  /**
   * Serve the Apollo Federation v2 subgraph schema (the client schema plus `_entities` and
   * `_service`) so that a router can compose this gateway; off serves the client schema.
   */
  federationSubgraph: boolean;
  /**
   * Host names (of the `Host` header) the gateway answers besides loopback names and IP literals,
   * against DNS rebinding; `*` turns the check off. Entries may start with `*.` for subdomains.
   */
  allowedHosts: string[];
  /** Serve /metrics on this port only, on a listener of its own; undefined serves it on `port`. */
  metricsPort: number | undefined;
  /** When set, /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The live graph: subscriptions fed by one poller per organization. */
  live: LiveConfig;
  /** Sandbox mode: the scripted "another admin" changes something this often; 0 turns it off. */
  sandboxChangesEveryMs: number;
}

/** Settings of the live graph (subscriptions). */
export interface LiveConfig {
  /** Shortest time between two polls of what subscribers watch. */
  pollIntervalMs: number;
  /** Share (0–1) of the upstream budget left by interactive traffic that polls may spend. */
  budgetShare: number;
  /** The poller's Redis lease; another replica takes over this long after its holder died. */
  leaseMs: number;
  /** Events kept for clients resuming with `lastEventId`: this many, at most `logMaxAgeSeconds` old. */
  logMaxEvents: number;
  logMaxAgeSeconds: number;
  /** Prefix of the live graph's Redis keys and channels. */
  keyPrefix: string;
}

export type AuthMode = 'forward' | 'jwt' | 'token' | 'none';

/** A static bearer token and the scopes it grants. */
export interface GatewayToken {
  name: string;
  token: string;
  scopes: string[];
}

export interface AuthConfig {
  mode: AuthMode;
  /** For `jwt`: where the signing keys are and what the tokens must say. */
  jwt?: {
    jwksUrl: string;
    issuer: string;
    audience: string;
    scopesClaim: string;
    /** Longest accepted lifetime (`exp` − `iat`, or `exp` − now without `iat`); default 86400. */
    maxLifetimeSeconds?: number;
    /** Clock skew tolerated for `exp`, `nbf` and `iat`; default 60. */
    clockSkewSeconds?: number;
    /** The `typ` header tokens must carry (e.g. `at+jwt`), when the identity provider sets one. */
    type?: string;
  };
  /** For `token`: the accepted tokens. */
  tokens?: GatewayToken[];
}

export const DEFAULT_UPSTREAM_BASE_URL = 'https://api.anthropic.com';

/** A configuration problem that must stop start-up; its message is one line for the operator. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(0, { error: `${name} must be between 0 and 65535` })
    .max(65535, { error: `${name} must be between 0 and 65535` });

const httpUrl = (name: string) =>
  z
    .string()
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username;
        } catch {
          return false;
        }
      },
      { error: `${name} must be an http(s) URL without credentials` },
    )
    .transform((value) => value.replace(/\/+$/, ''));

const positiveInt = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(0, { error: `${name} must be at least 0` })
    .max(max, { error: `${name} must be at most ${max}` });

/** A host name, or `*` (no check), or `*.example.com` (its subdomains). */
const HOST_PATTERN =
  /^(\*|(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?)$/;

const bool = (name: string) =>
  z
    .enum(['true', 'false', '1', '0'], { error: `${name} must be true or false` })
    .transform((value) => value === 'true' || value === '1');

const envSchema = z.object({
  HOST: z.string().min(1, { error: 'HOST must not be empty' }).default('127.0.0.1'),
  PORT: port('PORT').default(4000),
  ANTHROPIC_ADMIN_KEY: z
    .string()
    .trim()
    .min(1, { error: 'ANTHROPIC_ADMIN_KEY is set but empty' })
    .optional(),
  ANTHROPIC_OAUTH_TOKEN: z
    .string()
    .trim()
    .min(1, { error: 'ANTHROPIC_OAUTH_TOKEN is set but empty' })
    .optional(),
  ANTHROPIC_OAUTH_TOKEN_FILE: z
    .string()
    .trim()
    .min(1, { error: 'ANTHROPIC_OAUTH_TOKEN_FILE is set but empty' })
    .optional(),
  ANTHROPIC_BASE_URL: httpUrl('ANTHROPIC_BASE_URL').optional(),
  UPSTREAM_TIMEOUT_MS: positiveInt('UPSTREAM_TIMEOUT_MS', 600_000)
    .refine((value) => value > 0, { error: 'UPSTREAM_TIMEOUT_MS must be at least 1' })
    .default(10_000),
  UPSTREAM_MAX_RETRIES: positiveInt('UPSTREAM_MAX_RETRIES', 10).default(2),
  UPSTREAM_READ_DEADLINE_MS: positiveInt('UPSTREAM_READ_DEADLINE_MS', 600_000).default(20_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt('SHUTDOWN_TIMEOUT_MS', 600_000).default(10_000),
  CIRCUIT_RESET_MS: positiveInt('CIRCUIT_RESET_MS', 600_000).default(10_000),
  SANDBOX_PORT: port('SANDBOX_PORT').default(4010),
  CACHE_TTL_SECONDS: positiveInt('CACHE_TTL_SECONDS', 86_400).default(30),
  REDIS_URL: z
    .string()
    .refine(
      (value) => {
        try {
          return ['redis:', 'rediss:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { error: 'REDIS_URL must be a redis:// or rediss:// URL' },
    )
    .optional(),
  DATABASE_URL: z
    .string()
    .refine(
      (value) => {
        try {
          return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { error: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
    )
    .optional(),
  DATABASE_DIR: z.string().min(1).optional(),
  AUDIT_RETENTION_DAYS: positiveInt('AUDIT_RETENTION_DAYS', 36_500).default(90),
  AUDIT_READS: bool('AUDIT_READS').default(false),
  UPSTREAM_RATE_LIMIT_PER_MINUTE: positiveInt('UPSTREAM_RATE_LIMIT_PER_MINUTE', 100_000).default(
    100,
  ),
  UPSTREAM_BUDGET_MAX_WAIT_MS: positiveInt('UPSTREAM_BUDGET_MAX_WAIT_MS', 60_000).default(3_000),
  UPSTREAM_CALLER_SHARE: z.coerce
    .number({ error: 'UPSTREAM_CALLER_SHARE must be a number' })
    .gt(0, { error: 'UPSTREAM_CALLER_SHARE must be more than 0 and at most 1' })
    .max(1, { error: 'UPSTREAM_CALLER_SHARE must be more than 0 and at most 1' })
    .default(0.5),
  BULK_BUDGET_SHARE: z.coerce
    .number({ error: 'BULK_BUDGET_SHARE must be a number' })
    .gt(0, { error: 'BULK_BUDGET_SHARE must be more than 0 and less than 1' })
    .lt(1, { error: 'BULK_BUDGET_SHARE must be more than 0 and less than 1' })
    .default(0.5),
  REDIS_EXPECTED_REPLICAS: positiveInt('REDIS_EXPECTED_REPLICAS', 1_000)
    .refine((value) => value > 0, { error: 'REDIS_EXPECTED_REPLICAS must be at least 1' })
    .default(2),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt('REDIS_COMMAND_TIMEOUT_MS', 60_000)
    .refine((value) => value > 0, { error: 'REDIS_COMMAND_TIMEOUT_MS must be at least 1' })
    .default(500),
  MAX_UPSTREAM_REQUESTS_PER_OPERATION: positiveInt('MAX_UPSTREAM_REQUESTS_PER_OPERATION', 10_000)
    .refine((value) => value > 0, {
      error: 'MAX_UPSTREAM_REQUESTS_PER_OPERATION must be at least 1',
    })
    .default(50),
  GATEWAY_AUTH_MODE: z
    .enum(['forward', 'jwt', 'token', 'none'], {
      error: 'GATEWAY_AUTH_MODE must be one of forward, jwt, token, none',
    })
    .optional(),
  GATEWAY_ALLOW_UNAUTHENTICATED: bool('GATEWAY_ALLOW_UNAUTHENTICATED').default(false),
  JWT_JWKS_URL: httpUrl('JWT_JWKS_URL').optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_SCOPES_CLAIM: z.string().min(1).default('scope'),
  GATEWAY_TOKENS: z.string().optional(),
  GATEWAY_TOKENS_FILE: z.string().optional(),
  MAX_QUERY_DEPTH: positiveInt('MAX_QUERY_DEPTH', 100).default(12),
  MAX_ALIASES: positiveInt('MAX_ALIASES', 1000).default(30),
  MAX_DIRECTIVES: positiveInt('MAX_DIRECTIVES', 1000).default(20),
  MAX_TOKENS: positiveInt('MAX_TOKENS', 100_000).default(2_000),
  MAX_REQUEST_BODY_BYTES: positiveInt('MAX_REQUEST_BODY_BYTES', 10_000_000).default(100_000),
  GRAPHQL_INTROSPECTION: bool('GRAPHQL_INTROSPECTION').default(true),
  GRAPHIQL: bool('GRAPHIQL').default(true),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  CORS_ORIGINS: z.string().default(''),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT').optional(),
  FEDERATION_SUBGRAPH: bool('FEDERATION_SUBGRAPH').default(false),
  SANDBOX: bool('SANDBOX').optional(),
  NODE_ENV: z.string().optional(),
  ALLOWED_HOSTS: z
    .string()
    .refine(
      (value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .every((entry) => HOST_PATTERN.test(entry) || isIP(entry.replace(/^\[|\]$/g, ''))),
      { error: 'ALLOWED_HOSTS must be a comma-separated list of host names (`*.` prefix allowed)' },
    )
    .default(''),
  METRICS_PORT: port('METRICS_PORT').optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, { error: 'METRICS_TOKEN must be at least 16 characters' })
    .optional(),
  JWT_MAX_LIFETIME_SECONDS: positiveInt('JWT_MAX_LIFETIME_SECONDS', 2_592_000)
    .refine((value) => value > 0, { error: 'JWT_MAX_LIFETIME_SECONDS must be at least 1' })
    .default(86_400),
  JWT_CLOCK_SKEW_SECONDS: positiveInt('JWT_CLOCK_SKEW_SECONDS', 600).default(60),
  JWT_TYPE: z.string().min(1).optional(),
  LIVE_POLL_INTERVAL_MS: positiveInt('LIVE_POLL_INTERVAL_MS', 86_400_000)
    .refine((value) => value >= 100, { error: 'LIVE_POLL_INTERVAL_MS must be at least 100' })
    .default(10_000),
  LIVE_BUDGET_SHARE: z.coerce
    .number({ error: 'LIVE_BUDGET_SHARE must be a number' })
    .gt(0, { error: 'LIVE_BUDGET_SHARE must be more than 0 and at most 1' })
    .max(1, { error: 'LIVE_BUDGET_SHARE must be more than 0 and at most 1' })
    .default(0.2),
  LIVE_LEASE_MS: positiveInt('LIVE_LEASE_MS', 600_000)
    .refine((value) => value >= 100, { error: 'LIVE_LEASE_MS must be at least 100' })
    .default(15_000),
  LIVE_LOG_MAX_EVENTS: positiveInt('LIVE_LOG_MAX_EVENTS', 1_000_000)
    .refine((value) => value > 0, { error: 'LIVE_LOG_MAX_EVENTS must be at least 1' })
    .default(1_000),
  LIVE_LOG_MAX_AGE_SECONDS: positiveInt('LIVE_LOG_MAX_AGE_SECONDS', 86_400)
    .refine((value) => value > 0, { error: 'LIVE_LOG_MAX_AGE_SECONDS must be at least 1' })
    .default(600),
  LIVE_KEY_PREFIX: z.string().min(1).max(100).default('admin-graph:live:'),
  SANDBOX_CHANGES_EVERY_MS: positiveInt('SANDBOX_CHANGES_EVERY_MS', 86_400_000).default(30_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

/**
 * Reads the configuration from environment variables. Empty strings count as unset, so that
 * `PORT= npm start` behaves like leaving PORT out. Throws a ConfigError with a one-line message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue?.message ?? 'invalid configuration');
  }
  const values = parsed.data;
  if (
    values.ANTHROPIC_OAUTH_TOKEN !== undefined &&
    values.ANTHROPIC_OAUTH_TOKEN_FILE !== undefined
  ) {
    throw new ConfigError(
      'ANTHROPIC_OAUTH_TOKEN and ANTHROPIC_OAUTH_TOKEN_FILE are both set: set one of them',
    );
  }
  if (
    values.ANTHROPIC_ADMIN_KEY === undefined &&
    values.ANTHROPIC_BASE_URL !== undefined &&
    values.GATEWAY_AUTH_MODE !== 'forward'
  ) {
    throw new ConfigError(
      'ANTHROPIC_BASE_URL is set but ANTHROPIC_ADMIN_KEY is not: set the key to use that API, or unset the URL for sandbox mode',
    );
  }
  // Without a key the gateway runs the sandbox, unless callers bring their own credentials.
  const sandbox =
    values.ANTHROPIC_ADMIN_KEY === undefined && values.GATEWAY_AUTH_MODE !== 'forward';
  checkSandbox(values, sandbox);
  if (values.METRICS_PORT !== undefined && values.METRICS_PORT !== 0) {
    if (values.METRICS_PORT === values.PORT) {
      throw new ConfigError('METRICS_PORT must differ from PORT');
    }
  }
  const auth = authConfig(values, sandbox);
  return {
    host: values.HOST,
    port: values.PORT,
    adminKey: values.ANTHROPIC_ADMIN_KEY,
    oauthToken:
      values.ANTHROPIC_OAUTH_TOKEN !== undefined
        ? { token: values.ANTHROPIC_OAUTH_TOKEN }
        : values.ANTHROPIC_OAUTH_TOKEN_FILE !== undefined
          ? { file: values.ANTHROPIC_OAUTH_TOKEN_FILE }
          : undefined,
    upstreamBaseUrl: values.ANTHROPIC_BASE_URL ?? DEFAULT_UPSTREAM_BASE_URL,
    upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
    upstreamMaxRetries: values.UPSTREAM_MAX_RETRIES,
    upstreamReadDeadlineMs: values.UPSTREAM_READ_DEADLINE_MS,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    circuitResetMs: values.CIRCUIT_RESET_MS,
    sandbox,
    sandboxPort: values.SANDBOX_PORT,
    cacheTtlSeconds: values.CACHE_TTL_SECONDS,
    redisUrl: values.REDIS_URL,
    databaseUrl: values.DATABASE_URL,
    databaseDir: values.DATABASE_DIR,
    auditRetentionDays: values.AUDIT_RETENTION_DAYS,
    auditReads: values.AUDIT_READS,
    upstreamRateLimitPerMinute: values.UPSTREAM_RATE_LIMIT_PER_MINUTE,
    upstreamBudgetMaxWaitMs: values.UPSTREAM_BUDGET_MAX_WAIT_MS,
    upstreamCallerShare: values.UPSTREAM_CALLER_SHARE,
    bulkBudgetShare: values.BULK_BUDGET_SHARE,
    redisExpectedReplicas: values.REDIS_EXPECTED_REPLICAS,
    redisCommandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
    maxUpstreamRequestsPerOperation: values.MAX_UPSTREAM_REQUESTS_PER_OPERATION,
    auth,
    limits: {
      maxDepth: values.MAX_QUERY_DEPTH,
      maxAliases: values.MAX_ALIASES,
      maxDirectives: values.MAX_DIRECTIVES,
      maxTokens: values.MAX_TOKENS,
      maxBodyBytes: values.MAX_REQUEST_BODY_BYTES,
    },
    introspection: values.GRAPHQL_INTROSPECTION,
    graphiql: values.GRAPHIQL,
    persistedOperationsFile: values.PERSISTED_OPERATIONS_FILE,
    corsOrigins: values.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    otlpEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT,
    federationSubgraph: values.FEDERATION_SUBGRAPH,
    allowedHosts: values.ALLOWED_HOSTS.split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    metricsPort: values.METRICS_PORT,
    metricsToken: values.METRICS_TOKEN,
    logLevel: values.LOG_LEVEL,
    live: {
      pollIntervalMs: values.LIVE_POLL_INTERVAL_MS,
      budgetShare: values.LIVE_BUDGET_SHARE,
      leaseMs: values.LIVE_LEASE_MS,
      logMaxEvents: values.LIVE_LOG_MAX_EVENTS,
      logMaxAgeSeconds: values.LIVE_LOG_MAX_AGE_SECONDS,
      keyPrefix: values.LIVE_KEY_PREFIX,
    },
    sandboxChangesEveryMs: sandbox ? values.SANDBOX_CHANGES_EVERY_MS : 0,
  };
}

/**
 * Sandbox mode serves demo data without authentication: it never starts by accident. Without a
 * key, off loopback or with NODE_ENV=production, start-up stops unless SANDBOX=true asks for it.
 */
function checkSandbox(values: z.infer<typeof envSchema>, sandbox: boolean): void {
  if (values.SANDBOX === true && !sandbox) {
    throw new ConfigError(
      'SANDBOX=true serves demo data from the embedded emulator: unset ANTHROPIC_ADMIN_KEY (and GATEWAY_AUTH_MODE=forward), or unset SANDBOX',
    );
  }
  if (!sandbox || values.SANDBOX === true) return;
  if (values.SANDBOX === false) {
    throw new ConfigError(
      'ANTHROPIC_ADMIN_KEY is not set and SANDBOX=false: set the key (or GATEWAY_AUTH_MODE=forward)',
    );
  }
  const production = values.NODE_ENV === 'production';
  if (production || !isLoopback(values.HOST)) {
    throw new ConfigError(
      `ANTHROPIC_ADMIN_KEY is not set: sandbox demo data without authentication is served only on a loopback HOST outside production (HOST=${values.HOST}${production ? ', NODE_ENV=production' : ''}); set the key, or SANDBOX=true to run the sandbox on purpose`,
    );
  }
}

/**
 * Whether a host is loopback: `localhost`, an IPv4 literal in 127.0.0.0/8, or `::1` (brackets
 * allowed). A name that merely starts with `127.` (`127.foo.invalid`) is not.
 */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === 'localhost.') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1';
  return false;
}

const tokenList = z.array(
  z.object({
    name: z.string().min(1),
    token: z.string().min(16, { error: 'each gateway token must be at least 16 characters' }),
    scopes: z.array(z.string().min(1)),
  }),
);

function parseTokens(text: string, source: string): GatewayToken[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} must be JSON: [{"name": …, "token": …, "scopes": […]}]`);
  }
  const parsed = tokenList.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `${source}: ${parsed.error.issues[0]?.message ?? 'invalid'} (expected [{"name", "token", "scopes"}])`,
    );
  }
  for (const token of parsed.data) {
    const unknown = token.scopes.find((scope) => !VALID_SCOPES.includes(scope));
    if (unknown !== undefined) {
      throw new ConfigError(
        `${source}: token "${token.name}" has the unknown scope "${unknown}"; valid scopes: ${VALID_SCOPES.join(', ')}`,
      );
    }
  }
  return parsed.data;
}

/** What a gateway token's `scopes` may hold. */
const VALID_SCOPES = [...ALL_SCOPES, 'admin'];

function authConfig(values: z.infer<typeof envSchema>, sandbox: boolean): AuthConfig {
  const mode = values.GATEWAY_AUTH_MODE ?? (sandbox ? 'none' : undefined);
  if (!mode) {
    throw new ConfigError(
      'ANTHROPIC_ADMIN_KEY is set but GATEWAY_AUTH_MODE is not: choose forward, jwt, token or none, so that callers cannot use the key unchecked',
    );
  }
  switch (mode) {
    case 'none':
      if (!sandbox && !isLoopback(values.HOST) && !values.GATEWAY_ALLOW_UNAUTHENTICATED) {
        throw new ConfigError(
          `GATEWAY_AUTH_MODE=none serves the admin key to anyone who reaches ${values.HOST}: bind HOST to loopback, or set GATEWAY_ALLOW_UNAUTHENTICATED=true`,
        );
      }
      return { mode };
    case 'forward':
      if (values.ANTHROPIC_ADMIN_KEY !== undefined) {
        throw new ConfigError(
          'GATEWAY_AUTH_MODE=forward uses each caller’s own credential: unset ANTHROPIC_ADMIN_KEY (the gateway holds none) and set ANTHROPIC_BASE_URL if needed',
        );
      }
      return { mode };
    case 'jwt': {
      const { JWT_JWKS_URL: jwksUrl, JWT_ISSUER: issuer, JWT_AUDIENCE: audience } = values;
      if (!jwksUrl || !issuer || !audience) {
        throw new ConfigError(
          'GATEWAY_AUTH_MODE=jwt needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE',
        );
      }
      const jwksHost = new URL(jwksUrl).hostname;
      if (new URL(jwksUrl).protocol !== 'https:' && !isLoopback(jwksHost)) {
        throw new ConfigError(
          'JWT_JWKS_URL must be an https:// URL (plain http only on loopback): signing keys fetched in the clear can be swapped',
        );
      }
      return {
        mode,
        jwt: {
          jwksUrl,
          issuer,
          audience,
          scopesClaim: values.JWT_SCOPES_CLAIM,
          maxLifetimeSeconds: values.JWT_MAX_LIFETIME_SECONDS,
          clockSkewSeconds: values.JWT_CLOCK_SKEW_SECONDS,
          ...(values.JWT_TYPE ? { type: values.JWT_TYPE } : {}),
        },
      };
    }
    case 'token': {
      const tokens = [
        ...(values.GATEWAY_TOKENS ? parseTokens(values.GATEWAY_TOKENS, 'GATEWAY_TOKENS') : []),
        ...(values.GATEWAY_TOKENS_FILE
          ? parseTokens(readTokensFile(values.GATEWAY_TOKENS_FILE), 'GATEWAY_TOKENS_FILE')
          : []),
      ];
      if (tokens.length === 0) {
        throw new ConfigError(
          'GATEWAY_AUTH_MODE=token needs GATEWAY_TOKENS or GATEWAY_TOKENS_FILE',
        );
      }
      return { mode, tokens };
    }
  }
}

function readTokensFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`GATEWAY_TOKENS_FILE ${path} cannot be read`);
  }
}
