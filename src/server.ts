import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { toClientError } from './errors.js';
import { createLoaders } from './loaders/index.js';
import { createLogger } from './logger.js';
import { schema } from './schema/index.js';
import { AdminApi } from './upstream/admin-api.js';
import { callerCredential, gatewayCredential } from './upstream/credentials.js';
import { Upstream } from './upstream/upstream.js';
import { EXAMPLE_OPERATIONS } from './graphiql-examples.js';

export interface GatewayOptions {
  /** Where logs go; by default a pino logger at the configured level on stdout. */
  logger?: Logger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext> & {
  upstream: Upstream;
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
  const upstream = new Upstream({
    baseUrl: config.upstreamBaseUrl,
    timeoutMs: config.upstreamTimeoutMs,
    maxRetries: config.upstreamMaxRetries,
  });
  const ownCredential = config.adminKey ? gatewayCredential(config.adminKey) : null;
  const requestIds = new WeakMap<Request, string>();

  upstream.onAttempt((attempt) => logger.debug({ upstream: attempt }, 'upstream request'));

  const requestLifecycle: Plugin<GatewayContext> = {
    onRequest({ request }) {
      requestIds.set(request, requestIdFor(request));
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
    onExecute({ args }) {
      const started = performance.now();
      const context = args.contextValue;
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors?.length ?? 0) : 0;
          logger.info(
            {
              requestId: context.requestId,
              operationName: args.operationName ?? null,
              upstreamRequests: context.api.attempts,
              credential: context.api.credential.source,
              errors,
              durationMs: Math.round(performance.now() - started),
            },
            'operation',
          );
        },
      };
    },
  };

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    renderGraphiQL,
    graphiql: {
      title: 'admin-graph',
      defaultQuery: EXAMPLE_OPERATIONS,
      headers: JSON.stringify({ 'x-api-key': '' }, null, 2),
    },
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
    plugins: [requestLifecycle],
    context: ({ request }): GatewayContext => {
      const credential = callerCredential(request.headers) ?? ownCredential;
      if (!credential) {
        throw new GraphQLError(
          'Send an Admin API credential: `x-api-key: sk-ant-admin…` or `Authorization: Bearer …`.',
          { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
        );
      }
      const api = new AdminApi(upstream, credential);
      return {
        api,
        loaders: createLoaders(api),
        requestId: requestIds.get(request) ?? randomUUID(),
      };
    },
  });
  return Object.assign(yoga, { upstream });
}
