import { GraphQLError } from 'graphql';
import type {
  AdminDataResidency,
  AdminWorkspace,
  DataResidencyInput,
} from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField } from '../lib/connection.js';
import { checkIdArgument } from '../lib/lookup.js';
import { Organization } from './organization.js';
import { DateTime } from '../lib/scalars.js';
import { inputError, runMutation, type UserErrorShape } from '../lib/user-error.js';
import {
  settleArchiveWorkspace,
  settleCreateWorkspace,
  settleUpdateWorkspace,
} from '../lib/settle.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

export const Workspace = builder.objectRef<AdminWorkspace>('Workspace');

/** Finding the Default Workspace: a walk of two workspace lists, once per operation. */
const DEFAULT_WORKSPACE_COST = { kind: 'once', key: 'defaultWorkspace', requests: 2 } as const;

const WorkspaceTag = builder.objectRef<{ key: string; value: string }>('WorkspaceTag').implement({
  description: 'A user-defined tag of a workspace.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The tag’s key.' }),
    value: t.exposeString('value', { description: 'The tag’s value.' }),
  }),
});

const DataResidency = builder.objectRef<AdminDataResidency>('DataResidency').implement({
  description: 'Where a workspace’s data is stored and where its inference may run.',
  fields: (t) => ({
    workspaceGeo: t.exposeString('workspace_geo', {
      description: 'Where the workspace’s data is stored (fixed at creation; "us").',
    }),
    defaultInferenceGeo: t.exposeString('default_inference_geo', {
      description: 'The inference geo used when a request names none ("global" or "us").',
    }),
    allowedInferenceGeos: t.stringList({
      nullable: true,
      description: 'The inference geos requests may use; null when every geo is allowed.',
      resolve: (residency) =>
        residency.allowed_inference_geos === 'unrestricted'
          ? null
          : residency.allowed_inference_geos,
    }),
    unrestrictedInferenceGeos: t.boolean({
      description: 'Whether requests may use every inference geo.',
      resolve: (residency) => residency.allowed_inference_geos === 'unrestricted',
    }),
  }),
});

builder.node(Workspace, {
  description:
    'A workspace: a unit of API keys, members, limits and spend. The Default Workspace is a workspace with its own id too: lists show it only when asked (`includeDefault`), and Organization.defaultWorkspace finds it.',
  id: { resolve: (workspace) => workspace.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'workspace',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.workspaces.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The workspace’s name.' }),
    displayColor: t.exposeString('display_color', {
      description: 'The hex colour the Console shows for the workspace, such as #6C5BB9.',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the workspace was created.',
      resolve: (workspace) => workspace.created_at,
    }),
    archivedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the workspace was archived; null while it is active.',
      resolve: (workspace) => workspace.archived_at,
    }),
    isArchived: t.boolean({
      description: 'Whether the workspace is archived (archiving is irreversible).',
      resolve: (workspace) => workspace.archived_at !== null,
    }),
    tags: t.field({
      type: [WorkspaceTag],
      description: 'User-defined tags, sorted by key.',
      resolve: (workspace) =>
        Object.entries(workspace.tags ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([key, value]) => ({ key, value })),
    }),
    dataResidency: t.field({
      type: DataResidency,
      description: 'Where the workspace’s data is stored and where its inference may run.',
      resolve: (workspace) => workspace.data_residency,
    }),
    externalKeyId: t.exposeString('external_key_id', {
      nullable: true,
      description: 'The customer-managed encryption key configuration (ekey_…), if any.',
    }),
    compartmentId: t.exposeString('compartment_id', {
      description: 'The UUID of the workspace’s encryption compartment (for CMEK key policies).',
    }),
    userProfileId: t.exposeID('user_profile_id', {
      nullable: true,
      description:
        'The user profile the workspace’s requests are attributed to, if any; the Default Workspace never has one.',
    }),
    isDefault: t.boolean({
      description:
        'Whether this is the organization’s Default Workspace (found as Organization.defaultWorkspace is: two workspace list requests once per operation, whatever the number of workspaces asked).',
      extensions: costExtension(DEFAULT_WORKSPACE_COST),
      resolve: async (workspace, _args, ctx) =>
        (await ctx.loaders.defaultWorkspace())?.id === workspace.id,
    }),
  }),
});

builder.objectField(Organization, 'defaultWorkspace', (t) =>
  t.field({
    type: Workspace,
    description:
      'The organization’s Default Workspace, with its real id (the workspace its keys name). No field of the Admin API marks it: it is the workspace that GET /v1/organizations/workspaces lists with include_default=true and not without, which costs a walk of both lists (two requests while the organization has up to 1000 workspaces), once per operation and cached like other lists. An error (UPSTREAM_ERROR) when the Admin API lists none, which it should never do.',
    extensions: costExtension(DEFAULT_WORKSPACE_COST),
    resolve: async (_organization, _args, ctx) => {
      const found = await ctx.loaders.defaultWorkspace();
      if (!found) {
        throw new GraphQLError(
          'The Admin API lists no Default Workspace: GET /v1/organizations/workspaces shows no workspace with include_default=true that it does not show without.',
          { extensions: { code: 'UPSTREAM_ERROR' } },
        );
      }
      return found;
    },
  }),
);

export const WorkspaceConnection = builder.connectionObject(
  {
    type: Workspace,
    name: 'WorkspaceConnection',
    description: 'A page of workspaces.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'WorkspaceEdge', description: 'A workspace and its cursor.' },
);

builder.objectField(Organization, 'workspaces', (t) =>
  t.connection(
    {
      type: Workspace,
      description:
        'The organization’s workspaces, newest first (GET /v1/organizations/workspaces). The Default Workspace is listed only with `includeDefault`.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeArchived: t.arg.boolean({
          defaultValue: false,
          description: 'Whether archived workspaces are listed too.',
        }),
        includeDefault: t.arg.boolean({
          defaultValue: false,
          description:
            'Whether the Default Workspace is listed too (where the Admin API places it; see Workspace.isDefault).',
        }),
      },
      resolve: (_organization, args, ctx) =>
        resolveConnection(
          args,
          'workspace',
          (page) =>
            ctx.loaders.pages.workspaces({
              ...page,
              include_archived: args.includeArchived ?? false,
              ...(args.includeDefault ? { include_default: true } : {}),
            }),
          { wide: ctx.api.cachesReads },
        ),
    },
    WorkspaceConnection,
  ),
);

builder.queryField('workspace', (t) =>
  t.field({
    type: Workspace,
    nullable: true,
    description:
      'A workspace by id, the Default Workspace and archived ones included; null when no such workspace exists.',
    extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
    args: { id: t.arg.id({ required: true, description: 'The workspace id (wrkspc_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.workspaces.load(checkIdArgument('workspace', args.id, 'id')),
  }),
);

// Inputs

const InferenceGeo = builder.enumType('InferenceGeo', {
  description: 'A geography inference may run in.',
  values: {
    GLOBAL: { value: 'global', description: 'Anywhere.' },
    US: { value: 'us', description: 'The United States.' },
  } as const,
});

const WorkspaceGeo = builder.enumType('WorkspaceGeo', {
  description: 'A geography workspace data may be stored in.',
  values: { US: { value: 'us', description: 'The United States.' } } as const,
});

const WorkspaceTagInput = builder.inputType('WorkspaceTagInput', {
  description: 'A tag to set on a workspace.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The key; it must not begin with "anthropic".' }),
    value: t.string({ required: true, description: 'The value.' }),
  }),
});

const DataResidencyFields = {
  allowedInferenceGeos: 'The inference geos requests may use.',
  unrestrictedInferenceGeos: 'Allow every inference geo (instead of allowedInferenceGeos).',
  defaultInferenceGeo: 'The geo used when a request names none; must be allowed.',
};

const CreateDataResidencyInput = builder.inputType('CreateDataResidencyInput', {
  description: 'Data residency of a new workspace; what is left out takes the Admin API’s default.',
  fields: (t) => ({
    workspaceGeo: t.field({
      type: WorkspaceGeo,
      description: 'Where the data is stored (default US); it cannot change later.',
    }),
    allowedInferenceGeos: t.field({
      type: [InferenceGeo],
      description: DataResidencyFields.allowedInferenceGeos,
    }),
    unrestrictedInferenceGeos: t.boolean({
      description: `${DataResidencyFields.unrestrictedInferenceGeos} The default.`,
    }),
    defaultInferenceGeo: t.field({
      type: InferenceGeo,
      description: `${DataResidencyFields.defaultInferenceGeo} Default GLOBAL.`,
    }),
  }),
});

const UpdateDataResidencyInput = builder.inputType('UpdateDataResidencyInput', {
  description: 'Changes to a workspace’s data residency; what is left out stays as it is.',
  fields: (t) => ({
    allowedInferenceGeos: t.field({
      type: [InferenceGeo],
      description: DataResidencyFields.allowedInferenceGeos,
    }),
    unrestrictedInferenceGeos: t.boolean({
      description: DataResidencyFields.unrestrictedInferenceGeos,
    }),
    defaultInferenceGeo: t.field({
      type: InferenceGeo,
      description: DataResidencyFields.defaultInferenceGeo,
    }),
  }),
});

interface DataResidencyArgs {
  workspaceGeo?: string | null;
  allowedInferenceGeos?: readonly string[] | null;
  unrestrictedInferenceGeos?: boolean | null;
  defaultInferenceGeo?: string | null;
}

type Checked<T> = { value: T; error?: undefined } | { value?: undefined; error: UserErrorShape };

const invalid = (message: string, field: string[]): { error: UserErrorShape } => ({
  error: { message, code: 'INVALID_INPUT', field },
});

/** The REST `data_residency` object for the given input, leaving out what was left out. */
function dataResidencyBody(input: DataResidencyArgs): Checked<DataResidencyInput> {
  const field = ['input', 'dataResidency'];
  if (input.unrestrictedInferenceGeos && input.allowedInferenceGeos) {
    return invalid(
      'Give allowedInferenceGeos or unrestrictedInferenceGeos: true, not both.',
      field,
    );
  }
  if (input.unrestrictedInferenceGeos === false && !input.allowedInferenceGeos) {
    return invalid('unrestrictedInferenceGeos: false needs allowedInferenceGeos.', field);
  }
  const body: DataResidencyInput = {};
  if (input.workspaceGeo) body.workspace_geo = input.workspaceGeo;
  if (input.allowedInferenceGeos) body.allowed_inference_geos = [...input.allowedInferenceGeos];
  if (input.unrestrictedInferenceGeos) body.allowed_inference_geos = 'unrestricted';
  if (input.defaultInferenceGeo) body.default_inference_geo = input.defaultInferenceGeo;
  return { value: body };
}

/** The REST `tags` map for the given input: the whole map, replacing the workspace's tags. */
function tagsBody(
  tags: readonly { key: string; value: string }[],
): Checked<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const { key, value } of tags) {
    if (key.toLowerCase().startsWith('anthropic')) {
      return invalid(`Tag key "${key}" is reserved: keys must not begin with "anthropic".`, [
        'input',
        'tags',
      ]);
    }
    if (key in map) return invalid(`Tag key "${key}" is given twice.`, ['input', 'tags']);
    map[key] = value;
  }
  return { value: map };
}

const BODY_PATHS = {
  name: ['input', 'name'],
  tags: ['input', 'tags'],
  data_residency: ['input', 'dataResidency'],
  allowed_inference_geos: ['input', 'dataResidency', 'allowedInferenceGeos'],
  default_inference_geo: ['input', 'dataResidency', 'defaultInferenceGeo'],
};

const workspacePayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'workspace', Workspace, description);

type WorkspacePayload = Outcome<AdminWorkspace>;

builder.relayMutationField(
  'createWorkspace',
  {
    description: 'Creates a workspace.',
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'The workspace’s name.' }),
      tags: t.field({
        type: [WorkspaceTagInput],
        description: 'Tags to set (none when left out).',
      }),
      dataResidency: t.field({
        type: CreateDataResidencyInput,
        description: 'Data residency; left out, the Admin API’s defaults apply.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { workspacesWrite: true },
    description: 'Creates a workspace (POST /v1/organizations/workspaces).',
    resolve: async (_root, { input }, ctx): Promise<WorkspacePayload> => {
      const tags = input.tags ? tagsBody(input.tags) : undefined;
      if (tags?.error) return { result: null, userErrors: [tags.error] };
      const residency = input.dataResidency ? dataResidencyBody(input.dataResidency) : undefined;
      if (residency?.error) return { result: null, userErrors: [residency.error] };
      const outcome = await runMutation(
        { body: BODY_PATHS },
        () =>
          ctx.api.createWorkspace({
            name: input.name,
            ...(tags ? { tags: tags.value } : {}),
            ...(residency ? { data_residency: residency.value } : {}),
          }),
        {
          settle: settleCreateWorkspace(ctx.api, {
            name: input.name,
            ...(tags ? { tags: tags.value } : {}),
          }),
        },
      );
      return outcome;
    },
  },
  workspacePayload('createWorkspace', 'The new workspace; null when none was created.'),
);

builder.relayMutationField(
  'updateWorkspace',
  {
    description: 'Changes a workspace; fields left out stay as they are.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace to change (wrkspc_…).' }),
      name: t.string({ description: 'The new name.' }),
      tags: t.field({
        type: [WorkspaceTagInput],
        description: 'The new tags: they replace all current tags ([] removes them all).',
      }),
      dataResidency: t.field({
        type: UpdateDataResidencyInput,
        description: 'Changes to data residency.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { workspacesWrite: true },
    description:
      'Changes a workspace (POST /v1/organizations/workspaces/{id}); only the fields given are sent.',
    resolve: async (_root, { input }, ctx): Promise<WorkspacePayload> => {
      if (input.name === null) return inputError('name cannot be null.', ['input', 'name']);
      const tags = input.tags ? tagsBody(input.tags) : undefined;
      if (tags?.error) return { result: null, userErrors: [tags.error] };
      const residency = input.dataResidency ? dataResidencyBody(input.dataResidency) : undefined;
      if (residency?.error) return { result: null, userErrors: [residency.error] };
      const outcome = await runMutation(
        {
          body: BODY_PATHS,
          ids: { workspace: ['input', 'workspaceId'] },
          notFound: ['input', 'workspaceId'],
        },
        () =>
          ctx.api.updateWorkspace(input.workspaceId, {
            ...(input.name != null ? { name: input.name } : {}),
            ...(tags ? { tags: tags.value } : {}),
            ...(residency ? { data_residency: residency.value } : {}),
          }),
        {
          settle: settleUpdateWorkspace(ctx.api, input.workspaceId, {
            ...(input.name != null ? { name: input.name } : {}),
            ...(tags ? { tags: tags.value } : {}),
          }),
        },
      );
      return outcome;
    },
  },
  workspacePayload('updateWorkspace', 'The workspace as changed; null when the change failed.'),
);

builder.relayMutationField(
  'archiveWorkspace',
  {
    description: 'Archives a workspace for good.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace to archive (wrkspc_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { workspacesWrite: true },
    description:
      'Archives a workspace (POST /v1/organizations/workspaces/{id}/archive). Irreversible: it also revokes every API key of the workspace. The Default Workspace cannot be archived.',
    resolve: async (_root, { input }, ctx): Promise<WorkspacePayload> => {
      const outcome = await runMutation(
        { ids: { workspace: ['input', 'workspaceId'] }, notFound: ['input', 'workspaceId'] },
        () => ctx.api.archiveWorkspace(input.workspaceId),
        { settle: settleArchiveWorkspace(ctx.api, input.workspaceId) },
      );
      return outcome;
    },
  },
  workspacePayload('archiveWorkspace', 'The archived workspace; null when nothing was archived.'),
);
