import { Kind, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../graphql/context.js';
import type { DryRunCall } from '../../upstream/dry-run.js';
import { redact } from '../../upstream/redact.js';

/*
 * Dry runs: a mutation operation marked `@dryRun` (or sent with the header `x-dry-run: 1`) is
 * checked as usual (scopes, the cost limit, input validation, the userErrors a mutation predicts
 * before its upstream call) but sends nothing upstream: the request's AdminApi captures each
 * REST request instead (see Upstream.capture), reads are answered from the shared read cache only,
 * and the answer lists the calls in `extensions.dryRun`. Each payload's result is null.
 */

/** The header that makes a mutation a dry run, for tools that cannot edit documents. */
export const DRY_RUN_HEADER = 'x-dry-run';

/** One captured call, as answered and audited: the mutation field it belongs to. */
export interface DryRunEntry {
  field: string;
  operation: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  /** False for a read the shared cache could not answer: a read the mutation would need. */
  write: boolean;
}

/** A dry run's state, kept on the context. */
export interface DryRunState {
  calls: DryRunEntry[];
  /** The mutation field running now (mutation fields run one after another). */
  currentField: string | null;
}

const STATE = Symbol('dryRun');
type WithState = GatewayContext & { [STATE]?: DryRunState };

/** The dry run of this request, if it is one. */
export function dryRunOf(context: GatewayContext): DryRunState | undefined {
  return (context as WithState)[STATE];
}

function headerSaysDryRun(request: Request | undefined): boolean {
  const value = request?.headers.get(DRY_RUN_HEADER)?.trim().toLowerCase();
  return value === '1' || value === 'true';
}

/**
 * Turns a mutation operation into a dry run when it asks for one; adds `extensions.dryRun`.
 * A query with the header is an ordinary query (it sends reads only).
 */
export function dryRunPlugin(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const context = args.contextValue;
      const marked = operation.directives?.some(
        (directive) => directive.kind === Kind.DIRECTIVE && directive.name.value === 'dryRun',
      );
      const request = (context as { request?: Request }).request;
      if (!marked && !headerSaysDryRun(request)) return;
      const state: DryRunState = { calls: [], currentField: null };
      (context as WithState)[STATE] = state;
      context.dryRun = true;
      const secrets = [context.api.credential.secret];
      context.api.dryRun = {
        record: (call: DryRunCall) =>
          state.calls.push({
            field: state.currentField ?? '',
            operation: call.operation,
            method: call.method,
            path: call.path,
            query: call.query,
            body: redact(call.body, secrets),
            write: call.write,
          }),
      };
      return {
        async onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const status = await context.budgetStatus();
          const dryRun = {
            calls: state.calls,
            budget: {
              estimatedUpstreamRequests: context.estimatedUpstreamRequests ?? 0,
              remaining: status?.remaining ?? null,
            },
          };
          setResult({ ...result, extensions: { ...result.extensions, dryRun } } as ExecutionResult);
        },
      };
    },
  };
}
