import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { printSubgraph } from '../../src/graphql/federation.js';
import { getSubgraphSchema, schema } from '../../src/graphql/schema.js';
import { KINDS } from '../../src/domain/kinds.js';
import {
  describe as describeRequest,
  postGraphQL,
  startGateway,
  startHarness,
  type GraphQLBody,
  type Harness,
  type RunningGateway,
} from '../support/harness.js';

const API = '/v1/organizations';
const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on User {
        id
        name
      }
      ... on Workspace {
        id
        name
      }
      ... on Invite {
        id
        email
      }
      ... on ApiKey {
        id
        name
      }
      ... on Organization {
        id
        name
      }
    }
  }
`;

const subgraphSchema = getSubgraphSchema();

const READER = 'federation-reader-0000000000001';
const KEYS_READER = 'federation-keys-00000000000002';
const NO_READ = 'federation-noread-0000000000003';

describe('subgraph schema', () => {
  it('subgraph.graphql is the printed subgraph schema (run `npm run subgraph:print` after a change)', async () => {
    const path = fileURLToPath(new URL('../../subgraph.graphql', import.meta.url));
    const printed = await format(printSubgraph(subgraphSchema), {
      ...(await resolveConfig(path)),
      filepath: path,
    });
    expect(readFileSync(path, 'utf8')).toBe(printed);
  });

  it('makes every node type of the registry an entity keyed by id', () => {
    const sdl = printSubgraph(subgraphSchema);
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    // Every kind of the registry that the schema serves as a Node, so a new family's nodes
    // cannot be left out of the supergraph.
    const nodes = Object.values(KINDS)
      .map((kind) => kind.typename)
      .filter((name) => {
        const type = schema.getType(name);
        return (
          type && 'getInterfaces' in type && type.getInterfaces().some((i) => i.name === 'Node')
        );
      })
      .sort();
    expect(nodes).toEqual(
      expect.arrayContaining(['ApiKey', 'RbacGroup', 'ServiceAccount', 'Webhook']),
    );
    const keyed = [...sdl.matchAll(/^type (\w+)[^{]*?@key\(fields: "id"\)/gms)].map((m) => m[1]);
    expect(keyed.sort()).toEqual(nodes);
    const entity = subgraphSchema.getType('_Entity');
    expect(
      entity && 'getTypes' in entity
        ? entity
            .getTypes()
            .map((t) => t.name)
            .sort()
        : [],
    ).toEqual(nodes);
  });

  it('leaves the client schema free of federation types, fields and directives', () => {
    const query = Object.keys(schema.getQueryType()!.getFields());
    expect(query).not.toContain('_entities');
    expect(query).not.toContain('_service');
    for (const name of ['_Any', '_Entity', '_Service', 'link__Import', 'link__Purpose']) {
      expect(schema.getType(name), name).toBeUndefined();
    }
    expect(schema.getDirectives().map((d) => d.name)).not.toContain('key');
    expect(Object.keys(subgraphSchema.getQueryType()!.getFields())).toEqual(
      expect.arrayContaining(['_entities', '_service', ...query]),
    );
  });

  it('FEDERATION_SUBGRAPH is off unless set', () => {
    expect(loadConfig({}).federationSubgraph).toBe(false);
    expect(loadConfig({ FEDERATION_SUBGRAPH: 'true' }).federationSubgraph).toBe(true);
    expect(() => loadConfig({ FEDERATION_SUBGRAPH: 'yes' })).toThrow(/FEDERATION_SUBGRAPH/);
  });
});

describe('the gateway as a subgraph', () => {
  let h: Harness;
  let clientOnly: RunningGateway;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        federationSubgraph: true,
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: READER, scopes: ['read'] },
            { name: 'keys', token: KEYS_READER, scopes: ['read', 'api_keys:read'] },
            { name: 'write-only', token: NO_READ, scopes: ['write'] },
          ],
        },
      },
    });
    clientOnly = await startGateway(h.sandbox, {});
  });
  afterAll(async () => {
    await clientOnly?.close();
    await h?.close();
  });
  beforeEach(() => h.resetCounts());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const calls = () => h.upstream().map(describeRequest);
  const post = async (query: string, variables: Record<string, unknown>, token = KEYS_READER) =>
    (await postGraphQL(h.endpoint, { query, variables }, as(token))).body;
  const entities = (body: GraphQLBody) =>
    (body.data?.['_entities'] ?? []) as ({ __typename: string; id: string } | null)[];

  /** Ids the Admin API lists first, fetched before the test (and not counted). */
  async function listedIds(first: number) {
    const body = await post(
      `{ organization {
          users(first: ${first}) { nodes { id } }
          workspaces(first: ${first}) { nodes { id } }
          invites(first: ${first}) { nodes { id } }
          apiKeys(first: ${first}) { nodes { id } }
        } }`,
      {},
    );
    const organization = body.data?.['organization'] as Record<string, { nodes: { id: string }[] }>;
    const ids = (name: string) => organization[name]!.nodes.map((node) => node.id);
    h.resetCounts();
    return {
      users: ids('users'),
      workspaces: ids('workspaces'),
      invites: ids('invites'),
      apiKeys: ids('apiKeys'),
    };
  }

  it('serves _service with the subgraph SDL', async () => {
    const body = await post('{ _service { sdl } }', {});
    expect(body.errors).toBeUndefined();
    expect(`${(body.data?.['_service'] as { sdl: string }).sdl}\n`).toBe(
      printSubgraph(subgraphSchema),
    );
    expect(calls()).toEqual([]);
  });

  it('refuses _service while introspection is off, like __schema', async () => {
    const hidden = await startGateway(h.sandbox, {
      federationSubgraph: true,
      introspection: false,
    });
    try {
      const { body } = await postGraphQL(hidden.endpoint, { query: '{ _service { sdl } }' });
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.message).toContain('introspection is off');
    } finally {
      await hidden.close();
    }
  });

  it('resolves 20 user representations with one users list page, not 20 GETs', async () => {
    const { users } = await listedIds(20);
    expect(users).toHaveLength(20);
    const body = await post(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { __typename ... on User { id email } }
      }`,
      { representations: users.map((id) => ({ __typename: 'User', id })) },
    );
    expect(body.errors).toBeUndefined();
    const resolved = entities(body);
    expect(resolved.map((entity) => entity?.id)).toEqual(users);
    expect(resolved.every((entity) => entity?.__typename === 'User')).toBe(true);
    expect(calls()).toEqual([`GET ${API}/users?limit=1000`]);
    // The estimate prices N representations like N lookups: an upper bound of what was spent.
    const cost = (body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost;
    expect(cost?.['upstreamRequests']).toBe(1);
    expect(cost?.['estimatedUpstreamRequests']).toBe(2);
  });

  it('resolves mixed types with one request per collection, in the order given', async () => {
    const ids = await listedIds(3);
    const representations = [
      ...ids.users.map((id) => ({ __typename: 'User', id })),
      { __typename: 'Organization', id: FIXTURE_IDS.organization },
      ...ids.workspaces.map((id) => ({ __typename: 'Workspace', id })),
      ...ids.invites.map((id) => ({ __typename: 'Invite', id })),
      ...ids.apiKeys.map((id) => ({ __typename: 'ApiKey', id })),
    ];
    const body = await post(ENTITIES, { representations });
    expect(body.errors).toBeUndefined();
    expect(entities(body).map((entity) => [entity?.__typename, entity?.id])).toEqual(
      representations.map((r) => [r.__typename, r.id]),
    );
    expect(calls().sort()).toEqual(
      [
        `GET ${API}/users?limit=1000`,
        `GET ${API}/workspaces?limit=1000&include_archived=true&include_default=true`,
        `GET ${API}/invites?limit=1000`,
        `GET ${API}/api_keys?limit=1000`,
        `GET ${API}/me`,
      ].sort(),
    );
    const cost = (body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost;
    expect(cost?.['estimatedUpstreamRequests']).toBeGreaterThanOrEqual(calls().length);
  });

  it('resolves what does not exist, or is no id of its type, to null without asking upstream for malformed ids', async () => {
    const body = await post(ENTITIES, {
      representations: [
        { __typename: 'User', id: 'user_01DoesNotExist000000000' },
        { __typename: 'User', id: '../api_keys' },
        { __typename: 'Workspace', id: FIXTURE_IDS.adminUser },
        { __typename: 'Organization', id: '00000000-0000-4000-8000-000000000000' },
      ],
    });
    expect(body.errors).toBeUndefined();
    expect(entities(body)).toEqual([null, null, null, null]);
    expect(calls().sort()).toEqual(
      [`GET ${API}/users/user_01DoesNotExist000000000`, `GET ${API}/me`].sort(),
    );
  });

  it('applies the same scopes as the client schema', async () => {
    const denied = await post(
      ENTITIES,
      {
        representations: [{ __typename: 'User', id: FIXTURE_IDS.adminUser }],
      },
      NO_READ,
    );
    expect(denied.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(denied.errors?.[0]?.message).toMatch(/Query\._entities needs the scope read/);
    const service = await post('{ _service { sdl } }', {}, NO_READ);
    expect(service.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    // `read` without `api_keys:read`: users resolve, the API key alone is refused.
    const partial = await post(
      ENTITIES,
      {
        representations: [
          { __typename: 'User', id: FIXTURE_IDS.adminUser },
          { __typename: 'ApiKey', id: FIXTURE_IDS.activeApiKey },
        ],
      },
      READER,
    );
    expect(entities(partial)[0]).toMatchObject({ __typename: 'User', id: FIXTURE_IDS.adminUser });
    expect(entities(partial)[1]).toBeNull();
    expect(partial.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['FORBIDDEN', ['_entities', 1]],
    ]);
    expect(calls()).toEqual([`GET ${API}/users/${FIXTURE_IDS.adminUser}`]);
  });

  it('serves the client schema, without _entities, when FEDERATION_SUBGRAPH is off', async () => {
    const { body } = await postGraphQL(clientOnly.endpoint, { query: '{ _service { sdl } }' });
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "_service"/);
  });
});
