import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config.js';
import type { GatewayContext } from '../graphql/context.js';
import { openDatabase, type Database } from '../db/database.js';
import { clientErrorMasking } from './plugins/error-masking.js';
import { lazyLoaders } from '../loaders/index.js';
import { createLogger } from './logger.js';
import { hostCheckPlugin } from './plugins/host-check.js';
import { getSubgraphSchema, schema } from '../graphql/schema.js';
import { AdminApi } from '../upstream/admin-api.js';
import { gatewayCredential, oauthTokenSource } from '../upstream/credentials.js';
import { createAuthenticator, type Authenticator, type Caller } from './auth/authenticate.js';
import type { Upstream } from '../upstream/upstream.js';
import { createUpstream } from '../upstream/create.js';
import { LiveHub } from '../live/hub.js';
import { BulkRunner } from '../upstream/bulk/runner.js';
import { budgetShare } from './plugins/budget-share.js';
import { costLimitPlugin } from './plugins/cost-limit.js';
import { logOperation, operationReportPlugin } from './plugins/operation-report.js';
import { fastHitPlugin } from './plugins/fast-hit.js';
import { readinessPlugin } from './plugins/readiness.js';
import { requestIdPlugin } from './plugins/request-id.js';
import { ResultCache, resultCachePlugin, serializedResultPlugin } from './plugins/result-cache.js';
import { compressionPlugin, graphiqlOptions } from './graphiql/graphiql.js';
import { subgraphEndpoint } from './plugins/subgraph-endpoint.js';
import { errorCodesPlugin } from './plugins/error-codes.js';
import { enginePlugin } from './plugins/engine.js';
import { prefetchPlugin } from './plugins/prefetch.js';
import { createAuditTrail } from './plugins/audit.js';
import { dryRunPlugin } from './plugins/dry-run.js';
import { auditExportPlugin } from './audit-export.js';
import { corsOptions, loadPersistedOperations, securityPlugins } from './plugins/security.js';
import {
  metricsPlugin,
  operationNamesOf,
  sharedStateErrorsMetric,
  tracingPlugin,
  tracingRegistered,
} from './plugins/metrics.js';

export interface GatewayOptions {
  /** Where logs go; by default a pino logger at the configured level on stdout. */
  logger?: Logger;
  /**
   * No batching, no request-scoped or shared cache: every lookup is its own upstream request, as
   * in a naive resolver tree. For the benchmark's baseline only.
   */
  naive?: boolean;
  /**
   * An API key id for GraphiQL's example mutation to name (the emulator's seeded key in sandbox
   * mode, so that the example runs as it is); a placeholder otherwise.
   */
  exampleApiKeyId?: string;
  /**
   * The database (audit trail, bulk jobs) instead of the one DATABASE_URL or DATABASE_DIR names;
   * the gateway does not close a database it was given. Opened on first use either way.
   */
  database?: () => Promise<Database>;
  /**
   * Whether the bulk runner looks for jobs from the start (to resume those another process left);
   * by default only when the database outlives the process (DATABASE_URL, DATABASE_DIR), and
   * otherwise once a bulk operation is created or read.
   */
  startBulkRunner?: boolean;
  /**
   * Whether whole results are cached (default true, with the read cache): false executes every
   * operation against the read cache, for the benchmark's executed-path measurement.
   */
  wholeResultCache?: boolean;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext> & {
  upstream: Upstream;
  /** Answers a /metrics request (for a listener of its own on METRICS_PORT). */
  metrics: (request: Request) => Promise<Response>;
  /** The database (audit trail, bulk jobs), opened and migrated on first use. */
  database: () => Promise<Database>;
  /** The live graph (subscriptions, the poller); null without the gateway's own credential. */
  live: LiveHub | null;
  /** Runs bulk jobs with the gateway's own credential; null without one (ANTHROPIC_ADMIN_KEY). */
  bulk: BulkRunner | null;
  /** The audit trail: this gateway's instance id, mutations audited, flush (tests, shutdown). */
  audit: {
    instanceId: string;
    audited(): number;
    flush(): Promise<void>;
    prune(): Promise<number>;
  };
  /**
   * Releases the shared state (the Redis connection, when there is one) and the database, after
   * writing the queued audit events.
   */
  close(): Promise<void>;
};

/**
 * Builds the gateway: a graphql-yoga instance over the Admin API. It does not listen; serve it
 * with node:http (see src/main.ts) or call `yoga.fetch` directly.
 */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { state, budget, upstream } = createUpstream(config, {
    naive: options.naive,
    // Redis failing never fails a request: the cache serves from upstream, the budget counts locally.
    onStateError: (operation, error) =>
      logger.warn(
        { operation, err: { message: error instanceof Error ? error.message : String(error) } },
        'shared state (Redis) failed; falling back',
      ),
  });
  const ownCredential = config.adminKey ? gatewayCredential(config.adminKey) : null;
  const gatewayOAuth = oauthTokenSource(config.oauthToken);
  const authenticator = createAuthenticator(config.auth, ownCredential, logger);
  // Once per request: the fast hit path and the context both need the caller.
  const callers = new WeakMap<Request, Promise<Caller>>();
  const authenticate: Authenticator = Object.assign(
    (request: Request) => {
      let caller = callers.get(request);
      if (!caller) {
        caller = authenticator(request);
        callers.set(request, caller);
      }
      return caller;
    },
    { problems: authenticator.problems },
  );
  const requestIds = requestIdPlugin();
  const database = lazyDatabase(config, options.database);
  // The live graph: subscriptions fed by one poller per organization (none without a key).
  const live = ownCredential
    ? new LiveHub(
        upstream,
        budget,
        ownCredential,
        {
          ...config.live,
          logMaxAgeMs: config.live.logMaxAgeSeconds * 1000,
          redisUrl: config.redisUrl,
        },
        logger,
        gatewayOAuth,
      )
    : null;
  const bulk = ownCredential
    ? new BulkRunner({
        database: database.get,
        upstream,
        budget,
        credential: ownCredential,
        share: config.bulkBudgetShare,
        ...(config.bulkLeaseMs ? { leaseMs: config.bulkLeaseMs } : {}),
        ...(config.bulkPollMs ? { pollMs: config.bulkPollMs } : {}),
        onError: (error) =>
          logger.warn(
            { err: { message: error instanceof Error ? error.message : String(error) } },
            'bulk runner failed; retrying',
          ),
      })
    : null;
  if (options.startBulkRunner ?? Boolean(config.databaseUrl || config.databaseDir)) bulk?.wake();

  const resultCache =
    upstream.cache?.enabled && !options.naive && options.wholeResultCache !== false
      ? new ResultCache(upstream.cache, config.cacheTtlSeconds * 1000)
      : undefined;
  const metrics = metricsPlugin(upstream, budget, ownCredential, resultCache, {
    token: config.metricsToken,
    serveEndpoint: config.metricsPort === undefined,
    operationNames: config.persistedOperationsFile
      ? operationNamesOf(loadPersistedOperations(config.persistedOperationsFile).values())
      : [],
  });
  sharedStateErrorsMetric(metrics.registry, state.errors);
  const audit = createAuditTrail({
    database: database.get,
    logger,
    registry: metrics.registry,
    retentionDays: config.auditRetentionDays,
    auditReads: config.auditReads,
    // For a mutation that fails validation (no context is built for it): who sent it.
    identify: async (request) => ({
      identity: (await authenticate(request)).identity,
      requestId: requestIds.idOf(request),
    }),
  });

  const share = budgetShare(budget);
  const fastHit =
    resultCache && !config.auditReads
      ? fastHitPlugin({
          cache: resultCache,
          authenticate,
          budgetStatus: (caller) =>
            share.status(caller.credential.fingerprint, caller, false, 1000),
          answered: ({ request, caller, requestedName, operationName, started }) => {
            metrics.answeredFromCache(request, operationName);
            logOperation(logger, {
              requestId: requestIds.idOf(request),
              operationName: requestedName ?? null,
              upstreamRequests: 0,
              caller: caller.name,
              credential: caller.credential.source,
              errors: 0,
              fromResultCache: true,
              durationMs: Math.round(performance.now() - started),
            });
          },
        })
      : null;

  const subgraphRoute = subgraphEndpoint(schema, getSubgraphSchema, config.federationSubgraph);
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: subgraphRoute.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Bodies are limited by the security plugins' `bodyLimit` (config.limits.maxBodyBytes).
    maxRequestBodySize: false,
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug({ detail: args.map(String) }, 'yoga'),
      info: (...args) => logger.info({ detail: args.map(String) }, 'yoga'),
      warn: (...args) => logger.warn({ detail: args.map(String) }, 'yoga'),
      error: (...args) => logger.error({ detail: args.map(String) }, 'yoga'),
    },
    maskedErrors: { maskError: clientErrorMasking(logger) },
    graphiql: config.graphiql ? graphiqlOptions(config, options.exampleApiKeyId) : false,
    cors: corsOptions(config.corsOrigins),
    plugins: [
      // First: a request for a foreign Host name (DNS rebinding) reaches nothing else.
      hostCheckPlugin(config.host, config.allowedHosts),
      subgraphRoute.plugin,
      enginePlugin(),
      auditExportPlugin({ authenticate, database: database.get }),
      readinessPlugin({ state, upstream, authProblems: () => authenticate.problems?.() ?? [] }),
      compressionPlugin(),
      metrics.plugin,
      ...securityPlugins(config),
      errorCodesPlugin(),
      ...(tracingRegistered() ? [tracingPlugin()] : []),
      serializedResultPlugin(),
      requestIds.plugin,
      // A query whose whole result is cached, answered before it is parsed (after the persisted
      // operations have put the query text in the parameters).
      ...(fastHit ? [fastHit] : []),
      // Execution, in this order: the caller's budget share, the cost report (its extension and
      // log line also cover refusals and cache hits), the cost limit, then the result cache.
      share.plugin,
      operationReportPlugin(logger),
      // Before the cost limit, so that refused mutations are audited and dry runs answered.
      dryRunPlugin(),
      audit.plugin,
      costLimitPlugin(config.maxUpstreamRequestsPerOperation, upstream.sizes),
      ...(resultCache ? [resultCachePlugin(resultCache)] : []),
      // Last: an operation that none of the above answered or refused runs now.
      prefetchPlugin(),
    ],
    context: async ({ request }): Promise<GatewayContext> => {
      const caller = await authenticate(request);
      const credential = caller.credential;
      const requestId = requestIds.idOf(request);
      const api = new AdminApi(
        upstream,
        credential,
        (attempt) => logger.info({ requestId, upstream: attempt }, 'upstream request'),
        gatewayOAuth,
      );
      return {
        caller: { name: caller.name, scopes: caller.scopes, identity: caller.identity },
        api,
        loaders: lazyLoaders(api, { batch: !options.naive }),
        requestId,
        budgetStatus: () => budget.status(credential.fingerprint),
        ...(live ? { live } : {}),
        database: database.get,
        ...(bulk ? { bulk } : {}),
      };
    },
  });
  return Object.assign(yoga, {
    upstream,
    metrics: metrics.handle,
    database: database.get,
    bulk,
    live,
    audit: {
      instanceId: audit.instanceId,
      audited: audit.audited,
      flush: audit.flush,
      prune: audit.prune,
    },
    close: async () => {
      await live?.close();
      // The item in flight finishes and is recorded; the job's lease is released.
      await bulk?.stop();
      await audit.close();
      await Promise.all([state.close(), database.close()]);
    },
  });
}

/**
 * The database, opened once on first use (opening PGlite takes seconds; a gateway that never
 * writes never pays it); closed with the gateway unless it was given from outside.
 */
function lazyDatabase(
  config: GatewayConfig,
  given: (() => Promise<Database>) | undefined,
): { get: () => Promise<Database>; close: () => Promise<void> } {
  let opening: Promise<Database> | undefined;
  return {
    get: () => {
      if (!opening) {
        const attempt = given
          ? given()
          : openDatabase({ url: config.databaseUrl, dir: config.databaseDir });
        opening = attempt;
        // A database that failed to open (its server down) is tried again on the next use.
        attempt.catch(() => {
          if (opening === attempt) opening = undefined;
        });
      }
      return opening;
    },
    close: async () => {
      if (!opening || given) return;
      const database = await opening.catch(() => null);
      await database?.close();
    },
  };
}
