import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst } from '../transport/pagination.js';
import {
  enumField,
  fieldValue,
  isObject,
  objectBody,
  queryValues,
  stringField,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp, type Micros } from '../time.js';
import { externalTokenPage, nestedField } from './external-pages.js';

/*
 * External storage (beta `efs-2026-10-01`): buckets in the organization's cloud account.
 * Stateful: creates, renames, activations and deletes change what lists and gets return.
 * Lifecycle `pending_configuration → available → active → draining`: create saves a bucket as
 * pending; activate verifies it (a bucket whose name contains `unverified` fails the check with
 * 400 `storage_verification_failed`) and makes it available; other storage comes back unchanged.
 * Delete removes pending or available storage at once; active storage is refused (400
 * `external_storage_in_use`); on draining storage the first delete starts the irreversible
 * removal (`removal_started`) and still answers that 400, and a later delete finishes it. Strict:
 * unknown ids 404, bad fields 400 naming the field, a bucket registered twice 409, page tokens
 * bound to their query. A switch turns the beta off (setExternalStorageEnabled): every route then
 * answers 404. State lives here, per store, reseeded after a reset.
 */

const SEED = 0x0e57a6e5;
const REGIONS = {
  aws: ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'],
  gcp: ['us', 'us-central1', 'us-east4', 'europe-west4'],
} as const;
const SETUP_TEMPLATE_VERSION = '2026-10-01';

type ProviderConfig =
  | { type: 'aws'; account_id: string; bucket_name: string; region: string }
  | { type: 'gcp'; bucket_name: string; project_number: string; region: string };
type Lifecycle = 'pending_configuration' | 'available' | 'active' | 'draining';

interface StorageRecord {
  id: string;
  displayName: string | null;
  providerConfig: ProviderConfig;
  userProfileId: string | null;
  lifecycle: Lifecycle;
  healthy: boolean;
  lastCheckedAt: Micros | null;
  removalStarted: boolean;
  setupTemplateVersion: string | null;
  createdAt: Micros;
  updatedAt: Micros;
}

interface StorageState {
  seededFor: object;
  enabled: boolean;
  rng: Rng;
  storages: Map<string, StorageRecord>;
}

const states = new WeakMap<SandboxStore, StorageState>();

function seed(store: SandboxStore): StorageState {
  const rng = new Rng(SEED);
  const anchor = store.clock.anchor;
  const storages = new Map<string, StorageRecord>();
  const add = (
    daysAgo: number,
    fields: Partial<StorageRecord> & Pick<StorageRecord, 'providerConfig'>,
  ) => {
    const at = anchor - daysAgo * MICROS_PER_DAY;
    const record: StorageRecord = {
      id: rng.id('estrg_'),
      displayName: null,
      userProfileId: null,
      lifecycle: 'pending_configuration',
      healthy: true,
      lastCheckedAt: null,
      removalStarted: false,
      setupTemplateVersion: null,
      createdAt: at,
      updatedAt: at,
      ...fields,
    };
    storages.set(record.id, record);
  };
  add(90, {
    displayName: 'Safety retention (S3)',
    providerConfig: {
      type: 'aws',
      account_id: '111122223333',
      bucket_name: 'northwind-safety-retention',
      region: 'us-east-2',
    },
    lifecycle: 'active',
    lastCheckedAt: anchor - MICROS_PER_DAY / 24,
    setupTemplateVersion: SETUP_TEMPLATE_VERSION,
  });
  add(40, {
    displayName: 'Old transcripts bucket',
    providerConfig: {
      type: 'gcp',
      bucket_name: 'northwind-transcripts-2025',
      project_number: '123456789012',
      region: 'us-central1',
    },
    lifecycle: 'draining',
    lastCheckedAt: anchor - MICROS_PER_DAY,
  });
  add(3, {
    providerConfig: {
      type: 'aws',
      account_id: '111122223333',
      bucket_name: 'northwind-eu-retention',
      region: 'eu-west-1',
    },
  });
  return { seededFor: store.organization, enabled: true, rng, storages };
}

function stateOf(store: SandboxStore): StorageState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/**
 * Test and demo switch: whether the emulated organization has external storage (on by default
 * and after a reset). Off, every route of the family answers 404.
 */
export function setExternalStorageEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

/** For tests and demos: marks storage active (a workspace attached it) or draining. */
export function setExternalStorageLifecycle(
  store: SandboxStore,
  id: string,
  lifecycle: Lifecycle,
): void {
  const storage = stateOf(store).storages.get(id);
  if (storage) storage.lifecycle = lifecycle;
}

function enabledState(store: SandboxStore, method: string, path: string): StorageState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound(`No route for ${method} ${path}.`);
  return state;
}

function renderStatus(storage: StorageRecord): unknown {
  if (storage.lifecycle === 'pending_configuration') return { type: 'pending_configuration' };
  const checked = {
    healthy: storage.healthy,
    last_checked_at: formatTimestamp(storage.lastCheckedAt ?? storage.updatedAt),
  };
  if (storage.lifecycle === 'draining') {
    return { ...checked, removal_started: storage.removalStarted, type: 'draining' };
  }
  return { ...checked, type: storage.lifecycle };
}

function render(storage: StorageRecord): unknown {
  return {
    id: storage.id,
    created_at: formatTimestamp(storage.createdAt),
    display_name: storage.displayName,
    provider_config: storage.providerConfig,
    setup_template_version: storage.setupTemplateVersion,
    status: renderStatus(storage),
    type: 'external_storage',
    updated_at: formatTimestamp(storage.updatedAt),
    user_profile_id: storage.userProfileId,
  };
}

function requireStorage(state: StorageState, id: string | undefined): StorageRecord {
  const storage = id === undefined ? undefined : state.storages.get(id);
  if (!storage)
    throw notFound('No External Storage with the given ID exists in this organization.');
  return storage;
}

const coded = (status: number, code: string, message: string) =>
  new ApiError(status, message, { details: { error_code: code } });

function providerConfigParam(value: unknown): ProviderConfig {
  if (!isObject(value)) throw invalidRequest('provider_config: Input should be an object');
  return nestedField('provider_config', () => {
    const type = enumField(value, 'type', ['aws', 'gcp'] as const, { required: true }) as
      'aws' | 'gcp';
    const fields =
      type === 'aws'
        ? ['type', 'account_id', 'bucket_name', 'region']
        : ['type', 'bucket_name', 'project_number', 'region'];
    const body = objectBody(value, fields);
    const bucket = stringField(body, 'bucket_name', { required: true }) as string;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw invalidRequest('bucket_name: must be a valid bucket name (3–63 lowercase characters)');
    }
    const region = stringField(body, 'region', { required: true }) as string;
    if (!(REGIONS[type] as readonly string[]).includes(region)) {
      throw coded(
        400,
        'unsupported_region',
        `region: External Storage is not available in ${region}`,
      );
    }
    if (type === 'aws') {
      const account = stringField(body, 'account_id', { required: true }) as string;
      if (!/^\d{12}$/.test(account)) throw invalidRequest('account_id: must be 12 digits');
      return { type, account_id: account, bucket_name: bucket, region };
    }
    const project = stringField(body, 'project_number', { required: true }) as string;
    if (!/^\d{1,20}$/.test(project)) throw invalidRequest('project_number: must be decimal digits');
    return { type, bucket_name: bucket, project_number: project, region };
  });
}

const byCreated = newestFirst<StorageRecord>(
  (storage) => storage.createdAt,
  (storage) => storage.id,
);

const ROOT = '/v1/organizations/external_storage';

export const externalStorageRoutes: Route[] = [
  route('POST', ROOT, ({ store, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const input = objectBody(body, ['provider_config', 'display_name', 'user_profile_id']);
    const providerConfig = providerConfigParam(
      fieldValue(input, 'provider_config', { required: true }),
    );
    const displayName =
      stringField(input, 'display_name', { nullable: true, maxLength: 255 }) ?? null;
    const userProfileId = stringField(input, 'user_profile_id', { nullable: true }) ?? null;
    if (userProfileId !== null) throw notFound(`user_profile_id: no user profile ${userProfileId}`);
    for (const other of state.storages.values()) {
      if (
        other.providerConfig.type === providerConfig.type &&
        other.providerConfig.bucket_name === providerConfig.bucket_name
      ) {
        throw coded(
          409,
          'storage_already_registered',
          `The bucket ${providerConfig.bucket_name} is already registered as ${other.id}.`,
        );
      }
    }
    const at = store.tick();
    const storage: StorageRecord = {
      id: state.rng.id('estrg_'),
      displayName,
      providerConfig,
      userProfileId,
      lifecycle: 'pending_configuration',
      healthy: true,
      lastCheckedAt: null,
      removalStarted: false,
      setupTemplateVersion: null,
      createdAt: at,
      updatedAt: at,
    };
    state.storages.set(storage.id, storage);
    return render(storage);
  }),

  route('GET', ROOT, ({ store, query }) => {
    const state = enabledState(store, 'GET', ROOT);
    const profiles = queryValues(query, 'user_profile_ids');
    if (profiles && profiles.length > 10) {
      throw invalidRequest('user_profile_ids: at most 10 entries');
    }
    const items = [...state.storages.values()]
      .filter((storage) => profiles === undefined || profiles.includes(storage.userProfileId ?? ''))
      .sort(byCreated);
    return externalTokenPage(store, 'external_storage', query, items, (s) => s.id, render);
  }),

  route('GET', `${ROOT}/:external_storage_id`, ({ store, params }) =>
    render(requireStorage(enabledState(store, 'GET', ROOT), params['external_storage_id'])),
  ),

  route('POST', `${ROOT}/:external_storage_id`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const storage = requireStorage(state, params['external_storage_id']);
    const input = objectBody(body, ['display_name']);
    storage.displayName =
      stringField(input, 'display_name', { required: true, nullable: true, maxLength: 255 }) ??
      null;
    storage.updatedAt = store.tick();
    return render(storage);
  }),

  route('POST', `${ROOT}/:external_storage_id/activate`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const storage = requireStorage(state, params['external_storage_id']);
    objectBody(body, []);
    if (storage.lifecycle !== 'pending_configuration') return render(storage);
    if (storage.providerConfig.bucket_name.includes('unverified')) {
      throw coded(
        400,
        'storage_verification_failed',
        `Verification of ${storage.providerConfig.bucket_name} failed: versioning is not enabled on the bucket.`,
      );
    }
    storage.lifecycle = 'available';
    storage.healthy = true;
    storage.lastCheckedAt = store.tick();
    storage.setupTemplateVersion =
      storage.providerConfig.type === 'aws' ? SETUP_TEMPLATE_VERSION : null;
    storage.updatedAt = storage.lastCheckedAt;
    return render(storage);
  }),

  route('DELETE', `${ROOT}/:external_storage_id`, ({ store, params }) => {
    const state = enabledState(store, 'DELETE', ROOT);
    const storage = requireStorage(state, params['external_storage_id']);
    if (storage.lifecycle === 'active') {
      throw coded(
        400,
        'external_storage_in_use',
        'This External Storage is attached to at least one Workspace; detach it everywhere, then delete it.',
      );
    }
    if (storage.lifecycle === 'draining' && !storage.removalStarted) {
      storage.removalStarted = true;
      storage.updatedAt = store.tick();
      throw coded(
        400,
        'external_storage_in_use',
        'This External Storage is draining: its removal has started and cannot be undone. Delete it again later to finish.',
      );
    }
    state.storages.delete(storage.id);
    return { id: storage.id, type: 'external_storage_deleted' };
  }),
];
