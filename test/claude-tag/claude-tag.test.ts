import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claudeTagFixtures,
  setClaudeTagEnabled,
  setClaudeTagWritesEnabled,
} from '../../src/sandbox/resources/claude-tag.js';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const ROOT = '/v1/organizations/claude_tag';
const BETA = 'experimental-claude-tag-2026-10-21';
const WRITER = 'claude-tag-writer-token-000000001';
const NO_SCOPE = 'claude-tag-plain-writer-00000001';

let h: Harness;
let ids: ReturnType<typeof claudeTagFixtures>;
beforeAll(async () => {
  h = await startHarness({
    config: {
      auth: {
        mode: 'token',
        tokens: [
          { name: 'tag', token: WRITER, scopes: ['read', 'write', 'claude_tag:write'] },
          { name: 'plain', token: NO_SCOPE, scopes: ['read', 'write'] },
        ],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  ids = claudeTagFixtures(h.sandbox.store);
  h.resetCounts();
});

type Body = Awaited<ReturnType<typeof postGraphQL>>['body'];
const gql = async (
  query: string,
  variables: Record<string, unknown> = {},
  token = WRITER,
): Promise<Body> =>
  (await postGraphQL(h.endpoint, { query, variables }, { authorization: `Bearer ${token}` })).body;

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

const calls = () => h.upstream().map(show);

interface UserErrors {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const SOURCE = `kind kindValue slackChannelId slackWorkspaceId`;
const SETTINGS = `settings { includesInherited enabled environmentId guestPolicy instructions model replyMode
  sources { enabled { ${SOURCE} } model { ${SOURCE} } guestPolicy { ${SOURCE} } replyMode { ${SOURCE} } instructions { ${SOURCE} } } }`;

interface Source {
  kind: string;
  kindValue: string;
  slackChannelId: string | null;
  slackWorkspaceId: string | null;
}
interface Settings {
  includesInherited: boolean;
  enabled: boolean | null;
  environmentId: string | null;
  guestPolicy: string | null;
  instructions: string | null;
  model: string | null;
  replyMode: string | null;
  sources: {
    enabled: Source | null;
    model: Source | null;
    guestPolicy: Source | null;
    replyMode: Source | null;
    instructions: Source[];
  };
}

const WORKSPACES = /* GraphQL */ `
  query ($first: Int, $after: String, $inherited: Boolean) {
    organization {
      claudeTagSlackWorkspaces(first: $first, after: $after, includeInherited: $inherited) {
        nodes { id slackWorkspaceId ${SETTINGS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;
interface WorkspaceNode {
  id: string;
  slackWorkspaceId: string;
  settings: Settings;
}
type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

const CHANNELS = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String, $inherited: Boolean) {
    claudeTagSlackWorkspace(id: $id) {
      channels(first: $first, after: $after, includeInherited: $inherited) {
        nodes { id slack { channelId workspaceId } ${SETTINGS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;
interface ChannelNode {
  id: string;
  slack: { channelId: string; workspaceId: string };
  settings: Settings;
}
const channels = async (variables: Record<string, unknown>) =>
  (
    await data<{ claudeTagSlackWorkspace: { channels: Page<ChannelNode> } }>(CHANNELS, {
      id: ids.northwind,
      ...variables,
    })
  ).claudeTagSlackWorkspace.channels;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateClaudeTagSlackChannelInput!) {
    createClaudeTagSlackChannel(input: $input) {
      slackChannel { id slack { channelId } ${SETTINGS} }
      settingsApplied
      userErrors { code field message }
    }
  }
`;
type CreatePayload = UserErrors & {
  slackChannel: (ChannelNode & { slack: { channelId: string } }) | null;
  settingsApplied: boolean | null;
};
const create = async (input: Record<string, unknown>) =>
  (await data<{ createClaudeTagSlackChannel: CreatePayload }>(CREATE, { input }))
    .createClaudeTagSlackChannel;

describe('reads', () => {
  it('lists Slack workspaces newest first with their stored settings, in one request with the beta', async () => {
    const page = (
      await data<{ organization: { claudeTagSlackWorkspaces: Page<WorkspaceNode> } }>(WORKSPACES, {
        first: 10,
      })
    ).organization.claudeTagSlackWorkspaces;
    expect(page.nodes.map((node) => node.slackWorkspaceId)).toEqual(['T02ACMEDEV', 'T01NRTHWND']);
    const northwind = page.nodes[1]!.settings;
    expect(northwind).toMatchObject({
      includesInherited: false,
      enabled: null,
      model: null,
      environmentId: 'env_01SandboxDefault',
      instructions: 'This is the Northwind engineering workspace.',
      replyMode: null,
    });
    expect(northwind.sources.enabled).toBeNull();
    expect(northwind.sources.instructions).toEqual([
      {
        kind: 'SLACK_WORKSPACE',
        kindValue: 'slack_workspace',
        slackChannelId: null,
        slackWorkspaceId: ids.northwind,
      },
    ]);
    expect(calls()).toEqual([`GET ${ROOT}/slack_workspaces?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('with includeInherited, settings are what applies and every source is named', async () => {
    const page = (
      await data<{ organization: { claudeTagSlackWorkspaces: Page<WorkspaceNode> } }>(WORKSPACES, {
        first: 10,
        inherited: true,
      })
    ).organization.claudeTagSlackWorkspaces;
    const northwind = page.nodes[1]!.settings;
    expect(northwind).toMatchObject({
      includesInherited: true,
      enabled: true,
      model: 'claude-sonnet-4-5',
      guestPolicy: 'RESTRICT',
      instructions:
        'Answer in the language of the question.\n\nThis is the Northwind engineering workspace.',
    });
    expect(northwind.sources.enabled?.kind).toBe('SLACK_DEFAULT');
    expect(northwind.sources.replyMode?.kind).toBe('DEFAULT');
    expect(northwind.sources.instructions.map((source) => source.kind)).toEqual([
      'SLACK_DEFAULT',
      'SLACK_WORKSPACE',
    ]);
    expect(calls()).toEqual([`GET ${ROOT}/slack_workspaces?include_inherited=true&limit=10`]);
  });

  it('lists a workspace’s channels by its Slack id; a channel’s settings inherit from its workspace', async () => {
    const page = await channels({ first: 5, inherited: true });
    expect(page.nodes.map((node) => node.slack.channelId)).toEqual(['C02ONCALL', 'C01GENERAL']);
    const general = page.nodes[1]!.settings;
    expect(general.replyMode).toBe('MENTION_ONLY');
    expect(general.sources.replyMode).toMatchObject({
      kind: 'SLACK_CHANNEL',
      slackChannelId: ids.general,
    });
    expect(general.environmentId).toBe('env_01SandboxDefault');
    expect(general.sources.instructions.map((source) => source.kind)).toEqual([
      'SLACK_DEFAULT',
      'SLACK_WORKSPACE',
    ]);
    expect(calls()).toEqual([
      `GET ${ROOT}/slack_workspaces/${ids.northwind}`,
      `GET ${ROOT}/slack_channels?slack_workspace_id=T01NRTHWND&include_inherited=true&limit=5`,
    ]);
  });

  it('gives the same channels whatever the page size, and a cursor pages only its own arguments', async () => {
    for (const channel of ['C03RANDOM', 'C04DESIGN', 'C05SUPPORT']) {
      await create({ slackWorkspaceId: 'T01NRTHWND', slackChannelId: channel });
    }
    const walk = async (first: number) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: Page<ChannelNode> = await channels({ first, after });
        seen.push(...page.nodes.map((node) => node.slack.channelId));
        if (!page.pageInfo.hasNextPage) return seen;
        after = page.pageInfo.endCursor;
      }
      throw new Error('walk did not end');
    };
    const whole = await walk(50);
    expect(whole).toHaveLength(5);
    expect(await walk(1)).toEqual(whole);
    expect(await walk(2)).toEqual(whole);

    const first = await channels({ first: 2 });
    h.resetCounts();
    const body = await gql(CHANNELS, {
      id: ids.northwind,
      first: 2,
      after: first.pageInfo.endCursor,
      inherited: true,
    });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/other arguments/);
    expect(calls()).toEqual([`GET ${ROOT}/slack_workspaces/${ids.northwind}`]);
  });

  it('reads nodes by id, bundles with their targets, and a target by id', async () => {
    const query = /* GraphQL */ `
      query ($ws: ID!, $ch: ID!, $b: ID!) {
        ws: node(id: $ws) {
          ... on ClaudeTagSlackWorkspace {
            slackWorkspaceId
          }
        }
        ch: node(id: $ch) {
          ... on ClaudeTagSlackChannel {
            slack {
              channelId
            }
            slackWorkspace {
              id
            }
          }
        }
        b: node(id: $b) {
          ... on ClaudeTagBundle {
            displayName
            instructions
            targets(first: 5) {
              nodes {
                id
                kind
                slackWorkspaceId
                slackWorkspace {
                  slackWorkspaceId
                }
                bundle {
                  id
                }
              }
            }
          }
        }
      }
    `;
    const result = await data<{
      ws: { slackWorkspaceId: string };
      ch: { slack: { channelId: string }; slackWorkspace: { id: string } };
      b: {
        displayName: string;
        instructions: string;
        targets: {
          nodes: { id: string; kind: string; slackWorkspaceId: string; bundle: { id: string } }[];
        };
      };
    }>(query, { ws: ids.northwind, ch: ids.oncall, b: ids.tools });
    expect(result.ws.slackWorkspaceId).toBe('T01NRTHWND');
    expect(result.ch.slackWorkspace.id).toBe(ids.northwind);
    expect(result.b.displayName).toBe('Engineering tools');
    const [target] = result.b.targets.nodes;
    expect(target).toMatchObject({ kind: 'SLACK_WORKSPACE', slackWorkspaceId: ids.northwind });
    expect(target?.bundle.id).toBe(ids.tools);

    const one = await data<{ claudeTagBundle: { target: { id: string } | null; missing: null } }>(
      `query ($b: ID!, $t: ID!) { claudeTagBundle(id: $b) { target(id: $t) { id } missing: target(id: "btgt_01nothere") { id } } }`,
      { b: ids.tools, t: target!.id },
    );
    expect(one.claudeTagBundle).toEqual({ target: { id: target!.id }, missing: null });
  });

  it('answers the rest of the query and NOT_ENABLED for the Claude Tag lists alone', async () => {
    setClaudeTagEnabled(h.sandbox.store, false);
    const body = await gql(
      `{ organization { id claudeTagSlackWorkspaces(first: 1) { nodes { id } } claudeTagBundles(first: 1) { nodes { id } } } claudeTagBundle(id: "capp_01gone") { id } }`,
    );
    expect(body.data).toMatchObject({
      organization: { claudeTagSlackWorkspaces: null, claudeTagBundles: null },
      claudeTagBundle: null,
    });
    expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual([
      'NOT_ENABLED',
      'NOT_ENABLED',
    ]);
  });
});

describe('writes', () => {
  it('sets a channel up with settings, idempotently, and a later read in the operation sees it', async () => {
    const made = await create({
      slackWorkspaceId: 'T01NRTHWND',
      slackChannelId: 'C03RANDOM',
      settings: { model: 'opus', replyMode: 'THREAD', guestPolicy: 'ALLOW' },
    });
    expect(made.userErrors).toEqual([]);
    expect(made.settingsApplied).toBe(true);
    expect(made.slackChannel?.settings).toMatchObject({
      model: 'opus',
      replyMode: 'THREAD',
      guestPolicy: 'ALLOW',
    });
    expect(h.upstream()[0]?.body).toEqual({
      slack: { workspace_id: 'T01NRTHWND', channel_id: 'C03RANDOM' },
      settings: { model: 'opus', reply_mode: { type: 'thread' }, guest_policy: { type: 'allow' } },
    });
    const again = await create({ slackWorkspaceId: 'T01NRTHWND', slackChannelId: 'C03RANDOM' });
    expect(again.slackChannel?.id).toBe(made.slackChannel?.id);

    // One operation: the workspace update, then its channels read with what now applies.
    const result = await data<{
      updateClaudeTagSlackWorkspace: { slackWorkspace: { channels: Page<ChannelNode> } };
    }>(
      `mutation ($id: ID!) { updateClaudeTagSlackWorkspace(input: { workspaceId: $id, settings: { instructions: "New words.", environmentId: null } }) {
        slackWorkspace { channels(first: 10, includeInherited: true) { nodes { slack { channelId } ${SETTINGS} } } } userErrors { code } } }`,
      { id: ids.northwind },
    );
    const random = result.updateClaudeTagSlackWorkspace.slackWorkspace.channels.nodes.find(
      (node) => node.slack.channelId === 'C03RANDOM',
    );
    expect(random?.settings.instructions).toBe(
      'Answer in the language of the question.\n\nNew words.',
    );
    expect(random?.settings.environmentId).toBeNull();
  });

  it('half-succeeds when the settings are refused: the channel is set up and the payload says so', async () => {
    const made = await create({
      slackWorkspaceId: 'T01NRTHWND',
      slackChannelId: 'C04DESIGN',
      settings: { model: 'gpt-unknown', instructions: 'Hi' },
    });
    expect(made.settingsApplied).toBe(false);
    expect(made.slackChannel?.slack.channelId).toBe('C04DESIGN');
    expect(made.slackChannel?.settings).toMatchObject({ model: null, instructions: null });
    expect(made.userErrors).toHaveLength(1);
    expect(made.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'settings', 'model'],
    });
    expect(made.userErrors[0]?.message).toMatch(/^The channel is set up, with no setting stored: /);
    expect(calls()).toEqual([
      `POST ${ROOT}/slack_channels`,
      `GET ${ROOT}/slack_channels/${made.slackChannel?.id}`,
    ]);

    const env = await create({
      slackWorkspaceId: 'T01NRTHWND',
      slackChannelId: 'C05SUPPORT',
      settings: { environmentId: 'env_01Missing' },
    });
    expect(env.settingsApplied).toBe(false);
    expect(env.slackChannel).not.toBeNull();
    expect(env.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['input', 'settings', 'environmentId'],
    });
  });

  it('a set-up whose answer was lost is read back: the channel when it is set up with the settings, else UPSTREAM_OUTCOME_UNKNOWN', async () => {
    h.sandbox.injectFault({
      kind: 'reset',
      method: 'POST',
      path: `${ROOT}/slack_channels`,
      handle: true,
    });
    const input = {
      slackWorkspaceId: 'T01NRTHWND',
      slackChannelId: 'C03RANDOM',
      settings: { model: 'opus', instructions: ' Hi ' },
    };
    const applied = await create(input);
    expect(applied).toMatchObject({
      settingsApplied: true,
      userErrors: [],
      slackChannel: { slack: { channelId: 'C03RANDOM' } },
    });
    expect(calls()).toEqual([
      `POST ${ROOT}/slack_channels`,
      `GET ${ROOT}/slack_channels?slack_workspace_id=T01NRTHWND&slack_channel_id=C03RANDOM`,
    ]);

    h.sandbox.injectFault({
      kind: 'reset',
      method: 'POST',
      path: `${ROOT}/slack_channels`,
      handle: false,
    });
    const body = await gql(CREATE, { input: { ...input, slackChannelId: 'C04DESIGN' } });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
  });

  it('a channel Slack does not show is NOT_FOUND; bad Slack ids are refused before any request', async () => {
    const missing = await create({ slackWorkspaceId: 'T01NRTHWND', slackChannelId: 'C99NOPE' });
    expect(missing).toMatchObject({
      slackChannel: null,
      settingsApplied: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'slackChannelId'] }],
    });
    h.resetCounts();
    const bad = await create({ slackWorkspaceId: 'T01NRTHWND', slackChannelId: '../users' });
    expect(bad.userErrors).toMatchObject([
      { code: 'INVALID_INPUT', field: ['input', 'slackChannelId'] },
    ]);
    expect(calls()).toEqual([]);
  });

  it('refuses every change with a clear userError while Claude Tag writes are not enabled', async () => {
    setClaudeTagWritesEnabled(h.sandbox.store, false);
    const result = await data<{ updateClaudeTagSlackChannel: UserErrors & { slackChannel: null } }>(
      `mutation ($id: ID!) { updateClaudeTagSlackChannel(input: { channelId: $id, settings: { enabled: false } }) { slackChannel { id } userErrors { code field message } } }`,
      { id: ids.oncall },
    );
    expect(result.updateClaudeTagSlackChannel.slackChannel).toBeNull();
    expect(result.updateClaudeTagSlackChannel.userErrors).toEqual([
      {
        code: 'NOT_PERMITTED',
        field: null,
        message: expect.stringMatching(/not enabled for this organization.*Nothing changed/),
      },
    ]);
  });

  it('removes a channel only once it is not enabled, with its bundle targets; a second removal is NOT_FOUND', async () => {
    const remove = async () =>
      (
        await data<{
          deleteClaudeTagSlackChannel: UserErrors & {
            deletedClaudeTagSlackChannelId: string | null;
          };
        }>(
          `mutation ($id: ID!) { deleteClaudeTagSlackChannel(input: { channelId: $id }) { deletedClaudeTagSlackChannelId userErrors { code field message } } }`,
          { id: ids.oncall },
        )
      ).deleteClaudeTagSlackChannel;
    const refused = await remove();
    expect(refused.deletedClaudeTagSlackChannelId).toBeNull();
    expect(refused.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'channelId'],
    });
    await data(
      `mutation ($id: ID!) { updateClaudeTagSlackChannel(input: { channelId: $id, settings: { enabled: false } }) { userErrors { code } } }`,
      { id: ids.oncall },
    );
    expect((await remove()).deletedClaudeTagSlackChannelId).toBe(ids.oncall);
    expect((await remove()).userErrors[0]?.code).toBe('NOT_FOUND');
    const targets = await data<{ claudeTagBundle: { targets: { nodes: unknown[] } } }>(
      `query ($b: ID!) { claudeTagBundle(id: $b) { targets(first: 5) { nodes { id } } } }`,
      { b: ids.support },
    );
    expect(targets.claudeTagBundle.targets.nodes).toEqual([]);
  });

  it('changes a bundle’s instructions, and refuses one managed in claude.ai', async () => {
    const update = (id: string, instructions: string | null) =>
      data<{
        updateClaudeTagBundle: UserErrors & { bundle: { instructions: string | null } | null };
      }>(
        `mutation ($id: ID!, $text: String) { updateClaudeTagBundle(input: { bundleId: $id, instructions: $text }) { bundle { instructions } userErrors { code field message } } }`,
        { id, text: instructions },
      );
    expect((await update(ids.tools, 'Be brief.')).updateClaudeTagBundle.bundle).toEqual({
      instructions: 'Be brief.',
    });
    expect((await update(ids.tools, null)).updateClaudeTagBundle.bundle).toEqual({
      instructions: null,
    });
    const managed = (await update(ids.support, 'x')).updateClaudeTagBundle;
    expect(managed.bundle).toBeNull();
    expect(managed.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    expect(managed.userErrors[0]?.message).toMatch(/managed in claude\.ai/);
  });

  it('attaches a bundle idempotently and detaches it; a second detach is NOT_FOUND', async () => {
    const attach = async () =>
      (
        await data<{
          createClaudeTagBundleTarget: UserErrors & {
            bundleTarget: { id: string; kind: string; slackChannel: { id: string } } | null;
          };
        }>(
          `mutation ($b: ID!, $c: ID!) { createClaudeTagBundleTarget(input: { bundleId: $b, slackChannelId: $c }) { bundleTarget { id kind slackChannel { id } } userErrors { code field } } }`,
          { b: ids.tools, c: ids.general },
        )
      ).createClaudeTagBundleTarget;
    const first = await attach();
    expect(first.bundleTarget).toMatchObject({
      kind: 'SLACK_CHANNEL',
      slackChannel: { id: ids.general },
    });
    expect((await attach()).bundleTarget?.id).toBe(first.bundleTarget?.id);
    const detach = async (targetId: string) =>
      (
        await data<{
          deleteClaudeTagBundleTarget: UserErrors & {
            deletedClaudeTagBundleTargetId: string | null;
          };
        }>(
          `mutation ($b: ID!, $t: ID!) { deleteClaudeTagBundleTarget(input: { bundleId: $b, targetId: $t }) { deletedClaudeTagBundleTargetId userErrors { code field } } }`,
          { b: ids.tools, t: targetId },
        )
      ).deleteClaudeTagBundleTarget;
    expect((await detach(first.bundleTarget!.id)).deletedClaudeTagBundleTargetId).toBe(
      first.bundleTarget!.id,
    );
    expect((await detach(first.bundleTarget!.id)).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'targetId'] },
    ]);
    // A detach whose answer was lost is read back: the target now answers 404, so it was detached.
    const again = await attach();
    h.sandbox.injectFault({ kind: 'reset', method: 'DELETE', path: /\/targets\//, handle: true });
    expect((await detach(again.bundleTarget!.id)).deletedClaudeTagBundleTargetId).toBe(
      again.bundleTarget!.id,
    );
    h.resetCounts();
    expect((await detach('btgt_../x')).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'targetId'] },
    ]);
    expect(calls()).toEqual([]);
  });
});

describe('scopes and cost', () => {
  it.each([
    'createClaudeTagSlackChannel(input: { slackWorkspaceId: "T01NRTHWND", slackChannelId: "C03RANDOM" }) { userErrors { code } }',
    'updateClaudeTagSlackWorkspace(input: { workspaceId: "slws_01abc", settings: { enabled: true } }) { userErrors { code } }',
    'deleteClaudeTagBundleTarget(input: { bundleId: "capp_01abc", targetId: "btgt_01abc" }) { userErrors { code } }',
  ])('%s needs claude_tag:write and makes no request without it', async (field) => {
    const body = await gql(`mutation { ${field} }`, {}, NO_SCOPE);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['claude_tag:write']);
    expect(calls()).toEqual([]);
  });

  it('counts each connection, lookup and mutation as one request', async () => {
    for (const query of [
      '{ organization { claudeTagSlackWorkspaces(first: 5) { nodes { id } } } }',
      '{ organization { claudeTagBundles(first: 5) { nodes { id } } } }',
      `{ claudeTagSlackChannel(id: "${ids.general}", includeInherited: true) { id } }`,
      `mutation { updateClaudeTagBundle(input: { bundleId: "${ids.tools}", instructions: "x" }) { userErrors { code } } }`,
    ]) {
      h.resetCounts();
      const body = (await gql(query)) as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(1);
      expect(body.extensions?.cost?.upstreamRequests, query).toBe(h.upstream().length);
    }
  });
});

describe('the emulator', () => {
  const rest = async (path: string) => {
    const response = await fetch(`${h.sandbox.url}${path}`, {
      headers: { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01' },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('binds a page token to its query: include_inherited may not change, unknown tokens are refused', async () => {
    const first = await rest(`${ROOT}/slack_workspaces?limit=1`);
    const token = first.body['next_page'] as string;
    expect(token).toMatch(/^page_/);
    const ok = await rest(`${ROOT}/slack_workspaces?limit=1&page=${token}`);
    expect(ok.status).toBe(200);
    const other = await rest(
      `${ROOT}/slack_workspaces?limit=1&include_inherited=true&page=${token}`,
    );
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toMatch(/page/);
    const unknown = await rest(`${ROOT}/slack_workspaces?limit=1&page=page_bm9wZQ`);
    expect(unknown.status).toBe(400);
  });
});
