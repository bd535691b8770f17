import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setWebhooksEnabled } from '../../src/sandbox/resources/webhooks.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const ROOT = '/v1/organizations/webhooks';
const BETA = 'webhooks-2026-10-07';

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

const LIST = /* GraphQL */ `
  query ($first: Int, $after: String, $order: WebhookOrder) {
    organization {
      webhooks(first: $first, after: $after, order: $order) {
        nodes {
          id
          name
          url
          enabledEvents
          enabledEventValues
          state
          disabledReason
          createdAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

interface ListedWebhook {
  id: string;
  name: string;
  state: string;
  disabledReason: string | null;
  enabledEvents: string[];
  createdAt: string;
}
type ListData = {
  organization: {
    webhooks: {
      nodes: ListedWebhook[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

async function list(variables: Record<string, unknown> = {}) {
  const body = await gql(LIST, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return (body.data as ListData).organization.webhooks;
}

async function walk(first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await list({ first, after });
    ids.push(...page.nodes.map((node) => node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const CREATE = /* GraphQL */ `
  mutation ($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      webhook {
        id
        name
        url
        enabledEvents
        state
      }
      signingSecret
      userErrors {
        code
        field
        message
      }
    }
  }
`;

type CreateData = {
  createWebhook: {
    webhook: { id: string; name: string; url: string; enabledEvents: string[]; state: string };
    signingSecret: string | null;
    userErrors: { code: string; field: string[] | null; message: string }[];
  };
};

async function create(input: Record<string, unknown>) {
  const body = await gql(CREATE, { input });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return (body.data as CreateData).createWebhook;
}

const NEW_ENDPOINT = {
  url: 'https://hooks.example.com/anthropic',
  enabledEvents: ['USER_PROFILE_ENFORCEMENT_ACTION_OPENED'],
  name: 'Moderation',
};

describe('reads', () => {
  it('lists the organization’s endpoints newest first, with the beta header, in one request', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes.map((node) => node.name)).toEqual([
      'Key health (staging)',
      'Storage on-call',
      'Trust & safety',
    ]);
    expect(page.nodes[0]).toMatchObject({
      state: 'DISABLED',
      disabledReason: 'Deliveries failed repeatedly for 3 days.',
      enabledEvents: ['EXTERNAL_KEY_FAILED', 'EXTERNAL_KEY_RECOVERED'],
    });
    expect(page.nodes[1]?.disabledReason).toBeNull();
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('passes the order on as `order`', async () => {
    const page = await list({ first: 10, order: 'OLDEST_FIRST' });
    expect(page.nodes.map((node) => node.name)).toEqual([
      'Trust & safety',
      'Storage on-call',
      'Key health (staging)',
    ]);
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=10&order=asc`]);
  });

  it('gives the same endpoints whatever the page size', async () => {
    for (let i = 0; i < 3; i++) await create({ ...NEW_ENDPOINT, name: `extra ${i}` });
    const whole = await walk(100);
    expect(whole).toHaveLength(6);
    expect(await walk(1)).toEqual(whole);
    expect(await walk(4)).toEqual(whole);
  });

  it('reads one endpoint by id, and through node; an unknown id is null', async () => {
    const [first] = (await list({ first: 1 })).nodes;
    h.resetCounts();
    const body = await gql(
      `query ($id: ID!) { webhook(id: $id) { id name } node(id: $id) { ... on Webhook { url } } missing: webhook(id: "whep_01unknown") { id } }`,
      { id: first!.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      webhook: { id: first!.id, name: first!.name },
      node: { url: 'https://staging.northwind.example/anthropic-webhooks' },
      missing: null,
    });
    // The lookups of two ids are one page of the list (an organization has at most 32): the
    // unknown id is not on it.
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}?limit=128`]);
    h.resetCounts();
    const alone = await gql(`query ($id: ID!) { webhook(id: $id) { id } }`, { id: first!.id });
    expect(alone.data).toEqual({ webhook: { id: first!.id } });
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}/${first!.id}`]);
  });

  it('refuses a malformed id before any request', async () => {
    const body = await gql(`{ webhook(id: "../users") { id } }`);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });
});

describe('an organization not enabled for webhooks', () => {
  it('answers the rest of the query and NOT_ENABLED for webhooks alone', async () => {
    setWebhooksEnabled(h.sandbox.store, false);
    const body = await gql(`{ organization { name webhooks(first: 5) { nodes { id } } } }`);
    expect(body.data).toEqual({ organization: { name: 'Northwind Robotics', webhooks: null } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['organization', 'webhooks'],
      extensions: { code: 'NOT_ENABLED' },
    });
    expect(body.errors?.[0]?.message).toContain(BETA);
  });

  it('fails createWebhook with NOT_ENABLED, not a userError', async () => {
    setWebhooksEnabled(h.sandbox.store, false);
    const body = await gql(CREATE, { input: NEW_ENDPOINT });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ['createWebhook'],
      extensions: { code: 'NOT_ENABLED' },
    });
    expect(h.upstream().map((r) => [show(r), r.status])).toEqual([[`POST ${ROOT}`, 404]]);
  });
});

describe('writes', () => {
  it('creates an endpoint: the payload shows the signing secret once', async () => {
    const created = await create(NEW_ENDPOINT);
    expect(created.userErrors).toEqual([]);
    expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(created.webhook).toMatchObject({
      name: 'Moderation',
      url: NEW_ENDPOINT.url,
      enabledEvents: ['USER_PROFILE_ENFORCEMENT_ACTION_OPENED'],
      state: 'ENABLED',
    });
    const [request] = h.upstream();
    expect(show(request!)).toBe(`POST ${ROOT}`);
    expect(request!.body).toEqual({
      url: NEW_ENDPOINT.url,
      enabled_events: ['user_profile.enforcement_action_opened'],
      name: 'Moderation',
    });
    // A later read finds it, without the secret.
    const read = await postGraphQL(h.endpoint, {
      query: `query ($id: ID!) { webhook(id: $id) { id name } }`,
      variables: { id: created.webhook.id },
    });
    expect(read.body.data).toEqual({ webhook: { id: created.webhook.id, name: 'Moderation' } });
    expect(JSON.stringify(read.body)).not.toContain(created.signingSecret);
  });

  it('updates an endpoint, and a later read in the same operation sees the change', async () => {
    const [target] = (await list({ first: 1 })).nodes;
    h.resetCounts();
    const body = await gql(
      `mutation ($id: ID!) {
        updateWebhook(input: { webhookId: $id, name: "Key health", state: ENABLED }) {
          webhook { name state disabledReason }
          userErrors { code }
        }
        regenerateWebhookSigningSecret(input: { webhookId: $id }) {
          webhook { name state }
          signingSecret
          userErrors { code }
        }
      }`,
      { id: target!.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      updateWebhook: {
        webhook: { name: 'Key health', state: 'ENABLED', disabledReason: null },
        userErrors: [],
      },
      regenerateWebhookSigningSecret: {
        webhook: { name: 'Key health', state: 'ENABLED' },
        userErrors: [],
      },
    });
    expect(h.upstream().map(show)).toEqual([
      `POST ${ROOT}/${target!.id}`,
      `POST ${ROOT}/${target!.id}/regenerate_signing_secret`,
      `GET ${ROOT}/${target!.id}`,
    ]);
    expect(h.upstream()[0]?.body).toEqual({ name: 'Key health', state: 'enabled' });
  });

  it('deletes an endpoint: it is gone from reads', async () => {
    const [target] = (await list({ first: 1 })).nodes;
    const body = await gql(
      `mutation ($id: ID!) { deleteWebhook(input: { webhookId: $id }) { deletedWebhookId userErrors { code } } }`,
      { id: target!.id },
    );
    expect(body.data).toEqual({ deleteWebhook: { deletedWebhookId: target!.id, userErrors: [] } });
    const after = await gql(`query ($id: ID!) { webhook(id: $id) { id } }`, { id: target!.id });
    expect(after.data).toEqual({ webhook: null });
    expect((await list({ first: 10 })).nodes.map((node) => node.id)).not.toContain(target!.id);
  });
});

describe('errors', () => {
  it('maps a refused field to a userError on that input field', async () => {
    const created = await create({ ...NEW_ENDPOINT, url: 'http://insecure.example.com/hook' });
    expect(created.webhook).toBeNull();
    expect(created.signingSecret).toBeNull();
    expect(created.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'url'], message: 'url: must be an HTTPS URL' },
    ]);
  });

  it('names the endpoint for an unknown id, and refuses a malformed one unsent', async () => {
    const body = await gql(`mutation {
      a: updateWebhook(input: { webhookId: "whep_01missing", name: "x" }) { userErrors { code field } }
      b: deleteWebhook(input: { webhookId: "not-an-id" }) { userErrors { code field } }
      c: createWebhook(input: { url: "https://x.example.com", enabledEvents: [UNKNOWN] }) { userErrors { code field } }
    }`);
    expect(body.data).toEqual({
      a: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'webhookId'] }] },
      b: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'webhookId'] }] },
      c: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'enabledEvents'] }] },
    });
    expect(h.upstream().map(show)).toEqual([`POST ${ROOT}/whep_01missing`]);
  });

  it('refuses a 33rd endpoint', async () => {
    for (let i = 3; i < 32; i++) await create({ ...NEW_ENDPOINT, name: `n${i}` });
    const refused = await create(NEW_ENDPOINT);
    expect(refused.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    expect(refused.userErrors[0]?.message).toContain('at most 32');
  });
});

describe('the signing secret', () => {
  it('is in no log line and not in /metrics', async () => {
    const created = await create(NEW_ENDPOINT);
    const secret = created.signingSecret!;
    const regenerated = await gql(
      `mutation ($id: ID!) { regenerateWebhookSigningSecret(input: { webhookId: $id }) { signingSecret } }`,
      { id: created.webhook.id },
    );
    const second = (
      regenerated.data as { regenerateWebhookSigningSecret: { signingSecret: string } }
    ).regenerateWebhookSigningSecret.signingSecret;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(secret);
    // An upstream error that echoes it would be scrubbed too.
    h.sandbox.injectFault({
      path: `${ROOT}/${created.webhook.id}`,
      status: 400,
      message: `bad ${second}`,
    });
    const echoed = await gql(
      `mutation ($id: ID!) { updateWebhook(input: { webhookId: $id, name: "y" }) { userErrors { message } } }`,
      { id: created.webhook.id },
    );
    expect(JSON.stringify(echoed)).not.toContain(second);
    const logs = h.logs.join('\n');
    expect(logs).toContain('webhooks.create');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(second);
    const metrics = await fetch(new URL('/metrics', h.endpoint));
    const text = await metrics.text();
    expect(metrics.status).toBe(200);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(second);
  });
});

describe('scopes', () => {
  let scoped: Harness;
  const WRITER = 'webhooks-test-writer-token-000001';
  beforeAll(async () => {
    scoped = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [{ name: 'writer', token: WRITER, scopes: ['read', 'write'] }],
        },
      },
    });
  });
  afterAll(() => scoped.close());

  it.each(['createWebhook', 'updateWebhook', 'deleteWebhook', 'regenerateWebhookSigningSecret'])(
    '%s needs webhooks:write and makes no request without it',
    async (field) => {
      const input =
        field === 'createWebhook'
          ? `{ url: "https://x.example.com", enabledEvents: [EXTERNAL_KEY_FAILED] }`
          : `{ webhookId: "whep_01abc" }`;
      const { body } = await postGraphQL(
        scoped.endpoint,
        { query: `mutation { ${field}(input: ${input}) { userErrors { code } } }` },
        { authorization: `Bearer ${WRITER}` },
      );
      expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['webhooks:write']);
      expect(scoped.upstream()).toEqual([]);
    },
  );
});

describe('cost estimate', () => {
  it('counts the connection, a lookup and each mutation as one request', async () => {
    const [first] = (await list({ first: 1 })).nodes;
    const cases: [string, number][] = [
      ['{ organization { webhooks(first: 5) { nodes { id } } } }', 1],
      [`{ webhook(id: "${first!.id}") { id } }`, 1],
      [`mutation { deleteWebhook(input: { webhookId: "${first!.id}" }) { deletedWebhookId } }`, 1],
    ];
    for (const [query, estimate] of cases) {
      h.resetCounts();
      const body = (await postGraphQL(h.endpoint, { query })).body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(estimate);
      expect(body.extensions?.cost?.upstreamRequests).toBe(h.upstream().length);
    }
  });
});
