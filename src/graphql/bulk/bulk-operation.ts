import { GraphQLError } from 'graphql';
import {
  BULK_OPERATION_ID,
  cancelBulkOperation,
  countBulkItems,
  getBulkOperation,
  listBulkItems,
  listBulkOperations,
  type BulkCounts,
  type BulkItemRow,
  type BulkItemStatus,
  type BulkKind,
  type BulkOperationRow,
  type BulkStatus,
} from '../../db/bulk.js';
import { MAX_PAGE_SIZE } from '../../domain/limits.js';
import { SCOPES } from '../../domain/scopes.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { badUserInput } from '../lib/errors.js';
import { resultPayload } from '../lib/payload.js';
import { DateTime } from '../lib/scalars.js';
import { UserError, inputError } from '../lib/user-error.js';

/** A bulk operation as the graph serves it: a stored job, or a dry run's preview of one. */
export interface BulkOperationShape {
  row: BulkOperationRow | (Omit<BulkOperationRow, 'status'> & { status: 'DRY_RUN' });
  /** A dry run's items (not stored). */
  preview?: BulkItemRow[];
  /** The item counts, read once per object. */
  counts?: Promise<BulkCounts>;
}

const BULK_DEFAULT_PAGE_SIZE = 100;

export const BulkOperationKind = builder.enumType('BulkOperationKind', {
  description: 'What a bulk operation does to each of its items.',
  values: {
    ADD_WORKSPACE_MEMBERS: { description: 'Adds users to workspaces (bulkAddWorkspaceMembers).' },
    CREATE_INVITES: { description: 'Invites people to the organization (bulkCreateInvites).' },
    UPDATE_API_KEYS: {
      description: 'Renames API keys or changes their status (bulkUpdateApiKeys).',
    },
    REMOVE_USERS: { description: 'Removes members from the organization (bulkRemoveUsers).' },
  } satisfies Record<BulkKind, { description: string }>,
});

export const BulkOperationStatus = builder.enumType('BulkOperationStatus', {
  description: 'Where a bulk operation stands.',
  values: {
    QUEUED: { description: 'Waiting for a runner; no item was sent yet.' },
    RUNNING: { description: 'Items are being sent, paced within the upstream budget.' },
    SUCCEEDED: { description: 'Every item was applied (or was already in place).' },
    FAILED: { description: 'No item was applied: see the items’ userErrors.' },
    PARTIAL: { description: 'Some items were applied, others failed or have an unknown outcome.' },
    CANCELLED: { description: 'Cancelled: the items not yet sent never will be.' },
    DRY_RUN: { description: 'A dry run’s preview: nothing was stored, started or sent.' },
  } satisfies Record<BulkStatus | 'DRY_RUN', { description: string }>,
});

export const BulkItemStatusEnum = builder.enumType('BulkItemStatus', {
  description: 'Where one item of a bulk operation stands.',
  values: {
    PENDING: { description: 'Not sent yet.' },
    APPLYING: {
      description:
        'Its write is being sent; if the runner stops, the next one reads whether it took effect rather than sending it again.',
    },
    DONE: { description: 'Applied, or already in place (a duplicate counts as done).' },
    FAILED: { description: 'The Admin API refused it: see userErrors.' },
    UNKNOWN: {
      description:
        'Sent, its answer was lost, and reading it back failed too: read the object to know.',
    },
    CANCELLED: { description: 'Never sent: the operation was cancelled first.' },
  } satisfies Record<BulkItemStatus, { description: string }>,
});

export const BulkOperationItem = builder.objectRef<BulkItemRow>('BulkOperationItem').implement({
  description: 'One item of a bulk operation: the single write it stands for, and its outcome.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the input (from 0).' }),
    status: t.field({
      type: BulkItemStatusEnum,
      description: 'Where it stands.',
      resolve: (item) => item.status,
    }),
    userId: t.id({
      nullable: true,
      description: 'The user it names (user_…), if any.',
      resolve: (item) => ('userId' in item.target ? item.target.userId : null),
    }),
    workspaceId: t.id({
      nullable: true,
      description: 'The workspace it names (wrkspc_…), if any.',
      resolve: (item) => ('workspaceId' in item.target ? item.target.workspaceId : null),
    }),
    email: t.string({
      nullable: true,
      description: 'The address it invites, if any.',
      resolve: (item) => ('email' in item.target ? item.target.email : null),
    }),
    apiKeyId: t.id({
      nullable: true,
      authScopes: { apiKeysRead: true },
      description: 'The API key it changes (apikey_…), if any; needs the scope api_keys:read.',
      resolve: (item) => ('apiKeyId' in item.target ? item.target.apiKeyId : null),
    }),
    userErrors: t.field({
      type: [UserError],
      description:
        'Why it failed (or, in a dry run, why it would); `field` names the item’s input field. Empty otherwise.',
      resolve: (item) => item.userErrors,
    }),
    upstreamRequestId: t.exposeString('upstreamRequestId', {
      nullable: true,
      description: 'The Admin API’s request id of its write, when one was answered.',
    }),
  }),
});

const BulkOperationItemConnection = builder.connectionObject(
  {
    type: BulkOperationItem,
    name: 'BulkOperationItemConnection',
    description: 'A page of a bulk operation’s items, in input order.',
  },
  { name: 'BulkOperationItemEdge', description: 'An item and its cursor.' },
);

export const BulkOperation = builder.objectRef<BulkOperationShape>('BulkOperation');

const countsOf = (operation: BulkOperationShape, ctx: GatewayContext): Promise<BulkCounts> =>
  (operation.counts ??= operation.preview
    ? Promise.resolve(previewCounts(operation.preview))
    : ctx.database().then((db) => countBulkItems(db, operation.row.id)));

function previewCounts(items: readonly BulkItemRow[]): BulkCounts {
  const failed = items.filter((item) => item.userErrors.length > 0).length;
  return { total: items.length, done: 0, failed, unknown: 0, cancelled: 0, left: items.length };
}

// Cursors: opaque, and refused on a connection of another kind.
const cursor = (prefix: string, n: number) =>
  Buffer.from(`${prefix}:${n}`, 'utf8').toString('base64url');

function fromCursor(prefix: string, value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const match = new RegExp(`^${prefix}:(\\d{1,15})$`).exec(
    Buffer.from(value, 'base64url').toString('utf8'),
  );
  if (!match)
    throw badUserInput('`after` is not a cursor of this connection.', { argumentName: 'after' });
  return Number(match[1]);
}

function pageSize(args: { first?: number | null; last?: number | null; before?: string | null }) {
  if (args.last != null || args.before != null) {
    throw badUserInput('This connection pages forwards only: use `first` and `after`.');
  }
  const first = args.first ?? BULK_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, {
      argumentName: 'first',
    });
  }
  return first;
}

/** A page of `rows` fetched one more than asked for, as a Relay connection. */
function toConnection<T>(rows: T[], limit: number, key: (row: T) => string) {
  const page = rows.slice(0, limit);
  return {
    edges: page.map((node) => ({ cursor: key(node), node })),
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: false,
      startCursor: page.length ? key(page[0]!) : null,
      endCursor: page.length ? key(page.at(-1)!) : null,
    },
  };
}

builder.node(BulkOperation, {
  description:
    'A job that applies one change to many objects, item by item, paced within the upstream budget (see the bulk mutations). Stored in the gateway’s database: it resumes after a restart or on another replica, and no item is applied twice.',
  id: { resolve: (operation) => operation.row.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'row' in value,
  fields: (t) => ({
    kind: t.field({
      type: BulkOperationKind,
      description: 'What it does to each item.',
      resolve: (operation) => operation.row.kind,
    }),
    status: t.field({
      type: BulkOperationStatus,
      description: 'Where it stands.',
      resolve: (operation) => operation.row.status,
    }),
    total: t.int({ description: 'Items in all.', resolve: (operation) => operation.row.total }),
    done: t.int({
      description: 'Items applied (or already in place).',
      resolve: async (operation, _args, ctx) => (await countsOf(operation, ctx)).done,
    }),
    failed: t.int({
      description:
        'Items that failed, plus those whose outcome is unknown; in a dry run, the items with predicted userErrors.',
      resolve: async (operation, _args, ctx) => {
        const counts = await countsOf(operation, ctx);
        return counts.failed + counts.unknown;
      },
    }),
    left: t.int({
      description: 'Items not yet settled (none once the operation is finished or cancelled).',
      resolve: async (operation, _args, ctx) => (await countsOf(operation, ctx)).left,
    }),
    estimatedSecondsLeft: t.int({
      nullable: true,
      description:
        'Seconds until the items left are done at the pace bulk operations are given (BULK_BUDGET_SHARE of the upstream budget); 0 once finished, null when the gateway cannot run it.',
      resolve: async (operation, _args, ctx) => {
        const { left } = await countsOf(operation, ctx);
        if (left === 0) return 0;
        if (!ctx.bulk) return null;
        const rate = ctx.bulk.itemsPerSecond;
        return Number.isFinite(rate) ? Math.ceil(left / rate) : 0;
      },
    }),
    createdBy: t.string({
      description: 'The caller who started it (gateway token name, JWT subject, …).',
      resolve: (operation) => operation.row.createdBy,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When it was started (or, for a dry run, previewed).',
      resolve: (operation) => operation.row.createdAt,
    }),
    startedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When a runner first took it up; null while queued.',
      resolve: (operation) => operation.row.startedAt,
    }),
    finishedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When it finished or was cancelled; null before.',
      resolve: (operation) => operation.row.finishedAt,
    }),
    items: t.connection(
      {
        type: BulkOperationItem,
        description: 'Its items in input order, each with its outcome; forwards only.',
        args: {
          status: t.arg({
            type: BulkItemStatusEnum,
            required: false,
            description: 'Only items in this state (FAILED to see what went wrong).',
          }),
        },
        resolve: async (operation, args, ctx) => {
          const limit = pageSize(args);
          const after = fromCursor('bulk-item', args.after);
          const key = (item: BulkItemRow) => cursor('bulk-item', item.index);
          if (operation.preview) {
            const rows = operation.preview
              .filter((item) => item.index > (after ?? -1))
              .filter((item) => !args.status || item.status === args.status)
              .slice(0, limit + 1);
            return toConnection(rows, limit, key);
          }
          const rows = await listBulkItems(await ctx.database(), operation.row.id, {
            limit: limit + 1,
            ...(after !== undefined ? { afterIndex: after } : {}),
            ...(args.status ? { status: args.status } : {}),
          });
          return toConnection(rows, limit, key);
        },
      },
      BulkOperationItemConnection,
    ),
  }),
});

const BulkOperationConnection = builder.connectionObject(
  {
    type: BulkOperation,
    name: 'BulkOperationConnection',
    description: 'A page of bulk operations, newest first.',
  },
  { name: 'BulkOperationEdge', description: 'A bulk operation and its cursor.' },
);

/** A stored operation by id; null when there is none (or the id is not one). */
export async function loadBulkOperation(
  ctx: GatewayContext,
  id: string,
): Promise<BulkOperationShape | null> {
  if (!BULK_OPERATION_ID.test(id)) return null;
  // Reading a job is also how a gateway that started lazily learns of jobs to resume.
  ctx.bulk?.wake();
  const row = await getBulkOperation(await ctx.database(), id);
  return row ? { row } : null;
}

builder.queryFields((t) => ({
  bulkOperation: t.field({
    type: BulkOperation,
    nullable: true,
    description: 'A bulk operation by id (bulkop_…); null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The bulk operation id (bulkop_…).' }) },
    resolve: (_root, args, ctx) => loadBulkOperation(ctx, String(args.id)),
  }),
  bulkOperations: t.connection(
    {
      type: BulkOperation,
      description: 'Bulk operations of every caller, newest first; forwards only.',
      args: {
        status: t.arg({
          type: BulkOperationStatus,
          required: false,
          description: 'Only operations in this state.',
        }),
      },
      resolve: async (_root, args, ctx) => {
        const limit = pageSize(args);
        const before = fromCursor('bulk-op', args.after);
        if (args.status === 'DRY_RUN') return toConnection([], limit, () => '');
        ctx.bulk?.wake();
        const rows = await listBulkOperations(await ctx.database(), {
          limit: limit + 1,
          ...(before !== undefined ? { beforeSeq: before } : {}),
          ...(args.status ? { status: args.status } : {}),
        });
        return toConnection(
          rows.map((row) => ({ row })),
          limit,
          (operation) => cursor('bulk-op', operation.row.seq),
        );
      },
    },
    BulkOperationConnection,
  ),
}));

/** The scope each kind's single mutation needs, which cancelling needs too. */
export const BULK_KIND_SCOPES: Record<BulkKind, string> = {
  ADD_WORKSPACE_MEMBERS: SCOPES.membersWrite,
  CREATE_INVITES: SCOPES.membersWrite,
  UPDATE_API_KEYS: SCOPES.apiKeysWrite,
  REMOVE_USERS: SCOPES.membersWrite,
};

builder.relayMutationField(
  'cancelBulkOperation',
  {
    description: 'Cancels a bulk operation.',
    inputFields: (t) => ({
      id: t.id({ required: true, description: 'The bulk operation to cancel (bulkop_…).' }),
    }),
  },
  {
    description:
      'Cancels a bulk operation: its items not yet sent never will be; the item in flight finishes. Needs the scope of the operation’s kind (that of its single mutation). Cancelling a finished operation changes nothing.',
    resolve: async (_root, { input }, ctx) => {
      const id = String(input.id);
      const existing = await loadBulkOperation(ctx, id);
      if (!existing) {
        return {
          result: null,
          userErrors: [
            {
              message: `No bulk operation ${JSON.stringify(id.slice(0, 100))}.`,
              code: 'NOT_FOUND' as const,
              field: ['input', 'id'],
            },
          ],
        };
      }
      const scope = BULK_KIND_SCOPES[existing.row.kind];
      if (!ctx.caller.scopes.has(scope)) {
        throw new GraphQLError(
          `Not permitted: cancelling a ${existing.row.kind} bulk operation needs the scope \`${scope}\`.`,
          { extensions: { code: 'FORBIDDEN', http: { status: 403 }, missingScopes: [scope] } },
        );
      }
      if (ctx.dryRun) return { result: existing, userErrors: [] };
      const row = await cancelBulkOperation(await ctx.database(), id);
      ctx.bulk?.wake();
      return row ? { result: { row }, userErrors: [] } : inputError('Not found.', ['input', 'id']);
    },
  },
  resultPayload(
    'cancelBulkOperation',
    'bulkOperation',
    BulkOperation,
    'The operation as it stands after the request; null when there is none.',
  ),
);
