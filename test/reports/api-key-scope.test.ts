import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { OCTOBER } from './helpers.js';

/*
 * Without `api_keys:read` no report shows API key ids, names or whether a key exists: grouping or
 * filtering by API key, the fields that carry key ids or names, and references to ApiKey objects
 * are FORBIDDEN with the scope named, and a refused report spends no upstream request.
 */

const READ_TOKEN = 'report-reader-0000000000000000001';
const KEYS_TOKEN = 'report-key-reader-000000000000002';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const RANGE = `startingAt: "${OCTOBER.startingAt}", endingAt: "${OCTOBER.endingAt}"`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: {
        mode: 'token',
        tokens: [
          { name: 'reader', token: READ_TOKEN, scopes: ['read'] },
          { name: 'keys', token: KEYS_TOKEN, scopes: ['read', 'api_keys:read'] },
        ],
      },
    },
  });
});
afterAll(() => h.close());

type Body = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw GraphQL data
  data?: any;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
};

const run = async (query: string, token: string): Promise<Body> => {
  h.resetCounts();
  const { body } = await postGraphQL(h.endpoint, { query }, bearer(token));
  return body as Body;
};

/** Every error is FORBIDDEN and names the scope; the upstream paths requested. */
const expectForbidden = (body: Body) => {
  expect(body.errors?.length, JSON.stringify(body)).toBeGreaterThan(0);
  for (const error of body.errors ?? []) {
    expect(error.extensions?.['code']).toBe('FORBIDDEN');
    expect(error.message).toContain('api_keys:read');
  }
};

group('reports without api_keys:read', () => {
  it('refuse grouping by API key, before any upstream request', async () => {
    const query = `{ organization { messagesUsageReport(${RANGE}, groupBy: [API_KEY_ID], first: 3) { nodes { results { outputTokens } } } } }`;
    const body = await run(query, READ_TOKEN);
    expectForbidden(body);
    expect(body.data?.organization?.messagesUsageReport ?? null).toBeNull();
    expect(h.upstream()).toEqual([]);
    expect((await run(query, KEYS_TOKEN)).errors).toBeUndefined();
  });

  it('refuse filtering by API key, in the organization’s and a workspace’s report', async () => {
    const org = `{ organization { messagesUsageReport(${RANGE}, apiKeyIds: ["${FIXTURE_IDS.activeApiKey}"], first: 3) { nodes { startingAt } } } }`;
    expectForbidden(await run(org, READ_TOKEN));
    expect(h.upstream()).toEqual([]);
    const workspace = `{ workspace(id: "${FIXTURE_IDS.productionWorkspace}") { name usage(${RANGE}, groupBy: [API_KEY_ID], first: 3) { nodes { startingAt } } } }`;
    const body = await run(workspace, READ_TOKEN);
    expectForbidden(body);
    expect(body.data?.workspace?.name).toBeTruthy();
    expect(h.upstream().filter((r) => r.path.includes('usage_report'))).toEqual([]);
    expect((await run(workspace, KEYS_TOKEN)).errors).toBeUndefined();
  });

  it('refuse the key id and the ApiKey reference of a row, without looking the key up', async () => {
    const query = `{ organization { messagesUsageReport(${RANGE}, groupBy: [WORKSPACE_ID], first: 2) { nodes { results { outputTokens apiKeyId apiKey { __typename } } } } } }`;
    const body = await run(query, READ_TOKEN);
    expectForbidden(body);
    const paths = (body.errors ?? []).map((error) => error.path?.at(-1));
    expect(new Set(paths)).toEqual(new Set(['apiKeyId', 'apiKey']));
    expect(h.upstream().map((r) => r.path)).toEqual(['/v1/organizations/usage_report/messages']);
    const allowed = await run(query, KEYS_TOKEN);
    expect(allowed.errors).toBeUndefined();
  });

  it('refuse the key name of Claude Code API actors', async () => {
    const query = `{ organization { claudeCodeUsageReport(date: "2026-10-14", first: 1000) { nodes { actor { __typename ... on ClaudeCodeApiActor { apiKeyName } } } } } }`;
    const allowed = await run(query, KEYS_TOKEN);
    expect(allowed.errors).toBeUndefined();
    const names = JSON.stringify(allowed.data).match(/"apiKeyName":"[^"]+"/g) ?? [];
    expect(names.length).toBeGreaterThan(0);
    const body = await run(query, READ_TOKEN);
    expectForbidden(body);
    expect(JSON.stringify(body)).not.toMatch(/"apiKeyName":"/);
  });
});
