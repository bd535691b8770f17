import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { print } from 'graphql';
import { startHarness, type Harness } from '../support/harness.js';
import { MUTATIONS, payloadOf } from '../mutations/table.js';
import { TOKEN_AUTH, UPDATE_KEY, post, rowsOf } from './helpers.js';

const KEY = FIXTURE_IDS.activeApiKey;
const INVITE = FIXTURE_IDS.pendingInvite;
const ORG = '/v1/organizations';

const DELETE_INVITE = `mutation Drop($input: DeleteInviteInput!) {
  deleteInvite(input: $input) { deletedInviteId userErrors { code } }
}`;

interface DryRunExtension {
  calls: { field: string; method: string; path: string; body: unknown; write: boolean }[];
  budget: { estimatedUpstreamRequests: number; remaining: number | null };
}

/** The same operation marked `@dryRun`. */
const asDryRun = (document: string) =>
  document.replace(/^mutation (\w+)(\([^)]*\))/, 'mutation $1$2 @dryRun');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { auth: TOKEN_AUTH } });
  await h.gateway.database();
}, 60_000);
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

/** The REST calls of a real run, as the sandbox received them. */
const received = () =>
  h.upstream().map((request) => ({
    method: request.method,
    path: request.path,
    body: request.body ?? null,
  }));

describe('dry runs make zero upstream requests', () => {
  it('a write (@dryRun): the exact REST call, result null, audited as dry_run', async () => {
    const input = { apiKeyId: KEY, name: 'rehearsed' };
    const dry = await post(h, asDryRun(UPDATE_KEY), { input });
    expect(dry.body.errors).toBeUndefined();
    expect(h.upstream()).toEqual([]);
    expect(dry.body.data).toEqual({ updateApiKey: { apiKey: null, userErrors: [] } });
    const extension = (dry.body as { extensions?: { dryRun?: DryRunExtension } }).extensions
      ?.dryRun;
    expect(extension?.calls).toEqual([
      {
        field: 'updateApiKey',
        operation: 'api_keys.update',
        method: 'POST',
        path: `${ORG}/api_keys/${KEY}`,
        query: {},
        body: { name: 'rehearsed' },
        write: true,
      },
    ]);
    expect(extension?.budget.estimatedUpstreamRequests).toBe(1);
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({ outcome: 'dry_run', refusal: 'dry_run', upstream: [] });

    // The real run sends exactly what the dry run listed.
    const real = await post(h, UPDATE_KEY, { input });
    expect(real.body.errors).toBeUndefined();
    expect(received()).toEqual(
      extension!.calls.map(({ method, path, body }) => ({ method, path, body })),
    );
  });

  it('a delete (header x-dry-run: 1)', async () => {
    const input = { inviteId: INVITE };
    const dry = await post(
      h,
      DELETE_INVITE,
      { input },
      {
        authorization: `Bearer ${TOKEN_AUTH.tokens[0]!.token}`,
        'x-dry-run': '1',
      },
    );
    expect(dry.body.errors).toBeUndefined();
    expect(h.upstream()).toEqual([]);
    const calls = (dry.body as { extensions?: { dryRun?: DryRunExtension } }).extensions?.dryRun
      ?.calls;
    expect(calls?.map(({ method, path }) => [method, path])).toEqual([
      ['DELETE', `${ORG}/invites/${INVITE}`],
    ]);
    await post(h, DELETE_INVITE, { input });
    expect(h.upstream().map((r) => [r.method, r.path])).toEqual([
      ['DELETE', `${ORG}/invites/${INVITE}`],
    ]);
  });

  it('predicted userErrors are answered, nothing is sent', async () => {
    const dry = await post(h, asDryRun(UPDATE_KEY), {
      input: { apiKeyId: 'apikey_not-an-id!', name: 'x' },
    });
    expect(h.upstream()).toEqual([]);
    expect(dry.body.data).toEqual({
      updateApiKey: {
        apiKey: null,
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'apiKeyId'] }],
      },
    });
    const extension = (dry.body as { extensions?: { dryRun?: DryRunExtension } }).extensions
      ?.dryRun;
    expect(extension?.calls).toEqual([]);
    const [row] = (await rowsOf(h)).slice(-1);
    expect(row).toMatchObject({ outcome: 'dry_run', codes: ['INVALID_INPUT'] });
  });
});

describe.each(MUTATIONS)('$name as a dry run', (mutation) => {
  it('sends nothing and lists the REST call the real run makes', async () => {
    const document = print(mutation.document).replace(
      /^mutation (\w+)(\([^)]*\))?/,
      (m) => `${m} @dryRun`,
    );
    const dry = await post(h, document, { input: mutation.input });
    expect(dry.body.errors, JSON.stringify(dry.body)).toBeUndefined();
    expect(h.upstream()).toEqual([]);
    const payload = payloadOf(dry.body, mutation.name);
    expect(payload[mutation.result]).toBeNull();
    expect(payload.userErrors).toEqual([]);
    const calls = (dry.body as { extensions?: { dryRun?: DryRunExtension } }).extensions?.dryRun
      ?.calls;
    expect(calls?.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: mutation.method, path: mutation.path, body: mutation.body ?? null },
    ]);
  });
});
