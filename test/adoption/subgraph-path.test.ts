import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

/**
 * One deployment for frontends and the router: the client schema at /graphql and the federation
 * subgraph schema at /subgraph, in the same process, behind the same auth and limits.
 */
const TOKEN = 'subgraph-path-token-0123456789abcdef';
const SDL = '{ _service { sdl } }';
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name } } }`;

let h: Harness;
let subgraph: string;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: { mode: 'token', tokens: [{ name: 'router', token: TOKEN, scopes: ['read'] }] },
      limits: { ...loadConfig({}).limits, maxDepth: 3 },
    },
  });
  subgraph = h.endpoint.replace(/\/graphql$/, '/subgraph');
});
afterAll(() => h.close());

const auth = { authorization: `Bearer ${TOKEN}` };

describe('/subgraph beside /graphql', () => {
  it('serves the subgraph schema at /subgraph', async () => {
    const { status, body } = await postGraphQL(subgraph, { query: SDL }, auth);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const sdl = (body.data?.['_service'] as { sdl: string }).sdl;
    expect(sdl).toContain('@key(fields: "id")');
    const entities = await postGraphQL(
      subgraph,
      {
        query: ENTITIES,
        variables: { representations: [{ __typename: 'User', id: FIXTURE_IDS.adminUser }] },
      },
      auth,
    );
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.data?.['_entities']).toEqual([
      { id: FIXTURE_IDS.adminUser, name: expect.any(String) },
    ]);
  });

  it('keeps the client schema at /graphql', async () => {
    const { body } = await postGraphQL(h.endpoint, { query: SDL }, auth);
    expect(body.errors?.[0]?.message).toMatch(/_service/);
    const ok = await postGraphQL(h.endpoint, { query: '{ organization { name } }' }, auth);
    expect(ok.body.errors).toBeUndefined();
  });

  it('with the same auth: no token, no answer', async () => {
    const { status, body } = await postGraphQL(subgraph, { query: SDL });
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
  });

  it('with the same limits', async () => {
    const { body } = await postGraphQL(
      subgraph,
      {
        query:
          '{ organization { workspaces(first: 1) { nodes { members(first: 1) { nodes { role } } } } } }',
      },
      auth,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_DEEP');
  });
});

describe('FEDERATION_SUBGRAPH=true', () => {
  it('serves the subgraph schema at /graphql too', async () => {
    const one = await startHarness({ config: { federationSubgraph: true } });
    try {
      const { body } = await postGraphQL(one.endpoint, { query: SDL });
      expect(body.errors).toBeUndefined();
      expect((body.data?.['_service'] as { sdl: string }).sdl).toContain('@key');
    } finally {
      await one.close();
    }
  });
});
