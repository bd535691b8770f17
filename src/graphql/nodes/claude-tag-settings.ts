import type {
  BetaClaudeTagSettingSource,
  BetaClaudeTagSlackChannelIdentifiers,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/claude-tag';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import {
  ClaudeTagInputError,
  checkSlackChannelId,
  checkSlackWorkspaceId,
  type ClaudeTagBundle as AdminClaudeTagBundle,
  type ClaudeTagSlackChannel as AdminClaudeTagSlackChannel,
  type ClaudeTagSlackWorkspace as AdminClaudeTagSlackWorkspace,
} from '../../upstream/resources/claude-tag.js';

/*
 * Claude Tag (beta `experimental-claude-tag-2026-10-21`): what its node types share. The node
 * types are declared here and implemented in their own files (claude-tag-slack-workspace.ts,
 * claude-tag-slack-channel.ts, claude-tag-bundle.ts), so that they can name each other without
 * an import cycle. Settings are a typed object, not JSON: each value beside the settings level it
 * comes from.
 */

export const ClaudeTagSlackWorkspace =
  builder.objectRef<AdminClaudeTagSlackWorkspace>('ClaudeTagSlackWorkspace');
export const ClaudeTagSlackChannel =
  builder.objectRef<AdminClaudeTagSlackChannel>('ClaudeTagSlackChannel');
export const ClaudeTagBundle = builder.objectRef<AdminClaudeTagBundle>('ClaudeTagBundle');

/** How the family's fields describe the beta gate. */
export const CLAUDE_TAG_NOT_ENABLED_NOTE =
  'Fails alone with NOT_ENABLED until Anthropic turns Claude Tag (beta `experimental-claude-tag-2026-10-21`) on for the organization.';

/**
 * A Slack id argument (`slackWorkspaceId` T…, `slackChannelId` C…/G…), checked before any request;
 * undefined when not given.
 */
export function slackArgument(
  kind: 'workspace' | 'channel',
  value: string | null | undefined,
): string | undefined {
  if (value == null) return undefined;
  try {
    return kind === 'workspace' ? checkSlackWorkspaceId(value) : checkSlackChannelId(value);
  } catch (error) {
    if (error instanceof ClaudeTagInputError) {
      throw badUserInput(error.message, { argumentName: error.field });
    }
    throw error;
  }
}

/** Page sizes of the family's token-paged lists (the Admin API's own). */
export const CLAUDE_TAG_PAGE = { defaultSize: 20, maxSize: 1000 } as const;

export const ClaudeTagGuestPolicy = openEnum(
  'ClaudeTagGuestPolicy',
  'What Claude does in a Slack channel while a Slack guest is in it, for everyone in the channel (nothing changes in a channel without guests).',
  {
    allow: 'Claude answers in the channel.',
    restrict: 'Claude does not answer in the channel.',
    channel_only: 'Claude answers with only the bundles attached to the channel itself.',
  },
);

export const ClaudeTagReplyMode = openEnum(
  'ClaudeTagReplyMode',
  'How Claude takes part in a Slack channel. Only a channel stores one.',
  {
    automatic:
      'Claude reads along and joins in when it can help, and pauses on its own in quiet or busy channels.',
    mention_only: 'Claude replies only when it is @-mentioned.',
    always_awake:
      'Like AUTOMATIC, but Claude never pauses on its own. Available where it is enabled for the channel.',
    thread:
      'Every new top-level message gets its own reply from Claude, in a thread under it. Available where it is enabled for the channel, once Claude has been used in it.',
  },
);

export const ClaudeTagSettingSourceKind = openEnum(
  'ClaudeTagSettingSourceKind',
  'The settings level a Claude Tag setting’s value comes from.',
  {
    slack_channel: 'The Slack channel itself (`slackChannel`).',
    slack_workspace: 'A Slack workspace of the organization (`slackWorkspace`).',
    slack_parent_channel:
      'The channel a code channel was started from (`slackChannel`); it passes on `instructions` and `environmentId` only.',
    slack_default: 'The organization’s Slack defaults, which have no id.',
    default: 'No settings level sets a value: the built-in default applies.',
    slack_grid_channel:
      'The same channel as set up under another workspace of its Slack Enterprise Grid (`slack`).',
  },
);

export const ClaudeTagSlackChannelIdentifiers = builder
  .objectRef<BetaClaudeTagSlackChannelIdentifiers>('ClaudeTagSlackChannelIdentifiers')
  .implement({
    description: 'Slack’s own identifiers of a channel (not ids of this graph).',
    fields: (t) => ({
      channelId: t.exposeString('channel_id', {
        description: 'Slack’s id of the channel, starting with C or G (`C0456EFGH`).',
      }),
      workspaceId: t.exposeString('workspace_id', {
        description:
          'Slack’s id of the workspace the channel is in, starting with T (`T0123ABCD`).',
      }),
    }),
  });

const ClaudeTagSettingSource = builder
  .objectRef<BetaClaudeTagSettingSource>('ClaudeTagSettingSource')
  .implement({
    description: 'The settings level one Claude Tag setting’s value comes from.',
    fields: (t) => ({
      ...enumFieldPair(t, 'kind', ClaudeTagSettingSourceKind, (source) => source.type, {
        value: 'Which settings level it is.',
        raw: 'The level exactly as the Admin API reports it, also when `kind` is UNKNOWN.',
      }),
      slackChannelId: t.id({
        nullable: true,
        description:
          'The channel the value comes from (slch_…) for SLACK_CHANNEL and SLACK_PARENT_CHANNEL; null otherwise.',
        resolve: (source) => ('slack_channel_id' in source ? source.slack_channel_id : null),
      }),
      slackChannel: t.field({
        type: ClaudeTagSlackChannel,
        nullable: true,
        description:
          'That channel (its stored settings); null for other levels, or when it is no longer set up.',
        extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
        resolve: (source, _args, ctx) =>
          'slack_channel_id' in source
            ? ctx.loaders.claudeTagSlackChannels.load(source.slack_channel_id)
            : null,
      }),
      slackWorkspaceId: t.id({
        nullable: true,
        description:
          'The workspace the value comes from (slws_…) for SLACK_WORKSPACE; null otherwise.',
        resolve: (source) => ('slack_workspace_id' in source ? source.slack_workspace_id : null),
      }),
      slackWorkspace: t.field({
        type: ClaudeTagSlackWorkspace,
        nullable: true,
        description:
          'That workspace (its stored settings); null for other levels, or when it is no longer set up.',
        extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
        resolve: (source, _args, ctx) =>
          'slack_workspace_id' in source
            ? ctx.loaders.claudeTagSlackWorkspaces.load(source.slack_workspace_id)
            : null,
      }),
      slack: t.field({
        type: ClaudeTagSlackChannelIdentifiers,
        nullable: true,
        description:
          'For SLACK_GRID_CHANNEL: Slack’s identifiers of the channel under that other workspace; null otherwise.',
        resolve: (source) => ('slack' in source ? source.slack : null),
      }),
    }),
  });

type SettingSources = AdminClaudeTagSlackChannel['sources'];

const ClaudeTagSettingSources = builder
  .objectRef<SettingSources>('ClaudeTagSettingSources')
  .implement({
    description:
      'For each Claude Tag setting, the settings level its value comes from. For settings the object stores, the object itself; for one it does not store, null (an empty list for `instructions`) unless inherited values were asked for, when no member is null and a value no level sets comes from DEFAULT.',
    fields: (t) => ({
      enabled: t.field({
        type: ClaudeTagSettingSource,
        nullable: true,
        description: 'Where `enabled` comes from.',
        resolve: (sources) => sources.enabled,
      }),
      environmentId: t.field({
        type: ClaudeTagSettingSource,
        nullable: true,
        description: 'Where `environmentId` comes from.',
        resolve: (sources) => sources.environment_id,
      }),
      guestPolicy: t.field({
        type: ClaudeTagSettingSource,
        nullable: true,
        description: 'Where `guestPolicy` comes from.',
        resolve: (sources) => sources.guest_policy,
      }),
      instructions: t.field({
        type: [ClaudeTagSettingSource],
        description:
          'Every settings level that contributes text to `instructions`, broadest first, in the order their text is joined; empty when none does.',
        resolve: (sources) => [...sources.instructions],
      }),
      model: t.field({
        type: ClaudeTagSettingSource,
        nullable: true,
        description: 'Where `model` comes from.',
        resolve: (sources) => sources.model,
      }),
      replyMode: t.field({
        type: ClaudeTagSettingSource,
        nullable: true,
        description: 'Where `replyMode` comes from: the channel when it stores one.',
        resolve: (sources) => sources.reply_mode,
      }),
    }),
  });

/** Whatever holds Claude Tag settings: a Slack workspace or a Slack channel, in one view. */
type SettingsHolder = Pick<
  AdminClaudeTagSlackChannel,
  'settings' | 'sources' | 'includesInherited'
>;

export const ClaudeTagSettings = builder.objectRef<SettingsHolder>('ClaudeTagSettings').implement({
  description:
    'Claude Tag settings of a Slack workspace or channel: what the object itself stores (`includesInherited` false: a null value is not set there and is inherited), or what applies in it once the settings levels above it are taken into account (`includesInherited` true). `sources` says where each value comes from.',
  fields: (t) => ({
    includesInherited: t.exposeBoolean('includesInherited', {
      description:
        'True when these are the values that apply (inherited ones included); false when they are what the object itself stores.',
    }),
    enabled: t.boolean({
      nullable: true,
      description: 'Whether Claude is on. The nearest settings level that sets it decides.',
      resolve: (holder) => holder.settings.enabled,
    }),
    environmentId: t.string({
      nullable: true,
      description:
        'The environment Claude’s sessions run in (env_…), or a self-hosted runner pool (ccpool_…). The nearest settings level that sets it decides.',
      resolve: (holder) => holder.settings.environment_id,
    }),
    ...enumFieldPair(
      t,
      'guestPolicy',
      ClaudeTagGuestPolicy,
      (holder) => holder.settings.guest_policy?.type,
      {
        value: 'What Claude does while a Slack guest is in a channel.',
        raw: 'The guest policy exactly as the Admin API reports it, also when `guestPolicy` is UNKNOWN.',
      },
    ),
    instructions: t.string({
      nullable: true,
      description:
        'Instructions for Claude. They add up: the text of every settings level that sets them, broadest first.',
      resolve: (holder) => holder.settings.instructions,
    }),
    model: t.string({
      nullable: true,
      description:
        'The model Claude uses: a model id or the name of a model line; null when none is set (the product’s default model then applies).',
      resolve: (holder) => holder.settings.model,
    }),
    ...enumFieldPair(
      t,
      'replyMode',
      ClaudeTagReplyMode,
      (holder) => holder.settings.reply_mode?.type,
      {
        value:
          'How Claude takes part in the channel. Always null on a workspace; null on a channel that stores none (Claude then follows the mode chosen in Slack, else AUTOMATIC).',
        raw: 'The reply mode exactly as the Admin API reports it, also when `replyMode` is UNKNOWN.',
      },
    ),
    sources: t.field({
      type: ClaudeTagSettingSources,
      description: 'For each setting, the settings level its value comes from.',
      resolve: (holder) => holder.sources,
    }),
  }),
});
