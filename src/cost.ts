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
 */
export type UpstreamCost =
  | { kind: 'request' }
  | { kind: 'once'; key: string }
  | { kind: 'connection' }
  | { kind: 'reference'; collection: string }
  | { kind: 'nodes' };

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

/**
 * Estimates the upstream requests an operation can need: connection page sizes multiplied through
 * their nesting, plus lookups. An upper estimate for planning and refusing, not a promise: the
 * cache can make the real count lower.
 */
export function estimateUpstreamRequests(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): number {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations[0];
  if (!operation) return 0;
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
  if (!rootType) return 0;

  let total = 0;
  const once = new Set<string>();
  const references = new Map<string, number>();
  const reference = (collection: string, count: number) =>
    references.set(collection, (references.get(collection) ?? 0) + count);

  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((arg) => arg.name.value === name)?.value as
      ValueNode | undefined;
    return node ? valueFromASTUntyped(node, variables) : undefined;
  };

  const fieldsOf = (type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> =>
    isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};

  const walk = (
    selections: SelectionSetNode,
    type: GraphQLNamedType,
    multiplicity: number,
    depth: number,
  ) => {
    if (depth > 50 || multiplicity === 0) return;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) ?? type)
          : type;
        walk(selection.selectionSet, condition, multiplicity, depth + 1);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          walk(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) ?? type,
            multiplicity,
            depth + 1,
          );
        }
        continue;
      }
      const field = fieldsOf(type)[selection.name.value];
      if (!field) continue;
      const cost = field.extensions?.upstreamCost as UpstreamCost | undefined;
      let below = multiplicity;
      switch (cost?.kind) {
        case 'request':
          total += multiplicity;
          break;
        case 'once':
          if (!once.has(cost.key)) {
            once.add(cost.key);
            total += 1;
          }
          break;
        case 'connection': {
          total += multiplicity;
          const size = Number(
            argument(selection, 'first') ?? argument(selection, 'last') ?? DEFAULT_PAGE_SIZE,
          );
          below = multiplicity * (Number.isFinite(size) && size > 0 ? size : DEFAULT_PAGE_SIZE);
          break;
        }
        case 'reference':
          reference(cost.collection, multiplicity);
          break;
        case 'nodes': {
          const ids = argument(selection, 'ids') ?? argument(selection, 'id');
          const list = Array.isArray(ids) ? ids : ids === undefined ? [] : [ids];
          for (const id of list) {
            const kind = typeof id === 'string' ? idKindOf(id) : null;
            reference(kind ? (COLLECTION_OF_KIND[kind] ?? 'members') : 'members', multiplicity);
          }
          below = multiplicity * list.length;
          break;
        }
        default:
          break;
      }
      // What is below repeats `below` times: lists that are not connections (a page's edges or
      // nodes) carry the multiplicity their connection set.
      if (selection.selectionSet)
        walk(selection.selectionSet, getNamedType(field.type), below, depth + 1);
    }
  };

  walk(operation.selectionSet, rootType, 1, 0);
  for (const count of references.values()) total += referenceCost(count);
  return total;
}
