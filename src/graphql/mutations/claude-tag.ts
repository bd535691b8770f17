import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  isNotFound,
  runMutation,
  type MutationOptions,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { isKnown } from '../lib/open-enum.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  ClaudeTagInputError,
  checkBundleTargetId,
  checkSlackChannelId,
  checkSlackWorkspaceId,
  createBundleTarget,
  createSlackChannel,
  deleteBundleTarget,
  deleteSlackChannel,
  getBundleTarget,
  getSlackChannel,
  listSlackChannels,
  updateBundle,
  updateSlackChannel,
  updateSlackWorkspace,
  type ClaudeTagSettingsUpdate,
  type ClaudeTagSlackChannelIdentifiers,
  type ClaudeTagSlackChannel as AdminClaudeTagSlackChannel,
} from '../../upstream/resources/claude-tag.js';
import {
  ClaudeTagBundle,
  ClaudeTagGuestPolicy,
  ClaudeTagReplyMode,
  ClaudeTagSlackChannel,
  ClaudeTagSlackWorkspace,
} from '../nodes/claude-tag-settings.js';
import { ClaudeTagBundleTarget } from '../nodes/claude-tag-bundle.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Mutations of Claude Tag: setting Slack channels up, changing the settings of channels and
 * workspaces, removing channels, changing a bundle's instructions, and attaching and detaching
 * bundles. Each needs `write` and `claude_tag:write`. Writes through the Claude Tag API must be
 * enabled for the organization: until they are, every mutation answers a NOT_PERMITTED userError
 * that says so.
 */

/** The `error_code` of an organization whose Claude Tag writes are not enabled. */
const WRITES_NOT_ENABLED = 'claude_tag_writes_not_enabled';
const WRITES_NOT_ENABLED_MESSAGE =
  'Changes through the Claude Tag API are not enabled for this organization: an owner turns them on in claude.ai (Claude Tag settings). Nothing changed.';

/** REST body fields as the Admin API names them in 400 messages, with their input paths. */
const SETTINGS_BODY: Record<string, string[]> = {
  'settings.enabled': ['input', 'settings', 'enabled'],
  'settings.environment_id': ['input', 'settings', 'environmentId'],
  'settings.guest_policy': ['input', 'settings', 'guestPolicy'],
  'settings.instructions': ['input', 'settings', 'instructions'],
  'settings.model': ['input', 'settings', 'model'],
  'settings.reply_mode': ['input', 'settings', 'replyMode'],
  environment_id: ['input', 'settings', 'environmentId'],
  guest_policy: ['input', 'settings', 'guestPolicy'],
  reply_mode: ['input', 'settings', 'replyMode'],
  model: ['input', 'settings', 'model'],
};

/** A 404 names the environment of the settings, or the object the mutation acts on. */
const notFoundOn =
  (subject: string[]) =>
  (message: string): string[] =>
    /environment/i.test(message) ? ['input', 'settings', 'environmentId'] : subject;

const ON_CHANNEL: InputPaths = {
  ids: { claudeTagSlackChannel: ['input', 'channelId'] },
  notFound: notFoundOn(['input', 'channelId']),
  body: SETTINGS_BODY,
};
const ON_WORKSPACE: InputPaths = {
  ids: { claudeTagSlackWorkspace: ['input', 'workspaceId'] },
  notFound: notFoundOn(['input', 'workspaceId']),
  body: SETTINGS_BODY,
};
const ON_NEW_CHANNEL: InputPaths = {
  notFound: notFoundOn(['input', 'slackChannelId']),
  body: { ...SETTINGS_BODY, 'slack.channel_id': ['input', 'slackChannelId'] },
};
const ON_BUNDLE: InputPaths = {
  ids: {
    claudeTagBundle: ['input', 'bundleId'],
    claudeTagSlackChannel: ['input', 'slackChannelId'],
    claudeTagSlackWorkspace: ['input', 'slackWorkspaceId'],
  },
  notFound: (message) =>
    /target/i.test(message)
      ? ['input', 'targetId']
      : /channel/i.test(message)
        ? ['input', 'slackChannelId']
        : /workspace/i.test(message)
          ? ['input', 'slackWorkspaceId']
          : ['input', 'bundleId'],
  body: { instructions: ['input', 'instructions'] },
};

/**
 * runMutation, except that an organization not enabled for the beta is NOT_ENABLED (a field
 * error), and one whose Claude Tag writes are not enabled gets a userError that says so.
 */
async function runClaudeTagMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
  options: MutationOptions<T> = {},
) {
  let gated: UpstreamError | null = null;
  let writesOff = false;
  const outcome = await runMutation(
    paths,
    async () => {
      try {
        return await write();
      } catch (error) {
        if (error instanceof UpstreamError && error.errorType === NOT_ENABLED_ERROR_TYPE) {
          gated = error;
        }
        if (error instanceof UpstreamError && error.errorType === WRITES_NOT_ENABLED) {
          writesOff = true;
        }
        throw error;
      }
    },
    options,
  );
  if (gated) throw gated;
  if (writesOff) {
    return {
      result: null,
      userErrors: [
        { message: WRITES_NOT_ENABLED_MESSAGE, code: 'NOT_PERMITTED', field: null },
      ] satisfies UserErrorShape[],
    };
  }
  return outcome;
}

/** A Slack id or bundle target id in the input, checked before any request. */
function checked(check: () => unknown, path: string[]): UserErrorShape | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof ClaudeTagInputError) {
      return { message: error.message, code: 'INVALID_INPUT', field: path };
    }
    throw error;
  }
}

const SettingsInput = builder.inputType('ClaudeTagSettingsInput', {
  description:
    'Claude Tag settings to store on a Slack workspace or channel. A field left out is unchanged; a field set to null is cleared, so that the value is inherited (except `replyMode`, which can be changed but never cleared).',
  fields: (t) => ({
    enabled: t.boolean({
      description:
        'Whether Claude is on. True on a channel turns Claude on in it even when its workspace stores false.',
    }),
    environmentId: t.string({
      description:
        'The environment Claude’s sessions run in: an active environment of the organization (env_…), or a self-hosted runner pool every member may use (ccpool_…).',
    }),
    guestPolicy: t.field({
      type: ClaudeTagGuestPolicy.ref,
      description: 'What Claude does while a Slack guest is in a channel.',
    }),
    instructions: t.string({
      description:
        'Instructions for Claude, up to 8,192 characters once trimmed; blank text clears them.',
    }),
    model: t.string({
      description:
        'The model Claude uses: a model id or the name of a model line the organization is entitled to for Claude Tag.',
    }),
    replyMode: t.field({
      type: ClaudeTagReplyMode.ref,
      description:
        'How Claude takes part in a channel (channels only: a workspace refuses a value). It cannot be cleared: send AUTOMATIC for Claude’s default behaviour.',
    }),
  }),
});

type SettingsArg = typeof SettingsInput.$inferInput;

/** The REST settings object of an input, or a user error (an UNKNOWN enum value). */
function settingsBody(settings: SettingsArg): ClaudeTagSettingsUpdate | UserErrorShape {
  const body: ClaudeTagSettingsUpdate = {};
  if (settings.enabled !== undefined) body.enabled = settings.enabled;
  if (settings.environmentId !== undefined) body.environment_id = settings.environmentId;
  if (settings.instructions !== undefined) body.instructions = settings.instructions;
  if (settings.model !== undefined) body.model = settings.model;
  if (settings.guestPolicy !== undefined) {
    const policy = settings.guestPolicy;
    if (policy !== null && !isKnown(policy)) {
      return {
        message: '`guestPolicy` cannot be UNKNOWN: pass ALLOW, RESTRICT or CHANNEL_ONLY.',
        code: 'INVALID_INPUT',
        field: ['input', 'settings', 'guestPolicy'],
      };
    }
    body.guest_policy = policy === null ? null : { type: policy };
  }
  if (settings.replyMode !== undefined) {
    const mode = settings.replyMode;
    if (mode !== null && !isKnown(mode)) {
      return {
        message:
          '`replyMode` cannot be UNKNOWN: pass AUTOMATIC, MENTION_ONLY, ALWAYS_AWAKE or THREAD.',
        code: 'INVALID_INPUT',
        field: ['input', 'settings', 'replyMode'],
      };
    }
    body.reply_mode = mode === null ? null : { type: mode };
  }
  return body;
}

const isUserError = (value: object): value is UserErrorShape => 'code' in value;

/** What a setting holds once stored: instructions are trimmed, and blank ones are none. */
const stored = (field: string, value: unknown) =>
  field === 'instructions' && typeof value === 'string' ? value.trim() || null : value;

/**
 * Reads back whether a set-up whose answer was lost took effect: the channel, found by its Slack
 * ids, when it is set up and stores every setting that was sent; otherwise null (unknown).
 */
function settleSetUp(
  api: Parameters<typeof listSlackChannels>[0],
  slack: ClaudeTagSlackChannelIdentifiers,
  settings: ClaudeTagSettingsUpdate | undefined,
) {
  return async (): Promise<AdminClaudeTagSlackChannel | null> => {
    const page = await listSlackChannels(api, {
      slack_workspace_id: slack.workspace_id,
      slack_channel_id: slack.channel_id,
    });
    const channel = page.data.find((found) => found.slack.channel_id === slack.channel_id);
    if (!channel) return null;
    const applied = Object.entries(settings ?? {}).every(
      ([field, value]) =>
        JSON.stringify(stored(field, value)) ===
        JSON.stringify(channel.settings[field as keyof typeof channel.settings]),
    );
    return applied ? channel : null;
  };
}

/** A removal whose answer was lost took effect when the object now answers 404. */
function settleRemoval<T>(read: () => Promise<unknown>, removed: T) {
  return async (): Promise<T | null> => {
    try {
      await read();
      return null;
    } catch (error) {
      if (isNotFound(error)) return removed;
      throw error;
    }
  };
}

interface SetUpPayload {
  channel: AdminClaudeTagSlackChannel | null;
  settingsApplied: boolean | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'createClaudeTagSlackChannel',
  {
    description: 'Sets a Slack channel up for Claude Tag, with settings to store on it.',
    inputFields: (t) => ({
      slackWorkspaceId: t.string({
        required: true,
        description:
          'Slack’s id of the workspace the channel is in (T…); the organization must have it connected.',
      }),
      slackChannelId: t.string({
        required: true,
        description: 'Slack’s id of the channel (C… or G…).',
      }),
      settings: t.field({
        type: SettingsInput,
        description: 'Settings to store on the channel, applied as an update applies them.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Sets a Slack channel up for Claude Tag (POST /v1/organizations/claude_tag/slack_channels). Idempotent: a channel already set up (in claude.ai, by Claude’s first use, or by an earlier request) is returned as it is, with `settings` applied. A channel Slack does not show to Claude’s app (not in the workspace, archived, not visible) is a NOT_FOUND userError. Setting up and storing `settings` are two steps: when the settings are refused, the channel stays set up with no setting stored, and the payload holds both the channel and the userError, with `settingsApplied` false (one more request reads the channel).',
    resolve: async (_root, { input }, ctx): Promise<SetUpPayload> => {
      const badId =
        checked(
          () => checkSlackWorkspaceId(input.slackWorkspaceId),
          ['input', 'slackWorkspaceId'],
        ) ?? checked(() => checkSlackChannelId(input.slackChannelId), ['input', 'slackChannelId']);
      if (badId) return { channel: null, settingsApplied: null, userErrors: [badId] };
      const settings = input.settings ? settingsBody(input.settings) : undefined;
      if (settings && isUserError(settings)) {
        return { channel: null, settingsApplied: null, userErrors: [settings] };
      }
      let setUp: AdminClaudeTagSlackChannel | null = null;
      const slack = { workspace_id: input.slackWorkspaceId, channel_id: input.slackChannelId };
      const outcome = await runClaudeTagMutation(
        ON_NEW_CHANNEL,
        async () => {
          const done = await createSlackChannel(ctx.api, slack, settings);
          if (done.settingsRefusal) {
            setUp = done.channel;
            throw done.settingsRefusal;
          }
          return done.channel;
        },
        { settle: settleSetUp(ctx.api, slack, settings) },
      );
      if (setUp) {
        return {
          channel: setUp,
          settingsApplied: false,
          userErrors: outcome.userErrors.map((error) => ({
            ...error,
            message: `The channel is set up, with no setting stored: ${error.message}`,
            field: error.field ?? ['input', 'settings'],
          })),
        };
      }
      return {
        channel: outcome.result,
        settingsApplied: outcome.result ? true : null,
        userErrors: outcome.userErrors,
      };
    },
  },
  {
    description:
      'The result of createClaudeTagSlackChannel. Unlike other payloads, `slackChannel` and `userErrors` can both be set: the channel was set up and its settings were refused.',
    outputFields: (t) => ({
      slackChannel: t.field({
        type: ClaudeTagSlackChannel,
        nullable: true,
        description:
          'The channel, set up (or already set up); also when its settings were refused. Null when it was not set up.',
        resolve: (payload) => payload.channel,
      }),
      settingsApplied: t.boolean({
        nullable: true,
        description:
          'True when the channel is set up with the settings given (if any); false when it is set up but the settings were refused (see userErrors); null when it was not set up.',
        resolve: (payload) => payload.settingsApplied,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

builder.relayMutationField(
  'updateClaudeTagSlackChannel',
  {
    description: 'Changes the Claude Tag settings a Slack channel stores.',
    inputFields: (t) => ({
      channelId: t.id({ required: true, description: 'The Claude Tag Slack channel (slch_…).' }),
      settings: t.field({
        type: SettingsInput,
        required: true,
        description: 'The settings to change; those left out stay, null clears one.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Changes the settings a Slack channel stores (POST /v1/organizations/claude_tag/slack_channels/{id}). If any value is refused, none is stored. A group direct message takes no settings.',
    resolve: async (_root, { input }, ctx) => {
      const settings = settingsBody(input.settings);
      if (isUserError(settings)) return { result: null, userErrors: [settings] };
      return runClaudeTagMutation(ON_CHANNEL, () =>
        updateSlackChannel(ctx.api, input.channelId, settings),
      );
    },
  },
  resultPayload(
    'updateClaudeTagSlackChannel',
    'slackChannel',
    ClaudeTagSlackChannel,
    'The channel as changed (its stored settings); null when nothing changed.',
  ),
);

builder.relayMutationField(
  'deleteClaudeTagSlackChannel',
  {
    description: 'Removes a Slack channel from Claude Tag.',
    inputFields: (t) => ({
      channelId: t.id({ required: true, description: 'The Claude Tag Slack channel (slch_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Removes a Slack channel from Claude Tag (DELETE /v1/organizations/claude_tag/slack_channels/{id}): its stored settings and bundle targets at once, then in the background its sessions, transcripts, memory, routines and artifacts. None of it can be restored; the channel in Slack is unchanged. Refused (INVALID_INPUT) while `enabled` applies as true in the channel: store `enabled: false` on it first. A repeated removal is NOT_FOUND.',
    resolve: async (_root, { input }, ctx) =>
      runClaudeTagMutation(ON_CHANNEL, () => deleteSlackChannel(ctx.api, input.channelId), {
        settle: settleRemoval(() => getSlackChannel(ctx.api, input.channelId), {
          id: input.channelId,
          type: 'slack_channel_deleted' as const,
        }),
      }),
  },
  {
    description: 'The result of deleteClaudeTagSlackChannel.',
    outputFields: (t) => ({
      deletedClaudeTagSlackChannelId: t.id({
        nullable: true,
        description: 'The id of the removed channel; null when nothing was removed.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

builder.relayMutationField(
  'updateClaudeTagSlackWorkspace',
  {
    description: 'Changes the Claude Tag settings a Slack workspace stores.',
    inputFields: (t) => ({
      workspaceId: t.id({
        required: true,
        description: 'The Claude Tag Slack workspace (slws_…).',
      }),
      settings: t.field({
        type: SettingsInput,
        required: true,
        description:
          'The settings to change; those left out stay, null clears one. A workspace takes no `replyMode`.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Changes the settings a Slack workspace stores (POST /v1/organizations/claude_tag/slack_workspaces/{id}); its channels inherit what they do not store. If any value is refused, none is stored.',
    resolve: async (_root, { input }, ctx) => {
      const settings = settingsBody(input.settings);
      if (isUserError(settings)) return { result: null, userErrors: [settings] };
      return runClaudeTagMutation(ON_WORKSPACE, () =>
        updateSlackWorkspace(ctx.api, input.workspaceId, settings),
      );
    },
  },
  resultPayload(
    'updateClaudeTagSlackWorkspace',
    'slackWorkspace',
    ClaudeTagSlackWorkspace,
    'The workspace as changed (its stored settings); null when nothing changed.',
  ),
);

builder.relayMutationField(
  'updateClaudeTagBundle',
  {
    description: 'Changes a Claude Tag bundle’s instructions.',
    inputFields: (t) => ({
      bundleId: t.id({ required: true, description: 'The bundle (capp_…).' }),
      instructions: t.string({
        description:
          'The new instructions, up to 10,000 bytes (UTF-8); null or an empty string clears them. Required (it is the one field to change).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Changes a bundle’s instructions (POST /v1/organizations/claude_tag/bundles/{id}). Sessions that start afterwards use them; running ones keep theirs. A bundle managed in claude.ai (on-call, or with an attachment the API cannot edit) is an INVALID_INPUT userError.',
    resolve: async (_root, { input }, ctx) => {
      if (input.instructions === undefined) {
        return inputError('Give `instructions` (null clears them).', ['input', 'instructions']);
      }
      const instructions = input.instructions;
      return runClaudeTagMutation(ON_BUNDLE, () =>
        updateBundle(ctx.api, input.bundleId, instructions),
      );
    },
  },
  resultPayload(
    'updateClaudeTagBundle',
    'bundle',
    ClaudeTagBundle,
    'The bundle as changed; null when nothing changed.',
  ),
);

builder.relayMutationField(
  'createClaudeTagBundleTarget',
  {
    description: 'Attaches a Claude Tag bundle to a Slack channel or a Slack workspace.',
    inputFields: (t) => ({
      bundleId: t.id({ required: true, description: 'The bundle (capp_…).' }),
      slackChannelId: t.id({
        description: 'The Claude Tag Slack channel to attach it to (slch_…); or:',
      }),
      slackWorkspaceId: t.id({
        description:
          'The Claude Tag Slack workspace to attach it to (slws_…): the bundle can then be used in every channel in it.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Attaches a bundle (POST /v1/organizations/claude_tag/bundles/{id}/targets) to exactly one of a channel or a workspace, which must be set up (attaching never sets a channel up). Idempotent: attaching it again returns the existing bundle target.',
    resolve: async (_root, { input }, ctx) => {
      const channel = input.slackChannelId ?? null;
      const workspace = input.slackWorkspaceId ?? null;
      if ((channel === null) === (workspace === null)) {
        return inputError('Give exactly one of `slackChannelId` and `slackWorkspaceId`.', [
          'input',
          channel === null ? 'slackChannelId' : 'slackWorkspaceId',
        ]);
      }
      return runClaudeTagMutation(ON_BUNDLE, () =>
        createBundleTarget(
          ctx.api,
          input.bundleId,
          channel !== null
            ? { type: 'slack_channel', slack_channel_id: channel }
            : { type: 'slack_workspace', slack_workspace_id: workspace ?? '' },
        ),
      );
    },
  },
  resultPayload(
    'createClaudeTagBundleTarget',
    'bundleTarget',
    ClaudeTagBundleTarget,
    'The bundle target (new or existing); null when nothing was attached.',
  ),
);

builder.relayMutationField(
  'deleteClaudeTagBundleTarget',
  {
    description: 'Detaches a Claude Tag bundle from a Slack channel or a Slack workspace.',
    inputFields: (t) => ({
      bundleId: t.id({ required: true, description: 'The bundle (capp_…).' }),
      targetId: t.id({ required: true, description: 'The bundle target (btgt_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { claudeTagWrite: true },
    description:
      'Detaches a bundle (DELETE /v1/organizations/claude_tag/bundles/{id}/targets/{target_id}). A repeated detach is NOT_FOUND.',
    resolve: async (_root, { input }, ctx) => {
      const badId = checked(() => checkBundleTargetId(input.targetId), ['input', 'targetId']);
      if (badId) return { result: null, userErrors: [badId] };
      return runClaudeTagMutation(
        ON_BUNDLE,
        () => deleteBundleTarget(ctx.api, input.bundleId, input.targetId),
        {
          settle: settleRemoval(() => getBundleTarget(ctx.api, input.bundleId, input.targetId), {
            id: input.targetId,
            type: 'bundle_target_deleted' as const,
          }),
        },
      );
    },
  },
  {
    description: 'The result of deleteClaudeTagBundleTarget.',
    outputFields: (t) => ({
      deletedClaudeTagBundleTargetId: t.id({
        nullable: true,
        description: 'The id the detached bundle target had; null when nothing was detached.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
