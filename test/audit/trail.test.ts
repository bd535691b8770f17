import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { CALLER_KEY, postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
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
const OTHER_KEY = FIXTURE_IDS.expiredApiKey;

const EVENTS = `query Events($first: Int, $after: String, $last: Int, $before: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    edges { cursor node { id actor field outcome resourceIds codes } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;

interface EventsPage {
  edges: {
    cursor: string;
    node: { id: string; actor: string; outcome: string; resourceIds: string[] };
  }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const MODES: [string, () => Promise<{ h: Harness; done: () => Promise<void> }>][] = [
  [
    'PGlite',
    async () => {
      const h = await startHarness({ freshDatabase: true, config: { auth: TOKEN_AUTH } });
      return { h, done: () => h.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const server: TestPostgres = await startTestPostgres();
      const h = await startHarness({ config: { auth: TOKEN_AUTH, databaseUrl: server.url } });
      return {
        h,
        done: async () => {
          await h.close();
          await server.close();
        },
      };
    },
  ],
];

describe.each(MODES)('the audit trail in the graph (%s)', (_mode, start) => {
  let h: Harness;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ h, done } = await start());
    await h.gateway.database();
    // Five events: three renames by `ops` (two of KEY), one refused for `writer`, one more.
    await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'one' } });
    await post(h, UPDATE_KEY, { input: { apiKeyId: OTHER_KEY, name: 'two' } });
    await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'x' } }, bearer(WRITER_TOKEN));
    await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'three' } });
    await h.gateway.audit.flush();
  }, 90_000);
  afterAll(() => done());

  const events = async (variables: Record<string, unknown>, token = ADMIN_TOKEN) => {
    const { body } = await post(h, EVENTS, variables, bearer(token));
    return { body, page: body.data?.['auditEvents'] as EventsPage | undefined };
  };

  it('needs the scope audit:read', async () => {
    const { body } = await events({ first: 1 }, WRITER_TOKEN);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toContain('audit:read');
  });

  it('filters by actor, resource, field and outcome, newest first', async () => {
    const byActor = await events({ first: 10, filter: { actor: 'token:writer' } });
    expect(byActor.page?.edges.map((e) => e.node.outcome)).toEqual(['REFUSED']);
    const byResource = await events({ first: 10, filter: { resourceId: OTHER_KEY } });
    expect(byResource.page?.edges).toHaveLength(1);
    const ok = await events({
      first: 10,
      filter: { field: 'Mutation.updateApiKey', outcome: 'OK', actor: 'token:ops' },
    });
    const names = ok.page?.edges.map((e) => e.node.resourceIds);
    expect(names).toEqual([[KEY], [OTHER_KEY], [KEY]]);
    const future = await events({ first: 10, filter: { since: '2999-01-01T00:00:00Z' } });
    expect(future.page?.edges).toEqual([]);
  });

  it('resolves the touched objects as nodes', async () => {
    const { body } = await post(
      h,
      `{
      auditEvents(first: 1, filter: { resourceId: "${OTHER_KEY}" }) {
        nodes { id targets { __typename id } }
      }
    }`,
    );
    expect(body.errors).toBeUndefined();
    const nodes = (body.data?.['auditEvents'] as { nodes: { id: string; targets: unknown[] }[] })
      .nodes;
    expect(nodes[0]?.id).toMatch(/^auditevent_\d+$/);
    expect(nodes[0]?.targets).toEqual([{ __typename: 'ApiKey', id: OTHER_KEY }]);
  });

  it('pages forwards and backwards with keyset cursors', async () => {
    const all = await events({ first: 100 });
    const ids = all.page!.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(4);
    const first = await events({ first: 2 });
    expect(first.page?.pageInfo.hasNextPage).toBe(true);
    const second = await events({ first: 2, after: first.page?.pageInfo.endCursor });
    expect([...first.page!.edges, ...second.page!.edges].map((e) => e.node.id)).toEqual(ids);
    expect(second.page?.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await events({ last: 2, before: second.page!.edges[0]!.cursor });
    expect(back.page?.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2));
    const bad = await events({ first: 2, after: 'nonsense' });
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('exports JSON lines behind the same auth and scope', async () => {
    const url = h.endpoint.replace(/\/graphql$/, '/audit/export?since=2000-01-01T00:00:00Z');
    const refused = await fetch(url, { headers: bearer(WRITER_TOKEN) });
    expect(refused.status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: bearer(ADMIN_TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('ndjson');
    const lines = (await response.text()).trim().split('\n');
    const exported = lines.map((line) => JSON.parse(line) as { field: string; actor: string });
    expect(exported).toHaveLength(4);
    expect(exported.map((e) => e.actor)).toEqual([
      'token:ops',
      'token:ops',
      'token:writer',
      'token:ops',
    ]);
  });

  it('prunes events older than the retention with one DELETE', async () => {
    const database = await h.gateway.database();
    await database.query(
      `INSERT INTO audit_events (occurred_at, instance_id, request_id, actor_kind, actor, identity,
         field, upstream, outcome, codes, resource_ids)
       VALUES (now() - interval '91 days', 'elsewhere', 'r', 'none', 'none', '{}',
         'Mutation.updateApiKey', '[]', 'ok', '[]', '[]')`,
    );
    expect(await h.gateway.audit.prune()).toBe(1);
    const left = await database.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(left[0]?.['n']).toBe(4);
  });
});

describe('the identity of each auth mode', () => {
  it('forwarded: the credential’s fingerprint, never the credential', async () => {
    const h = await startHarness({ config: { auth: { mode: 'forward' } } });
    try {
      await h.gateway.database();
      await postGraphQL(
        h.endpoint,
        { query: UPDATE_KEY, variables: { input: { apiKeyId: KEY, name: 'f' } } },
        { 'x-api-key': CALLER_KEY },
      );
      const rows = await rowsOf(h);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_kind: 'forwarded',
        identity: { kind: 'forwarded', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) },
      });
      expect(JSON.stringify(rows)).not.toContain(CALLER_KEY);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('jwt: subject and issuer', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwks: Server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const issuer = 'https://idp.example.test/';
    const h = await startHarness({
      config: {
        auth: {
          mode: 'jwt',
          jwt: { jwksUrl, issuer, audience: 'admin-graph', scopesClaim: 'scope' },
        },
      },
    });
    try {
      await h.gateway.database();
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        iss: issuer,
        aud: 'admin-graph',
        sub: 'deploy-bot',
        scope: 'admin',
        iat: now,
        exp: now + 300,
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'JWT' })
        .sign(privateKey);
      await post(h, UPDATE_KEY, { input: { apiKeyId: KEY, name: 'j' } }, bearer(token));
      const rows = await rowsOf(h);
      expect(rows[0]).toMatchObject({
        actor: 'jwt:deploy-bot',
        identity: { kind: 'jwt', subject: 'deploy-bot', issuer },
      });
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await h.close();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    }
  }, 60_000);
});
