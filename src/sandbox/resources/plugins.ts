import { createHash } from 'node:crypto';
import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst } from '../transport/pagination.js';
import { enumField, objectBody, queryValue, stringField, type Query } from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import type { SandboxStore } from '../store.js';
import {
  MICROS_PER_DAY,
  formatNullableTimestamp,
  formatTimestamp,
  parseTimestamp,
  type Micros,
} from '../time.js';
import { tokenPage } from './reports/page-tokens.js';
import { RBAC_FIXTURE_IDS, rbacState } from './rbac.js';

/*
 * Plugins (with versions, shares and installation settings) and plugin marketplaces (beta
 * `ce-plugins-2026-09-01`). Stateful: serving a version, deleting a plugin, installation-setting
 * writes and a marketplace's default change what lists and gets return (a plugin without its own
 * organization-wide setting shows its marketplace's default). Strict like the Admin API: unknown
 * ids 404 (also a version of another plugin), bad fields 400 naming the field, page tokens bound
 * to their list and query, installation settings 404 for a member-owned plugin and shares 404 for
 * an organization-owned one, a member-owned plugin cannot be updated (403), only a plugin of a
 * `manual` marketplace can be deleted (400), and a served-version change is refused as the Admin
 * API documents it: `scan_pending` (409), `scan_failed` (400), `skill_name_taken` (409) for a
 * skill named like an organization skill, and `registration_pending` (503) for a version stored
 * but not yet registered. `validate_repository` never goes to the network: a
 * `https://github.com/<owner>/<repo>` URL is valid (a repository whose name ends in `-broken`
 * reports one skipped plugin), anything else is reported as not readable. Uploads and the archive
 * download are not emulated. A switch turns the beta off for the organization (setPluginsEnabled):
 * every route then answers 404. State lives here, per store, reseeded after a reset of the store.
 */

/** Fixed ids of the seeded plugin data (for tests and docs). */
export const PLUGIN_FIXTURE_IDS = {
  libraryMarketplace: 'marketplace_01OrgLibrary00000000001',
  githubMarketplace: 'marketplace_01EngineeringGitHub00002',
  personalMarketplace: 'marketplace_01PersonalNotes000000003',
  /** Organization-owned, in the library: settings for the organization and a group. */
  codeReview: 'plugin_01CodeReview00000000000001',
  codeReviewV1: 'pluginver_01CodeReviewV100000000001',
  /** Served. */
  codeReviewV2: 'pluginver_01CodeReviewV200000000002',
  /** Its skill `release-notes` has an organization skill's name. */
  codeReviewV3: 'pluginver_01CodeReviewV300000000003',
  /** Latest; its content scan is still running. */
  codeReviewV4: 'pluginver_01CodeReviewV400000000004',
  /** Organization-owned, synchronized from GitHub: inherits the marketplace's default. */
  lintRules: 'plugin_01LintRules000000000000002',
  /** Failed its content scan. */
  lintRulesV1: 'pluginver_01LintRulesV10000000000001',
  lintRulesV2: 'pluginver_01LintRulesV20000000000002',
  /** Organization-owned, in the library; its latest version awaits registration. */
  deployHelper: 'plugin_01DeployHelper0000000000003',
  deployHelperV1: 'pluginver_01DeployHelperV1000000001',
  deployHelperV2: 'pluginver_01DeployHelperV2000000002',
  /** Member-owned, shared with a group and with one member. */
  personalNotes: 'plugin_01PersonalNotes00000000004',
  personalNotesV1: 'pluginver_01PersonalNotesV100000001',
} as const;

const F = PLUGIN_FIXTURE_IDS;
const PREFERENCES = ['required', 'auto_install', 'available', 'not_available'] as const;
const OWNER_TYPES = ['organization', 'user'] as const;
const SOURCES = ['directory', 'github', 'gitlab', 'manual', 'public_git'] as const;
type Preference = (typeof PREFERENCES)[number];
type Source = (typeof SOURCES)[number];
type Owner = { type: 'organization' } | { type: 'user'; user_id: string };
type Target =
  | { type: 'organization' }
  | { type: 'rbac_group'; rbac_group_id: string }
  | { type: 'organization_member'; user_id: string };
type Scan = {
  assessment: 'fail' | 'pass' | 'unknown' | 'warn' | null;
  reason: string | null;
  status: 'completed' | 'errored' | 'processing';
};
type Component = { description: string | null; name: string; type: string };

interface VersionRecord {
  id: string;
  displayName: string | null;
  description: string | null;
  manifestVersion: string | null;
  releaseNotes: string | null;
  components: Component[];
  scan: Scan | null;
  reach: 'contained' | 'privileged' | 'remote' | null;
  createdBy:
    | { type: 'user_actor'; user_id: string; email_address: string | null }
    | {
        type: 'api_actor';
        api_key_id: string;
      }
    | null;
  createdAt: Micros;
  /** Stored but not yet usable in claude.ai: serving it answers 503 `registration_pending`. */
  registrationPending: boolean;
}

interface SettingRecord {
  target: Target;
  preference: Preference;
  createdAt: Micros;
  updatedAt: Micros;
}

interface PluginRecord {
  id: string;
  name: string;
  marketplaceId: string;
  owner: Owner;
  /** Newest first. */
  versions: VersionRecord[];
  servedVersionId: string;
  pinned: boolean;
  /** Keyed by `organization` or the RBAC group id. */
  settings: Map<string, SettingRecord>;
  shares: { target: Target; grantedAt: Micros }[];
  createdAt: Micros;
  updatedAt: Micros;
}

interface MarketplaceRecord {
  id: string;
  name: string;
  owner: Owner;
  source: Source;
  defaultPreference: Preference | null;
  syncStatus: string | null;
  lastSyncEndedAt: Micros | null;
  lastSyncReadSha: string | null;
  createdAt: Micros;
}

interface PluginState {
  enabled: boolean;
  marketplaces: Map<string, MarketplaceRecord>;
  plugins: Map<string, PluginRecord>;
  /** Names of the organization's own skills (which this API does not list). */
  organizationSkills: Set<string>;
}

const states = new WeakMap<object, PluginState>();

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

function seed(store: SandboxStore): PluginState {
  const anchor = store.clock.anchor;
  const ago = (days: number) => anchor - days * MICROS_PER_DAY;
  const users = [...store.users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const admin = users[0];
  const member = users[1] ?? users[0];
  const other = users[2] ?? users[0];
  const apiActor = { type: 'api_actor' as const, api_key_id: 'apikey_01PluginPipeline00000000001' };
  const userActor = admin
    ? { type: 'user_actor' as const, user_id: admin.id, email_address: admin.email }
    : null;
  const pass: Scan = { assessment: 'pass', reason: null, status: 'completed' };
  const version = (
    id: string,
    daysAgo: number,
    fields: Partial<VersionRecord> = {},
  ): VersionRecord => ({
    id,
    displayName: null,
    description: null,
    manifestVersion: null,
    releaseNotes: null,
    components: [],
    scan: pass,
    reach: 'contained',
    createdBy: apiActor,
    createdAt: ago(daysAgo),
    registrationPending: false,
    ...fields,
  });
  const skill = (name: string, description: string): Component => ({
    name,
    description,
    type: 'skill',
  });

  const marketplaces = new Map<string, MarketplaceRecord>();
  const addMarketplace = (record: MarketplaceRecord) => marketplaces.set(record.id, record);
  addMarketplace({
    id: F.libraryMarketplace,
    name: 'organization-library',
    owner: { type: 'organization' },
    source: 'manual',
    defaultPreference: 'available',
    syncStatus: null,
    lastSyncEndedAt: null,
    lastSyncReadSha: null,
    createdAt: ago(120),
  });
  addMarketplace({
    id: F.githubMarketplace,
    name: 'engineering-tools',
    owner: { type: 'organization' },
    source: 'github',
    defaultPreference: 'auto_install',
    syncStatus: 'success',
    lastSyncEndedAt: ago(1),
    lastSyncReadSha: sha('engineering-tools'),
    createdAt: ago(90),
  });
  if (member) {
    addMarketplace({
      id: F.personalMarketplace,
      name: 'personal',
      owner: { type: 'user', user_id: member.id },
      source: 'manual',
      defaultPreference: null,
      syncStatus: null,
      lastSyncEndedAt: null,
      lastSyncReadSha: null,
      createdAt: ago(60),
    });
  }

  const plugins = new Map<string, PluginRecord>();
  const addPlugin = (record: PluginRecord) => plugins.set(record.id, record);
  const reviewSkills = [skill('review-pr', 'Reviews a pull request against the team’s checklist.')];
  addPlugin({
    id: F.codeReview,
    name: 'code-review',
    marketplaceId: F.libraryMarketplace,
    owner: { type: 'organization' },
    versions: [
      version(F.codeReviewV4, 1, {
        displayName: 'Code review',
        manifestVersion: '1.3.0',
        components: reviewSkills,
        scan: { assessment: null, reason: null, status: 'processing' },
      }),
      version(F.codeReviewV3, 5, {
        displayName: 'Code review',
        manifestVersion: '1.2.0',
        components: [...reviewSkills, skill('release-notes', 'Drafts release notes.')],
        scan: { assessment: 'warn', reason: 'guardrail-tampering', status: 'completed' },
      }),
      version(F.codeReviewV2, 20, {
        displayName: 'Code review',
        description: 'Pull request review helpers.',
        manifestVersion: '1.1.0',
        releaseNotes: 'Adds the checklist skill.',
        components: [...reviewSkills, { name: 'PreToolUse', description: null, type: 'hook' }],
        reach: 'privileged',
      }),
      version(F.codeReviewV1, 40, {
        displayName: 'Code review',
        manifestVersion: '1.0.0',
        components: reviewSkills,
        createdBy: userActor,
      }),
    ],
    servedVersionId: F.codeReviewV2,
    pinned: true,
    settings: new Map<string, SettingRecord>([
      [
        RBAC_FIXTURE_IDS.engineeringGroup,
        {
          target: { type: 'rbac_group', rbac_group_id: RBAC_FIXTURE_IDS.engineeringGroup },
          preference: 'required',
          createdAt: ago(15),
          updatedAt: ago(10),
        },
      ],
      [
        'organization',
        {
          target: { type: 'organization' },
          preference: 'available',
          createdAt: ago(30),
          updatedAt: ago(30),
        },
      ],
    ]),
    shares: [],
    createdAt: ago(40),
    updatedAt: ago(20),
  });
  addPlugin({
    id: F.lintRules,
    name: 'lint-rules',
    marketplaceId: F.githubMarketplace,
    owner: { type: 'organization' },
    versions: [
      version(F.lintRulesV2, 2, {
        displayName: 'Lint rules',
        manifestVersion: '2.0.1',
        components: [{ name: 'eslint-mcp', description: null, type: 'mcp_server' }],
        reach: 'remote',
        createdBy: null,
      }),
      version(F.lintRulesV1, 30, {
        displayName: 'Lint rules',
        manifestVersion: '2.0.0',
        scan: { assessment: 'fail', reason: 'credential-exposure', status: 'completed' },
        reach: 'remote',
        createdBy: null,
      }),
    ],
    servedVersionId: F.lintRulesV2,
    pinned: false,
    settings: new Map(),
    shares: [],
    createdAt: ago(30),
    updatedAt: ago(2),
  });
  addPlugin({
    id: F.deployHelper,
    name: 'deploy-helper',
    marketplaceId: F.libraryMarketplace,
    owner: { type: 'organization' },
    versions: [
      version(F.deployHelperV2, 0.5, {
        displayName: 'Deploy helper',
        manifestVersion: '0.2.0',
        registrationPending: true,
      }),
      version(F.deployHelperV1, 10, { displayName: 'Deploy helper', manifestVersion: '0.1.0' }),
    ],
    servedVersionId: F.deployHelperV1,
    pinned: false,
    settings: new Map(),
    shares: [],
    createdAt: ago(10),
    updatedAt: ago(10),
  });
  if (member) {
    addPlugin({
      id: F.personalNotes,
      name: 'meeting-notes',
      marketplaceId: F.personalMarketplace,
      owner: { type: 'user', user_id: member.id },
      versions: [
        version(F.personalNotesV1, 8, {
          displayName: 'Meeting notes',
          components: [skill('summarize-meeting', 'Summarizes a meeting transcript.')],
          createdBy: { type: 'user_actor', user_id: member.id, email_address: member.email },
        }),
      ],
      servedVersionId: F.personalNotesV1,
      pinned: false,
      settings: new Map(),
      shares: [
        {
          target: { type: 'rbac_group', rbac_group_id: RBAC_FIXTURE_IDS.supportGroup },
          grantedAt: ago(6),
        },
        ...(other && other.id !== member.id
          ? [
              {
                target: { type: 'organization_member' as const, user_id: other.id },
                grantedAt: ago(4),
              },
            ]
          : []),
      ],
      createdAt: ago(8),
      updatedAt: ago(8),
    });
  }
  return {
    enabled: true,
    marketplaces,
    plugins,
    organizationSkills: new Set(['release-notes']),
  };
}

function stateOf(store: SandboxStore): PluginState {
  let state = states.get(store.users);
  if (!state) states.set(store.users, (state = seed(store)));
  return state;
}

/**
 * Test and demo switch: whether the emulated organization has the Plugins API (on by default and
 * after a reset). Off, every route of the family answers 404, as without the beta header.
 */
export function setPluginsEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

function enabledState(store: SandboxStore, query: Query): PluginState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound('Not found.');
  const organizationId = queryValue(query, 'organization_id');
  if (organizationId !== undefined && organizationId !== store.organization.id) {
    throw notFound(`No organization ${JSON.stringify(organizationId)} this key may read.`);
  }
  return state;
}

const coded = (status: number, message: string, details: { error_code: string }) =>
  new ApiError(status, message, { details });

function requirePlugin(state: PluginState, id: string | undefined): PluginRecord {
  const plugin = id === undefined ? undefined : state.plugins.get(id);
  if (!plugin) throw notFound('No plugin with the given ID exists in this organization.');
  return plugin;
}

function requireMarketplace(state: PluginState, id: string | undefined): MarketplaceRecord {
  const marketplace = id === undefined ? undefined : state.marketplaces.get(id);
  if (!marketplace) {
    throw notFound('No plugin marketplace with the given ID exists in this organization.');
  }
  return marketplace;
}

function requireVersion(plugin: PluginRecord, id: string | undefined): VersionRecord {
  const version =
    id === 'latest' ? plugin.versions[0] : plugin.versions.find((entry) => entry.id === id);
  if (!version) throw notFound('No version with the given ID exists for this plugin.');
  return version;
}

function renderVersion(plugin: PluginRecord, version: VersionRecord) {
  return {
    id: version.id,
    components: version.components.map((component) => ({ ...component })),
    content_scan: version.scan && { ...version.scan },
    created_at: formatTimestamp(version.createdAt),
    created_by: version.createdBy && { ...version.createdBy },
    description: version.description,
    display_name: version.displayName,
    manifest_version: version.manifestVersion,
    plugin_id: plugin.id,
    reach: version.reach,
    release_notes: version.releaseNotes,
    type: 'plugin_version',
  };
}

function renderPlugin(state: PluginState, plugin: PluginRecord) {
  const served = requireVersion(plugin, plugin.servedVersionId);
  const own = plugin.settings.get('organization');
  const organizationOwned = plugin.owner.type === 'organization';
  const marketplaceDefault =
    state.marketplaces.get(plugin.marketplaceId)?.defaultPreference ?? null;
  const rendered = renderVersion(plugin, served);
  return {
    id: plugin.id,
    components: rendered.components,
    content_scan: rendered.content_scan,
    created_at: formatTimestamp(plugin.createdAt),
    created_by: plugin.versions.at(-1)?.createdBy ?? null,
    description: served.description,
    display_name: served.displayName,
    latest_version_id: plugin.versions[0]?.id ?? served.id,
    manifest_version: served.manifestVersion,
    marketplace_id: plugin.marketplaceId,
    name: plugin.name,
    organization_installation_preference: organizationOwned
      ? (own?.preference ?? marketplaceDefault)
      : null,
    organization_installation_preference_inherited: organizationOwned ? own === undefined : null,
    owner: { ...plugin.owner },
    reach: served.reach,
    served_version_id: served.id,
    served_version_pinned: plugin.pinned,
    type: 'plugin',
    updated_at: formatTimestamp(plugin.updatedAt),
  };
}

function renderMarketplace(marketplace: MarketplaceRecord) {
  return {
    id: marketplace.id,
    created_at: formatTimestamp(marketplace.createdAt),
    default_installation_preference: marketplace.defaultPreference,
    last_sync_ended_at: formatNullableTimestamp(marketplace.lastSyncEndedAt),
    last_sync_read_sha: marketplace.lastSyncReadSha,
    name: marketplace.name,
    owner: { ...marketplace.owner },
    source: marketplace.source,
    sync_status: marketplace.syncStatus,
    type: 'plugin_marketplace',
  };
}

function renderSetting(plugin: PluginRecord, setting: SettingRecord) {
  return {
    created_at: formatTimestamp(setting.createdAt),
    installation_preference: setting.preference,
    plugin_id: plugin.id,
    target: { ...setting.target },
    type: 'plugin_installation_setting',
    updated_at: formatTimestamp(setting.updatedAt),
  };
}

/** A query enum parameter, checked (400 naming it). */
function queryEnum<T extends string>(query: Query, name: string, allowed: readonly T[]) {
  const value = queryValue(query, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(`${name}: Input should be ${allowed.map((v) => `'${v}'`).join(', ')}`);
  }
  return value as T;
}

/** The `created_at[...]` bounds of a list query, checked. */
function createdBounds(query: Query): ((at: Micros) => boolean)[] {
  const bounds: ((at: Micros) => boolean)[] = [];
  const tests: Record<string, (at: Micros, bound: Micros) => boolean> = {
    gt: (at, bound) => at > bound,
    gte: (at, bound) => at >= bound,
    lt: (at, bound) => at < bound,
    lte: (at, bound) => at <= bound,
  };
  for (const [operator, test] of Object.entries(tests)) {
    const name = `created_at[${operator}]`;
    const value = queryValue(query, name);
    if (value === undefined) continue;
    let bound: Micros;
    try {
      bound = parseTimestamp(value);
    } catch {
      throw invalidRequest(`${name}: Input should be a valid RFC 3339 timestamp`);
    }
    if (!Number.isFinite(bound)) {
      throw invalidRequest(`${name}: Input should be a valid RFC 3339 timestamp`);
    }
    bounds.push((at) => test(at, bound));
  }
  return bounds;
}

/** The installation-setting target a path segment names: `organization` or an RBAC group id. */
function settingTarget(store: SandboxStore, segment: string): Target {
  if (segment === 'organization') return { type: 'organization' };
  if (!segment.startsWith('rbac_group_')) {
    throw invalidRequest('target: must be `organization` or an RBAC group ID (rbac_group_…)');
  }
  if (!rbacState(store).groups.has(segment)) {
    throw notFound('No RBAC group with the given ID exists in this organization.');
  }
  return { type: 'rbac_group', rbac_group_id: segment };
}

function organizationOwned(plugin: PluginRecord): PluginRecord {
  if (plugin.owner.type !== 'organization') {
    throw notFound(
      'This plugin is owned by a member and has shares instead of installation settings.',
    );
  }
  return plugin;
}

const byCreated = newestFirst<PluginRecord>(
  (plugin) => plugin.createdAt,
  (plugin) => plugin.id,
);
const marketplacesByCreated = newestFirst<MarketplaceRecord>(
  (marketplace) => marketplace.createdAt,
  (marketplace) => marketplace.id,
);

const GITHUB_REPOSITORY =
  /^https:\/\/github\.com\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100}?)(\.git)?\/?$/;

function validationReport(repositoryUrl: string, ref: string | null) {
  const match = GITHUB_REPOSITORY.exec(repositoryUrl);
  if (!match) {
    return {
      commit_sha: null,
      manifest_error:
        'The repository could not be read: it is not a public GitHub repository (https://github.com/<owner>/<repo>).',
      manifest_error_code: 'repository_not_found',
      plugin_errors: [],
      plugin_warnings: [],
      ref: null,
      total_plugin_count: 0,
      type: 'plugin_marketplace_validation_report',
      valid: false,
    };
  }
  const repository = match[2] ?? '';
  const broken = repository.endsWith('-broken');
  const bySha = ref !== null && /^[0-9a-f]{40}$/.test(ref);
  return {
    commit_sha: bySha ? ref : sha(`${repositoryUrl}#${ref ?? ''}`),
    manifest_error: null,
    manifest_error_code: null,
    plugin_errors: broken
      ? [
          {
            error: 'The plugin’s manifest (.claude-plugin/plugin.json) is missing.',
            error_code: 'plugin_manifest_missing',
            name: 'release-tools',
          },
        ]
      : [],
    plugin_warnings: [
      {
        name: 'code-review',
        warnings: [
          {
            error_code: 'file_too_large',
            message: 'assets/demo.gif is over the size limit and would be left out.',
          },
        ],
      },
    ],
    ref: bySha ? null : ref,
    total_plugin_count: broken ? 3 : 2,
    type: 'plugin_marketplace_validation_report',
    valid: !broken,
  };
}

const PLUGINS = '/v1/organizations/plugins';
const MARKETPLACES = '/v1/organizations/plugin_marketplaces';

export const pluginRoutes: Route[] = [
  route('GET', PLUGINS, ({ store, query }) => {
    const state = enabledState(store, query);
    const ownerType = queryEnum(query, 'owner_type', OWNER_TYPES);
    const marketplaceId = queryValue(query, 'marketplace_id');
    const ownerUserId = queryValue(query, 'owner_user_id');
    if (marketplaceId !== undefined && !marketplaceId.startsWith('marketplace_')) {
      throw invalidRequest('marketplace_id: must be a plugin marketplace ID (marketplace_…)');
    }
    if (ownerUserId !== undefined && !ownerUserId.startsWith('user_')) {
      throw invalidRequest('owner_user_id: must be a user ID (user_…)');
    }
    const bounds = createdBounds(query);
    const items = [...state.plugins.values()]
      .filter(
        (plugin) =>
          (ownerType === undefined || plugin.owner.type === ownerType) &&
          (marketplaceId === undefined || plugin.marketplaceId === marketplaceId) &&
          (ownerUserId === undefined ||
            (plugin.owner.type === 'user' && plugin.owner.user_id === ownerUserId)) &&
          bounds.every((bound) => bound(plugin.createdAt)),
      )
      .sort(byCreated);
    return tokenPage(
      store,
      'plugins',
      query,
      items,
      (plugin) => plugin.id,
      (plugin) => renderPlugin(state, plugin),
    );
  }),

  route('GET', `${PLUGINS}/:plugin_id`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    return renderPlugin(state, requirePlugin(state, params['plugin_id']));
  }),

  route('POST', `${PLUGINS}/:plugin_id`, ({ store, params, body, query }) => {
    const state = enabledState(store, query);
    const plugin = requirePlugin(state, params['plugin_id']);
    const input = objectBody(body, ['served_version_id']);
    const versionId = stringField(input, 'served_version_id', { required: true }) as string;
    if (versionId === 'latest') {
      throw invalidRequest('served_version_id: `latest` is not accepted; name a version ID');
    }
    if (plugin.owner.type !== 'organization') {
      throw new ApiError(403, 'A member-owned plugin cannot be updated through this API.');
    }
    const version = plugin.versions.find((entry) => entry.id === versionId);
    if (!version) {
      throw invalidRequest(
        `served_version_id: no version ${JSON.stringify(versionId)} of this plugin`,
      );
    }
    if (version.scan?.status === 'processing') {
      throw coded(
        409,
        `The content scan of version ${version.id} is still running; retry once it finishes.`,
        {
          error_code: 'scan_pending',
        },
      );
    }
    if (
      version.scan &&
      (version.scan.status === 'errored' ||
        version.scan.assessment === 'fail' ||
        version.scan.assessment === 'unknown')
    ) {
      throw coded(400, `served_version_id: version ${version.id} did not pass its content scan`, {
        error_code: 'scan_failed',
      });
    }
    const library = state.marketplaces.get(plugin.marketplaceId)?.source === 'manual';
    const taken = version.components.find(
      (component) => component.type === 'skill' && state.organizationSkills.has(component.name),
    );
    if (library && taken && version.id !== plugin.servedVersionId) {
      const details = { error_code: 'skill_name_taken', skill_name: taken.name };
      throw coded(
        409,
        `The skill name ${JSON.stringify(taken.name)} is taken by an organization skill; rename the skill or remove the organization skill in claude.ai.`,
        details,
      );
    }
    if (version.registrationPending) {
      throw coded(
        503,
        `Plugin version ${version.id} was stored but is not yet usable in claude.ai.`,
        { error_code: 'registration_pending' },
      );
    }
    plugin.servedVersionId = version.id;
    plugin.pinned = true;
    plugin.updatedAt = store.tick();
    return renderPlugin(state, plugin);
  }),

  route('DELETE', `${PLUGINS}/:plugin_id`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    const plugin = requirePlugin(state, params['plugin_id']);
    const source = state.marketplaces.get(plugin.marketplaceId)?.source;
    if (source !== undefined && source !== 'manual') {
      throw invalidRequest(
        'Only a plugin in a manual marketplace can be deleted; remove this one from its repository.',
      );
    }
    state.plugins.delete(plugin.id);
    return { id: plugin.id, type: 'plugin_deleted' };
  }),

  route('GET', `${PLUGINS}/:plugin_id/versions`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    const plugin = requirePlugin(state, params['plugin_id']);
    return tokenPage(
      store,
      `plugin_versions:${plugin.id}`,
      query,
      plugin.versions,
      (version) => version.id,
      (version) => renderVersion(plugin, version),
    );
  }),

  route('GET', `${PLUGINS}/:plugin_id/versions/:version`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    const plugin = requirePlugin(state, params['plugin_id']);
    return renderVersion(plugin, requireVersion(plugin, params['version']));
  }),

  route('GET', `${PLUGINS}/:plugin_id/installation_settings`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    const plugin = organizationOwned(requirePlugin(state, params['plugin_id']));
    const targetType = queryEnum(query, 'target_type', ['organization', 'rbac_group'] as const);
    const items = [...plugin.settings.values()]
      .filter((setting) => targetType === undefined || setting.target.type === targetType)
      .sort((a, b) => b.createdAt - a.createdAt);
    return tokenPage(
      store,
      `plugin_installation_settings:${plugin.id}`,
      query,
      items,
      (setting) =>
        setting.target.type === 'rbac_group' ? setting.target.rbac_group_id : 'organization',
      (setting) => renderSetting(plugin, setting),
    );
  }),

  route(
    'POST',
    `${PLUGINS}/:plugin_id/installation_settings/:target`,
    ({ store, params, body, query }) => {
      const state = enabledState(store, query);
      const plugin = organizationOwned(requirePlugin(state, params['plugin_id']));
      const target = settingTarget(store, params['target'] as string);
      const input = objectBody(body, ['installation_preference']);
      const preference = enumField(input, 'installation_preference', PREFERENCES, {
        required: true,
      }) as Preference;
      const key = target.type === 'rbac_group' ? target.rbac_group_id : 'organization';
      const existing = plugin.settings.get(key);
      if (existing) {
        if (existing.preference !== preference) {
          existing.preference = preference;
          existing.updatedAt = store.tick();
        }
        return renderSetting(plugin, existing);
      }
      const at = store.tick();
      const setting: SettingRecord = { target, preference, createdAt: at, updatedAt: at };
      plugin.settings.set(key, setting);
      return renderSetting(plugin, setting);
    },
  ),

  route(
    'DELETE',
    `${PLUGINS}/:plugin_id/installation_settings/:target`,
    ({ store, params, query }) => {
      const state = enabledState(store, query);
      const plugin = organizationOwned(requirePlugin(state, params['plugin_id']));
      const target = settingTarget(store, params['target'] as string);
      const key = target.type === 'rbac_group' ? target.rbac_group_id : 'organization';
      if (!plugin.settings.delete(key)) {
        throw notFound('This target holds no installation setting of its own for this plugin.');
      }
      return { plugin_id: plugin.id, target, type: 'plugin_installation_setting_deleted' };
    },
  ),

  route('GET', `${PLUGINS}/:plugin_id/shares`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    const plugin = requirePlugin(state, params['plugin_id']);
    if (plugin.owner.type !== 'user') {
      throw notFound(
        'This plugin is owned by the organization and has installation settings instead of shares.',
      );
    }
    const targetType = queryEnum(query, 'target_type', [
      'organization',
      'rbac_group',
      'organization_member',
    ] as const);
    const items = plugin.shares
      .filter((share) => targetType === undefined || share.target.type === targetType)
      .sort((a, b) => b.grantedAt - a.grantedAt);
    return tokenPage(
      store,
      `plugin_shares:${plugin.id}`,
      query,
      items,
      (share) => JSON.stringify(share.target),
      (share) => ({
        granted_at: formatTimestamp(share.grantedAt),
        plugin_id: plugin.id,
        target: { ...share.target },
        type: 'plugin_share',
      }),
    );
  }),

  // Before `/:marketplace_id`, which would take it.
  route('POST', `${MARKETPLACES}/validate_repository`, ({ store, body, query }) => {
    enabledState(store, query);
    const input = objectBody(body, ['repository_url', 'ref']);
    const repositoryUrl = stringField(input, 'repository_url', {
      required: true,
      minLength: 1,
      maxLength: 2048,
    }) as string;
    const ref = stringField(input, 'ref', { nullable: true, maxLength: 255 }) ?? null;
    return validationReport(repositoryUrl, ref);
  }),

  route('GET', MARKETPLACES, ({ store, query }) => {
    const state = enabledState(store, query);
    const ownerType = queryEnum(query, 'owner_type', OWNER_TYPES);
    const source = queryEnum(query, 'source', SOURCES);
    const items = [...state.marketplaces.values()]
      .filter(
        (marketplace) =>
          (ownerType === undefined || marketplace.owner.type === ownerType) &&
          (source === undefined || marketplace.source === source),
      )
      .sort(marketplacesByCreated);
    return tokenPage(store, 'plugin_marketplaces', query, items, (m) => m.id, renderMarketplace);
  }),

  route('GET', `${MARKETPLACES}/:marketplace_id`, ({ store, params, query }) => {
    const state = enabledState(store, query);
    return renderMarketplace(requireMarketplace(state, params['marketplace_id']));
  }),

  route('POST', `${MARKETPLACES}/:marketplace_id`, ({ store, params, body, query }) => {
    const state = enabledState(store, query);
    const marketplace = requireMarketplace(state, params['marketplace_id']);
    const input = objectBody(body, ['default_installation_preference']);
    const preference = enumField(input, 'default_installation_preference', PREFERENCES, {
      required: true,
    }) as Preference;
    if (marketplace.owner.type !== 'organization') {
      throw invalidRequest(
        'default_installation_preference: a member’s personal plugin marketplace has no default installation setting',
      );
    }
    marketplace.defaultPreference = preference;
    return renderMarketplace(marketplace);
  }),
];

/** For tests: the names of the organization's own skills (which collide with plugin skills). */
export function pluginOrganizationSkills(store: SandboxStore): Set<string> {
  return stateOf(store).organizationSkills;
}
