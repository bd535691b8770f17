import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Database } from '../../src/db/database.js';
import { DEFAULT_SANDBOX_KEY, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sseData } from '../live/helpers.js';
import type { RunningGateway } from '../support/harness.js';
import { SANDBOX_LIMIT, emails, gatewayOn, startInvites } from './helpers.js';

const PROGRESS = `subscription ($id: ID!) {
  bulkOperationProgress(id: $id) { id status total done failed left }
}`;

interface Progress {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  left: number;
}

/** Every event of one SSE subscription, read until the server ends the stream. */
async function allEvents(
  endpoint: string,
  variables: Record<string, unknown>,
): Promise<{ events: Progress[]; errors: unknown[] }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: PROGRESS, variables }),
  });
  const text = await response.text(); // resolves when the stream completes
  const events: Progress[] = [];
  const errors: unknown[] = [];
  for (const block of text.split('\n\n')) {
    const data = sseData(block);
    if (!data) continue;
    const body = JSON.parse(data) as {
      data?: { bulkOperationProgress: Progress };
      errors?: unknown[];
    };
    if (body.errors) errors.push(...body.errors);
    if (body.data?.bulkOperationProgress) events.push(body.data.bulkOperationProgress);
  }
  return { events, errors };
}

describe('bulkOperationProgress', () => {
  let sandbox: Sandbox;
  let database: Database;
  let g: RunningGateway;
  beforeAll(async () => {
    sandbox = await startSandbox({ ...SANDBOX_LIMIT, credentials: { admin: DEFAULT_SANDBOX_KEY } });
    database = await freshDatabase();
    g = await gatewayOn(sandbox, async () => database);
  }, 60_000);
  afterAll(async () => {
    await g?.close();
    await sandbox.close();
    await database.close();
  });

  it('follows a job from where it stands to its end, then ends the stream', async () => {
    const id = await startInvites(g.endpoint, emails(30, 'progress'));
    const { events, errors } = await allEvents(g.endpoint, { id });
    expect(errors).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last).toEqual({ id, status: 'SUCCEEDED', total: 30, done: 30, failed: 0, left: 0 });
    // Each event says something new, and the counts only move forward.
    for (let i = 1; i < events.length; i++) {
      expect(events[i]).not.toEqual(events[i - 1]);
      expect(events[i]!.done).toBeGreaterThanOrEqual(events[i - 1]!.done);
    }
    // A finished job: one event, then the end.
    const again = await allEvents(g.endpoint, { id });
    expect(again.events).toEqual([last]);
  }, 60_000);

  it('refuses an unknown id with BAD_USER_INPUT', async () => {
    const { events, errors } = await allEvents(g.endpoint, {
      id: 'bulkop_AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(events).toEqual([]);
    expect(errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
  });
});
