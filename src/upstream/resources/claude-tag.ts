import { APIError } from '@anthropic-ai/sdk';
import type {
  BetaClaudeTagSettingsCreate,
  BetaClaudeTagSettingsUpdate,
  BetaClaudeTagSlackChannelIdentifiers,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/claude-tag';
import type {
  BetaClaudeTagDeletedSlackChannel,
  BetaClaudeTagSlackChannel,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/slack-channels';
import type { BetaClaudeTagSlackWorkspace } from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/slack-workspaces';
import type { BetaClaudeTagBundle } from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/bundles/bundles';
import type {
  BetaClaudeTagBundleTarget,
  BetaClaudeTagBundleTargetCreate,
  BetaClaudeTagDeletedBundleTarget,
} from '@anthropic-ai/sdk/resources/beta/organization/claude-tag/bundles/targets';
import { checkId, isId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../errors.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';
import { coded, plainPage, type PlainPage, type Run } from './coded-errors.js';

/*
 * Claude Tag (beta `experimental-claude-tag-2026-10-21`, which the SDK sends itself): the Slack
 * workspaces and channels Claude takes part in, with the settings each stores, and the bundles of
 * access (`capp_`) attached to them as bundle targets (`btgt_`). Lists are token-paged (`limit`,
 * `page` → `next_page`); a page token belongs to the query that produced it, `include_inherited`
 * included. The lists that name no object carry the operation `gate`: a 404 there is NOT_ENABLED
 * on their field alone; `organization_not_enrolled_in_beta` (a 400) is NOT_ENABLED everywhere.
 * Refusals keep their `error_code` (`claude_tag_writes_not_enabled`, …) as the error type.
 *
 * Settings can be read as the object stores them or, with `include_inherited`, as they apply once
 * the levels above it are taken into account. The gateway keeps which one a record holds beside
 * it (`includesInherited`), so that the schema never mistakes one for the other.
 */

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const CLAUDE_TAG_BETA = 'experimental-claude-tag-2026-10-21';

/** Which settings a record holds: those the object stores, or those that apply in it. */
interface SettingsView {
  readonly includesInherited: boolean;
}
export type ClaudeTagSlackWorkspace = BetaClaudeTagSlackWorkspace & SettingsView;
export type ClaudeTagSlackChannel = BetaClaudeTagSlackChannel & SettingsView;
export type ClaudeTagBundle = BetaClaudeTagBundle;
/** A bundle target, with the bundle it belongs to (the Admin API's object does not name it). */
export type ClaudeTagBundleTarget = BetaClaudeTagBundleTarget & { readonly bundleId: string };
export type ClaudeTagSettingsCreate = BetaClaudeTagSettingsCreate;
export type ClaudeTagSettingsUpdate = BetaClaudeTagSettingsUpdate;
export type ClaudeTagSlackChannelIdentifiers = BetaClaudeTagSlackChannelIdentifiers;
export type ClaudeTagBundleTargetCreate = BetaClaudeTagBundleTargetCreate;
export type ClaudeTagPage<T> = PlainPage<T>;

export interface ClaudeTagPageQuery {
  limit?: number;
  page?: string;
}
export interface SlackWorkspaceListQuery extends ClaudeTagPageQuery {
  include_inherited?: boolean;
  slack_workspace_id?: string;
}
export interface SlackChannelListQuery extends ClaudeTagPageQuery {
  slack_workspace_id: string;
  include_inherited?: boolean;
  slack_channel_id?: string;
}

/** Bundle target ids are opaque (`btgt_…`, longer than other ids); checked before any URL. */
const BUNDLE_TARGET_ID = /^btgt_[A-Za-z0-9]{1,128}$/;
/** Slack's own identifiers: `T…` for a workspace, `C…` or `G…` for a channel. */
const SLACK_WORKSPACE_ID = /^T[A-Z0-9]{2,30}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

/** A caller's value that cannot be sent upstream; no request was made. */
export class ClaudeTagInputError extends Error {
  override name = 'ClaudeTagInputError';
  constructor(
    readonly field: 'targetId' | 'slackWorkspaceId' | 'slackChannelId',
    message: string,
  ) {
    super(message);
  }
}

export function checkBundleTargetId(value: string): string {
  if (!BUNDLE_TARGET_ID.test(value)) {
    throw new ClaudeTagInputError(
      'targetId',
      `${JSON.stringify(value.slice(0, 100))} is not a bundle target id (btgt_…).`,
    );
  }
  return value;
}

export function checkSlackWorkspaceId(value: string): string {
  if (!SLACK_WORKSPACE_ID.test(value)) {
    throw new ClaudeTagInputError(
      'slackWorkspaceId',
      `${JSON.stringify(value.slice(0, 100))} is not Slack's id of a workspace (T…, such as T0123ABCD).`,
    );
  }
  return value;
}

export function checkSlackChannelId(value: string): string {
  if (!SLACK_CHANNEL_ID.test(value)) {
    throw new ClaudeTagInputError(
      'slackChannelId',
      `${JSON.stringify(value.slice(0, 100))} is not Slack's id of a channel (C… or G…, such as C0456EFGH).`,
    );
  }
  return value;
}

const COLLECTION = 'claudeTag' as const;
/** Cache keys of single objects: the stored view and the inherited view are kept apart. */
const entity = (id: string, inherited = false) => `entity:${id}${inherited ? ':inherited' : ''}`;

const op = (name: string, method: 'GET' | 'POST' | 'DELETE', gated = false): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
  ...(gated ? { gate: CLAUDE_TAG_BETA } : {}),
});

const viewed =
  <T>(includesInherited: boolean) =>
  (value: T): T & SettingsView => ({ ...value, includesInherited });

const pageViewed =
  <T>(includesInherited: boolean) =>
  (page: { data: T[]; next_page?: string | null }): PlainPage<T & SettingsView> => {
    const plain = plainPage(page);
    return { data: plain.data.map(viewed<T>(includesInherited)), next_page: plain.next_page };
  };

/**
 * AdminApi.read keeps a 404 as a cached "not found" and hands it back as a plain 404; for a list
 * that names no object, that 404 means "not enabled", restored here.
 */
async function notEnabledOn404<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (
      error instanceof UpstreamError &&
      error.status === 404 &&
      error.errorType !== NOT_ENABLED_ERROR_TYPE
    ) {
      throw new UpstreamError({
        kind: 'http',
        status: 404,
        errorType: NOT_ENABLED_ERROR_TYPE,
        message: `The organization is not enabled for ${CLAUDE_TAG_BETA} (the Admin API answered 404: ${error.message})`,
        upstreamRequestId: error.upstreamRequestId,
      });
    }
    throw error;
  }
}

// Slack workspaces

export function listSlackWorkspaces(
  api: AdminApi,
  query: SlackWorkspaceListQuery,
): Promise<PlainPage<ClaudeTagSlackWorkspace>> {
  if (query.slack_workspace_id !== undefined) checkSlackWorkspaceId(query.slack_workspace_id);
  const run: Run<PlainPage<ClaudeTagSlackWorkspace>> = coded(
    (org, opts) => org.claudeTag.slackWorkspaces.list(query, opts),
    pageViewed<BetaClaudeTagSlackWorkspace>(query.include_inherited === true),
    CLAUDE_TAG_BETA,
  );
  return notEnabledOn404(
    api.read<PlainPage<ClaudeTagSlackWorkspace>>(
      COLLECTION,
      readKey('claudeTag.slackWorkspaces.list', query),
      op('claude_tag.slack_workspaces.list', 'GET', true),
      run,
    ),
  );
}

export function getSlackWorkspace(
  api: AdminApi,
  id: string,
  includeInherited = false,
): Promise<ClaudeTagSlackWorkspace> {
  checkId('claudeTagSlackWorkspace', id);
  const params = includeInherited ? { include_inherited: true } : {};
  const run: Run<ClaudeTagSlackWorkspace> = coded(
    (org, opts) => org.claudeTag.slackWorkspaces.retrieve(id, params, opts),
    viewed<BetaClaudeTagSlackWorkspace>(includeInherited),
    CLAUDE_TAG_BETA,
  );
  return api.read<ClaudeTagSlackWorkspace>(
    COLLECTION,
    entity(id, includeInherited),
    op('claude_tag.slack_workspaces.get', 'GET'),
    run,
  );
}

export function updateSlackWorkspace(
  api: AdminApi,
  id: string,
  settings: ClaudeTagSettingsUpdate,
): Promise<ClaudeTagSlackWorkspace> {
  checkId('claudeTagSlackWorkspace', id);
  const run: Run<ClaudeTagSlackWorkspace> = coded(
    (org, opts) => org.claudeTag.slackWorkspaces.update(id, { settings }, opts),
    viewed<BetaClaudeTagSlackWorkspace>(false),
    CLAUDE_TAG_BETA,
  );
  return api.write<ClaudeTagSlackWorkspace>(
    op('claude_tag.slack_workspaces.update', 'POST'),
    run,
    [COLLECTION],
    (workspace) => [COLLECTION, workspace.id],
  );
}

// Slack channels

export function listSlackChannels(
  api: AdminApi,
  query: SlackChannelListQuery,
): Promise<PlainPage<ClaudeTagSlackChannel>> {
  checkSlackWorkspaceId(query.slack_workspace_id);
  if (query.slack_channel_id !== undefined) checkSlackChannelId(query.slack_channel_id);
  const run: Run<PlainPage<ClaudeTagSlackChannel>> = coded(
    (org, opts) => org.claudeTag.slackChannels.list(query, opts),
    pageViewed<BetaClaudeTagSlackChannel>(query.include_inherited === true),
    CLAUDE_TAG_BETA,
  );
  return api.read<PlainPage<ClaudeTagSlackChannel>>(
    COLLECTION,
    readKey('claudeTag.slackChannels.list', query),
    op('claude_tag.slack_channels.list', 'GET'),
    run,
  );
}

export function getSlackChannel(
  api: AdminApi,
  id: string,
  includeInherited = false,
): Promise<ClaudeTagSlackChannel> {
  checkId('claudeTagSlackChannel', id);
  const params = includeInherited ? { include_inherited: true } : {};
  const run: Run<ClaudeTagSlackChannel> = coded(
    (org, opts) => org.claudeTag.slackChannels.retrieve(id, params, opts),
    viewed<BetaClaudeTagSlackChannel>(includeInherited),
    CLAUDE_TAG_BETA,
  );
  return api.read<ClaudeTagSlackChannel>(
    COLLECTION,
    entity(id, includeInherited),
    op('claude_tag.slack_channels.get', 'GET'),
    run,
  );
}

/**
 * What setting a channel up did: the channel, and the refusal of its `settings` when the Admin API
 * set the channel up and then refused them (the channel then stores no setting).
 */
export interface SlackChannelSetUp {
  channel: ClaudeTagSlackChannel;
  settingsRefusal: UpstreamError | null;
}

/** The channel a refusal says was set up anyway (`error.details.slack_channel_id`). */
function setUpChannelOf(caught: unknown): string | null {
  if (!(caught instanceof APIError) || !caught.details) return null;
  const details = caught.details;
  return 'slack_channel_id' in details && typeof details.slack_channel_id === 'string'
    ? details.slack_channel_id
    : null;
}

/**
 * Sets a Slack channel up (idempotent: a channel already set up is returned as it is), with
 * `settings` applied as an update applies them. Setting up and applying are two steps upstream:
 * when the second is refused the channel stays set up, and this returns it (read again, one more
 * request) with the refusal instead of throwing.
 */
export async function createSlackChannel(
  api: AdminApi,
  slack: ClaudeTagSlackChannelIdentifiers,
  settings: ClaudeTagSettingsCreate | undefined,
): Promise<SlackChannelSetUp> {
  checkSlackWorkspaceId(slack.workspace_id);
  checkSlackChannelId(slack.channel_id);
  const setUp: { id: string | null } = { id: null };
  const run: Run<ClaudeTagSlackChannel> = coded(
    (org, opts) => ({
      withResponse: async () => {
        try {
          return await org.claudeTag.slackChannels
            .create({ slack, ...(settings ? { settings } : {}) }, opts)
            .withResponse();
        } catch (caught) {
          setUp.id = setUpChannelOf(caught);
          throw caught;
        }
      },
    }),
    viewed<BetaClaudeTagSlackChannel>(false),
    CLAUDE_TAG_BETA,
  );
  try {
    const channel = await api.write<ClaudeTagSlackChannel>(
      op('claude_tag.slack_channels.create', 'POST'),
      run,
      [COLLECTION],
      (created) => [COLLECTION, created.id],
    );
    return { channel, settingsRefusal: null };
  } catch (error) {
    const id = setUp.id;
    if (id === null || !(error instanceof UpstreamError) || !isId('claudeTagSlackChannel', id)) {
      throw error;
    }
    return { channel: await getSlackChannel(api, id), settingsRefusal: error };
  }
}

export function updateSlackChannel(
  api: AdminApi,
  id: string,
  settings: ClaudeTagSettingsUpdate,
): Promise<ClaudeTagSlackChannel> {
  checkId('claudeTagSlackChannel', id);
  const run: Run<ClaudeTagSlackChannel> = coded(
    (org, opts) => org.claudeTag.slackChannels.update(id, { settings }, opts),
    viewed<BetaClaudeTagSlackChannel>(false),
    CLAUDE_TAG_BETA,
  );
  return api.write<ClaudeTagSlackChannel>(
    op('claude_tag.slack_channels.update', 'POST'),
    run,
    [COLLECTION],
    (channel) => [COLLECTION, channel.id],
  );
}

export function deleteSlackChannel(
  api: AdminApi,
  id: string,
): Promise<BetaClaudeTagDeletedSlackChannel> {
  checkId('claudeTagSlackChannel', id);
  return api.write<BetaClaudeTagDeletedSlackChannel>(
    op('claude_tag.slack_channels.delete', 'DELETE'),
    coded(
      (org, opts) => org.claudeTag.slackChannels.delete(id, {}, opts),
      undefined,
      CLAUDE_TAG_BETA,
    ),
    [COLLECTION],
  );
}

// Bundles

export function listBundles(
  api: AdminApi,
  query: ClaudeTagPageQuery,
): Promise<PlainPage<ClaudeTagBundle>> {
  const run: Run<PlainPage<ClaudeTagBundle>> = coded(
    (org, opts) => org.claudeTag.bundles.list(query, opts),
    (page) => plainPage(page),
    CLAUDE_TAG_BETA,
  );
  return notEnabledOn404(
    api.read<PlainPage<ClaudeTagBundle>>(
      COLLECTION,
      readKey('claudeTag.bundles.list', query),
      op('claude_tag.bundles.list', 'GET', true),
      run,
    ),
  );
}

export function getBundle(api: AdminApi, id: string): Promise<ClaudeTagBundle> {
  checkId('claudeTagBundle', id);
  return api.read<ClaudeTagBundle>(
    COLLECTION,
    entity(id),
    op('claude_tag.bundles.get', 'GET'),
    coded((org, opts) => org.claudeTag.bundles.retrieve(id, {}, opts), undefined, CLAUDE_TAG_BETA),
  );
}

/** Changes a bundle's instructions; null (or an empty string) clears them. */
export function updateBundle(
  api: AdminApi,
  id: string,
  instructions: string | null,
): Promise<ClaudeTagBundle> {
  checkId('claudeTagBundle', id);
  return api.write<ClaudeTagBundle>(
    op('claude_tag.bundles.update', 'POST'),
    coded(
      (org, opts) => org.claudeTag.bundles.update(id, { instructions }, opts),
      undefined,
      CLAUDE_TAG_BETA,
    ),
    [COLLECTION],
    (bundle) => [COLLECTION, bundle.id],
  );
}

// Bundle targets

const withBundle =
  (bundleId: string) =>
  (target: BetaClaudeTagBundleTarget): ClaudeTagBundleTarget => ({ ...target, bundleId });

export function listBundleTargets(
  api: AdminApi,
  bundleId: string,
  query: ClaudeTagPageQuery,
): Promise<PlainPage<ClaudeTagBundleTarget>> {
  checkId('claudeTagBundle', bundleId);
  const run: Run<PlainPage<ClaudeTagBundleTarget>> = coded(
    (org, opts) => org.claudeTag.bundles.targets.list(bundleId, query, opts),
    (page) => {
      const plain = plainPage(page);
      return { data: plain.data.map(withBundle(bundleId)), next_page: plain.next_page };
    },
    CLAUDE_TAG_BETA,
  );
  return api.read<PlainPage<ClaudeTagBundleTarget>>(
    COLLECTION,
    readKey('claudeTag.bundles.targets.list', { bundleId, ...query }),
    op('claude_tag.bundle_targets.list', 'GET'),
    run,
  );
}

export function getBundleTarget(
  api: AdminApi,
  bundleId: string,
  targetId: string,
): Promise<ClaudeTagBundleTarget> {
  checkId('claudeTagBundle', bundleId);
  checkBundleTargetId(targetId);
  return api.read<ClaudeTagBundleTarget>(
    COLLECTION,
    entity(`${bundleId}:${targetId}`),
    op('claude_tag.bundle_targets.get', 'GET'),
    coded(
      (org, opts) =>
        org.claudeTag.bundles.targets.retrieve(targetId, { bundle_id: bundleId }, opts),
      withBundle(bundleId),
      CLAUDE_TAG_BETA,
    ),
  );
}

/** Attaches a bundle (idempotent: an existing attachment is returned as it is). */
export function createBundleTarget(
  api: AdminApi,
  bundleId: string,
  target: ClaudeTagBundleTargetCreate,
): Promise<ClaudeTagBundleTarget> {
  checkId('claudeTagBundle', bundleId);
  if (target.type === 'slack_channel') checkId('claudeTagSlackChannel', target.slack_channel_id);
  else checkId('claudeTagSlackWorkspace', target.slack_workspace_id);
  return api.write<ClaudeTagBundleTarget>(
    op('claude_tag.bundle_targets.create', 'POST'),
    coded(
      (org, opts) => org.claudeTag.bundles.targets.create(bundleId, { target }, opts),
      withBundle(bundleId),
      CLAUDE_TAG_BETA,
    ),
    [COLLECTION],
  );
}

export function deleteBundleTarget(
  api: AdminApi,
  bundleId: string,
  targetId: string,
): Promise<BetaClaudeTagDeletedBundleTarget> {
  checkId('claudeTagBundle', bundleId);
  checkBundleTargetId(targetId);
  return api.write<BetaClaudeTagDeletedBundleTarget>(
    op('claude_tag.bundle_targets.delete', 'DELETE'),
    coded(
      (org, opts) => org.claudeTag.bundles.targets.delete(targetId, { bundle_id: bundleId }, opts),
      undefined,
      CLAUDE_TAG_BETA,
    ),
    [COLLECTION],
  );
}
