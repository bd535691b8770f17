/** The audit trail's table (migration `audit_events`); its rows are read and written in audit.ts. */
export const AUDIT_EVENTS_MIGRATION: readonly string[] = [
  `CREATE TABLE audit_events (
     id bigserial PRIMARY KEY,
     occurred_at timestamptz NOT NULL,
     instance_id text NOT NULL,
     request_id text NOT NULL,
     actor_kind text NOT NULL,
     actor text NOT NULL,
     identity jsonb NOT NULL,
     operation_name text,
     field text NOT NULL,
     input jsonb,
     upstream jsonb NOT NULL,
     outcome text NOT NULL,
     codes jsonb NOT NULL,
     refusal text,
     resource_ids jsonb NOT NULL,
     dry_run jsonb
   )`,
  'CREATE INDEX audit_events_newest ON audit_events (occurred_at DESC, id DESC)',
  'CREATE INDEX audit_events_actor ON audit_events (actor, occurred_at DESC, id DESC)',
  'CREATE INDEX audit_events_instance ON audit_events (instance_id)',
  'CREATE INDEX audit_events_resources ON audit_events USING gin (resource_ids jsonb_path_ops)',
];
