import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../../graphql/context.js';

/**
 * What each operation cost, told twice: to the caller in `extensions.cost` (estimate, upstream
 * requests made, cache hits, the caller's budget) and to operators in one `operation` log line.
 * Refused operations and whole-result cache hits are reported too.
 */
export function operationReportPlugin(logger: Logger): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const context = args.contextValue;
      return {
        async onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          // A whole-result cache hit makes no upstream request: a status read within the last
          // second will do, without a round trip to the shared state.
          const status = await context.budgetStatus(
            context.fromResultCache ? { maxAgeMs: 1000 } : undefined,
          );
          const cost = {
            estimatedUpstreamRequests: context.estimatedUpstreamRequests ?? 0,
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
          // Spread keeps the result's symbol keys (a cached result's serialized data).
          setResult({ ...result, extensions: { ...result.extensions, cost } } as ExecutionResult);
          logger.info(
            {
              requestId: context.requestId,
              operationName: args.operationName ?? null,
              upstreamRequests: context.api.attempts,
              caller: context.caller.name,
              credential: context.api.credential.source,
              errors: result.errors?.length ?? 0,
              fromResultCache: context.fromResultCache === true,
              durationMs: Math.round(performance.now() - started),
            },
            'operation',
          );
        },
      };
    },
  };
}
