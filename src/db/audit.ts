import type { Queryable } from './database.js';

/*
 * The audit trail's rows (table `audit_events`, migration `audit_events`): one per mutation root
 * field executed through the gateway, and optionally per read of a sensitive field. Rows are
 * written in batches by the audit plugin's writer; they are read newest first, keyset-paginated
 * on (occurred_at, id), and pruned with one DELETE.
 */

/** How a mutation ended, as recorded. */
export type AuditOutcome =
  'ok' | 'user_errors' | 'error' | 'refused' | 'outcome_unknown' | 'dry_run' | 'read';

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = [
  'ok',
  'user_errors',
  'error',
  'refused',
  'outcome_unknown',
  'dry_run',
  'read',
];

/** One upstream HTTP request an audited field made. */
export interface AuditUpstreamRequest {
  method: string;
  path: string | null;
  status: number | null;
  upstreamRequestId: string | null;
}

/** A row as the plugin writes it (no id yet). */
export interface NewAuditEvent {
  occurredAt: Date;
  instanceId: string;
  requestId: string;
  /** `token` | `jwt` | `forwarded` | `none`. */
  actorKind: string;
  /** One string to filter on: `token:<name>`, `jwt:<subject>`, `forwarded:<fingerprint>`, `none`. */
  actor: string;
  /** The caller identity as authenticated (never a credential). */
  identity: Record<string, unknown>;
  operationName: string | null;
  /** `Mutation.updateApiKey`, or `ApiKey.…` for an audited read. */
  field: string;
  /** The field's arguments, secrets redacted. */
  input: unknown;
  upstream: AuditUpstreamRequest[];
  outcome: AuditOutcome;
  /** The userError codes or the error code. */
  codes: string[];
  /** For `refused`: `scope`, `cost`, `budget`, `validation`. */
  refusal: string | null;
  /** Ids of the objects the field touched (from its input and result). */
  resourceIds: string[];
  /** For a dry run: the REST calls it would make. */
  dryRun: unknown;
}

/** A row as read back. */
export interface AuditEventRow extends NewAuditEvent {
  id: string;
}

interface RawRow {
  id: string | number;
  occurred_at: Date | string;
  instance_id: string;
  request_id: string;
  actor_kind: string;
  actor: string;
  identity: Record<string, unknown>;
  operation_name: string | null;
  field: string;
  input: unknown;
  upstream: AuditUpstreamRequest[];
  outcome: AuditOutcome;
  codes: string[];
  refusal: string | null;
  resource_ids: string[];
  dry_run: unknown;
}

const COLUMNS = `id::text AS id, occurred_at, instance_id, request_id, actor_kind, actor, identity,
  operation_name, field, input, upstream, outcome, codes, refusal, resource_ids, dry_run`;

function fromRaw(row: RawRow): AuditEventRow {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
    instanceId: row.instance_id,
    requestId: row.request_id,
    actorKind: row.actor_kind,
    actor: row.actor,
    identity: row.identity,
    operationName: row.operation_name,
    field: row.field,
    input: row.input,
    upstream: row.upstream,
    outcome: row.outcome,
    codes: row.codes,
    refusal: row.refusal,
    resourceIds: row.resource_ids,
    dryRun: row.dry_run,
  };
}

/** Writes a batch of events in one statement (a JSON array of records). */
export async function insertAuditEvents(db: Queryable, events: readonly NewAuditEvent[]) {
  if (events.length === 0) return;
  const records = events.map((event) => ({
    occurred_at: event.occurredAt.toISOString(),
    instance_id: event.instanceId,
    request_id: event.requestId,
    actor_kind: event.actorKind,
    actor: event.actor,
    identity: event.identity,
    operation_name: event.operationName,
    field: event.field,
    input: event.input ?? null,
    upstream: event.upstream,
    outcome: event.outcome,
    codes: event.codes,
    refusal: event.refusal,
    resource_ids: event.resourceIds,
    dry_run: event.dryRun ?? null,
  }));
  await db.query(
    `INSERT INTO audit_events (occurred_at, instance_id, request_id, actor_kind, actor, identity,
       operation_name, field, input, upstream, outcome, codes, refusal, resource_ids, dry_run)
     SELECT occurred_at, instance_id, request_id, actor_kind, actor, identity, operation_name,
       field, input, upstream, outcome, codes, refusal, resource_ids, dry_run
     FROM jsonb_to_recordset($1::jsonb) AS r(occurred_at timestamptz, instance_id text,
       request_id text, actor_kind text, actor text, identity jsonb, operation_name text,
       field text, input jsonb, upstream jsonb, outcome text, codes jsonb, refusal text,
       resource_ids jsonb, dry_run jsonb)`,
    [JSON.stringify(records)],
  );
}

export interface AuditFilter {
  actor?: string | null;
  resourceId?: string | null;
  field?: string | null;
  outcome?: AuditOutcome | null;
  since?: Date | null;
  until?: Date | null;
}

/** A position in the newest-first order. */
export interface AuditKey {
  occurredAt: Date;
  id: string;
}

function where(filter: AuditFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.actor) clauses.push(`actor = ${param(filter.actor)}`);
  if (filter.resourceId) {
    clauses.push(`resource_ids @> ${param(JSON.stringify([filter.resourceId]))}::jsonb`);
  }
  if (filter.field) clauses.push(`field = ${param(filter.field)}`);
  if (filter.outcome) clauses.push(`outcome = ${param(filter.outcome)}`);
  if (filter.since) clauses.push(`occurred_at >= ${param(filter.since.toISOString())}`);
  if (filter.until) clauses.push(`occurred_at < ${param(filter.until.toISOString())}`);
  return clauses;
}

/**
 * One page of events, newest first. `after` answers the `limit` events older than a key,
 * `before` the `limit` events newer than it (returned newest first as well). One more row than
 * asked is read to tell whether more follow.
 */
export async function listAuditEvents(
  db: Queryable,
  filter: AuditFilter,
  page: { limit: number; after?: AuditKey | null; before?: AuditKey | null },
): Promise<{ rows: AuditEventRow[]; more: boolean }> {
  const params: unknown[] = [];
  const clauses = where(filter, params);
  const backwards = !page.after && !!page.before;
  const key = page.after ?? page.before;
  if (key) {
    params.push(key.occurredAt.toISOString(), key.id);
    const [t, i] = [`$${params.length - 1}::timestamptz`, `$${params.length}::bigint`];
    clauses.push(
      backwards ? `(occurred_at, id) > (${t}, ${i})` : `(occurred_at, id) < (${t}, ${i})`,
    );
  }
  params.push(page.limit + 1);
  const order = backwards ? 'occurred_at ASC, id ASC' : 'occurred_at DESC, id DESC';
  const raw = await db.query<RawRow>(
    `SELECT ${COLUMNS} FROM audit_events
     ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
     ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  const more = raw.length > page.limit;
  const rows = raw.slice(0, page.limit).map(fromRaw);
  return { rows: backwards ? rows.reverse() : rows, more };
}

/** One event by its id; null when there is none. */
export async function getAuditEvent(db: Queryable, id: string): Promise<AuditEventRow | null> {
  const [row] = await db.query<RawRow>(`SELECT ${COLUMNS} FROM audit_events WHERE id = $1`, [id]);
  return row ? fromRaw(row) : null;
}

/**
 * Events of a time range, oldest first, after a key (for the JSON lines export, page by page).
 */
export async function exportAuditEvents(
  db: Queryable,
  range: { since?: Date | null; until?: Date | null },
  after: AuditKey | null,
  limit: number,
): Promise<AuditEventRow[]> {
  const params: unknown[] = [];
  const clauses = where(range, params);
  if (after) {
    params.push(after.occurredAt.toISOString(), after.id);
    clauses.push(
      `(occurred_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::bigint)`,
    );
  }
  params.push(limit);
  const raw = await db.query<RawRow>(
    `SELECT ${COLUMNS} FROM audit_events
     ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
     ORDER BY occurred_at ASC, id ASC LIMIT $${params.length}`,
    params,
  );
  return raw.map(fromRaw);
}

/** Deletes the events older than `before`, in one statement; answers how many. */
export async function pruneAuditEvents(db: Queryable, before: Date): Promise<number> {
  const rows = await db.query<{ n: string | number }>(
    `WITH gone AS (DELETE FROM audit_events WHERE occurred_at < $1 RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [before.toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

/** How many mutation events an instance recorded (the test harness checks every one). */
export async function countAuditEvents(db: Queryable, instanceId: string): Promise<number> {
  const rows = await db.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM audit_events WHERE instance_id = $1 AND outcome <> 'read'`,
    [instanceId],
  );
  return Number(rows[0]?.n ?? 0);
}
