import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../../graphql/context.js';
import type { BudgetStatus } from '../../upstream/budget.js';

/** `extensions.cost` of an answer. */
export function costExtension(
  estimatedUpstreamRequests: number,
  upstreamRequests: number,
  cacheHits: number,
  status: BudgetStatus | null,
) {
  return {
    estimatedUpstreamRequests,
    upstreamRequests,
    cacheHits,
    budget: status
      ? {
          limit: status.limit,
          remaining: status.remaining,
          resetAt: status.resetAt,
          caller: status.caller,
        }
      : null,
  };
}

/** The fields of the `operation` log line. */
export interface OperationLine {
  requestId: string;
  operationName: string | null;
  upstreamRequests: number;
  caller: string;
  credential: string;
  errors: number;
  fromResultCache: boolean;
  durationMs: number;
}

/** Writes the `operation` log line. */
export function logOperation(logger: Logger, line: OperationLine): void {
  logger.info(line, 'operation');
}

/**
 * What each operation cost, told twice: to the caller in `extensions.cost` (estimate, upstream
 * requests made, cache hits, the caller's budget) and to operators in one `operation` log line.
 * Refused operations and whole-result cache hits are reported too (hits answered before parsing
 * report themselves the same way: fast-hit.ts).
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
          const cost = costExtension(
            context.estimatedUpstreamRequests ?? 0,
            context.api.attempts,
            context.api.cacheHits,
            status,
          );
          // Spread keeps the result's symbol keys (a cached result's serialized data).
          setResult({ ...result, extensions: { ...result.extensions, cost } } as ExecutionResult);
          logOperation(logger, {
            requestId: context.requestId,
            operationName: args.operationName ?? null,
            upstreamRequests: context.api.attempts,
            caller: context.caller.name,
            credential: context.api.credential.source,
            errors: result.errors?.length ?? 0,
            fromResultCache: context.fromResultCache === true,
            durationMs: Math.round(performance.now() - started),
          });
        },
      };
    },
  };
}
