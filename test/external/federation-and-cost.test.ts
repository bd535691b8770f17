import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_IDS } from '../../src/sandbox/index.js';
import { GOOGLE_PROJECT_NUMBERS } from '../../src/sandbox/resources/google-data-controls.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const [AWS_KEY, GCP_KEY] = EXTERNAL_KEY_IDS;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { federationSubgraph: true } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

describe('federation entities', () => {
  it('resolves external keys and storage by id through the loaders (several keys, one page)', async () => {
    const storage = (
      await postGraphQL(h.endpoint, {
        query: '{ organization { externalStorages(first: 1) { nodes { id } } } }',
      })
    ).body.data as { organization: { externalStorages: { nodes: { id: string }[] } } };
    const storageId = storage.organization.externalStorages.nodes[0]?.id;
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ExternalKey { id geo } ... on ExternalStorage { id lifecycle } } }`,
      variables: {
        r: [
          { __typename: 'ExternalKey', id: AWS_KEY },
          { __typename: 'ExternalKey', id: GCP_KEY },
          { __typename: 'ExternalStorage', id: storageId },
          { __typename: 'ExternalKey', id: 'estrg_01wrongkind' },
        ],
      },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.['_entities']).toEqual([
      { __typename: 'ExternalKey', id: AWS_KEY, geo: 'us' },
      { __typename: 'ExternalKey', id: GCP_KEY, geo: 'us' },
      { __typename: 'ExternalStorage', id: storageId, lifecycle: 'PENDING_CONFIGURATION' },
      null,
    ]);
    expect(h.upstream().map(show).sort()).toEqual(
      [
        '/v1/organizations/external_keys?limit=1000',
        `/v1/organizations/external_storage/${storageId}`,
      ].map((path) => `GET ${path}`),
    );
  });
});

describe('cost estimate', () => {
  it('matches what the storage and Google data controls fields spend', async () => {
    for (const [query, estimate] of [
      ['{ organization { externalStorages(first: 5) { nodes { id } } } }', 1],
      [
        `{ organization { googleDataControls(projectNumber: "${GOOGLE_PROJECT_NUMBERS[0]}") { cmek { regions { externalKey { id } } } } } }`,
        2,
      ],
      [
        'mutation { activateExternalStorage(input: { externalStorageId: "estrg_01Missing" }) { userErrors { code } } }',
        1,
      ],
    ] as const) {
      h.resetCounts();
      const body = (await postGraphQL(h.endpoint, { query })).body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(estimate);
      expect(body.extensions?.cost?.upstreamRequests, query).toBe(h.upstream().length);
      expect(h.upstream().length, query).toBeLessThanOrEqual(estimate);
    }
  });
});
