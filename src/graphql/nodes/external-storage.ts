import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import {
  EXTERNAL_STORAGE_BETA,
  listExternalStorage,
  type ExternalStorage as AdminExternalStorage,
} from '../../upstream/resources/external-storage.js';

/*
 * External storage (beta `efs-2026-10-01`): buckets in the organization's own cloud account that
 * Anthropic writes inference data to, from each workspace they are attached to. Mutations are in
 * src/graphql/mutations/external-storage.ts.
 */

export const ExternalStorageProvider = openEnum(
  'ExternalStorageProvider',
  'The cloud an external storage bucket is in.',
  {
    aws: 'Amazon S3.',
    gcp: 'Google Cloud Storage.',
  },
);

export const ExternalStorageLifecycle = openEnum(
  'ExternalStorageLifecycle',
  'Where external storage is in its lifecycle: PENDING_CONFIGURATION → AVAILABLE → ACTIVE → DRAINING.',
  {
    pending_configuration:
      'Registered, not verified yet: `activateExternalStorage` verifies it and makes it available.',
    available: 'Verified; no workspace has it attached yet.',
    active: 'At least one workspace has it attached.',
    draining:
      'No workspace has it attached any more; a workspace can attach it again unless its removal has started.',
  },
);

export const ExternalStorage = builder.objectRef<AdminExternalStorage>('ExternalStorage');

builder.node(ExternalStorage, {
  description:
    'External storage of the organization: a bucket in its own cloud account (S3 or Cloud Storage) that Anthropic writes inference data to from each workspace it is attached to.',
  id: { resolve: (storage) => storage.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'external_storage',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.externalStorage.load(id)),
  fields: (t) => ({
    displayName: t.string({
      nullable: true,
      description: 'A name for people; null when none was set.',
      resolve: (storage) => storage.display_name,
    }),
    provider: t.field({
      type: ExternalStorageProvider.ref,
      description: 'The cloud the bucket is in.',
      resolve: (storage) =>
        ExternalStorageProvider.fromUpstream(storage.provider_config.type) as never,
    }),
    providerValue: t.string({
      description:
        'The provider exactly as the Admin API reports it, also when `provider` is UNKNOWN.',
      resolve: (storage) => storage.provider_config.type,
    }),
    bucketName: t.string({
      description: 'The bucket’s name.',
      resolve: (storage) => storage.provider_config.bucket_name,
    }),
    region: t.string({
      description: 'The bucket’s region (`us-east-2`, `us-central1`, …).',
      resolve: (storage) => storage.provider_config.region,
    }),
    accountId: t.string({
      nullable: true,
      description: 'Amazon S3: the AWS account that owns the bucket; null for Cloud Storage.',
      resolve: (storage) =>
        storage.provider_config.type === 'aws' ? storage.provider_config.account_id : null,
    }),
    projectNumber: t.string({
      nullable: true,
      description:
        'Cloud Storage: the number of the Google Cloud project that holds the bucket; null for S3.',
      resolve: (storage) =>
        storage.provider_config.type === 'gcp' ? storage.provider_config.project_number : null,
    }),
    lifecycle: t.field({
      type: ExternalStorageLifecycle.ref,
      description: 'Where the storage is in its lifecycle.',
      resolve: (storage) => ExternalStorageLifecycle.fromUpstream(storage.status.type) as never,
    }),
    lifecycleValue: t.string({
      description:
        'The lifecycle state exactly as the Admin API reports it, also when `lifecycle` is UNKNOWN.',
      resolve: (storage) => storage.status.type,
    }),
    healthy: t.boolean({
      nullable: true,
      description:
        'Whether the bucket passed its latest recorded check; null while pending configuration. It can stay true after the bucket stops working: do not monitor with it.',
      resolve: (storage) => ('healthy' in storage.status ? storage.status.healthy : null),
    }),
    lastCheckedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the bucket’s latest recorded check ran; null while pending configuration.',
      resolve: (storage) =>
        'last_checked_at' in storage.status ? storage.status.last_checked_at : null,
    }),
    removalStarted: t.boolean({
      description:
        'True once a delete has started removing this (draining) storage, which cannot be undone: it can no longer be attached, and another `deleteExternalStorage` finishes the removal. False in every other state.',
      resolve: (storage) =>
        storage.status.type === 'draining' ? storage.status.removal_started : false,
    }),
    setupTemplateVersion: t.string({
      nullable: true,
      description:
        'The version of Anthropic’s setup template whose IAM role names the storage was found to use at activation; null when none was recorded (not activated yet, or not on S3).',
      resolve: (storage) => storage.setup_template_version,
    }),
    userProfileId: t.exposeID('user_profile_id', {
      nullable: true,
      description:
        'The user profile the storage is bound to (uprof_…): only workspaces with that profile can attach it. Null for none.',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the storage was registered.',
      resolve: (storage) => storage.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the storage last changed.',
      resolve: (storage) => storage.updated_at,
    }),
  }),
});

export const ExternalStorageConnection = builder.connectionObject(
  {
    type: ExternalStorage,
    name: 'ExternalStorageConnection',
    description: 'A page of external storage. Pages forward only (`first`/`after`).',
  },
  { name: 'ExternalStorageEdge', description: 'External storage and its cursor.' },
);

const STORAGE_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'external storage',
  list: 'external storage list',
};

/** Said of every field of the family that names no storage. */
export const EXTERNAL_STORAGE_NOT_ENABLED_NOTE = `Fails alone with NOT_ENABLED until Anthropic turns external storage (beta \`${EXTERNAL_STORAGE_BETA}\`) on for the organization.`;

builder.objectField(Organization, 'externalStorages', (t) =>
  t.connection(
    {
      type: ExternalStorage,
      description: `The organization’s external storage (buckets in its own cloud account), newest first (GET /v1/organizations/external_storage). \`first\` is 1–1000 (default 20); forward only. ${EXTERNAL_STORAGE_NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        userProfileIds: t.arg.stringList({
          description:
            'Only storage bound to one of these user profiles (uprof_…); an empty string matches storage bound to none. At most 10.',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const base = args.userProfileIds ? { user_profile_ids: [...args.userProfileIds] } : {};
        const connection = await resolveReportConnection(args, base, STORAGE_PAGES, (query) =>
          listExternalStorage(ctx.api, query),
        );
        for (const { node } of connection.edges) ctx.loaders.externalStorage.prime(node.id, node);
        return connection;
      },
    },
    ExternalStorageConnection,
  ),
);

builder.queryField('externalStorage', (t) =>
  t.field({
    type: ExternalStorage,
    nullable: true,
    description:
      'External storage by id; null when no such storage exists (also while the organization is not enabled for it: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'externalStorage' }),
    args: {
      id: t.arg.id({
        required: true,
        description:
          'The external storage id (estrg_…, or the bucket ARN for S3 storage through Claude Platform on AWS).',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.externalStorage.load(checkIdArgument('externalStorage', args.id, 'id')),
  }),
);

// A federation entity keyed by its id, resolved through the request's loaders.
builder.asEntity(ExternalStorage, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('externalStorage', id)) return null;
    const found = await ctx.loaders.externalStorage.load(id);
    return found && { ...found };
  },
});
