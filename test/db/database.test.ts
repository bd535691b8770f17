import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, migrate, openDatabase, type Database } from '../../src/db/database.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';

/** Both database modes run the same checks: one SQL dialect, one set of migrations. */
const modes: [string, () => Promise<{ database: Database; done: () => Promise<void> }>][] = [
  [
    'PGlite (embedded)',
    async () => {
      const database = await freshDatabase();
      return { database, done: () => database.close() };
    },
  ],
  [
    'PostgreSQL server',
    async () => {
      const server = await startTestPostgres();
      const database = await openDatabase({ url: server.url });
      return {
        database,
        done: async () => {
          await database.close();
          await server.close();
        },
      };
    },
  ],
];

describe.each(modes)('%s', (_name, open) => {
  let database: Database;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ database, done } = await open());
  }, 60_000);
  afterAll(() => done());

  it('has every migration applied, once, and applies nothing a second time', async () => {
    const rows = await database.query<{ id: string }>(
      'SELECT id FROM schema_migrations ORDER BY id',
    );
    expect(rows.map((row) => row.id)).toEqual(MIGRATIONS.map((m) => m.id).sort());
    expect(await migrate(database)).toEqual([]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await database.query('CREATE TABLE IF NOT EXISTS probe (n integer)');
    await database.transaction((tx) => tx.query('INSERT INTO probe (n) VALUES ($1)', [1]));
    await expect(
      database.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (n) VALUES ($1)', [2]);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const rows = await database.query<{ n: number }>('SELECT n FROM probe ORDER BY n');
    expect(rows).toEqual([{ n: 1 }]);
  });
});

describe('replicas starting at once on one PostgreSQL server', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(() => server.close());

  it('migrate once between them (an advisory lock), and both open', async () => {
    const both = await Promise.all([
      openDatabase({ url: server.url }),
      openDatabase({ url: server.url }),
    ]);
    try {
      const rows = await both[0].query<{ count: string }>(
        'SELECT count(*)::text AS count FROM schema_migrations',
      );
      expect(Number(rows[0]?.count)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(both.map((database) => database.close()));
    }
  });
});
