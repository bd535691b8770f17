import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { UpstreamError } from '../../upstream/errors.js';
import {
  KEY_IN_USE_ERROR_CODE,
  VALIDATE_TIMEOUT_MS,
  createExternalKey,
  deleteExternalKey,
  updateExternalKey,
  validateExternalKey,
  type ExternalKeyCreateBody,
  type ExternalKeyUpdateBody,
  type ExternalKeyValidation,
} from '../../upstream/resources/external-keys.js';
import { resultPayload } from '../lib/payload.js';
import { ExternalKey } from '../nodes/external-key.js';

/*
 * Mutations of external keys (CMEK configurations). Each needs `write` and `data_controls:write`.
 * A key that workspaces reference cannot be deleted, nor its geography or provider settings
 * changed: that refusal is a CONFLICT userError on `externalKeyId` that says what to do.
 */

/** REST body fields as the Admin API names them in 400 messages, with their input paths. */
const BODY: Record<string, string[]> = {
  display_name: ['input', 'displayName'],
  geo: ['input', 'geo'],
  user_profile_id: ['input', 'userProfileId'],
  provider_config: ['input', 'providerConfig'],
  'provider_config.type': ['input', 'providerConfig'],
  'provider_config.kms_arn': ['input', 'providerConfig', 'aws', 'kmsArn'],
  'provider_config.region': ['input', 'providerConfig', 'aws', 'region'],
  'provider_config.role_arn': ['input', 'providerConfig', 'aws', 'roleArn'],
  'provider_config.key_name': ['input', 'providerConfig'],
  'provider_config.tenant_id': ['input', 'providerConfig', 'azure', 'tenantId'],
  'provider_config.vault_uri': ['input', 'providerConfig', 'azure', 'vaultUri'],
  'provider_config.client_id': ['input', 'providerConfig', 'azure', 'clientId'],
};

const ON_KEY: InputPaths = {
  ids: { externalKey: ['input', 'externalKeyId'] },
  notFound: (message) =>
    /user_profile/.test(message) ? ['input', 'userProfileId'] : ['input', 'externalKeyId'],
  body: BODY,
};

/** runMutation, with a refusal because workspaces reference the key made a CONFLICT. */
async function keyMutation<T>(
  write: () => Promise<T>,
): Promise<{ result: T | null; userErrors: UserErrorShape[] }> {
  let inUse: UpstreamError | null = null;
  const outcome = await runMutation(ON_KEY, async () => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UpstreamError && error.errorType === KEY_IN_USE_ERROR_CODE) {
        inUse = error;
        return null;
      }
      throw error;
    }
  });
  if (inUse) {
    const message = (inUse as UpstreamError).message;
    return {
      result: null,
      userErrors: [
        {
          message: `${message} (Workspaces still reference this external key: point them at another key first.)`,
          code: 'CONFLICT',
          field: ['input', 'externalKeyId'],
        },
      ],
    };
  }
  return outcome;
}

const AwsInput = builder.inputType('AwsKmsKeyInput', {
  description: 'A key in AWS Key Management Service (KMS).',
  fields: (t) => ({
    kmsArn: t.string({ required: true, description: 'The ARN of the KMS key or alias.' }),
    region: t.string({ description: 'The KMS region, when it is not the one in the ARN.' }),
    roleArn: t.string({ description: 'The IAM role Anthropic assumes to use the key.' }),
  }),
});

const GcpInput = builder.inputType('GcpKmsKeyInput', {
  description: 'A key in Google Cloud Key Management Service (Cloud KMS).',
  fields: (t) => ({
    keyName: t.string({
      required: true,
      description:
        'The key’s resource name: `projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}`.',
    }),
  }),
});

const AzureInput = builder.inputType('AzureKeyVaultKeyInput', {
  description: 'A key in Azure Key Vault.',
  fields: (t) => ({
    keyName: t.string({ required: true, description: 'The key’s name in the vault.' }),
    vaultUri: t.string({
      required: true,
      description: 'The Key Vault URI (`https://{vault}.vault.azure.net`).',
    }),
    tenantId: t.string({
      required: true,
      description: 'The Microsoft Entra tenant of the vault.',
    }),
    clientId: t.string({ description: 'The application (client) id Anthropic authenticates as.' }),
  }),
});

const ProviderConfigInput = builder.inputType('ExternalKeyProviderConfigInput', {
  description: 'Where an external key is: exactly one of `aws`, `gcp` and `azure`.',
  fields: (t) => ({
    aws: t.field({ type: AwsInput, description: 'A key in AWS KMS.' }),
    gcp: t.field({ type: GcpInput, description: 'A key in Google Cloud KMS.' }),
    azure: t.field({ type: AzureInput, description: 'A key in Azure Key Vault.' }),
  }),
});

type ProviderConfigArg = typeof ProviderConfigInput.$inferInput;
type ProviderConfigBody = ExternalKeyCreateBody['provider_config'];

/** The REST provider config of an input, or null when it does not name exactly one provider. */
function providerConfigBody(input: ProviderConfigArg): ProviderConfigBody | null {
  const given = [input.aws, input.gcp, input.azure].filter((value) => value != null);
  if (given.length !== 1) return null;
  if (input.aws) {
    return {
      type: 'aws',
      kms_arn: input.aws.kmsArn,
      ...(input.aws.region != null ? { region: input.aws.region } : {}),
      ...(input.aws.roleArn != null ? { role_arn: input.aws.roleArn } : {}),
    };
  }
  if (input.gcp) return { type: 'gcp', key_name: input.gcp.keyName };
  const azure = input.azure as NonNullable<ProviderConfigArg['azure']>;
  return {
    type: 'azure',
    key_name: azure.keyName,
    vault_uri: azure.vaultUri,
    tenant_id: azure.tenantId,
    ...(azure.clientId != null ? { client_id: azure.clientId } : {}),
  };
}

const ONE_PROVIDER = 'Give exactly one of `aws`, `gcp` and `azure`.';

builder.relayMutationField(
  'createExternalKey',
  {
    description: 'Registers a customer-managed encryption key (CMEK) configuration.',
    inputFields: (t) => ({
      providerConfig: t.field({
        type: ProviderConfigInput,
        required: true,
        description: 'Where the key is: exactly one of `aws`, `gcp` and `azure`.',
      }),
      displayName: t.string({ description: 'A name for people.' }),
      geo: t.string({ description: 'The geography the key serves (`us`, the default).' }),
      userProfileId: t.id({ description: 'The user profile the key belongs to (uprof_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Registers an external key configuration (POST /v1/organizations/external_keys). It is not checked against the KMS: run `validateExternalKey` before workspaces use it. Not available on Claude Platform on AWS.',
    resolve: async (_root, { input }, ctx) => {
      const providerConfig = providerConfigBody(input.providerConfig);
      if (!providerConfig) return inputError(ONE_PROVIDER, ['input', 'providerConfig']);
      if (input.geo != null && input.geo !== 'us') {
        return inputError('`geo` can only be `us`.', ['input', 'geo']);
      }
      const body: ExternalKeyCreateBody = {
        provider_config: providerConfig,
        ...(input.displayName != null ? { display_name: input.displayName } : {}),
        ...(input.geo != null ? { geo: 'us' as const } : {}),
        ...(input.userProfileId != null ? { user_profile_id: input.userProfileId } : {}),
      };
      return keyMutation(() => createExternalKey(ctx.api, body));
    },
  },
  resultPayload(
    'createExternalKey',
    'externalKey',
    ExternalKey,
    'The new configuration; null when none was created.',
  ),
);

builder.relayMutationField(
  'updateExternalKey',
  {
    description: 'Changes an external key configuration; only the fields given change.',
    inputFields: (t) => ({
      externalKeyId: t.id({ required: true, description: 'The configuration (ekey_…).' }),
      displayName: t.string({ description: 'A new name for people (always editable).' }),
      clearDisplayName: t.boolean({ description: 'True removes the name.' }),
      geo: t.string({
        description: 'A new geography (`us`); only while no workspace references the key.',
      }),
      providerConfig: t.field({
        type: ProviderConfigInput,
        description:
          'New provider settings; only while no workspace references the key, and never for a Google Cloud key’s provider or key name.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Changes an external key configuration (POST /v1/organizations/external_keys/{id}). Changing `geo` or `providerConfig` of a key that workspaces reference is a CONFLICT userError.',
    resolve: async (_root, { input }, ctx) => {
      let providerConfig: ProviderConfigBody | undefined;
      if (input.providerConfig != null) {
        const body = providerConfigBody(input.providerConfig);
        if (!body) return inputError(ONE_PROVIDER, ['input', 'providerConfig']);
        providerConfig = body;
      }
      if (input.geo != null && input.geo !== 'us') {
        return inputError('`geo` can only be `us`.', ['input', 'geo']);
      }
      if (input.clearDisplayName && input.displayName != null) {
        return inputError('Give `displayName` or `clearDisplayName`, not both.', [
          'input',
          'clearDisplayName',
        ]);
      }
      const body: ExternalKeyUpdateBody = {
        ...(input.displayName != null ? { display_name: input.displayName } : {}),
        ...(input.clearDisplayName ? { display_name: null } : {}),
        ...(input.geo != null ? { geo: 'us' as const } : {}),
        ...(providerConfig ? { provider_config: providerConfig } : {}),
      };
      if (Object.keys(body).length === 0) {
        return inputError('Give at least one field to change.', ['input']);
      }
      return keyMutation(() => updateExternalKey(ctx.api, input.externalKeyId, body));
    },
  },
  resultPayload(
    'updateExternalKey',
    'externalKey',
    ExternalKey,
    'The configuration as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'deleteExternalKey',
  {
    description: 'Deletes an external key configuration.',
    inputFields: (t) => ({
      externalKeyId: t.id({ required: true, description: 'The configuration (ekey_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description:
      'Deletes an external key configuration (DELETE /v1/organizations/external_keys/{id}). Refused while any workspace references it: a CONFLICT userError on `externalKeyId`; point those workspaces at another key first. The key in the KMS itself is not touched.',
    resolve: async (_root, { input }, ctx) =>
      keyMutation(() => deleteExternalKey(ctx.api, input.externalKeyId)),
  },
  {
    description: 'The result of deleteExternalKey.',
    outputFields: (t) => ({
      deletedExternalKeyId: t.id({
        nullable: true,
        description: 'The id of the deleted configuration; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

interface ValidatePayload {
  externalKeyId: string;
  result: ExternalKeyValidation | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'validateExternalKey',
  {
    description: 'Checks an external key against its KMS with an encrypt/decrypt round trip.',
    inputFields: (t) => ({
      externalKeyId: t.id({ required: true, description: 'The configuration (ekey_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { dataControlsWrite: true },
    description: `Runs an encrypt/decrypt round trip against the key’s KMS (POST /v1/organizations/external_keys/{id}/validate). The Admin API waits up to 30 s for the KMS, so this mutation may take that long: its upstream timeout is ${VALIDATE_TIMEOUT_MS / 1000} s or UPSTREAM_TIMEOUT_MS when longer, and it is never retried. Nothing about the configuration changes.`,
    resolve: async (_root, { input }, ctx): Promise<ValidatePayload> => {
      const outcome = await keyMutation(() => validateExternalKey(ctx.api, input.externalKeyId));
      return { ...outcome, externalKeyId: input.externalKeyId };
    },
  },
  {
    description: 'The result of validateExternalKey.',
    outputFields: (t) => ({
      valid: t.boolean({
        nullable: true,
        description: 'Whether the round trip succeeded; null when no check ran (see `userErrors`).',
        resolve: (payload) => (payload.result ? payload.result.status === 'success' : null),
      }),
      error: t.string({
        nullable: true,
        description:
          'Why the round trip failed or timed out, as the Admin API says; null when it succeeded or did not run.',
        resolve: (payload) => payload.result?.error ?? null,
      }),
      externalKey: t.field({
        type: ExternalKey,
        nullable: true,
        description: 'The configuration checked (read when asked for); null when no check ran.',
        extensions: costExtension({ kind: 'reference', collection: 'externalKeys' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.externalKeys.load(payload.externalKeyId) : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
