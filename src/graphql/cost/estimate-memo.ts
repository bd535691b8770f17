import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { KnownSizes, SizedCollection } from '../../upstream/collection-sizes.js';
import { estimateOperation, type OperationEstimate } from './estimate.js';

/** One remembered estimate and the collection sizes it was computed from. */
interface Remembered {
  plan: OperationEstimate;
  /** Each size the estimate read, with the value it read (`largest` for largestWorkspace). */
  read: [SizedCollection | 'largest', number | undefined][];
}

/** Variable sets remembered per document at most (the oldest is dropped). */
const PER_DOCUMENT = 32;

/**
 * Estimates operations once per document, operation and variables: the same request estimated
 * again (a dashboard refreshed, a cache hit) reuses the plan as long as every collection size it
 * read still has the value it had. Documents are the parse cache's objects, held weakly, so the
 * memo is bounded by that cache and by PER_DOCUMENT variable sets each.
 */
export class EstimateMemo {
  /** By schema (the client schema and the subgraph's), then by document. */
  private readonly bySchema = new WeakMap<
    GraphQLSchema,
    WeakMap<DocumentNode, Map<string, Remembered>>
  >();

  estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
    sizes: KnownSizes,
  ): OperationEstimate {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let memo = byDocument.get(document);
    if (!memo) byDocument.set(document, (memo = new Map()));
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
    const known = memo.get(key);
    if (known && known.read.every(([what, value]) => readSize(sizes, what) === value)) {
      return known.plan;
    }
    const read: Remembered['read'] = [];
    const recording: KnownSizes = {
      size: (collection) => {
        const value = sizes.size(collection);
        read.push([collection, value]);
        return value;
      },
      largestWorkspace: () => {
        const value = sizes.largestWorkspace();
        read.push(['largest', value]);
        return value;
      },
    };
    const plan = estimateOperation(schema, document, operationName, variables, {
      sizes: recording,
    });
    memo.delete(key);
    if (memo.size >= PER_DOCUMENT) {
      const oldest = memo.keys().next().value;
      if (oldest !== undefined) memo.delete(oldest);
    }
    memo.set(key, { plan, read: dedupe(read) });
    return plan;
  }
}

function readSize(sizes: KnownSizes, what: SizedCollection | 'largest'): number | undefined {
  return what === 'largest' ? sizes.largestWorkspace() : sizes.size(what);
}

function dedupe(read: Remembered['read']): Remembered['read'] {
  return [...new Map(read).entries()];
}
