import type {
  BetaGoogleManagedProjectCMEKControl,
  BetaGoogleManagedProjectCMEKRegionStatus,
  BetaGoogleManagedProjectEffectiveBucket,
  BetaGoogleManagedProjectRetiredBucket,
  BetaGoogleManagedProjectRetiredKey,
  BetaGoogleManagedProjectStorageBucket,
  BetaGoogleManagedProjectStorageControl,
  BetaGoogleManagedProjectStorageFailedCheck,
  BetaGoogleManagedProjectStorageRegionStatus,
} from '@anthropic-ai/sdk/resources/beta/organization/providers/google/projects/data-controls';
import { orNull } from '../../loaders/batch.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { Organization } from './organization.js';
import { ExternalKey } from './external-key.js';
import {
  PROJECT_NUMBER,
  getGoogleDataControls,
  type GoogleDataControls as AdminGoogleDataControls,
} from '../../upstream/resources/google-data-controls.js';

/*
 * Google data controls (beta `google-managed-data-controls-2026-09-01`): for a Google Cloud
 * project whose ownership the organization proved, the Cloud KMS key (an external key) and the
 * Cloud Storage bucket set for each region of Claude on Google Cloud's Agent Platform, with each
 * region's status. The mutation is in src/graphql/mutations/google-data-controls.ts.
 */

export const GoogleRegionStatus = openEnum(
  'GoogleDataControlRegionStatus',
  'Where a region stands with a Google data control.',
  {
    not_configured: 'No key or bucket is set for the region.',
    pending: 'A key or bucket is set and is being validated.',
    active: 'The key or bucket passed validation, and the region applies it.',
    failed: 'The key or bucket failed validation (see `error` or `failedChecks`).',
    suspended: 'The region stopped applying the control for now.',
  },
);

interface CmekRegion {
  region: string;
  configured: string | null;
  status: BetaGoogleManagedProjectCMEKRegionStatus | null;
}
interface StorageRegion {
  region: string;
  configured: BetaGoogleManagedProjectStorageBucket | null;
  status: BetaGoogleManagedProjectStorageRegionStatus | null;
}

/** The regions a control names, in its key or bucket map or in its status map, sorted. */
function regionsOf(...maps: (Record<string, unknown> | undefined)[]): string[] {
  return [...new Set(maps.flatMap((map) => Object.keys(map ?? {})))].sort();
}

const statusFields = <P extends { status: { type: string } | null }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, P>,
) => ({
  status: t.field({
    type: GoogleRegionStatus.ref,
    nullable: true,
    description: 'Where the region stands; null when the Admin API reports no status for it.',
    resolve: (region) => GoogleRegionStatus.fromUpstream(region.status?.type) as never,
  }),
  statusValue: t.string({
    nullable: true,
    description: 'The status exactly as the Admin API reports it, also when `status` is UNKNOWN.',
    resolve: (region) => region.status?.type ?? null,
  }),
});

const CmekRegionRef = builder.objectRef<CmekRegion>('GoogleCmekRegion').implement({
  description: 'The Cloud KMS key set for one region of a Google Cloud project, and its status.',
  fields: (t) => ({
    region: t.exposeString('region', {
      description: 'The region code (`us`, `eu`, `sg`, `global`, …).',
    }),
    externalKeyId: t.id({
      nullable: true,
      description: 'The external key set for the region (ekey_…); null when none is.',
      resolve: (region) => region.configured,
    }),
    externalKey: t.field({
      type: ExternalKey,
      nullable: true,
      description: 'That external key; null when none is set or it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'externalKeys' }),
      resolve: (region, _args, ctx) =>
        region.configured ? ctx.loaders.externalKeys.load(region.configured) : null,
    }),
    ...statusFields(t),
    effectiveExternalKeyId: t.id({
      nullable: true,
      description:
        'The external key the region encrypts with now (it may still be an earlier one while a new key is pending); null for none.',
      resolve: (region) => region.status?.effective_external_key_id ?? null,
    }),
    error: t.string({
      nullable: true,
      description: 'What went wrong with the key, when something did.',
      resolve: (region) =>
        region.status && 'error' in region.status ? (region.status.error ?? null) : null,
    }),
    validatedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the key passed validation; null unless the region is ACTIVE.',
      resolve: (region) => (region.status?.type === 'active' ? region.status.validated_at : null),
    }),
    lastCheckedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the key was last checked; null when it has not been.',
      resolve: (region) =>
        region.status?.type === 'active' ? region.status.last_checked_at : null,
    }),
  }),
});

const RetiredKeyRef = builder
  .objectRef<BetaGoogleManagedProjectRetiredKey>('GoogleRetiredKey')
  .implement({
    description:
      'A key a region has retired: keep it usable by Anthropic until `expiresAt`, as data encrypted with it may still be read.',
    fields: (t) => ({
      region: t.exposeString('region', { description: 'The region that retired it.' }),
      externalKeyId: t.exposeID('external_key_id', {
        description: 'The retired external key (ekey_…).',
      }),
      externalKey: t.field({
        type: ExternalKey,
        nullable: true,
        description: 'That external key; null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'externalKeys' }),
        resolve: (retired, _args, ctx) => ctx.loaders.externalKeys.load(retired.external_key_id),
      }),
      expiresAt: t.field({
        type: DateTime,
        description: 'Until when the key must stay usable.',
        resolve: (retired) => retired.expires_at,
      }),
    }),
  });

const CmekControlRef = builder
  .objectRef<BetaGoogleManagedProjectCMEKControl>('GoogleCmekControl')
  .implement({
    description:
      'The customer-managed encryption key control of a Google Cloud project: the Cloud KMS key set for each region. It covers the project’s requests that name no user profile, or a profile without a key of its own.',
    fields: (t) => ({
      enabled: t.boolean({
        description: 'Whether the control is on.',
        resolve: (control) => control.type === 'enabled',
      }),
      regions: t.field({
        type: [CmekRegionRef],
        description:
          'Each region with a key or a status, sorted by region code; empty while the control is off.',
        resolve: (control) =>
          control.type === 'enabled'
            ? regionsOf(control.external_key_ids, control.status).map((region) => ({
                region,
                configured: control.external_key_ids[region] ?? null,
                status: control.status[region] ?? null,
              }))
            : [],
      }),
      retiredKeys: t.field({
        type: [RetiredKeyRef],
        description: 'Keys the regions have retired, earliest `expiresAt` first.',
        resolve: (control) => control.retired_keys,
      }),
    }),
  });

const BucketRef = builder
  .objectRef<BetaGoogleManagedProjectStorageBucket>('GoogleStorageBucket')
  .implement({
    description: 'A Cloud Storage bucket set for a region.',
    fields: (t) => ({
      bucketName: t.exposeString('bucket_name', { description: 'The bucket’s name.' }),
      projectNumber: t.exposeString('project_number', {
        description: 'The number of the Google Cloud project that holds the bucket.',
      }),
      projectId: t.exposeString('project_id', {
        nullable: true,
        description: 'That project’s id, when known.',
      }),
      location: t.exposeString('location', {
        nullable: true,
        description: 'The bucket’s location, when known.',
      }),
      kmsKeyName: t.exposeString('kms_key_name', {
        nullable: true,
        description: 'The Cloud KMS key the bucket encrypts with by default, when it has one.',
      }),
    }),
  });

const BucketReferenceRef = builder
  .objectRef<BetaGoogleManagedProjectEffectiveBucket>('GoogleBucketReference')
  .implement({
    description: 'A Cloud Storage bucket, named by its project and its own name.',
    fields: (t) => ({
      bucketName: t.exposeString('bucket_name', { description: 'The bucket’s name.' }),
      projectNumber: t.exposeString('project_number', {
        description: 'The number of the Google Cloud project that holds it.',
      }),
    }),
  });

const FailedCheckRef = builder
  .objectRef<BetaGoogleManagedProjectStorageFailedCheck>('GoogleStorageFailedCheck')
  .implement({
    description: 'One check a region’s bucket failed.',
    fields: (t) => ({
      check: t.exposeString('check', {
        description:
          'The check’s name, for programs (`versioning`, `encryption`, `lifecycle_rules`, …; new names may appear).',
      }),
      message: t.exposeString('message', { description: 'What failed and how to fix it.' }),
      role: t.exposeString('role', {
        nullable: true,
        description:
          'The access grant the check is about (`ingest`, `read`, …); null when it is about none.',
      }),
    }),
  });

const StorageRegionRef = builder.objectRef<StorageRegion>('GoogleStorageRegion').implement({
  description:
    'The Cloud Storage bucket set for one region of a Google Cloud project, and its status.',
  fields: (t) => ({
    region: t.exposeString('region', {
      description: 'The region code (`us`, `eu`, `sg`, `global`, …).',
    }),
    bucket: t.field({
      type: BucketRef,
      nullable: true,
      description: 'The bucket set for the region; null when none is.',
      resolve: (region) => region.configured,
    }),
    ...statusFields(t),
    effectiveBucket: t.field({
      type: BucketReferenceRef,
      nullable: true,
      description:
        'The bucket the region writes to now (it may still be an earlier one while a new bucket is pending); null for none.',
      resolve: (region) => region.status?.effective_bucket ?? null,
    }),
    failedChecks: t.field({
      type: [FailedCheckRef],
      description: 'The checks the bucket failed; empty when none did.',
      resolve: (region) =>
        region.status && 'failed_checks' in region.status ? region.status.failed_checks : [],
    }),
    validatedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the bucket passed validation; null unless the region is ACTIVE.',
      resolve: (region) => (region.status?.type === 'active' ? region.status.validated_at : null),
    }),
  }),
});

const RetiredBucketRef = builder
  .objectRef<BetaGoogleManagedProjectRetiredBucket>('GoogleRetiredBucket')
  .implement({
    description:
      'A bucket a region has retired: keep it and Anthropic’s access to it as they were until `expiresAt`.',
    fields: (t) => ({
      region: t.exposeString('region', { description: 'The region that retired it.' }),
      bucketName: t.exposeString('bucket_name', { description: 'The bucket’s name.' }),
      projectNumber: t.exposeString('project_number', {
        description: 'The number of the Google Cloud project that holds it.',
      }),
      expiresAt: t.field({
        type: DateTime,
        description: 'Until when the bucket must stay as it was.',
        resolve: (retired) => retired.expires_at,
      }),
    }),
  });

const StorageControlRef = builder
  .objectRef<BetaGoogleManagedProjectStorageControl>('GoogleStorageControl')
  .implement({
    description:
      'The customer-owned storage control of a Google Cloud project: the Cloud Storage bucket set for each region. It covers the project’s requests that name no user profile, or a profile without a bucket of its own.',
    fields: (t) => ({
      enabled: t.boolean({
        description: 'Whether the control is on.',
        resolve: (control) => control.type === 'enabled',
      }),
      regions: t.field({
        type: [StorageRegionRef],
        description:
          'Each region with a bucket or a status, sorted by region code; empty while the control is off.',
        resolve: (control) =>
          control.type === 'enabled'
            ? regionsOf(control.buckets, control.status).map((region) => ({
                region,
                configured: control.buckets[region] ?? null,
                status: control.status[region] ?? null,
              }))
            : [],
      }),
      retiredBuckets: t.field({
        type: [RetiredBucketRef],
        description: 'Buckets the regions have retired, earliest `expiresAt` first.',
        resolve: (control) => control.retired_buckets,
      }),
    }),
  });

export const GoogleDataControls = builder
  .objectRef<AdminGoogleDataControls>('GoogleDataControls')
  .implement({
    description:
      'The data controls of a Google Cloud project for Claude on Google Cloud’s Agent Platform: the encryption key and the storage bucket set per region, with each region’s status.',
    fields: (t) => ({
      projectNumber: t.exposeString('project_number', {
        description: 'The number of the Google Cloud project, in decimal.',
      }),
      cmek: t.field({
        type: CmekControlRef,
        description: 'The customer-managed encryption key control.',
        resolve: (controls) => controls.cmek,
      }),
      storage: t.field({
        type: StorageControlRef,
        description: 'The customer-owned storage control.',
        resolve: (controls) => controls.storage,
      }),
      updatedAt: t.field({
        type: DateTime,
        description: 'When an update last changed a control, or a region’s status last changed.',
        resolve: (controls) => controls.updated_at,
      }),
    }),
  });

/** The project number argument, checked before it reaches a URL. */
export function checkProjectNumberArgument(value: string, argumentName: string): string {
  if (!PROJECT_NUMBER.test(value)) {
    throw badUserInput(
      `\`${argumentName}\` must be a Google Cloud project number (decimal digits); got ${JSON.stringify(value.slice(0, 100))}.`,
      { argumentName },
    );
  }
  return value;
}

builder.objectField(Organization, 'googleDataControls', (t) =>
  t.field({
    type: GoogleDataControls,
    nullable: true,
    description:
      'The data controls of a Google Cloud project (GET /v1/organizations/providers/google/projects/{project_number}/data_controls, beta `google-managed-data-controls-2026-09-01`); null when the organization has not proved it owns the project, or is not enrolled in the beta (the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'request' }),
    args: {
      projectNumber: t.arg.string({
        required: true,
        description: 'The Google Cloud project number, in decimal (`123456789012`).',
      }),
    },
    resolve: (_organization, args, ctx) =>
      orNull(
        getGoogleDataControls(
          ctx.api,
          checkProjectNumberArgument(args.projectNumber, 'projectNumber'),
        ),
      ),
  }),
);
