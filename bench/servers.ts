import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { loadConfig, type GatewayConfig } from '../src/config/config.js';
import { DEFAULT_SANDBOX_KEY, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import type { Gateway } from '../src/app/gateway.js';
import { createGateway, createLogger } from './shipped.js';
import { createPeerGateway } from './peer/gateway.js';

/** A fixed seed anchor for the sandbox data, so that every run sees the same organization. */
export const SEED_NOW = new Date('2026-11-01T12:00:00Z');

/** Latency the sandbox adds to every Admin API request. */
export const LATENCY_MS = 20;

export const ADMIN_KEY = DEFAULT_SANDBOX_KEY;

/**
 * The node flags production runs the gateway with: those of `npm run serve`, which the container
 * image's CMD repeats (test/ecosystem/container.test.ts holds the two together).
 */
export function productionNodeFlags(): string[] {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { scripts: Record<string, string> };
  return (manifest.scripts['serve'] ?? '').split(' ').filter((word) => word.startsWith('--'));
}

/** How a report names the way the gateway runs: NODE_ENV and the node flags of production. */
export function productionModeText(): string {
  const flags = productionNodeFlags();
  return flags.length > 0
    ? `NODE_ENV=production and \`${flags.join(' ')}\``
    : 'NODE_ENV=production';
}

/** An HTTP server on a loopback port. */
export interface Served {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:54321/graphql`. */
  url: string;
  close(): Promise<void>;
}

/** Serves a request handler (a yoga instance) on 127.0.0.1 with a free port. */
export async function serve(handler: RequestListener, onClose?: () => Promise<void>) {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await onClose?.();
    },
  } satisfies Served;
}

/** The sandbox with the fixed seed and the benchmark's injected latency. */
export function startBenchSandbox(rateLimitPerMinute: number | null = null): Promise<Sandbox> {
  return startSandbox({ now: SEED_NOW, latencyMs: LATENCY_MS, rateLimitPerMinute });
}

/**
 * The gateway's production defaults (cache TTL 30 s, budget 100/min, …) pointed at the sandbox.
 * `overrides` relaxes them for the counting phases.
 */
export function benchConfig(sandbox: Sandbox, overrides: Partial<GatewayConfig> = {}) {
  return {
    ...loadConfig({}),
    upstreamBaseUrl: sandbox.url,
    adminKey: ADMIN_KEY,
    logLevel: 'silent',
    ...overrides,
  } satisfies GatewayConfig;
}

export interface ServedGateway extends Served {
  gateway: Gateway;
}

/** Our gateway over real HTTP; `naive` turns off loaders and caching (the baseline). */
export async function serveGateway(
  config: GatewayConfig,
  naive = false,
  options: { wholeResultCache?: boolean } = {},
): Promise<ServedGateway> {
  const gateway = createGateway(config, { logger: createLogger('silent'), naive, ...options });
  const served = await serve(gateway, () => gateway.close());
  return { ...served, gateway };
}

/** A bare graphql-yoga with a one-field schema, to serve `{ __typename }`: the ceiling. */
export function serveBareYoga(): Promise<Served> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
  });
  return serve(yoga);
}

/** The peer (GraphQL Mesh from our OpenAPI description) over real HTTP, against the sandbox. */
export async function servePeer(sandbox: Sandbox): Promise<Served> {
  return serve(await createPeerGateway(sandbox.url, ADMIN_KEY));
}
