import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganizationOverviewDocument } from '../../examples/frontend/src/generated/graphql.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

/**
 * Persisted operations as the tools produce them: codegen's client preset writes
 * persisted-documents.json with `sha256:<hex>` ids and puts the same id in each typed document's
 * `__meta__.hash`; GraphQL-over-HTTP clients send `documentId`; Apollo clients send
 * `extensions.persistedQuery.sha256Hash` with the bare hex.
 */
const ALLOW_LIST = new URL(
  '../../examples/frontend/src/generated/persisted-documents.json',
  import.meta.url,
).pathname;
const DOCUMENTS = JSON.parse(readFileSync(ALLOW_LIST, 'utf8')) as Record<string, string>;

/** The operation name → id map a client builds from persisted-documents.json. */
const ID_BY_NAME = new Map(
  Object.entries(DOCUMENTS).map(([id, document]) => {
    const operation = parse(document).definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === 'OperationDefinition',
    );
    return [operation?.name?.value ?? '', id];
  }),
);

const META_HASH = (OrganizationOverviewDocument as unknown as { __meta__: { hash: string } })
  .__meta__.hash;
const BARE = META_HASH.replace(/^sha256:/, '');
const VARIABLES = { workspaceCount: 2 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { persistedOperationsFile: ALLOW_LIST } });
});
afterAll(() => h.close());

async function post(body: Record<string, unknown>) {
  return postGraphQL(h.endpoint, body as never);
}

const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.['code'];

describe('ids as codegen writes them', () => {
  it('the generated __meta__.hash is an id of the file, with its sha256: prefix', () => {
    expect(META_HASH).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(DOCUMENTS[META_HASH]).toContain('query OrganizationOverview');
  });

  it.each([
    ['extensions.persistedQuery with sha256:<hex>', META_HASH],
    ['extensions.persistedQuery with the bare hex', BARE],
  ])('%s runs the operation', async (_name, id) => {
    const { body } = await post({
      variables: VARIABLES,
      extensions: { persistedQuery: { version: 1, sha256Hash: id } },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ organization: { name: 'Northwind Robotics' } });
  });

  it.each([
    ['documentId sha256:<hex>', META_HASH],
    ['documentId bare hex', BARE],
  ])('%s in a POST body runs the operation', async (_name, id) => {
    const { body } = await post({ documentId: id, variables: VARIABLES });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ organization: { name: 'Northwind Robotics' } });
  });

  it('documentId in a GET runs the operation', async () => {
    const url = new URL(h.endpoint);
    url.searchParams.set('documentId', META_HASH);
    url.searchParams.set('variables', JSON.stringify(VARIABLES));
    const response = await fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ organization: { name: 'Northwind Robotics' } });
  });

  it('graphql-request with a middleware that sends the id instead of the document', async () => {
    const client = new GraphQLClient(h.endpoint, {
      requestMiddleware: (request) => ({
        ...request,
        body: JSON.stringify({
          documentId: ID_BY_NAME.get(request.operationName ?? ''),
          operationName: request.operationName,
          variables: request.variables,
        }),
      }),
    });
    const data = await client.request(OrganizationOverviewDocument, VARIABLES);
    expect(data.organization.name).toBe('Northwind Robotics');
  });
});

describe('refusals say what to send', () => {
  it('a plain query: PERSISTED_QUERY_ONLY, nothing sent upstream', async () => {
    h.resetCounts();
    const { body } = await post({ query: '{ organization { name } }' });
    expect(codeOf(body)).toBe('PERSISTED_QUERY_ONLY');
    expect(body.errors?.[0]?.message).toMatch(/documentId|sha256Hash/);
    expect(h.upstream()).toEqual([]);
  });

  it('an id that is not in the list: PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const id of [`sha256:${'f'.repeat(64)}`, 'f'.repeat(64)]) {
      const { body } = await post({ documentId: id });
      expect(codeOf(body)).toBe('PERSISTED_QUERY_NOT_FOUND');
      const apollo = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
      expect(codeOf(apollo.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('neither a query nor an id: PERSISTED_QUERY_ONLY', async () => {
    const { body } = await post({ variables: {} });
    expect(codeOf(body)).toBe('PERSISTED_QUERY_ONLY');
  });
});
