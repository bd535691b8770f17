import { createHash, timingSafeEqual } from 'node:crypto';
import { useOpenTelemetry } from '@envelop/opentelemetry';
import { getOperationAST, Kind, parse, type DocumentNode } from 'graphql';
import { ProxyTracerProvider, trace, type TracerProvider } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamBudget } from '../../upstream/budget.js';
import type { UpstreamCredential } from '../../upstream/credentials.js';
import type { Upstream } from '../../upstream/upstream.js';
import type { ResultCache } from './result-cache.js';
import type { StateErrors } from '../../upstream/state/shared-state.js';

/**
 * Prometheus metrics at /metrics, in a registry of this gateway's own: operations and their
 * durations and errors (bounded labels only, see operationMetrics), upstream requests by endpoint and status, their
 * durations, cache reads, and the upstream budget left for the gateway's own credential.
 */
export function metricsPlugin(
  upstream: Upstream,
  budget: UpstreamBudget,
  ownCredential: UpstreamCredential | null,
  resultCache: ResultCache | undefined,
  options: MetricsOptions = {},
): {
  plugin: Plugin;
  registry: Registry;
  handle: (request: Request) => Promise<Response>;
  /** Counts a query answered whole from the result cache before it was parsed (fast-hit.ts). */
  answeredFromCache: (request: Request, operationName: string | undefined) => void;
} {
  const registry = new Registry();
  const upstreamRequests = new Counter({
    name: 'admin_graph_upstream_requests_total',
    help: 'Requests sent to the Admin API, by endpoint and HTTP status (0: no answer).',
    labelNames: ['operation', 'method', 'status'],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'admin_graph_upstream_request_duration_seconds',
    help: 'Duration of requests to the Admin API, by endpoint.',
    labelNames: ['operation'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cacheReads = new Counter({
    name: 'admin_graph_cache_reads_total',
    help: 'Upstream reads looked up in the shared cache, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  new Gauge({
    name: 'admin_graph_upstream_budget_remaining',
    help: 'Upstream requests the gateway may still send now with its own credential.',
    registers: [registry],
    async collect() {
      const status = ownCredential ? await budget.status(ownCredential.fingerprint) : null;
      if (status) this.set(status.remaining);
    },
  });
  new Gauge({
    name: 'admin_graph_upstream_circuit_open',
    help: '1 while the circuit breaker sheds upstream calls, else 0.',
    registers: [registry],
    collect() {
      this.set(upstream.breaker.opened ? 1 : 0);
    },
  });
  upstream.onAttempt((attempt) => {
    upstreamRequests.inc({
      operation: attempt.operation,
      method: attempt.method,
      status: String(attempt.status ?? 0),
    });
    upstreamDuration.observe({ operation: attempt.operation }, attempt.durationMs / 1000);
  });
  const operations = operationMetrics(registry, options);
  upstream.cache?.onRead((hit) => cacheReads.inc({ result: hit ? 'hit' : 'miss' }));
  const resultLookups = new Counter({
    name: 'admin_graph_result_cache_lookups_total',
    help: 'Read-only operations looked up in the cache of whole results, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  resultCache?.onLookup((hit) => resultLookups.inc({ result: hit ? 'hit' : 'miss' }));

  /** The exposition, behind the metrics token when there is one; never a stack trace. */
  const handle = async (request: Request): Promise<Response> => {
    if (options.token && !tokenMatches(request, options.token)) {
      return new Response(
        JSON.stringify({ error: 'Send `Authorization: Bearer <metrics token>`.' }),
        {
          status: 401,
          headers: {
            'content-type': 'application/json',
            'www-authenticate': 'Bearer realm="metrics"',
          },
        },
      );
    }
    try {
      return new Response(await registry.metrics(), {
        headers: { 'content-type': registry.contentType },
      });
    } catch {
      return new Response(JSON.stringify({ error: 'The metrics could not be collected.' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
  };
  const { answeredFromCache, ...hooks } = operations;
  const plugin: Plugin = {
    ...hooks,
    // Synchronous unless /metrics is asked for: a promise per request costs every request.
    onRequest(payload) {
      operations.onRequest(payload);
      const { request, url, endResponse } = payload;
      if (options.serveEndpoint !== false && url.pathname === '/metrics') {
        return handle(request).then(endResponse);
      }
    },
  };
  return { plugin, registry, handle, answeredFromCache };
}

export interface MetricsOptions {
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Whether the gateway's own port serves /metrics (false when METRICS_PORT has its own). */
  serveEndpoint?: boolean;
  /**
   * Operation names that may appear as labels (those of the persisted-operations allow-list);
   * other names are admitted, once executed, up to MAX_OPERATION_NAMES, and then are `other`.
   */
  operationNames?: Iterable<string>;
}

/** How many distinct operation names (besides the allow-list's) the metrics ever label. */
export const MAX_OPERATION_NAMES = 100;

const METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

function tokenMatches(request: Request, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!presented) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** The names of the operations in GraphQL documents (for the metrics' known names). */
export function operationNamesOf(documents: Iterable<string>): string[] {
  const names: string[] = [];
  for (const document of documents) {
    try {
      for (const definition of parse(document).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
          names.push(definition.name.value);
        }
      }
    } catch {
      // a document that does not parse names nothing
    }
  }
  return names;
}

/**
 * Operation and HTTP metrics with bounded labels only: operation type, a known operation name (or
 * `other` / `anonymous`), method, status and phase. Never the URL, an error path or any text a
 * caller chose freely, so that no request can grow the registry (or the process) without bound.
 */
function operationMetrics(registry: Registry, options: MetricsOptions) {
  const allowListed = new Set(options.operationNames ?? []);
  const admitted = new Set<string>();
  const labels = ['operationType', 'operationName'] as const;
  const requests = new Counter({
    name: 'graphql_envelop_request',
    help: 'GraphQL operations executed, by type and (known) name.',
    labelNames: labels,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_envelop_request_duration',
    help: 'Time from the HTTP request to the end of execution of GraphQL operations.',
    labelNames: labels,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_envelop_error_result',
    help: 'GraphQL requests that ended with errors, by the phase that reported them.',
    labelNames: [...labels, 'phase'],
    registers: [registry],
  });
  const http = new Histogram({
    name: 'graphql_yoga_http_duration',
    help: 'Time spent on HTTP requests, by method, status and (known) operation.',
    labelNames: [...labels, 'method', 'statusCode'],
    registers: [registry],
  });
  interface Seen {
    started: number;
    operationType: string;
    name: string | undefined;
  }
  const seen = new WeakMap<Request, Seen>();
  const nameLabel = (name: string | undefined) => {
    if (!name) return 'anonymous';
    return allowListed.has(name) || admitted.has(name) ? name : 'other';
  };
  const labelsOf = (entry: Seen | undefined) => ({
    operationType: entry?.operationType ?? 'none',
    operationName: entry ? nameLabel(entry.name) : 'none',
  });
  const requestOf = (context: unknown) => (context as { request?: Request }).request;
  const executed = (entry: Seen | undefined, failed: boolean) => {
    const labelled = labelsOf(entry);
    requests.inc(labelled);
    if (entry) duration.observe(labelled, (performance.now() - entry.started) / 1000);
    if (failed) errors.inc({ ...labelled, phase: 'execute' });
  };
  return {
    /** A query answered before parsing: labelled as its execution was (its name was admitted then). */
    answeredFromCache(request: Request, operationName: string | undefined) {
      const entry = seen.get(request);
      if (entry) {
        entry.operationType = 'query';
        entry.name = operationName;
      }
      executed(entry, false);
    },
    onRequest({ request }: { request: Request }) {
      seen.set(request, { started: performance.now(), operationType: 'unknown', name: undefined });
    },
    onParse({ context }: { context: unknown }) {
      const request = requestOf(context);
      const entry = request ? seen.get(request) : undefined;
      if (!entry) return;
      return ({ result }: { result: unknown }) => {
        if (!result || result instanceof Error) {
          errors.inc({ ...labelsOf(entry), phase: 'parse' });
          return;
        }
        const document = result as DocumentNode;
        const requested = (context as { params?: { operationName?: string } }).params
          ?.operationName;
        const operation = getOperationAST(document, requested);
        entry.operationType = operation?.operation ?? 'unknown';
        const name = operation?.name?.value;
        entry.name = name && NAME.test(name) ? name : name ? '\u0000' : undefined;
      };
    },
    onValidate({ context }: { context: unknown }) {
      const request = requestOf(context);
      const entry = request ? seen.get(request) : undefined;
      return ({ result }: { result: readonly unknown[] }) => {
        if (result.length) errors.inc({ ...labelsOf(entry), phase: 'validate' });
      };
    },
    onExecute({ args }: { args: { contextValue: unknown } }) {
      const request = requestOf(args.contextValue);
      const entry = request ? seen.get(request) : undefined;
      // A name is admitted once an authenticated caller's operation runs, up to the cap.
      const name = entry?.name;
      if (name && name !== '\u0000' && !allowListed.has(name)) {
        if (!admitted.has(name) && admitted.size < MAX_OPERATION_NAMES) admitted.add(name);
      }
      return {
        onExecuteDone({ result }: { result: unknown }) {
          executed(entry, Boolean((result as { errors?: readonly unknown[] }).errors?.length));
        },
      };
    },
    onResponse({ request, response }: { request: Request; response: Response }) {
      const entry = seen.get(request);
      if (!entry) return;
      http.observe(
        {
          ...(entry.operationType === 'unknown'
            ? { operationType: 'none', operationName: 'none' }
            : labelsOf(entry)),
          method: METHODS.has(request.method) ? request.method : 'other',
          statusCode: String(response.status),
        },
        (performance.now() - entry.started) / 1000,
      );
    },
  };
}

/**
 * Whether spans go anywhere: a tracer provider was registered (the OTLP export at start-up, or a
 * test's). Without one every span is a no-op, and the operation plugin would still walk each
 * request's document and build its spans for nothing.
 */
export function tracingRegistered(provider: TracerProvider = trace.getTracerProvider()): boolean {
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  // A proxy without a delegate answers with the API's no-op provider, the same object every time.
  return delegate !== new ProxyTracerProvider().getDelegate();
}

/**
 * OpenTelemetry spans for operations (parse, validate, execute); upstream calls add their own.
 * Installed only when tracing is registered (see tracingRegistered).
 */
export function tracingPlugin(): Plugin {
  return useOpenTelemetry(
    { resolvers: false, variables: false, result: false, document: true },
    trace.getTracerProvider(),
  ) as Plugin;
}

/**
 * `admin_graph_shared_state_errors_total{operation}`: failures of the shared state (Redis) the
 * gateway fell back from (get, set, generation, invalidate, budget, pause).
 */
export function sharedStateErrorsMetric(registry: Registry, errors: StateErrors): void {
  const counter = new Counter({
    name: 'admin_graph_shared_state_errors_total',
    help: 'Failures of the shared state (Redis) the gateway fell back from, by operation.',
    labelNames: ['operation'],
    registers: [registry],
  });
  errors.on((operation) => counter.inc({ operation }));
}
