import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest, sortedValues } from '../transport/pagination.js';
import {
  enumField,
  objectBody,
  queryEnumValues,
  queryNonEmpty,
  stringField,
} from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { API_KEY_STATUSES } from '../store.js';
import type { Actor, ApiKeyRecord, ApiKeyStatus, SandboxStore } from '../store.js';
import { speaks2026, type ApiVersion } from '../transport/version.js';
import { formatNullableTimestamp, formatTimestamp } from '../time.js';

/** Statuses a key can be set to (`expired` only happens). */
const SETTABLE_STATUSES = ['active', 'archived', 'inactive'] as const;
const NAME_MAX_LENGTH = 500;

/** A principal in 2026-10-21's shape: `user_actor { user_id }` / `service_account_actor`. */
function renderPrincipal(principal: Actor): unknown {
  if (principal.type === 'service_account') {
    return { type: 'service_account_actor', service_account_id: principal.id };
  }
  return { type: 'user_actor', user_id: principal.id };
}

/**
 * A key as the request's API version shows it. 2023-06-01: `workspace_id` (null for the Default
 * Workspace and for an organization-scoped key) and `principal { id, type }`. 2026-10-21: no
 * `workspace_id`; `scope` names the workspace by its real id (the Default Workspace's included)
 * or the organization, and the principal is a `*_actor`.
 */
function renderApiKey(store: SandboxStore, key: ApiKeyRecord, version: ApiVersion): unknown {
  const common = {
    id: key.id,
    created_at: formatTimestamp(key.createdAt),
    created_by: key.createdBy && { id: key.createdBy.id, type: key.createdBy.type },
    expires_at: formatNullableTimestamp(key.expiresAt),
    name: key.name,
    partial_key_hint: key.partialKeyHint,
  };
  if (!speaks2026(version)) {
    return {
      ...common,
      principal: key.principal && { id: key.principal.id, type: key.principal.type },
      status: store.apiKeyStatus(key),
      type: 'api_key',
      workspace_id: key.organizationScoped ? null : key.workspaceId,
    };
  }
  return {
    ...common,
    principal: key.principal && renderPrincipal(key.principal),
    scope: key.organizationScoped
      ? { type: 'organization' }
      : { type: 'workspace', workspace_id: key.workspaceId ?? store.defaultWorkspaceId },
    status: store.apiKeyStatus(key),
    type: 'api_key',
  };
}

function requireApiKey(store: SandboxStore, id: string | undefined): ApiKeyRecord {
  const key = id === undefined ? undefined : store.apiKeys.get(id);
  if (!key) throw notFound('No API key with the given ID exists in this organization.');
  return key;
}

const byCreatedAt = newestFirst<ApiKeyRecord>(
  (k) => k.createdAt,
  (k) => k.id,
);

export const apiKeyRoutes: Route[] = [
  route('GET', '/v1/organizations/api_keys', ({ store, query, version }) => {
    const page = parsePageRequest(query);
    const creator = queryNonEmpty(query, 'created_by_user_id');
    const status = queryEnumValues(query, 'status', API_KEY_STATUSES)?.[0];
    const workspaceParam = queryNonEmpty(query, 'workspace_id');
    // The Default Workspace's own ID selects its keys (they report workspace_id null under
    // 2023-06-01); organization-scoped keys are in no workspace and match none.
    const workspaceId = workspaceParam === store.defaultWorkspaceId ? null : workspaceParam;
    const all = sortedValues(store.apiKeys, byCreatedAt);
    const items =
      creator === undefined && status === undefined && workspaceParam === undefined
        ? all
        : all.filter(
            (k) =>
              (creator === undefined ||
                (k.createdBy?.type === 'user' && k.createdBy.id === creator)) &&
              (status === undefined || store.apiKeyStatus(k) === status) &&
              (workspaceParam === undefined ||
                (!k.organizationScoped && k.workspaceId === workspaceId)),
          );
    return paginate(page, {
      items,
      sorted: true,
      compare: byCreatedAt,
      idOf: (k) => k.id,
      findCursor: (id) => store.apiKeys.get(id),
      render: (k) => renderApiKey(store, k, version),
      hidden: store.hiddenFromLists,
    });
  }),

  route('GET', '/v1/organizations/api_keys/:api_key_id', ({ store, params, version }) =>
    renderApiKey(store, requireApiKey(store, params['api_key_id']), version),
  ),

  route('POST', '/v1/organizations/api_keys/:api_key_id', ({ store, params, body, version }) => {
    const key = requireApiKey(store, params['api_key_id']);
    const input = objectBody(body, ['name', 'status']);
    const name = stringField(input, 'name', {
      nullable: true,
      minLength: 1,
      maxLength: NAME_MAX_LENGTH,
    });
    if (input['status'] === 'expired') {
      throw invalidRequest("status: 'expired' cannot be set; keys expire at their expires_at.");
    }
    const status = enumField(input, 'status', SETTABLE_STATUSES, { nullable: true });
    const current: ApiKeyStatus = store.apiKeyStatus(key);
    if (status !== undefined && status !== null) {
      if (current === 'expired') {
        throw invalidRequest('status: an expired key cannot change status.');
      }
      if (current === 'archived' && status !== 'archived') {
        throw invalidRequest('status: an archived key cannot be reactivated.');
      }
    }
    if (name !== undefined && name !== null) key.name = name;
    if (status !== undefined && status !== null) key.status = status;
    return renderApiKey(store, key, version);
  }),
];
