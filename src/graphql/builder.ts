import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { SCOPES, type ScopeName } from '../domain/scopes.js';
import type { GatewayContext } from './context.js';
import { decodeGlobalId, encodeGlobalId } from './lib/global-id.js';
import SyncNodeIdsPlugin from './lib/sync-node-ids.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  AuthScopes: Record<ScopeName, boolean>;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    EmailAddress: { Input: string; Output: string };
    Decimal: { Input: string; Output: string };
    SafeInt: { Input: number; Output: number };
    LocalDate: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  // Federation comes after ScopeAuth, which wraps resolvers; it only adds directives (@key) and
  // `toSubGraphSchema`, so `toSchema()` still builds the client schema (see federation.ts).
  // SyncNodeIds comes last, so that its node id resolvers are wrapped by the others.
  plugins: [ScopeAuthPlugin, RelayPlugin, DirectivePlugin, FederationPlugin, SyncNodeIdsPlugin],
  scopeAuth: {
    authScopes: (ctx) => scopeFlags(ctx.caller.scopes),
    unauthorizedError: (_parent, ctx, info, result) => {
      const missing = missingScopes(info, ctx.caller.scopes, result.failure);
      return new GraphQLError(
        `Not permitted: ${info.parentType.name}.${info.fieldName} needs ${describeScopes(missing)}.`,
        { extensions: { code: 'FORBIDDEN', http: { status: 403 }, missingScopes: missing } },
      );
    },
  },
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    // Cached upstream objects are frozen; type resolution uses isTypeOf instead of brands.
    brandLoadedObjects: false,
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    // node and nodes are defined in node.ts, so that a malformed id fails alone.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: {
      description:
        'An object with an Admin API id. The id is the Admin API id, unchanged (user_…, invite_…, wrkspc_…, apikey_…, the organization UUID), so it can be pasted into the Console.',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection stands in the whole list.' },
    nodesOnConnection: {
      description: 'The items of this page, without their cursors.',
    },
    nodeFieldOptions: { description: 'The item at this position.' },
    cursorFieldOptions: {
      description: 'An opaque cursor for this item, to pass as `after` or `before`.',
    },
    edgesFieldOptions: { description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { description: 'How this page relates to the rest of the list.' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'The cursor of the last item of this page.' },
    firstArgOptions: { description: 'How many items to return from the start (1 to 1000).' },
    lastArgOptions: {
      description: 'How many items to return before `before` (1 to 1000; needs `before`).',
    },
    afterArgOptions: { description: 'Return the items after this cursor.' },
    beforeArgOptions: { description: 'Return the items before this cursor.' },
    idFieldOptions: { description: 'The Admin API id.' },
    mutationInputArgOptions: { description: 'The mutation input.' },
  },
});

builder.queryType({
  description: 'Reads from the Admin API. Needs the `read` scope.',
  authScopes: { read: true },
});
builder.mutationType({
  description:
    'Changes through the Admin API. Needs the `write` scope, and a finer one per mutation.',
  authScopes: { write: true },
});

/** The scopes a failed check asked for, as ``the scopes `write` and `api_keys:write` ``. */
function describeScopes(missing: readonly string[]): string {
  if (missing.length === 0) return 'a scope this caller lacks';
  const quoted = missing.map((scope) => `\`${scope}\``);
  return missing.length === 1
    ? `the scope ${quoted[0]}`
    : `the scopes ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

type ScopeMap = Partial<Record<ScopeName, unknown>>;
/**
 * What a set of granted scopes allows, by scope name, made once per set: callers of one kind share
 * their set (every scope, or a configured token's), so most requests build nothing here.
 */
const flagsOf = new WeakMap<ReadonlySet<string>, Readonly<Record<ScopeName, boolean>>>();
function scopeFlags(scopes: ReadonlySet<string>): Record<ScopeName, boolean> {
  let flags = flagsOf.get(scopes);
  if (!flags) {
    flags = Object.freeze(
      Object.fromEntries(
        (Object.keys(SCOPES) as ScopeName[]).map((name) => [name, scopes.has(SCOPES[name])]),
      ) as Record<ScopeName, boolean>,
    );
    flagsOf.set(scopes, flags);
  }
  return flags;
}

const authScopesOf = (holder: { extensions?: Readonly<Record<string, unknown>> } | undefined) =>
  (holder?.extensions?.['pothosOptions'] as { authScopes?: unknown } | undefined)?.authScopes;

/**
 * Every scope the field needs that the caller lacks, at once: the parent type's (and its
 * interfaces') and the field's own, so that one round trip tells all. Scopes from a failed check
 * that the declarations do not show (a scope function) are added.
 */
function missingScopes(
  info: GraphQLResolveInfo,
  held: ReadonlySet<string>,
  failure: unknown,
): string[] {
  const required: string[] = [];
  const add = (name: string) => {
    if (name in SCOPES && !required.includes(SCOPES[name as ScopeName])) {
      required.push(SCOPES[name as ScopeName]);
    }
  };
  const declared = (scopes: unknown) => {
    if (!scopes || typeof scopes !== 'object') return;
    for (const [name, value] of Object.entries(scopes as ScopeMap)) if (value === true) add(name);
  };
  declared(authScopesOf(info.parentType));
  for (const iface of info.parentType.getInterfaces()) declared(authScopesOf(iface));
  declared(authScopesOf(info.parentType.getFields()[info.fieldName]));
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const entry = node as { scope?: string; failures?: unknown[] };
    if (entry.scope) add(entry.scope);
    for (const child of entry.failures ?? []) walk(child);
  };
  walk(failure);
  return required.filter((scope) => !held.has(scope));
}
