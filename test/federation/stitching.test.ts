// Schema stitching, for teams that stitch instead of federating: the gateway is a remote subschema
// reached over loopback HTTP with its client schema (no subgraph mode needed), merged with HR.
import { readFileSync } from 'node:fs';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { stitchSchemas } from '@graphql-tools/stitch';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { describe as describeRequest, startHarness, type Harness } from '../support/harness.js';
import { EMPLOYEES, hrStitchingSchema, serveOnLoopback, type RunningGraph } from './hr.js';

const API = '/v1/organizations';
const TOKEN = 'stitching-caller-token-00000001';

describe('stitching: the gateway and HR as subschemas', () => {
  let h: Harness;
  let hr: RunningGraph;
  let stitched: GraphQLSchema;
  /** Requests the stitching layer sent to the gateway. */
  let toGateway = 0;

  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [{ name: 'stitcher', token: TOKEN, scopes: ['read', 'api_keys:read'] }],
        },
      },
    });
    hr = await serveOnLoopback(hrStitchingSchema());
    const gatewayExecutor = buildHTTPExecutor({
      endpoint: h.endpoint,
      headers: { authorization: `Bearer ${TOKEN}` },
      fetch: (url, init) => {
        toGateway++;
        return fetch(url, init);
      },
    });
    stitched = stitchSchemas({
      subschemas: [
        {
          // The client SDL the gateway commits (introspection of h.endpoint would do as well).
          schema: buildSchema(
            readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'),
          ),
          executor: gatewayExecutor,
          // Lookups made in the same tick go out as one request of aliased `user` fields, which
          // the gateway's loaders then answer from one users list page.
          batch: true,
          merge: {
            User: {
              selectionSet: '{ id }',
              fieldName: 'user',
              args: (user: { id: string }) => ({ id: user.id }),
            },
          },
        },
        {
          schema: hrStitchingSchema(),
          executor: buildHTTPExecutor({ endpoint: hr.url }),
          merge: {
            User: {
              selectionSet: '{ id }',
              fieldName: 'hrUsers',
              key: (user: { id: string }) => user.id,
              argsFromKeys: (ids: readonly string[]) => ({ ids }),
            },
          },
        },
      ],
    });
  });

  afterAll(async () => {
    await hr?.close();
    await h?.close();
  });

  beforeEach(() => {
    h.resetCounts();
    toGateway = 0;
  });

  const run = (source: string) => graphql({ schema: stitched, source });
  const upstream = () => h.upstream().map(describeRequest);

  it('resolves Employee.user through the gateway, batched into one request', async () => {
    const result = await run(`{
      employees { name department user { email role apiKeys(first: 2) { nodes { name } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const employees = result.data?.['employees'] as {
      name: string;
      user: { email: string; role: string; apiKeys: { nodes: unknown[] } | null } | null;
    }[];
    expect(employees.map((employee) => employee.name)).toEqual(EMPLOYEES.map((e) => e.name));
    expect(employees[0]?.user).toMatchObject({
      email: 'maria.okafor@northwind.example',
      role: 'ADMIN',
    });
    expect(employees.filter((employee) => employee.user).length).toBe(4);
    expect(employees[4]?.user).toBeNull();

    expect(toGateway).toBe(1);
    const made = upstream();
    expect(made.filter((call) => call.startsWith(`GET ${API}/users`))).toEqual([
      `GET ${API}/users?limit=1000`,
    ]);
    const keyPages = made.filter((call) => call.startsWith(`GET ${API}/api_keys?`));
    expect(keyPages.length).toBeLessThanOrEqual(4);
    expect(made).toHaveLength(1 + keyPages.length);
  });

  it('adds the HR record to a member the gateway resolves', async () => {
    const result = await run(`{
      user(id: "${FIXTURE_IDS.billingUser}") { name role employee { department } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      user: { name: expect.any(String), role: 'BILLING', employee: { department: 'Finance' } },
    });
    expect(toGateway).toBe(1);
    expect(upstream()).toEqual([`GET ${API}/users/${FIXTURE_IDS.billingUser}`]);
  });
});
