import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';

/** Something SQL can be sent to: the database itself, or one transaction of it. */
export interface Queryable {
  /** Runs one statement with `$1`-style parameters and answers its rows. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
}

/**
 * The gateway's database: PGlite (PostgreSQL compiled to WASM, in-process) by default, or a
 * PostgreSQL server when DATABASE_URL is set, which is what replicas share. One SQL dialect and
 * one set of migrations serve both.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string (DATABASE_URL); PGlite when absent. */
  url?: string;
  /** PGlite's data directory (DATABASE_DIR); in memory when absent (lost on restart). */
  dir?: string;
}

/** A key for the migrations' advisory lock, so that replicas starting together migrate once. */
const MIGRATION_LOCK = 0x61646d67;

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const database = options.url ? postgres(options.url) : await pglite(options.dir);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * PGlite's module, loaded when a database is first opened: importing it costs some 50 MiB of
 * memory, which a gateway that never writes (or uses DATABASE_URL) should not pay.
 */
const pgliteModule = () => import('@electric-sql/pglite');

async function pglite(dir: string | undefined): Promise<Database> {
  const { PGlite } = await pgliteModule();
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  return fromPGlite(db);
}

function fromPGlite(db: PGlite): Database {
  // PGlite has one connection: statements are queued, transactions are exclusive.
  return {
    kind: 'pglite',
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<Row>(sql, [...params])).rows;
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<Row>(sql, [...params])).rows;
          },
        }),
      ),
    close: () => db.close(),
  };
}

function postgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, [...params])).rows as Row[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
            return (await client.query(sql, [...params])).rows as Row[];
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Applies the migrations not yet applied, in order, each in its own transaction, under an
 * advisory lock so that replicas starting at once do not race.
 */
export async function migrate(database: Database): Promise<string[]> {
  return database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((row) => row.id),
    );
    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return applied;
  });
}

/**
 * A migrated in-memory PGlite, opened once per process, that `freshDatabase` copies: opening
 * PGlite costs seconds, a copy of an open one a fraction of that.
 */
let template: Promise<PGlite> | undefined;

/** A new, empty, migrated in-memory database (for tests and sandbox mode). */
export async function freshDatabase(): Promise<Database> {
  const { PGlite } = await pgliteModule();
  template ??= (async () => {
    const db = await PGlite.create();
    await migrate(fromPGlite(db));
    return db;
  })();
  const copy = await PGlite.create({ loadDataDir: await (await template).dumpDataDir('none') });
  return fromPGlite(copy);
}
