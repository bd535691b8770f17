import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import { Workspace } from './workspace.js';
import {
  listExternalKeys,
  type ExternalKey as AdminExternalKey,
  type ExternalKeyProviderConfig,
} from '../../upstream/resources/external-keys.js';

/*
 * External keys: the organization's customer-managed encryption key (CMEK) configurations, keys
 * in the customer's own KMS (AWS KMS, Google Cloud KMS or Azure Key Vault) that workspaces
 * encrypt with through `externalKeyId`. Mutations are in src/graphql/mutations/external-keys.ts.
 */

export const ExternalKeyProvider = openEnum(
  'ExternalKeyProvider',
  'The key management service an external key lives in.',
  {
    aws: 'AWS Key Management Service (KMS).',
    gcp: 'Google Cloud Key Management Service (Cloud KMS).',
    azure: 'Azure Key Vault.',
  },
);

const ExternalKeyProviderConfigRef = builder
  .objectRef<ExternalKeyProviderConfig>('ExternalKeyProviderConfig')
  .implement({
    description:
      'Where an external key is and how Anthropic reaches it; which fields are set depends on `provider`.',
    fields: (t) => ({
      provider: t.field({
        type: ExternalKeyProvider.ref,
        description: 'The key management service.',
        resolve: (config) => ExternalKeyProvider.fromUpstream(config.type) as never,
      }),
      providerValue: t.string({
        description:
          'The provider exactly as the Admin API reports it, also when `provider` is UNKNOWN.',
        resolve: (config) => config.type,
      }),
      kmsArn: t.string({
        nullable: true,
        description: 'AWS: the ARN of the KMS key or alias; null for other providers.',
        resolve: (config) => (config.type === 'aws' ? config.kms_arn : null),
      }),
      region: t.string({
        nullable: true,
        description:
          'AWS: the KMS region, when it is not the one in the ARN; null otherwise and for other providers.',
        resolve: (config) => (config.type === 'aws' ? (config.region ?? null) : null),
      }),
      roleArn: t.string({
        nullable: true,
        description:
          'AWS: the IAM role Anthropic assumes to use the key, when one is set; null for other providers.',
        resolve: (config) => (config.type === 'aws' ? (config.role_arn ?? null) : null),
      }),
      keyName: t.string({
        nullable: true,
        description:
          'Google Cloud: the key’s resource name (`projects/…/cryptoKeys/…`); Azure: the key’s name in the vault; null for AWS.',
        resolve: (config) => (config.type === 'aws' ? null : config.key_name),
      }),
      vaultUri: t.string({
        nullable: true,
        description: 'Azure: the Key Vault URI; null for other providers.',
        resolve: (config) => (config.type === 'azure' ? config.vault_uri : null),
      }),
      tenantId: t.string({
        nullable: true,
        description: 'Azure: the Microsoft Entra tenant of the vault; null for other providers.',
        resolve: (config) => (config.type === 'azure' ? config.tenant_id : null),
      }),
      clientId: t.string({
        nullable: true,
        description:
          'Azure: the application (client) id Anthropic authenticates as, when one is set; null for other providers.',
        resolve: (config) => (config.type === 'azure' ? (config.client_id ?? null) : null),
      }),
    }),
  });

export const ExternalKey = builder.objectRef<AdminExternalKey>('ExternalKey');

builder.node(ExternalKey, {
  description:
    'A customer-managed encryption key (CMEK) configuration of the organization: a key in the customer’s own KMS that workspaces referencing it encrypt their data with.',
  id: { resolve: (key) => key.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'external_key',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.externalKeys.load(id)),
  fields: (t) => ({
    displayName: t.string({
      nullable: true,
      description: 'A name for people; null when none was set.',
      resolve: (key) => key.display_name,
    }),
    geo: t.exposeString('geo', {
      description: 'The geography the key serves (`us`).',
    }),
    providerConfig: t.field({
      type: ExternalKeyProviderConfigRef,
      description: 'Where the key is and how Anthropic reaches it.',
      resolve: (key) => key.provider_config,
    }),
    attached: t.boolean({
      description:
        'Whether a workspace references the key. While one does, the key cannot be deleted, and its `geo` and provider settings cannot change.',
      resolve: (key) => key.attachment.type === 'attached',
    }),
    userProfileId: t.exposeID('user_profile_id', {
      nullable: true,
      description: 'The user profile the key belongs to (uprof_…); null for none.',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the configuration was created.',
      resolve: (key) => key.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the configuration last changed.',
      resolve: (key) => key.updated_at,
    }),
  }),
});

export const ExternalKeyConnection = builder.connectionObject(
  {
    type: ExternalKey,
    name: 'ExternalKeyConnection',
    description: 'A page of external keys. Pages forward only (`first`/`after`).',
  },
  { name: 'ExternalKeyEdge', description: 'An external key and its cursor.' },
);

const KEY_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'external key',
  list: 'external key list',
};

builder.objectField(Organization, 'externalKeys', (t) =>
  t.connection(
    {
      type: ExternalKey,
      description:
        'The organization’s customer-managed encryption key (CMEK) configurations, newest first (GET /v1/organizations/external_keys). `first` is 1–1000 (default 20); forward only. Not available on Claude Platform on AWS.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: async (_organization, args, ctx) => {
        const connection = await resolveReportConnection(args, {}, KEY_PAGES, (query) =>
          listExternalKeys(ctx.api, query),
        );
        for (const { node } of connection.edges) ctx.loaders.externalKeys.prime(node.id, node);
        return connection;
      },
    },
    ExternalKeyConnection,
  ),
);

builder.objectField(Workspace, 'externalKey', (t) =>
  t.field({
    type: ExternalKey,
    nullable: true,
    description:
      'The customer-managed encryption key configuration the workspace encrypts with (`externalKeyId`); null when it has none.',
    extensions: costExtension({ kind: 'reference', collection: 'externalKeys' }),
    resolve: (workspace, _args, ctx) =>
      workspace.external_key_id ? ctx.loaders.externalKeys.load(workspace.external_key_id) : null,
  }),
);

builder.queryField('externalKey', (t) =>
  t.field({
    type: ExternalKey,
    nullable: true,
    description:
      'A customer-managed encryption key configuration by id; null when no such configuration exists.',
    extensions: costExtension({ kind: 'reference', collection: 'externalKeys' }),
    args: {
      id: t.arg.id({ required: true, description: 'The external key id (ekey_…).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.externalKeys.load(checkIdArgument('externalKey', args.id, 'id')),
  }),
);

// A federation entity keyed by its id, resolved through the request's loaders.
builder.asEntity(ExternalKey, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isId('externalKey', id)) return null;
    const found = await ctx.loaders.externalKeys.load(id);
    return found && { ...found };
  },
});
