import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';

/**
 * Node ids answered synchronously. The relay plugin resolves every node's `id` through an async
 * function, so each id in an answer costs a promise, and the object holding it a wait for all of
 * its fields (50 users: 50 promises and 50 such waits). This plugin, last in the builder's list
 * (so that every other plugin's wrapper, scopes included, still wraps it), answers a node's id with
 * the node's own id resolver and the builder's `encodeGlobalID`, as the relay plugin would, without
 * a promise unless the id resolver returns one (then it encodes what that promise brings). The
 * relay plugin's own resolver is not called: the id resolver runs once.
 */
export class SyncNodeIdsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const idFieldName = this.builder.options.relay?.idFieldName ?? 'id';
    const encode = this.builder.options.relay?.encodeGlobalID;
    if (fieldConfig.kind !== 'Object' || fieldConfig.name !== idFieldName || !encode) {
      return resolver;
    }
    const type = this.buildCache.getTypeConfig(fieldConfig.parentType);
    const id = (type.pothosOptions as { id?: { resolve?: GraphQLFieldResolver<unknown, never> } })
      .id?.resolve;
    const node: unknown = this.builder.nodeInterfaceRef();
    if (type.kind !== 'Object' || !id || !type.interfaces.some((ref) => ref === node)) {
      return resolver;
    }
    const typeName = type.name;
    // The id resolver runs once; an id it answers later (a promise) is encoded when it comes.
    // No function is made per id unless the id comes later (a page of 50 users makes none).
    return (parent, args, context, info) => {
      const raw: unknown = id(parent, args as never, context as never, info);
      return typeof (raw as { then?: unknown } | null)?.then === 'function'
        ? (raw as PromiseLike<unknown>).then((later) => encode(typeName, asText(later), context))
        : encode(typeName, asText(raw), context);
    };
  }
}

const asText = (raw: unknown): string => String(raw as string | number | bigint);

const pluginName = 'syncNodeIds';

declare global {
  // Pothos registers plugins by merging into its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      syncNodeIds: SyncNodeIdsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, SyncNodeIdsPlugin);

export default pluginName;
