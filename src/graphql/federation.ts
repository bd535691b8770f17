import { printSubgraphSchema } from '@apollo/subgraph';
import { defaultFieldResolver, GraphQLError, type GraphQLField, type GraphQLSchema } from 'graphql';
import { SCOPES } from '../domain/scopes.js';
import type { GatewayContext } from './context.js';
import { costExtension } from './cost/estimate.js';
import { isId, type IdKind } from '../domain/ids.js';
import { ApiKey } from './nodes/api-key.js';
import { builder } from './builder.js';
import { Invite } from './nodes/invite.js';
import { Organization } from './nodes/organization.js';
import { User } from './nodes/user.js';
import { Workspace } from './nodes/workspace.js';

/*
 * Apollo Federation v2. One builder makes both schemas: `builder.toSchema()` is the client schema
 * (schema.graphql; the entity keys below only add directive metadata to it, which printSchema
 * does not show), and `buildSubgraphSchema()` is the same types plus `_entities`, `_service` and
 * the @link/@key directives a router needs (subgraph.graphql).
 *
 * Entities are resolved through the request's loaders, so a router's batch of representations
 * costs what the same lookups cost in one query: lookups of one collection share list pages.
 */

/** The one key of every entity: the Admin API id. */
const byId = builder.selection<{ id: string }>('id');

/** The id of a representation when it has the shape of an id of `kind`; otherwise null. */
const idOf = (kind: IdKind, representation: { id: unknown }): string | null =>
  typeof representation.id === 'string' && isId(kind, representation.id) ? representation.id : null;

/**
 * A copy of a loaded object: @apollo/subgraph writes `__typename` onto what `resolveReference`
 * returns, and objects from the shared cache are frozen.
 */
async function copy<T extends object>(loading: Promise<T | null> | null): Promise<T | null> {
  const loaded = await loading;
  return loaded && { ...loaded };
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

builder.asEntity(User, {
  key: byId,
  resolveReference: (representation, ctx) => {
    const id = idOf('user', representation);
    return copy(id ? ctx.loaders.users.load(id) : null);
  },
});

builder.asEntity(Workspace, {
  key: byId,
  resolveReference: (representation, ctx) => {
    const id = idOf('workspace', representation);
    return copy(id ? ctx.loaders.workspaces.load(id) : null);
  },
});

builder.asEntity(Invite, {
  key: byId,
  resolveReference: (representation, ctx) => {
    const id = idOf('invite', representation);
    return copy(id ? ctx.loaders.invites.load(id) : null);
  },
});

builder.asEntity(ApiKey, {
  key: byId,
  // Async, so that a refusal fails this representation alone: a synchronous throw would fail the
  // whole `_entities` field and leave the other representations' lookups unawaited.
  resolveReference: async (representation, ctx) => {
    // Checked before the lookup, as node() does, so that a caller without the scope costs no
    // upstream request (the type's own check would only refuse its fields afterwards).
    if (!ctx.caller.scopes.has(SCOPES.apiKeysRead)) {
      throw forbidden(`Not permitted: API keys need the scope ${SCOPES.apiKeysRead}.`);
    }
    const id = idOf('apiKey', representation);
    return copy(id ? ctx.loaders.apiKeys.load(id) : null);
  },
});

builder.asEntity(Organization, {
  key: byId,
  resolveReference: async (representation, ctx) => {
    const id = idOf('organization', representation);
    if (!id) return null;
    const organization = await ctx.loaders.organization();
    return organization.id === id ? { ...organization } : null;
  },
});

/**
 * Puts a field the federation plugin adds after the build (so outside the scope-auth plugin)
 * under the `read` scope that every other Query field needs.
 */
function requireReadScope(field: GraphQLField<unknown, GatewayContext>): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, ctx, info) => {
    if (!ctx.caller.scopes.has(SCOPES.read)) {
      throw forbidden(
        `Not permitted: ${info.parentType.name}.${info.fieldName} needs the scope ${SCOPES.read}.`,
      );
    }
    return resolve(source, args, ctx, info);
  };
}

/**
 * The gateway as an Apollo Federation v2 subgraph: the client schema plus `_entities` and
 * `_service`, with the @key directives of User, Workspace, ApiKey, Invite and Organization.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  const subgraph = builder.toSubGraphSchema({});
  const fields = subgraph.getQueryType()?.getFields() ?? {};
  const entities = fields['_entities'] as GraphQLField<unknown, GatewayContext> | undefined;
  const service = fields['_service'] as GraphQLField<unknown, GatewayContext> | undefined;
  if (!entities || !service) throw new Error('the subgraph schema lacks _entities or _service');
  // The plugin builds these two fields itself; they are completed here, once, before the schema
  // is served: the scope check, and the cost of N representations as N lookups (cost.ts).
  requireReadScope(entities);
  requireReadScope(service);
  entities.extensions = { ...entities.extensions, ...costExtension({ kind: 'entities' }) };
  return subgraph;
}

/** The subgraph schema as federation SDL (with @link and @key), as subgraph.graphql holds it. */
export function printSubgraph(subgraph: GraphQLSchema): string {
  return `${printSubgraphSchema(subgraph)}\n`;
}
