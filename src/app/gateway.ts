import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config.js';
import type { GatewayContext } from '../graphql/context.js';
import { toClientError } from '../graphql/lib/errors.js';
import { createLoaders } from '../loaders/index.js';
import { createLogger } from './logger.js';
import { hostCheckPlugin } from './plugins/host-check.js';
import { getSubgraphSchema, schema } from '../graphql/schema.js';
import { AdminApi } from '../upstream/admin-api.js';
import { gatewayCredential } from '../upstream/credentials.js';
import { ALL_SCOPES, createAuthenticator } from './auth/authenticate.js';
import { Upstream } from '../upstream/upstream.js';
import { UpstreamBudget, type BudgetCaller } from '../upstream/budget.js';
import { ReadCache } from '../upstream/read-cache.js';
import { MemoryState, RedisState, type SharedState } from '../upstream/state/shared-state.js';
import { estimateOperation, operationRefusal } from '../graphql/cost/estimate.js';
import { ResultCache, SERIALIZED_DATA, serializedResultPlugin } from './plugins/result-cache.js';
import { compressionPlugin, graphiqlOptions } from './graphiql/graphiql.js';
import { subgraphEndpoint } from './plugins/subgraph-endpoint.js';
import { errorCodesPlugin } from './plugins/error-codes.js';
import { corsOptions, loadPersistedOperations, securityPlugins } from './plugins/security.js';
import {
  metricsPlugin,
  operationNamesOf,
  sharedStateErrorsMetric,
  tracingPlugin,
} from './plugins/metrics.js';

export interface GatewayOptions {
  /** Where logs go; by default a pino logger at the configured level on stdout. */
  logger?: Logger;
  /**
   * No batching, no request-scoped or shared cache: every lookup is its own upstream request, as
   * in a naive resolver tree. For the benchmark's baseline only.
   */
  naive?: boolean;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext> & {
  upstream: Upstream;
  /** Answers a /metrics request (for a listener of its own on METRICS_PORT). */
  metrics: (request: Request) => Promise<Response>;
  /** Releases the shared state (the Redis connection, when there is one). */
  close(): Promise<void>;
};

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id: the caller's `x-request-id` when it is a sane token, otherwise a new one. */
function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Builds the gateway: a graphql-yoga instance over the Admin API. It does not listen; serve it
 * with node:http (see index.ts) or call `yoga.fetch` directly.
 */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger(config.logLevel);
  const state: SharedState = config.redisUrl
    ? new RedisState(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs })
    : new MemoryState();
  // Redis failing never fails a request: the cache serves from upstream, the budget counts locally.
  state.errors.on((operation, error) =>
    logger.warn(
      { operation, err: { message: error instanceof Error ? error.message : String(error) } },
      'shared state (Redis) failed; falling back',
    ),
  );
  const budget = new UpstreamBudget(state, {
    perMinute: config.upstreamRateLimitPerMinute,
    maxWaitMs: config.upstreamBudgetMaxWaitMs,
    callerShare: config.upstreamCallerShare,
    expectedReplicas: config.redisExpectedReplicas,
  });
  const upstream = new Upstream({
    baseUrl: config.upstreamBaseUrl,
    timeoutMs: config.upstreamTimeoutMs,
    maxRetries: config.upstreamMaxRetries,
    readDeadlineMs: config.upstreamReadDeadlineMs,
    circuitResetMs: config.circuitResetMs,
    budget,
    ...(options.naive ? {} : { cache: new ReadCache(state, config.cacheTtlSeconds * 1000) }),
  });
  const ownCredential = config.adminKey ? gatewayCredential(config.adminKey) : null;
  const authenticate = createAuthenticator(config.auth, ownCredential, logger);
  const requestIds = new WeakMap<Request, string>();

  const resultCache =
    upstream.cache?.enabled && !options.naive
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

  /**
   * GET /ready: 503 `unavailable` while the circuit is open (nothing can be served); 200
   * `degraded` while the shared state (Redis) fails or failed within 30 s (requests are still
   * served, from upstream with a local budget); 200 `ready` otherwise.
   */
  const readiness: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/ready' || request.method !== 'GET') return;
      const problems: string[] = [];
      let degraded = false;
      await state.ping().catch(() => {
        degraded = true;
        problems.push(
          'the shared state (Redis) does not answer: reads are served from the Admin API, the budget is counted locally',
        );
      });
      const recent = degraded ? null : state.errors.recent();
      if (recent !== null) {
        degraded = true;
        problems.push(`the shared state (Redis) failed within the last 30 s: ${recent}`);
      }
      // In jwt mode, no caller can authenticate while the signing keys cannot be fetched.
      const authProblems = authenticate.problems?.() ?? [];
      const unavailable = upstream.breaker.opened || authProblems.length > 0;
      if (upstream.breaker.opened) problems.push('the Admin API is failing (circuit open)');
      problems.push(...authProblems);
      endResponse(
        new Response(
          JSON.stringify({
            status: unavailable ? 'unavailable' : degraded ? 'degraded' : 'ready',
            problems,
          }),
          {
            status: unavailable ? 503 : 200,
            headers: { 'content-type': 'application/json' },
          },
        ),
      );
    },
  };

  const requestLifecycle: Plugin<GatewayContext> = {
    onRequest({ request }) {
      requestIds.set(request, requestIdFor(request));
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
    async onExecute({ args, setResultAndStopExecution, executeFn, setExecuteFn }) {
      const started = performance.now();
      const context = args.contextValue;
      // Upstream requests of this operation are charged to its caller's share of the budget;
      // mutations and callers holding `admin` may use the whole bucket.
      const budgetCaller: BudgetCaller = {
        id: `${context.api.credential.fingerprint}:${context.caller.name}`,
        whole:
          getOperationAST(args.document, args.operationName)?.operation === 'mutation' ||
          [...ALL_SCOPES].every((scope) => context.caller.scopes.has(scope)),
      };
      context.budgetStatus = () => budget.status(context.api.credential.fingerprint, budgetCaller);
      setExecuteFn((executeArgs) => budget.runAs(budgetCaller, () => executeFn(executeArgs)));
      // Page sizes are cut to the collection sizes seen with this credential.
      const sizes = upstream.sizes.known(context.api.credential.fingerprint);
      const plan = estimateOperation(
        args.schema,
        args.document,
        args.operationName,
        args.variableValues ?? {},
        { sizes },
      );
      const estimate = plan.upstreamRequests;
      context.estimatedUpstreamRequests = estimate;
      context.lookups = plan.lookups;
      const costExtension = async () => {
        const status = await context.budgetStatus();
        return {
          estimatedUpstreamRequests: estimate,
          upstreamRequests: context.api.attempts,
          cacheHits: context.api.cacheHits,
          budget: status
            ? {
                limit: status.limit,
                remaining: status.remaining,
                resetAt: status.resetAt,
                caller: status.caller,
              }
            : null,
        };
      };
      const log = (errors: number, fromResultCache: boolean) =>
        logger.info(
          {
            requestId: context.requestId,
            operationName: args.operationName ?? null,
            upstreamRequests: context.api.attempts,
            caller: context.caller.name,
            credential: context.api.credential.source,
            errors,
            fromResultCache,
            durationMs: Math.round(performance.now() - started),
          },
          'operation',
        );
      if (estimate > config.maxUpstreamRequestsPerOperation) {
        const refusal = operationRefusal(
          args.schema,
          args.document,
          args.operationName,
          args.variableValues ?? {},
          plan,
          config.maxUpstreamRequestsPerOperation,
          sizes,
        );
        setResultAndStopExecution({
          errors: [
            new GraphQLError(refusal.message, {
              extensions: {
                code: 'OPERATION_TOO_EXPENSIVE',
                estimatedUpstreamRequests: estimate,
                maxUpstreamRequestsPerOperation: config.maxUpstreamRequestsPerOperation,
                expensiveFields: refusal.expensiveFields,
              },
            }),
          ],
          extensions: { cost: await costExtension() },
        });
        log(1, false);
        return;
      }
      const cacheable =
        resultCache !== undefined &&
        !plan.volatile &&
        getOperationAST(args.document, args.operationName)?.operation === 'query';
      const resultKey = cacheable
        ? await resultCache.key(
            args.document,
            args.operationName,
            args.variableValues ?? undefined,
            `${context.api.credential.fingerprint}:${[...context.caller.scopes].sort().join(' ')}`,
          )
        : undefined;
      const cached = resultKey !== undefined ? resultCache?.get(resultKey) : undefined;
      if (cached) {
        context.api.cacheHits++;
        setResultAndStopExecution({
          ...cached,
          [SERIALIZED_DATA]: cached[SERIALIZED_DATA],
          extensions: { cost: await costExtension() },
        } as ExecutionResult);
        log(0, true);
        return;
      }
      return {
        async onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const serialized =
            resultKey !== undefined ? resultCache?.set(resultKey, result) : undefined;
          setResult({
            ...result,
            // A result just cached is answered from its serialized data, as a hit is.
            ...(serialized !== undefined ? { [SERIALIZED_DATA]: serialized } : {}),
            extensions: { ...result.extensions, cost: await costExtension() },
          } as ExecutionResult);
          log(result.errors?.length ?? 0, false);
        },
      };
    },
  };

  const subgraphRoute = subgraphEndpoint(schema, getSubgraphSchema, config.federationSubgraph);
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: subgraphRoute.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug({ detail: args.map(String) }, 'yoga'),
      info: (...args) => logger.info({ detail: args.map(String) }, 'yoga'),
      warn: (...args) => logger.warn({ detail: args.map(String) }, 'yoga'),
      error: (...args) => logger.error({ detail: args.map(String) }, 'yoga'),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        if (error instanceof GraphQLError) {
          const clientError = toClientError(error);
          if (clientError) return clientError;
          if (!error.originalError || error.originalError instanceof GraphQLError) return error;
          logger.error(
            { err: { name: error.originalError.name, message: error.originalError.message } },
            'unexpected resolver error',
          );
        }
        return maskError(error, message, isDev);
      },
    },
    graphiql: config.graphiql ? graphiqlOptions(config) : false,
    cors: corsOptions(config.corsOrigins),
    plugins: [
      // First: a request for a foreign Host name (DNS rebinding) reaches nothing else.
      hostCheckPlugin(config.host, config.allowedHosts),
      subgraphRoute.plugin,
      readiness,
      compressionPlugin(),
      metrics.plugin,
      ...securityPlugins(config),
      errorCodesPlugin(),
      tracingPlugin(),
      serializedResultPlugin(),
      requestLifecycle,
    ],
    context: async ({ request }): Promise<GatewayContext> => {
      const caller = await authenticate(request);
      const credential = caller.credential;
      const requestId = requestIds.get(request) ?? randomUUID();
      const api = new AdminApi(upstream, credential, (attempt) =>
        logger.info({ requestId, upstream: attempt }, 'upstream request'),
      );
      return {
        caller: { name: caller.name, scopes: caller.scopes },
        api,
        loaders: createLoaders(api, { batch: !options.naive }),
        requestId,
        budgetStatus: () => budget.status(credential.fingerprint),
      };
    },
  });
  return Object.assign(yoga, { upstream, metrics: metrics.handle, close: () => state.close() });
}
