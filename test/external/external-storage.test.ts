import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setExternalStorageEnabled } from '../../src/sandbox/resources/external-storage.js';
import {
  describe as show,
  postGraphQL,
  startGateway,
  startHarness,
  type Harness,
} from '../support/harness.js';

const ROOT = '/v1/organizations/external_storage';
const BETA = 'efs-2026-10-01';

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

interface Storage {
  id: string;
  displayName: string | null;
  provider: string;
  bucketName: string;
  lifecycle: string;
  removalStarted: boolean;
}
interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}
const FIELDS = 'id displayName provider bucketName lifecycle removalStarted';
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    organization {
      externalStorages(first: $first, after: $after) {
        nodes { ${FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;
type Page = { nodes: Storage[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
const list = async (variables: Record<string, unknown> = {}) =>
  (await data<{ organization: { externalStorages: Page } }>(LIST, variables)).organization
    .externalStorages;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateExternalStorageInput!) {
    createExternalStorage(input: $input) {
      externalStorage { ${FIELDS} }
      userErrors { code field message }
    }
  }
`;
const create = async (input: Record<string, unknown>) =>
  (
    await data<{
      createExternalStorage: { externalStorage: Storage | null; userErrors: UserError[] };
    }>(CREATE, { input })
  ).createExternalStorage;
const bucket = (name: string) => ({
  providerConfig: { aws: { accountId: '111122223333', bucketName: name, region: 'us-east-1' } },
});

const seeded = async () => {
  const nodes = (await list({ first: 10 })).nodes;
  const by = (lifecycle: string) => nodes.find((node) => node.lifecycle === lifecycle) as Storage;
  h.resetCounts();
  return { pending: by('PENDING_CONFIGURATION'), active: by('ACTIVE'), draining: by('DRAINING') };
};

describe('reads', () => {
  it('lists storage newest first, with the beta header, in one request', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes.map((node) => [node.provider, node.lifecycle])).toEqual([
      ['AWS', 'PENDING_CONFIGURATION'],
      ['GCP', 'DRAINING'],
      ['AWS', 'ACTIVE'],
    ]);
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('gives the same storage whatever the page size', async () => {
    for (let i = 0; i < 3; i++) await create(bucket(`paging-bucket-${i}`));
    const walk = async (first: number) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await list({ first, after });
        ids.push(...page.nodes.map((node) => node.id));
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

  it('looks storage up by id and through node; an unknown one is null', async () => {
    const { active } = await seeded();
    const body = await data<Record<string, unknown>>(
      `query ($id: ID!) {
        one: externalStorage(id: $id) { id lifecycle healthy }
        node(id: $id) { ... on ExternalStorage { bucketName } }
        missing: externalStorage(id: "estrg_01Missing") { id }
      }`,
      { id: active.id },
    );
    expect(body).toEqual({
      one: { id: active.id, lifecycle: 'ACTIVE', healthy: true },
      node: { bucketName: 'northwind-safety-retention' },
      missing: null,
    });
  });

  it('filters by user profile', async () => {
    await data(
      `{ organization { externalStorages(first: 5, userProfileIds: [""]) { nodes { id } } } }`,
    );
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?user_profile_ids[]=&limit=5`]);
  });

  it('is NOT_ENABLED on its field alone while the organization lacks the beta', async () => {
    setExternalStorageEnabled(h.sandbox.store, false);
    const body = await gql('{ organization { name externalStorages(first: 5) { nodes { id } } } }');
    expect(body.data).toEqual({
      organization: { name: expect.any(String), externalStorages: null },
    });
    expect(body.errors?.[0]?.path).toEqual(['organization', 'externalStorages']);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
    const created = await gql(CREATE, { input: bucket('gated-bucket') });
    expect(created.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
  });
});

describe('lifecycle', () => {
  it('creates pending storage, activates it (available), and a later read sees it', async () => {
    const created = await create({ ...bucket('fresh-bucket'), displayName: 'Fresh' });
    expect(created.userErrors).toEqual([]);
    expect(created.externalStorage).toMatchObject({
      displayName: 'Fresh',
      lifecycle: 'PENDING_CONFIGURATION',
    });
    const id = created.externalStorage?.id;
    const body = await data<Record<string, { externalStorage: Storage | null }>>(
      `mutation ($id: ID!) {
        activate: activateExternalStorage(input: { externalStorageId: $id }) { externalStorage { lifecycle } }
        rename: updateExternalStorage(input: { externalStorageId: $id }) { externalStorage { displayName lifecycle } }
      }`,
      { id },
    );
    expect(body).toEqual({
      activate: { externalStorage: { lifecycle: 'AVAILABLE' } },
      rename: { externalStorage: { displayName: null, lifecycle: 'AVAILABLE' } },
    });
    expect(h.upstream().map(show)).toEqual([
      `POST ${ROOT}`,
      `POST ${ROOT}/${id}/activate`,
      `POST ${ROOT}/${id}`,
    ]);
    expect(h.upstream()[2]?.body).toEqual({ display_name: null });
  });

  it('reports a failed verification as a userError, and a bucket registered twice as a CONFLICT', async () => {
    const created = await create(bucket('unverified-bucket'));
    const activated = await data<{ activateExternalStorage: { userErrors: UserError[] } }>(
      `mutation ($id: ID!) { activateExternalStorage(input: { externalStorageId: $id }) { externalStorage { id } userErrors { code field message } } }`,
      { id: created.externalStorage?.id },
    );
    expect(activated.activateExternalStorage.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'externalStorageId'],
        message: expect.stringContaining('versioning is not enabled'),
      },
    ]);
    const twice = await create(bucket('unverified-bucket'));
    expect(twice.userErrors).toEqual([
      {
        code: 'CONFLICT',
        field: ['input', 'externalStorageId'],
        message: expect.stringContaining('already registered'),
      },
    ]);
  });

  it('deletes pending storage at once', async () => {
    const { pending } = await seeded();
    const body = await data<{ deleteExternalStorage: Record<string, unknown> }>(
      `mutation ($id: ID!) { deleteExternalStorage(input: { externalStorageId: $id }) { deletedExternalStorageId removalStarted userErrors { code } } }`,
      { id: pending.id },
    );
    expect(body.deleteExternalStorage).toEqual({
      deletedExternalStorageId: pending.id,
      removalStarted: null,
      userErrors: [],
    });
    expect(h.upstream().map(show)).toEqual([`DELETE ${ROOT}/${pending.id}`]);
  });

  it('a delete of draining storage starts its irreversible removal: a CONFLICT saying so; a second delete finishes it', async () => {
    const { draining, active } = await seeded();
    const DELETE = `mutation ($id: ID!) { deleteExternalStorage(input: { externalStorageId: $id }) { deletedExternalStorageId removalStarted externalStorage { lifecycle } userErrors { code field message } } }`;
    const first = await data<{ deleteExternalStorage: Record<string, unknown> }>(DELETE, {
      id: draining.id,
    });
    expect(first.deleteExternalStorage).toEqual({
      deletedExternalStorageId: null,
      removalStarted: true,
      externalStorage: { lifecycle: 'DRAINING' },
      userErrors: [
        {
          code: 'CONFLICT',
          field: ['input', 'externalStorageId'],
          message: expect.stringContaining('cannot be undone'),
        },
      ],
    });
    // The refusal, then one read of the storage for removalStarted and externalStorage.
    expect(h.upstream().map((r) => [show(r), r.status])).toEqual([
      [`DELETE ${ROOT}/${draining.id}`, 400],
      [`GET ${ROOT}/${draining.id}`, 200],
    ]);
    const second = await data<{ deleteExternalStorage: Record<string, unknown> }>(DELETE, {
      id: draining.id,
    });
    expect(second.deleteExternalStorage['deletedExternalStorageId']).toBe(draining.id);
    const refused = await data<{ deleteExternalStorage: Record<string, unknown> }>(DELETE, {
      id: active.id,
    });
    expect(refused.deleteExternalStorage).toMatchObject({
      deletedExternalStorageId: null,
      removalStarted: false,
      userErrors: [{ code: 'CONFLICT' }],
    });
  });
});

describe('errors and scopes', () => {
  it('checks ids and provider input before any request', async () => {
    const body = await gql(`mutation {
      a: activateExternalStorage(input: { externalStorageId: "../users" }) { userErrors { code field } }
      b: createExternalStorage(input: { providerConfig: {} }) { userErrors { code field } }
    }`);
    expect(body.data).toEqual({
      a: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'externalStorageId'] }] },
      b: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'providerConfig'] }] },
    });
    expect(h.upstream()).toEqual([]);
  });

  it('names the field of a refused region', async () => {
    const created = await create({
      providerConfig: {
        gcp: { projectNumber: '123', bucketName: 'some-bucket', region: 'mars-1' },
      },
    });
    expect(created.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'providerConfig'],
        message: expect.stringContaining('mars-1'),
      },
    ]);
  });

  it('a caller without data_controls:write gets FORBIDDEN and no request is made', async () => {
    const WRITER = 'external-storage-writer-token-01';
    const scoped = await startGateway(h.sandbox, {
      auth: { mode: 'token', tokens: [{ name: 'w', token: WRITER, scopes: ['read', 'write'] }] },
    });
    try {
      const { body } = await postGraphQL(
        scoped.endpoint,
        {
          query:
            'mutation { deleteExternalStorage(input: { externalStorageId: "estrg_01abc" }) { userErrors { code } } }',
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
