import type {
  BetaDeletedExternalStorage,
  BetaExternalStorage,
  ExternalStorageCreateParams,
  ExternalStorageListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/external-storage';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { coded, type PlainPage } from './coded-errors.js';
import { plainPage } from './token-pages.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * External storage: buckets in the organization's own cloud account that Anthropic writes
 * inference data to (beta `efs-2026-10-01`, which the SDK sends itself; enabled per
 * organization). The list and create name no storage, so they carry the operation `gate`: a 404
 * there is NOT_ENABLED on their field alone. The list is token-paged (`limit`, `page` →
 * `next_page`), newest first; what is cached is the plain page. Refusals keep their
 * `error_code` (`external_storage_in_use`, `storage_verification_failed`, …) as the error type,
 * so that the mutations can say what happened: a delete of draining storage may have started an
 * irreversible removal although it answers 400.
 */

export type ExternalStorage = BetaExternalStorage;
export type ExternalStorageCreateBody = Omit<ExternalStorageCreateParams, 'betas'>;
export type DeletedExternalStorage = BetaDeletedExternalStorage;
export type ExternalStorageStatus = BetaExternalStorage['status'];

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const EXTERNAL_STORAGE_BETA = 'efs-2026-10-01';

/** The `error_code` of a delete refused because the storage is active or draining. */
export const STORAGE_IN_USE_ERROR_CODE = 'external_storage_in_use';

export interface ExternalStorageListQuery {
  limit?: number;
  page?: string;
  /** `uprof_…` ids; an empty entry matches storage bound to no user profile. */
  user_profile_ids?: string[];
}

const COLLECTION = 'externalStorage' as const;
const entity = (id: string) => `entity:${id}`;

const gated = (name: string, method: 'GET' | 'POST'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
  gate: EXTERNAL_STORAGE_BETA,
});
const onStorage = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

export function listExternalStorage(
  api: AdminApi,
  query: ExternalStorageListQuery,
): Promise<PlainPage<ExternalStorage>> {
  const params: ExternalStorageListParams = { ...query };
  return api.read<PlainPage<ExternalStorage>>(
    COLLECTION,
    readKey('externalStorage.list', query),
    gated('external_storage.list', 'GET'),
    plainPage((org, opts) => org.externalStorage.list(params, opts)),
  );
}

export function getExternalStorage(api: AdminApi, storageId: string): Promise<ExternalStorage> {
  checkId('externalStorage', storageId);
  return api.read<ExternalStorage>(
    COLLECTION,
    entity(storageId),
    onStorage('external_storage.get', 'GET'),
    (org, opts) => org.externalStorage.retrieve(storageId, {}, opts),
  );
}

export function createExternalStorage(
  api: AdminApi,
  body: ExternalStorageCreateBody,
): Promise<ExternalStorage> {
  return api.write<ExternalStorage>(
    gated('external_storage.create', 'POST'),
    coded((org, opts) => org.externalStorage.create(body, opts), undefined, EXTERNAL_STORAGE_BETA),
    [COLLECTION],
    (storage) => [COLLECTION, storage.id],
  );
}

export function renameExternalStorage(
  api: AdminApi,
  storageId: string,
  displayName: string | null,
): Promise<ExternalStorage> {
  checkId('externalStorage', storageId);
  return api.write<ExternalStorage>(
    onStorage('external_storage.update', 'POST'),
    coded((org, opts) =>
      org.externalStorage.update(storageId, { display_name: displayName }, opts),
    ),
    [COLLECTION],
    (storage) => [COLLECTION, storage.id],
  );
}

/** Verifies pending storage and makes it available; other storage comes back unchanged. */
export function activateExternalStorage(
  api: AdminApi,
  storageId: string,
): Promise<ExternalStorage> {
  checkId('externalStorage', storageId);
  return api.write<ExternalStorage>(
    onStorage('external_storage.activate', 'POST'),
    coded((org, opts) => org.externalStorage.activate(storageId, {}, opts)),
    [COLLECTION],
    (storage) => [COLLECTION, storage.id],
  );
}

/**
 * Deletes storage. A refusal may still have changed it (a draining storage's removal starts),
 * so the collection is invalidated whatever the outcome, as every write does.
 */
export function deleteExternalStorage(
  api: AdminApi,
  storageId: string,
): Promise<DeletedExternalStorage> {
  checkId('externalStorage', storageId);
  return api.write<DeletedExternalStorage>(
    onStorage('external_storage.delete', 'DELETE'),
    coded((org, opts) => org.externalStorage.delete(storageId, {}, opts)),
    [COLLECTION],
  );
}
