import { AUDIT_EVENTS_MIGRATION } from './audit-schema.js';
import { BULK_OPERATIONS_MIGRATION } from './bulk-schema.js';

/**
 * The database's schema, as migrations applied in this order and never edited once released:
 * a change is a new migration at the end. Each is a list of statements (no multi-statement
 * strings: the PostgreSQL driver sends parameters only with single statements).
 */
export interface Migration {
  /** Applied once, recorded in `schema_migrations` under this id. */
  id: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 'audit_events', statements: AUDIT_EVENTS_MIGRATION },
  { id: 'bulk_operations', statements: BULK_OPERATIONS_MIGRATION },
];
