/**
 * Bulk operations: one row per job, one row per item. An item is marked APPLYING (committed)
 * before its upstream write and DONE/FAILED after it, so that a job resumed elsewhere settles an
 * APPLYING item by a read instead of sending it again. The runner holding a job holds its lease
 * (`locked_by`, `lease_until`); an expired lease may be taken over by any replica.
 */
export const BULK_OPERATIONS_MIGRATION: readonly string[] = [
  `CREATE TABLE bulk_operations (
     id text PRIMARY KEY,
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     kind text NOT NULL,
     status text NOT NULL,
     credential text NOT NULL,
     created_by text NOT NULL,
     params jsonb NOT NULL DEFAULT '{}'::jsonb,
     total integer NOT NULL,
     cancel_requested boolean NOT NULL DEFAULT false,
     locked_by text,
     lease_until timestamptz,
     created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     started_at timestamptz,
     finished_at timestamptz
   )`,
  `CREATE INDEX bulk_operations_runnable ON bulk_operations (seq)
     WHERE status IN ('QUEUED', 'RUNNING')`,
  `CREATE TABLE bulk_items (
     operation_id text NOT NULL REFERENCES bulk_operations (id) ON DELETE CASCADE,
     idx integer NOT NULL,
     target jsonb NOT NULL,
     status text NOT NULL DEFAULT 'PENDING',
     user_errors jsonb,
     upstream_request_id text,
     sends integer NOT NULL DEFAULT 0,
     updated_at timestamptz,
     PRIMARY KEY (operation_id, idx)
   )`,
  `CREATE INDEX bulk_items_status ON bulk_items (operation_id, status, idx)`,
];
