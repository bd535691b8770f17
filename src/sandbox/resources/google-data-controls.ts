import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import {
  enumField,
  isObject,
  objectBody,
  stringField,
  type JsonObject,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { EXTERNAL_KEY_IDS } from '../seed.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp, type Micros } from '../time.js';
import { externalKeyProvider } from './external-keys.js';

/*
 * Google data controls (beta `google-managed-data-controls-2026-09-01`): per Google Cloud
 * project whose ownership the organization proved, the Cloud KMS key (an External Key) and the
 * Cloud Storage bucket set for each region. Stateful: an update changes what the read returns;
 * a replaced or removed key or bucket is retired for 30 days. Strict: a project number that is
 * not decimal digits 400, a project the organization has not proved ownership of 404, unknown
 * regions and keys refused naming the field, a key that is not a Google Cloud key refused, a
 * control turned on without any key or bucket refused. The update takes a credential that
 * identifies a user or a service account: here an OAuth token (`accepts: 'oauth'`); an Admin API
 * key gets 403. The emulator answers at once: a key validates at once, a bucket whose name
 * contains `unverified` fails its `versioning` check. State lives here, per store.
 */

const REGIONS = ['us', 'eu', 'sg', 'global'] as const;
const RETIREMENT_MICROS = 30 * MICROS_PER_DAY;

interface Bucket {
  bucket_name: string;
  project_number: string;
}
interface Retired<T> {
  value: T;
  region: string;
  expiresAt: Micros;
}
interface ProjectRecord {
  projectNumber: string;
  cmekEnabled: boolean;
  keys: Map<string, string>;
  retiredKeys: Retired<string>[];
  storageEnabled: boolean;
  buckets: Map<string, Bucket>;
  retiredBuckets: Retired<Bucket>[];
  /** When each region's key or bucket passed validation. */
  validatedAt: Map<string, Micros>;
  updatedAt: Micros;
}

interface ControlsState {
  seededFor: object;
  projects: Map<string, ProjectRecord>;
}

const states = new WeakMap<SandboxStore, ControlsState>();

/** The projects whose ownership the emulated organization proved. */
export const GOOGLE_PROJECT_NUMBERS = ['123456789012', '210987654321'] as const;

function seed(store: SandboxStore): ControlsState {
  const anchor = store.clock.anchor;
  const blank = (projectNumber: string, daysAgo: number): ProjectRecord => ({
    projectNumber,
    cmekEnabled: false,
    keys: new Map(),
    retiredKeys: [],
    storageEnabled: false,
    buckets: new Map(),
    retiredBuckets: [],
    validatedAt: new Map(),
    updatedAt: anchor - daysAgo * MICROS_PER_DAY,
  });
  const first = blank(GOOGLE_PROJECT_NUMBERS[0], 20);
  first.cmekEnabled = true;
  first.keys.set('us', EXTERNAL_KEY_IDS[1]);
  first.validatedAt.set('cmek:us', anchor - 20 * MICROS_PER_DAY);
  first.storageEnabled = true;
  first.buckets.set('us', { bucket_name: 'northwind-vertex-us', project_number: '123456789012' });
  first.validatedAt.set('storage:us', anchor - 20 * MICROS_PER_DAY);
  const projects = new Map([
    [first.projectNumber, first],
    [GOOGLE_PROJECT_NUMBERS[1], blank(GOOGLE_PROJECT_NUMBERS[1], 5)],
  ]);
  return { seededFor: store.organization, projects };
}

function stateOf(store: SandboxStore): ControlsState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

function requireProject(store: SandboxStore, projectNumber: string | undefined): ProjectRecord {
  if (projectNumber === undefined || !/^\d{1,20}$/.test(projectNumber)) {
    throw invalidRequest('project_number: must be a Google Cloud project number (decimal digits)');
  }
  const project = stateOf(store).projects.get(projectNumber);
  if (!project) {
    throw notFound(
      `Your organization has not proved that it owns the Google Cloud project ${projectNumber}.`,
    );
  }
  return project;
}

const isFailingBucket = (bucket: Bucket) => bucket.bucket_name.includes('unverified');

function render(project: ProjectRecord): unknown {
  const retiredKeys = project.retiredKeys.map((retired) => ({
    expires_at: formatTimestamp(retired.expiresAt),
    external_key_id: retired.value,
    region: retired.region,
  }));
  const retiredBuckets = project.retiredBuckets.map((retired) => ({
    bucket_name: retired.value.bucket_name,
    expires_at: formatTimestamp(retired.expiresAt),
    project_number: retired.value.project_number,
    region: retired.region,
  }));
  const keyStatus = (region: string) => {
    const key = project.keys.get(region) ?? null;
    if (key === null) return { effective_external_key_id: null, type: 'not_configured' };
    const at = project.validatedAt.get(`cmek:${region}`) ?? project.updatedAt;
    return {
      effective_external_key_id: key,
      error: null,
      last_checked_at: formatTimestamp(at),
      type: 'active',
      validated_at: formatTimestamp(at),
    };
  };
  const bucketStatus = (region: string) => {
    const bucket = project.buckets.get(region) ?? null;
    if (bucket === null) return { effective_bucket: null, type: 'not_configured' };
    if (isFailingBucket(bucket)) {
      return {
        effective_bucket: null,
        failed_checks: [
          {
            check: 'versioning',
            message: `Turn on object versioning for ${bucket.bucket_name}.`,
            role: null,
          },
        ],
        type: 'failed',
      };
    }
    return {
      effective_bucket: { ...bucket },
      failed_checks: [],
      type: 'active',
      validated_at: formatTimestamp(
        project.validatedAt.get(`storage:${region}`) ?? project.updatedAt,
      ),
    };
  };
  return {
    cmek: project.cmekEnabled
      ? {
          external_key_ids: Object.fromEntries(project.keys),
          retired_keys: retiredKeys,
          status: Object.fromEntries(REGIONS.map((region) => [region, keyStatus(region)])),
          type: 'enabled',
        }
      : { retired_keys: retiredKeys, type: 'disabled' },
    project_number: project.projectNumber,
    storage: project.storageEnabled
      ? {
          buckets: Object.fromEntries(
            [...project.buckets].map(([region, bucket]) => [
              region,
              { ...bucket, kms_key_name: null, location: region.toUpperCase(), project_id: null },
            ]),
          ),
          retired_buckets: retiredBuckets,
          status: Object.fromEntries(REGIONS.map((region) => [region, bucketStatus(region)])),
          type: 'enabled',
        }
      : { retired_buckets: retiredBuckets, type: 'disabled' },
    type: 'google_managed_project_data_controls',
    updated_at: formatTimestamp(project.updatedAt),
  };
}

const coded = (status: number, code: string, message: string) =>
  new ApiError(status, message, { details: { error_code: code } });

function regionOf(field: string, region: string): string {
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw invalidRequest(`${field}.${region}: unknown region; use one of ${REGIONS.join(', ')}`);
  }
  return region;
}

/** The control's settings, checked: whether it is on, and the per-region entries sent. */
function controlParam(
  value: unknown,
  field: 'cmek' | 'storage',
  mapField: 'external_key_ids' | 'buckets',
): { enabled: boolean; entries: [string, unknown][] } {
  if (!isObject(value)) throw invalidRequest(`${field}: Input should be an object`);
  const type = enumField(value, 'type', ['enabled', 'disabled'] as const, { required: true });
  if (type === 'disabled') {
    objectBody(value, ['type']);
    return { enabled: false, entries: [] };
  }
  const body = objectBody(value, ['type', mapField]);
  const map = body[mapField];
  if (map === undefined) return { enabled: true, entries: [] };
  if (!isObject(map)) throw invalidRequest(`${field}.${mapField}: Input should be an object`);
  return {
    enabled: true,
    entries: Object.entries(map).map(([region, entry]) => [
      regionOf(`${field}.${mapField}`, region),
      entry,
    ]),
  };
}

function retire<T>(list: Retired<T>[], value: T, region: string, now: Micros): void {
  list.push({ value, region, expiresAt: now + RETIREMENT_MICROS });
  list.sort((a, b) => a.expiresAt - b.expiresAt);
}

const PATH = '/v1/organizations/providers/google/projects/:project_number/data_controls';

export const googleDataControlRoutes: Route[] = [
  route('GET', PATH, ({ store, params }) =>
    render(requireProject(store, params['project_number'])),
  ),

  {
    ...route('POST', PATH, ({ store, params, body }) => {
      const project = requireProject(store, params['project_number']);
      const input = objectBody(body, ['cmek', 'storage']);
      if (input['cmek'] === undefined && input['storage'] === undefined) {
        throw invalidRequest('Send cmek, storage, or both.');
      }
      const now = store.now();
      const keys = new Map(project.keys);
      const buckets = new Map(project.buckets);
      const cmek =
        input['cmek'] !== undefined
          ? controlParam(input['cmek'], 'cmek', 'external_key_ids')
          : undefined;
      for (const [region, entry] of cmek?.entries ?? []) {
        if (entry === null) {
          keys.delete(region);
          continue;
        }
        if (typeof entry !== 'string') {
          throw invalidRequest(`cmek.external_key_ids.${region}: Input should be a valid string`);
        }
        const provider = externalKeyProvider(store, entry);
        if (provider === null) {
          throw coded(
            404,
            'external_key_not_found',
            `cmek.external_key_ids.${region}: no external key ${entry}`,
          );
        }
        if (provider !== 'gcp') {
          throw coded(
            400,
            'external_key_provider_mismatch',
            `cmek.external_key_ids.${region}: ${entry} is not a Google Cloud KMS key`,
          );
        }
        keys.set(region, entry);
      }
      if (cmek?.enabled && keys.size === 0) {
        throw invalidRequest(
          'cmek.external_key_ids: while the control is on, at least one region needs a key',
        );
      }
      const storage =
        input['storage'] !== undefined
          ? controlParam(input['storage'], 'storage', 'buckets')
          : undefined;
      for (const [region, entry] of storage?.entries ?? []) {
        if (entry === null) {
          buckets.delete(region);
          continue;
        }
        if (!isObject(entry)) {
          throw invalidRequest(`storage.buckets.${region}: Input should be an object`);
        }
        const reference = objectBody(entry as JsonObject, ['bucket_name', 'project_number']);
        const bucketName = stringField(reference, 'bucket_name', { required: true }) as string;
        const projectNumber = stringField(reference, 'project_number', {
          required: true,
        }) as string;
        if (!/^\d{1,20}$/.test(projectNumber)) {
          throw invalidRequest(`storage.buckets.${region}.project_number: must be decimal digits`);
        }
        buckets.set(region, { bucket_name: bucketName, project_number: projectNumber });
      }
      if (storage?.enabled && buckets.size === 0) {
        throw invalidRequest(
          'storage.buckets: while the control is on, at least one region needs a bucket',
        );
      }
      // Applied only once everything was accepted.
      const at = store.tick();
      if (cmek) {
        for (const [region, key] of project.keys) {
          if (keys.get(region) !== key) retire(project.retiredKeys, key, region, now);
        }
        for (const [region, key] of keys) {
          if (project.keys.get(region) !== key) project.validatedAt.set(`cmek:${region}`, at);
        }
        project.keys = keys;
        project.cmekEnabled = cmek.enabled;
      }
      if (storage) {
        for (const [region, bucket] of project.buckets) {
          const next = buckets.get(region);
          if (!next || next.bucket_name !== bucket.bucket_name) {
            retire(project.retiredBuckets, bucket, region, now);
          }
        }
        for (const region of buckets.keys()) project.validatedAt.set(`storage:${region}`, at);
        project.buckets = buckets;
        project.storageEnabled = storage.enabled;
      }
      project.updatedAt = at;
      return render(project);
    }),
    accepts: 'oauth' as const,
  },
];
