import { useOpenTelemetry } from '@envelop/opentelemetry';
import { trace } from '@opentelemetry/api';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamBudget } from './upstream/budget.js';
import type { UpstreamCredential } from './upstream/credentials.js';
import type { Upstream } from './upstream/upstream.js';
import type { ResultCache } from './result-cache.js';

/**
 * Prometheus metrics at /metrics, in a registry of this gateway's own: operations and their
 * durations and errors (from the yoga plugin), upstream requests by endpoint and status, their
 * durations, cache reads, and the upstream budget left for the gateway's own credential.
 */
export function metricsPlugin(
  upstream: Upstream,
  budget: UpstreamBudget,
  ownCredential: UpstreamCredential | null,
  resultCache: ResultCache | undefined,
): { plugin: Plugin; registry: Registry } {
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
  const plugin = usePrometheus({
    registry,
    endpoint: '/metrics',
    metrics: {
      graphql_envelop_request_duration: true,
      graphql_envelop_request: true,
      graphql_envelop_error_result: true,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_yoga_http_duration: true,
    },
  });
  upstream.cache?.onRead((hit) => cacheReads.inc({ result: hit ? 'hit' : 'miss' }));
  const resultLookups = new Counter({
    name: 'admin_graph_result_cache_lookups_total',
    help: 'Read-only operations looked up in the cache of whole results, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  resultCache?.onLookup((hit) => resultLookups.inc({ result: hit ? 'hit' : 'miss' }));
  return { plugin, registry };
}

/** OpenTelemetry spans for operations (parse, validate, execute); upstream calls add their own. */
export function tracingPlugin(): Plugin {
  return useOpenTelemetry(
    { resolvers: false, variables: false, result: false, document: true },
    trace.getTracerProvider(),
  ) as Plugin;
}
