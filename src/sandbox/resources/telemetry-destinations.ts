import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst } from '../transport/pagination.js';
import {
  enumField,
  fieldValue,
  has,
  isObject,
  objectBody,
  queryValue,
  queryValues,
  stringField,
  type JsonObject,
  type Query,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatNullableTimestamp, formatTimestamp } from '../time.js';
import type { Micros } from '../time.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';

/*
 * Telemetry destinations and their workspace lists (beta `telemetry-destinations-2026-08-11`).
 * Stateful: creates, updates, deletes and list edits change what lists and gets return. Strict:
 * unknown ids 404, bad fields 400 naming the field, at most 10 destinations, page tokens bound to
 * their list and query. `test` answers success for an https endpoint whose host does not end in
 * `.invalid`, and 429 (with retry-after) within 10 s of the last test of the same destination.
 * A switch turns the beta off for the organization (setTelemetryEnabled): every route then
 * answers 404. State lives here, per store, reseeded after a reset of the store.
 */

const MAX_DESTINATIONS = 10;
const MAX_LIST = 1000;
const TEST_INTERVAL_MS = 10_000;
const TEST_INTERVAL_SECONDS_TEXT = `${TEST_INTERVAL_MS / 1000} seconds`;
const SEED = 0x7e1e3e7a;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const COVERAGES = ['all', 'include', 'exclude'] as const;
const CONTENT_MODES = ['metadata_only', 'content'] as const;
type Coverage = (typeof COVERAGES)[number];
type ContentMode = (typeof CONTENT_MODES)[number];

interface DestinationRecord {
  id: string;
  displayName: string | null;
  endpointUrl: string;
  headers: Map<string, string>;
  state: { type: 'enabled' } | { type: 'disabled'; reason: { type: string } };
  traces: {
    content_mode: ContentMode;
    enabled: boolean;
    endpoint_url: string | null;
    max_content_bytes: number | null;
  };
  coverage: Coverage;
  /** Workspace id → when it was put on the list. */
  list: Map<string, Micros>;
  lastError: string | null;
  lastErrorAt: Micros | null;
  lastSuccessAt: Micros | null;
  createdAt: Micros;
  updatedAt: Micros;
  /** Real time of the last test (ms), for the 10 s rule. */
  lastTestMs: number | null;
}

interface TelemetryState {
  seededFor: object;
  enabled: boolean;
  rng: Rng;
  destinations: Map<string, DestinationRecord>;
}

const states = new WeakMap<SandboxStore, TelemetryState>();

function seed(store: SandboxStore): TelemetryState {
  const rng = new Rng(SEED);
  const destinations = new Map<string, DestinationRecord>();
  const anchor = store.clock.anchor;
  const workspaceIds = [...store.workspaces.keys()].sort().slice(0, 2);
  const add = (daysAgo: number, fields: Partial<DestinationRecord> & { endpointUrl: string }) => {
    const at = anchor - daysAgo * MICROS_PER_DAY;
    const record: DestinationRecord = {
      id: rng.id('tdst_'),
      displayName: null,
      headers: new Map(),
      state: { type: 'enabled' },
      traces: {
        content_mode: 'metadata_only',
        enabled: true,
        endpoint_url: null,
        max_content_bytes: null,
      },
      coverage: 'all',
      list: new Map(),
      lastError: null,
      lastErrorAt: null,
      lastSuccessAt: anchor - MICROS_PER_DAY / 24,
      createdAt: at,
      updatedAt: at,
      lastTestMs: null,
      ...fields,
    };
    destinations.set(record.id, record);
  };
  add(45, {
    displayName: 'Honeycomb (all workspaces)',
    endpointUrl: 'https://api.honeycomb.example',
    headers: new Map([['x-honeycomb-team', `hc_${rng.token(24)}`]]),
  });
  add(12, {
    displayName: 'Self-hosted collector',
    endpointUrl: 'https://otel.northwind.example',
    coverage: 'include',
    list: new Map(workspaceIds.map((id) => [id, anchor - 12 * MICROS_PER_DAY])),
    state: { type: 'disabled', reason: { type: 'sustained_failure' } },
    lastError: 'HTTP error (status 503)',
    lastErrorAt: anchor - 2 * MICROS_PER_DAY,
    lastSuccessAt: anchor - 3 * MICROS_PER_DAY,
  });
  return { seededFor: store.organization, enabled: true, rng, destinations };
}

function stateOf(store: SandboxStore): TelemetryState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/**
 * Test and demo switch: whether the emulated organization has telemetry destinations (on by
 * default and after a reset). Off, every route of the family answers 404.
 */
export function setTelemetryEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

function enabledState(store: SandboxStore, method: string, path: string): TelemetryState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound(`No route for ${method} ${path}.`);
  return state;
}

function render(destination: DestinationRecord): unknown {
  return {
    id: destination.id,
    created_at: formatTimestamp(destination.createdAt),
    delivery_health: {
      last_error: destination.lastError,
      last_error_at: formatNullableTimestamp(destination.lastErrorAt),
      last_success_at: formatNullableTimestamp(destination.lastSuccessAt),
    },
    display_name: destination.displayName,
    endpoint_url: destination.endpointUrl,
    header_names: [...destination.headers.keys()].sort(),
    state: destination.state,
    traces: { ...destination.traces },
    type: 'telemetry_destination',
    updated_at: formatTimestamp(destination.updatedAt),
    workspaces: { type: destination.coverage },
  };
}

function requireDestination(state: TelemetryState, id: string | undefined): DestinationRecord {
  const destination = id === undefined ? undefined : state.destinations.get(id);
  if (!destination) {
    throw notFound('No telemetry destination with the given ID exists in this organization.');
  }
  return destination;
}

function httpsUrl(value: string, field: string): string {
  let parsed: URL | null;
  try {
    parsed = new URL(value);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.protocol !== 'https:')
    throw invalidRequest(`${field}: must be an HTTPS URL`);
  if (value.length > 2048) throw invalidRequest(`${field}: must be at most 2048 characters long`);
  return value;
}

function workspacesParam(
  store: SandboxStore,
  value: unknown,
): { coverage: Coverage; ids: string[] | undefined } {
  if (!isObject(value)) throw invalidRequest('workspaces: Input should be an object');
  const coverage = enumField(value, 'type', COVERAGES, { required: true }) as Coverage;
  const ids = fieldValue(value, 'workspace_ids', {});
  if (ids === undefined) return { coverage, ids: undefined };
  if (coverage === 'all') throw invalidRequest('workspace_ids: not allowed with type all');
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
    throw invalidRequest('workspace_ids: Input should be a list of strings');
  }
  if (ids.length > 100) throw invalidRequest('workspace_ids: at most 100 per request');
  for (const id of ids as string[]) {
    if (!store.workspaces.has(id)) {
      throw invalidRequest(
        `workspace_ids: no workspace ${JSON.stringify(id)} in this organization`,
      );
    }
  }
  return { coverage, ids: [...new Set(ids as string[])] };
}

function tracesParam(value: unknown, current: DestinationRecord['traces']) {
  if (!isObject(value)) throw invalidRequest('traces: Input should be an object');
  const input = objectBody(value, ['content_mode', 'enabled', 'endpoint_url', 'max_content_bytes']);
  const traces = { ...current };
  if (has(input, 'content_mode')) {
    traces.content_mode =
      (enumField(input, 'content_mode', CONTENT_MODES, { nullable: true }) as ContentMode | null) ??
      'metadata_only';
  }
  if (has(input, 'enabled')) {
    if (typeof input['enabled'] !== 'boolean') {
      throw invalidRequest('traces.enabled: Input should be a valid boolean');
    }
    traces.enabled = input['enabled'];
  }
  if (has(input, 'endpoint_url')) {
    const url = stringField(input, 'endpoint_url', { nullable: true });
    traces.endpoint_url = url == null ? null : httpsUrl(url, 'traces.endpoint_url');
  }
  if (has(input, 'max_content_bytes')) {
    const bytes = input['max_content_bytes'];
    if (
      bytes !== null &&
      (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > 1_048_576)
    ) {
      throw invalidRequest('traces.max_content_bytes: must be between 1 and 1048576');
    }
    traces.max_content_bytes = bytes as number | null;
  }
  return traces;
}

function headersParam(value: unknown, allowNull: boolean): Map<string, string | null> {
  if (!isObject(value)) throw invalidRequest('headers: Input should be an object');
  const headers = new Map<string, string | null>();
  for (const [name, header] of Object.entries(value)) {
    if (!/^[A-Za-z0-9-]{1,128}$/.test(name))
      throw invalidRequest(`headers: invalid header name ${JSON.stringify(name)}`);
    if (header === null && allowNull) headers.set(name.toLowerCase(), null);
    else if (typeof header === 'string') headers.set(name.toLowerCase(), header);
    else throw invalidRequest(`headers.${name}: Input should be a valid string`);
  }
  return headers;
}

const byCreated = newestFirst<DestinationRecord>(
  (d) => d.createdAt,
  (d) => d.id,
);

const encodeToken = (key: string) => `page_${Buffer.from(key, 'utf8').toString('base64url')}`;
const decodeToken = (token: string) =>
  Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');

/** One token-paged page of `items` in list order, after the item its `page` token names. */
function tokenPage<T>(
  store: SandboxStore,
  list: string,
  query: Query,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => unknown,
): { data: unknown[]; next_page: string | null } {
  const rawLimit = queryValue(query, 'limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw invalidRequest('limit: Input should be a valid integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
    }
  }
  const token = boundPageToken(store, list, query);
  let start = 0;
  if (token !== undefined) {
    const key = decodeToken(token);
    const index = items.findIndex((item) => keyOf(item) === key);
    if (index < 0) {
      throw invalidRequest(
        'page: the page token no longer matches an item of this list; restart from the first page',
      );
    }
    start = index + 1;
  }
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < items.length && last !== undefined;
  return {
    data: page.map(render),
    next_page: issuePageToken(store, list, query, more ? encodeToken(keyOf(last)) : null),
  };
}

const ROOT = '/v1/organizations/telemetry_destinations';

export const telemetryDestinationRoutes: Route[] = [
  route('POST', ROOT, ({ store, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const input = objectBody(body, [
      'endpoint_url',
      'workspaces',
      'display_name',
      'headers',
      'traces',
    ]);
    const endpointUrl = httpsUrl(
      stringField(input, 'endpoint_url', { required: true }) as string,
      'endpoint_url',
    );
    const workspaces = workspacesParam(store, fieldValue(input, 'workspaces', { required: true }));
    const displayName =
      stringField(input, 'display_name', { nullable: true, maxLength: 255 }) ?? null;
    const headers = has(input, 'headers')
      ? headersParam(input['headers'], false)
      : new Map<string, string | null>();
    const defaults: DestinationRecord['traces'] = {
      content_mode: 'metadata_only',
      enabled: true,
      endpoint_url: null,
      max_content_bytes: null,
    };
    const traces = has(input, 'traces') ? tracesParam(input['traces'], defaults) : defaults;
    if (state.destinations.size >= MAX_DESTINATIONS) {
      throw invalidRequest(
        `An organization can have at most ${MAX_DESTINATIONS} telemetry destinations.`,
      );
    }
    const at = store.tick();
    const destination: DestinationRecord = {
      id: state.rng.id('tdst_'),
      displayName,
      endpointUrl,
      headers: new Map(
        [...headers].filter((entry): entry is [string, string] => entry[1] !== null),
      ),
      state: { type: 'enabled' },
      traces,
      coverage: workspaces.coverage,
      list: new Map((workspaces.ids ?? []).map((id) => [id, at])),
      lastError: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      createdAt: at,
      updatedAt: at,
      lastTestMs: null,
    };
    state.destinations.set(destination.id, destination);
    return render(destination);
  }),

  route('GET', ROOT, ({ store, query }) => {
    const state = enabledState(store, 'GET', ROOT);
    const wanted = queryValues(query, 'workspace_ids');
    for (const id of wanted ?? []) {
      if (!store.workspaces.has(id)) {
        throw invalidRequest(
          `workspace_ids: no workspace ${JSON.stringify(id)} in this organization`,
        );
      }
    }
    const covers = (d: DestinationRecord, id: string) =>
      d.coverage === 'all' || (d.coverage === 'include' ? d.list.has(id) : !d.list.has(id));
    const items = [...state.destinations.values()]
      .filter((d) => wanted === undefined || wanted.some((id) => covers(d, id)))
      .sort(byCreated);
    return tokenPage(store, 'telemetry_destinations', query, items, (d) => d.id, render);
  }),

  route('GET', `${ROOT}/:destination_id`, ({ store, params }) => {
    const state = enabledState(store, 'GET', ROOT);
    return render(requireDestination(state, params['destination_id']));
  }),

  route('POST', `${ROOT}/:destination_id`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    const input = objectBody(body, [
      'endpoint_url',
      'workspaces',
      'display_name',
      'headers',
      'traces',
      'state',
    ]);
    if (Object.keys(input).length === 0) throw invalidRequest('Send at least one field to change.');
    const endpointUrl = has(input, 'endpoint_url')
      ? httpsUrl(stringField(input, 'endpoint_url', {}) as string, 'endpoint_url')
      : undefined;
    const workspaces = has(input, 'workspaces')
      ? workspacesParam(store, input['workspaces'])
      : undefined;
    const headers =
      has(input, 'headers') && input['headers'] !== null
        ? headersParam(input['headers'], true)
        : undefined;
    const traces = has(input, 'traces')
      ? input['traces'] === null
        ? {
            content_mode: 'metadata_only' as const,
            enabled: true,
            endpoint_url: null,
            max_content_bytes: null,
          }
        : tracesParam(input['traces'], destination.traces)
      : undefined;
    let wantedState: 'enabled' | 'disabled' | undefined;
    if (has(input, 'state')) {
      const value = input['state'];
      if (!isObject(value)) throw invalidRequest('state: Input should be an object');
      wantedState = enumField(value as JsonObject, 'type', ['enabled', 'disabled'] as const, {
        required: true,
      }) as 'enabled' | 'disabled';
    }
    if (endpointUrl !== undefined) {
      const before = new URL(destination.endpointUrl);
      const after = new URL(endpointUrl);
      // A new host or port drops the registered headers.
      if (before.host !== after.host) destination.headers.clear();
      destination.endpointUrl = endpointUrl;
    }
    if (has(input, 'display_name')) {
      destination.displayName =
        stringField(input, 'display_name', { nullable: true, maxLength: 255 }) ?? null;
    }
    if (headers) {
      for (const [name, value] of headers) {
        if (value === null) destination.headers.delete(name);
        else destination.headers.set(name, value);
      }
    }
    if (traces) destination.traces = traces;
    if (workspaces) {
      destination.coverage = workspaces.coverage;
      const at = store.now();
      destination.list = new Map(
        workspaces.coverage === 'all' ? [] : (workspaces.ids ?? []).map((id) => [id, at]),
      );
    }
    if (wantedState === 'enabled') destination.state = { type: 'enabled' };
    if (wantedState === 'disabled' && destination.state.type === 'enabled') {
      destination.state = { type: 'disabled', reason: { type: 'caller' } };
    }
    destination.updatedAt = store.tick();
    return render(destination);
  }),

  route('DELETE', `${ROOT}/:destination_id`, ({ store, params }) => {
    const state = enabledState(store, 'DELETE', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    state.destinations.delete(destination.id);
    return { id: destination.id, type: 'telemetry_destination_deleted' };
  }),

  route('POST', `${ROOT}/:destination_id/test`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    objectBody(body, []);
    const now = Date.now();
    if (destination.lastTestMs !== null && now - destination.lastTestMs < TEST_INTERVAL_MS) {
      const wait = Math.max(1, Math.ceil((destination.lastTestMs + TEST_INTERVAL_MS - now) / 1000));
      throw new ApiError(
        429,
        `Wait ${TEST_INTERVAL_SECONDS_TEXT} between tests of one destination.`,
        {
          retryAfter: wait,
        },
      );
    }
    destination.lastTestMs = now;
    const host = new URL(destination.traces.endpoint_url ?? destination.endpointUrl).hostname;
    const result = host.endsWith('.invalid')
      ? { type: 'failure', error: 'invalid address' }
      : { type: 'success' };
    return { result, type: 'telemetry_destination_test' };
  }),

  route('GET', `${ROOT}/:destination_id/workspaces`, ({ store, params, query }) => {
    const state = enabledState(store, 'GET', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    const entries = [...destination.list].sort(([a, at], [b, bt]) => bt - at || (a < b ? 1 : -1));
    return tokenPage(
      store,
      `telemetry_destination_workspaces:${destination.id}`,
      query,
      entries,
      ([id]) => id,
      ([id, at]) => ({
        created_at: formatTimestamp(at),
        telemetry_destination_id: destination.id,
        type: 'telemetry_destination_workspace',
        workspace_id: id,
      }),
    );
  }),

  route('POST', `${ROOT}/:destination_id/workspaces/:workspace_id`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    objectBody(body, []);
    const workspaceId = params['workspace_id'] as string;
    if (!store.workspaces.has(workspaceId)) {
      throw notFound('No workspace with the given ID exists in this organization.');
    }
    if (destination.coverage === 'all') {
      throw invalidRequest('This destination covers all workspaces and has no workspace list.');
    }
    if (!destination.list.has(workspaceId)) {
      if (destination.list.size >= MAX_LIST)
        throw invalidRequest(`A workspace list holds at most ${MAX_LIST} workspaces.`);
      destination.list.set(workspaceId, store.tick());
    }
    return {
      created_at: formatTimestamp(destination.list.get(workspaceId) as Micros),
      telemetry_destination_id: destination.id,
      type: 'telemetry_destination_workspace',
      workspace_id: workspaceId,
    };
  }),

  route('DELETE', `${ROOT}/:destination_id/workspaces/:workspace_id`, ({ store, params }) => {
    const state = enabledState(store, 'DELETE', ROOT);
    const destination = requireDestination(state, params['destination_id']);
    const workspaceId = params['workspace_id'] as string;
    if (!destination.list.delete(workspaceId)) {
      throw notFound('This workspace is not on the destination’s workspace list.');
    }
    return {
      telemetry_destination_id: destination.id,
      type: 'telemetry_destination_workspace_deleted',
      workspace_id: workspaceId,
    };
  }),
];

/** For tests: the header values the emulator holds for a destination (what deliveries send). */
export function telemetryHeaderValues(store: SandboxStore, id: string): string[] {
  return [...(stateOf(store).destinations.get(id)?.headers.values() ?? [])];
}

/** For tests: forget the last test time, as if 10 s had passed. */
export function forgetTelemetryTests(store: SandboxStore): void {
  for (const destination of stateOf(store).destinations.values()) destination.lastTestMs = null;
}
