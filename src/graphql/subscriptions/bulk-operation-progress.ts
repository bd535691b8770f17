import { GraphQLError } from 'graphql';
import { countBulkItems, getBulkOperation, type BulkStatus } from '../../db/bulk.js';
import { builder } from '../builder.js';
import {
  BulkOperation,
  loadBulkOperation,
  type BulkOperationShape,
} from '../bulk/bulk-operation.js';
import { badUserInput } from '../lib/errors.js';

/** How often a subscriber's job is read from the database (every replica sees the same rows). */
export const BULK_PROGRESS_INTERVAL_MS = 1000;

const FINISHED: ReadonlySet<BulkStatus> = new Set(['SUCCEEDED', 'FAILED', 'PARTIAL', 'CANCELLED']);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * The job as it stands, then again each time its status or counts change, until it finishes (the
 * last event is the finished job). Read from the database, which the replicas share, so a
 * subscriber on any replica follows a job another replica runs.
 */
async function* progress(
  read: () => Promise<BulkOperationShape | null>,
  counts: () => Promise<string>,
  intervalMs: number,
  signal: AbortSignal,
): AsyncGenerator<BulkOperationShape> {
  let last = '';
  while (!signal.aborted) {
    const shape = await read();
    if (!shape) return;
    const seen = `${shape.row.status}:${await counts()}`;
    if (seen !== last) {
      last = seen;
      yield shape;
    }
    if (FINISHED.has(shape.row.status as BulkStatus)) return;
    await sleep(intervalMs, signal);
  }
}

builder.subscriptionField('bulkOperationProgress', (t) =>
  t.field({
    type: BulkOperation,
    description: `A bulk operation as it runs: the operation now, then each time its status or counts change (read every ${BULK_PROGRESS_INTERVAL_MS / 1000} s), ending with the finished operation. Needs \`read\`, as \`bulkOperation\` does.`,
    args: {
      id: t.arg.id({ required: true, description: 'The bulk operation id (bulkop_…).' }),
    },
    subscribe: async (_root, args, ctx) => {
      const id = String(args.id);
      const first = await loadBulkOperation(ctx, id);
      if (!first) {
        throw badUserInput(`No bulk operation ${JSON.stringify(id.slice(0, 64))}.`, {
          argumentName: 'id',
        });
      }
      const database = await ctx.database();
      const stop = new AbortController();
      const events = progress(
        async () => {
          const row = await getBulkOperation(database, id);
          return row ? { row } : null;
        },
        async () => JSON.stringify(await countBulkItems(database, id)),
        BULK_PROGRESS_INTERVAL_MS,
        stop.signal,
      );
      // Ends the waits when the client goes away (graphql-js calls return() on the iterator).
      const original = events.return.bind(events);
      events.return = (value) => {
        stop.abort();
        return original(value);
      };
      return events;
    },
    resolve: (shape: BulkOperationShape) => {
      if (!shape) throw new GraphQLError('The bulk operation is gone.');
      return shape;
    },
  }),
);
