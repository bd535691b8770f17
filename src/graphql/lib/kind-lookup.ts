import { GraphQLError } from 'graphql';
import { isId } from '../../domain/ids.js';
import { KINDS, type IdKind, type ResourceKind } from '../../domain/kinds.js';
import { SCOPES } from '../../domain/scopes.js';
import type { GatewayContext } from '../context.js';

/**
 * Refuses a caller without the kind's read scope before any lookup, so that the refusal costs no
 * upstream request (a type's own scope check would only refuse its fields afterwards).
 */
export function checkReadScope(kind: IdKind, ctx: GatewayContext): void {
  const spec: ResourceKind = KINDS[kind];
  const scope = spec.readScope && SCOPES[spec.readScope];
  if (scope && !ctx.caller.scopes.has(scope)) {
    throw new GraphQLError(`Not permitted: ${spec.plural} need the scope ${scope}.`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
}

/**
 * Looks one object of a registered kind up by its id through the request's loaders, as the
 * registry names them; null when it does not exist or the id is not of that kind's shape.
 */
export async function loadKind(kind: IdKind, id: string, ctx: GatewayContext): Promise<unknown> {
  checkReadScope(kind, ctx);
  if (!isId(kind, id)) return null;
  const spec: ResourceKind = KINDS[kind];
  if (spec.loader === 'organization') {
    const organization = await ctx.loaders.organization();
    return organization.id === id ? organization : null;
  }
  return ctx.loaders[spec.loader].load(id);
}
