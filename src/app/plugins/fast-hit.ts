import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/authenticate.js';
import type { BudgetStatus } from '../../upstream/budget.js';
import {
  callerKey,
  HIT_INFO,
  ENCODED_HEAD,
  type CachedResult,
  type ResultCache,
} from './result-cache.js';
import { costExtension } from './operation-report.js';

export interface FastHitOptions {
  cache: ResultCache;
  /** The caller of a request (the gateway's authenticator, once per request). */
  authenticate: (request: Request) => Promise<Caller>;
  /** The caller's budget, as a whole-result cache hit reports it (a recent status will do). */
  budgetStatus: (caller: Caller) => Promise<BudgetStatus | null>;
  /** Reports a hit answered here, as the operation log and the metrics report an executed one. */
  answered: (hit: {
    request: Request;
    caller: Caller;
    requestedName: string | undefined;
    operationName: string | undefined;
    started: number;
  }) => void;
}

/**
 * The fast hit path: a query whose whole result is cached, sent again with the same text,
 * variables and operation name by a caller with the same credential and scopes, is answered from
 * the request's parameters, before it is parsed, validated, given a context or executed.
 *
 * It answers exactly what the usual path answers for that hit (same data, same `extensions.cost`
 * with the estimate recorded when it ran, no upstream request, one cache hit, the caller's recent
 * budget), under the same key (the result cache's generation moves on with every write, so nothing
 * read before a write is served after it), and is reported the same way (the operation log line,
 * the operation metrics, the result-cache lookup counter). Anything else takes the usual path:
 * text never cached, an unknown result, a dry run, a caller who cannot be authenticated (the usual
 * path answers the error). Left out when reads are audited (AUDIT_READS), since the audit trail
 * records them as they execute.
 */
export function fastHitPlugin(options: FastHitOptions): Plugin {
  return {
    onParams({ params, request, setResult }) {
      const text = params.query;
      // Synchronous unless this text has a cached result: a miss costs one lookup.
      if (typeof text !== 'string' || !options.cache.knowsText(text)) return;
      if (request.headers.has('x-dry-run')) return;
      const started = performance.now();
      return (async () => {
        let caller: Caller;
        try {
          caller = await options.authenticate(request);
        } catch {
          return;
        }
        const cached = await options.cache.getByText(
          text,
          params.operationName,
          params.variables,
          callerKey(caller.credential.fingerprint, caller.scopes),
        );
        const info = cached?.[HIT_INFO];
        if (!cached || !info) return;
        const status = await options.budgetStatus(caller);
        setResult({
          data: cached.data,
          [ENCODED_HEAD]: cached[ENCODED_HEAD],
          extensions: { cost: costExtension(info.estimatedUpstreamRequests, 0, 1, status) },
        } as CachedResult as ExecutionResult);
        options.answered({
          request,
          caller,
          requestedName: params.operationName ?? undefined,
          operationName: info.operationName,
          started,
        });
      })();
    },
  };
}
