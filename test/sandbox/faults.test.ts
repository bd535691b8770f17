import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { HEADERS, get, post, start } from './helpers.js';

const USERS = '/v1/organizations/users';
const WORKSPACES = '/v1/organizations/workspaces';
const USER_PATH = `${USERS}/${FIXTURE_IDS.userUser}`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.reset();
  sandbox.clearRequests();
});

/** A raw request: its status and body text, or how the connection failed. */
function raw(
  method: string,
  path: string,
  timeoutMs: number,
  body?: string,
): Promise<{ status: number; text: string } | { failure: 'timeout' | 'reset' }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      `${sandbox.url}${path}`,
      {
        method,
        headers: {
          ...HEADERS,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ failure: 'timeout' });
    });
    req.on('error', () => resolve({ failure: 'reset' }));
    req.end(body);
  });
}

async function control(method: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('fault kinds', () => {
  it('status: an error answer, with retry-after by default for 429 and none with null', async () => {
    sandbox.injectFault({ kind: 'status', path: USERS, status: 503, retryAfter: 4 });
    sandbox.injectFault({ path: USERS, status: 429 });
    sandbox.injectFault({ path: USERS, status: 429, retryAfter: null });
    const unavailable = await get(sandbox, USERS);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('4');
    const limited = await get(sandbox, USERS);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    const bare = await get(sandbox, USERS);
    expect([bare.status, bare.headers.get('retry-after')]).toEqual([429, null]);
    expect(bare.body.error.type).toBe('rate_limit_error');
    expect((await get(sandbox, USERS)).status).toBe(200);
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([
      [503, 'status'],
      [429, 'status'],
      [429, 'status'],
      [200, undefined],
    ]);
  });

  it('latency: waits delayMs, then answers normally', async () => {
    sandbox.injectFault({ kind: 'latency', path: USERS, delayMs: 150 });
    const started = performance.now();
    const slow = await get(sandbox, USERS);
    const elapsed = performance.now() - started;
    expect(slow.status).toBe(200);
    expect(slow.body.data.length).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([[200, 'latency']]);
  });

  it('timeout: never answers; the request is recorded but not carried out', async () => {
    sandbox.injectFault({ kind: 'timeout', method: 'POST', path: USER_PATH });
    const outcome = await raw('POST', USER_PATH, 300, JSON.stringify({ role: 'developer' }));
    expect(outcome).toEqual({ failure: 'timeout' });
    expect(sandbox.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['POST', 0, 'timeout'],
    ]);
    expect((await get(sandbox, USER_PATH)).body.role).toBe('user');
  });

  it('reset: destroys the connection without an answer', async () => {
    sandbox.injectFault({ kind: 'reset', path: USERS, times: 2 });
    expect(await raw('GET', USERS, 5_000)).toEqual({ failure: 'reset' });
    await expect(get(sandbox, USERS)).rejects.toThrow();
    expect((await get(sandbox, USERS)).status).toBe(200);
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([
      [0, 'reset'],
      [0, 'reset'],
      [200, undefined],
    ]);
  });

  it('a timeout or reset with handle: true carries out the request and loses the answer', async () => {
    sandbox.injectFault({ kind: 'reset', method: 'POST', path: USER_PATH, handle: true });
    expect(await raw('POST', USER_PATH, 5_000, JSON.stringify({ role: 'developer' }))).toEqual({
      failure: 'reset',
    });
    expect((await get(sandbox, USER_PATH)).body.role).toBe('developer');
  });

  it('malformed: 200 with a body that is not JSON; the request is carried out', async () => {
    sandbox.injectFault({ kind: 'malformed', method: 'POST', path: USER_PATH });
    const outcome = await raw('POST', USER_PATH, 5_000, JSON.stringify({ role: 'developer' }));
    expect(outcome).toMatchObject({ status: 200 });
    const text = (outcome as { text: string }).text;
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect((await get(sandbox, USER_PATH)).body.role).toBe('developer');
    expect(sandbox.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['POST', 200, 'malformed'],
      ['GET', 200, undefined],
    ]);
  });

  it('matches by method and regex, n times, and leaves other endpoints alone', async () => {
    sandbox.injectFault({ kind: 'malformed', method: 'GET', path: /\/workspaces$/, times: 2 });
    expect((await get(sandbox, USERS)).status).toBe(200);
    expect((await post(sandbox, WORKSPACES, { name: 'Fresh' })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect(await raw('GET', WORKSPACES, 5_000)).toMatchObject({ status: 200 });
      expect(sandbox.requests.at(-1)?.fault).toBe('malformed');
    }
    expect((await get(sandbox, WORKSPACES)).body.data).toBeInstanceOf(Array);
  });

  it('refuses bad specs', () => {
    expect(() => sandbox.injectFault({ kind: 'latency' })).toThrow(/delayMs/);
    expect(() => sandbox.injectFault({ kind: 'status', status: 200 })).toThrow(/400-599/);
    expect(() => sandbox.injectFault({ kind: 'reset', times: 0 })).toThrow(/times/);
    expect(() => sandbox.injectFault({ kind: 'nope' as 'reset' })).toThrow(/kind/);
    expect(() => sandbox.injectFault({ status: 429, retryAfter: -1 })).toThrow(/retryAfter/);
  });
});

describe('POST and DELETE /_sandbox/faults', () => {
  it('queues faults from JSON, with a string or regex path, and lists them', async () => {
    const added = await control('POST', [
      { kind: 'status', method: 'GET', path: USERS, status: 500, times: 2 },
      { kind: 'malformed', path: { regex: 'workspaces$' } },
    ]);
    expect(added.status).toBe(200);
    expect(added.body['faults']).toEqual([
      { kind: 'status', method: 'GET', path: USERS, status: 500, times: 2, remaining: 2 },
      { kind: 'malformed', path: { regex: 'workspaces$', flags: '' }, remaining: 1 },
    ]);
    expect((await get(sandbox, USERS)).status).toBe(500);
    expect(await raw('GET', WORKSPACES, 5_000)).toMatchObject({ status: 200 });
    expect(sandbox.requests.map((r) => r.fault)).toEqual(['status', 'malformed']);
    const left = await control('GET');
    expect(left.body['faults']).toEqual([
      expect.objectContaining({ kind: 'status', remaining: 1 }),
    ]);
  });

  it('a single object works too; retryAfter null omits the header', async () => {
    await control('POST', { path: USERS, status: 429, retryAfter: null });
    const limited = await get(sandbox, USERS);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, null]);
  });

  it('DELETE drops every queued fault', async () => {
    await control('POST', { kind: 'reset', path: USERS, times: 5 });
    const cleared = await control('DELETE');
    expect(cleared).toEqual({ status: 200, body: { type: 'sandbox_faults', faults: [] } });
    expect((await get(sandbox, USERS)).status).toBe(200);
  });

  it.each([
    ['not JSON', '{"kind":'],
    ['an unknown kind', { kind: 'explode' }],
    ['an unknown field', { kind: 'reset', sometimes: true }],
    ['a bad regex', { kind: 'reset', path: { regex: '(' } }],
    ['a path of the wrong type', { kind: 'reset', path: 7 }],
    ['a status fault without a status', { kind: 'status' }],
    ['a latency fault without delayMs', { kind: 'latency' }],
  ])('refuses %s with 400 and queues nothing', async (_, body) => {
    // A valid fault first: a bad one anywhere in the list must keep the whole list out.
    const payload = typeof body === 'string' ? body : [{ kind: 'reset', path: USERS }, body];
    const answer = await control('POST', payload);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await control('GET')).body['faults']).toEqual([]);
  });

  it('answers 405 for other methods', async () => {
    expect((await control('PUT')).status).toBe(405);
  });
});
