import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { badUserInput } from '../lib/errors.js';
import { builder } from '../builder.js';
import { kindOfTypename } from '../../domain/kinds.js';
import { loadKind } from '../lib/kind-lookup.js';
import { decodeGlobalId, invalidNodeIdMessage, parseWorkspaceMemberId } from '../lib/global-id.js';
import { BULK_OPERATION_ID } from '../../db/bulk.js';
import { loadBulkOperation } from '../bulk/bulk-operation.js';
import { loadAuditEvent } from './audit-event.js';

/** The most ids one `nodes` field takes. */
export const MAX_NODE_IDS = 100;

/** Loads any node by its id through the request's loaders; null when it does not exist. */
async function loadNode(id: string, argumentName: string, ctx: GatewayContext): Promise<unknown> {
  // Bulk operations live in the gateway's database, not upstream.
  if (BULK_OPERATION_ID.test(id)) return loadBulkOperation(ctx, id);
  // So do audit events.
  if (id.startsWith('auditevent_')) return loadAuditEvent(ctx, id);
  const { typename } = decodeGlobalId(id);
  if (typename === 'WorkspaceMember') {
    const key = parseWorkspaceMemberId(id);
    return key ? ctx.loaders.members.load(key) : null;
  }
  const kind = kindOfTypename(typename);
  if (!kind) throw badUserInput(invalidNodeIdMessage(id), { argumentName });
  return loadKind(kind, id, ctx);
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Any object of this graph by its id; null when it does not exist.',
    extensions: costExtension({ kind: 'nodes' }),
    args: {
      id: t.arg.id({
        required: true,
        description: 'An id of this graph, such as user_… or wrkspc_….',
      }),
    },
    resolve: (_root, args, ctx) => loadNode(args.id, 'id', ctx),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `Objects of this graph by their ids (at most ${MAX_NODE_IDS}), in the same order; null for an id that does not exist, and an error for that position alone when an id is malformed.`,
    extensions: costExtension({ kind: 'nodes' }),
    args: {
      ids: t.arg.idList({ required: true, description: 'Ids of this graph, of any types.' }),
    },
    resolve: (_root, args, ctx) => {
      if (args.ids.length > MAX_NODE_IDS) {
        throw badUserInput(`\`ids\` takes at most ${MAX_NODE_IDS} ids; got ${args.ids.length}.`, {
          argumentName: 'ids',
        });
      }
      return args.ids.map((id) => loadNode(id, 'ids', ctx));
    },
  }),
}));
