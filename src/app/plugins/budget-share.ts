import { getOperationAST } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import { ALL_SCOPES } from '../../domain/scopes.js';
import type { GatewayContext } from '../../graphql/context.js';
import type { BudgetCaller, BudgetStatus, UpstreamBudget } from '../../upstream/budget.js';

export interface BudgetShare {
  plugin: Plugin<GatewayContext>;
  /**
   * The budget of a caller's share as it stands, for an operation of that kind; a status read for
   * the same caller within `maxAgeMs` (in this process) will do.
   */
  status(
    fingerprint: string,
    caller: { name: string; scopes: ReadonlySet<string> },
    mutation: boolean,
    maxAgeMs?: number,
  ): Promise<BudgetStatus | null>;
}

/**
 * Charges the upstream requests of each operation to its caller's share of the budget
 * (UPSTREAM_CALLER_SHARE); mutations and callers holding every scope may use the whole bucket.
 * `budgetStatus` in the context then answers for that caller; the last status read for each
 * caller is kept briefly, for answers that may report a recent one (whole-result cache hits).
 */
export function budgetShare(budget: UpstreamBudget): BudgetShare {
  const recent = new LRUCache<string, { status: BudgetStatus | null; at: number }>({ max: 1000 });
  const budgetCaller = (
    fingerprint: string,
    caller: { name: string; scopes: ReadonlySet<string> },
    mutation: boolean,
  ): BudgetCaller => ({
    id: `${fingerprint}:${caller.name}`,
    whole: mutation || [...ALL_SCOPES].every((scope) => caller.scopes.has(scope)),
  });
  const statusOf = async (fingerprint: string, caller: BudgetCaller, maxAgeMs?: number) => {
    const known = recent.get(caller.id);
    if (maxAgeMs !== undefined && known && Date.now() - known.at <= maxAgeMs) return known.status;
    const status = await budget.status(fingerprint, caller);
    recent.set(caller.id, { status, at: Date.now() });
    return status;
  };
  return {
    plugin: {
      onExecute({ args }) {
        const context = args.contextValue;
        const fingerprint = context.api.credential.fingerprint;
        const caller = budgetCaller(
          fingerprint,
          context.caller,
          getOperationAST(args.document, args.operationName)?.operation === 'mutation',
        );
        context.budgetStatus = ({ maxAgeMs } = {}) => statusOf(fingerprint, caller, maxAgeMs);
        context.api.budgetCaller = caller;
      },
    },
    status: (fingerprint, caller, mutation, maxAgeMs) =>
      statusOf(fingerprint, budgetCaller(fingerprint, caller, mutation), maxAgeMs),
  };
}
