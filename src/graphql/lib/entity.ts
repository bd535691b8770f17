import type { ObjectRef, SchemaTypes } from '@pothos/core';
import type { IdKind } from '../../domain/kinds.js';
import { builder } from '../builder.js';
import { loadKind } from './kind-lookup.js';

type Types =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/**
 * Makes a node type a federation entity keyed by its Admin API id, resolved as `node(id:)` resolves
 * it: through the request's loaders the registry names (so a router's batch of representations
 * shares list pages) and behind the kind's read scope, checked before any upstream request. The
 * resolver is async so that a refusal fails that representation alone. It answers a copy, as
 * @apollo/subgraph writes `__typename` onto what it gets and cached objects are frozen.
 */
export function nodeEntity<Shape extends object>(ref: ObjectRef<Types, Shape>, kind: IdKind): void {
  builder.asEntity(ref, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: async (representation, ctx) => {
      const id = typeof representation.id === 'string' ? representation.id : '';
      const found = (await loadKind(kind, id, ctx)) as Shape | null;
      return found && { ...found };
    },
  });
}
