import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/sandbox/index.js';
import { startGateway, type Gateway } from './helpers.js';
import { MUTATIONS, payloadOf } from './table.js';

/**
 * A write whose answer is lost may have been applied. The gateway reads back once and answers
 * with the real outcome; when the read cannot tell, the error says UPSTREAM_OUTCOME_UNKNOWN.
 */

/** Faults after which the write took effect but its answer never arrived intact. */
const ANSWER_LOST: { name: string; fault: FaultSpec }[] = [
  { name: 'reset after the write', fault: { kind: 'reset', handle: true } },
  { name: 'timeout after the write', fault: { kind: 'timeout', handle: true } },
  { name: 'malformed answer after the write', fault: { kind: 'malformed', handle: true } },
];

/** Faults that lose the request after it was sent, without the write taking effect. */
const NOT_APPLIED: { name: string; fault: FaultSpec }[] = [
  { name: 'reset before the write', fault: { kind: 'reset', handle: false } },
  { name: 'timeout before the write', fault: { kind: 'timeout', handle: false } },
];

interface ErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

let g: Gateway;
beforeAll(async () => {
  // A live sandbox clock (no fixed anchor): created objects carry the time they were created, as
  // upstream, so that "created after the call started" can be read back. The circuit breaker is
  // off so that one case's faults do not fail the next case fast.
  g = await startGateway({
    sandbox: { now: undefined },
    config: { upstreamTimeoutMs: 400, circuitResetMs: 0, upstreamMaxRetries: 0 },
  });
});
afterAll(() => g.close());
beforeEach(() => {
  g.h.sandbox.reset();
  g.h.resetCounts();
});

describe.each(MUTATIONS)('$name', (mutation) => {
  it.each(ANSWER_LOST)('$name: read back once, answers with the real outcome', async (c) => {
    g.h.sandbox.injectFault({ ...c.fault, method: mutation.method, path: mutation.path });
    const { body } = await g.post(mutation.document, { input: mutation.input });
    expect(body.errors, JSON.stringify(body)).toBeUndefined();
    const payload = payloadOf(body, mutation.name);
    expect(payload.userErrors).toEqual([]);
    expect(payload[mutation.result]).not.toBeNull();
    // Exactly one write, then reads only (the read-back), never a second write.
    const writes = g.writes();
    expect(writes.map((r) => [r.method, r.path])).toEqual([[mutation.method, mutation.path]]);
    const calls = g.calls();
    expect(calls[0]).toMatchObject({ method: mutation.method, path: mutation.path });
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.slice(1).every((call) => call.method === 'GET')).toBe(true);
  });

  it.each(NOT_APPLIED)('$name: UPSTREAM_OUTCOME_UNKNOWN, read before retrying', async (c) => {
    g.h.sandbox.injectFault({ ...c.fault, method: mutation.method, path: mutation.path });
    const { body } = await g.post(mutation.document, { input: mutation.input });
    expect(body.errors, JSON.stringify(body)).toHaveLength(1);
    const error = body.errors![0] as ErrorBody;
    expect(error.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
    expect(error.message).toMatch(/may have been made/);
    expect(error.message).toMatch(/read .* before retrying/i);
    expect(g.writes()).toHaveLength(1);
  });
});

describe('nothing was sent: no doubt about the outcome', () => {
  it('budget spent: RATE_LIMITED, no write', async () => {
    const budget = await startGateway({
      config: { upstreamRateLimitPerMinute: 1, upstreamBudgetMaxWaitMs: 0 },
    });
    try {
      // One request a minute: of these writes, the budget lets at most one through; the ones it
      // refuses are RATE_LIMITED, and for those nothing was sent.
      const cases = MUTATIONS.filter((m) =>
        ['updateUser', 'updateWorkspace', 'updateApiKey'].includes(m.name),
      );
      const codes: unknown[] = [];
      for (const mutation of cases) {
        const { body } = await budget.post(mutation.document, { input: mutation.input });
        codes.push(body.errors?.[0]?.extensions?.['code'] ?? 'ok');
      }
      expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
      expect(codes).not.toContain('UPSTREAM_OUTCOME_UNKNOWN');
      expect(budget.writes()).toHaveLength(codes.filter((code) => code !== 'RATE_LIMITED').length);
    } finally {
      await budget.close();
    }
  });

  it('connection refused: UPSTREAM_UNAVAILABLE', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const refused = await startGateway({
      config: { upstreamBaseUrl: `http://127.0.0.1:${port}`, upstreamMaxRetries: 0 },
    });
    try {
      const mutation = MUTATIONS.find((m) => m.name === 'updateUser')!;
      const { body } = await refused.post(mutation.document, { input: mutation.input });
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await refused.close();
    }
  });
});
