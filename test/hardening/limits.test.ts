import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  USERS_PATH,
  USERS_QUERY,
  gql,
  onlyError,
  originOf,
  postChunked,
  query,
  send,
} from './helpers.js';

const LIMITS = {
  maxDepth: 6,
  maxAliases: 4,
  maxDirectives: 3,
  maxTokens: 200,
  maxBodyBytes: 4_000,
};

const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: rateLimit { cost }`).join(' ')} }`;

describe('abuse limits: a clear error and no upstream request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { limits: LIMITS, introspection: false, graphiql: false } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCounts());

  async function refused(text: string, pattern: RegExp) {
    const answer = await query(h.endpoint, text);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.message).join('\n'), answer.text).toMatch(pattern);
    expect(h.upstream()).toEqual([]);
    return answer;
  }

  it('depth over maxDepth', async () => {
    const ok = await query(h.endpoint, '{ organization { users(first: 1) { nodes { id } } } }');
    expect(ok.body.errors).toBeUndefined();
    h.resetCounts();
    await refused(
      `{ organization { users(first: 1) { nodes { apiKeys(first: 1) { nodes { workspace { members(first: 1) { nodes { id } } } } } } } } }`,
      /depth limit of 6 exceeded/i,
    );
  });

  it('depth through fragments counts too', async () => {
    await refused(
      `query { organization { ...A } } fragment A on Organization { users(first: 1) { nodes { ...B } } } fragment B on User { apiKeys(first: 1) { nodes { workspace { members(first: 1) { nodes { id } } } } } }`,
      /depth limit/i,
    );
  });

  it('aliases over maxAliases', async () => {
    const ok = await query(h.endpoint, aliases(4));
    expect(ok.body.errors, ok.text).toBeUndefined();
    await refused(aliases(5), /aliases limit of 4 exceeded/i);
  });

  it('directives over maxDirectives', async () => {
    await refused(
      '{ rateLimit @skip(if: false) @include(if: true) @skip(if: false) @include(if: true) { cost } }',
      /directives limit of 3 exceeded/i,
    );
  });

  it('tokens over maxTokens', async () => {
    const fields = Array.from({ length: 250 }, () => 'cost').join(' ');
    await refused(`{ rateLimit { ${fields} } }`, /token limit of 200 exceeded/i);
  });

  it('a body over maxBodyBytes: 413 REQUEST_TOO_LARGE', async () => {
    const answer = await query(h.endpoint, `# ${'x'.repeat(5_000)}\n{ rateLimit { cost } }`);
    expect(answer.status).toBe(413);
    onlyError(answer, 'REQUEST_TOO_LARGE');
    expect(answer.body.errors?.[0]?.message).toContain('4000 bytes');
    expect(h.upstream()).toEqual([]);
  });

  it('a body handed to the fetch handler without a length is counted as it is read: 413', async () => {
    const text = JSON.stringify({ query: `# ${'x'.repeat(5_000)}\n{ rateLimit { cost } }` });
    const bytes = new TextEncoder().encode(text);
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 1_000) {
            controller.enqueue(bytes.slice(at, at + 1_000));
          }
          controller.close();
        },
      });
    const post = (body: ReadableStream<Uint8Array>) =>
      h.gateway.fetch(
        new Request(h.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', host: new URL(h.endpoint).host },
          body,
          duplex: 'half',
        } as RequestInit),
      );
    const answer = await post(stream());
    expect(answer.headers.get('content-length')).not.toBe('0');
    const body = (await answer.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(answer.status).toBe(413);
    expect(body.errors?.[0]?.extensions?.code).toBe('REQUEST_TOO_LARGE');
    // Under the limit, the same kind of body is read and answered.
    const small = new TextEncoder().encode(JSON.stringify({ query: '{ rateLimit { cost } }' }));
    const ok = await post(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(small);
          controller.close();
        },
      }),
    );
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data?: unknown }).data).toBeTruthy();
    expect(h.upstream()).toEqual([]);
  });

  it('a Content-Length that is not a length: 400 BAD_REQUEST', async () => {
    const answer = await h.gateway.fetch(
      new Request(h.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': '12, 12',
          host: new URL(h.endpoint).host,
        },
        body: JSON.stringify({ query: '{ rateLimit { cost } }' }),
      }),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('a chunked body without a length: 411 LENGTH_REQUIRED', async () => {
    const answer = await postChunked(h.endpoint, ['{"query":', '"{ rateLimit { cost } }"}']);
    expect(answer.status).toBe(411);
    expect(JSON.parse(answer.text)).toMatchObject({
      errors: [{ extensions: { code: 'LENGTH_REQUIRED' } }],
    });
    expect(h.upstream()).toEqual([]);
  });

  it('introspection off: __schema and __type are refused', async () => {
    await refused('{ __schema { types { name } } }', /introspection/i);
    await refused('{ __type(name: "User") { fields { name } } }', /introspection/i);
  });

  it('introspection off: an unknown field gets no "did you mean" suggestion', async () => {
    const answer = await refused('{ organizaton { id } }', /Cannot query field/);
    expect(answer.text).not.toMatch(/did you mean/i);
    expect(answer.text).not.toContain('"organization"');
  });

  it('GraphiQL off: GET /graphql for a browser does not serve it', async () => {
    const answer = await send(h.endpoint, { headers: { accept: 'text/html' } });
    expect(answer.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(answer.text.toLowerCase()).not.toContain('graphiql');
  });
});

describe('with introspection and GraphiQL on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { introspection: true, graphiql: true } });
  });
  afterAll(() => h.close());

  it('suggests field names and answers __schema', async () => {
    const typo = await query(h.endpoint, '{ organizaton { id } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "organization"/);
    const schema = await query(h.endpoint, '{ __schema { queryType { name } } }');
    expect(schema.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('serves GraphiQL to a browser', async () => {
    const answer = await send(h.endpoint, { headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.text.toLowerCase()).toContain('graphiql');
  });

  it('CSRF: a GET query needs the CSRF header (or a JSON content type)', async () => {
    const url = `${h.endpoint}?query=${encodeURIComponent('{ rateLimit { cost } }')}`;
    const bare = await send(url, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(403);
    expect(bare.body.errors?.[0]?.message).toMatch(/csrf/i);
    const withHeader = await send(url, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body.data).toMatchObject({ rateLimit: { cost: expect.any(Number) } });
    const withJson = await send(url, {
      headers: { accept: 'application/json', 'content-type': 'application/json' },
    });
    expect(withJson.status).toBe(200);
  });

  it('CSRF: a form POST (simple content type) is refused', async () => {
    const form = await send(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('{ rateLimit { cost } }')}`,
    });
    expect(form.status).toBe(403);
  });
});

describe('persisted operations only', () => {
  const ALLOWED = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'admin-graph-persisted-'));
    const file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify({ [ALLOWED]: USERS_QUERY }));
    h = await startHarness({ config: { persistedOperationsFile: file } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => h.resetCounts());

  it('runs an allowed operation by its hash (extensions.persistedQuery)', async () => {
    const answer = await gql(h.endpoint, {
      extensions: { persistedQuery: { version: 1, sha256Hash: ALLOWED } },
    });
    expect(answer.body.errors, answer.text).toBeUndefined();
    expect(answer.body.data).toMatchObject({ organization: { users: { nodes: [{}, {}] } } });
    expect(h.upstream().map((r) => r.path)).toEqual([USERS_PATH]);
  });

  it('refuses an arbitrary query, even the text of an allowed one', async () => {
    for (const text of ['{ rateLimit { cost } }', USERS_QUERY]) {
      const answer = await query(h.endpoint, text);
      onlyError(answer, 'PERSISTED_QUERY_ONLY');
    }
    expect(h.upstream()).toEqual([]);
  });

  it('refuses an unknown hash or documentId; runs an allowed documentId', async () => {
    const unknown = await gql(h.endpoint, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
    onlyError(unknown, 'PERSISTED_QUERY_NOT_FOUND');
    onlyError(await gql(h.endpoint, { documentId: 'f'.repeat(64) }), 'PERSISTED_QUERY_NOT_FOUND');
    expect(h.upstream()).toEqual([]);
    const byDocumentId = await gql(h.endpoint, { documentId: `sha256:${ALLOWED}` });
    expect(byDocumentId.body.errors, byDocumentId.text).toBeUndefined();
  });
});

describe('CORS', () => {
  const ALLOWED_ORIGIN = 'https://tools.example.test';
  const EVIL_ORIGIN = 'https://evil.example.test';
  const preflight = (url: string, origin: string) =>
    send(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  let allowList: Harness;
  let closed: Harness;
  beforeAll(async () => {
    allowList = await startHarness({ config: { corsOrigins: [ALLOWED_ORIGIN] } });
    closed = await startHarness({ config: { corsOrigins: [] } });
  });
  afterAll(async () => {
    await allowList.close();
    await closed.close();
  });

  it('allows a preflight from a listed origin', async () => {
    const answer = await preflight(allowList.endpoint, ALLOWED_ORIGIN);
    expect(answer.status).toBeLessThan(300);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('never allows another origin (a browser would block it)', async () => {
    const answer = await preflight(allowList.endpoint, EVIL_ORIGIN);
    expect(answer.headers.get('access-control-allow-origin')).not.toBe(EVIL_ORIGIN);
    expect(answer.headers.get('access-control-allow-origin')).not.toBe('*');
    const post = await query(allowList.endpoint, '{ rateLimit { cost } }', { origin: EVIL_ORIGIN });
    expect(post.headers.get('access-control-allow-origin')).not.toBe(EVIL_ORIGIN);
    expect(post.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('gives an unlisted origin no access-control-allow-origin at all', async () => {
    // graphql-yoga (@whatwg-node/server useCors) answers a one-origin allow-list with that origin
    // whatever the request's Origin, which also tells any site which origin is trusted.
    const answer = await preflight(allowList.endpoint, EVIL_ORIGIN);
    expect([null, 'null']).toContain(answer.headers.get('access-control-allow-origin'));
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const answer = await preflight(closed.endpoint, ALLOWED_ORIGIN);
    const cors = [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));
    expect(cors).toEqual([]);
  });
});

describe('unexpected errors are masked', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a malformed upstream body does not leak parser internals or stacks', async () => {
    h.sandbox.injectFault({ kind: 'malformed', method: 'GET', path: USERS_PATH });
    const answer = await query(h.endpoint, USERS_QUERY);
    const error = onlyError(answer, 'UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe(
      'The Admin API is unavailable: The Admin API gave a response the gateway could not read.',
    );
    expect(answer.text).not.toMatch(/SyntaxError|Unexpected (token|end)|JSON\.parse|position \d/);
    expect(answer.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
    expect(answer.text).not.toContain('stacktrace');
    expect(answer.text).not.toContain('user_01');
  });

  it('a request that breaks the gateway’s parser gets a clean 400', async () => {
    const answer = await gql(h.endpoint, '{"query": "{ rateLimit { cost } }"');
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
    expect(answer.text).not.toContain('stacktrace');
  });

  it('the probes left the server up', async () => {
    const answer = await send(`${originOf(h.endpoint)}/health`);
    expect(answer.status).toBe(200);
  });
});
