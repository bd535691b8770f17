// Composes the gateway's subgraph with an HR subgraph and runs a real Apollo Gateway over both,
// inside graphql-yoga: the gateway is reached over loopback HTTP like any subgraph behind a router.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { useApolloFederation } from '@envelop/apollo-federation';
import { parse } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  describe as describeRequest,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';
import { EMPLOYEES, hrSubgraphSchema, serveOnLoopback, type RunningGraph } from './hr.js';

const API = '/v1/organizations';
const TOKEN = 'supergraph-router-caller-000001';

describe('supergraph: the gateway composed with an HR subgraph', () => {
  let h: Harness;
  let hr: RunningGraph;
  let gateway: ApolloGateway;
  let router: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  /** What the router sent to each subgraph: [subgraph, document]. */
  const sent: [string, string][] = [];

  beforeAll(async () => {
    h = await startHarness({
      config: {
        federationSubgraph: true,
        auth: {
          mode: 'token',
          tokens: [{ name: 'router', token: TOKEN, scopes: ['read', 'api_keys:read'] }],
        },
      },
    });
    hr = await serveOnLoopback(hrSubgraphSchema());

    // Our SDL as committed (subgraph.graphql, checked fresh by subgraph.test.ts); HR's as served.
    const composition = composeServices([
      {
        name: 'admin',
        url: h.endpoint,
        typeDefs: parse(readFileSync(new URL('../../subgraph.graphql', import.meta.url), 'utf8')),
      },
      { name: 'hr', url: hr.url, typeDefs: parse(await serviceSdl(hr.url)) },
    ]);
    expect(composition.errors ?? []).toEqual([]);
    if (!composition.supergraphSdl) throw new Error('composition failed');

    gateway = new ApolloGateway({
      supergraphSdl: composition.supergraphSdl,
      logger: silentLogger,
      buildService: ({ name, url }) =>
        new RemoteGraphQLDataSource<{ request?: Request }>({
          url,
          fetcher: fetch as unknown as RemoteGraphQLDataSource['fetcher'],
          willSendRequest({ request, context }) {
            sent.push([name, request.query ?? '']);
            // The admin graph authenticates every caller: forward the caller's own credential.
            const authorization = context.request?.headers.get('authorization');
            if (name === 'admin' && authorization)
              request.http?.headers.set('authorization', authorization);
          },
        }),
    });
    await gateway.load();
    router = createYoga({
      plugins: [useApolloFederation({ gateway, logger: silentLogger })],
      graphiql: false,
      logging: false,
    }) as typeof router;
  });

  afterAll(async () => {
    await gateway?.stop();
    await hr?.close();
    await h?.close();
  });

  beforeEach(() => {
    h.resetCounts();
    sent.length = 0;
  });

  async function query(source: string): Promise<GraphQLBody> {
    const response = await router.fetch('http://router.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query: source }),
    });
    return (await response.json()) as GraphQLBody;
  }

  const upstream = () => h.upstream().map(describeRequest);
  const sentTo = (name: string) => sent.filter(([subgraph]) => subgraph === name);

  it('joins HR employees to organization members, with one batched _entities request to the gateway', async () => {
    const body = await query(`{
      employees {
        name
        department
        user { email role apiKeys(first: 2) { nodes { name } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const employees = body.data?.['employees'] as {
      name: string;
      user: { email: string; role: string; apiKeys: { nodes: { name: string }[] } } | null;
    }[];
    expect(employees.map((employee) => employee.name)).toEqual(EMPLOYEES.map((e) => e.name));
    expect(employees[0]?.user).toMatchObject({
      email: 'maria.okafor@northwind.example',
      role: 'ADMIN',
    });
    expect(employees.filter((employee) => employee.user).length).toBe(4);
    expect(employees[4]?.user).toBeNull();
    expect(employees.some((employee) => (employee.user?.apiKeys.nodes.length ?? 0) > 0)).toBe(true);

    // One request to our subgraph for the four users, and upstream one users list page for
    // them, not four GETs; the keys cost at most one page per user (less when the gateway
    // shares a page among them).
    const toAdmin = sentTo('admin');
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]?.[1]).toContain('_entities');
    const made = upstream();
    expect(made.filter((call) => call.startsWith(`GET ${API}/users`))).toEqual([
      `GET ${API}/users?limit=1000`,
    ]);
    const keyPages = made.filter((call) => call.startsWith(`GET ${API}/api_keys?`));
    expect(keyPages.length).toBeGreaterThan(0);
    expect(keyPages.length).toBeLessThanOrEqual(4);
    expect(made).toHaveLength(1 + keyPages.length);
  });

  it('extends a member of the gateway with the HR record', async () => {
    const body = await query(`{
      user(id: "${FIXTURE_IDS.developerUser}") { name employee { department } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      user: { name: expect.any(String), employee: { department: 'Research' } },
    });
    expect(upstream()).toEqual([`GET ${API}/users/${FIXTURE_IDS.developerUser}`]);
    expect(sentTo('hr')).toHaveLength(1);
  });

  it('sends HR one _entities request for a whole page of members', async () => {
    const body = await query(`{
      organization { users(first: 10) { nodes { id name employee { department } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const nodes = (
      body.data?.['organization'] as {
        users: { nodes: { id: string; employee: { department: string } | null }[] };
      }
    ).users.nodes;
    expect(nodes).toHaveLength(10);
    for (const node of nodes) {
      const employee = EMPLOYEES.find((candidate) => candidate.userId === node.id);
      expect(node.employee).toEqual(employee ? { department: employee.department } : null);
    }
    expect(upstream()).toEqual([`GET ${API}/users?limit=10`]);
    expect(sentTo('admin')).toHaveLength(1);
    expect(sentTo('hr')).toHaveLength(1);
  });

  it('passes a caller the gateway refuses on as an error, not as data', async () => {
    const response = await router.fetch('http://router.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ employees { name user { email } } }' }),
    });
    const body = (await response.json()) as GraphQLBody;
    // HR answers; the gateway refuses the unauthenticated `_entities` request.
    expect((body.data?.['employees'] as unknown[]).length).toBe(EMPLOYEES.length);
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(upstream()).toEqual([]);
  });
});

/** A subgraph's SDL as its `_service` field reports it, as `rover subgraph introspect` reads it. */
async function serviceSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`${url} did not report its SDL: ${JSON.stringify(body)}`);
  return sdl;
}

const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
