import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ALL_SCOPES } from '../../domain/scopes.js';
import type { GatewayContext } from '../../graphql/context.js';
import type { BudgetCaller, UpstreamBudget } from '../../upstream/budget.js';

/**
 * Charges the upstream requests of each operation to its caller's share of the budget
 * (UPSTREAM_CALLER_SHARE); mutations and callers holding every scope may use the whole bucket.
 * `budgetStatus` in the context then answers for that caller.
 */
export function budgetSharePlugin(budget: UpstreamBudget): Plugin<GatewayContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue;
      const caller: BudgetCaller = {
        id: `${context.api.credential.fingerprint}:${context.caller.name}`,
        whole:
          getOperationAST(args.document, args.operationName)?.operation === 'mutation' ||
          [...ALL_SCOPES].every((scope) => context.caller.scopes.has(scope)),
      };
      context.budgetStatus = () => budget.status(context.api.credential.fingerprint, caller);
      setExecuteFn((executeArgs) => budget.runAs(caller, () => executeFn(executeArgs)));
    },
  };
}
