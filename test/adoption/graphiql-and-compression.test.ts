import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/config/config.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';

/** A raw HTTP GET/POST (no automatic decompression): status, headers and the body bytes. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const HTML = { accept: 'text/html' };

const TOKEN = 'graphiql-test-token-0123456789abcdef';
const MODES: { mode: AuthConfig['mode']; auth: AuthConfig; header: string | null }[] = [
  {
    mode: 'token',
    auth: { mode: 'token', tokens: [{ name: 'people', token: TOKEN, scopes: ['read'] }] },
    header: 'Authorization',
  },
  { mode: 'forward', auth: { mode: 'forward' }, header: 'x-api-key' },
  { mode: 'none', auth: { mode: 'none' }, header: null },
];

/** The JSON options GraphiQL is rendered with, as embedded in its page. */
function headersIn(page: string): string[] {
  const names = ['Authorization', 'x-api-key'];
  return names.filter((name) => page.includes(`\\"${name}\\"`) || page.includes(`"${name}"`));
}

describe.each(MODES)('GraphiQL in $mode mode', ({ auth, header }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { auth, graphiql: true } });
  });
  afterAll(() => h.close());

  it(`pre-fills the headers pane with ${header ?? 'nothing'}`, async () => {
    const page = await raw(h.endpoint, { headers: HTML });
    expect(page.status).toBe(200);
    const text = page.body.toString('utf8');
    expect(text).toContain('defaultTabs');
    expect(headersIn(text)).toEqual(header ? [header] : []);
  });
});

describe('GraphiQL examples and compression', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { graphiql: true, sandbox: true } });
  });
  afterAll(() => h.close());

  it('opens with runnable examples and their variables', async () => {
    const text = (await raw(h.endpoint, { headers: HTML })).body.toString('utf8');
    for (const name of ['query Dashboard(', 'query WeeklyCost(', 'mutation RenameApiKey(']) {
      expect(text).toContain(name);
    }
    expect(text).toContain(FIXTURE_IDS.activeApiKey);
    expect(text).toMatch(/\\"since\\": \\"\d{4}-\d{2}-\d{2}T00:00:00Z\\"/);
  });

  it.each(['Dashboard', 'WeeklyCost', 'RenameApiKey'])(
    'the %s example runs as it is',
    async (name) => {
      const { EXAMPLE_OPERATIONS, exampleVariables } =
        await import('../../src/app/graphiql/examples.js');
      const response = await fetch(h.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: EXAMPLE_OPERATIONS,
          operationName: name,
          variables: exampleVariables(new Date(), FIXTURE_IDS.activeApiKey),
        }),
      });
      const body = (await response.json()) as { errors?: unknown; data?: Record<string, unknown> };
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      if (name === 'RenameApiKey') {
        expect(body.data?.['updateApiKey']).toMatchObject({
          apiKey: { name: 'ci-runner' },
          userErrors: [],
        });
      }
    },
  );

  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ] as const)('serves the GraphiQL page with %s when accepted', async (encoding, decode) => {
    const plain = await raw(h.endpoint, { headers: HTML });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await raw(h.endpoint, { headers: { ...HTML, 'accept-encoding': encoding } });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.body.byteLength).toBeLessThan(plain.body.byteLength / 3);
    expect(decode(packed.body).toString('utf8')).toContain('admin-graph');
  });

  it('compresses a large GraphQL result, not a small one', async () => {
    const post = (query: string) =>
      raw(h.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br;q=0' },
        body: JSON.stringify({ query }),
      });
    const large = await post('{ organization { users(first: 100) { nodes { id name email } } } }');
    expect(large.headers['content-encoding']).toBe('gzip');
    expect(large.headers['vary']).toContain('accept-encoding');
    expect(large.headers['x-request-id']).toEqual(expect.any(String));
    const data = JSON.parse(gunzipSync(large.body).toString('utf8')) as {
      data: { organization: { users: { nodes: unknown[] } } };
    };
    expect(data.data.organization.users.nodes).toHaveLength(100);
    const small = await post('{ rateLimit { limit } }');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toMatchObject({ data: { rateLimit: {} } });
  });
});
