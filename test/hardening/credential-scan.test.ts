import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  FIXTURE_IDS,
  type FaultSpec,
} from '../../src/sandbox/index.js';
import type { GatewayConfig } from '../../src/config/config.js';
import { CALLER_KEY, startHarness, type Harness } from '../support/harness.js';
import {
  USERS_PATH,
  USERS_QUERY,
  distinctiveSlice,
  findSecrets,
  originOf,
  send,
  type Answer,
} from './helpers.js';

const TOKENS = [
  { name: 'reader', token: 'gw-reader-Hq2Jw7Ek4Rt9Yu3IoP6a', scopes: ['read'] },
  { name: 'admin', token: 'gw-admin-Zx8Cv5Bn1Mq4We7Rt2Yu', scopes: ['admin'] },
];
/** Keys no sandbox accepts: a caller's mistyped Admin key and OAuth token. */
const UNKNOWN_KEY = 'sk-ant-admin01-unknown-Q7mZp2Lx9Vt4Rk8Wc3Hn5Bd6Fy1Gs0Ja';
const UNKNOWN_BEARER = 'oauth-unknown-Tq4Ws8Yx2Zc6Vb1Nm5LkPp';
const UNKNOWN_TOKEN = 'gw-forged-Lm3Nb8Vc2Xz5Qa9Ws4Ed';
const SECRETS = [
  DEFAULT_SANDBOX_KEY,
  // The gateway's OAuth token (ANTHROPIC_OAUTH_TOKEN), sent upstream for service accounts.
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  CALLER_KEY,
  ...TOKENS.map((t) => t.token),
  UNKNOWN_KEY,
  UNKNOWN_BEARER,
  UNKNOWN_TOKEN,
];

const PRODUCTION = FIXTURE_IDS.productionWorkspace;
const SERVICE_ACCOUNTS_QUERY =
  '{ organization { serviceAccounts(first: 2) { nodes { id name } } } }';
const OPERATIONS = [
  USERS_QUERY,
  '{ organization { name apiKeys(first: 3) { nodes { id name partialKeyHint } } } }',
  `{ workspace(id: "${PRODUCTION}") { name members(first: 2) { nodes { role } } } }`,
  '{ rateLimit { cost remaining } }',
  SERVICE_ACCOUNTS_QUERY,
  `mutation { updateWorkspace(input: { workspaceId: "${PRODUCTION}", name: "Scanned" }) { workspace { name } userErrors { code message } } }`,
  `mutation { updateWorkspace(input: { workspaceId: "wrkspc_01missing", name: "x" }) { userErrors { code message } } }`,
  '{ user(id: "../../api_keys") { id } }',
  `{ ${'a { '.repeat(40)}b${' }'.repeat(40)} }`,
  '{ organization { users(first: "x") { nodes { id } } } }',
  '{ __schema { types { name } } }',
];
const FAULTS: FaultSpec[] = [
  { status: 500 },
  { status: 401 },
  { status: 429, retryAfter: 3 },
  { kind: 'malformed' },
  { kind: 'reset' },
];

/** Who calls in each mode: the gateway's tokens, the caller's own key, unknown ones, none. */
const CALLERS: Record<string, Record<string, string>[]> = {
  none: [
    {},
    { 'x-api-key': CALLER_KEY },
    { 'x-api-key': UNKNOWN_KEY },
    { authorization: `Bearer ${UNKNOWN_BEARER}` },
  ],
  forward: [
    { 'x-api-key': CALLER_KEY },
    { authorization: `Bearer ${CALLER_KEY}` },
    { 'x-api-key': UNKNOWN_KEY },
    { authorization: `Bearer ${UNKNOWN_BEARER}` },
    { authorization: `Basic ${UNKNOWN_KEY}` },
    {},
  ],
  token: [
    ...TOKENS.map((t) => ({ authorization: `Bearer ${t.token}` })),
    { authorization: `Bearer ${UNKNOWN_TOKEN}` },
    { authorization: `Bearer ${TOKENS[0]!.token}`, 'x-api-key': CALLER_KEY },
    { authorization: `Token ${UNKNOWN_TOKEN}` },
    { 'x-api-key': UNKNOWN_KEY },
  ],
};

const MODES: Record<string, Partial<GatewayConfig>> = {
  none: { auth: { mode: 'none' } },
  forward: { adminKey: undefined, auth: { mode: 'forward' } },
  token: { auth: { mode: 'token', tokens: TOKENS } },
};

interface Captured {
  label: string;
  text: string;
}

function capture(into: Captured[], label: string, answer: Answer): Answer {
  into.push({ label: `${label} body`, text: answer.text });
  for (const [name, value] of answer.headers) {
    into.push({ label: `${label} header`, text: `${name}: ${value}` });
  }
  return answer;
}

/** Runs the whole mix through one gateway and returns everything it emitted or sent upstream. */
async function exercise(mode: string, h: Harness): Promise<Captured[]> {
  const captured: Captured[] = [];
  const post = async (text: string, headers: Record<string, string>) =>
    capture(
      captured,
      `${mode} POST`,
      await send(h.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: text }),
      }),
    );
  for (const headers of CALLERS[mode]!) {
    for (const text of OPERATIONS) await post(text, headers);
    for (const fault of FAULTS) {
      h.sandbox.injectFault({ ...fault, method: 'GET', path: USERS_PATH });
      await post(USERS_QUERY, headers);
    }
    // An upstream that echoes the OAuth token it was sent.
    h.sandbox.injectFault({
      status: 401,
      message: 'invalid token {credential}',
      method: 'GET',
      path: '/v1/organizations/service_accounts',
    });
    await post(SERVICE_ACCOUNTS_QUERY, headers);
    const url = `${h.endpoint}?query=${encodeURIComponent(USERS_QUERY)}`;
    capture(
      captured,
      `${mode} GET`,
      await send(url, { headers: { ...headers, 'x-graphql-yoga-csrf': '1' } }),
    );
    h.sandbox.reset();
  }
  for (const path of ['/metrics', '/ready', '/health']) {
    capture(captured, `${mode} ${path}`, await send(`${originOf(h.endpoint)}${path}`));
  }
  h.logs.forEach((line, i) => captured.push({ label: `${mode} log ${i}`, text: line }));
  h.upstream().forEach((request, i) =>
    captured.push({ label: `${mode} upstream ${i}`, text: JSON.stringify(request) }),
  );
  return captured;
}

describe('no credential in any response, header, log line or upstream record', () => {
  const harnesses: Harness[] = [];
  const captured = new Map<string, Captured[]>();

  beforeAll(async () => {
    for (const [mode, config] of Object.entries(MODES)) {
      const h = await startHarness({ config });
      harnesses.push(h);
      captured.set(mode, await exercise(mode, h));
    }
  }, 30_000);
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });

  it('the scanner finds a planted secret, whole or as a slice, wherever it is', () => {
    for (const secret of SECRETS) {
      const slice = distinctiveSlice(secret);
      expect(slice).toHaveLength(16);
      expect(
        findSecrets([{ label: 'log', text: `{"msg":"oops","key":"${secret}"}` }], SECRETS),
      ).not.toEqual([]);
      expect(findSecrets([{ label: 'body', text: `…${slice}…` }], SECRETS)).toEqual([
        expect.stringContaining('body'),
      ]);
    }
    const header = `x-api-key: ${distinctiveSlice(DEFAULT_SANDBOX_KEY)}`;
    expect(findSecrets([{ label: 'header', text: header }], SECRETS)).toHaveLength(1);
    expect(
      findSecrets([{ label: 'clean', text: 'sk-ant-admin01 and gw- and oauth-' }], SECRETS),
    ).toEqual([]);
  });

  it.each(Object.keys(MODES))('%s mode: the mix ran and emitted a lot to scan', (mode) => {
    const texts = captured.get(mode)!;
    expect(texts.length).toBeGreaterThan(200);
    const labels = texts.map((t) => t.label);
    expect(labels.some((label) => label.includes('log'))).toBe(true);
    expect(labels.some((label) => label.includes('upstream'))).toBe(true);
    const logs = texts
      .filter((t) => t.label.includes('log'))
      .map((t) => t.text)
      .join('\n');
    expect(logs).toContain('"upstream request"');
    const bodies = texts
      .filter((t) => t.label.endsWith('body'))
      .map((t) => t.text)
      .join('\n');
    expect(bodies).toContain('"errors"');
    expect(bodies).toContain('"nodes"');
  });

  it.each(Object.keys(MODES))(
    '%s mode: zero hits for any secret or its distinctive slice',
    (mode) => {
      expect(findSecrets(captured.get(mode)!, SECRETS)).toEqual([]);
    },
  );
});
