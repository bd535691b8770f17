import {
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { idKindOf } from './upstream/ids.js';
import { DEFAULT_PAGE_SIZE } from './schema/connection.js';

/**
 * What a field costs upstream, declared beside the field in its schema file
 * (`extensions: { upstreamCost: … }`) and read here before the operation runs.
 * - `request`: one request for each parent object.
 * - `once`: at most one request in the whole operation (the organization's own record).
 * - `connection`: one request for each parent; what is below it repeats once per item of the page.
 * - `reference`: a lookup of an object of `collection` through the loaders; lookups of one
 *   collection share list pages of up to 1000 items.
 * - `nodes`: lookups of the ids given in the `id` or `ids` argument, by their kinds.
 * - `entities`: federation's `_entities`: lookups of the `representations`, by their `__typename`.
 */
export type UpstreamCost =
  | { kind: 'request' }
  | { kind: 'once'; key: string }
  | { kind: 'connection' }
  | { kind: 'reference'; collection: string }
  | { kind: 'nodes' }
  | { kind: 'entities' };

export const costExtension = (cost: UpstreamCost) => ({ upstreamCost: cost });

const LIST_PAGE = 1000;

function referenceCost(lookups: number): number {
  if (lookups === 0) return 0;
  // One list page per 1000 lookups, and possibly one single GET for a first lone lookup.
  return Math.min(lookups, Math.ceil(lookups / LIST_PAGE) + 1);
}

const COLLECTION_OF_KIND: Record<string, string> = {
  user: 'users',
  invite: 'invites',
  workspace: 'workspaces',
  apiKey: 'apiKeys',
  organization: 'organization',
};

/** The collection an entity representation (`{ __typename, id }`) is looked up in. */
const COLLECTION_OF_ENTITY: Record<string, string> = {
  User: 'users',
  Invite: 'invites',
  Workspace: 'workspaces',
  ApiKey: 'apiKeys',
  Organization: 'organization',
};

/**
 * Estimates the upstream requests an operation can need: connection page sizes multiplied through
 * their nesting, plus lookups. An upper estimate for planning and refusing, not a promise: the
 * cache can make the real count lower.
 */
export interface OperationEstimate {
  /** Upstream requests the operation can need, at most (before the cache). */
  upstreamRequests: number;
  /** Collections the operation looks objects up in by id (through the loaders). */
  lookups: ReadonlySet<string>;
  /** Whether it reads something that changes with every request (such as `rateLimit`). */
  volatile: boolean;
}

/** Marks a field whose value changes with every request, so that no result holding it is reused. */
export const volatileExtension = { volatile: true } as const;

const NOTHING: OperationEstimate = { upstreamRequests: 0, lookups: new Set(), volatile: false };

export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): OperationEstimate {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations[0];
  if (!operation) return NOTHING;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const rootType =
    operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return NOTHING;

  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((arg) => arg.name.value === name)?.value as
      ValueNode | undefined;
    return node ? valueFromASTUntyped(node, variables) : undefined;
  };

  const fieldsOf = (type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> =>
    isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};

  // Each fragment is tallied once and reused wherever it is spread, so that a document of
  // fragments that spread each other twice costs linear time, not exponential.
  const fragmentTallies = new Map<string, Tally>();
  const fragmentTally = (name: string, type: GraphQLNamedType, depth: number): Tally => {
    const known = fragmentTallies.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Guard against cycles (validation refuses them anyway) while the fragment is tallied.
    fragmentTallies.set(name, emptyTally());
    const tally = fragment
      ? tallyOf(
          fragment.selectionSet,
          schema.getType(fragment.typeCondition.name.value) ?? type,
          depth + 1,
        )
      : emptyTally();
    fragmentTallies.set(name, tally);
    return tally;
  };

  /** What a selection set costs for one parent object. */
  const tallyOf = (selections: SelectionSetNode, type: GraphQLNamedType, depth: number): Tally => {
    const tally = emptyTally();
    if (depth > 50) return tally;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) ?? type)
          : type;
        addTally(tally, tallyOf(selection.selectionSet, condition, depth + 1), 1);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        addTally(tally, fragmentTally(selection.name.value, type, depth), 1);
        continue;
      }
      const field = fieldsOf(type)[selection.name.value];
      if (!field) continue;
      const cost = field.extensions?.upstreamCost as UpstreamCost | undefined;
      if (field.extensions?.volatile) tally.volatile = true;
      // How many times what is below this field repeats for one parent: a page's size below a
      // connection, the number of ids below `nodes`, otherwise once (lists that are not
      // connections, such as a page's edges, carry the multiplicity their connection set).
      let below = 1;
      switch (cost?.kind) {
        case 'request':
          tally.requests += 1;
          break;
        case 'once':
          tally.once.add(cost.key);
          break;
        case 'connection': {
          tally.requests += 1;
          const size = Number(
            argument(selection, 'first') ?? argument(selection, 'last') ?? DEFAULT_PAGE_SIZE,
          );
          below = Number.isFinite(size) && size > 0 ? size : DEFAULT_PAGE_SIZE;
          break;
        }
        case 'reference':
          addReference(tally, cost.collection, 1);
          break;
        case 'nodes': {
          const ids = argument(selection, 'ids') ?? argument(selection, 'id');
          const list = Array.isArray(ids) ? ids : ids === undefined ? [] : [ids];
          for (const id of list) {
            const kind = typeof id === 'string' ? idKindOf(id) : null;
            addReference(tally, kind ? (COLLECTION_OF_KIND[kind] ?? 'members') : 'members', 1);
          }
          below = list.length;
          break;
        }
        case 'entities': {
          const representations = argument(selection, 'representations');
          const list = Array.isArray(representations) ? representations : [];
          for (const representation of list) {
            const typename = (representation as { __typename?: unknown } | null)?.__typename;
            const collection = typeof typename === 'string' ? COLLECTION_OF_ENTITY[typename] : null;
            addReference(tally, collection ?? 'members', 1);
          }
          below = list.length;
          break;
        }
        default:
          break;
      }
      if (selection.selectionSet) {
        addTally(
          tally,
          tallyOf(selection.selectionSet, getNamedType(field.type), depth + 1),
          below,
        );
      }
    }
    return tally;
  };

  const tally = tallyOf(operation.selectionSet, rootType, 0);
  let total = tally.requests + tally.once.size;
  for (const count of tally.references.values()) total += referenceCost(count);
  return {
    upstreamRequests: total,
    lookups: new Set(tally.references.keys()),
    volatile: tally.volatile,
  };
}

/** Upstream requests for one parent object, kept apart by kind so that they scale correctly. */
interface Tally {
  requests: number;
  /** Lookups per collection, priced together at the end (they share list pages). */
  references: Map<string, number>;
  /** Requests made at most once per operation, by key. */
  once: Set<string>;
  volatile: boolean;
}

const emptyTally = (): Tally => ({
  requests: 0,
  references: new Map(),
  once: new Set(),
  volatile: false,
});

function addReference(tally: Tally, collection: string, count: number): void {
  tally.references.set(collection, (tally.references.get(collection) ?? 0) + count);
}

/** Adds `factor` times `from` to `into` (a field whose selection repeats `factor` times). */
function addTally(into: Tally, from: Tally, factor: number): void {
  if (factor === 0) return;
  into.requests += from.requests * factor;
  for (const [collection, count] of from.references) addReference(into, collection, count * factor);
  for (const key of from.once) into.once.add(key);
  into.volatile ||= from.volatile;
}
