import { badUserInput } from '../lib/errors.js';
import type { AdminApiKey, ApiKeyListQuery } from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField, type ConnectionArgs } from '../lib/connection.js';
import { ApiKeyStatus } from '../lib/enums.js';
import type { GatewayContext } from '../context.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, isKnown, openEnum } from '../lib/open-enum.js';
import { Organization } from './organization.js';
import { DateTime } from '../lib/scalars.js';
import { User } from './user.js';
import { inputError, runMutation } from '../lib/user-error.js';
import { settleUpdateApiKey } from '../lib/settle.js';
import { Workspace } from './workspace.js';
import { resultPayload } from '../lib/payload.js';

export const ApiKey = builder.objectRef<AdminApiKey>('ApiKey');

/**
 * An actor of a key as the schema reads it: its creator (`{ id, type: 'user' | 'service_account' }`)
 * or its principal (`user_actor { user_id }` / `service_account_actor { service_account_id }`),
 * with `type` in the creator's vocabulary for both and `typeValue` as the Admin API reported it.
 */
export interface KeyActor {
  /** The user's or service account's id; empty for an actor kind this gateway does not know. */
  id: string;
  /** `user` or `service_account`; any other value as the Admin API reported it. */
  type: string;
  /** The actor's type exactly as the Admin API reported it (`user_actor` for a principal). */
  typeValue: string;
}

const PRINCIPAL_KINDS: Record<string, string> = {
  user_actor: 'user',
  service_account_actor: 'service_account',
};

export function creatorOf(key: AdminApiKey): KeyActor | null {
  const creator = key.created_by;
  return creator && { id: creator.id, type: creator.type, typeValue: creator.type };
}

export function principalOf(key: AdminApiKey): KeyActor | null {
  const principal = key.principal;
  if (!principal) return null;
  const typeValue: string = principal.type;
  const type = PRINCIPAL_KINDS[typeValue] ?? typeValue;
  if (principal.type === 'user_actor') return { id: principal.user_id, type, typeValue };
  if (principal.type === 'service_account_actor') {
    return { id: principal.service_account_id, type, typeValue };
  }
  return { id: '', type, typeValue };
}

/** The id of the workspace a key belongs to (the Default Workspace's real id for its keys). */
export function workspaceIdOf(key: AdminApiKey): string | null {
  return key.scope.type === 'workspace' ? key.scope.workspace_id : null;
}

const ApiKeyActorKind = openEnum(
  'ApiKeyActorKind',
  'What kind of actor created a key, or acts through it.',
  {
    user: 'A user of the organization.',
    service_account: 'A service account (svac_…).',
  },
);

const ApiKeyScope = openEnum('ApiKeyScope', 'Where an API key belongs.', {
  workspace: 'A workspace: the key’s `workspace` (the Default Workspace included).',
  organization:
    'The organization itself, with no workspace: only a key bound to a principal (a user or a service account) has this scope.',
});

export const ApiKeyActor = builder.objectRef<KeyActor>('ApiKeyActor').implement({
  description: 'Who created an API key, or whom it acts as: a user or a service account.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The actor’s id: the user’s (user_…) or the service account’s (svac_…), for a creator as the Admin API names it and for a principal from its user_id or service_account_id (since API version 2026-10-21 a principal names its user or service account this way).',
    }),
    type: t.exposeString('type', {
      description:
        'The kind of actor, "user" or "service_account" (a principal’s user_actor and service_account_actor are reported in these words too); see `kind`.',
    }),
    kind: t.field({
      type: ApiKeyActorKind.ref,
      description:
        'The kind of actor: USER or SERVICE_ACCOUNT (UNKNOWN for a kind this gateway does not know yet).',
      // The enum's values are its keys and UNKNOWN by construction (see enumFieldPair).
      resolve: (actor) => ApiKeyActorKind.fromUpstream(actor.type) as never,
    }),
    kindValue: t.exposeString('typeValue', {
      description:
        'The actor’s type exactly as the Admin API reports it: user_actor or service_account_actor for a principal, user or service_account for a creator.',
    }),
    userId: t.id({
      nullable: true,
      description: 'The user’s id (user_…) when the actor is a user; null otherwise.',
      resolve: (actor) => (actor.type === 'user' ? actor.id : null),
    }),
    serviceAccountId: t.id({
      nullable: true,
      description:
        'The service account’s id (svac_…) when the actor is a service account; null otherwise.',
      resolve: (actor) => (actor.type === 'service_account' ? actor.id : null),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The user, when the actor is a user that is still a member; null otherwise.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (actor, _args, ctx) =>
        actor.type === 'user' ? ctx.loaders.users.load(actor.id) : null,
    }),
  }),
});

builder.node(ApiKey, {
  authScopes: { apiKeysRead: true },
  description:
    'An API key. Keys are created in the Console; the Admin API never shows a key’s secret.',
  id: { resolve: (key) => key.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'api_key',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.apiKeys.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The key’s name.' }),
    status: t.field({
      type: ApiKeyStatus.ref,
      description: 'The key’s state.',
      resolve: (key) => ApiKeyStatus.fromUpstream(key.status),
    }),
    statusValue: t.exposeString('status', {
      description: 'The status exactly as the Admin API reports it, also when `status` is UNKNOWN.',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the key was created.',
      resolve: (key) => key.created_at,
    }),
    expiresAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the key expires; null when it never does.',
      resolve: (key) => key.expires_at,
    }),
    partialKeyHint: t.exposeString('partial_key_hint', {
      nullable: true,
      description: 'A redacted hint of the secret, such as sk-ant-api03-R2D...igAA.',
    }),
    workspaceId: t.id({
      nullable: true,
      description:
        'The id of the key’s workspace, the Default Workspace’s real id for its keys; null only for a key with no workspace (an organization-scoped key, see `scope`).',
      resolve: (key) => workspaceIdOf(key),
    }),
    workspace: t.field({
      type: Workspace,
      nullable: true,
      description:
        'The key’s workspace, the Default Workspace included (the same object as Organization.defaultWorkspace); null only for a key with no workspace (an organization-scoped key, see `scope`).',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: (key, _args, ctx) => {
        const workspaceId = workspaceIdOf(key);
        return workspaceId === null ? null : ctx.loaders.workspaces.load(workspaceId);
      },
    }),
    ...enumFieldPair(t, 'scope', ApiKeyScope, (key) => key.scope.type, {
      value:
        'Where the key belongs: WORKSPACE (its `workspace`) or ORGANIZATION (a principal-bound key with no workspace).',
      raw: 'The key’s scope type exactly as the Admin API reports it.',
    }),
    createdBy: t.field({
      type: ApiKeyActor,
      nullable: true,
      description:
        'Who created the key; null when not recorded (legacy, workload-identity-federated or system-created keys).',
      resolve: (key) => creatorOf(key),
    }),
    principal: t.field({
      type: ApiKeyActor,
      nullable: true,
      description:
        'Whom the key acts as (a user or a service account); null when it is bound to no principal.',
      resolve: (key) => principalOf(key),
    }),
  }),
});

export const ApiKeyConnection = builder.connectionObject(
  {
    type: ApiKey,
    name: 'ApiKeyConnection',
    description: 'A page of API keys.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'ApiKeyEdge', description: 'An API key and its cursor.' },
);

function statusFilter(status: string | null | undefined): string | undefined {
  if (status == null) return undefined;
  if (!isKnown(status)) {
    throw badUserInput('`status` cannot be UNKNOWN.', { argumentName: 'status' });
  }
  return status;
}

/** Resolves a page of API keys with the given filters, priming the key loader. */
function apiKeyConnection(args: ConnectionArgs, filters: ApiKeyListQuery, ctx: GatewayContext) {
  return resolveConnection(
    args,
    'apiKey',
    (page) => ctx.loaders.pages.apiKeys({ ...page, ...filters }),
    { wide: ctx.api.cachesReads },
  );
}

const statusArgDescription = 'Only keys with this status.';

builder.objectField(Organization, 'apiKeys', (t) =>
  t.connection(
    {
      type: ApiKey,
      description: 'The organization’s API keys, newest first (GET /v1/organizations/api_keys).',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      authScopes: { apiKeysRead: true },
      args: {
        status: t.arg({ type: ApiKeyStatus.ref, description: statusArgDescription }),
        workspaceId: t.arg.id({
          description:
            'Only keys of this workspace; the Default Workspace’s id selects its keys. Organization-scoped keys belong to no workspace and match none.',
        }),
        createdByUserId: t.arg.id({ description: 'Only keys this user created.' }),
      },
      resolve: (_organization, args, ctx) => {
        const status = statusFilter(args.status);
        return apiKeyConnection(
          args,
          {
            ...(status ? { status } : {}),
            ...(args.workspaceId != null
              ? { workspace_id: checkIdArgument('workspace', args.workspaceId, 'workspaceId') }
              : {}),
            ...(args.createdByUserId != null
              ? {
                  created_by_user_id: checkIdArgument(
                    'user',
                    args.createdByUserId,
                    'createdByUserId',
                  ),
                }
              : {}),
          },
          ctx,
        );
      },
    },
    ApiKeyConnection,
  ),
);

builder.objectField(Workspace, 'apiKeys', (t) =>
  t.connection(
    {
      type: ApiKey,
      description: 'The workspace’s API keys, newest first.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      authScopes: { apiKeysRead: true },
      args: { status: t.arg({ type: ApiKeyStatus.ref, description: statusArgDescription }) },
      resolve: (workspace, args, ctx) => {
        const status = statusFilter(args.status);
        return resolveConnection(
          args,
          'apiKey',
          (page) =>
            ctx.loaders.pages.workspaceApiKeys(workspace.id, {
              ...page,
              ...(status ? { status } : {}),
            }),
          { wide: ctx.api.cachesReads, narrowFirstPage: true },
        );
      },
    },
    ApiKeyConnection,
  ),
);

builder.objectField(User, 'apiKeys', (t) =>
  t.connection(
    {
      type: ApiKey,
      description: 'The API keys this user created, newest first.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      authScopes: { apiKeysRead: true },
      args: { status: t.arg({ type: ApiKeyStatus.ref, description: statusArgDescription }) },
      resolve: (user, args, ctx) => {
        const status = statusFilter(args.status);
        return resolveConnection(
          args,
          'apiKey',
          (page) =>
            ctx.loaders.pages.userApiKeys(user.id, { ...page, ...(status ? { status } : {}) }),
          { wide: ctx.api.cachesReads, narrowFirstPage: true },
        );
      },
    },
    ApiKeyConnection,
  ),
);

builder.queryField('apiKey', (t) =>
  t.field({
    type: ApiKey,
    nullable: true,
    description: 'An API key by id; null when no such key exists.',
    extensions: costExtension({ kind: 'reference', collection: 'apiKeys' }),
    authScopes: { apiKeysRead: true },
    args: { id: t.arg.id({ required: true, description: 'The API key id (apikey_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.apiKeys.load(checkIdArgument('apiKey', args.id, 'id')),
  }),
);

builder.relayMutationField(
  'updateApiKey',
  {
    description: 'Renames an API key or changes its status; fields left out stay as they are.',
    inputFields: (t) => ({
      apiKeyId: t.id({ required: true, description: 'The key to change (apikey_…).' }),
      name: t.string({ description: 'The new name.' }),
      status: t.field({
        type: ApiKeyStatus.ref,
        description:
          'The new status: ACTIVE, INACTIVE or ARCHIVED (archiving is final; EXPIRED cannot be set).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { apiKeysWrite: true },
    description:
      'Changes an API key (POST /v1/organizations/api_keys/{id}); only the fields given are sent.',
    resolve: async (_root, { input }, ctx) => {
      if (input.status === 'expired' || input.status === '__unknown__') {
        return inputError('The status can be set to ACTIVE, INACTIVE or ARCHIVED.', [
          'input',
          'status',
        ]);
      }
      if (input.name === '') return inputError('The name cannot be empty.', ['input', 'name']);
      const outcome = await runMutation(
        {
          ids: { apiKey: ['input', 'apiKeyId'] },
          notFound: ['input', 'apiKeyId'],
          body: { name: ['input', 'name'], status: ['input', 'status'] },
        },
        () =>
          ctx.api.updateApiKey(input.apiKeyId, {
            ...(input.name != null ? { name: input.name } : {}),
            ...(input.status != null ? { status: input.status } : {}),
          }),
        {
          settle: settleUpdateApiKey(ctx.api, input.apiKeyId, {
            ...(input.name != null ? { name: input.name } : {}),
            ...(input.status != null ? { status: input.status } : {}),
          }),
        },
      );
      return outcome;
    },
  },
  resultPayload(
    'updateApiKey',
    'apiKey',
    ApiKey,
    'The key as changed; null when the change failed.',
  ),
);
