import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { inputError, runMutation, type InputPaths } from '../lib/user-error.js';
import {
  PROJECT_NUMBER,
  updateGoogleDataControls,
  type GoogleDataControlsUpdateBody,
} from '../../upstream/resources/google-data-controls.js';
import { GoogleDataControls } from '../nodes/google-data-controls.js';
import { resultPayload } from '../lib/payload.js';

/*
 * The mutation of Google data controls. It needs `write` and `data_controls:write`, and upstream
 * a credential that identifies a user or a service account: the caller's OAuth bearer token, or
 * the gateway's ANTHROPIC_OAUTH_TOKEN; an Admin API key is refused by the Admin API (403), so
 * without an OAuth token the field fails with CREDENTIAL_MISSING and no request is made.
 */

const BODY: Record<string, string[]> = {
  cmek: ['input', 'cmek'],
  'cmek.external_key_ids': ['input', 'cmek', 'externalKeys'],
  storage: ['input', 'storage'],
  'storage.buckets': ['input', 'storage', 'buckets'],
  project_number: ['input', 'projectNumber'],
};

const PATHS: InputPaths = {
  ids: { externalKey: ['input', 'cmek', 'externalKeys'] },
  notFound: (message) =>
    /external.?key/i.test(message) ? ['input', 'cmek', 'externalKeys'] : ['input', 'projectNumber'],
  body: BODY,
};

const RegionKeyInput = builder.inputType('GoogleRegionKeyInput', {
  description: 'The external key to use in one region.',
  fields: (t) => ({
    region: t.string({
      required: true,
      description: 'The region code (`us`, `eu`, `sg`, `global`, …).',
    }),
    externalKeyId: t.id({
      description: 'A Google Cloud KMS external key (ekey_…); null removes the region’s key.',
    }),
  }),
});

const CmekInput = builder.inputType('GoogleCmekControlInput', {
  description: 'The customer-managed encryption key control: on or off, and keys per region.',
  fields: (t) => ({
    enabled: t.boolean({ required: true, description: 'Whether the control is on.' }),
    externalKeys: t.field({
      type: [RegionKeyInput],
      description:
        'Keys to set or remove per region (only while on); regions left out keep theirs. While on, at least one region must have a key.',
    }),
  }),
});

const BucketReferenceInput = builder.inputType('GoogleBucketReferenceInput', {
  description: 'A Cloud Storage bucket, by its project and its own name.',
  fields: (t) => ({
    bucketName: t.string({ required: true, description: 'The bucket’s name.' }),
    projectNumber: t.string({
      required: true,
      description: 'The number of the Google Cloud project that holds it.',
    }),
  }),
});

const RegionBucketInput = builder.inputType('GoogleRegionBucketInput', {
  description: 'The bucket to use in one region.',
  fields: (t) => ({
    region: t.string({
      required: true,
      description: 'The region code (`us`, `eu`, `sg`, `global`, …).',
    }),
    bucket: t.field({
      type: BucketReferenceInput,
      description: 'The bucket; null removes the region’s bucket.',
    }),
  }),
});

const StorageInput = builder.inputType('GoogleStorageControlInput', {
  description: 'The customer-owned storage control: on or off, and buckets per region.',
  fields: (t) => ({
    enabled: t.boolean({ required: true, description: 'Whether the control is on.' }),
    buckets: t.field({
      type: [RegionBucketInput],
      description:
        'Buckets to set or remove per region (only while on); regions left out keep theirs. While on, at least one region must have a bucket.',
    }),
  }),
});

builder.relayMutationField(
  'updateGoogleDataControls',
  {
    description:
      'Turns a Google Cloud project’s encryption key or storage control on or off, or changes the key or bucket of regions.',
    inputFields: (t) => ({
      projectNumber: t.string({
        required: true,
        description: 'The Google Cloud project number, in decimal.',
      }),
      cmek: t.field({
        type: CmekInput,
        description: 'The encryption key control; left out, it stays as it is.',
      }),
      storage: t.field({
        type: StorageInput,
        description: 'The storage control; left out, it stays as it is.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Changes a project’s data controls (POST /v1/organizations/providers/google/projects/{project_number}/data_controls, beta `google-managed-data-controls-2026-09-01`); what is left out stays. The organization must have proved it owns the project, and only one organization at a time can have controls on for it. Needs a credential that identifies a user or a service account: the caller’s OAuth token (`org:admin`) or the gateway’s ANTHROPIC_OAUTH_TOKEN; an Admin API key is refused, so without an OAuth token this fails with CREDENTIAL_MISSING before any request.',
    resolve: async (_root, { input }, ctx) => {
      if (!PROJECT_NUMBER.test(input.projectNumber)) {
        return inputError(
          '`projectNumber` must be a Google Cloud project number (decimal digits).',
          ['input', 'projectNumber'],
        );
      }
      if (!input.cmek && !input.storage) {
        return inputError('Give `cmek`, `storage`, or both.', ['input']);
      }
      const body: GoogleDataControlsUpdateBody = {};
      if (input.cmek) {
        if (!input.cmek.enabled) {
          if (input.cmek.externalKeys?.length) {
            return inputError('`externalKeys` goes with `enabled: true`.', [
              'input',
              'cmek',
              'externalKeys',
            ]);
          }
          body.cmek = { type: 'disabled' };
        } else {
          const entries = input.cmek.externalKeys ?? [];
          const bad = entries.find(
            (entry) => entry.externalKeyId != null && !isId('externalKey', entry.externalKeyId),
          );
          if (bad) {
            return inputError(
              `${JSON.stringify(String(bad.externalKeyId).slice(0, 100))} is not an external key id (ekey_…).`,
              ['input', 'cmek', 'externalKeys'],
            );
          }
          const keys: Record<string, string | null> = {};
          for (const entry of entries) keys[entry.region] = entry.externalKeyId ?? null;
          body.cmek = {
            type: 'enabled',
            ...(input.cmek.externalKeys ? { external_key_ids: keys } : {}),
          };
        }
      }
      if (input.storage) {
        if (!input.storage.enabled) {
          if (input.storage.buckets?.length) {
            return inputError('`buckets` goes with `enabled: true`.', [
              'input',
              'storage',
              'buckets',
            ]);
          }
          body.storage = { type: 'disabled' };
        } else {
          const buckets: Record<string, { bucket_name: string; project_number: string } | null> =
            {};
          for (const entry of input.storage.buckets ?? []) {
            if (entry.bucket && !PROJECT_NUMBER.test(entry.bucket.projectNumber)) {
              return inputError('A bucket’s `projectNumber` must be decimal digits.', [
                'input',
                'storage',
                'buckets',
              ]);
            }
            buckets[entry.region] = entry.bucket
              ? { bucket_name: entry.bucket.bucketName, project_number: entry.bucket.projectNumber }
              : null;
          }
          body.storage = {
            type: 'enabled',
            ...(input.storage.buckets ? { buckets } : {}),
          };
        }
      }
      return runMutation(PATHS, () => updateGoogleDataControls(ctx.api, input.projectNumber, body));
    },
  },
  resultPayload(
    'updateGoogleDataControls',
    'googleDataControls',
    GoogleDataControls,
    'The project’s controls as changed; null when the change failed.',
  ),
);
