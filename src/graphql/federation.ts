import { printSubgraphSchema } from '@apollo/subgraph';
import { defaultFieldResolver, GraphQLError, type GraphQLField, type GraphQLSchema } from 'graphql';
import { SCOPES } from '../domain/scopes.js';
import type { GatewayContext } from './context.js';
import { costExtension } from './cost/estimate.js';
import { ApiKey } from './nodes/api-key.js';
import { builder } from './builder.js';
import { Invite } from './nodes/invite.js';
import { Organization } from './nodes/organization.js';
import { User } from './nodes/user.js';
import { Workspace } from './nodes/workspace.js';
import { nodeEntity } from './lib/entity.js';

/*
 * Apollo Federation v2. One builder makes both schemas: `builder.toSchema()` is the client schema
 * (schema.graphql; the entity keys below only add directive metadata to it, which printSchema
 * does not show), and `buildSubgraphSchema()` is the same types plus `_entities`, `_service` and
 * the @link/@key directives a router needs (subgraph.graphql).
 *
 * Entities are resolved through the request's loaders, so a router's batch of representations
 * costs what the same lookups cost in one query: lookups of one collection share list pages.
 */

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

// Every node type is an entity keyed by its id (src/graphql/lib/entity.ts); the core ones here,
// the others in their own files.
nodeEntity(User, 'user');
nodeEntity(Workspace, 'workspace');
nodeEntity(Invite, 'invite');
nodeEntity(ApiKey, 'apiKey');
nodeEntity(Organization, 'organization');

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
 * `_service`, with the @key directive on every node type.
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
