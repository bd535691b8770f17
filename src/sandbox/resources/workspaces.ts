import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest, sortedValues } from '../transport/pagination.js';
import {
  fieldValue,
  isObject,
  listOf,
  objectBody,
  queryBoolean,
  queryValues,
  stringField,
} from '../transport/params.js';
import type { JsonObject, Query } from '../transport/params.js';
import { speaks2026, type ApiVersion } from '../transport/version.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { INFERENCE_GEOS, MAX_ACTIVE_WORKSPACES, WORKSPACE_GEOS } from '../store.js';
import type { DataResidency, SandboxStore, WorkspaceRecord } from '../store.js';
import { formatNullableTimestamp, formatTimestamp } from '../time.js';

const NAME_LIMITS = { minLength: 1, maxLength: 255 };
const RESERVED_TAG_PREFIX = 'anthropic';

/**
 * A workspace as the request's API version shows it: 2026-10-21 adds `user_profile_id` (always
 * null for the Default Workspace, which cannot have one).
 */
export function renderWorkspace(ws: WorkspaceRecord, version: ApiVersion = '2023-06-01'): unknown {
  const residency = ws.dataResidency;
  return {
    id: ws.id,
    archived_at: formatNullableTimestamp(ws.archivedAt),
    compartment_id: ws.compartmentId,
    created_at: formatTimestamp(ws.createdAt),
    data_residency: {
      allowed_inference_geos:
        residency.allowedInferenceGeos === 'unrestricted'
          ? 'unrestricted'
          : [...residency.allowedInferenceGeos],
      default_inference_geo: residency.defaultInferenceGeo,
      workspace_geo: residency.workspaceGeo,
    },
    display_color: ws.displayColor,
    external_key_id: ws.externalKeyId,
    name: ws.name,
    tags: { ...ws.tags },
    type: 'workspace',
    ...(speaks2026(version)
      ? { user_profile_id: ws.isDefault ? null : (ws.userProfileId ?? null) }
      : {}),
  };
}

/** At most this many ids in one `ids[]` filter (2026-10-21). */
const MAX_IDS = 100;

/**
 * The 2026-10-21 list filters: `include_default` (the Default Workspace, listed like any other)
 * and `ids[]` (only those workspaces; ids that name none are dropped). Under 2023-06-01 they do
 * not exist: a 400 names them.
 */
function versionFilters(query: Query, version: ApiVersion) {
  const includeDefault = queryBoolean(query, 'include_default', false);
  const ids = queryValues(query, 'ids');
  if (!speaks2026(version)) {
    for (const name of ['include_default', 'ids', 'ids[]']) {
      if (query[name] !== undefined) {
        throw invalidRequest(
          `${name}: not a parameter of API version ${version}; it needs anthropic-version 2026-10-21.`,
        );
      }
    }
  }
  if (ids !== undefined) {
    if (ids.length > MAX_IDS) throw invalidRequest(`ids: at most ${MAX_IDS} ids`);
    if (ids.some((id) => id === '')) throw invalidRequest('ids: ids must not be empty');
  }
  return { includeDefault, ids: ids && new Set(ids) };
}

export function requireWorkspace(store: SandboxStore, id: string | undefined): WorkspaceRecord {
  const ws = id === undefined ? undefined : store.workspaces.get(id);
  if (!ws) throw notFound('No workspace with the given ID exists in this organization.');
  return ws;
}

const byCreatedAt = newestFirst<WorkspaceRecord>(
  (w) => w.createdAt,
  (w) => w.id,
);

/** `allowed_inference_geos`: a list of known geos or the string `unrestricted`. */
function parseAllowedGeos(value: unknown): string[] | 'unrestricted' {
  const field = 'data_residency.allowed_inference_geos';
  if (value === 'unrestricted') return 'unrestricted';
  if (!Array.isArray(value)) {
    throw invalidRequest(`${field}: Input should be a list of geos or 'unrestricted'`);
  }
  if (value.length === 0) throw invalidRequest(`${field}: must list at least one geo`);
  for (const geo of value) {
    if (!(INFERENCE_GEOS as readonly unknown[]).includes(geo)) {
      throw invalidRequest(`${field}: each geo should be ${listOf(INFERENCE_GEOS)}`);
    }
  }
  return [...new Set(value as string[])];
}

function parseDefaultGeo(value: unknown): string {
  if (!(INFERENCE_GEOS as readonly unknown[]).includes(value)) {
    throw invalidRequest(
      `data_residency.default_inference_geo: Input should be ${listOf(INFERENCE_GEOS)}`,
    );
  }
  return value as string;
}

/**
 * Applies a `data_residency` input onto `current` (omitted or null sub-fields keep their value).
 * When the allowed list changes and no default is sent, a default outside the new list moves to
 * the list's first geo.
 */
function applyResidency(
  current: DataResidency,
  input: unknown,
  mode: 'create' | 'update',
): DataResidency {
  if (input === undefined || input === null) return current;
  if (!isObject(input)) throw invalidRequest('data_residency: Input should be an object');
  const allowedFields =
    mode === 'create'
      ? ['allowed_inference_geos', 'default_inference_geo', 'workspace_geo']
      : ['allowed_inference_geos', 'default_inference_geo'];
  for (const key of Object.keys(input)) {
    if (!allowedFields.includes(key)) {
      const reason =
        key === 'workspace_geo'
          ? 'workspace_geo cannot be changed'
          : 'Extra inputs are not permitted';
      throw invalidRequest(`data_residency.${key}: ${reason}`);
    }
  }
  const next: DataResidency = { ...current };
  if (input['allowed_inference_geos'] !== undefined && input['allowed_inference_geos'] !== null) {
    next.allowedInferenceGeos = parseAllowedGeos(input['allowed_inference_geos']);
  }
  const sentDefault = input['default_inference_geo'];
  if (sentDefault !== undefined && sentDefault !== null) {
    next.defaultInferenceGeo = parseDefaultGeo(sentDefault);
  }
  const sentGeo = input['workspace_geo'];
  if (sentGeo !== undefined && sentGeo !== null) {
    if (!(WORKSPACE_GEOS as readonly unknown[]).includes(sentGeo)) {
      throw invalidRequest(
        `data_residency.workspace_geo: Input should be ${listOf(WORKSPACE_GEOS)}`,
      );
    }
    next.workspaceGeo = sentGeo as string;
  }
  const allowed = next.allowedInferenceGeos;
  if (allowed !== 'unrestricted' && !allowed.includes(next.defaultInferenceGeo)) {
    if (sentDefault !== undefined && sentDefault !== null) {
      throw invalidRequest(
        'data_residency.default_inference_geo: must be one of allowed_inference_geos',
      );
    }
    next.defaultInferenceGeo = allowed[0] as string;
  }
  return next;
}

/** `tags`: a string map whose keys do not start with `anthropic`; null means empty. */
function parseTags(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (!isObject(value)) throw invalidRequest('tags: Input should be an object of strings');
  const tags: Record<string, string> = {};
  for (const [key, tag] of Object.entries(value)) {
    if (typeof tag !== 'string') throw invalidRequest(`tags.${key}: Input should be a string`);
    if (key === '') throw invalidRequest('tags: keys must not be empty');
    if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
      throw invalidRequest(`tags.${key}: keys must not begin with '${RESERVED_TAG_PREFIX}'`);
    }
    tags[key] = tag;
  }
  return tags;
}

/** An `ekey_` ID known to the organization, else 404. */
function requireExternalKey(store: SandboxStore, id: string): string {
  if (!store.externalKeyIds.has(id)) {
    throw notFound(`external_key_id: no key configuration ${id} exists in this organization.`);
  }
  return id;
}

function createWorkspace(store: SandboxStore, input: JsonObject): WorkspaceRecord {
  const name = stringField(input, 'name', { required: true, ...NAME_LIMITS }) as string;
  const dataResidency = applyResidency(
    { allowedInferenceGeos: 'unrestricted', defaultInferenceGeo: 'global', workspaceGeo: 'us' },
    fieldValue(input, 'data_residency', { nullable: true }),
    'create',
  );
  const tagsInput = fieldValue(input, 'tags', { nullable: true });
  const tags = tagsInput === undefined ? {} : parseTags(tagsInput);
  const keyId = stringField(input, 'external_key_id', { nullable: true });
  const externalKeyId = keyId ? requireExternalKey(store, keyId) : null;
  if (store.activeWorkspaceCount() >= MAX_ACTIVE_WORKSPACES) {
    throw invalidRequest(
      `This organization already has ${MAX_ACTIVE_WORKSPACES} active workspaces; archive one first.`,
    );
  }
  return {
    id: store.newId('wrkspc_'),
    name,
    createdAt: store.tick(),
    archivedAt: null,
    compartmentId: store.newUuid(),
    displayColor: store.pickDisplayColor(),
    externalKeyId,
    dataResidency,
    tags,
    isDefault: false,
  };
}

function updateWorkspace(store: SandboxStore, ws: WorkspaceRecord, input: JsonObject): void {
  if (ws.archivedAt !== null) throw invalidRequest('Archived workspaces cannot be updated.');
  const name = stringField(input, 'name', NAME_LIMITS);
  if (name !== undefined && name !== null && ws.isDefault && name !== ws.name) {
    throw invalidRequest('name: the Default Workspace cannot be renamed.');
  }
  const dataResidency = applyResidency(
    ws.dataResidency,
    fieldValue(input, 'data_residency', { nullable: true }),
    'update',
  );
  const tagsInput = fieldValue(input, 'tags', { nullable: true });
  const keyId = stringField(input, 'external_key_id');
  if (keyId !== undefined && keyId !== null && keyId !== ws.externalKeyId) {
    if (ws.externalKeyId !== null) {
      throw invalidRequest('external_key_id: a key is already attached and cannot be replaced.');
    }
    ws.externalKeyId = requireExternalKey(store, keyId);
  }
  if (name !== undefined && name !== null) ws.name = name;
  ws.dataResidency = dataResidency;
  if (tagsInput !== undefined) ws.tags = parseTags(tagsInput);
}

const WORKSPACE_FIELDS = ['name', 'data_residency', 'external_key_id', 'tags'];

export const workspaceRoutes: Route[] = [
  route('POST', '/v1/organizations/workspaces', ({ store, body, version }) => {
    const ws = createWorkspace(store, objectBody(body, WORKSPACE_FIELDS));
    store.workspaces.set(ws.id, ws);
    return renderWorkspace(ws, version);
  }),

  route('GET', '/v1/organizations/workspaces', ({ store, query, version }) => {
    const page = parsePageRequest(query);
    const includeArchived = queryBoolean(query, 'include_archived', false);
    const { includeDefault, ids } = versionFilters(query, version);
    const items = sortedValues(store.workspaces, byCreatedAt).filter(
      (w) =>
        (includeDefault || !w.isDefault) &&
        (includeArchived || w.archivedAt === null) &&
        (ids === undefined || ids.has(w.id)),
    );
    return paginate(page, {
      items,
      sorted: true,
      compare: byCreatedAt,
      idOf: (w) => w.id,
      findCursor: (id) => store.workspaces.get(id),
      render: (w) => renderWorkspace(w, version),
    });
  }),

  route('GET', '/v1/organizations/workspaces/:workspace_id', ({ store, params, version }) =>
    renderWorkspace(requireWorkspace(store, params['workspace_id']), version),
  ),

  route(
    'POST',
    '/v1/organizations/workspaces/:workspace_id',
    ({ store, params, body, version }) => {
      const ws = requireWorkspace(store, params['workspace_id']);
      const input = objectBody(body, WORKSPACE_FIELDS);
      // Validate everything before changing anything: work on a copy, then commit.
      const draft: WorkspaceRecord = { ...ws };
      updateWorkspace(store, draft, input);
      Object.assign(ws, draft);
      return renderWorkspace(ws, version);
    },
  ),

  route(
    'POST',
    '/v1/organizations/workspaces/:workspace_id/archive',
    ({ store, params, version }) => {
      const ws = requireWorkspace(store, params['workspace_id']);
      if (ws.isDefault) throw invalidRequest('The Default Workspace cannot be archived.');
      if (ws.archivedAt !== null) return renderWorkspace(ws, version);
      ws.archivedAt = store.tick();
      for (const key of store.apiKeys.values()) {
        const status = store.apiKeyStatus(key);
        if (key.workspaceId === ws.id && (status === 'active' || status === 'inactive')) {
          key.status = 'archived';
        }
      }
      return renderWorkspace(ws, version);
    },
  ),
];

/** Raised by member writes on workspaces that do not take them. */
export function assertMembersWritable(ws: WorkspaceRecord): void {
  if (ws.isDefault) {
    throw invalidRequest('The Default Workspace has no member list; access follows the org role.');
  }
  if (ws.archivedAt !== null) {
    throw invalidRequest('Members of an archived workspace cannot be changed.');
  }
}
