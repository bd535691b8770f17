import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_IDS, type FaultSpec } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  TWO_BRANCHES,
  USERS_PATH,
  USERS_QUERY,
  WORKSPACES_PATH,
  codes,
  onlyError,
  originOf,
  query,
  send,
  writes,
} from './helpers.js';

/** Each fault class a read can meet, and the code it ends in when it does not go away. */
const READ_FAULTS: { name: string; fault: FaultSpec; code: string }[] = [
  {
    name: '500 without retry-after',
    fault: { status: 500, retryAfter: null },
    code: 'UPSTREAM_ERROR',
  },
  {
    name: '503 with retry-after',
    fault: { status: 503, retryAfter: 0 },
    code: 'UPSTREAM_UNAVAILABLE',
  },
  {
    name: '529 overloaded',
    fault: { status: 529, retryAfter: null },
    code: 'UPSTREAM_UNAVAILABLE',
  },
  { name: '429 with retry-after', fault: { status: 429, retryAfter: 0 }, code: 'RATE_LIMITED' },
  { name: 'timeout', fault: { kind: 'timeout' }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'connection reset', fault: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'malformed JSON', fault: { kind: 'malformed' }, code: 'UPSTREAM_UNAVAILABLE' },
];

const PRODUCTION = FIXTURE_IDS.productionWorkspace;
const RENAME = `mutation { updateWorkspace(input: { workspaceId: "${PRODUCTION}", name: "Renamed" }) { workspace { name } userErrors { code message } } }`;
const REMOVE_MEMBER = `mutation { removeWorkspaceMember(input: { workspaceId: "${PRODUCTION}", userId: "${FIXTURE_IDS.developerUser}" }) { userErrors { code message } } }`;
const WRITES = [
  {
    name: 'updateWorkspace (POST)',
    document: RENAME,
    method: 'POST',
    path: `${WORKSPACES_PATH}/${PRODUCTION}`,
  },
  {
    name: 'removeWorkspaceMember (DELETE)',
    document: REMOVE_MEMBER,
    method: 'DELETE',
    path: `${WORKSPACES_PATH}/${PRODUCTION}/members/${FIXTURE_IDS.developerUser}`,
  },
];
/** Write faults: the transport ones carry out the write and lose the answer, the worst case. */
const WRITE_FAULTS: { name: string; fault: FaultSpec }[] = [
  ...READ_FAULTS,
  { name: 'timeout after the write', fault: { kind: 'timeout', handle: true } },
  { name: 'reset after the write', fault: { kind: 'reset', handle: true } },
];

describe('fault classes, with upstreamMaxRetries: 2 and a 2 s upstream timeout', () => {
  // The timeout is what a `timeout` fault waits for. It is long enough that no answer of the
  // loopback sandbox outlasts it on a busy machine: a request that is only slow is never a fault.
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { upstreamMaxRetries: 2, upstreamTimeoutMs: 2_000 } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  describe.each(READ_FAULTS)('read: $name', ({ fault, code }) => {
    it('one fault: the read succeeds on its second attempt', async () => {
      h.sandbox.injectFault({ ...fault, method: 'GET', path: USERS_PATH, times: 1 });
      const answer = await query(h.endpoint, USERS_QUERY);
      expect(answer.body.errors, answer.text).toBeUndefined();
      expect(answer.body.data).toMatchObject({ organization: { users: { nodes: [{}, {}] } } });
      expect(h.upstream().map((r) => [r.path, r.fault ?? 'ok'])).toEqual([
        [USERS_PATH, fault.kind ?? 'status'],
        [USERS_PATH, 'ok'],
      ]);
    });

    it(`persistent faults: ${code} after exactly 1 + 2 attempts`, async () => {
      h.sandbox.injectFault({ ...fault, method: 'GET', path: USERS_PATH, times: 10 });
      const answer = await query(h.endpoint, USERS_QUERY);
      const error = onlyError(answer, code);
      expect(error.path).toEqual(['organization', 'users']);
      expect(h.upstream()).toHaveLength(3);
      expect(h.upstream().every((r) => r.path === USERS_PATH && r.fault)).toBe(true);
    });
  });

  describe.each(WRITES)('mutation $name', (write) => {
    it.each(WRITE_FAULTS)('$name: at most one upstream write, and an error', async ({ fault }) => {
      h.sandbox.injectFault({ ...fault, method: write.method, path: write.path, times: 10 });
      const answer = await query(h.endpoint, write.document);
      expect(writes(h).map((r) => [r.method, r.path])).toEqual([[write.method, write.path]]);
      const userErrors = Object.values(answer.body.data ?? {}).flatMap(
        (payload) => (payload as { userErrors?: unknown[] } | null)?.userErrors ?? [],
      );
      // A write that was carried out although its answer was lost is read back: the real outcome.
      const settled = fault.handle === true || fault.kind === 'malformed';
      if (settled) expect(answer.body.errors, answer.text).toBeUndefined();
      else expect(codes(answer.body).length + userErrors.length, answer.text).toBeGreaterThan(0);
      expect(answer.status).toBeLessThan(500);
    });

    it('latency within the timeout: one write, and it succeeds', async () => {
      h.sandbox.injectFault({
        kind: 'latency',
        delayMs: 50,
        method: write.method,
        path: write.path,
      });
      const answer = await query(h.endpoint, write.document);
      expect(answer.body.errors, answer.text).toBeUndefined();
      expect(writes(h)).toHaveLength(1);
    });
  });

  describe('partial failure: a fault on one branch leaves the other its data', () => {
    it.each<FaultSpec>([
      { status: 500 },
      { kind: 'reset' },
      { kind: 'malformed' },
      { kind: 'timeout' },
    ])('%o on workspaces', async (fault) => {
      h.sandbox.injectFault({ ...fault, method: 'GET', path: WORKSPACES_PATH, times: 10 });
      const answer = await query(h.endpoint, TWO_BRANCHES);
      expect(answer.status).toBe(200);
      const organization = answer.body.data?.['organization'] as Record<string, unknown>;
      expect(organization['users']).toMatchObject({ nodes: [{ id: expect.any(String) }, {}] });
      expect(organization['workspaces']).toBeNull();
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors?.[0]?.path).toEqual(['organization', 'workspaces']);
      expect(codes(answer.body)[0]).toMatch(/^UPSTREAM_(ERROR|UNAVAILABLE)$/);
      const paths = h.upstream().map((r) => r.path);
      expect(paths.filter((p) => p === USERS_PATH)).toHaveLength(1);
      expect(paths.filter((p) => p === WORKSPACES_PATH)).toHaveLength(3);
    });

    it('two root fields: the failing one is null with its error, the other has data', async () => {
      const user = FIXTURE_IDS.developerUser;
      h.sandbox.injectFault({
        method: 'GET',
        path: `${USERS_PATH}/${user}`,
        status: 500,
        times: 10,
      });
      const answer = await query(
        h.endpoint,
        `{ user(id: "${user}") { email } workspace(id: "${PRODUCTION}") { name } }`,
      );
      expect(answer.body.data).toEqual({ user: null, workspace: { name: 'Production' } });
      expect(answer.body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
        [['user'], 'UPSTREAM_ERROR'],
      ]);
    });
  });
});

describe('the read deadline stops retries early', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      // The first attempt has 1.9 s to answer before a 2 s wait no longer fits; a second wait
      // could not end before 4 s however fast the machine is.
      config: { upstreamMaxRetries: 5, upstreamReadDeadlineMs: 3_900 },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.resetCounts();
  });

  it('a retry-after of 2 s fits once into 3.9 s: 2 attempts of the 6 allowed', async () => {
    h.sandbox.injectFault({
      method: 'GET',
      path: USERS_PATH,
      status: 503,
      retryAfter: 2,
      times: 10,
    });
    const answer = await query(h.endpoint, USERS_QUERY);
    onlyError(answer, 'UPSTREAM_UNAVAILABLE');
    expect(h.upstream()).toHaveLength(2);
  });

  it('a retry-after longer than what is left: no retry at all', async () => {
    h.sandbox.injectFault({
      method: 'GET',
      path: USERS_PATH,
      status: 429,
      retryAfter: 4,
      times: 10,
    });
    const answer = await query(h.endpoint, USERS_QUERY);
    expect(onlyError(answer, 'RATE_LIMITED').extensions).toMatchObject({ retryAfter: 4 });
    expect(h.upstream()).toHaveLength(1);
  });
});

describe('circuit breaker (circuitResetMs: 1000)', () => {
  // A fresh gateway (and circuit) per test, so that neither depends on the state the other left.
  let h: Harness;
  const ready = async () => (await send(`${originOf(h.endpoint)}/ready`)).status;
  const start = async () => {
    h = await startHarness({ config: { circuitResetMs: 1_000, upstreamMaxRetries: 0 } });
  };
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  it('opens after 5 outages, sheds calls without upstream requests, and recovers', async () => {
    // The breaker's reset time (a setTimeout) and its 10 s window of counts (a setInterval) run on
    // fake timers, installed before the breaker exists: the circuit half-opens when the test moves
    // the clock on, and no count leaves the window, however slow the machine is between requests.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await start();
    expect(await ready()).toBe(200);
    h.sandbox.injectFault({ method: 'GET', path: USERS_PATH, status: 500, times: 1_000 });

    // Five failing attempts in a row open it (50 % of at least 5 within 10 s).
    for (let i = 0; i < 5; i++) {
      onlyError(await query(h.endpoint, USERS_QUERY), 'UPSTREAM_ERROR');
    }
    expect(h.upstream()).toHaveLength(5);
    expect(await ready()).toBe(503);

    // Open: every operation fails at once, and nothing reaches the Admin API.
    for (let i = 0; i < 3; i++) {
      const shed = onlyError(await query(h.endpoint, USERS_QUERY), 'UPSTREAM_UNAVAILABLE');
      expect(shed.extensions?.['upstreamErrorType']).toBe('circuit_open');
    }
    expect(h.upstream()).toHaveLength(5);
    vi.advanceTimersByTime(999);
    expect(await ready()).toBe(503);

    // After the reset time one trial goes out; it fails, so the circuit opens again.
    vi.advanceTimersByTime(1);
    expect(await ready()).toBe(200);
    onlyError(await query(h.endpoint, USERS_QUERY), 'UPSTREAM_ERROR');
    expect(h.upstream()).toHaveLength(6);
    onlyError(await query(h.endpoint, USERS_QUERY), 'UPSTREAM_UNAVAILABLE');
    expect(h.upstream()).toHaveLength(6);
    expect(await ready()).toBe(503);

    // The Admin API heals; the next trial succeeds and the circuit closes.
    const cleared = await fetch(`${h.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    vi.advanceTimersByTime(1_000);
    expect(await ready()).toBe(200);
    const trial = await query(h.endpoint, USERS_QUERY);
    expect(trial.body.errors, trial.text).toBeUndefined();
    expect(h.upstream()).toHaveLength(7);
    for (let i = 0; i < 3; i++) {
      expect((await query(h.endpoint, USERS_QUERY)).body.errors).toBeUndefined();
    }
    expect(h.upstream()).toHaveLength(10);
    expect(await ready()).toBe(200);
  });

  it('rate limits (429) do not open it', async () => {
    await start();
    h.sandbox.injectFault({
      method: 'GET',
      path: USERS_PATH,
      status: 429,
      retryAfter: 0,
      times: 8,
    });
    for (let i = 0; i < 8; i++) {
      onlyError(await query(h.endpoint, USERS_QUERY), 'RATE_LIMITED');
    }
    expect(h.upstream()).toHaveLength(8);
    expect(await ready()).toBe(200);
    expect((await query(h.endpoint, USERS_QUERY)).body.errors).toBeUndefined();
  });
});
