import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { GatewayContext } from '../context.js';
import { badUserInput } from '../errors.js';
import {
  INVALID_ID_TYPENAME,
  decodeGlobalId,
  encodeGlobalId,
  invalidNodeIdMessage,
} from './global-id.js';

type DecodedId = { typename: string; id: string };

const invalidId = (id: DecodedId, argumentName: string) =>
  badUserInput(invalidNodeIdMessage(id.id), { argumentName });

/** The schema builder: plugins and their options only; types live one per file beside it. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    EmailAddress: { Input: string; Output: string };
  };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: {
      description: 'Any object of this graph by its id; null when it does not exist.',
      args: { id: { description: 'An id of this graph, such as user_… or wrkspc_….' } },
      resolve: (_root, { id }, _ctx, _info, resolveNode) => {
        if (id.typename === INVALID_ID_TYPENAME) throw invalidId(id, 'id');
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      description:
        'Objects of this graph by their ids, in the same order; null for an id that does not exist, and an error for that position alone when an id is malformed.',
      args: { ids: { description: 'Ids of this graph, of any types.' } },
      resolve: async (_root, { ids }, _ctx, _info, resolveNodes) => {
        const valid = ids.filter((id) => id.typename !== INVALID_ID_TYPENAME);
        const resolved = await resolveNodes(valid);
        const byId = new Map(valid.map((id, index) => [id.id, resolved[index]]));
        return ids.map((id) =>
          id.typename === INVALID_ID_TYPENAME ? invalidId(id, 'ids') : (byId.get(id.id) ?? null),
        );
      },
    },
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

builder.queryType({ description: 'Reads from the Admin API.' });
builder.mutationType({ description: 'Changes through the Admin API.' });
