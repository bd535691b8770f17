import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { NOW, call, get, post, start } from './helpers.js';

const ORG_ID = FIXTURE_IDS.organization;
const SECOND_KEY = 'sk-ant-admin01-second-caller-key';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ credentials: { admin: DEFAULT_SANDBOX_KEY, 'caller-2': SECOND_KEY } });
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.reset();
  sandbox.setLatency(0);
  sandbox.setRateLimit(null);
  sandbox.clearRequests();
});

describe('authentication and headers', () => {
  it('accepts x-api-key and Authorization: Bearer', async () => {
    const viaKey = await get(sandbox, '/v1/organizations/me');
    const viaBearer = await call(sandbox, 'GET', '/v1/organizations/me', {
      rawHeaders: { authorization: `Bearer ${SECOND_KEY}`, 'anthropic-version': '2026-10-21' },
    });
    expect(viaKey.status).toBe(200);
    expect(viaBearer.status).toBe(200);
    expect(viaKey.body).toEqual({ id: ORG_ID, name: 'Northwind Robotics', type: 'organization' });
    expect(sandbox.requests.map((r) => r.credential)).toEqual(['admin', 'caller-2']);
  });

  it.each([
    ['missing', { 'anthropic-version': '2023-06-01' }],
    ['unknown key', { 'x-api-key': 'sk-ant-admin01-nope', 'anthropic-version': '2023-06-01' }],
    ['unknown bearer', { authorization: 'Bearer nope', 'anthropic-version': '2023-06-01' }],
    [
      'non-bearer scheme',
      { authorization: `Basic ${DEFAULT_SANDBOX_KEY}`, 'anthropic-version': '1' },
    ],
  ])('answers 401 for a %s credential without echoing it', async (_, rawHeaders) => {
    const answer = await call(sandbox, 'GET', '/v1/organizations/users', { rawHeaders });
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe('error');
    expect(answer.body.error.type).toBe('authentication_error');
    const text = JSON.stringify(answer.body) + JSON.stringify([...answer.headers]);
    expect(text).not.toContain('nope');
    expect(text).not.toContain(DEFAULT_SANDBOX_KEY);
    expect(sandbox.requests.at(-1)?.credential).toBeNull();
  });

  it('requires anthropic-version', async () => {
    const answer = await call(sandbox, 'GET', '/v1/organizations/me', {
      rawHeaders: { 'x-api-key': DEFAULT_SANDBOX_KEY },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error' });
    expect(answer.body.error.message).toContain('anthropic-version');
  });

  it('sends unique request ids matching the error body, and the organization id', async () => {
    const ok = await get(sandbox, '/v1/organizations/me');
    const missing = await get(sandbox, '/v1/organizations/users/user_01doesnotexist');
    const unauthorised = await call(sandbox, 'GET', '/v1/organizations/me', { rawHeaders: {} });
    const ids = [ok, missing, unauthorised].map((a) => a.headers.get('request-id'));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^req_01[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(missing.status).toBe(404);
    expect(missing.body.request_id).toBe(missing.headers.get('request-id'));
    expect(unauthorised.body.request_id).toBe(unauthorised.headers.get('request-id'));
    for (const a of [ok, missing, unauthorised]) {
      expect(a.headers.get('anthropic-organization-id')).toBe(ORG_ID);
      expect(a.headers.get('content-type')).toBe('application/json');
    }
  });

  it('answers 404 for unknown paths and odd ids, 405 for wrong methods', async () => {
    for (const path of [
      '/v1/organizations/nothing',
      '/v1/organizations/users/..%2F..%2Fme',
      '/v1/organizations/users/%2e%2e',
      '/v1/organizations/users/a%2Fb',
      '/v1/organizations/users/%E0%A4%A',
      '/v1/organizations/workspaces/..%2F/members/x',
      '/v1/organizations/api_keys/%00',
      '/v1/organizations/users/',
    ]) {
      const answer = await get(sandbox, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.type).toBe('not_found_error');
    }
    const wrongMethod = await call(sandbox, 'DELETE', '/v1/organizations/me');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.type).toBe('invalid_request_error');
  });

  it('rejects bodies that are not JSON objects', async () => {
    const path = `/v1/organizations/users/${FIXTURE_IDS.userUser}`;
    expect((await call(sandbox, 'POST', path, { body: '{not json' })).status).toBe(400);
    expect((await call(sandbox, 'POST', path, { body: [1, 2] })).status).toBe(400);
    const extra = await post(sandbox, path, { role: 'developer', colour: 'blue' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('colour');
  });
});

describe('request recording', () => {
  it('records method, decoded path, raw query keys, body, status, id and credential name', async () => {
    await get(
      sandbox,
      '/v1/organizations/users?limit=2&roles[]=admin&roles%5B%5D=user&email=a%40b.c',
    );
    const update = await post(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}`, {
      role: 'developer',
    });
    await get(sandbox, '/v1/organizations/users/user%5F01nobody');
    expect(sandbox.requests).toHaveLength(3);
    const [list, write, missing] = sandbox.requests;
    expect(list).toMatchObject({
      method: 'GET',
      path: '/v1/organizations/users',
      query: { limit: ['2'], 'roles[]': ['admin', 'user'], email: ['a@b.c'] },
      body: null,
      status: 200,
      credential: 'admin',
    });
    expect(write).toMatchObject({
      method: 'POST',
      body: { role: 'developer' },
      status: 200,
      requestId: update.headers.get('request-id'),
    });
    expect(missing).toMatchObject({ path: '/v1/organizations/users/user_01nobody', status: 404 });
    expect(list?.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.stringify(sandbox.requests)).not.toContain(DEFAULT_SANDBOX_KEY);
    sandbox.clearRequests();
    expect(sandbox.requests).toHaveLength(0);
  });

  it('does not record control routes', async () => {
    await fetch(`${sandbox.url}/_sandbox/config`);
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('knobs', () => {
  it('exposes and switches latency and rate limit over HTTP', async () => {
    const initial = await fetch(`${sandbox.url}/_sandbox/config`);
    expect(await initial.json()).toEqual({ latencyMs: 0, rateLimitPerMinute: null });
    const set = await fetch(`${sandbox.url}/_sandbox/config`, {
      method: 'POST',
      body: JSON.stringify({ latencyMs: 5, rateLimitPerMinute: 50 }),
    });
    expect(await set.json()).toEqual({ latencyMs: 5, rateLimitPerMinute: 50 });
    const invalid = await fetch(`${sandbox.url}/_sandbox/config`, {
      method: 'POST',
      body: JSON.stringify({ latencyMs: -1 }),
    });
    expect(invalid.status).toBe(400);
    sandbox.setLatency(0);
    const after = await fetch(`${sandbox.url}/_sandbox/config`);
    expect(await after.json()).toEqual({ latencyMs: 0, rateLimitPerMinute: 50 });
    expect((await get(sandbox, '/v1/organizations/me')).status).toBe(200);
  });

  it('still answers correctly with latency switched on', async () => {
    sandbox.setLatency(1);
    const answer = await get(sandbox, '/v1/organizations/me');
    expect(answer.status).toBe(200);
  });

  it('answers 429 with an integer retry-after past the per-minute limit', async () => {
    sandbox.setRateLimit(3);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await get(sandbox, '/v1/organizations/me');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.body.error.type).toBe('rate_limit_error');
    expect(last?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(Number(last?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    sandbox.setRateLimit(null);
    expect((await get(sandbox, '/v1/organizations/me')).status).toBe(200);
  });

  it('counts the limit per organization across credentials, and can be set at start', async () => {
    const limited = await start({
      rateLimitPerMinute: 1,
      credentials: { a: 'secret-a', b: 'secret-b' },
    });
    try {
      const first = await call(limited, 'GET', '/v1/organizations/me', {
        rawHeaders: { 'x-api-key': 'secret-a', 'anthropic-version': '2023-06-01' },
      });
      const second = await call(limited, 'GET', '/v1/organizations/me', {
        rawHeaders: { 'x-api-key': 'secret-b', 'anthropic-version': '2023-06-01' },
      });
      expect([first.status, second.status]).toEqual([200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('plays injected faults once (or n times), matched by method and path', async () => {
    sandbox.injectFault({ path: '/v1/organizations/users', status: 529 });
    sandbox.injectFault({
      method: 'GET',
      path: /\/workspaces$/,
      status: 429,
      retryAfter: 7,
      times: 2,
    });
    sandbox.injectFault({ method: 'POST', status: 409, message: 'busy' });

    const overloaded = await get(sandbox, '/v1/organizations/users');
    expect(overloaded.status).toBe(529);
    expect(overloaded.body).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(overloaded.body.request_id).toBe(overloaded.headers.get('request-id'));
    expect((await get(sandbox, '/v1/organizations/users')).status).toBe(200);

    for (let i = 0; i < 2; i++) {
      const limited = await get(sandbox, '/v1/organizations/workspaces');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
    }
    expect((await get(sandbox, '/v1/organizations/workspaces')).status).toBe(200);

    const conflict = await post(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}`, {
      role: 'developer',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toEqual({ type: 'conflict_error', message: 'busy' });
    expect((await get(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}`)).body.role).toBe(
      'user',
    );
    expect(sandbox.requests.map((r) => r.status)).toEqual([529, 200, 429, 429, 200, 409, 200]);
  });

  it('resets the data over HTTP', async () => {
    await post(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}`, { role: 'developer' });
    const reset = await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const user = await get(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}`);
    expect(user.body.role).toBe('user');
    const unknown = await fetch(`${sandbox.url}/_sandbox/nothing`);
    expect(unknown.status).toBe(404);
  });
});

describe('SDK compatibility', () => {
  it('serves the official SDK over HTTP', async () => {
    const client = new Anthropic({
      apiKey: DEFAULT_SANDBOX_KEY,
      baseURL: sandbox.url,
      defaultHeaders: { 'anthropic-version': '2023-06-01' },
      maxRetries: 0,
    });
    const page = await client.beta.organization.users.list({
      limit: 5,
      roles: ['admin', 'developer'],
    });
    expect(page.data).toHaveLength(5);
    for (const user of page.data) expect(['admin', 'developer']).toContain(user.role);
    const recorded = sandbox.requests.at(-1);
    expect(recorded?.query['roles[]']).toEqual(['admin', 'developer']);
    expect(recorded?.credential).toBe('admin');

    const all = [];
    for await (const user of client.beta.organization.users.list({ limit: 100 })) all.push(user);
    expect(all).toHaveLength(300);
  });
});

describe('determinism', () => {
  it('two sandboxes with the same now serve identical data', async () => {
    const other = await start();
    try {
      for (const path of [
        '/v1/organizations/users?limit=1000',
        '/v1/organizations/invites?limit=1000',
        '/v1/organizations/workspaces?limit=1000&include_archived=true',
        '/v1/organizations/api_keys?limit=1000',
        `/v1/organizations/workspaces/${FIXTURE_IDS.productionWorkspace}/members?limit=1000`,
      ]) {
        const [a, b] = await Promise.all([get(sandbox, path), get(other, path)]);
        expect(JSON.stringify(a.body)).toBe(JSON.stringify(b.body));
      }
    } finally {
      await other.close();
    }
  });

  it('moves every seeded timestamp with now', async () => {
    const later = await start({ now: new Date(NOW.getTime() + 86_400_000) });
    try {
      const here = await get(sandbox, `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`);
      const there = await get(later, `/v1/organizations/invites/${FIXTURE_IDS.pendingInvite}`);
      expect(there.body.status).toBe('pending');
      expect(Date.parse(there.body.invited_at) - Date.parse(here.body.invited_at)).toBe(86_400_000);
    } finally {
      await later.close();
    }
  });
});
