import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

// Written by `npm run codegen` (run by `npm test` before the tests) from the sample frontend's
// operations: the allow-list a production gateway is given.
const ALLOW_LIST = new URL(
  '../../examples/frontend/src/generated/persisted-documents.json',
  import.meta.url,
).pathname;

describe('persisted operations built by codegen from the frontend’s documents', () => {
  let h: Harness;
  let overviewHash: string;

  beforeAll(async () => {
    const documents = JSON.parse(readFileSync(ALLOW_LIST, 'utf8')) as Record<string, string>;
    const entry = Object.entries(documents).find(([, document]) =>
      document.includes('query OrganizationOverview'),
    );
    expect(entry).toBeDefined();
    overviewHash = entry![0].replace(/^sha256:/, '');
    h = await startHarness({ config: { persistedOperationsFile: ALLOW_LIST } });
  });
  afterAll(() => h.close());

  it('runs an operation of the allow-list sent by its hash alone', async () => {
    const { body } = await postGraphQL(h.endpoint, {
      variables: { workspaceCount: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: overviewHash } },
    } as never);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ organization: { name: 'Northwind Robotics' } });
  });

  it('refuses any other operation before it reaches the Admin API', async () => {
    h.resetCounts();
    const arbitrary = await postGraphQL(h.endpoint, { query: '{ organization { name } }' });
    expect(arbitrary.body.data ?? null).toBeNull();
    expect(arbitrary.body.errors?.length).toBeGreaterThan(0);
    const unknown = await postGraphQL(h.endpoint, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    } as never);
    expect(unknown.body.errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(h.upstream()).toEqual([]);
  });
});
