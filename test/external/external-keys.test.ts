import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXTERNAL_KEY_IDS, FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  describe as show,
  postGraphQL,
  startGateway,
  startHarness,
  type Harness,
} from '../support/harness.js';

const ROOT = '/v1/organizations/external_keys';
const [FIXTURE_KEY, GCP_KEY, UNATTACHED_KEY] = EXTERNAL_KEY_IDS;

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

interface Key {
  id: string;
  displayName: string | null;
  attached: boolean;
  providerConfig: { provider: string; kmsArn: string | null; keyName: string | null };
}
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    organization {
      externalKeys(first: $first, after: $after) {
        nodes {
          id
          displayName
          attached
          providerConfig {
            provider
            kmsArn
            keyName
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
type Page = { nodes: Key[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
const list = async (variables: Record<string, unknown> = {}) =>
  (await data<{ organization: { externalKeys: Page } }>(LIST, variables)).organization.externalKeys;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateExternalKeyInput!) {
    createExternalKey(input: $input) {
      externalKey {
        id
        displayName
        attached
        geo
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}
const create = async (input: Record<string, unknown>) =>
  (
    await data<{
      createExternalKey: { externalKey: (Key & { geo: string }) | null; userErrors: UserError[] };
    }>(CREATE, { input })
  ).createExternalKey;
const AWS_KEY = {
  displayName: 'New CMK',
  providerConfig: {
    aws: { kmsArn: 'arn:aws:kms:us-east-1:111122223333:key/0000aaaa-1111-2222-3333-444455556666' },
  },
};

describe('reads', () => {
  it('lists the keys newest first in one request, with their provider and attachment', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes.map((key) => [key.id, key.providerConfig.provider, key.attached])).toEqual([
      [UNATTACHED_KEY, 'AZURE', false],
      [GCP_KEY, 'GCP', true],
      [FIXTURE_KEY, 'AWS', true],
    ]);
    expect(page.nodes[1]?.providerConfig.keyName).toMatch(/^projects\/.+\/cryptoKeys\//);
    expect(page.nodes[2]?.providerConfig.kmsArn).toMatch(/^arn:aws:kms:/);
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=10`]);
  });

  it('gives the same keys whatever the page size', async () => {
    for (let i = 0; i < 3; i++) await create({ ...AWS_KEY, displayName: `k${i}` });
    const walk = async (first: number) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await list({ first, after });
        ids.push(...page.nodes.map((key) => key.id));
        if (!page.pageInfo.hasNextPage) return ids;
        after = page.pageInfo.endCursor;
      }
      throw new Error('walk did not end');
    };
    const whole = await walk(50);
    expect(whole).toHaveLength(6);
    expect(await walk(1)).toEqual(whole);
    expect(await walk(4)).toEqual(whole);
  });

  it('looks keys up by id, through node and from a workspace, sharing one list page', async () => {
    const body = await data<Record<string, unknown>>(
      `query ($a: ID!, $b: ID!, $ws: ID!) {
        a: externalKey(id: $a) { id displayName }
        b: node(id: $b) { ... on ExternalKey { id geo } }
        workspace(id: $ws) { externalKeyId externalKey { id } }
        missing: externalKey(id: "ekey_01Missing") { id }
      }`,
      { a: FIXTURE_KEY, b: GCP_KEY, ws: FIXTURE_IDS.productionWorkspace },
    );
    expect(body['a']).toEqual({ id: FIXTURE_KEY, displayName: 'Production CMK (AWS KMS)' });
    expect(body['b']).toEqual({ id: GCP_KEY, geo: 'us' });
    expect(body['missing']).toBeNull();
    const keyRequests = h
      .upstream()
      .map(show)
      .filter((r) => r.includes(ROOT));
    expect(keyRequests).toEqual([`GET ${ROOT}?limit=1000`]);
  });

  it('refuses a malformed id before any request', async () => {
    const body = await gql('{ externalKey(id: "../users") { id } }');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });
});

describe('writes', () => {
  it('creates a key that the list then shows', async () => {
    const created = await create({ ...AWS_KEY, geo: 'us' });
    expect(created.userErrors).toEqual([]);
    expect(created.externalKey).toMatchObject({
      displayName: 'New CMK',
      attached: false,
      geo: 'us',
    });
    expect(h.upstream().map(show)).toEqual([`POST ${ROOT}`]);
    expect(h.upstream()[0]?.body).toEqual({
      provider_config: { type: 'aws', kms_arn: AWS_KEY.providerConfig.aws.kmsArn },
      display_name: 'New CMK',
      geo: 'us',
    });
    expect((await list({ first: 1 })).nodes[0]?.id).toBe(created.externalKey?.id);
  });

  it('a later read in the same operation sees an update', async () => {
    const body = await data<Record<string, { externalKey: { displayName: string } }>>(
      `mutation ($id: ID!) {
        before: validateExternalKey(input: { externalKeyId: $id }) { externalKey { displayName } }
        update: updateExternalKey(input: { externalKeyId: $id, displayName: "Renamed" }) { externalKey { displayName } }
        after: validateExternalKey(input: { externalKeyId: $id }) { externalKey { displayName } }
      }`,
      { id: UNATTACHED_KEY },
    );
    expect(body['before']?.externalKey.displayName).toBeNull();
    expect(body['update']?.externalKey.displayName).toBe('Renamed');
    expect(body['after']?.externalKey.displayName).toBe('Renamed');
  });

  it('deletes an unreferenced key; it is then gone', async () => {
    const body = await data<{ deleteExternalKey: { deletedExternalKeyId: string } }>(
      `mutation { deleteExternalKey(input: { externalKeyId: "${UNATTACHED_KEY}" }) { deletedExternalKeyId userErrors { code } } }`,
    );
    expect(body.deleteExternalKey.deletedExternalKeyId).toBe(UNATTACHED_KEY);
    expect(await data(`{ externalKey(id: "${UNATTACHED_KEY}") { id } }`)).toEqual({
      externalKey: null,
    });
  });

  it('refuses to delete a key a workspace references, or to change its provider, as a CONFLICT', async () => {
    const body = await data<Record<string, { userErrors: UserError[] }>>(
      `mutation ($id: ID!) {
        del: deleteExternalKey(input: { externalKeyId: $id }) { deletedExternalKeyId userErrors { code field message } }
        upd: updateExternalKey(input: { externalKeyId: $id, providerConfig: { aws: { kmsArn: "arn:aws:kms:us-east-1:111122223333:key/other" } } }) { externalKey { id } userErrors { code field message } }
      }`,
      { id: FIXTURE_KEY },
    );
    for (const field of ['del', 'upd']) {
      expect(body[field]?.userErrors).toEqual([
        {
          code: 'CONFLICT',
          field: ['input', 'externalKeyId'],
          message: expect.stringContaining('Workspaces still reference this external key'),
        },
      ]);
    }
    expect(h.upstream().map((r) => [show(r), r.status])).toEqual([
      [`DELETE ${ROOT}/${FIXTURE_KEY}`, 400],
      [`POST ${ROOT}/${FIXTURE_KEY}`, 400],
    ]);
  });

  it('validates a key: success, and a KMS failure as its reason', async () => {
    const failing = await create({
      providerConfig: {
        gcp: { keyName: 'projects/p/locations/us/keyRings/r/cryptoKeys/unreachable' },
      },
    });
    const body = await data<Record<string, unknown>>(
      `mutation ($ok: ID!, $bad: ID!) {
        ok: validateExternalKey(input: { externalKeyId: $ok }) { valid error userErrors { code } }
        bad: validateExternalKey(input: { externalKeyId: $bad }) { valid error userErrors { code } }
      }`,
      { ok: FIXTURE_KEY, bad: failing.externalKey?.id },
    );
    expect(body).toEqual({
      ok: { valid: true, error: null, userErrors: [] },
      bad: { valid: false, error: expect.stringContaining('30 seconds'), userErrors: [] },
    });
  });
});

describe('errors', () => {
  it('maps refusals to userErrors on the input field at fault, and checks input before sending', async () => {
    const badArn = await create({ providerConfig: { aws: { kmsArn: 'not-an-arn' } } });
    expect(badArn.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'providerConfig', 'aws', 'kmsArn'],
        message: 'providerConfig.aws.kmsArn: must be the ARN of a KMS key or alias',
      },
    ]);
    h.resetCounts();
    const body = await gql(`mutation {
      two: createExternalKey(input: { providerConfig: { gcp: { keyName: "x" }, azure: { keyName: "k", vaultUri: "https://v.vault.azure.net", tenantId: "t" } } }) { userErrors { code field } }
      missing: updateExternalKey(input: { externalKeyId: "ekey_01Missing", displayName: "x" }) { userErrors { code field } }
      malformed: deleteExternalKey(input: { externalKeyId: "nope" }) { userErrors { code field } }
    }`);
    expect(body.data).toEqual({
      two: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'providerConfig'] }] },
      missing: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'externalKeyId'] }] },
      malformed: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'externalKeyId'] }] },
    });
    expect(h.upstream().map(show)).toEqual([`POST ${ROOT}/ekey_01Missing`]);
  });
});

describe('validate timeout', () => {
  it('waits for the KMS longer than UPSTREAM_TIMEOUT_MS, where a read times out', async () => {
    const short = await startGateway(h.sandbox, { upstreamTimeoutMs: 200 });
    try {
      h.sandbox.injectFault({
        kind: 'latency',
        path: `${ROOT}/${FIXTURE_KEY}/validate`,
        delayMs: 600,
      });
      h.sandbox.injectFault({ kind: 'latency', path: `${ROOT}/${FIXTURE_KEY}`, delayMs: 600 });
      const validated = await postGraphQL(short.endpoint, {
        query: `mutation { validateExternalKey(input: { externalKeyId: "${FIXTURE_KEY}" }) { valid } }`,
      });
      expect(validated.body.errors).toBeUndefined();
      expect(validated.body.data).toEqual({ validateExternalKey: { valid: true } });
      const read = await postGraphQL(short.endpoint, {
        query: `{ externalKey(id: "${FIXTURE_KEY}") { id } }`,
      });
      expect(read.body.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamErrorType: 'timeout',
      });
      // The emulator still answers the read late: let it land before the next test counts requests.
      await vi.waitFor(() =>
        expect(h.upstream().filter((r) => r.fault === 'latency')).toHaveLength(2),
      );
    } finally {
      await short.close();
    }
  });
});

describe('scopes', () => {
  const WRITER = 'external-keys-writer-token-000001';
  const OWNER = 'external-keys-owner-token-0000001';
  let scoped: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    scoped = await startGateway(h.sandbox, {
      auth: {
        mode: 'token',
        tokens: [
          { name: 'w', token: WRITER, scopes: ['read', 'write'] },
          { name: 'o', token: OWNER, scopes: ['read', 'write', 'data_controls:write'] },
        ],
      },
    });
  });
  afterAll(() => scoped.close());

  it.each([
    `createExternalKey(input: { providerConfig: { gcp: { keyName: "x" } } }) { userErrors { code } }`,
    `updateExternalKey(input: { externalKeyId: "${FIXTURE_KEY}", displayName: "x" }) { userErrors { code } }`,
    `deleteExternalKey(input: { externalKeyId: "${UNATTACHED_KEY}" }) { userErrors { code } }`,
    `validateExternalKey(input: { externalKeyId: "${FIXTURE_KEY}" }) { valid }`,
  ])('%s needs data_controls:write and makes no request without it', async (field) => {
    const { body } = await postGraphQL(
      scoped.endpoint,
      { query: `mutation { ${field} }` },
      { authorization: `Bearer ${WRITER}` },
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['data_controls:write']);
    expect(h.upstream()).toEqual([]);
  });

  it('a caller with data_controls:write may validate', async () => {
    const { body } = await postGraphQL(
      scoped.endpoint,
      {
        query: `mutation { validateExternalKey(input: { externalKeyId: "${FIXTURE_KEY}" }) { valid } }`,
      },
      { authorization: `Bearer ${OWNER}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ validateExternalKey: { valid: true } });
  });
});

describe('cost estimate', () => {
  it('counts the connection, a lookup and validate as one request each', async () => {
    for (const query of [
      '{ organization { externalKeys(first: 5) { nodes { id } } } }',
      `{ externalKey(id: "${FIXTURE_KEY}") { id } }`,
      `mutation { validateExternalKey(input: { externalKeyId: "${FIXTURE_KEY}" }) { valid } }`,
    ]) {
      h.resetCounts();
      const body = (await postGraphQL(h.endpoint, { query })).body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(1);
      expect(body.extensions?.cost?.upstreamRequests).toBe(h.upstream().length);
    }
  });
});
