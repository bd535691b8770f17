import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import type { GatewayConfig } from '../../src/config/config.js';
import {
  CALLER_KEY,
  SEED_NOW,
  describe as describeRequest,
  postGraphQL,
  startGateway,
  type GraphQLBody,
  type RunningGateway,
} from '../support/harness.js';

/*
 * The service-account endpoints take only an OAuth access token with org:admin: the gateway sends
 * the caller's bearer token, or its own ANTHROPIC_OAUTH_TOKEN(_FILE), and answers
 * CREDENTIAL_MISSING on those fields alone, without a request, when it holds neither.
 */

const API = '/v1/organizations';
/** A caller's own OAuth token (forward mode), and two generations of a token file. */
const CALLER_TOKEN = 'sk-ant-oat01-caller-Vb7Nm2Qw9Er4Ty6Ui1Op3As5Df8Gh0Jk';
const FILE_TOKEN_1 = 'sk-ant-oat01-file-one-Zx1Cv2Bn3Mq4We5Rt6Yu7Io8Pa9Sd0F';
const FILE_TOKEN_2 = 'sk-ant-oat01-file-two-Lk9Jh8Gf7Ds6Aq5Wz4Xs3Ed2Cr1Vf0T';
const SECRETS = [
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  CALLER_KEY,
  CALLER_TOKEN,
  FILE_TOKEN_1,
  FILE_TOKEN_2,
];

const BOTH =
  '{ organization { users(first: 2) { nodes { id } } serviceAccounts(first: 2) { nodes { name } } } }';

let sandbox: Sandbox;
const running: RunningGateway[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({
    now: SEED_NOW,
    credentials: {
      admin: DEFAULT_SANDBOX_KEY,
      caller: CALLER_KEY,
      oauth: DEFAULT_SANDBOX_OAUTH_TOKEN,
      callerOAuth: CALLER_TOKEN,
      file1: FILE_TOKEN_1,
      file2: FILE_TOKEN_2,
    },
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
  sandbox.clearRequests();
});
afterAll(() => sandbox.close());

async function gateway(config: Partial<GatewayConfig>): Promise<RunningGateway> {
  const started = await startGateway(sandbox, config);
  running.push(started);
  return started;
}

/** Every answer of a test, kept for the secret scan. */
const answers: string[] = [];
async function post(
  g: RunningGateway,
  query: string,
  headers: Record<string, string> = {},
): Promise<GraphQLBody> {
  const { body } = await postGraphQL(g.endpoint, { query }, headers);
  answers.push(JSON.stringify(body));
  return body;
}

const upstream = () => sandbox.requests.map((r) => `${describeRequest(r)} ${r.credential}`);

function expectNoSecrets(g: RunningGateway): void {
  for (const text of [...answers, ...g.logs]) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

describe('with only an Admin API key', () => {
  it('answers the users and CREDENTIAL_MISSING for the service accounts alone, with no request for them', async () => {
    const g = await gateway({ oauthToken: undefined });
    const body = await post(g, BOTH);
    expect(body.data).toEqual({
      organization: {
        users: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] },
        serviceAccounts: null,
      },
    });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['organization', 'serviceAccounts'],
      extensions: { code: 'CREDENTIAL_MISSING', credential: 'oauth' },
    });
    expect(body.errors?.[0]?.message).toMatch(/ANTHROPIC_OAUTH_TOKEN/);
    expect(upstream()).toEqual([`GET ${API}/users?limit=2 admin`]);
    expectNoSecrets(g);
  });

  it('a mutation fails with CREDENTIAL_MISSING and sends nothing', async () => {
    const g = await gateway({ oauthToken: undefined });
    const body = await post(
      g,
      'mutation { createServiceAccount(input: { name: "nope" }) { serviceAccount { id } userErrors { code } } }',
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('CREDENTIAL_MISSING');
    expect(upstream()).toEqual([]);
  });
});

describe('with ANTHROPIC_OAUTH_TOKEN', () => {
  it('sends the token as Authorization: Bearer for service accounts and the Admin key for the rest', async () => {
    const g = await gateway({ oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN } });
    const body = await post(g, BOTH);
    expect(body.errors).toBeUndefined();
    // The emulator names the credential that authenticated each request, and refuses an Admin
    // API key on its service-account routes: `oauth` there is the bearer token, sent alone.
    expect(upstream()).toEqual([
      `GET ${API}/users?limit=2 admin`,
      `GET ${API}/service_accounts?include_archived=false&limit=2 oauth`,
    ]);
    expect(sandbox.requests.every((r) => r.status === 200)).toBe(true);
    expectNoSecrets(g);
  });

  it('never shows the token, even when the Admin API echoes it in an error', async () => {
    const g = await gateway({ oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN } });
    sandbox.injectFault({
      path: `${API}/service_accounts`,
      status: 401,
      message: 'invalid bearer token {credential}',
    });
    const body = await post(g, BOTH);
    expect(body.errors?.[0]).toMatchObject({
      path: ['organization', 'serviceAccounts'],
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(body.errors?.[0]?.message).toMatch(
      /^The Admin API refused the credential: invalid bearer/,
    );
    expectNoSecrets(g);
  });
});

describe('in forward mode', () => {
  const forward: Partial<GatewayConfig> = { adminKey: undefined, auth: { mode: 'forward' } };

  it('uses the caller’s own bearer token', async () => {
    const g = await gateway(forward);
    const body = await post(g, BOTH, { authorization: `Bearer ${CALLER_TOKEN}` });
    expect(body.errors).toBeUndefined();
    expect(upstream()).toEqual([
      `GET ${API}/users?limit=2 callerOAuth`,
      `GET ${API}/service_accounts?include_archived=false&limit=2 callerOAuth`,
    ]);
    expectNoSecrets(g);
  });

  it('a caller with an Admin API key gets CREDENTIAL_MISSING, never the gateway’s token', async () => {
    const g = await gateway({ ...forward, oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN } });
    const body = await post(g, BOTH, { 'x-api-key': CALLER_KEY });
    expect(body.errors?.[0]).toMatchObject({
      path: ['organization', 'serviceAccounts'],
      extensions: { code: 'CREDENTIAL_MISSING' },
    });
    expect(upstream()).toEqual([`GET ${API}/users?limit=2 caller`]);
  });
});

describe('with ANTHROPIC_OAUTH_TOKEN_FILE', () => {
  it('picks up a renewed token, and answers CREDENTIAL_MISSING while the file is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-token-'));
    const file = join(dir, 'token');
    try {
      writeFileSync(file, `${FILE_TOKEN_1}\n`);
      utimesSync(file, 1_000, 1_000);
      const g = await gateway({ oauthToken: { file } });
      const query = '{ organization { serviceAccounts(first: 1) { nodes { name } } } }';
      expect((await post(g, query)).errors).toBeUndefined();

      // Renewed by another process; the gateway checks the file every 5 s.
      writeFileSync(file, `${FILE_TOKEN_2}\n`);
      utimesSync(file, 2_000, 2_000);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6_000 });
      expect((await post(g, query)).errors).toBeUndefined();

      rmSync(file);
      vi.setSystemTime(Date.now() + 6_000);
      const missing = await post(g, query);
      expect(missing.errors?.[0]?.extensions?.['code']).toBe('CREDENTIAL_MISSING');

      const path = `${API}/service_accounts?include_archived=false&limit=1`;
      expect(upstream()).toEqual([`GET ${path} file1`, `GET ${path} file2`]);
      expectNoSecrets(g);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
