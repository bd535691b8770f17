import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import {
  fieldValue,
  isObject,
  objectBody,
  queryValue,
  type JsonObject,
} from '../transport/params.js';
import type { Query } from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatNullableTimestamp, formatTimestamp } from '../time.js';
import type { Micros } from '../time.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';
import { RBAC_FIXTURE_IDS, rbacState } from './rbac.js';

/*
 * Claude Code managed settings (beta `ce-claude-code-managed-settings-2026-10-06`), as a Claude
 * Enterprise organization has them: a settings document per RBAC group, in an order (highest
 * precedence first) whose opaque version changes with every change of the order; an optional
 * default document; the mode (`organization` or `rbac_groups`).
 *
 * Stateful: set, delete, default updates and configuration updates show in every later read.
 * Strict where the real API plausibly is: a group without settings is a 404 coded
 * `rbac_group_managed_settings_not_found`, a set on a group that is not the organization's a 404
 * coded `rbac_group_not_found`; a reorder with a stale `rbac_group_order_version` is a 409; a
 * reorder must list every group with settings once; documents must be JSON objects of at most
 * 1 MiB; bad bodies and parameters are 400s naming the field; page tokens come back only with the
 * query they were issued for, and a page token from before a change of the order is a 409 (list
 * again from the first page), as the SDK documents. A group's status is read live from the RBAC
 * groups: `deleted` once the group is gone, its settings kept in the order. A switch to
 * `rbac_groups` mode with no group settings and no default copies the organization settings into
 * a new default. A switch (setClaudeCodeSettingsEnabled) turns the beta off: every route is then
 * a 404 without a code. State lives here, per seeding of the store.
 */

const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_ORDER = 100;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const MODES = ['organization', 'rbac_groups'] as const;
type Mode = (typeof MODES)[number];
const ROOT = '/v1/organizations/claude_code/managed_settings';
const LIST = 'claude_code_managed_settings/rbac_groups';

/** A group id with settings whose RBAC group has since been deleted (seeded). */
export const DELETED_SETTINGS_GROUP = 'rbac_group_01FormerInterns0000000006';

interface GroupSettings {
  settings: JsonObject;
  createdAt: Micros;
  updatedAt: Micros;
}

interface ClaudeCodeSettingsState {
  enabled: boolean;
  mode: Mode;
  modeUpdatedAt: Micros | null;
  order: string[];
  /** Bumped with every change of the order; the version is derived from it. */
  orderRevision: number;
  groups: Map<string, GroupSettings>;
  defaultSettings: { settings: JsonObject; updatedAt: Micros } | null;
  /** The organization settings (set in claude.ai; no route of this API changes them). */
  organizationSettings: JsonObject;
  /** The most groups the order may hold. */
  orderLimit: number;
}

const states = new WeakMap<object, ClaudeCodeSettingsState>();

function seed(store: SandboxStore): ClaudeCodeSettingsState {
  const anchor = store.clock.anchor;
  const at = (days: number) => anchor - days * MICROS_PER_DAY;
  const groups = new Map<string, GroupSettings>([
    [
      RBAC_FIXTURE_IDS.engineeringGroup,
      {
        settings: {
          permissions: { allow: ['Bash(npm run test:*)'], deny: ['Read(./.env)'] },
          env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' },
        },
        createdAt: at(30),
        updatedAt: at(30),
      },
    ],
    [
      RBAC_FIXTURE_IDS.supportGroup,
      {
        settings: { permissions: { deny: ['Bash(curl:*)', 'WebFetch'] } },
        createdAt: at(20),
        updatedAt: at(20),
      },
    ],
    [
      DELETED_SETTINGS_GROUP,
      { settings: { model: 'claude-sonnet-4-5' }, createdAt: at(60), updatedAt: at(60) },
    ],
  ]);
  return {
    enabled: true,
    mode: 'rbac_groups',
    modeUpdatedAt: at(30),
    order: [
      RBAC_FIXTURE_IDS.engineeringGroup,
      RBAC_FIXTURE_IDS.supportGroup,
      DELETED_SETTINGS_GROUP,
    ],
    orderRevision: 3,
    groups,
    defaultSettings: { settings: { permissions: { deny: ['Bash(rm -rf:*)'] } }, updatedAt: at(30) },
    organizationSettings: { permissions: { deny: ['Bash(rm -rf:*)'] } },
    orderLimit: MAX_ORDER,
  };
}

/** The state of the store's current seeding (a reset replaces the store's user map). */
function stateOf(store: SandboxStore): ClaudeCodeSettingsState {
  let state = states.get(store.users);
  if (!state) states.set(store.users, (state = seed(store)));
  return state;
}

/**
 * Test and demo switch: whether the emulated organization is enabled for the beta (on by default
 * and after a reset). Off, every route of the family answers 404 without an error code.
 */
export function setClaudeCodeSettingsEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

/**
 * Test switch: the most groups the order may hold (100 by default and after a reset); a set that
 * would add one more is refused with the code `rbac_group_order_limit_exceeded`.
 */
export function setClaudeCodeSettingsOrderLimit(store: SandboxStore, limit: number): void {
  stateOf(store).orderLimit = limit;
}

function enabledState(store: SandboxStore, path: string): ClaudeCodeSettingsState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound(`No route for ${path}.`);
  return state;
}

const orderVersion = (state: ClaudeCodeSettingsState) =>
  `ccov_${Buffer.from(`order:${state.orderRevision}`, 'utf8').toString('base64url')}`;

function coded(status: number, message: string, code: string): ApiError {
  return new ApiError(status, message, { details: { error_code: code } });
}

function groupStatus(store: SandboxStore, groupId: string): { type: 'active' | 'deleted' } {
  return { type: rbacState(store).groups.has(groupId) ? 'active' : 'deleted' };
}

function renderConfiguration(state: ClaudeCodeSettingsState): unknown {
  return {
    mode: { type: state.mode },
    mode_updated_at: formatNullableTimestamp(state.modeUpdatedAt),
    rbac_group_order: [...state.order],
    rbac_group_order_version: orderVersion(state),
    type: 'claude_code_managed_settings_configuration',
  };
}

function renderSummary(store: SandboxStore, groupId: string, entry: GroupSettings): JsonObject {
  return {
    created_at: formatTimestamp(entry.createdAt),
    rbac_group_id: groupId,
    rbac_group_status: groupStatus(store, groupId),
    type: 'claude_code_rbac_group_managed_settings_summary',
    updated_at: formatTimestamp(entry.updatedAt),
  };
}

function renderGroup(store: SandboxStore, groupId: string, entry: GroupSettings): unknown {
  return {
    ...renderSummary(store, groupId, entry),
    settings: structuredClone(entry.settings),
    type: 'claude_code_rbac_group_managed_settings',
  };
}

function renderDefault(state: ClaudeCodeSettingsState): unknown {
  return {
    settings: state.defaultSettings ? structuredClone(state.defaultSettings.settings) : null,
    type: 'claude_code_rbac_group_default_managed_settings',
    updated_at: formatNullableTimestamp(state.defaultSettings?.updatedAt ?? null),
  };
}

function requireSettings(state: ClaudeCodeSettingsState, groupId: string): GroupSettings {
  const entry = state.groups.get(groupId);
  if (!entry) {
    throw coded(
      404,
      'This RBAC Group has no Claude Code managed settings.',
      'rbac_group_managed_settings_not_found',
    );
  }
  return entry;
}

/** A settings document from a body: a JSON object of at most 1 MiB as stored. */
function settingsDocument(body: JsonObject, nullable: boolean): JsonObject | null {
  const value = fieldValue(body, 'settings', { required: true, nullable });
  if (value === null) return null;
  if (!isObject(value)) throw invalidRequest('settings: Input should be a valid dictionary');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_DOCUMENT_BYTES) {
    throw invalidRequest('settings: the settings document is larger than 1 MiB');
  }
  return structuredClone(value);
}

/**
 * Replaces the order; groups whose number of groups ahead changed get a new `updated_at`, and
 * the version changes.
 */
function reorder(state: ClaudeCodeSettingsState, order: string[], at: Micros): void {
  const before = new Map(state.order.map((id, index) => [id, index]));
  order.forEach((id, index) => {
    const entry = state.groups.get(id);
    if (entry && before.get(id) !== index) entry.updatedAt = at;
  });
  state.order = order;
  state.orderRevision++;
}

function parseLimit(query: Query): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) throw invalidRequest('limit: Input should be a valid integer');
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

/** A page token: the order's revision and the position of the next item. */
const encodeToken = (revision: number, start: number) =>
  `page_${Buffer.from(JSON.stringify({ r: revision, s: start }), 'utf8').toString('base64url')}`;

function decodeToken(token: string): { r: number; s: number } {
  const parsed: unknown = JSON.parse(
    Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8'),
  );
  if (isObject(parsed) && Number.isInteger(parsed['r']) && Number.isInteger(parsed['s'])) {
    return { r: parsed['r'] as number, s: parsed['s'] as number };
  }
  throw invalidRequest('page: unknown page token; pass a `next_page` value of this list');
}

export const claudeCodeManagedSettingsRoutes: Route[] = [
  route('GET', `${ROOT}/configuration`, ({ store }) =>
    renderConfiguration(enabledState(store, `GET ${ROOT}/configuration`)),
  ),

  route('POST', `${ROOT}/configuration`, ({ store, body }) => {
    const state = enabledState(store, `POST ${ROOT}/configuration`);
    const input = objectBody(body, ['mode', 'rbac_group_order', 'rbac_group_order_version']);
    let mode: Mode | undefined;
    const modeValue = fieldValue(input, 'mode', {});
    if (modeValue !== undefined) {
      if (!isObject(modeValue)) throw invalidRequest('mode: Input should be an object');
      const type = modeValue['type'];
      if (typeof type !== 'string' || !(MODES as readonly string[]).includes(type)) {
        throw invalidRequest("mode.type: Input should be 'organization' or 'rbac_groups'");
      }
      mode = type as Mode;
    }
    const order = fieldValue(input, 'rbac_group_order', {});
    const version = fieldValue(input, 'rbac_group_order_version', {});
    if (order !== undefined && version === undefined) {
      throw invalidRequest('rbac_group_order_version: Field required with rbac_group_order');
    }
    if (version !== undefined && order === undefined) {
      throw invalidRequest('rbac_group_order: Field required with rbac_group_order_version');
    }
    let newOrder: string[] | undefined;
    if (order !== undefined) {
      if (typeof version !== 'string') {
        throw invalidRequest('rbac_group_order_version: Input should be a valid string');
      }
      if (!Array.isArray(order) || order.some((id) => typeof id !== 'string')) {
        throw invalidRequest('rbac_group_order: Input should be a list of strings');
      }
      if (version !== orderVersion(state)) {
        throw new ApiError(
          409,
          'The RBAC Group order has changed since rbac_group_order_version was read. Read the configuration again and retry.',
        );
      }
      const ids = order as string[];
      const unique = new Set(ids);
      if (
        unique.size !== ids.length ||
        ids.length !== state.order.length ||
        ids.some((id) => !state.groups.has(id))
      ) {
        throw invalidRequest(
          'rbac_group_order: must list every RBAC Group that has settings, each once',
        );
      }
      newOrder = ids;
    }
    const at = store.tick();
    if (newOrder) reorder(state, newOrder, at);
    if (mode !== undefined && mode !== state.mode) {
      if (mode === 'rbac_groups' && state.groups.size === 0 && !state.defaultSettings) {
        state.defaultSettings = {
          settings: structuredClone(state.organizationSettings),
          updatedAt: at,
        };
      }
      state.mode = mode;
      state.modeUpdatedAt = at;
    }
    return renderConfiguration(state);
  }),

  route('GET', `${ROOT}/rbac_group_default`, ({ store }) =>
    renderDefault(enabledState(store, `GET ${ROOT}/rbac_group_default`)),
  ),

  route('POST', `${ROOT}/rbac_group_default`, ({ store, body }) => {
    const state = enabledState(store, `POST ${ROOT}/rbac_group_default`);
    const settings = settingsDocument(objectBody(body, ['settings']), true);
    state.defaultSettings = settings ? { settings, updatedAt: store.tick() } : null;
    return renderDefault(state);
  }),

  route('GET', `${ROOT}/rbac_groups`, ({ store, query }) => {
    const state = enabledState(store, `GET ${ROOT}/rbac_groups`);
    const limit = parseLimit(query);
    const token = boundPageToken(store, LIST, query);
    let start = 0;
    if (token !== undefined) {
      const { r, s } = decodeToken(token);
      if (r !== state.orderRevision) {
        throw new ApiError(
          409,
          'The RBAC Group order changed between pages; list again from the first page.',
        );
      }
      start = s;
    }
    const ids = state.order.slice(start, start + limit);
    const more = start + limit < state.order.length;
    return {
      data: ids.map((id) => renderSummary(store, id, state.groups.get(id) as GroupSettings)),
      next_page: issuePageToken(
        store,
        LIST,
        query,
        more ? encodeToken(state.orderRevision, start + limit) : null,
      ),
    };
  }),

  route('GET', `${ROOT}/rbac_groups/:rbac_group_id`, ({ store, params }) => {
    const state = enabledState(store, `GET ${ROOT}/rbac_groups`);
    const groupId = params['rbac_group_id'] as string;
    return renderGroup(store, groupId, requireSettings(state, groupId));
  }),

  route('POST', `${ROOT}/rbac_groups/:rbac_group_id`, ({ store, params, body }) => {
    const state = enabledState(store, `POST ${ROOT}/rbac_groups`);
    const groupId = params['rbac_group_id'] as string;
    const settings = settingsDocument(objectBody(body, ['settings']), false) as JsonObject;
    if (!rbacState(store).groups.has(groupId)) {
      throw coded(
        404,
        "The RBAC Group is not one of the organization's groups.",
        'rbac_group_not_found',
      );
    }
    const at = store.tick();
    const existing = state.groups.get(groupId);
    if (existing) {
      existing.settings = settings;
      existing.createdAt = at;
      existing.updatedAt = at;
    } else {
      if (state.order.length >= state.orderLimit) {
        throw coded(
          400,
          'The RBAC Group order already has the most groups allowed. Delete another group’s settings first.',
          'rbac_group_order_limit_exceeded',
        );
      }
      state.groups.set(groupId, { settings, createdAt: at, updatedAt: at });
      state.order = [...state.order, groupId];
      state.orderRevision++;
    }
    return renderGroup(store, groupId, state.groups.get(groupId) as GroupSettings);
  }),

  route('DELETE', `${ROOT}/rbac_groups/:rbac_group_id`, ({ store, params }) => {
    const state = enabledState(store, `DELETE ${ROOT}/rbac_groups`);
    const groupId = params['rbac_group_id'] as string;
    requireSettings(state, groupId);
    state.groups.delete(groupId);
    reorder(
      state,
      state.order.filter((id) => id !== groupId),
      store.tick(),
    );
    return { rbac_group_id: groupId, type: 'claude_code_rbac_group_managed_settings_deleted' };
  }),
];
