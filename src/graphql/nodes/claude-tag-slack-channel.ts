import { isId } from '../../domain/ids.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { checkIdArgument } from '../lib/lookup.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import {
  CLAUDE_TAG_PAGE,
  ClaudeTagSettings,
  ClaudeTagSlackChannel,
  ClaudeTagSlackChannelIdentifiers,
  ClaudeTagSlackWorkspace,
  slackArgument,
} from './claude-tag-settings.js';
import { inheritedKey, viewKey } from '../../loaders/claude-tag.js';
import { listSlackChannels } from '../../upstream/resources/claude-tag.js';

/*
 * Claude Tag Slack channels (slch_…): the channels of a connected Slack workspace that are set up
 * for Claude Tag, with the settings each stores or, with `includeInherited`, the settings that
 * apply in it. They are listed per Slack workspace (ClaudeTagSlackWorkspace.channels).
 */

const CHANNEL_PAGES: ReportPageSizes = {
  ...CLAUDE_TAG_PAGE,
  unit: 'Slack channel',
  list: 'Claude Tag Slack channel list',
};

builder.node(ClaudeTagSlackChannel, {
  description:
    'A Slack channel set up for Claude Tag, with its Claude Tag settings. Its id stays for as long as it is set up; a channel removed and set up again has a new one.',
  id: { resolve: (channel) => channel.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'slack_channel',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.claudeTagSlackChannels.load(id)),
  fields: (t) => ({
    slack: t.field({
      type: ClaudeTagSlackChannelIdentifiers,
      description: 'Slack’s own identifiers of the channel and its workspace.',
      resolve: (channel) => channel.slack,
    }),
    slackWorkspace: t.field({
      type: ClaudeTagSlackWorkspace,
      nullable: true,
      description:
        'The Claude Tag Slack workspace the channel is in (looked up by its Slack id, one request); null when that workspace is not set up.',
      extensions: costExtension({ kind: 'request' }),
      resolve: (channel, _args, ctx) =>
        ctx.loaders.claudeTagSlackWorkspacesBySlackId.load(channel.slack.workspace_id),
    }),
    settings: t.field({
      type: ClaudeTagSettings,
      description:
        'Its Claude Tag settings: what it stores, or what applies in it once the settings levels above it are taken into account when it was read with `includeInherited` (see `settings.includesInherited`).',
      resolve: (channel) => channel,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the channel was set up for Claude Tag, by whichever route.',
      resolve: (channel) => channel.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description:
        'When Claude Tag’s record of the channel last changed: a later value says to read it again, not that a setting changed. Attaching or detaching a bundle does not move it.',
      resolve: (channel) => channel.updated_at,
    }),
  }),
});

export const ClaudeTagSlackChannelConnection = builder.connectionObject(
  {
    type: ClaudeTagSlackChannel,
    name: 'ClaudeTagSlackChannelConnection',
    description: 'A page of Claude Tag Slack channels. Pages forward only (`first`/`after`).',
  },
  { name: 'ClaudeTagSlackChannelEdge', description: 'A Claude Tag Slack channel and its cursor.' },
);

/** A page of the channels of one Slack workspace (by Slack's id), priming the channel loader. */
export async function resolveSlackChannels(
  slackWorkspaceId: string,
  args: ConnectionArgs & { includeInherited?: boolean | null; slackChannelId?: string | null },
  ctx: GatewayContext,
) {
  const slackChannelId = slackArgument('channel', args.slackChannelId);
  const base = {
    slack_workspace_id: slackWorkspaceId,
    ...(args.includeInherited ? { include_inherited: true } : {}),
    ...(slackChannelId !== undefined ? { slack_channel_id: slackChannelId } : {}),
  };
  const connection = await resolveReportConnection(args, base, CHANNEL_PAGES, (query) =>
    listSlackChannels(ctx.api, query),
  );
  for (const { node } of connection.edges) {
    ctx.loaders.claudeTagSlackChannels.prime(viewKey(node), node);
  }
  return connection;
}

builder.queryField('claudeTagSlackChannel', (t) =>
  t.field({
    type: ClaudeTagSlackChannel,
    nullable: true,
    description:
      'A Claude Tag Slack channel by id; null when no such channel is set up (also while the organization is not enabled for Claude Tag: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
    args: {
      id: t.arg.id({ required: true, description: 'The Claude Tag Slack channel id (slch_…).' }),
      includeInherited: t.arg.boolean({
        description:
          'Read its settings as they apply in it (inherited values included) rather than as it stores them.',
      }),
    },
    resolve: (_root, args, ctx) => {
      const id = checkIdArgument('claudeTagSlackChannel', args.id, 'id');
      return ctx.loaders.claudeTagSlackChannels.load(args.includeInherited ? inheritedKey(id) : id);
    },
  }),
);

builder.asEntity(ClaudeTagSlackChannel, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('claudeTagSlackChannel', id)) return null;
    const found = await ctx.loaders.claudeTagSlackChannels.load(id);
    return found && { ...found };
  },
});
