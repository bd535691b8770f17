import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, EXTERNAL_KEY_IDS } from '../../src/sandbox/index.js';
import { GOOGLE_PROJECT_NUMBERS } from '../../src/sandbox/resources/google-data-controls.js';
import {
  describe as show,
  postGraphQL,
  startGateway,
  startHarness,
  type Harness,
} from '../support/harness.js';

const [AWS_KEY, GCP_KEY] = EXTERNAL_KEY_IDS;
const [PROJECT, BARE_PROJECT] = GOOGLE_PROJECT_NUMBERS;
const PATH = (project: string) =>
  `/v1/organizations/providers/google/projects/${project}/data_controls`;
const BETA = 'google-managed-data-controls-2026-09-01';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

const gql = async (query: string, variables: Record<string, unknown> = {}) =>
  (await postGraphQL(h.endpoint, { query, variables })).body;

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

const CONTROLS = /* GraphQL */ `
  projectNumber
  cmek {
    enabled
    regions { region externalKeyId externalKey { id } status effectiveExternalKeyId }
    retiredKeys { region externalKeyId }
  }
  storage {
    enabled
    regions { region bucket { bucketName } status failedChecks { check } }
  }
`;
const READ = `query ($p: String!) { organization { googleDataControls(projectNumber: $p) { ${CONTROLS} } } }`;
const UPDATE = `mutation ($input: UpdateGoogleDataControlsInput!) {
  updateGoogleDataControls(input: $input) { googleDataControls { ${CONTROLS} } userErrors { code field message } }
}`;

interface Region {
  region: string;
  externalKeyId?: string | null;
  status: string | null;
}
interface Controls {
  projectNumber: string;
  cmek: {
    enabled: boolean;
    regions: Region[];
    retiredKeys: { region: string; externalKeyId: string }[];
  };
  storage: { enabled: boolean; regions: (Region & { failedChecks: { check: string }[] })[] };
}

describe('reads', () => {
  it('reads a project’s controls with the Admin key and the beta header, keys related', async () => {
    const body = await data<{ organization: { googleDataControls: Controls } }>(READ, {
      p: PROJECT,
    });
    const controls = body.organization.googleDataControls;
    expect(controls.projectNumber).toBe(PROJECT);
    expect(controls.cmek.enabled).toBe(true);
    expect(controls.cmek.regions.map((r) => [r.region, r.externalKeyId, r.status])).toEqual([
      ['eu', null, 'NOT_CONFIGURED'],
      ['global', null, 'NOT_CONFIGURED'],
      ['sg', null, 'NOT_CONFIGURED'],
      ['us', GCP_KEY, 'ACTIVE'],
    ]);
    expect(controls.cmek.regions[3]).toMatchObject({ externalKey: { id: GCP_KEY } });
    expect(controls.storage.regions.find((r) => r.region === 'us')).toMatchObject({
      bucket: { bucketName: 'northwind-vertex-us' },
      status: 'ACTIVE',
    });
    const [first] = h.upstream();
    expect(show(first!)).toBe(`GET ${PATH(PROJECT)}`);
    expect(first?.credential).toBe('admin');
    expect(first?.headers['anthropic-beta']).toContain(BETA);
  });

  it('is null for a project the organization has not proved it owns', async () => {
    expect(await data(READ, { p: '999999999999' })).toEqual({
      organization: { googleDataControls: null },
    });
  });

  it('refuses a project number that is not digits before any request', async () => {
    const body = await gql(READ, { p: '123/../../users' });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });
});

describe('update', () => {
  it('goes upstream with the OAuth token; the change and the retired key show', async () => {
    const body = await data<{ updateGoogleDataControls: { googleDataControls: Controls } }>(
      UPDATE,
      {
        input: {
          projectNumber: PROJECT,
          cmek: {
            enabled: true,
            externalKeys: [
              { region: 'eu', externalKeyId: GCP_KEY },
              { region: 'us', externalKeyId: null },
            ],
          },
        },
      },
    );
    const controls = body.updateGoogleDataControls.googleDataControls;
    expect(controls.cmek.regions.filter((r) => r.externalKeyId)).toMatchObject([
      { region: 'eu', externalKeyId: GCP_KEY, status: 'ACTIVE' },
    ]);
    expect(controls.cmek.retiredKeys).toEqual([{ region: 'us', externalKeyId: GCP_KEY }]);
    const post = h.upstream().find((r) => r.method === 'POST');
    expect(post && show(post)).toBe(`POST ${PATH(PROJECT)}`);
    expect(post?.credential).toBe('oauth');
    expect(post?.headers['x-api-key']).toBeUndefined();
    expect(post?.body).toEqual({
      cmek: { type: 'enabled', external_key_ids: { eu: GCP_KEY, us: null } },
    });
    const again = await data<{ organization: { googleDataControls: Controls } }>(READ, {
      p: PROJECT,
    });
    expect(again.organization.googleDataControls.cmek.retiredKeys).toHaveLength(1);
  });

  it('turns storage on with a bucket whose check fails, and reports the failed check', async () => {
    const body = await data<{ updateGoogleDataControls: { googleDataControls: Controls } }>(
      UPDATE,
      {
        input: {
          projectNumber: BARE_PROJECT,
          storage: {
            enabled: true,
            buckets: [
              {
                region: 'eu',
                bucket: { bucketName: 'unverified-eu', projectNumber: BARE_PROJECT },
              },
            ],
          },
        },
      },
    );
    const eu = body.updateGoogleDataControls.googleDataControls.storage.regions.find(
      (r) => r.region === 'eu',
    );
    expect(eu).toMatchObject({ status: 'FAILED', failedChecks: [{ check: 'versioning' }] });
  });

  it('maps refusals to userErrors and checks input before sending', async () => {
    const body = await gql(
      `mutation ($aws: ID!) {
        mismatch: updateGoogleDataControls(input: { projectNumber: "${PROJECT}", cmek: { enabled: true, externalKeys: [{ region: "eu", externalKeyId: $aws }] } }) { userErrors { code field } }
        badNumber: updateGoogleDataControls(input: { projectNumber: "12ab", cmek: { enabled: false } }) { userErrors { code field } }
        badKey: updateGoogleDataControls(input: { projectNumber: "${PROJECT}", cmek: { enabled: true, externalKeys: [{ region: "eu", externalKeyId: "../x" }] } }) { userErrors { code field } }
        unknown: updateGoogleDataControls(input: { projectNumber: "999999999999", cmek: { enabled: false } }) { userErrors { code field } }
      }`,
      { aws: AWS_KEY },
    );
    expect(body.data).toEqual({
      mismatch: {
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'cmek', 'externalKeys'] }],
      },
      badNumber: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'projectNumber'] }] },
      badKey: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'cmek', 'externalKeys'] }] },
      unknown: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'projectNumber'] }] },
    });
    expect(h.upstream().map(show)).toEqual([
      `POST ${PATH(PROJECT)}`,
      `POST ${PATH('999999999999')}`,
    ]);
  });

  it('without an OAuth token fails with CREDENTIAL_MISSING and sends nothing', async () => {
    const keyOnly = await startGateway(h.sandbox, { oauthToken: undefined });
    try {
      const { body } = await postGraphQL(keyOnly.endpoint, {
        query: `mutation { updateGoogleDataControls(input: { projectNumber: "${PROJECT}", cmek: { enabled: false } }) { userErrors { code } } }`,
      });
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'CREDENTIAL_MISSING',
        credential: 'oauth',
      });
      expect(h.upstream()).toEqual([]);
    } finally {
      await keyOnly.close();
    }
  });

  it('the emulator refuses an Admin API key on the update (403), as the Admin API does', async () => {
    const response = await fetch(`${h.sandbox.url}${PATH(PROJECT)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': DEFAULT_SANDBOX_KEY,
        'anthropic-version': '2026-10-21',
      },
      body: JSON.stringify({ cmek: { type: 'disabled' } }),
    });
    expect(response.status).toBe(403);
    const after = await data<{ organization: { googleDataControls: Controls } }>(READ, {
      p: PROJECT,
    });
    expect(after.organization.googleDataControls.cmek.enabled).toBe(true);
  });

  it('a caller without data_controls:write gets FORBIDDEN and no request is made', async () => {
    const WRITER = 'google-controls-writer-token-001';
    const scoped = await startGateway(h.sandbox, {
      auth: { mode: 'token', tokens: [{ name: 'w', token: WRITER, scopes: ['read', 'write'] }] },
    });
    try {
      const { body } = await postGraphQL(
        scoped.endpoint,
        {
          query: `mutation { updateGoogleDataControls(input: { projectNumber: "${PROJECT}", cmek: { enabled: false } }) { userErrors { code } } }`,
        },
        { authorization: `Bearer ${WRITER}` },
      );
      expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['data_controls:write']);
      expect(h.upstream()).toEqual([]);
    } finally {
      await scoped.close();
    }
  });
});
