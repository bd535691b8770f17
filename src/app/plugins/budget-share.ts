import { getOperationAST } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import { ALL_SCOPES } from '../../domain/scopes.js';
import type { GatewayContext } from '../../graphql/context.js';
import type { BudgetCaller, BudgetStatus, UpstreamBudget } from '../../upstream/budget.js';

/**
 * Charges the upstream requests of each operation to its caller's share of the budget
 * (UPSTREAM_CALLER_SHARE); mutations and callers holding every scope may use the whole bucket.
 * `budgetStatus` in the context then answers for that caller; the last status read for each
 * caller is kept briefly, for answers that may report a recent one (whole-result cache hits).
 */
export function budgetSharePlugin(budget: UpstreamBudget): Plugin<GatewayContext> {
  const recent = new LRUCache<string, { status: BudgetStatus | null; at: number }>({ max: 1000 });
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      const caller: BudgetCaller = {
        id: `${context.api.credential.fingerprint}:${context.caller.name}`,
        whole:
          getOperationAST(args.document, args.operationName)?.operation === 'mutation' ||
          [...ALL_SCOPES].every((scope) => context.caller.scopes.has(scope)),
      };
      context.budgetStatus = async ({ maxAgeMs } = {}) => {
        const known = recent.get(caller.id);
        if (maxAgeMs !== undefined && known && Date.now() - known.at <= maxAgeMs) {
          return known.status;
        }
        const status = await budget.status(context.api.credential.fingerprint, caller);
        recent.set(caller.id, { status, at: Date.now() });
        return status;
      };
      context.api.budgetCaller = caller;
    },
  };
}
