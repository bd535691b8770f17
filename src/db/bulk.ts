import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from './database.js';

/** What a bulk operation does to each of its items. */
export type BulkKind =
  'ADD_WORKSPACE_MEMBERS' | 'CREATE_INVITES' | 'UPDATE_API_KEYS' | 'REMOVE_USERS';

export type BulkStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'PARTIAL' | 'CANCELLED';

/**
 * Where an item stands: PENDING (not sent), APPLYING (marked before its write was sent; settled
 * by a read when a job resumes), DONE, FAILED (the Admin API refused it), UNKNOWN (sent, and no
 * read could tell whether it took effect), CANCELLED (never sent).
 */
export type BulkItemStatus = 'PENDING' | 'APPLYING' | 'DONE' | 'FAILED' | 'UNKNOWN' | 'CANCELLED';

/** An item's error, as a mutation's user error (`field` names the item's own input field). */
export interface BulkItemError {
  message: string;
  code: 'INVALID_INPUT' | 'ALREADY_EXISTS' | 'NOT_FOUND' | 'CONFLICT' | 'NOT_PERMITTED';
  field: string[] | null;
}

/** One item's target: the ids and values its single write takes. */
export type BulkTarget =
  | { workspaceId: string; userId: string; role: string }
  | { email: string; role: string }
  | { apiKeyId: string; name?: string; status?: string }
  | { userId: string };

export interface BulkCounts {
  total: number;
  done: number;
  failed: number;
  unknown: number;
  cancelled: number;
  /** Items not yet settled (pending or applying). */
  left: number;
}

export interface BulkOperationRow {
  id: string;
  seq: number;
  kind: BulkKind;
  status: BulkStatus;
  credential: string;
  createdBy: string;
  total: number;
  cancelRequested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface BulkItemRow {
  index: number;
  target: BulkTarget;
  status: BulkItemStatus;
  userErrors: BulkItemError[];
  upstreamRequestId: string | null;
  /** How many times its write was sent (0 or 1, unless a read showed the first never arrived). */
  sends: number;
}

/** Bulk operation ids: `bulkop_` and 24 random base64url characters. */
export const BULK_OPERATION_ID = /^bulkop_[A-Za-z0-9_-]{24}$/;

export const newBulkOperationId = () => `bulkop_${randomBytes(18).toString('base64url')}`;

interface OperationRecord {
  id: string;
  seq: string | number;
  kind: BulkKind;
  status: BulkStatus;
  credential: string;
  created_by: string;
  total: number;
  cancel_requested: boolean;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

const OPERATION_COLUMNS =
  'id, seq, kind, status, credential, created_by, total, cancel_requested, created_at, started_at, finished_at';

const date = (value: Date | string | null): Date | null =>
  value === null ? null : value instanceof Date ? value : new Date(value);

function toOperation(row: OperationRecord): BulkOperationRow {
  return {
    id: row.id,
    seq: Number(row.seq),
    kind: row.kind,
    status: row.status,
    credential: row.credential,
    createdBy: row.created_by,
    total: row.total,
    cancelRequested: row.cancel_requested,
    createdAt: date(row.created_at)!,
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
  };
}

interface ItemRecord {
  idx: number;
  target: BulkTarget | string;
  status: BulkItemStatus;
  user_errors: BulkItemError[] | string | null;
  upstream_request_id: string | null;
  sends: number;
}

const json = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

function toItem(row: ItemRecord): BulkItemRow {
  return {
    index: row.idx,
    target: json(row.target),
    status: row.status,
    userErrors: row.user_errors === null ? [] : json(row.user_errors),
    upstreamRequestId: row.upstream_request_id,
    sends: row.sends,
  };
}

/** Creates a queued job and its items in one transaction. */
export async function insertBulkOperation(
  database: Database,
  job: {
    id: string;
    kind: BulkKind;
    credential: string;
    createdBy: string;
    targets: readonly BulkTarget[];
  },
): Promise<BulkOperationRow> {
  return database.transaction(async (tx) => {
    const [row] = await tx.query<OperationRecord>(
      `INSERT INTO bulk_operations (id, kind, status, credential, created_by, total)
       VALUES ($1, $2, 'QUEUED', $3, $4, $5) RETURNING ${OPERATION_COLUMNS}`,
      [job.id, job.kind, job.credential, job.createdBy, job.targets.length],
    );
    await tx.query(
      `INSERT INTO bulk_items (operation_id, idx, target)
       SELECT $1, (x.ord - 1)::integer, x.target
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(target, ord)`,
      [job.id, JSON.stringify(job.targets)],
    );
    return toOperation(row!);
  });
}

export async function getBulkOperation(
  db: Queryable,
  id: string,
): Promise<BulkOperationRow | null> {
  const [row] = await db.query<OperationRecord>(
    `SELECT ${OPERATION_COLUMNS} FROM bulk_operations WHERE id = $1`,
    [id],
  );
  return row ? toOperation(row) : null;
}

/** Jobs newest first, after the one with sequence number `beforeSeq` when given. */
export async function listBulkOperations(
  db: Queryable,
  options: { limit: number; beforeSeq?: number; status?: BulkStatus },
): Promise<BulkOperationRow[]> {
  const rows = await db.query<OperationRecord>(
    `SELECT ${OPERATION_COLUMNS} FROM bulk_operations
     WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY seq DESC LIMIT $3`,
    [options.beforeSeq ?? null, options.status ?? null, options.limit],
  );
  return rows.map(toOperation);
}

export async function countBulkItems(db: Queryable, id: string): Promise<BulkCounts> {
  const rows = await db.query<{ status: BulkItemStatus; n: string | number }>(
    'SELECT status, count(*) AS n FROM bulk_items WHERE operation_id = $1 GROUP BY status',
    [id],
  );
  const by = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)])) as Partial<
    Record<BulkItemStatus, number>
  >;
  const n = (status: BulkItemStatus) => by[status] ?? 0;
  return {
    total: rows.reduce((sum, row) => sum + Number(row.n), 0),
    done: n('DONE'),
    failed: n('FAILED'),
    unknown: n('UNKNOWN'),
    cancelled: n('CANCELLED'),
    left: n('PENDING') + n('APPLYING'),
  };
}

/** Items in order, after index `afterIndex` when given, optionally of one status. */
export async function listBulkItems(
  db: Queryable,
  id: string,
  options: { limit: number; afterIndex?: number; status?: BulkItemStatus },
): Promise<BulkItemRow[]> {
  const rows = await db.query<ItemRecord>(
    `SELECT idx, target, status, user_errors, upstream_request_id, sends FROM bulk_items
     WHERE operation_id = $1 AND idx > $2 AND ($3::text IS NULL OR status = $3)
     ORDER BY idx LIMIT $4`,
    [id, options.afterIndex ?? -1, options.status ?? null, options.limit],
  );
  return rows.map(toItem);
}

/**
 * Asks a job to stop: its pending items are cancelled at once (never sent); a queued job is
 * cancelled outright, a running one finishes the item in flight and then stops.
 */
export async function cancelBulkOperation(
  database: Database,
  id: string,
): Promise<BulkOperationRow | null> {
  return database.transaction(async (tx) => {
    const [held] = await tx.query<{ status: BulkStatus }>(
      'SELECT status FROM bulk_operations WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!held) return null;
    if (held.status === 'QUEUED' || held.status === 'RUNNING') {
      await tx.query(
        `UPDATE bulk_items SET status = 'CANCELLED', updated_at = now()
         WHERE operation_id = $1 AND status = 'PENDING'`,
        [id],
      );
      await tx.query(
        `UPDATE bulk_operations SET cancel_requested = true,
           status = CASE WHEN status = 'QUEUED' THEN 'CANCELLED' ELSE status END,
           finished_at = CASE WHEN status = 'QUEUED' THEN now() ELSE finished_at END
         WHERE id = $1`,
        [id],
      );
    }
    return getBulkOperation(tx, id);
  });
}

// The runner's side

/**
 * Claims the oldest runnable job of `credential` whose lease is free or expired: exactly one
 * replica gets it. Answers null when there is none.
 */
export async function claimBulkOperation(
  db: Queryable,
  runner: { id: string; credential: string; leaseMs: number },
): Promise<BulkOperationRow | null> {
  const [row] = await db.query<OperationRecord>(
    `UPDATE bulk_operations
     SET status = 'RUNNING', locked_by = $1,
         lease_until = now() + $2::double precision * interval '1 millisecond',
         started_at = COALESCE(started_at, now())
     WHERE id = (
       SELECT id FROM bulk_operations
       WHERE status IN ('QUEUED', 'RUNNING') AND credential = $3
         AND (lease_until IS NULL OR lease_until < now())
       ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ${OPERATION_COLUMNS}`,
    [runner.id, runner.leaseMs, runner.credential],
  );
  return row ? toOperation(row) : null;
}

/** Extends the lease; false when this runner no longer holds it. */
export async function renewBulkLease(
  db: Queryable,
  id: string,
  runner: { id: string; leaseMs: number },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE bulk_operations
     SET lease_until = now() + $3::double precision * interval '1 millisecond'
     WHERE id = $1 AND locked_by = $2 AND status = 'RUNNING' RETURNING id`,
    [id, runner.id, runner.leaseMs],
  );
  return rows.length > 0;
}

/** Gives the lease up (on shutdown), so that another replica may take the job over at once. */
export async function releaseBulkLease(db: Queryable, id: string, runnerId: string): Promise<void> {
  await db.query(
    `UPDATE bulk_operations SET locked_by = NULL, lease_until = NULL
     WHERE id = $1 AND locked_by = $2`,
    [id, runnerId],
  );
}

/** Items a previous runner marked APPLYING and never settled. */
export async function applyingBulkItems(db: Queryable, id: string): Promise<BulkItemRow[]> {
  const rows = await db.query<ItemRecord>(
    `SELECT idx, target, status, user_errors, upstream_request_id, sends FROM bulk_items
     WHERE operation_id = $1 AND status = 'APPLYING' ORDER BY idx`,
    [id],
  );
  return rows.map(toItem);
}

/**
 * Marks the next pending item APPLYING and commits, while this runner holds the lease: only then
 * is its write sent. Null when there is no pending item, or the lease is lost (`lost`).
 */
export async function startNextBulkItem(
  database: Database,
  id: string,
  runnerId: string,
): Promise<BulkItemRow | 'lost' | null> {
  return database.transaction(async (tx) => {
    const [held] = await tx.query(
      `SELECT id FROM bulk_operations WHERE id = $1 AND locked_by = $2 AND status = 'RUNNING'
       FOR UPDATE`,
      [id, runnerId],
    );
    if (!held) return 'lost';
    const [row] = await tx.query<ItemRecord>(
      `UPDATE bulk_items SET status = 'APPLYING', sends = sends + 1, updated_at = now()
       WHERE operation_id = $1 AND idx = (
         SELECT idx FROM bulk_items WHERE operation_id = $1 AND status = 'PENDING'
         ORDER BY idx LIMIT 1)
       RETURNING idx, target, status, user_errors, upstream_request_id, sends`,
      [id],
    );
    return row ? toItem(row) : null;
  });
}

/** Settles an item (or puts it back to PENDING when nothing was sent). */
export async function settleBulkItem(
  db: Queryable,
  id: string,
  index: number,
  outcome: {
    status: BulkItemStatus;
    userErrors?: BulkItemError[];
    upstreamRequestId?: string | null;
    /** For an item put back to PENDING: its send did not happen. */
    unsent?: boolean;
  },
): Promise<void> {
  await db.query(
    `UPDATE bulk_items SET status = $3, user_errors = $4::jsonb,
       upstream_request_id = COALESCE($5, upstream_request_id),
       sends = sends - $6, updated_at = now()
     WHERE operation_id = $1 AND idx = $2`,
    [
      id,
      index,
      outcome.status,
      outcome.userErrors?.length ? JSON.stringify(outcome.userErrors) : null,
      outcome.upstreamRequestId ?? null,
      outcome.unsent ? 1 : 0,
    ],
  );
}

/** Closes a job once no item is left: its final status follows from its items. */
export async function finishBulkOperation(
  db: Queryable,
  id: string,
  runnerId: string,
): Promise<BulkOperationRow | null> {
  const counts = await countBulkItems(db, id);
  if (counts.left > 0) return null;
  const [row] = await db.query<{ cancel_requested: boolean }>(
    'SELECT cancel_requested FROM bulk_operations WHERE id = $1',
    [id],
  );
  const status: BulkStatus = row?.cancel_requested
    ? 'CANCELLED'
    : counts.failed + counts.unknown === 0
      ? 'SUCCEEDED'
      : counts.done === 0
        ? 'FAILED'
        : 'PARTIAL';
  await db.query(
    `UPDATE bulk_operations SET status = $3, finished_at = now(), locked_by = NULL,
       lease_until = NULL
     WHERE id = $1 AND locked_by = $2`,
    [id, runnerId, status],
  );
  return getBulkOperation(db, id);
}
