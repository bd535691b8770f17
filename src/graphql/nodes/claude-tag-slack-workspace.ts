import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import {
  CLAUDE_TAG_NOT_ENABLED_NOTE,
  CLAUDE_TAG_PAGE,
  ClaudeTagSettings,
  ClaudeTagSlackChannel,
  ClaudeTagSlackWorkspace,
  slackArgument,
} from './claude-tag-settings.js';
import {
  ClaudeTagSlackChannelConnection,
  resolveSlackChannels,
} from './claude-tag-slack-channel.js';
import { inheritedKey, viewKey } from '../../loaders/claude-tag.js';
import { listSlackWorkspaces } from '../../upstream/resources/claude-tag.js';

/*
 * Claude Tag Slack workspaces (slws_…): the Slack workspaces the organization has connected, with
 * the settings each stores or, with `includeInherited`, the settings that apply in it. Their
 * channels are a connection of the workspace (claude-tag-slack-channel.ts); mutations are in
 * src/graphql/mutations/claude-tag.ts.
 */

const WORKSPACE_PAGES: ReportPageSizes = {
  ...CLAUDE_TAG_PAGE,
  unit: 'Slack workspace',
  list: 'Claude Tag Slack workspace list',
};

builder.node(ClaudeTagSlackWorkspace, {
  description:
    'A Slack workspace the organization has connected to Claude Tag, itself or through its Slack Enterprise Grid, with its Claude Tag settings.',
  id: { resolve: (workspace) => workspace.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'slack_workspace',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.claudeTagSlackWorkspaces.load(id)),
  fields: (t) => ({
    slackWorkspaceId: t.string({
      description: 'Slack’s own id of the workspace, starting with T (`T0123ABCD`).',
      resolve: (workspace) => workspace.slack.workspace_id,
    }),
    settings: t.field({
      type: ClaudeTagSettings,
      description:
        'Its Claude Tag settings: what it stores, or what applies in it once the organization’s Slack defaults are taken into account when it was read with `includeInherited` (see `settings.includesInherited`). `replyMode` is always null on a workspace.',
      resolve: (workspace) => workspace,
    }),
    channels: t.connection(
      {
        type: ClaudeTagSlackChannel,
        description:
          'Its channels that are set up for Claude Tag, newest first (GET /v1/organizations/claude_tag/slack_channels?slack_workspace_id=…). A channel not set up is not listed (Slack holds the full list). `first` is 1–1000 (default 20); forward only; a cursor pages only the same arguments.',
        extensions: costExtension({ kind: 'connection' }),
        args: {
          includeInherited: t.arg.boolean({
            description:
              'Read each channel’s settings as they apply in it (inherited values included) rather than as it stores them.',
          }),
          slackChannelId: t.arg.string({
            description:
              'Only the channel with this Slack id (C… or G…): the connection then holds it, or nothing when it is not set up.',
          }),
        },
        resolve: (workspace, args, ctx) =>
          resolveSlackChannels(workspace.slack.workspace_id, args, ctx),
      },
      ClaudeTagSlackChannelConnection,
    ),
    createdAt: t.field({
      type: DateTime,
      description: 'When the workspace was set up for Claude Tag, by whichever route.',
      resolve: (workspace) => workspace.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description:
        'When Claude Tag’s record of the workspace last changed: a later value says to read it again, not that a setting changed. Attaching or detaching a bundle does not move it.',
      resolve: (workspace) => workspace.updated_at,
    }),
  }),
});

export const ClaudeTagSlackWorkspaceConnection = builder.connectionObject(
  {
    type: ClaudeTagSlackWorkspace,
    name: 'ClaudeTagSlackWorkspaceConnection',
    description: 'A page of Claude Tag Slack workspaces. Pages forward only (`first`/`after`).',
  },
  {
    name: 'ClaudeTagSlackWorkspaceEdge',
    description: 'A Claude Tag Slack workspace and its cursor.',
  },
);

builder.objectField(Organization, 'claudeTagSlackWorkspaces', (t) =>
  t.connection(
    {
      type: ClaudeTagSlackWorkspace,
      description: `The Slack workspaces set up for Claude Tag, newest first (GET /v1/organizations/claude_tag/slack_workspaces). \`first\` is 1–1000 (default 20); forward only; a cursor pages only the same arguments. ${CLAUDE_TAG_NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeInherited: t.arg.boolean({
          description:
            'Read each workspace’s settings as they apply in it (the organization’s Slack defaults included) rather than as it stores them.',
        }),
        slackWorkspaceId: t.arg.string({
          description:
            'Only the workspace with this Slack id (T…): the connection then holds it, or nothing when it is not set up.',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const slackWorkspaceId = slackArgument('workspace', args.slackWorkspaceId);
        const base = {
          ...(args.includeInherited ? { include_inherited: true } : {}),
          ...(slackWorkspaceId !== undefined ? { slack_workspace_id: slackWorkspaceId } : {}),
        };
        const connection = await resolveReportConnection(args, base, WORKSPACE_PAGES, (query) =>
          listSlackWorkspaces(ctx.api, query),
        );
        for (const { node } of connection.edges) {
          ctx.loaders.claudeTagSlackWorkspaces.prime(viewKey(node), node);
        }
        return connection;
      },
    },
    ClaudeTagSlackWorkspaceConnection,
  ),
);

builder.queryField('claudeTagSlackWorkspace', (t) =>
  t.field({
    type: ClaudeTagSlackWorkspace,
    nullable: true,
    description:
      'A Claude Tag Slack workspace by id; null when no such workspace is set up (also while the organization is not enabled for Claude Tag: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
    args: {
      id: t.arg.id({ required: true, description: 'The Claude Tag Slack workspace id (slws_…).' }),
      includeInherited: t.arg.boolean({
        description:
          'Read its settings as they apply in it (the organization’s Slack defaults included) rather than as it stores them.',
      }),
    },
    resolve: (_root, args, ctx) => {
      const id = checkIdArgument('claudeTagSlackWorkspace', args.id, 'id');
      return ctx.loaders.claudeTagSlackWorkspaces.load(
        args.includeInherited ? inheritedKey(id) : id,
      );
    },
  }),
);

builder.asEntity(ClaudeTagSlackWorkspace, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('claudeTagSlackWorkspace', id)) return null;
    const found = await ctx.loaders.claudeTagSlackWorkspaces.load(id);
    return found && { ...found };
  },
});
