import { createServer } from 'node:http';
import { ConfigError, loadConfig, type GatewayConfig } from './config/config.js';
import { createLogger } from './app/logger.js';
import { shutDown } from './app/shutdown.js';

function fail(message: string): never {
  process.stderr.write(`admin-graph: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // The schema, the emulator and the span exporter are loaded only once the configuration holds,
  // so that a bad setting is reported at once rather than after the schema is built.
  const { createGateway } = await import('./app/gateway.js');
  const { DEFAULT_SANDBOX_KEY, DEFAULT_SANDBOX_OAUTH_TOKEN, FIXTURE_IDS, startSandbox } =
    await import('./sandbox/index.js');
  const tracing = config.otlpEndpoint
    ? (await import('./app/tracing-export.js')).startTraceExport(config.otlpEndpoint)
    : null;
  const closers: (() => Promise<void>)[] = [];

  if (config.sandbox) {
    // The emulator limits requests as the Admin API does (100 a minute), so that the gateway's
    // pacing (the budget, bulk jobs) is visible in sandbox mode.
    const sandbox = await startSandbox({
      port: config.sandboxPort,
      host: '127.0.0.1',
      rateLimitPerMinute: 100,
    }).catch((error: NodeJS.ErrnoException) =>
      fail(
        `the sandbox could not listen on port ${config.sandboxPort}: ${error.code ?? error.message} (set SANDBOX_PORT)`,
      ),
    );
    closers.push(() => sandbox.close());
    if (config.sandboxChangesEveryMs > 0) {
      // "Another admin" changes the demo data now and then, so that subscriptions show changes.
      const { startAnotherAdmin } = await import('./sandbox/another-admin.js');
      const stop = startAnotherAdmin(sandbox.url, config.sandboxChangesEveryMs);
      closers.unshift(async () => stop());
    }
    // The emulator's OAuth token too, so that sandbox mode shows service accounts.
    config = {
      ...config,
      upstreamBaseUrl: sandbox.url,
      adminKey: DEFAULT_SANDBOX_KEY,
      oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN },
    };
  }

  // In sandbox mode GraphiQL's example mutation names a seeded key, so that it runs as it is.
  const exampleApiKeyId = config.sandbox ? FIXTURE_IDS.activeApiKey : undefined;
  const gateway = createGateway(config, { logger, exampleApiKeyId });
  // The database (audit trail, bulk jobs) is opened before the gateway listens: opening the
  // embedded PGlite takes seconds of CPU, which would otherwise stall the callers of the first
  // mutation. A database that cannot be opened now is tried again on first use.
  await gateway
    .database()
    .catch((error: unknown) =>
      logger.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'the database could not be opened; the audit trail and bulk jobs wait for it',
      ),
    );
  const server = createServer(gateway);
  // GraphQL over WebSocket (graphql-ws) on the same server and path; SSE is served by yoga.
  const { attachWebSocket } = await import('./app/websocket.js');
  const websocket = attachWebSocket(server, gateway, config);
  await new Promise<void>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        `cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message} (set HOST and PORT)`,
      ),
    );
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/graphql`;

  if (config.sandbox) {
    process.stdout.write(
      [
        '',
        '  admin-graph is running in SANDBOX MODE.',
        '  The data is generated demo data from the embedded Admin API emulator, not a real organization.',
        '  Set ANTHROPIC_ADMIN_KEY to serve the real Admin API.',
        '',
        `  GraphiQL:  ${url}`,
        `  Emulator:  ${config.upstreamBaseUrl}`,
        '',
      ].join('\n') + '\n',
    );
  } else {
    process.stdout.write(
      `admin-graph is serving the Admin API at ${config.upstreamBaseUrl}\nGraphiQL: ${url}\n`,
    );
  }
  logger.info({ url, sandbox: config.sandbox }, 'listening');

  if (config.metricsPort !== undefined) {
    // /metrics on a port of its own (METRICS_PORT), e.g. reachable by the scraper only.
    const metricsServer = createServer((req, res) => {
      if ((req.url ?? '/').split('?')[0] !== '/metrics' || req.method !== 'GET') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const authorization = req.headers.authorization;
      void gateway
        .metrics(
          new Request('http://metrics/metrics', {
            headers: authorization ? { authorization } : {},
          }),
        )
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(await response.text());
        });
    });
    await new Promise<void>((resolve) => {
      metricsServer.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          `cannot listen on ${config.host}:${config.metricsPort}: ${error.code ?? error.message} (set METRICS_PORT)`,
        ),
      );
      metricsServer.listen(config.metricsPort, config.host, resolve);
    });
    closers.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
  }

  // SIGTERM: stop accepting, drain in-flight requests (bounded), close Redis, flush spans, exit.
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void shutDown({
      server,
      drainTimeoutMs: config.shutdownTimeoutMs,
      logger,
      closers: [
        { name: 'websockets', close: () => websocket.close() },
        { name: 'gateway', close: () => gateway.close() },
        ...(tracing ? [{ name: 'span export', close: () => tracing.shutdown() }] : []),
        ...closers.map((close) => ({ name: 'listener', close })),
      ],
    }).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

await main();
