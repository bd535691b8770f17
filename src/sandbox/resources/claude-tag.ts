import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst } from '../transport/pagination.js';
import {
  has,
  isObject,
  objectBody,
  queryBoolean,
  queryValue,
  type JsonObject,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp, type Micros } from '../time.js';
import { tokenPage } from './reports/page-tokens.js';

/*
 * Claude Tag (beta `experimental-claude-tag-2026-10-21`): Slack workspaces and channels with
 * their settings, bundles and bundle targets. Stateful: setting channels up, updates, removals,
 * attaching and detaching change what lists and gets return. Strict: unknown ids 404, bad fields
 * 400 naming the field, page tokens bound to their list and query (`include_inherited`
 * included), unknown tokens refused.
 *
 * Settings inherit: a channel from its workspace, a workspace from the organization's Slack
 * defaults, and what no level sets is `default`; `include_inherited=true` answers what applies,
 * with the level each value comes from. Setting a channel up is two steps, as upstream: the
 * channel is set up first, then `settings` applied; a model the organization is not entitled to
 * (CLAUDE_TAG_SANDBOX.entitledModels) or an unknown environment then refuses the settings and
 * leaves the channel set up (`details.slack_channel_id`). Switches: the beta off (every route
 * 404), writes not enabled (every change 403 `claude_tag_writes_not_enabled`). State lives here,
 * per store, reseeded after a reset of the store.
 */

const SEED = 0xc1a0de7a;
const MAX_INSTRUCTIONS = 8192;
const MAX_BUNDLE_INSTRUCTIONS_BYTES = 10_000;
const GUEST_POLICIES = ['allow', 'restrict', 'channel_only'] as const;
const REPLY_MODES = ['automatic', 'mention_only', 'always_awake', 'thread'] as const;
const SETTING_FIELDS = [
  'enabled',
  'environment_id',
  'guest_policy',
  'instructions',
  'model',
  'reply_mode',
] as const;

interface Settings {
  enabled: boolean | null;
  environment_id: string | null;
  guest_policy: { type: string } | null;
  instructions: string | null;
  model: string | null;
  reply_mode: { type: string } | null;
}
type SettingsPatch = Partial<Settings>;

const EMPTY: Settings = {
  enabled: null,
  environment_id: null,
  guest_policy: null,
  instructions: null,
  model: null,
  reply_mode: null,
};

interface WorkspaceRecord {
  id: string;
  slackId: string;
  settings: Settings;
  createdAt: Micros;
  updatedAt: Micros;
}
interface ChannelRecord {
  id: string;
  slackWorkspaceId: string;
  slackChannelId: string;
  settings: Settings;
  createdAt: Micros;
  updatedAt: Micros;
}
interface BundleRecord {
  id: string;
  displayName: string;
  description: string | null;
  instructions: string | null;
  /** Managed in claude.ai: an update is refused with this `error_code`. */
  managed: 'bundle_on_call' | 'bundle_attachment_not_supported' | null;
  createdAt: Micros;
  updatedAt: Micros;
}
interface TargetRecord {
  id: string;
  bundleId: string;
  type: 'slack_channel' | 'slack_workspace';
  targetId: string;
  createdAt: Micros;
}

interface ClaudeTagState {
  seededFor: object;
  enabled: boolean;
  writesEnabled: boolean;
  rng: Rng;
  slackDefaults: Settings;
  workspaces: Map<string, WorkspaceRecord>;
  channels: Map<string, ChannelRecord>;
  bundles: Map<string, BundleRecord>;
  targets: Map<string, TargetRecord>;
}

/** What the emulated Slack and organization hold (for demos and tests). */
export const CLAUDE_TAG_SANDBOX = {
  /** Slack workspaces the organization has connected, with the channels Slack shows in each. */
  slack: {
    T01NRTHWND: ['C01GENERAL', 'C02ONCALL', 'C03RANDOM', 'C04DESIGN', 'C05SUPPORT'],
    T02ACMEDEV: ['C11BUILDS', 'C12DEPLOYS', 'C13ALERTS'],
  } as Record<string, readonly string[]>,
  /** Models the organization is entitled to for Claude Tag. */
  entitledModels: ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5', 'sonnet', 'opus'],
  /** Environments of the organization. */
  environments: ['env_01SandboxDefault', 'env_02SandboxGpu'],
} as const;

const states = new WeakMap<SandboxStore, ClaudeTagState>();

function seed(store: SandboxStore): ClaudeTagState {
  const rng = new Rng(SEED);
  const anchor = store.clock.anchor;
  const at = (daysAgo: number) => anchor - daysAgo * MICROS_PER_DAY;
  const workspaces = new Map<string, WorkspaceRecord>();
  const channels = new Map<string, ChannelRecord>();
  const bundles = new Map<string, BundleRecord>();
  const targets = new Map<string, TargetRecord>();
  const workspace = (slackId: string, daysAgo: number, settings: SettingsPatch) => {
    const record: WorkspaceRecord = {
      id: rng.id('slws_'),
      slackId,
      settings: { ...EMPTY, ...settings },
      createdAt: at(daysAgo),
      updatedAt: at(daysAgo),
    };
    workspaces.set(record.id, record);
    return record;
  };
  const channel = (
    slackWorkspaceId: string,
    slackChannelId: string,
    daysAgo: number,
    settings: SettingsPatch,
  ) => {
    const record: ChannelRecord = {
      id: rng.id('slch_'),
      slackWorkspaceId,
      slackChannelId,
      settings: { ...EMPTY, ...settings },
      createdAt: at(daysAgo),
      updatedAt: at(daysAgo),
    };
    channels.set(record.id, record);
    return record;
  };
  const bundle = (
    displayName: string,
    daysAgo: number,
    fields: Partial<Pick<BundleRecord, 'description' | 'instructions' | 'managed'>>,
  ) => {
    const record: BundleRecord = {
      id: rng.id('capp_'),
      displayName,
      description: null,
      instructions: null,
      managed: null,
      createdAt: at(daysAgo),
      updatedAt: at(daysAgo),
      ...fields,
    };
    bundles.set(record.id, record);
    return record;
  };
  const northwind = workspace('T01NRTHWND', 60, {
    instructions: 'This is the Northwind engineering workspace.',
    environment_id: 'env_01SandboxDefault',
  });
  workspace('T02ACMEDEV', 30, { enabled: false });
  channel('T01NRTHWND', 'C01GENERAL', 55, { reply_mode: { type: 'mention_only' } });
  const oncall = channel('T01NRTHWND', 'C02ONCALL', 40, {
    enabled: true,
    model: 'claude-opus-4-1',
    instructions: 'Page the on-call engineer before changing production.',
    reply_mode: { type: 'automatic' },
  });
  channel('T02ACMEDEV', 'C11BUILDS', 20, {});
  const tools = bundle('Engineering tools', 50, {
    description: 'GitHub, Linear and the staging database.',
    instructions: 'Open pull requests as drafts.',
  });
  const support = bundle('Support knowledge base', 25, {
    description: 'The help center and the ticket queue.',
    managed: 'bundle_on_call',
  });
  bundle('Design files', 10, { managed: 'bundle_attachment_not_supported' });
  const attach = (
    b: BundleRecord,
    type: TargetRecord['type'],
    targetId: string,
    daysAgo: number,
  ) => {
    const record: TargetRecord = {
      id: targetIdOf(b.id, targetId),
      bundleId: b.id,
      type,
      targetId,
      createdAt: at(daysAgo),
    };
    targets.set(record.id, record);
  };
  attach(tools, 'slack_workspace', northwind.id, 45);
  attach(support, 'slack_channel', oncall.id, 20);
  return {
    seededFor: store.organization,
    enabled: true,
    writesEnabled: true,
    rng,
    slackDefaults: {
      ...EMPTY,
      enabled: true,
      model: 'claude-sonnet-4-5',
      instructions: 'Answer in the language of the question.',
      guest_policy: { type: 'restrict' },
    },
    workspaces,
    channels,
    bundles,
    targets,
  };
}

/** The same bundle and target always give the same bundle target id. */
function targetIdOf(bundleId: string, targetId: string): string {
  const tail = (id: string) => id.slice(id.indexOf('_') + 1);
  return `btgt_${tail(targetId)}${tail(bundleId)}`;
}

function stateOf(store: SandboxStore): ClaudeTagState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/** Test and demo switch: whether the organization has Claude Tag (off: every route 404). */
export function setClaudeTagEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

/** Test and demo switch: whether changes through the Claude Tag API are enabled. */
export function setClaudeTagWritesEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).writesEnabled = enabled;
}

function readable(store: SandboxStore, path: string): ClaudeTagState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound(`No route for ${path}.`);
  return state;
}

function writable(store: SandboxStore, path: string): ClaudeTagState {
  const state = readable(store, path);
  if (!state.writesEnabled) {
    throw new ApiError(
      403,
      'Changes through the Claude Tag API are not enabled for this organization.',
      {
        details: { error_code: 'claude_tag_writes_not_enabled' },
      },
    );
  }
  return state;
}

// Settings

type Level =
  | { type: 'slack_channel'; slack_channel_id: string }
  | { type: 'slack_workspace'; slack_workspace_id: string }
  | { type: 'slack_default' };

/** Settings and sources of an object, as it stores them or (inherited) as they apply. */
function renderSettings(
  levels: { source: Level; settings: Settings }[],
  inherited: boolean,
): { settings: Settings; sources: Record<string, unknown> } {
  // Nearest level first; without `inherited`, only the object's own.
  const used = inherited ? levels : levels.slice(0, 1);
  const settings: Settings = { ...EMPTY };
  const sources: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    if (field === 'instructions') continue;
    const from = used.find((level) => level.settings[field] !== null);
    if (from) {
      Object.assign(settings, { [field]: from.settings[field] });
      sources[field] = from.source;
    } else {
      sources[field] = inherited ? { type: 'default' } : null;
    }
  }
  const contributing = used.filter((level) => level.settings.instructions !== null).reverse();
  settings.instructions =
    contributing.length > 0
      ? contributing.map((level) => level.settings.instructions).join('\n\n')
      : null;
  sources['instructions'] = contributing.map((level) => level.source);
  return { settings, sources };
}

function workspaceLevels(state: ClaudeTagState, workspace: WorkspaceRecord) {
  return [
    {
      source: { type: 'slack_workspace', slack_workspace_id: workspace.id } as Level,
      settings: { ...workspace.settings, reply_mode: null },
    },
    { source: { type: 'slack_default' } as Level, settings: state.slackDefaults },
  ];
}

function renderWorkspace(state: ClaudeTagState, workspace: WorkspaceRecord, inherited: boolean) {
  return {
    id: workspace.id,
    created_at: formatTimestamp(workspace.createdAt),
    ...renderSettings(workspaceLevels(state, workspace), inherited),
    slack: { workspace_id: workspace.slackId },
    type: 'slack_workspace',
    updated_at: formatTimestamp(workspace.updatedAt),
  };
}

function renderChannel(state: ClaudeTagState, channel: ChannelRecord, inherited: boolean) {
  const workspace = [...state.workspaces.values()].find(
    (candidate) => candidate.slackId === channel.slackWorkspaceId,
  );
  const own = {
    source: { type: 'slack_channel', slack_channel_id: channel.id } as Level,
    settings: channel.settings,
  };
  const above = workspace ? workspaceLevels(state, workspace) : [];
  const rendered = renderSettings(
    [
      own,
      ...above.map((level) => ({ ...level, settings: { ...level.settings, reply_mode: null } })),
    ],
    inherited,
  );
  return {
    id: channel.id,
    created_at: formatTimestamp(channel.createdAt),
    ...rendered,
    slack: { channel_id: channel.slackChannelId, workspace_id: channel.slackWorkspaceId },
    type: 'slack_channel',
    updated_at: formatTimestamp(channel.updatedAt),
  };
}

function typed(value: unknown, field: string, allowed: readonly string[]): { type: string } | null {
  if (value === null) return null;
  if (!isObject(value) || typeof value['type'] !== 'string' || !allowed.includes(value['type'])) {
    throw invalidRequest(
      `settings.${field}: Input should be an object with type ${allowed.map((v) => `'${v}'`).join(', ')}`,
    );
  }
  return { type: value['type'] };
}

/** The shape of a `settings` body, checked (400 naming the field); semantic checks come later. */
function settingsPatch(value: unknown): SettingsPatch {
  if (!isObject(value)) throw invalidRequest('settings: Input should be an object');
  const input: JsonObject = objectBody(value, SETTING_FIELDS);
  const patch: SettingsPatch = {};
  if (has(input, 'enabled')) {
    const enabled = input['enabled'];
    if (enabled !== null && typeof enabled !== 'boolean') {
      throw invalidRequest('settings.enabled: Input should be a valid boolean');
    }
    patch.enabled = enabled;
  }
  for (const field of ['environment_id', 'model'] as const) {
    if (!has(input, field)) continue;
    const text = input[field];
    if (text !== null && (typeof text !== 'string' || text.length === 0)) {
      throw invalidRequest(`settings.${field}: Input should be a non-empty string`);
    }
    patch[field] = text;
  }
  if (has(input, 'instructions')) {
    const text = input['instructions'];
    if (text !== null && typeof text !== 'string') {
      throw invalidRequest('settings.instructions: Input should be a valid string');
    }
    const trimmed = text === null ? '' : text.trim();
    if (trimmed.length > MAX_INSTRUCTIONS) {
      throw invalidRequest(
        `settings.instructions: must be at most ${MAX_INSTRUCTIONS} characters after trimming`,
      );
    }
    patch.instructions = trimmed.length > 0 ? trimmed : null;
  }
  if (has(input, 'guest_policy')) {
    patch.guest_policy = typed(input['guest_policy'], 'guest_policy', GUEST_POLICIES);
  }
  if (has(input, 'reply_mode')) {
    patch.reply_mode = typed(input['reply_mode'], 'reply_mode', REPLY_MODES);
  }
  return patch;
}

/**
 * The refusal of a patch's values, or null: a model the organization is not entitled to (400) or
 * an environment it does not have (404), and the reply-mode rules of workspaces and channels.
 */
function refusal(
  patch: SettingsPatch,
  current: Settings,
  on: 'workspace' | 'channel',
): { status: 400 | 404; message: string } | null {
  if (
    patch.model != null &&
    !(CLAUDE_TAG_SANDBOX.entitledModels as readonly string[]).includes(patch.model)
  ) {
    return {
      status: 400,
      message: `settings.model: the organization is not entitled to ${JSON.stringify(patch.model)} for Claude Tag`,
    };
  }
  if (
    patch.environment_id != null &&
    !(CLAUDE_TAG_SANDBOX.environments as readonly string[]).includes(patch.environment_id)
  ) {
    return {
      status: 404,
      message: `settings.environment_id: no environment ${JSON.stringify(patch.environment_id)} within the organization's reach`,
    };
  }
  if (on === 'workspace' && patch.reply_mode) {
    return { status: 400, message: 'settings.reply_mode: only a channel takes a reply mode' };
  }
  if (on === 'channel' && patch.reply_mode === null && current.reply_mode !== null) {
    return {
      status: 400,
      message: 'settings.reply_mode: a stored reply mode can be changed but never cleared',
    };
  }
  return null;
}

function applied(current: Settings, patch: SettingsPatch, on: 'workspace' | 'channel'): Settings {
  const next = { ...current, ...patch };
  // A null reply mode changes nothing (see refusal() for the one that is refused).
  if (patch.reply_mode === null || on === 'workspace') next.reply_mode = current.reply_mode;
  return next;
}

// Paging

const byCreated = <T extends { createdAt: Micros; id: string }>() =>
  newestFirst<T>(
    (item) => item.createdAt,
    (item) => item.id,
  );

// Lookups

function requireWorkspace(state: ClaudeTagState, id: string | undefined): WorkspaceRecord {
  const workspace = id === undefined ? undefined : state.workspaces.get(id);
  if (!workspace) throw notFound('No Slack workspace with the given ID is set up for Claude Tag.');
  return workspace;
}

function requireChannel(state: ClaudeTagState, id: string | undefined): ChannelRecord {
  const channel = id === undefined ? undefined : state.channels.get(id);
  if (!channel) throw notFound('No Slack channel with the given ID is set up for Claude Tag.');
  return channel;
}

function requireBundle(state: ClaudeTagState, id: string | undefined): BundleRecord {
  const bundle = id === undefined ? undefined : state.bundles.get(id);
  if (!bundle) throw notFound('No bundle with the given ID exists in this organization.');
  return bundle;
}

function requireTarget(
  state: ClaudeTagState,
  bundle: BundleRecord,
  id: string | undefined,
): TargetRecord {
  const target = id === undefined ? undefined : state.targets.get(id);
  if (!target || target.bundleId !== bundle.id) {
    throw notFound('No bundle target with the given ID exists for this bundle.');
  }
  return target;
}

function workspaceBySlackId(state: ClaudeTagState, slackId: string): WorkspaceRecord | undefined {
  return [...state.workspaces.values()].find((workspace) => workspace.slackId === slackId);
}

function renderTarget(target: TargetRecord) {
  return {
    id: target.id,
    created_at: formatTimestamp(target.createdAt),
    ...(target.type === 'slack_channel'
      ? { slack_channel_id: target.targetId }
      : { slack_workspace_id: target.targetId }),
    type: target.type,
  };
}

function renderBundle(bundle: BundleRecord) {
  return {
    id: bundle.id,
    created_at: formatTimestamp(bundle.createdAt),
    description: bundle.description,
    display_name: bundle.displayName,
    instructions: bundle.instructions,
    type: 'bundle',
    updated_at: formatTimestamp(bundle.updatedAt),
  };
}

const ROOT = '/v1/organizations/claude_tag';
const WORKSPACES = `${ROOT}/slack_workspaces`;
const CHANNELS = `${ROOT}/slack_channels`;
const BUNDLES = `${ROOT}/bundles`;

export const claudeTagRoutes: Route[] = [
  route('GET', WORKSPACES, ({ store, query }) => {
    const state = readable(store, WORKSPACES);
    const inherited = queryBoolean(query, 'include_inherited', false);
    const render = (workspace: WorkspaceRecord) => renderWorkspace(state, workspace, inherited);
    const slackId = queryValue(query, 'slack_workspace_id');
    if (slackId !== undefined) {
      const found = workspaceBySlackId(state, slackId);
      return { data: found ? [render(found)] : [], next_page: null };
    }
    const items = [...state.workspaces.values()].sort(byCreated());
    return tokenPage(store, 'claude_tag_slack_workspaces', query, items, (w) => w.id, render);
  }),

  route('GET', `${WORKSPACES}/:id`, ({ store, params, query }) => {
    const state = readable(store, WORKSPACES);
    const inherited = queryBoolean(query, 'include_inherited', false);
    return renderWorkspace(state, requireWorkspace(state, params['id']), inherited);
  }),

  route('POST', `${WORKSPACES}/:id`, ({ store, params, body }) => {
    const state = writable(store, WORKSPACES);
    const workspace = requireWorkspace(state, params['id']);
    const input = objectBody(body, ['settings']);
    if (!has(input, 'settings')) throw invalidRequest('settings: Field required');
    const patch = settingsPatch(input['settings']);
    const refused = refusal(patch, workspace.settings, 'workspace');
    if (refused) throw new ApiError(refused.status, refused.message);
    workspace.settings = applied(workspace.settings, patch, 'workspace');
    workspace.updatedAt = store.tick();
    return renderWorkspace(state, workspace, false);
  }),

  route('GET', CHANNELS, ({ store, query }) => {
    const state = readable(store, CHANNELS);
    const slackWorkspaceId = queryValue(query, 'slack_workspace_id');
    if (slackWorkspaceId === undefined) throw invalidRequest('slack_workspace_id: Field required');
    if (!workspaceBySlackId(state, slackWorkspaceId)) {
      throw notFound(
        `No Slack workspace ${JSON.stringify(slackWorkspaceId)} is set up for Claude Tag.`,
      );
    }
    const inherited = queryBoolean(query, 'include_inherited', false);
    const render = (channel: ChannelRecord) => renderChannel(state, channel, inherited);
    const inWorkspace = [...state.channels.values()].filter(
      (channel) => channel.slackWorkspaceId === slackWorkspaceId,
    );
    const slackChannelId = queryValue(query, 'slack_channel_id');
    if (slackChannelId !== undefined) {
      const found = inWorkspace.find((channel) => channel.slackChannelId === slackChannelId);
      return { data: found ? [render(found)] : [], next_page: null };
    }
    const items = inWorkspace.sort(byCreated());
    return tokenPage(store, 'claude_tag_slack_channels', query, items, (c) => c.id, render);
  }),

  route('POST', CHANNELS, ({ store, body }) => {
    const state = writable(store, CHANNELS);
    const input = objectBody(body, ['slack', 'settings']);
    if (!has(input, 'slack')) throw invalidRequest('slack: Field required');
    const slack = input['slack'];
    if (!isObject(slack)) throw invalidRequest('slack: Input should be an object');
    const identifiers = objectBody(slack, ['channel_id', 'workspace_id']);
    const channelId = identifiers['channel_id'];
    const workspaceId = identifiers['workspace_id'];
    if (typeof workspaceId !== 'string') throw invalidRequest('slack.workspace_id: Field required');
    if (typeof channelId !== 'string') throw invalidRequest('slack.channel_id: Field required');
    const patch = has(input, 'settings') ? settingsPatch(input['settings']) : undefined;
    if (!workspaceBySlackId(state, workspaceId)) {
      throw notFound(
        `The organization does not own the Slack workspace ${JSON.stringify(workspaceId)}.`,
      );
    }
    if (!(CLAUDE_TAG_SANDBOX.slack[workspaceId] ?? []).includes(channelId)) {
      throw notFound(
        `Slack does not show the channel ${JSON.stringify(channelId)} to Claude's app: it is not in the workspace, is archived, or is not visible to the app.`,
      );
    }
    // Step one: set the channel up (or find it set up).
    let channel = [...state.channels.values()].find(
      (candidate) =>
        candidate.slackWorkspaceId === workspaceId && candidate.slackChannelId === channelId,
    );
    if (!channel) {
      const at = store.tick();
      channel = {
        id: state.rng.id('slch_'),
        slackWorkspaceId: workspaceId,
        slackChannelId: channelId,
        settings: { ...EMPTY },
        createdAt: at,
        updatedAt: at,
      };
      state.channels.set(channel.id, channel);
    }
    // Step two: apply the settings, as an update applies them.
    if (patch) {
      const refused = refusal(patch, channel.settings, 'channel');
      if (refused) {
        channel.settings = { ...EMPTY };
        const details = {
          error_code:
            refused.status === 404
              ? 'slack_channel_set_up_environment_not_found'
              : 'slack_channel_set_up_settings_refused',
          slack_channel_id: channel.id,
        };
        throw new ApiError(
          refused.status,
          `The channel was set up, then refused: ${refused.message}`,
          { details },
        );
      }
      channel.settings = applied(channel.settings, patch, 'channel');
      channel.updatedAt = store.tick();
    }
    return renderChannel(state, channel, false);
  }),

  route('GET', `${CHANNELS}/:id`, ({ store, params, query }) => {
    const state = readable(store, CHANNELS);
    const inherited = queryBoolean(query, 'include_inherited', false);
    return renderChannel(state, requireChannel(state, params['id']), inherited);
  }),

  route('POST', `${CHANNELS}/:id`, ({ store, params, body }) => {
    const state = writable(store, CHANNELS);
    const channel = requireChannel(state, params['id']);
    const input = objectBody(body, ['settings']);
    if (!has(input, 'settings')) throw invalidRequest('settings: Field required');
    const patch = settingsPatch(input['settings']);
    const refused = refusal(patch, channel.settings, 'channel');
    if (refused) {
      const details = refused.status === 404 ? { error_code: 'environment_not_found' } : undefined;
      throw new ApiError(refused.status, refused.message, details ? { details } : {});
    }
    channel.settings = applied(channel.settings, patch, 'channel');
    channel.updatedAt = store.tick();
    return renderChannel(state, channel, false);
  }),

  route('DELETE', `${CHANNELS}/:id`, ({ store, params }) => {
    const state = writable(store, CHANNELS);
    const channel = requireChannel(state, params['id']);
    const effective = renderChannel(state, channel, true).settings;
    if (effective.enabled === true) {
      throw new ApiError(
        400,
        'The channel is enabled (`enabled` resolves to true): set `enabled` to false on the channel before removing it.',
        { details: { error_code: 'slack_channel_enabled' } },
      );
    }
    state.channels.delete(channel.id);
    for (const [id, target] of state.targets) {
      if (target.type === 'slack_channel' && target.targetId === channel.id)
        state.targets.delete(id);
    }
    return { id: channel.id, type: 'slack_channel_deleted' };
  }),

  route('GET', BUNDLES, ({ store, query }) => {
    const state = readable(store, BUNDLES);
    const items = [...state.bundles.values()].sort(byCreated());
    return tokenPage(store, 'claude_tag_bundles', query, items, (b) => b.id, renderBundle);
  }),

  route('GET', `${BUNDLES}/:bundle_id`, ({ store, params }) => {
    const state = readable(store, BUNDLES);
    return renderBundle(requireBundle(state, params['bundle_id']));
  }),

  route('POST', `${BUNDLES}/:bundle_id`, ({ store, params, body }) => {
    const state = writable(store, BUNDLES);
    const bundle = requireBundle(state, params['bundle_id']);
    const input = objectBody(body, ['instructions']);
    if (!has(input, 'instructions')) return renderBundle(bundle);
    const text = input['instructions'];
    if (text !== null && typeof text !== 'string') {
      throw invalidRequest('instructions: Input should be a valid string');
    }
    if (text !== null && Buffer.byteLength(text, 'utf8') > MAX_BUNDLE_INSTRUCTIONS_BYTES) {
      throw invalidRequest(
        `instructions: must be at most ${MAX_BUNDLE_INSTRUCTIONS_BYTES} bytes (UTF-8)`,
      );
    }
    if (bundle.managed) {
      throw new ApiError(
        400,
        bundle.managed === 'bundle_on_call'
          ? "This bundle's instructions are managed in claude.ai and can't be changed through the API."
          : 'This bundle has an attachment this API does not support editing: change its instructions in claude.ai.',
        { details: { error_code: bundle.managed } },
      );
    }
    bundle.instructions = text === null || text === '' ? null : text;
    bundle.updatedAt = store.tick();
    return renderBundle(bundle);
  }),

  route('GET', `${BUNDLES}/:bundle_id/targets`, ({ store, params, query }) => {
    const state = readable(store, BUNDLES);
    const bundle = requireBundle(state, params['bundle_id']);
    const items = [...state.targets.values()]
      .filter((target) => target.bundleId === bundle.id)
      .sort(byCreated());
    return tokenPage(
      store,
      `claude_tag_bundle_targets:${bundle.id}`,
      query,
      items,
      (t) => t.id,
      renderTarget,
    );
  }),

  route('POST', `${BUNDLES}/:bundle_id/targets`, ({ store, params, body }) => {
    const state = writable(store, BUNDLES);
    const bundle = requireBundle(state, params['bundle_id']);
    // The body is the target itself (`{ type, slack_channel_id | slack_workspace_id }`).
    if (!isObject(body)) throw invalidRequest('type: Field required');
    const target = body;
    let type: TargetRecord['type'];
    let targetId: string;
    if (target['type'] === 'slack_channel') {
      const fields = objectBody(target, ['type', 'slack_channel_id']);
      type = 'slack_channel';
      targetId = String(fields['slack_channel_id'] ?? '');
      if (!state.channels.has(targetId)) {
        throw notFound('slack_channel_id: no Slack channel with the given ID is set up.');
      }
    } else if (target['type'] === 'slack_workspace') {
      const fields = objectBody(target, ['type', 'slack_workspace_id']);
      type = 'slack_workspace';
      targetId = String(fields['slack_workspace_id'] ?? '');
      if (!state.workspaces.has(targetId)) {
        throw notFound(
          'target.slack_workspace_id: no Slack workspace with the given ID is set up.',
        );
      }
    } else {
      throw invalidRequest("type: Input should be 'slack_channel' or 'slack_workspace'");
    }
    const id = targetIdOf(bundle.id, targetId);
    let record = state.targets.get(id);
    if (!record) {
      record = { id, bundleId: bundle.id, type, targetId, createdAt: store.tick() };
      state.targets.set(id, record);
    }
    return renderTarget(record);
  }),

  route('GET', `${BUNDLES}/:bundle_id/targets/:target_id`, ({ store, params }) => {
    const state = readable(store, BUNDLES);
    const bundle = requireBundle(state, params['bundle_id']);
    return renderTarget(requireTarget(state, bundle, params['target_id']));
  }),

  route('DELETE', `${BUNDLES}/:bundle_id/targets/:target_id`, ({ store, params }) => {
    const state = writable(store, BUNDLES);
    const bundle = requireBundle(state, params['bundle_id']);
    const target = requireTarget(state, bundle, params['target_id']);
    state.targets.delete(target.id);
    return { id: target.id, type: 'bundle_target_deleted' };
  }),
];

/** For tests: the seeded objects' ids, by what they are. */
export function claudeTagFixtures(store: SandboxStore) {
  const state = stateOf(store);
  const workspace = (slackId: string) => workspaceBySlackId(state, slackId)?.id ?? '';
  const channel = (slackId: string) =>
    [...state.channels.values()].find((c) => c.slackChannelId === slackId)?.id ?? '';
  const bundle = (name: string) =>
    [...state.bundles.values()].find((b) => b.displayName === name)?.id ?? '';
  return {
    northwind: workspace('T01NRTHWND'),
    acme: workspace('T02ACMEDEV'),
    general: channel('C01GENERAL'),
    oncall: channel('C02ONCALL'),
    builds: channel('C11BUILDS'),
    tools: bundle('Engineering tools'),
    support: bundle('Support knowledge base'),
    design: bundle('Design files'),
  };
}
