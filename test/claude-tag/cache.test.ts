import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claudeTagFixtures, setClaudeTagEnabled } from '../../src/sandbox/resources/claude-tag.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

/* Claude Tag reads through the shared read cache (on here, off in the other files). */

const ROOT = '/v1/organizations/claude_tag';

let h: Harness;
let ids: ReturnType<typeof claudeTagFixtures>;
beforeAll(async () => {
  h = await startHarness({ config: { cacheTtlSeconds: 300 } });
});
afterAll(() => h.close());
// The two tests read different objects, so that neither depends on what the other cached.
beforeEach(() => {
  h.sandbox.reset();
  ids = claudeTagFixtures(h.sandbox.store);
  h.resetCounts();
});

const gql = async (query: string, variables: Record<string, unknown> = {}) =>
  (await postGraphQL(h.endpoint, { query, variables })).body;

const CHANNEL = `query ($id: ID!, $inherited: Boolean) { claudeTagSlackChannel(id: $id, includeInherited: $inherited) { settings { includesInherited model instructions } } }`;
type ChannelData = {
  claudeTagSlackChannel: {
    settings: { includesInherited: boolean; model: string | null; instructions: string | null };
  };
};

describe('the read cache', () => {
  it('keeps a channel’s stored and inherited settings apart, and a write drops both', async () => {
    const read = async (inherited: boolean) =>
      ((await gql(CHANNEL, { id: ids.general, inherited })).data as ChannelData)
        .claudeTagSlackChannel.settings;
    expect(await read(false)).toEqual({
      includesInherited: false,
      model: null,
      instructions: null,
    });
    expect(await read(true)).toMatchObject({ includesInherited: true, model: 'claude-sonnet-4-5' });
    expect(await read(false)).toMatchObject({ includesInherited: false, model: null });
    expect(await read(true)).toMatchObject({ includesInherited: true, model: 'claude-sonnet-4-5' });
    expect(h.upstream().map(show)).toEqual([
      `GET ${ROOT}/slack_channels/${ids.general}`,
      `GET ${ROOT}/slack_channels/${ids.general}?include_inherited=true`,
    ]);

    const body = await gql(
      `mutation ($id: ID!) { updateClaudeTagSlackChannel(input: { channelId: $id, settings: { model: "opus" } }) { userErrors { code } } }`,
      { id: ids.general },
    );
    expect(body.errors).toBeUndefined();
    expect(await read(true)).toMatchObject({ model: 'opus' });
    expect(await read(false)).toMatchObject({ model: 'opus' });
  });

  it('keeps NOT_ENABLED for a list whose 404 the cache holds', async () => {
    setClaudeTagEnabled(h.sandbox.store, false);
    const query = `{ organization { claudeTagBundles(first: 1) { nodes { id } } } }`;
    for (let i = 0; i < 2; i++) {
      const body = await gql(query);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
    }
    expect(h.upstream().map(show)).toEqual([`GET ${ROOT}/bundles?limit=1`]);
  });
});
