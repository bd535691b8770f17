import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Database } from '../../src/db/database.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { RunningGateway } from '../support/harness.js';
import {
  SANDBOX_LIMIT,
  emails,
  finished,
  follow,
  gatewayOn,
  gql,
  inviteWrites,
  startInvites,
  until,
  upstream429s,
} from './helpers.js';

const READER = 'bulk-reader-token-0123456789abcdef';
const ADMIN = 'bulk-admin-token-0123456789abcdefg';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let sandbox: Sandbox;
let database: Database;
let g: RunningGateway;
beforeAll(async () => {
  sandbox = await startSandbox(SANDBOX_LIMIT);
  database = await freshDatabase();
  g = await gatewayOn(sandbox, async () => database, {
    auth: {
      mode: 'token',
      tokens: [
        { name: 'dashboards', token: READER, scopes: ['read'] },
        { name: 'onboarding-script', token: ADMIN, scopes: ['admin'] },
      ],
    },
  });
}, 60_000);
afterAll(async () => {
  await g.close();
  await sandbox.close();
  await database.close();
});

describe('a bulk job paced within the budget', () => {
  it('300 items against a sandbox limited to 100 per window: 0 upstream 429s, each applied once, interactive readers served', async () => {
    const list = emails(300, 'paced');
    const id = await startInvites(g.endpoint, list, bearer(ADMIN));

    // Meanwhile a reader keeps querying, one upstream request per query, and is never refused:
    // the job leaves the reader's room in the budget free (no waiting allowed: maxWait 0).
    const codes: unknown[] = [];
    let readerQueries = 0;
    const first = await follow(g.endpoint, id, bearer(ADMIN));
    expect(first.total).toBe(300);
    // At half of 100 per second, 300 items take about 6 s: the estimate says so.
    expect(first.estimatedSecondsLeft).toBeGreaterThanOrEqual(5);
    expect(first.estimatedSecondsLeft).toBeLessThanOrEqual(6);
    const done = await until(
      async () => {
        const reader = await gql(g.endpoint, '{ organization { name } }', {}, bearer(READER));
        readerQueries++;
        codes.push(reader.errors?.[0]?.extensions?.['code'] ?? 'ok');
        await new Promise((resolve) => setTimeout(resolve, 40));
        return follow(g.endpoint, id, bearer(ADMIN));
      },
      finished,
      60_000,
    );
    expect(done).toMatchObject({ status: 'SUCCEEDED', done: 300, failed: 0, left: 0 });
    expect(done.estimatedSecondsLeft).toBe(0);
    expect(readerQueries).toBeGreaterThan(20);
    expect(codes.filter((code) => code !== 'ok')).toEqual([]);
    expect(upstream429s(sandbox)).toBe(0);
    const writes = inviteWrites(sandbox);
    expect(writes.size).toBe(300);
    expect([...writes.values()].every((count) => count === 1)).toBe(true);
    expect(list.every((email) => writes.get(email) === 1)).toBe(true);
    // The stored items carry the Admin API's request ids.
    const [row] = await database.query<{ n: string }>(
      `SELECT count(*) AS n FROM bulk_items WHERE operation_id = $1 AND upstream_request_id IS NOT NULL`,
      [id],
    );
    expect(Number(row!.n)).toBe(300);
  }, 90_000);
});
