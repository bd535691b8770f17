import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import {
  claudeTagFixtures,
  setClaudeTagEnabled,
  setClaudeTagWritesEnabled,
} from '../../src/sandbox/resources/claude-tag.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

const ROOT = '/v1/organizations/claude_tag';

let h: Harness;
let ids: ReturnType<typeof claudeTagFixtures>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  ids = claudeTagFixtures(h.sandbox.store);
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.sandbox.url}${path}`, {
    method,
    headers: {
      'x-api-key': DEFAULT_SANDBOX_KEY,
      'anthropic-version': '2023-06-01',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
const errorOf = (json: Record<string, unknown>) =>
  json['error'] as { type: string; message: string; details?: Record<string, unknown> };

describe('the Claude Tag emulator', () => {
  it('is stateful: a channel set up is listed, found by its Slack id, changed and removed', async () => {
    const made = await call('POST', `${ROOT}/slack_channels`, {
      slack: { workspace_id: 'T02ACMEDEV', channel_id: 'C12DEPLOYS' },
      settings: { enabled: false, instructions: '  Ship on Fridays.  ' },
    });
    expect(made.status).toBe(200);
    const id = made.json['id'] as string;
    expect(made.json).toMatchObject({
      type: 'slack_channel',
      settings: { enabled: false, instructions: 'Ship on Fridays.' },
      sources: { enabled: { type: 'slack_channel', slack_channel_id: id }, model: null },
    });
    const found = await call(
      'GET',
      `${ROOT}/slack_channels?slack_workspace_id=T02ACMEDEV&slack_channel_id=C12DEPLOYS&limit=1&page=ignored`,
    );
    expect((found.json['data'] as { id: string }[]).map((c) => c.id)).toEqual([id]);
    const changed = await call('POST', `${ROOT}/slack_channels/${id}`, {
      settings: { instructions: null, reply_mode: { type: 'thread' } },
    });
    expect(changed.json).toMatchObject({
      settings: { instructions: null, reply_mode: { type: 'thread' } },
    });
    const cleared = await call('POST', `${ROOT}/slack_channels/${id}`, {
      settings: { reply_mode: null },
    });
    expect(cleared.status).toBe(400);
    expect(errorOf(cleared.json).message).toMatch(/^settings\.reply_mode: /);
    expect((await call('DELETE', `${ROOT}/slack_channels/${id}`)).json).toEqual({
      id,
      type: 'slack_channel_deleted',
    });
    expect((await call('GET', `${ROOT}/slack_channels/${id}`)).status).toBe(404);
  });

  it('refuses bad parameters with 400 naming them, and unknown ids with 404', async () => {
    const noWorkspace = await call('GET', `${ROOT}/slack_channels`);
    expect(noWorkspace.status).toBe(400);
    expect(errorOf(noWorkspace.json).message).toMatch(/^slack_workspace_id: /);
    const extra = await call('POST', `${ROOT}/slack_workspaces/${ids.acme}`, {
      settings: { colour: 'blue' },
    });
    expect(extra.status).toBe(400);
    expect(errorOf(extra.json).message).toMatch(/^colour: /);
    const replyOnWorkspace = await call('POST', `${ROOT}/slack_workspaces/${ids.acme}`, {
      settings: { reply_mode: { type: 'automatic' } },
    });
    expect(errorOf(replyOnWorkspace.json).message).toMatch(/^settings\.reply_mode: /);
    expect((await call('GET', `${ROOT}/slack_workspaces/slws_01missing`)).status).toBe(404);
    expect((await call('GET', `${ROOT}/bundles/capp_01missing`)).status).toBe(404);
    expect((await call('GET', `${ROOT}/slack_channels?slack_workspace_id=T09UNKNOWN`)).status).toBe(
      404,
    );
    const limit = await call('GET', `${ROOT}/bundles?limit=0`);
    expect(errorOf(limit.json).message).toMatch(/^limit: /);
  });

  it('sets a channel up before refusing its settings, and says which channel in the details', async () => {
    const refused = await call('POST', `${ROOT}/slack_channels`, {
      slack: { workspace_id: 'T01NRTHWND', channel_id: 'C03RANDOM' },
      settings: { model: 'not-entitled' },
    });
    expect(refused.status).toBe(400);
    const details = errorOf(refused.json).details as {
      error_code: string;
      slack_channel_id: string;
    };
    expect(details.error_code).toBe('slack_channel_set_up_settings_refused');
    expect((await call('GET', `${ROOT}/slack_channels/${details.slack_channel_id}`)).status).toBe(
      200,
    );
  });

  it('a bundle target id is the same for the same bundle and target, also after a detach', async () => {
    const attach = () =>
      call('POST', `${ROOT}/bundles/${ids.design}/targets`, {
        type: 'slack_workspace',
        slack_workspace_id: ids.acme,
      });
    const first = (await attach()).json['id'] as string;
    expect((await call('DELETE', `${ROOT}/bundles/${ids.design}/targets/${first}`)).status).toBe(
      200,
    );
    expect((await call('DELETE', `${ROOT}/bundles/${ids.design}/targets/${first}`)).status).toBe(
      404,
    );
    expect((await attach()).json['id']).toBe(first);
    expect((await call('GET', `${ROOT}/bundles/${ids.tools}/targets/${first}`)).status).toBe(404);
  });

  it('switches: the beta off answers 404 everywhere; writes off answer 403 with their code', async () => {
    setClaudeTagWritesEnabled(h.sandbox.store, false);
    const write = await call('POST', `${ROOT}/bundles/${ids.tools}`, { instructions: 'x' });
    expect(write.status).toBe(403);
    expect(errorOf(write.json).details).toEqual({ error_code: 'claude_tag_writes_not_enabled' });
    expect((await call('GET', `${ROOT}/bundles/${ids.tools}`)).status).toBe(200);
    setClaudeTagEnabled(h.sandbox.store, false);
    expect((await call('GET', `${ROOT}/bundles`)).status).toBe(404);
    expect((await call('GET', `${ROOT}/slack_workspaces`)).status).toBe(404);
  });

  it('the fault knobs apply to its routes', async () => {
    h.sandbox.injectFault({ path: `${ROOT}/bundles`, status: 503 });
    expect((await call('GET', `${ROOT}/bundles`)).status).toBe(503);
    expect((await call('GET', `${ROOT}/bundles`)).status).toBe(200);
  });
});

describe('federation', () => {
  it('resolves Claude Tag entities through the loaders; an unknown id is null', async () => {
    const subgraph = h.endpoint.replace(/\/graphql$/, '/subgraph');
    const { body } = await postGraphQL(subgraph, {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { __typename
        ... on ClaudeTagSlackWorkspace { slackWorkspaceId }
        ... on ClaudeTagSlackChannel { slack { channelId } }
        ... on ClaudeTagBundle { displayName } } }`,
      variables: {
        r: [
          { __typename: 'ClaudeTagSlackWorkspace', id: ids.northwind },
          { __typename: 'ClaudeTagSlackChannel', id: ids.general },
          { __typename: 'ClaudeTagBundle', id: ids.tools },
          { __typename: 'ClaudeTagBundle', id: 'capp_01missing' },
        ],
      },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.['_entities']).toEqual([
      { __typename: 'ClaudeTagSlackWorkspace', slackWorkspaceId: 'T01NRTHWND' },
      { __typename: 'ClaudeTagSlackChannel', slack: { channelId: 'C01GENERAL' } },
      { __typename: 'ClaudeTagBundle', displayName: 'Engineering tools' },
      null,
    ]);
  });
});
