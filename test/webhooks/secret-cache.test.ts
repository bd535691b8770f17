import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

/*
 * The webhook signing secret never reaches the shared read cache: with Redis behind the cache,
 * every value stored after a create, reads, a regeneration and more reads is free of it.
 */

let redis: TestRedis;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
  await redis.flush();
  h = await startHarness({ config: { redisUrl: redis.url, cacheTtlSeconds: 30 } });
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const { body } = await postGraphQL(h.endpoint, { query, variables });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as Record<string, unknown>;
};

/** Every string value the shared state holds, with its key. */
async function storedValues(): Promise<[string, string][]> {
  const client = new Redis(redis.url);
  try {
    const keys = await client.keys('*');
    const values: [string, string][] = [];
    for (const key of keys) {
      if ((await client.type(key)) === 'string') values.push([key, (await client.get(key)) ?? '']);
    }
    return values;
  } finally {
    await client.quit();
  }
}

it('keeps the signing secret out of the read cache, and reads never show it', async () => {
  const list = `{ organization { webhooks(first: 10) { nodes { id name } } } }`;
  await gql(list);
  const created = (
    await gql(
      `mutation { createWebhook(input: { url: "https://hooks.example.com/a", enabledEvents: [EXTERNAL_STORAGE_FAILED], name: "cache test" }) { webhook { id } signingSecret } }`,
    )
  ).createWebhook as { webhook: { id: string }; signingSecret: string };
  const id = created.webhook.id;
  const first = created.signingSecret;
  expect(first).toMatch(/^whsec_/);
  const read = `query ($id: ID!) { webhook(id: $id) { id name url } }`;
  await gql(read, { id });
  await expectNoSecret([first]);
  await gql(list);
  const regenerated = (
    await gql(
      `mutation ($id: ID!) { regenerateWebhookSigningSecret(input: { webhookId: $id }) { signingSecret webhook { id } } }`,
      { id },
    )
  ).regenerateWebhookSigningSecret as { signingSecret: string };
  const second = regenerated.signingSecret;
  h.resetCounts();
  const again = await gql(read, { id });
  expect(again).toEqual({
    webhook: { id, name: 'cache test', url: 'https://hooks.example.com/a' },
  });
  // Served from the cache: the endpoint as read after the regeneration.
  expect(h.upstream().map(show)).toEqual([]);

  await expectNoSecret([first, second]);
});

/** Fails when any value of the shared state holds one of `secrets` (or a `signing_secret`). */
async function expectNoSecret(secrets: string[]) {
  const values = await storedValues();
  const webhookEntries = values.filter(([key]) => key.includes(':webhooks:'));
  // The cache holds endpoints (so the check below is not vacuous), never a secret.
  expect(webhookEntries.length).toBeGreaterThan(0);
  for (const [key, value] of values) {
    for (const secret of secrets) expect(value, key).not.toContain(secret);
    expect(value, key).not.toContain('signing_secret');
  }
}
