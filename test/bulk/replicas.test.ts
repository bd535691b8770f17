import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startGateway, type RunningGateway } from '../support/harness.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import {
  PACED,
  SANDBOX_LIMIT,
  emails,
  finished,
  follow,
  inviteWrites,
  startInvites,
  until,
  upstream429s,
} from './helpers.js';

/** Two replicas on one PostgreSQL server (DATABASE_URL), each with its runner looking for jobs. */
let server: TestPostgres;
let sandbox: Sandbox;
let database: Database;
let a: RunningGateway;
let b: RunningGateway;
const closed = new Set<RunningGateway>();
beforeAll(async () => {
  server = await startTestPostgres();
  sandbox = await startSandbox(SANDBOX_LIMIT);
  const start = () => startGateway(sandbox, { ...PACED, databaseUrl: server.url });
  [a, b] = await Promise.all([start(), start()]);
  database = await openDatabase({ url: server.url });
}, 90_000);
afterAll(async () => {
  for (const g of [a, b]) if (g && !closed.has(g)) await g.close();
  await database?.close();
  await sandbox?.close();
  await server?.close();
});

describe('two replicas on one PostgreSQL database', () => {
  it('run a job once between them, and the survivor finishes it when one stops', async () => {
    const list = emails(100, 'replicas');
    const id = await startInvites(a.endpoint, list);
    const [running] = await until(
      () =>
        database.query<{ locked_by: string | null; done: string }>(
          `SELECT locked_by, (SELECT count(*) FROM bulk_items WHERE operation_id = $1 AND status = 'DONE') AS done
           FROM bulk_operations WHERE id = $1`,
          [id],
        ),
      (rows) => Number(rows[0]?.done ?? 0) >= 10,
    );
    // Exactly one runner holds the job; the holder stops, and the other takes it over.
    const holder = [a, b].find((g) => g.gateway.bulk?.id === running!.locked_by);
    expect(holder).toBeDefined();
    const survivor = holder === a ? b : a;
    closed.add(holder!);
    await holder!.close();
    const done = await until(() => follow(survivor.endpoint, id), finished);
    expect(done).toMatchObject({ status: 'SUCCEEDED', done: 100, failed: 0, left: 0 });
    const writes = inviteWrites(sandbox);
    expect(writes.size).toBe(100);
    expect(list.every((email) => writes.get(email) === 1)).toBe(true);
    expect(upstream429s(sandbox)).toBe(0);
    const [finishedRow] = await database.query<{ locked_by: string | null }>(
      'SELECT locked_by FROM bulk_operations WHERE id = $1',
      [id],
    );
    expect(finishedRow!.locked_by).toBeNull();
  }, 60_000);
});
