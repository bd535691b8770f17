import {
  getNamedType,
  isObjectType,
  isEnumType,
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
  valueFromAST,
  valueFromASTUntyped,
} from 'graphql';
import { idKindOf } from '../../domain/ids.js';
import { ID_KINDS, KINDS, kindOfTypename, type SizedCollection } from '../../domain/kinds.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/limits.js';
import { NO_SIZES, type KnownSizes } from '../../upstream/collection-sizes.js';

/**
 * What a field costs upstream, declared beside the field in its schema file
 * (`extensions: { upstreamCost: … }`) and read here before the operation runs.
 * - `request`: one request for each parent object.
 * - `once`: at most one request in the whole operation (the organization's own record), or
 *   `requests` of them (the Default Workspace: a walk of two workspace lists).
 * - `connection`: one request for each parent; what is below it repeats once per item of the page.
 *   Some connections are priced closer to what the loaders spend (see CONNECTIONS below).
 * - `reference`: a lookup of an object of `collection` through the loaders; lookups of one
 *   collection share list pages of up to 1000 items.
 * - `nodes`: lookups of the ids given in the `id` or `ids` argument, by their kinds.
 * - `entities`: federation's `_entities`: lookups of the `representations`, by their `__typename`.
 * - `walk`: a walk of the whole list of the connection it is a field of (`totalCount`): 1000
 *   items a request, for each parent.
 */
export type UpstreamCost =
  | { kind: 'request' }
  | { kind: 'once'; key: string; requests?: number }
  | { kind: 'connection' }
  | { kind: 'reference'; collection: string }
  | { kind: 'nodes' }
  | { kind: 'entities' }
  | { kind: 'walk' };

export const costExtension = (cost: UpstreamCost) => ({ upstreamCost: cost });

const LIST_PAGE = MAX_PAGE_SIZE;

/**
 * Workspaces an organization can have active when nothing is known yet (the Admin API's default
 * limit), so that a cold estimate of `workspaces(first: 1000)` is not absurd.
 */
export const COLD_ACTIVE_WORKSPACES = 100;

/** List pages a walk of `size` items needs (an empty list still takes one request). */
const walkPages = (size: number) => Math.max(1, Math.ceil(size / LIST_PAGE));

function referenceCost(lookups: number, size: number | undefined): number {
  // Lookups of one collection never need more than the whole collection.
  const wanted = Math.min(lookups, size ?? Infinity);
  if (wanted === 0) return 0;
  // One list page per 1000 lookups, and possibly one single GET for a first lone lookup.
  return Math.min(wanted, Math.ceil(wanted / LIST_PAGE) + 1);
}

/**
 * First pages of a connection for several parents that the loaders serve from one walk of the
 * whole list (src/loaders/partitioned-pages.ts): `parents` pages of a list of `size` items.
 */
function sharedWalkCost(parents: number, size: number | undefined): number {
  if (parents <= 1 || size === undefined) return parents;
  const pages = walkPages(size);
  // The walk stops after parents - 1 pages; parts it could not settle are then asked one by one.
  return pages <= parents - 1 ? pages : parents - 1 + parents;
}

/** Lookups are bounded by the size of the collection they are made in, when it is known. */
const SIZED_LOOKUPS = new Map<string, SizedCollection>(
  ID_KINDS.flatMap((kind) => {
    const spec: { collection: string; sized?: SizedCollection } = KINDS[kind];
    return spec.sized ? [[spec.collection, spec.sized] as const] : [];
  }),
);

type Arguments = (name: string) => unknown;

/** What the estimate knows of a connection of the core resources, by `Type.field`. */
interface ConnectionModel {
  /** The most items one page can hold in this organization, when known. */
  bound: (sizes: KnownSizes, argument: Arguments) => number | undefined;
  /**
   * First pages for several parents come from one walk of the whole list, grouped by these
   * filters (loaders' partitioned pages); later pages (`after`, `before`) are asked one by one.
   */
  sharedWalk?: (argument: Arguments) => string;
  /** The arguments that filter the shared walk's list, passed to it with their values upstream. */
  walkFilters?: readonly string[];
}

const min = (...values: (number | undefined)[]): number | undefined => {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length ? Math.min(...known) : undefined;
};

const CONNECTIONS: Record<string, ConnectionModel> = {
  'Organization.workspaces': {
    bound: (sizes, argument) =>
      argument('includeArchived') === true
        ? sizes.size('archivedWorkspaces')
        : min(sizes.size('workspaces'), sizes.size('archivedWorkspaces'), COLD_ACTIVE_WORKSPACES),
  },
  'Organization.users': { bound: (sizes) => sizes.size('users') },
  'Organization.invites': { bound: (sizes) => sizes.size('invites') },
  'Organization.apiKeys': { bound: (sizes) => sizes.size('apiKeys') },
  // A workspace's members are users of the organization.
  'Workspace.members': {
    bound: (sizes) => min(sizes.largestWorkspace(), sizes.size('users')),
  },
  'Workspace.apiKeys': {
    bound: (sizes) => sizes.size('apiKeys'),
    sharedWalk: (argument) => `apiKeys by workspace ${String(argument('status') ?? '')}`,
    walkFilters: ['status'],
  },
  'User.apiKeys': {
    bound: (sizes) => sizes.size('apiKeys'),
    sharedWalk: (argument) => `apiKeys by creator ${String(argument('status') ?? '')}`,
    walkFilters: ['status'],
  },
};

/** The list a connection type's `totalCount` walks. */
const WALKED_LIST: Record<string, SizedCollection | 'members'> = {
  UserConnection: 'users',
  InviteConnection: 'invites',
  WorkspaceConnection: 'archivedWorkspaces',
  ApiKeyConnection: 'apiKeys',
  WorkspaceMemberConnection: 'members',
};

/**
 * Estimates the upstream requests an operation can need: connection page sizes multiplied through
 * their nesting, plus lookups. Page sizes are cut to the collection sizes the gateway has seen
 * (see collection-sizes.ts). An upper estimate for planning and refusing, not a promise: the
 * cache can make the real count lower.
 */
export interface OperationEstimate {
  /** Upstream requests the operation can need, at most (before the cache). */
  upstreamRequests: number;
  /** Collections the operation looks objects up in by id (through the loaders). */
  lookups: ReadonlySet<string>;
  /**
   * List pages the loaders will ask for first, which can be asked for as the operation starts
   * (see Loaders.prefetch): the first page of the walk of a collection whose lookups come in
   * batches of several ids (below a list, or several ids of `nodes`) and that no connection of
   * the operation lists; and the first page of a shared walk that serves the first pages of a
   * connection for several parents (a workspace's keys, below a list of workspaces).
   */
  prefetch: readonly PrefetchRead[];
  /** Whether it reads something that changes with every request (such as `rateLimit`). */
  volatile: boolean;
  /**
   * The fields that cost upstream requests, with what each costs with everything below it,
   * costliest first (only when asked for with `explain`).
   */
  fields: FieldEstimate[];
}

/** A list page an operation will read first (see OperationEstimate.prefetch). */
export interface PrefetchRead {
  collection: string;
  /** For a shared walk: the filters of its list (`{ status: 'active' }`); none for lookups. */
  filters?: Readonly<Record<string, string>>;
  /**
   * The scopes (names of SCOPES) the fields on the way to the reads need: a caller without one
   * of them makes none of them. `UNKNOWN_SCOPE` stands for a check that cannot be read here.
   */
  needs: ReadonlySet<string>;
}

export interface FieldEstimate {
  /** The field and the costly fields above it: `workspaces(first: 100) > members(first: 1000)`. */
  path: string;
  estimatedUpstreamRequests: number;
  /** The field in the document (for suggestions). */
  node: FieldNode;
  /** Whether its page size can be chosen (`first`/`last`). */
  paged: boolean;
}

export interface EstimateOptions {
  /** Collection sizes known for the credential (nothing known by default). */
  sizes?: KnownSizes;
  /** Page sizes to assume instead of those in the document, by field (to find what fits). */
  pageSizes?: ReadonlyMap<FieldNode, number>;
  /** Also find what each costly field costs (`fields`; slower, for refusals). */
  explain?: boolean;
}

/** Marks a field whose value changes with every request, so that no result holding it is reused. */
export const volatileExtension = { volatile: true } as const;

const NOTHING: OperationEstimate = {
  upstreamRequests: 0,
  lookups: new Set(),
  prefetch: [],
  volatile: false,
  fields: [],
};

/** At most this many costly fields are followed per selection (the largest are kept). */
const MAX_FIELD_ENTRIES = 24;

export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
  options: EstimateOptions = {},
): OperationEstimate {
  const sizes = options.sizes ?? NO_SIZES;
  const explain = options.explain ?? false;
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

  const price = (tally: Tally): number => priceOf(tally, sizes);
  /** The first page of each shared walk, by walk (see PrefetchRead). */
  const sharedWalks = new Map<string, PrefetchRead>();

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
      // What this field costs for one parent, with what is below it (kept apart only to explain).
      const own = explain ? emptyTally() : tally;
      let label = selection.name.value;
      let paged = false;
      // How many times what is below this field repeats for one parent: a page's size below a
      // connection, the number of ids below `nodes`, otherwise once (lists that are not
      // connections, such as a page's edges, carry the multiplicity their connection set).
      let below = 1;
      switch (cost?.kind) {
        case 'request':
          own.requests += 1;
          break;
        case 'once':
          own.once.add(cost.key);
          for (let n = 2; n <= (cost.requests ?? 1); n++) own.once.add(`${cost.key}#${n}`);
          break;
        case 'connection': {
          const args: Arguments = (name) => argument(selection, name);
          const last = argument(selection, 'last');
          const sizeArgument = last !== undefined && last !== null ? 'last' : 'first';
          const asked = Number(
            options.pageSizes?.get(selection) ?? args(sizeArgument) ?? DEFAULT_PAGE_SIZE,
          );
          const size = Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_PAGE_SIZE;
          if (explain) label = `${selection.name.value}(${sizeArgument}: ${size})`;
          paged = true;
          const listed = listedCollection(getNamedType(field.type).name);
          if (listed) own.listed.add(listed);
          const model = CONNECTIONS[`${type.name}.${field.name}`];
          const bound = model?.bound(sizes, args);
          below = bound === undefined ? size : Math.min(size, bound);
          if (model?.sharedWalk && args('after') == null && args('before') == null) {
            const walk = model.sharedWalk(args);
            addWalk(own, walk, 1);
            if (listed && !sharedWalks.has(walk)) {
              const filters = upstreamFilters(field, selection, model.walkFilters ?? [], variables);
              const needs = new Set(gatesOf(type, field));
              for (const gate of kindScopes(listed)) needs.add(gate);
              if (filters) sharedWalks.set(walk, { collection: listed, filters, needs });
            }
          } else {
            own.requests += 1;
          }
          break;
        }
        case 'walk': {
          const list = WALKED_LIST[type.name];
          const size =
            list === 'members'
              ? min(sizes.largestWorkspace(), sizes.size('users'))
              : list
                ? sizes.size(list)
                : undefined;
          // Once per connection, not per item of its page (see addTally).
          own.connectionRequests += size === undefined ? 1 : walkPages(size);
          break;
        }
        case 'reference':
          addReference(own, cost.collection, 1);
          addGates(own, cost.collection, gatesOf(type, field));
          break;
        case 'nodes': {
          const ids = argument(selection, 'ids') ?? argument(selection, 'id');
          const list = Array.isArray(ids) ? ids : ids === undefined ? [] : [ids];
          for (const id of list) {
            const kind = typeof id === 'string' ? idKindOf(id) : null;
            addReference(own, kind ? KINDS[kind].collection : 'members', 1);
          }
          // The ids of one kind are looked up in one batch.
          for (const [collection, count] of batchedIds(list)) {
            addBatched(own, collection, count);
            addGates(own, collection, gatesOf(type, field));
          }
          below = list.length;
          break;
        }
        case 'entities': {
          const representations = argument(selection, 'representations');
          const list = Array.isArray(representations) ? representations : [];
          for (const representation of list) {
            const typename = (representation as { __typename?: unknown } | null)?.__typename;
            const entityKind = typeof typename === 'string' ? kindOfTypename(typename) : null;
            const collection = entityKind ? KINDS[entityKind].collection : null;
            addReference(own, collection ?? 'members', 1);
          }
          below = list.length;
          break;
        }
        default:
          break;
      }
      if (selection.selectionSet) {
        addTally(
          own,
          tallyOf(selection.selectionSet, getNamedType(field.type), depth + 1),
          below,
          cost ? `${label} > ` : '',
          cost?.kind === 'connection',
          below > 1,
          gatesOf(type, field),
        );
      }
      if (explain && cost && cost.kind !== 'once') {
        // The field's own entry: itself and everything below it, for one parent.
        const entry = { ...withoutFields(own), fields: new Map() };
        own.fields.set(label, { node: selection, paged, tally: entry });
        trimFields(own.fields, price);
      }
      if (own !== tally) addTally(tally, own, 1);
    }
    if (explain) trimFields(tally.fields, price);
    return tally;
  };

  const tally = tallyOf(operation.selectionSet, rootType, 0);
  return {
    upstreamRequests: price(tally),
    lookups: new Set(tally.references.keys()),
    // Only a query: a mutation's reads follow its writes, which empty what was read before.
    prefetch:
      operation.operation === 'query'
        ? [
            ...[...tally.batched]
              .filter(([collection, count]) => count >= 2 && !tally.listed.has(collection))
              .map(([collection]) => ({ collection, needs: gatesOfCollection(tally, collection) })),
            ...[...tally.walks]
              .filter(([, parents]) => parents >= 2)
              .flatMap(([walk]) => sharedWalks.get(walk) ?? []),
          ]
        : [],
    volatile: tally.volatile,
    fields: [...tally.fields]
      .map(([path, entry]) => ({
        path,
        estimatedUpstreamRequests: price(entry.tally),
        node: entry.node,
        paged: entry.paged,
      }))
      .sort((a, b) => b.estimatedUpstreamRequests - a.estimatedUpstreamRequests),
  };
}

/** One costly field found in the operation and what it costs with what is below it. */
export interface ExpensiveField {
  path: string;
  estimatedUpstreamRequests: number;
  /** The largest page size of this field alone that brings the operation within the limit. */
  suggestedFirst: number | null;
}

/**
 * The most expensive fields of an operation that is over `limit`, each with the largest page
 * size that would bring the whole operation within the limit if only that field changed.
 */
export function expensiveFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  estimate: OperationEstimate,
  limit: number,
  sizes: KnownSizes = NO_SIZES,
  count = 3,
): ExpensiveField[] {
  const total = (node: FieldNode, size: number) =>
    estimateOperation(schema, document, operationName, variables, {
      sizes,
      pageSizes: new Map([[node, size]]),
    }).upstreamRequests;
  const fields: ExpensiveField[] = [];
  const seen = new Set<FieldNode>();
  for (const field of estimate.fields) {
    if (fields.length >= count) break;
    if (seen.has(field.node)) continue;
    seen.add(field.node);
    let suggestedFirst: number | null = null;
    const current = pageSizeOf(field.path);
    if (field.paged && current !== null && current > 1 && total(field.node, 1) <= limit) {
      // The estimate never falls as a page grows: find the largest size that fits.
      let low = 1;
      let high = current - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (total(field.node, middle) <= limit) low = middle;
        else high = middle - 1;
      }
      suggestedFirst = low;
    }
    fields.push({
      path: field.path,
      estimatedUpstreamRequests: field.estimatedUpstreamRequests,
      suggestedFirst,
    });
  }
  return fields;
}

/** The page size in the last step of a path such as `workspaces(first: 100) > members(first: 5)`. */
function pageSizeOf(path: string): number | null {
  const match = /\((?:first|last): (\d+)\)$/.exec(path);
  return match ? Number(match[1]) : null;
}

/** The refusal's message: the estimate, the limit, and what costs most with what would fit. */
export function refusalMessage(estimate: number, limit: number, fields: ExpensiveField[]): string {
  const parts = fields.map((field) => {
    const fit =
      field.suggestedFirst === null
        ? ''
        : `; ${lastStep(field.path).replace(/\((first|last): \d+\)$/, `($1: ${field.suggestedFirst})`)} would fit`;
    return `${field.path}: about ${field.estimatedUpstreamRequests} requests${fit}`;
  });
  return (
    `This operation could need about ${estimate} upstream requests, more than the limit of ${limit}. ` +
    (parts.length
      ? `Most expensive: ${parts.join('. ')}.`
      : 'Ask for smaller pages or fewer nested connections.')
  );
}

function lastStep(path: string): string {
  const at = path.lastIndexOf(' > ');
  return at === -1 ? path : path.slice(at + 3);
}

/** Upstream requests for one parent object, kept apart by kind so that they scale correctly. */
interface Tally {
  requests: number;
  /**
   * Requests made once for the connection whose selection this is (its `totalCount`), not once
   * per item: they become requests of the connection field itself.
   */
  connectionRequests: number;
  /** Lookups per collection, priced together at the end (they share list pages). */
  references: Map<string, number>;
  /** Of those, lookups made in batches of several ids (below a list, or ids of `nodes`). */
  batched: Map<string, number>;
  /** Collections a connection lists. */
  listed: Set<string>;
  /** The scopes the fields on the way to a collection's lookups need, by collection. */
  gates: Map<string, Set<string>>;
  /** First pages served by a shared walk of a list, by walk: how many parents ask. */
  walks: Map<string, number>;
  /** Requests made at most once per operation, by key. */
  once: Set<string>;
  volatile: boolean;
  /** Costly fields below, by path, each with what it costs (fields of their own left out). */
  fields: Map<string, { node: FieldNode; paged: boolean; tally: Tally }>;
}

const emptyTally = (): Tally => ({
  requests: 0,
  connectionRequests: 0,
  references: new Map(),
  batched: new Map(),
  listed: new Set(),
  gates: new Map(),
  walks: new Map(),
  once: new Set(),
  volatile: false,
  fields: new Map(),
});

const withoutFields = (tally: Tally): Tally => ({
  requests: tally.requests,
  connectionRequests: tally.connectionRequests,
  references: new Map(tally.references),
  batched: new Map(tally.batched),
  listed: new Set(tally.listed),
  gates: new Map([...tally.gates].map(([collection, gates]) => [collection, new Set(gates)])),
  walks: new Map(tally.walks),
  once: new Set(tally.once),
  volatile: tally.volatile,
  fields: new Map(),
});

/** What a tally costs in upstream requests, lookups and walks priced with the known sizes. */
function priceOf(tally: Tally, sizes: KnownSizes): number {
  let total = tally.requests + tally.connectionRequests + tally.once.size;
  for (const [collection, count] of tally.references) {
    const sized = SIZED_LOOKUPS.get(collection);
    total += referenceCost(count, sized ? sizes.size(sized) : undefined);
  }
  for (const [walk, parents] of tally.walks) {
    total += sharedWalkCost(
      parents,
      walk.startsWith('apiKeys') ? sizes.size('apiKeys') : undefined,
    );
  }
  return total;
}

function addReference(tally: Tally, collection: string, count: number): void {
  tally.references.set(collection, (tally.references.get(collection) ?? 0) + count);
}

/** A scope check the estimate cannot read (a scope function): no caller is taken to pass it. */
export const UNKNOWN_SCOPE = '?';

const NO_GATES: ReadonlySet<string> = new Set();

const pothosScopes = (holder: { extensions?: Readonly<Record<string, unknown>> | null }) =>
  (holder.extensions?.['pothosOptions'] as { authScopes?: unknown } | undefined)?.authScopes;

/** Adds the scopes an `authScopes` declaration asks for: `{ apiKeysRead: true }` and the like. */
function addDeclared(into: Set<string>, declared: unknown): void {
  if (declared === undefined) return;
  if (!declared || typeof declared !== 'object') {
    into.add(UNKNOWN_SCOPE);
    return;
  }
  for (const [name, value] of Object.entries(declared)) {
    if (value === true && !name.startsWith('$')) into.add(name);
    else into.add(UNKNOWN_SCOPE);
  }
}

const fieldGates = new WeakMap<GraphQLField<unknown, unknown>, ReadonlySet<string>>();

/** The scopes reading `field` of `type` needs: the type's, its interfaces' and the field's own. */
function gatesOf(
  type: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
): ReadonlySet<string> {
  let gates = fieldGates.get(field);
  if (gates) return gates;
  const found = new Set<string>();
  addDeclared(found, pothosScopes(type));
  if (isObjectType(type))
    for (const iface of type.getInterfaces()) addDeclared(found, pothosScopes(iface));
  addDeclared(found, pothosScopes(field));
  gates = found.size ? found : NO_GATES;
  fieldGates.set(field, gates);
  return gates;
}

function addGates(tally: Tally, collection: string, gates: ReadonlySet<string>): void {
  if (gates.size === 0) return;
  let known = tally.gates.get(collection);
  if (!known) tally.gates.set(collection, (known = new Set()));
  for (const gate of gates) known.add(gate);
}

/** The scopes reading objects of the kinds of `collection` needs (`apiKeysRead` for keys). */
function kindScopes(collection: string): string[] {
  return ID_KINDS.flatMap((kind) => {
    const spec: { collection: string; readScope?: string } = KINDS[kind];
    return spec.collection === collection && spec.readScope ? [spec.readScope] : [];
  });
}

/** The scopes a prefetch of `collection` needs: those on the way, and its kind's own. */
function gatesOfCollection(tally: Tally, collection: string): ReadonlySet<string> {
  const gates = new Set(tally.gates.get(collection));
  for (const gate of kindScopes(collection)) gates.add(gate);
  return gates;
}

/**
 * The values upstream of the arguments `names` of a field (an enum's internal value: `active`
 * for ACTIVE), those not given left out; null when one is not a filter upstream (UNKNOWN).
 */
function upstreamFilters(
  field: GraphQLField<unknown, unknown>,
  selection: FieldNode,
  names: readonly string[],
  variables: Record<string, unknown>,
): Record<string, string> | null {
  const filters: Record<string, string> = {};
  for (const name of names) {
    const definition = field.args.find((arg) => arg.name === name);
    const node = selection.arguments?.find((arg) => arg.name.value === name)?.value;
    if (!definition || !node) continue;
    const value: unknown = valueFromAST(node, definition.type, variables);
    if (value === null || value === undefined) continue;
    const type = getNamedType(definition.type);
    const unknown = isEnumType(type) ? type.getValue('UNKNOWN')?.value : undefined;
    if (typeof value !== 'string' || value === unknown) return null;
    filters[name] = value;
  }
  return filters;
}

function addBatched(tally: Tally, collection: string, count: number): void {
  tally.batched.set(collection, (tally.batched.get(collection) ?? 0) + count);
}

/** Distinct ids of `nodes` by the collection they are looked up in (unknown kinds left out). */
function batchedIds(ids: readonly unknown[]): Map<string, number> {
  const distinct = new Map<string, Set<string>>();
  for (const id of ids) {
    const kind = typeof id === 'string' ? idKindOf(id) : null;
    if (!kind || typeof id !== 'string') continue;
    const collection = KINDS[kind].collection;
    let seen = distinct.get(collection);
    if (!seen) distinct.set(collection, (seen = new Set()));
    seen.add(id);
  }
  return new Map([...distinct].map(([collection, seen]) => [collection, seen.size]));
}

/** The collection a connection type lists (`UserConnection`: users), when it is a kind's. */
function listedCollection(connectionType: string): string | null {
  if (!connectionType.endsWith('Connection')) return null;
  const kind = kindOfTypename(connectionType.slice(0, -'Connection'.length));
  return kind ? KINDS[kind].collection : null;
}

function addWalk(tally: Tally, walk: string, parents: number): void {
  tally.walks.set(walk, (tally.walks.get(walk) ?? 0) + parents);
}

/**
 * Adds `factor` times `from` to `into` (a field whose selection repeats `factor` times); the
 * costly fields of `from` are named below `prefix`. With `ofConnection`, `from` is the selection
 * of a connection field `into` stands for: what it asks once per connection is added once, as
 * requests of that field. With `repeated`, `from` repeats for several objects of a list: its
 * lookups are made in batches. `gates`: the scopes the field whose selection `from` is needs.
 */
function addTally(
  into: Tally,
  from: Tally,
  factor: number,
  prefix = '',
  ofConnection = false,
  repeated = false,
  gates: ReadonlySet<string> = NO_GATES,
): void {
  if (factor === 0 && !ofConnection) return;
  into.requests += from.requests * factor;
  if (ofConnection) into.requests += from.connectionRequests;
  else into.connectionRequests += from.connectionRequests * factor;
  for (const [collection, count] of from.references) {
    addReference(into, collection, count * factor);
    if (repeated) addBatched(into, collection, count * factor);
  }
  if (!repeated) {
    for (const [collection, count] of from.batched) addBatched(into, collection, count * factor);
  }
  for (const collection of from.listed) into.listed.add(collection);
  for (const [collection, scopes] of from.gates) addGates(into, collection, scopes);
  for (const collection of from.references.keys()) addGates(into, collection, gates);
  for (const [walk, parents] of from.walks) addWalk(into, walk, parents * factor);
  for (const key of from.once) into.once.add(key);
  into.volatile ||= from.volatile;
  for (const [path, entry] of from.fields) {
    const key = prefix + path;
    const known = into.fields.get(key);
    if (known) {
      addTally(known.tally, entry.tally, factor, '', ofConnection);
    } else {
      const tally = emptyTally();
      addTally(tally, entry.tally, factor, '', ofConnection);
      into.fields.set(key, { node: entry.node, paged: entry.paged, tally });
    }
  }
}

/** Keeps the costliest field entries only, so that a wide document stays cheap to estimate. */
function trimFields(fields: Tally['fields'], price: (tally: Tally) => number): void {
  if (fields.size <= MAX_FIELD_ENTRIES) return;
  const kept = [...fields]
    .map(([path, entry]) => [path, entry, price(entry.tally)] as const)
    .sort((a, b) => b[2] - a[2])
    .slice(0, MAX_FIELD_ENTRIES);
  fields.clear();
  for (const [path, entry] of kept) fields.set(path, entry);
}

/** Why an operation is refused: a message and the fields to change, for `extensions`. */
export function operationRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  estimate: OperationEstimate,
  limit: number,
  sizes: KnownSizes = NO_SIZES,
): { message: string; expensiveFields: ExpensiveField[] } {
  // The estimate that refused it, again with what each field costs.
  const explained = estimateOperation(schema, document, operationName, variables, {
    sizes,
    explain: true,
  });
  const fields = expensiveFields(
    schema,
    document,
    operationName,
    variables,
    explained,
    limit,
    sizes,
  );
  return {
    message: refusalMessage(estimate.upstreamRequests, limit, fields),
    expensiveFields: fields,
  };
}
