import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { GraphQLClient } from 'graphql-request';
import { loadConfig, type GatewayConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/app/logger.js';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  FIXTURE_IDS,
  startSandbox,
  type RecordedRequest,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import { createGateway, type Gateway } from '../../src/app/gateway.js';
import { attachWebSocket } from '../../src/app/websocket.js';
import { freshDatabase, type Database } from '../../src/db/database.js';
import { countAuditEvents } from '../../src/db/audit.js';

/** A second credential the sandbox accepts, standing for a caller's own Admin API key. */
export const CALLER_KEY = 'sk-ant-admin01-caller-1111111111111111111111111111111111111111';

/** A fixed seed anchor, so that every test run sees the same data. */
export const SEED_NOW = new Date('2026-11-01T12:00:00Z');

export interface Harness {
  sandbox: Sandbox;
  gateway: Gateway;
  /** The gateway's GraphQL endpoint over real HTTP. */
  endpoint: string;
  client: GraphQLClient;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  /** Admin API requests recorded by the sandbox since the last `resetCounts()`. */
  upstream(): RecordedRequest[];
  resetCounts(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  config?: Partial<GatewayConfig>;
  /**
   * A database of the gateway's own (a fresh in-memory PGlite) instead of the one every test
   * gateway of this process shares: for tests that read what the database holds.
   */
  freshDatabase?: boolean;
}

let shared: Promise<Database> | undefined;

/**
 * The database test gateways share unless they ask for their own: one in-memory PGlite per test
 * process (opening one costs seconds), copied from a migrated template.
 */
export function sharedTestDatabase(): Promise<Database> {
  return (shared ??= freshDatabase());
}

// Opening PGlite takes seconds and keeps the event loop busy meanwhile: it is opened when the
// harness is loaded (once per worker, before any test or hook runs), not by the first gateway
// that writes (every mutation writes an audit event, checked at close) in the middle of a test.
await sharedTestDatabase();

export interface RunningGateway {
  gateway: Gateway;
  /** The gateway's GraphQL endpoint over real HTTP. */
  endpoint: string;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** Starts a gateway on a loopback port in front of `sandbox` (several may share one sandbox). */
export async function startGateway(
  sandbox: Sandbox,
  overrides: Partial<GatewayConfig> = {},
  options: {
    freshDatabase?: boolean;
    /** A database of the test's own, which outlives the gateway (restarts, replicas). */
    database?: () => Promise<Database>;
    /** Start the bulk runner at once (see GatewayOptions.startBulkRunner). */
    startBulkRunner?: boolean;
  } = {},
): Promise<RunningGateway> {
  const logs: string[] = [];
  let own: Promise<Database> | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config: GatewayConfig = {
    ...loadConfig({}),
    port: 0,
    upstreamBaseUrl: sandbox.url,
    adminKey: DEFAULT_SANDBOX_KEY,
    // As in sandbox mode: the emulator's OAuth token for the service-account endpoints.
    oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN },
    upstreamMaxRetries: 0,
    // Tests assert exact upstream calls: the shared cache and the budget are off unless a test
    // turns them on.
    cacheTtlSeconds: 0,
    upstreamRateLimitPerMinute: 0,
    // Many tests inject upstream failures back to back; the circuit breaker has its own tests.
    circuitResetMs: 0,
    logLevel: 'debug',
    ...overrides,
  };
  const gateway = createGateway(config, {
    logger: createLogger('debug', sink),
    // As src/main.ts does in sandbox mode.
    exampleApiKeyId: config.sandbox ? FIXTURE_IDS.activeApiKey : undefined,
    // The shared test database, unless the test asks for its own (a copy of the migrated
    // template, closed with this gateway) or names one (DATABASE_URL, DATABASE_DIR).
    ...(options.startBulkRunner !== undefined ? { startBulkRunner: options.startBulkRunner } : {}),
    database: options.database
      ? options.database
      : config.databaseUrl || config.databaseDir
        ? undefined
        : options.freshDatabase
          ? () => (own ??= freshDatabase())
          : sharedTestDatabase,
  });
  const server: Server = createServer(gateway);
  // graphql-ws on the same server and path, as src/main.ts does.
  const websocket = attachWebSocket(server, gateway, config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    gateway,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    logs,
    close: async () => {
      await websocket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await checkAuditTrail(gateway);
      await gateway.close();
      if (own) await (await own).close();
    },
  };
}

/**
 * Every mutation field a test gateway executed (or refused) must have its audit event: the rows
 * of its instance are counted against what its audit plugin recorded, once, at close. Fails the
 * test loudly otherwise.
 */
async function checkAuditTrail(gateway: Gateway): Promise<void> {
  const audited = gateway.audit.audited();
  if (audited === 0) return;
  await gateway.audit.flush();
  const rows = await countAuditEvents(await gateway.database(), gateway.audit.instanceId);
  if (rows !== audited) {
    throw new Error(
      `audit trail incomplete: ${audited} mutation fields audited by gateway ${gateway.audit.instanceId}, ${rows} rows in the database`,
    );
  }
}

/**
 * Starts the sandbox and the gateway on real loopback ports, wired as in sandbox mode: the gateway
 * reaches the sandbox over HTTP through the SDK.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({
    now: SEED_NOW,
    credentials: {
      admin: DEFAULT_SANDBOX_KEY,
      caller: CALLER_KEY,
      oauth: DEFAULT_SANDBOX_OAUTH_TOKEN,
    },
    ...options.sandbox,
  });
  const running = await startGateway(sandbox, options.config, {
    freshDatabase: options.freshDatabase,
  });
  return {
    sandbox,
    gateway: running.gateway,
    endpoint: running.endpoint,
    client: new GraphQLClient(running.endpoint),
    logs: running.logs,
    upstream: () => [...sandbox.requests],
    resetCounts: () => sandbox.clearRequests(),
    close: async () => {
      await running.close();
      await sandbox.close();
    },
  };
}

/** A compact view of recorded upstream requests: `GET /v1/organizations/users?limit=20`. */
export function describe(request: RecordedRequest): string {
  const query = new URLSearchParams();
  for (const [key, values] of Object.entries(request.query)) {
    for (const value of values) query.append(key, value);
  }
  const search = query.toString();
  return `${request.method} ${request.path}${search ? `?${decodeURIComponent(search)}` : ''}`;
}

/** Posts a raw GraphQL request and returns the parsed body, for errors and odd inputs. */
export async function postGraphQL(
  endpoint: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody; headers: Headers }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as GraphQLBody,
    headers: response.headers,
  };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}
