import type {
  BetaExternalKey,
  ExternalKeyCreateParams,
  ExternalKeyDeleteResponse,
  ExternalKeyUpdateParams,
  ExternalKeyValidateResponse,
} from '@anthropic-ai/sdk/resources/beta/organization/external-keys';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { plainPage } from './token-pages.js';
import { coded, type PlainPage } from './coded-errors.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * External keys: the organization's customer-managed encryption key (CMEK) configurations, which
 * workspaces reference through `external_key_id` (EXTENDED.md §5). No beta; an Admin API key.
 * The list is token-paged (`limit`, `page` → `next_page`), newest first; what is cached is the
 * plain page. `validate` runs an encrypt/decrypt round trip against the customer's KMS and waits
 * up to 30 s for it upstream: a write that changes nothing the gateway caches, never retried, and
 * given a longer timeout than the gateway's default (VALIDATE_TIMEOUT_MS). Update and delete
 * keep the `error_code` of their refusals (`external_key_in_workspace_policy` while a workspace
 * references the key) as the error type.
 */

/** The `error_code` of a change refused because workspaces reference the key. */
export const KEY_IN_USE_ERROR_CODE = 'external_key_in_workspace_policy';

export type ExternalKey = BetaExternalKey;
export type ExternalKeyCreateBody = ExternalKeyCreateParams;
export type ExternalKeyUpdateBody = ExternalKeyUpdateParams;
export type ExternalKeyValidation = ExternalKeyValidateResponse;
export type ExternalKeyProviderConfig = BetaExternalKey['provider_config'];

/** The Admin API waits up to 30 s for the KMS; the call may take that plus its own overhead. */
export const VALIDATE_TIMEOUT_MS = 40_000;

export interface ExternalKeyListQuery {
  limit?: number;
  page?: string;
}

const COLLECTION = 'externalKeys' as const;
const entity = (id: string) => `entity:${id}`;

const operation = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

export function listExternalKeys(
  api: AdminApi,
  query: ExternalKeyListQuery,
): Promise<PlainPage<ExternalKey>> {
  return api.read<PlainPage<ExternalKey>>(
    COLLECTION,
    readKey('externalKeys.list', query),
    operation('external_keys.list', 'GET'),
    plainPage((org, opts) => org.externalKeys.list(query, opts)),
  );
}

export function getExternalKey(api: AdminApi, externalKeyId: string): Promise<ExternalKey> {
  checkId('externalKey', externalKeyId);
  return api.read<ExternalKey>(
    COLLECTION,
    entity(externalKeyId),
    operation('external_keys.get', 'GET'),
    (org, opts) => org.externalKeys.retrieve(externalKeyId, opts),
  );
}

export function createExternalKey(
  api: AdminApi,
  body: ExternalKeyCreateBody,
): Promise<ExternalKey> {
  return api.write<ExternalKey>(
    operation('external_keys.create', 'POST'),
    (org, opts) => org.externalKeys.create(body, opts),
    [COLLECTION],
    (key) => [COLLECTION, key.id],
  );
}

/** `display_name` always; `geo` and `provider_config` only while no workspace references the key. */
export function updateExternalKey(
  api: AdminApi,
  externalKeyId: string,
  body: ExternalKeyUpdateBody,
): Promise<ExternalKey> {
  checkId('externalKey', externalKeyId);
  return api.write<ExternalKey>(
    operation('external_keys.update', 'POST'),
    coded((org, opts) => org.externalKeys.update(externalKeyId, body, opts)),
    [COLLECTION],
    (key) => [COLLECTION, key.id],
  );
}

export function deleteExternalKey(
  api: AdminApi,
  externalKeyId: string,
): Promise<ExternalKeyDeleteResponse> {
  checkId('externalKey', externalKeyId);
  return api.write<ExternalKeyDeleteResponse>(
    operation('external_keys.delete', 'DELETE'),
    coded((org, opts) => org.externalKeys.delete(externalKeyId, opts)),
    [COLLECTION],
  );
}

/**
 * Runs the KMS round trip. It changes nothing the gateway reads, so it invalidates nothing; its
 * timeout is the longer of the gateway's and VALIDATE_TIMEOUT_MS.
 */
export function validateExternalKey(
  api: AdminApi,
  externalKeyId: string,
): Promise<ExternalKeyValidation> {
  checkId('externalKey', externalKeyId);
  return api.write<ExternalKeyValidation>(
    operation('external_keys.validate', 'POST'),
    (org, opts, client) =>
      org.externalKeys.validate(externalKeyId, {
        ...opts,
        timeout: Math.max(client.timeout, VALIDATE_TIMEOUT_MS),
      }),
    [],
  );
}
