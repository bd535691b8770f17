import { z } from 'zod';

/** Everything the gateway reads from its environment, validated once at start-up. */
export interface GatewayConfig {
  /** Interface the HTTP server binds. */
  host: string;
  /** HTTP port of the gateway; 0 picks a free port. */
  port: number;
  /** The gateway's own Admin API key; undefined in sandbox mode or when callers bring their own. */
  adminKey: string | undefined;
  /** Upstream origin; requests go to `${upstreamBaseUrl}/v1/organizations/…`. */
  upstreamBaseUrl: string;
  /** Per-attempt timeout of an upstream request. */
  upstreamTimeoutMs: number;
  /** How often a failed read is retried (writes are never retried). */
  upstreamMaxRetries: number;
  /** Sandbox mode: the embedded Admin API emulator serves the data. */
  sandbox: boolean;
  /** Port of the embedded sandbox in sandbox mode (0 picks a free port). */
  sandboxPort: number;
  /** How long upstream reads stay cached; 0 turns the cache off. */
  cacheTtlSeconds: number;
  /** Redis for the cache and the budget shared by several replicas; in memory when unset. */
  redisUrl: string | undefined;
  /** Upstream requests per minute the gateway allows itself per credential; 0 turns it off. */
  upstreamRateLimitPerMinute: number;
  /** Longest a request waits for upstream budget before it fails with RATE_LIMITED. */
  upstreamBudgetMaxWaitMs: number;
  /** Operations estimated to need more upstream requests than this are refused before they run. */
  maxUpstreamRequestsPerOperation: number;
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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

const envSchema = z.object({
  HOST: z.string().min(1, { error: 'HOST must not be empty' }).default('127.0.0.1'),
  PORT: port('PORT').default(4000),
  ANTHROPIC_ADMIN_KEY: z
    .string()
    .trim()
    .min(1, { error: 'ANTHROPIC_ADMIN_KEY is set but empty' })
    .optional(),
  ANTHROPIC_BASE_URL: httpUrl('ANTHROPIC_BASE_URL').optional(),
  UPSTREAM_TIMEOUT_MS: positiveInt('UPSTREAM_TIMEOUT_MS', 600_000)
    .refine((value) => value > 0, { error: 'UPSTREAM_TIMEOUT_MS must be at least 1' })
    .default(10_000),
  UPSTREAM_MAX_RETRIES: positiveInt('UPSTREAM_MAX_RETRIES', 10).default(2),
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
  UPSTREAM_RATE_LIMIT_PER_MINUTE: positiveInt('UPSTREAM_RATE_LIMIT_PER_MINUTE', 100_000).default(
    100,
  ),
  UPSTREAM_BUDGET_MAX_WAIT_MS: positiveInt('UPSTREAM_BUDGET_MAX_WAIT_MS', 60_000).default(3_000),
  MAX_UPSTREAM_REQUESTS_PER_OPERATION: positiveInt('MAX_UPSTREAM_REQUESTS_PER_OPERATION', 10_000)
    .refine((value) => value > 0, {
      error: 'MAX_UPSTREAM_REQUESTS_PER_OPERATION must be at least 1',
    })
    .default(50),
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
  if (values.ANTHROPIC_ADMIN_KEY === undefined && values.ANTHROPIC_BASE_URL !== undefined) {
    throw new ConfigError(
      'ANTHROPIC_BASE_URL is set but ANTHROPIC_ADMIN_KEY is not: set the key to use that API, or unset the URL for sandbox mode',
    );
  }
  const sandbox = values.ANTHROPIC_ADMIN_KEY === undefined;
  return {
    host: values.HOST,
    port: values.PORT,
    adminKey: values.ANTHROPIC_ADMIN_KEY,
    upstreamBaseUrl: values.ANTHROPIC_BASE_URL ?? DEFAULT_UPSTREAM_BASE_URL,
    upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
    upstreamMaxRetries: values.UPSTREAM_MAX_RETRIES,
    sandbox,
    sandboxPort: values.SANDBOX_PORT,
    cacheTtlSeconds: values.CACHE_TTL_SECONDS,
    redisUrl: values.REDIS_URL,
    upstreamRateLimitPerMinute: values.UPSTREAM_RATE_LIMIT_PER_MINUTE,
    upstreamBudgetMaxWaitMs: values.UPSTREAM_BUDGET_MAX_WAIT_MS,
    maxUpstreamRequestsPerOperation: values.MAX_UPSTREAM_REQUESTS_PER_OPERATION,
    logLevel: values.LOG_LEVEL,
  };
}
