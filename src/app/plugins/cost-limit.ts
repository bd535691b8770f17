import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../graphql/context.js';
import { operationRefusal } from '../../graphql/cost/estimate.js';
import { EstimateMemo } from '../../graphql/cost/estimate-memo.js';
import type { CollectionSizes } from '../../upstream/collection-sizes.js';

/**
 * Estimates each operation's upstream requests before it runs (page sizes cut to the collection
 * sizes seen with the caller's credential) and refuses one that can need more than `max`, naming
 * its most expensive fields and the page sizes that would fit. The estimate is left in the
 * context for the loaders, the result cache and the cost report. The same operation with the
 * same variables is estimated once while the sizes it read stay the same (EstimateMemo).
 */
export function costLimitPlugin(max: number, sizes: CollectionSizes): Plugin<GatewayContext> {
  const memo = new EstimateMemo();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue;
      const known = sizes.known(context.api.credential.fingerprint);
      const variables = args.variableValues ?? {};
      const plan = memo.estimate(args.schema, args.document, args.operationName, variables, known);
      context.estimatedUpstreamRequests = plan.upstreamRequests;
      context.lookups = plan.lookups;
      context.prefetch = plan.prefetch;
      context.volatile = plan.volatile;
      if (plan.upstreamRequests <= max) return;
      const refusal = operationRefusal(
        args.schema,
        args.document,
        args.operationName,
        variables,
        plan,
        max,
        known,
      );
      setResultAndStopExecution({
        errors: [
          new GraphQLError(refusal.message, {
            extensions: {
              code: 'OPERATION_TOO_EXPENSIVE',
              estimatedUpstreamRequests: plan.upstreamRequests,
              maxUpstreamRequestsPerOperation: max,
              expensiveFields: refusal.expensiveFields,
            },
          }),
        ],
      });
    },
  };
}
