import type { Plugin } from 'graphql-yoga';
import { SCOPES, type ScopeName } from '../../domain/scopes.js';
import type { GatewayContext } from '../../graphql/context.js';

const holds = (scopes: ReadonlySet<string>, name: string) =>
  name in SCOPES && scopes.has(SCOPES[name as ScopeName]);

/**
 * Starts the list reads an operation's lookups will need as the operation starts. "Every
 * workspace's members with their users" learns which users it looks up only once the members
 * pages arrive, and would then ask for the users list: a third round trip. The estimate knows
 * before execution that the users will be looked up in batches (below a list) and that no
 * connection of the operation lists them (OperationEstimate.prefetch), so the first page of the
 * walk those lookups make goes out with the operation's first requests, and the lookups find it
 * in flight or arrived. It is the page the walk would ask for first, read through the read
 * cache: no request is added when the walk happens, and a cached page costs none.
 *
 * Registered last: an operation answered from the result cache, refused, or a dry run reads
 * nothing. A list is read only for a caller who holds the scopes of the fields on the way to its
 * lookups (and of the list itself): a field the caller may not see makes no lookups.
 */
export function prefetchPlugin(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      if (context.dryRun || !context.prefetch || context.prefetch.length === 0) return;
      const { scopes } = context.caller;
      const allowed = context.prefetch.filter((read) =>
        [...read.needs].every((name) => holds(scopes, name)),
      );
      if (allowed.length > 0) context.loaders.prefetch(allowed);
    },
  };
}
