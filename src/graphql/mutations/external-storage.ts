import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  STORAGE_IN_USE_ERROR_CODE,
  activateExternalStorage,
  createExternalStorage,
  deleteExternalStorage,
  renameExternalStorage,
  type ExternalStorageCreateBody,
} from '../../upstream/resources/external-storage.js';
import { resultPayload } from '../lib/payload.js';
import { ExternalStorage, EXTERNAL_STORAGE_NOT_ENABLED_NOTE } from '../nodes/external-storage.js';

/*
 * Mutations of external storage (beta `efs-2026-10-01`). Each needs `write` and
 * `data_controls:write`. An organization not enabled for the beta is a NOT_ENABLED error, not a
 * userError. A delete the Admin API refuses because the storage is active or draining is a
 * CONFLICT userError; on draining storage that refusal may have started the irreversible removal,
 * so the payload reads the storage again and reports `removalStarted`.
 */

const BODY: Record<string, string[]> = {
  display_name: ['input', 'displayName'],
  user_profile_id: ['input', 'userProfileId'],
  provider_config: ['input', 'providerConfig'],
  'provider_config.type': ['input', 'providerConfig'],
  'provider_config.account_id': ['input', 'providerConfig', 'aws', 'accountId'],
  'provider_config.bucket_name': ['input', 'providerConfig'],
  'provider_config.project_number': ['input', 'providerConfig', 'gcp', 'projectNumber'],
  'provider_config.region': ['input', 'providerConfig'],
  region: ['input', 'providerConfig'],
};

const ON_STORAGE: InputPaths = {
  ids: { externalStorage: ['input', 'externalStorageId'] },
  notFound: (message) =>
    /user_profile/.test(message) ? ['input', 'userProfileId'] : ['input', 'externalStorageId'],
  body: BODY,
};

/**
 * runMutation, except that an organization not enabled for the beta is NOT_ENABLED, and that a
 * refusal with one of `conflicts` as its `error_code` is a CONFLICT userError on `field`.
 */
async function storageMutation<T>(
  write: () => Promise<T>,
  conflicts: Record<string, string> = {},
): Promise<{ result: T | null; userErrors: UserErrorShape[]; conflict: string | null }> {
  let gated: UpstreamError | null = null;
  let conflict: UpstreamError | null = null;
  const outcome = await runMutation(ON_STORAGE, async () => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UpstreamError && error.errorType === NOT_ENABLED_ERROR_TYPE) {
        gated = error;
      } else if (error instanceof UpstreamError && error.errorType in conflicts) {
        conflict = error;
        return null;
      }
      throw error;
    }
  });
  if (gated) throw gated;
  if (conflict) {
    const error = conflict as UpstreamError;
    return {
      result: null,
      conflict: error.errorType,
      userErrors: [
        {
          message: `${error.message} ${conflicts[error.errorType] ?? ''}`.trim(),
          code: 'CONFLICT',
          field: ['input', 'externalStorageId'],
        },
      ],
    };
  }
  return { ...outcome, conflict: null };
}

const AwsInput = builder.inputType('AwsExternalStorageInput', {
  description: 'An Amazon S3 bucket.',
  fields: (t) => ({
    accountId: t.string({ required: true, description: 'The AWS account that owns the bucket.' }),
    bucketName: t.string({ required: true, description: 'The bucket’s name.' }),
    region: t.string({ required: true, description: 'The bucket’s region (`us-east-2`, …).' }),
  }),
});

const GcpInput = builder.inputType('GcpExternalStorageInput', {
  description: 'A Google Cloud Storage bucket.',
  fields: (t) => ({
    projectNumber: t.string({
      required: true,
      description: 'The number of the Google Cloud project that holds the bucket.',
    }),
    bucketName: t.string({ required: true, description: 'The bucket’s name.' }),
    region: t.string({ required: true, description: 'The bucket’s region (`us-central1`, …).' }),
  }),
});

const ProviderConfigInput = builder.inputType('ExternalStorageProviderConfigInput', {
  description: 'Where a bucket is: exactly one of `aws` and `gcp`.',
  fields: (t) => ({
    aws: t.field({ type: AwsInput, description: 'An Amazon S3 bucket.' }),
    gcp: t.field({ type: GcpInput, description: 'A Google Cloud Storage bucket.' }),
  }),
});

builder.relayMutationField(
  'createExternalStorage',
  {
    description: 'Registers a bucket in the organization’s own cloud account as external storage.',
    inputFields: (t) => ({
      providerConfig: t.field({
        type: ProviderConfigInput,
        required: true,
        description: 'Where the bucket is: exactly one of `aws` and `gcp`.',
      }),
      displayName: t.string({ description: 'A name for people.' }),
      userProfileId: t.id({
        description:
          'The user profile to bind the storage to (uprof_…); it cannot change later, and only workspaces with that profile can attach it.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description: `Registers a bucket (POST /v1/organizations/external_storage). It is saved as PENDING_CONFIGURATION: \`activateExternalStorage\` verifies it. A bucket already registered is a CONFLICT userError. ${EXTERNAL_STORAGE_NOT_ENABLED_NOTE}`,
    resolve: async (_root, { input }, ctx) => {
      const { aws, gcp } = input.providerConfig;
      if ((aws == null) === (gcp == null)) {
        return inputError('Give exactly one of `aws` and `gcp`.', ['input', 'providerConfig']);
      }
      const body: ExternalStorageCreateBody = {
        provider_config: aws
          ? {
              type: 'aws',
              account_id: aws.accountId,
              bucket_name: aws.bucketName,
              region: aws.region,
            }
          : {
              type: 'gcp',
              project_number: (gcp as NonNullable<typeof gcp>).projectNumber,
              bucket_name: (gcp as NonNullable<typeof gcp>).bucketName,
              region: (gcp as NonNullable<typeof gcp>).region,
            },
        ...(input.displayName != null ? { display_name: input.displayName } : {}),
        ...(input.userProfileId != null ? { user_profile_id: input.userProfileId } : {}),
      };
      return storageMutation(() => createExternalStorage(ctx.api, body), {
        storage_already_registered: '',
      });
    },
  },
  resultPayload(
    'createExternalStorage',
    'externalStorage',
    ExternalStorage,
    'The new storage; null when none was registered.',
  ),
);

builder.relayMutationField(
  'updateExternalStorage',
  {
    description: 'Renames external storage or clears its name, in any lifecycle state.',
    inputFields: (t) => ({
      externalStorageId: t.id({ required: true, description: 'The storage (estrg_…).' }),
      displayName: t.string({
        description: 'The new name for people; null or left out clears it.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Renames external storage (POST /v1/organizations/external_storage/{id}); the name is the only thing that can change.',
    resolve: async (_root, { input }, ctx) =>
      storageMutation(() =>
        renameExternalStorage(ctx.api, input.externalStorageId, input.displayName ?? null),
      ),
  },
  resultPayload(
    'updateExternalStorage',
    'externalStorage',
    ExternalStorage,
    'The storage as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'activateExternalStorage',
  {
    description: 'Verifies pending external storage and makes it available.',
    inputFields: (t) => ({
      externalStorageId: t.id({ required: true, description: 'The storage (estrg_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Verifies PENDING_CONFIGURATION storage against its bucket and makes it AVAILABLE (POST /v1/organizations/external_storage/{id}/activate); storage in another state comes back unchanged, without a check. A failed verification is an INVALID_INPUT userError that says what to fix.',
    resolve: async (_root, { input }, ctx) =>
      storageMutation(() => activateExternalStorage(ctx.api, input.externalStorageId)),
  },
  resultPayload(
    'activateExternalStorage',
    'externalStorage',
    ExternalStorage,
    'The storage after activation; null when it failed.',
  ),
);

interface DeletePayload {
  externalStorageId: string;
  deletedId: string | null;
  /** Whether the Admin API refused the delete as the storage is active or draining. */
  refusedInUse: boolean;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'deleteExternalStorage',
  {
    description:
      'Deletes external storage. On DRAINING storage this may start a removal that cannot be undone.',
    inputFields: (t) => ({
      externalStorageId: t.id({ required: true, description: 'The storage (estrg_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Deletes external storage (DELETE /v1/organizations/external_storage/{id}). PENDING_CONFIGURATION and AVAILABLE storage (and ACTIVE storage never attached) is deleted at once. Otherwise the Admin API refuses with a message saying what to do next: a CONFLICT userError here. IRREVERSIBLE: on DRAINING storage that refused delete may have started removing the storage, which cannot be undone; it can then never be attached again, and a later delete finishes the removal. Ask for `removalStarted` (one more request, after a refusal only) to know whether that happened.',
    resolve: async (_root, { input }, ctx): Promise<DeletePayload> => {
      const outcome = await storageMutation(
        () => deleteExternalStorage(ctx.api, input.externalStorageId),
        {
          [STORAGE_IN_USE_ERROR_CODE]:
            'If `removalStarted` is true, its removal has begun and cannot be undone: delete it again later to finish.',
        },
      );
      return {
        externalStorageId: input.externalStorageId,
        deletedId: outcome.result?.id ?? null,
        refusedInUse: outcome.conflict === STORAGE_IN_USE_ERROR_CODE,
        userErrors: outcome.userErrors,
      };
    },
  },
  {
    description: 'The result of deleteExternalStorage.',
    outputFields: (t) => ({
      deletedExternalStorageId: t.id({
        nullable: true,
        description: 'The id of the deleted storage; null when it was not deleted.',
        resolve: (payload) => payload.deletedId,
      }),
      removalStarted: t.boolean({
        nullable: true,
        description:
          'When the delete was refused as the storage is active or draining: whether its irreversible removal has started (the storage read again, one request); null otherwise.',
        extensions: costExtension({ kind: 'reference', collection: 'externalStorage' }),
        resolve: async (payload, _args, ctx) => {
          if (!payload.refusedInUse) return null;
          const after = await ctx.loaders.externalStorage.load(payload.externalStorageId);
          if (!after) return null;
          return after.status.type === 'draining' && after.status.removal_started;
        },
      }),
      externalStorage: t.field({
        type: ExternalStorage,
        nullable: true,
        description:
          'When the delete was refused as the storage is active or draining: the storage as read again (shares its request with `removalStarted`); null otherwise.',
        extensions: costExtension({ kind: 'reference', collection: 'externalStorage' }),
        resolve: (payload, _args, ctx) =>
          payload.refusedInUse ? ctx.loaders.externalStorage.load(payload.externalStorageId) : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
