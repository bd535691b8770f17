import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { cacheTtlSeconds: 30 } });
});
afterAll(() => h.close());

async function post(query: string, accept: string) {
  const response = await fetch(h.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    extensions?: { cost?: { cacheHits: number; upstreamRequests: number } };
  };
  return { status: response.status, type: response.headers.get('content-type'), body };
}

describe('cache of whole results and content negotiation (GraphQL over HTTP)', () => {
  it('answers a cache hit in the media type this request accepts, not the first one’s', async () => {
    const query = `{ organization { users(first: 2) { nodes { id } } } }`;
    const first = await post(query, 'application/graphql-response+json');
    expect(first.type).toMatch(/^application\/graphql-response\+json/);
    h.resetCounts();

    const json = await post(query, 'application/json');
    expect(h.upstream()).toEqual([]); // served from the cache of whole results
    expect(json.type).toMatch(/^application\/json/);
    expect(json.body.data).toEqual(first.body.data);

    const graphqlResponse = await post(query, 'application/graphql-response+json');
    expect(graphqlResponse.type).toMatch(/^application\/graphql-response\+json/);
    expect(graphqlResponse.body.data).toEqual(first.body.data);
  });

  it('a client that accepts only application/json gets it on the first request and on a hit', async () => {
    const query = `{ organization { users(first: 3) { nodes { id } } } }`;
    const cold = await post(query, 'application/json');
    const warm = await post(query, 'application/json');
    expect(cold.type).toMatch(/^application\/json/);
    expect(warm.type).toMatch(/^application\/json/);
    expect(warm.body.extensions?.cost?.upstreamRequests).toBe(0);
    expect(warm.body.data).toEqual(cold.body.data);
  });

  it('honours the client’s preference order when it accepts both', async () => {
    const query = `{ organization { users(first: 4) { nodes { id } } } }`;
    await post(query, 'application/graphql-response+json');
    const hit = await post(query, 'application/json, application/graphql-response+json;q=0.9');
    expect(hit.type).toMatch(/^application\/json/);
  });
});
