import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import {
  CLAUDE_TAG_NOT_ENABLED_NOTE,
  CLAUDE_TAG_PAGE,
  ClaudeTagBundle,
  ClaudeTagSlackChannel,
  ClaudeTagSlackWorkspace,
} from './claude-tag-settings.js';
import {
  ClaudeTagInputError,
  checkBundleTargetId,
  getBundleTarget,
  listBundleTargets,
  listBundles,
  type ClaudeTagBundleTarget as AdminClaudeTagBundleTarget,
} from '../../upstream/resources/claude-tag.js';
import { UpstreamError } from '../../upstream/errors.js';

/*
 * Claude Tag bundles (capp_…): named sets of access (connectors, repositories, credentials) that
 * Claude can use in the Slack channels and workspaces they are attached to. What a bundle grants
 * is never returned. Created and edited in claude.ai; through the Admin API only their
 * instructions change, and their attachments (bundle targets, btgt_…) are made and removed.
 */

const BUNDLE_PAGES: ReportPageSizes = {
  ...CLAUDE_TAG_PAGE,
  unit: 'bundle',
  list: 'Claude Tag bundle list',
};
const TARGET_PAGES: ReportPageSizes = {
  ...CLAUDE_TAG_PAGE,
  unit: 'bundle target',
  list: 'bundle target list',
};

export const ClaudeTagBundleTargetKind = openEnum(
  'ClaudeTagBundleTargetKind',
  'What a Claude Tag bundle is attached to.',
  {
    slack_channel: 'One Slack channel: the bundle can be used in that channel only.',
    slack_workspace:
      'One Slack workspace: the bundle can be used in it and in every channel in it.',
  },
);

export const ClaudeTagBundleTarget = builder
  .objectRef<AdminClaudeTagBundleTarget>('ClaudeTagBundleTarget')
  .implement({
    description:
      'One Claude Tag bundle attached to one Slack channel or one Slack workspace. The same bundle and target always have the same id, also after a detach and a new attach.',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'The bundle target id (btgt_…); opaque.' }),
      ...enumFieldPair(t, 'kind', ClaudeTagBundleTargetKind, (target) => target.type, {
        value: 'What the bundle is attached to.',
        raw: 'The target type exactly as the Admin API reports it, also when `kind` is UNKNOWN.',
      }),
      bundle: t.field({
        type: ClaudeTagBundle,
        nullable: true,
        description: 'The bundle attached.',
        extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
        resolve: (target, _args, ctx) => ctx.loaders.claudeTagBundles.load(target.bundleId),
      }),
      slackChannelId: t.id({
        nullable: true,
        description: 'The Claude Tag Slack channel (slch_…) for SLACK_CHANNEL; null otherwise.',
        resolve: (target) => (target.type === 'slack_channel' ? target.slack_channel_id : null),
      }),
      slackChannel: t.field({
        type: ClaudeTagSlackChannel,
        nullable: true,
        description:
          'That channel (its stored settings); null for a workspace target, or when the channel is no longer set up.',
        extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
        resolve: (target, _args, ctx) =>
          target.type === 'slack_channel'
            ? ctx.loaders.claudeTagSlackChannels.load(target.slack_channel_id)
            : null,
      }),
      slackWorkspaceId: t.id({
        nullable: true,
        description: 'The Claude Tag Slack workspace (slws_…) for SLACK_WORKSPACE; null otherwise.',
        resolve: (target) => (target.type === 'slack_workspace' ? target.slack_workspace_id : null),
      }),
      slackWorkspace: t.field({
        type: ClaudeTagSlackWorkspace,
        nullable: true,
        description:
          'That workspace (its stored settings); null for a channel target, or when the workspace is no longer set up.',
        extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
        resolve: (target, _args, ctx) =>
          target.type === 'slack_workspace'
            ? ctx.loaders.claudeTagSlackWorkspaces.load(target.slack_workspace_id)
            : null,
      }),
      attachedAt: t.field({
        type: DateTime,
        description: 'When the bundle was attached.',
        resolve: (target) => target.created_at,
      }),
    }),
  });

const ClaudeTagBundleTargetConnection = builder.connectionObject(
  {
    type: ClaudeTagBundleTarget,
    name: 'ClaudeTagBundleTargetConnection',
    description: 'A page of a bundle’s targets. Pages forward only (`first`/`after`).',
  },
  { name: 'ClaudeTagBundleTargetEdge', description: 'A bundle target and its cursor.' },
);

builder.node(ClaudeTagBundle, {
  description:
    'A Claude Tag bundle: a named set of access (connectors, repositories and credentials) Claude can use in the Slack channels and workspaces it is attached to. What it grants is never returned. Created and edited in claude.ai; the Admin API changes its instructions only.',
  id: { resolve: (bundle) => bundle.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'bundle',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.claudeTagBundles.load(id)),
  fields: (t) => ({
    displayName: t.exposeString('display_name', { description: 'The bundle’s name.' }),
    description: t.string({
      nullable: true,
      description: 'What the bundle is for; null when it has none.',
      resolve: (bundle) => bundle.description,
    }),
    instructions: t.string({
      nullable: true,
      description:
        'Instructions for Claude, added to those of every session that can use the bundle; null when it has none.',
      resolve: (bundle) => bundle.instructions,
    }),
    targets: t.connection(
      {
        type: ClaudeTagBundleTarget,
        description:
          'The Slack channels and workspaces of the organization the bundle is attached to, newest first (GET /v1/organizations/claude_tag/bundles/{id}/targets). `first` is 1–1000 (default 20); forward only.',
        extensions: costExtension({ kind: 'connection' }),
        resolve: (bundle, args, ctx) =>
          resolveReportConnection(args, { bundleId: bundle.id }, TARGET_PAGES, (query) =>
            listBundleTargets(ctx.api, bundle.id, {
              ...(query.limit !== undefined ? { limit: query.limit } : {}),
              ...(query.page !== undefined ? { page: query.page } : {}),
            }),
          ),
      },
      ClaudeTagBundleTargetConnection,
    ),
    target: t.field({
      type: ClaudeTagBundleTarget,
      nullable: true,
      description:
        'One of its targets by id (GET /v1/organizations/claude_tag/bundles/{id}/targets/{target_id}); null when it is not a target of this bundle (another bundle’s, or detached).',
      extensions: costExtension({ kind: 'request' }),
      args: {
        id: t.arg.id({ required: true, description: 'The bundle target id (btgt_…).' }),
      },
      resolve: async (bundle, args, ctx) => {
        try {
          checkBundleTargetId(args.id);
        } catch (error) {
          if (error instanceof ClaudeTagInputError) {
            throw badUserInput(error.message, { argumentName: 'id' });
          }
          throw error;
        }
        try {
          return await getBundleTarget(ctx.api, bundle.id, args.id);
        } catch (error) {
          if (error instanceof UpstreamError && error.status === 404) return null;
          throw error;
        }
      },
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the bundle was created.',
      resolve: (bundle) => bundle.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the bundle last changed.',
      resolve: (bundle) => bundle.updated_at,
    }),
  }),
});

export const ClaudeTagBundleConnection = builder.connectionObject(
  {
    type: ClaudeTagBundle,
    name: 'ClaudeTagBundleConnection',
    description: 'A page of Claude Tag bundles. Pages forward only (`first`/`after`).',
  },
  { name: 'ClaudeTagBundleEdge', description: 'A Claude Tag bundle and its cursor.' },
);

builder.objectField(Organization, 'claudeTagBundles', (t) =>
  t.connection(
    {
      type: ClaudeTagBundle,
      description: `The organization’s Claude Tag bundles, newest first (GET /v1/organizations/claude_tag/bundles); bundles Claude Tag manages for itself are not listed. \`first\` is 1–1000 (default 20); forward only. ${CLAUDE_TAG_NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: async (_organization, args, ctx) => {
        const connection = await resolveReportConnection(args, {}, BUNDLE_PAGES, (query) =>
          listBundles(ctx.api, query),
        );
        for (const { node } of connection.edges) ctx.loaders.claudeTagBundles.prime(node.id, node);
        return connection;
      },
    },
    ClaudeTagBundleConnection,
  ),
);

builder.queryField('claudeTagBundle', (t) =>
  t.field({
    type: ClaudeTagBundle,
    nullable: true,
    description:
      'A Claude Tag bundle by id; null when no such bundle exists (also while the organization is not enabled for Claude Tag: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'claudeTag' }),
    args: { id: t.arg.id({ required: true, description: 'The bundle id (capp_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.claudeTagBundles.load(checkIdArgument('claudeTagBundle', args.id, 'id')),
  }),
);

builder.asEntity(ClaudeTagBundle, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('claudeTagBundle', id)) return null;
    const found = await ctx.loaders.claudeTagBundles.load(id);
    return found && { ...found };
  },
});
