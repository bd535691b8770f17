import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const TOKEN = 'host-test-admin-token-00000000001';
const CREATE = 'mutation { createWorkspace(input: { name: "rebound" }) { workspace { id } } }';
const KEYS = '{ organization { apiKeys(first: 5) { nodes { id partialKeyHint } } } }';

/** POSTs a GraphQL body with an explicit Host header (fetch does not let a test choose it). */
function post(
  endpoint: string,
  host: string | null,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        setHost: host !== null,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...(host !== null ? { host } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Host allow-list (DNS rebinding)', () => {
  let h: Harness;
  let port: string;
  beforeAll(async () => {
    // `none` mode with a real key on loopback: what a rebinding page would reach.
    h = await startHarness({ config: { allowedHosts: ['admin.corp.example', '*.gw.example'] } });
    port = new URL(h.endpoint).port;
  });
  afterAll(() => h.close());

  it.each([
    'rebind.attacker.example',
    `rebind.attacker.example:${'PORT'}`,
    '127.foo.invalid',
    'localhost.attacker.example',
    'gw.example',
  ])('refuses Host %s before anything runs: no upstream call, no echo', async (template) => {
    const host = template.replace('PORT', port);
    h.resetCounts();
    for (const query of [KEYS, CREATE]) {
      const answer = await post(h.endpoint, host, query);
      expect(answer.status, answer.text).toBe(421);
      const body = JSON.parse(answer.text) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('HOST_NOT_ALLOWED');
      expect(answer.text).not.toContain(host.split(':')[0]);
      expect(answer.text).not.toContain('rebound');
    }
    expect(h.upstream()).toEqual([]);
  });

  it('refuses a request without a Host header', async () => {
    h.resetCounts();
    const answer = await post(h.endpoint, null, KEYS);
    // node:http itself answers 400 to an HTTP/1.1 request without Host; the plugin 421 otherwise.
    expect([400, 421]).toContain(answer.status);
    expect(h.upstream()).toEqual([]);
  });

  it.each([
    `127.0.0.1:PORT`,
    `localhost:PORT`,
    `LOCALHOST:PORT`,
    `[::1]:PORT`,
    `10.1.2.3:PORT`,
    'admin.corp.example',
    'api.gw.example:443',
  ])('answers Host %s', async (template) => {
    const answer = await post(h.endpoint, template.replace('PORT', port), KEYS);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toContain('partialKeyHint');
  });

  it('applies in token mode too, before authentication', async () => {
    const tokenMode = await startHarness({
      config: { auth: { mode: 'token', tokens: [{ name: 'a', token: TOKEN, scopes: ['admin'] }] } },
    });
    try {
      const answer = await post(tokenMode.endpoint, 'rebind.attacker.example', KEYS, {
        authorization: `Bearer ${TOKEN}`,
      });
      expect(answer.status).toBe(421);
      expect(tokenMode.upstream()).toEqual([]);
    } finally {
      await tokenMode.close();
    }
  });
});
