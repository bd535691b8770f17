import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  ADMIN_TOKEN,
  TOKEN_AUTH,
  UPDATE_KEY,
  WRITER_TOKEN,
  bearer,
  post,
  rowsOf,
} from './helpers.js';

const KEY = FIXTURE_IDS.activeApiKey;
const KEY_PATH = `/v1/organizations/api_keys/${KEY}`;
const MISSING_KEY = 'apikey_01ZZZZZZZZZZZZZZZZZZZZZZ';
const LEAK = 'sk-ant-admin01-pasted-by-mistake-ZZZZZZZZZZZZZZZZZZZZZZZZ';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // Aliased writes beyond three are refused by the cost limit.
    config: { auth: TOKEN_AUTH, maxUpstreamRequestsPerOperation: 3, auditReads: true },
  });
  await h.gateway.database(); // opening PGlite takes seconds: not within a test's time
}, 60_000);
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

describe('an audit event for every mutation outcome', () => {
  it('ok: identity, input, the upstream request with its id, the touched key', async () => {
    const { body } = await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'renamed' } });
    expect(body.errors).toBeUndefined();
    const [row] = (await rowsOf(h)).slice(-1);
    const upstream = h.upstream();
    expect(upstream.map((r) => [r.method, r.path])).toEqual([['POST', KEY_PATH]]);
    expect(row).toMatchObject({
      field: 'Mutation.updateApiKey',
      operation_name: 'Rename',
      outcome: 'ok',
      actor: 'token:ops',
      actor_kind: 'token',
      identity: { kind: 'token', tokenName: 'ops' },
      input: { input: { apiKeyId: KEY, name: 'renamed' } },
      resource_ids: [KEY],
      codes: [],
    });
    expect(row!['upstream']).toEqual([
      {
        method: 'POST',
        path: KEY_PATH,
        status: 200,
        upstreamRequestId: expect.stringMatching(/.+/) as unknown,
      },
    ]);
  });

  it('user_errors: the codes', async () => {
    const { body } = await post(h, UPDATE_KEY, { input: { apiKeyId: MISSING_KEY, name: 'x' } });
    expect(JSON.stringify(body.data)).toContain('NOT_FOUND');
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({
      outcome: 'user_errors',
      codes: ['NOT_FOUND'],
      resource_ids: [MISSING_KEY],
    });
    expect((row!['upstream'] as { status: number }[])[0]?.status).toBe(404);
  });

  it('refused by scope: no upstream request, still recorded', async () => {
    const { body } = await post(
      h,
      UPDATE_KEY,
      { input: { apiKeyId: KEY, name: 'nope' } },
      bearer(WRITER_TOKEN),
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(h.upstream()).toEqual([]);
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({
      outcome: 'refused',
      refusal: 'scope',
      codes: ['FORBIDDEN'],
      actor: 'token:writer',
      upstream: [],
    });
  });

  it('refused by the cost limit: one event per root field, none sent', async () => {
    const fields = [1, 2, 3, 4]
      .map(
        (n) =>
          `k${n}: updateApiKey(input: { apiKeyId: "${KEY}", name: "n${n}" }) { userErrors { code } }`,
      )
      .join('\n');
    const before = (await rowsOf(h)).length;
    const { body } = await post(h, `mutation Many { ${fields} }`);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('OPERATION_TOO_EXPENSIVE');
    expect(h.upstream()).toEqual([]);
    const rows = (await rowsOf(h)).slice(before);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({
        field: 'Mutation.updateApiKey',
        outcome: 'refused',
        refusal: 'cost',
        codes: ['OPERATION_TOO_EXPENSIVE'],
      });
    }
  });

  it('refused by validation: recorded for an authenticated caller only', async () => {
    const invalid = `mutation Bad { updateApiKey(input: { apiKeyId: "${KEY}", bogus: 1 }) { userErrors { code } } }`;
    const before = (await rowsOf(h)).length;
    const anonymous = await post(h, invalid, {}, {});
    expect(anonymous.body.errors?.length).toBeGreaterThan(0);
    expect(await rowsOf(h)).toHaveLength(before);
    const { body } = await post(h, invalid);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const rows = (await rowsOf(h)).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      field: 'Mutation.updateApiKey',
      operation_name: 'Bad',
      outcome: 'refused',
      refusal: 'validation',
      actor: 'token:ops',
    });
    expect(h.upstream()).toEqual([]);
  });

  it('error: the code and the failed upstream request', async () => {
    h.sandbox.injectFault({ method: 'POST', path: KEY_PATH, status: 429, retryAfter: null });
    const { body } = await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'limited' } });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({ outcome: 'error', codes: ['RATE_LIMITED'] });
    expect(row!['upstream']).toMatchObject([{ method: 'POST', path: KEY_PATH, status: 429 }]);
  });

  it('outcome_unknown: the write and the read back', async () => {
    h.sandbox.injectFault({ kind: 'reset', handle: false, method: 'POST', path: KEY_PATH });
    const { body } = await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'lost' } });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({ outcome: 'outcome_unknown', codes: ['UPSTREAM_OUTCOME_UNKNOWN'] });
    const upstream = row!['upstream'] as { method: string; status: number | null }[];
    expect(upstream[0]).toMatchObject({ method: 'POST', status: null });
  });
});

describe('refused by the budget', () => {
  it('nothing sent: refused, not an upstream error', async () => {
    const limited = await startHarness({
      config: { auth: TOKEN_AUTH, upstreamRateLimitPerMinute: 1, upstreamBudgetMaxWaitMs: 0 },
    });
    try {
      await post(limited, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'first' } });
      limited.resetCounts();
      const { body } = await post(limited, UPDATE_KEY, {
        input: { apiKeyId: KEY, name: 'second' },
      });
      expect(body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
      expect(limited.upstream()).toEqual([]);
      const [row] = (await rowsOf(limited)).slice(-1);
      expect(row).toMatchObject({
        outcome: 'refused',
        refusal: 'budget',
        codes: ['RATE_LIMITED'],
        upstream: [],
      });
    } finally {
      await limited.close();
    }
  });
});

describe('redaction', () => {
  it('a key in an input and an upstream message echoing the admin key never reach a row', async () => {
    h.sandbox.injectFault({
      method: 'POST',
      path: KEY_PATH,
      status: 400,
      message: `name is invalid for x-api-key ${DEFAULT_SANDBOX_KEY}`,
    });
    const { body } = await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: LEAK } });
    expect(JSON.stringify(body)).not.toContain(DEFAULT_SANDBOX_KEY);
    const rows = await rowsOf(h);
    const text = JSON.stringify(rows);
    for (const secret of [LEAK, DEFAULT_SANDBOX_KEY, ADMIN_TOKEN, WRITER_TOKEN]) {
      expect(text).not.toContain(secret);
    }
    expect(rows.at(-1)).toMatchObject({
      outcome: 'user_errors',
      input: { input: { apiKeyId: KEY, name: '[redacted]' } },
    });
  });
});

describe('AUDIT_READS', () => {
  it('records a read of API keys, not a read of anything else', async () => {
    const before = (await rowsOf(h)).length;
    await post(h, `{ organization { id } }`);
    expect(await rowsOf(h)).toHaveLength(before);
    const { body } = await post(
      h,
      `query Keys { key: apiKey(id: "${KEY}") { ...K } } fragment K on ApiKey { name }`,
    );
    expect(body.errors).toBeUndefined();
    const rows = (await rowsOf(h)).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      field: 'Query.apiKey',
      operation_name: 'Keys',
      outcome: 'read',
      actor: 'token:ops',
      upstream: [{ method: 'GET', path: KEY_PATH, status: 200 }],
    });
  });
});
