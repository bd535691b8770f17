import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  createdSince,
  inputError,
  isNotFound,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { WorkspaceRole } from '../lib/enums.js';
import { isKnown } from '../lib/open-enum.js';
import type { AdminApi } from '../../upstream/admin-api.js';
import {
  addServiceAccountToWorkspace,
  archiveServiceAccount,
  createServiceAccount,
  getServiceAccount,
  getWorkspaceServiceAccount,
  listServiceAccounts,
  removeServiceAccountFromWorkspace,
  updateServiceAccount,
  updateWorkspaceServiceAccount,
  type BetaServiceAccount,
  type BetaServiceAccountWorkspaceMember,
  type ServiceAccountRemoval,
  type ServiceAccountWorkspaceRole,
} from '../../upstream/resources/service-accounts.js';
import {
  ServiceAccount,
  ServiceAccountOrganizationRole,
  ServiceAccountWorkspaceMember,
} from '../nodes/service-account.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

/*
 * Mutations of service accounts and their workspace memberships. Each needs `write` and
 * `service_accounts:write`, and goes upstream with an OAuth access token (`org:admin`) only:
 * without one the field fails with CREDENTIAL_MISSING and nothing is sent.
 */

const SCOPES = { serviceAccountsWrite: true } as const;

const ACCOUNT_BODY: Record<string, string[]> = {
  name: ['input', 'name'],
  description: ['input', 'description'],
  organization_role: ['input', 'organizationRole'],
};

const ON_ACCOUNT: InputPaths = {
  ids: { serviceAccount: ['input', 'serviceAccountId'] },
  notFound: ['input', 'serviceAccountId'],
  body: ACCOUNT_BODY,
};

const ON_MEMBERSHIP: InputPaths = {
  ids: { serviceAccount: ['input', 'serviceAccountId'], workspace: ['input', 'workspaceId'] },
  // The Admin API's 404 names the workspace or the service account (or the membership).
  notFound: (message) =>
    /\bworkspace\b/i.test(message) && !/\bservice account\b/i.test(message)
      ? ['input', 'workspaceId']
      : ['input', 'serviceAccountId'],
  body: {
    workspace_role: ['input', 'role'],
    workspace_id: ['input', 'workspaceId'],
    service_account_id: ['input', 'serviceAccountId'],
  },
};

/** The raw role to send, or a user error for roles a service account cannot be given. */
function memberRole(
  role: string,
): { value: ServiceAccountWorkspaceRole } | { error: UserErrorShape[] } {
  switch (role) {
    case 'workspace_admin':
    case 'workspace_developer':
    case 'workspace_restricted_developer':
    case 'workspace_user':
      return { value: role };
    default:
      return {
        error: inputError(
          isKnown(role)
            ? 'A service account cannot hold WORKSPACE_BILLING.'
            : 'UNKNOWN is not a role that can be given.',
          ['input', 'role'],
        ).userErrors,
      };
  }
}

// Read-backs of writes whose answer was lost (see runMutation's `settle`).

/** The service account of that name, created after the call started (names are unique). */
const settleCreate =
  (api: AdminApi, name: string) =>
  async (startedAt: number): Promise<BetaServiceAccount | null> => {
    let page: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const found = await listServiceAccounts(api, {
        include_archived: true,
        limit: 1000,
        ...(page !== undefined ? { page } : {}),
      });
      const account = found.data.find((item) => item.name === name);
      if (account) {
        return createdSince(account.created_at, startedAt) ? account : null;
      }
      if (found.next_page === null) return null;
      page = found.next_page;
    }
    return null;
  };

const settleUpdate =
  (api: AdminApi, id: string, sent: { description?: string | null; organization_role?: string }) =>
  async (): Promise<BetaServiceAccount | null> => {
    const account = await getServiceAccount(api, id);
    if (
      sent.description !== undefined &&
      (account.description ?? '') !== (sent.description ?? '')
    ) {
      return null;
    }
    if (
      sent.organization_role !== undefined &&
      account.organization_role !== sent.organization_role
    ) {
      return null;
    }
    return account;
  };

const settleArchive = (api: AdminApi, id: string) => async () => {
  const account = await getServiceAccount(api, id);
  return account.archived_at !== null ? account : null;
};

const settleMembership =
  (api: AdminApi, workspaceId: string, serviceAccountId: string, role: string) => async () => {
    const member = await getWorkspaceServiceAccount(api, workspaceId, serviceAccountId);
    return member.implicit !== true && member.workspace_role === role ? member : null;
  };

const settleRemove =
  (api: AdminApi, workspaceId: string, serviceAccountId: string) =>
  async (): Promise<ServiceAccountRemoval | null> => {
    const removed: ServiceAccountRemoval = {
      service_account_id: serviceAccountId,
      type: 'service_account_workspace_member_deleted',
      workspace_id: workspaceId,
    };
    try {
      const member = await getWorkspaceServiceAccount(api, workspaceId, serviceAccountId);
      return member.implicit === true ? removed : null;
    } catch (error) {
      if (isNotFound(error)) return removed;
      throw error;
    }
  };

// Payloads

type AccountPayload = Outcome<BetaServiceAccount>;

const accountPayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'serviceAccount', ServiceAccount, description);

type MemberPayload = Outcome<BetaServiceAccountWorkspaceMember>;

const memberPayload = (mutation: string, description: string) =>
  resultPayload(
    mutation,
    'serviceAccountWorkspaceMember',
    ServiceAccountWorkspaceMember,
    description,
  );

const OAUTH = 'Goes upstream with an OAuth access token (org:admin) only.';

// Service accounts

builder.relayMutationField(
  'createServiceAccount',
  {
    description: 'Creates a service account.',
    inputFields: (t) => ({
      name: t.string({
        required: true,
        description:
          'A slug (lowercase letters, digits, hyphens), unique in the organization; it can never change.',
      }),
      description: t.string({ description: 'Free text about it.' }),
      organizationRole: t.field({
        type: ServiceAccountOrganizationRole.ref,
        description:
          'Its role in the organization (default DEVELOPER); ADMIN needs an interactive credential (a user’s OAuth token).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Creates a service account (POST /v1/organizations/service_accounts). A name already taken is a CONFLICT. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<AccountPayload> => {
      const role = input.organizationRole;
      if (role != null && !isKnown(role)) {
        return inputError('UNKNOWN is not a role that can be given.', [
          'input',
          'organizationRole',
        ]);
      }
      return runMutation(
        { body: ACCOUNT_BODY },
        () =>
          createServiceAccount(ctx.api, {
            name: input.name,
            ...(input.description != null ? { description: input.description } : {}),
            ...(role != null ? { organization_role: role } : {}),
          }),
        { settle: settleCreate(ctx.api, input.name) },
      );
    },
  },
  accountPayload('createServiceAccount', 'The new service account; null when none was created.'),
);

builder.relayMutationField(
  'updateServiceAccount',
  {
    description: 'Changes a service account; fields left out stay as they are.',
    inputFields: (t) => ({
      serviceAccountId: t.id({ required: true, description: 'The service account (svac_…).' }),
      description: t.string({ description: 'The new description; null clears it.' }),
      organizationRole: t.field({
        type: ServiceAccountOrganizationRole.ref,
        description:
          'The new role in the organization; ADMIN needs an interactive credential (a user’s OAuth token), even when unchanged.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Changes a service account’s description or organization role (POST /v1/organizations/service_accounts/{id}); its name never changes, and an archived one cannot be changed. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<AccountPayload> => {
      const role = input.organizationRole;
      if (role === null) {
        return inputError('organizationRole cannot be null; leave it out to keep the role.', [
          'input',
          'organizationRole',
        ]);
      }
      if (role !== undefined && !isKnown(role)) {
        return inputError('UNKNOWN is not a role that can be given.', [
          'input',
          'organizationRole',
        ]);
      }
      const body = {
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(role !== undefined ? { organization_role: role } : {}),
      };
      return runMutation(
        ON_ACCOUNT,
        () => updateServiceAccount(ctx.api, input.serviceAccountId, body),
        {
          settle: settleUpdate(ctx.api, input.serviceAccountId, body),
        },
      );
    },
  },
  accountPayload(
    'updateServiceAccount',
    'The service account as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'archiveServiceAccount',
  {
    description: 'Archives a service account.',
    inputFields: (t) => ({
      serviceAccountId: t.id({
        required: true,
        description: 'The service account to archive (svac_…).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Archives a service account (POST /v1/organizations/service_accounts/{id}/archive). Archiving again returns it unchanged; it is refused while a live federation rule targets it. ${OAUTH}`,
    resolve: (_root, { input }, ctx): Promise<AccountPayload> =>
      runMutation(ON_ACCOUNT, () => archiveServiceAccount(ctx.api, input.serviceAccountId), {
        settle: settleArchive(ctx.api, input.serviceAccountId),
      }),
  },
  accountPayload(
    'archiveServiceAccount',
    'The archived service account; null when nothing was archived.',
  ),
);

// Workspace memberships

builder.relayMutationField(
  'addWorkspaceServiceAccount',
  {
    description:
      'Adds a service account to a workspace, or replaces its role there when it is already an explicit member.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      serviceAccountId: t.id({
        required: true,
        description: 'The service account to add (svac_…).',
      }),
      role: t.field({
        type: WorkspaceRole.ref,
        required: true,
        description: 'The role in the workspace; a service account cannot hold WORKSPACE_BILLING.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Adds a service account to a workspace (POST /v1/organizations/service_accounts/{id}/workspaces). Adding it to the Default Workspace replaces its implicit WORKSPACE_USER membership. Archived workspaces and service accounts are refused. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<MemberPayload> => {
      const role = memberRole(input.role);
      if ('error' in role) return { result: null, userErrors: role.error };
      return runMutation(
        ON_MEMBERSHIP,
        () =>
          addServiceAccountToWorkspace(ctx.api, input.serviceAccountId, {
            workspace_id: input.workspaceId,
            workspace_role: role.value,
          }),
        {
          settle: settleMembership(ctx.api, input.workspaceId, input.serviceAccountId, role.value),
        },
      );
    },
  },
  memberPayload('addWorkspaceServiceAccount', 'The membership; null when nothing was added.'),
);

builder.relayMutationField(
  'updateWorkspaceServiceAccount',
  {
    description: 'Changes a service account’s role in a workspace.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      serviceAccountId: t.id({ required: true, description: 'The service account (svac_…).' }),
      role: t.field({
        type: WorkspaceRole.ref,
        required: true,
        description: 'The new role; a service account cannot hold WORKSPACE_BILLING.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Changes a service account’s workspace role (POST /v1/organizations/workspaces/{id}/service_accounts/{service_account_id}). Only explicit memberships change: the implicit Default Workspace one is replaced with addWorkspaceServiceAccount. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<MemberPayload> => {
      const role = memberRole(input.role);
      if ('error' in role) return { result: null, userErrors: role.error };
      return runMutation(
        ON_MEMBERSHIP,
        () =>
          updateWorkspaceServiceAccount(
            ctx.api,
            input.workspaceId,
            input.serviceAccountId,
            role.value,
          ),
        {
          settle: settleMembership(ctx.api, input.workspaceId, input.serviceAccountId, role.value),
        },
      );
    },
  },
  memberPayload(
    'updateWorkspaceServiceAccount',
    'The membership as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'removeWorkspaceServiceAccount',
  {
    description: 'Removes a service account from a workspace.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      serviceAccountId: t.id({
        required: true,
        description: 'The service account to remove (svac_…).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Removes a service account from a workspace (DELETE /v1/organizations/service_accounts/{id}/workspaces/{workspace_id}). Removing what is not there succeeds too; on the Default Workspace the service account falls back to its implicit WORKSPACE_USER membership. ${OAUTH}`,
    resolve: (_root, { input }, ctx) =>
      runMutation(
        ON_MEMBERSHIP,
        () => removeServiceAccountFromWorkspace(ctx.api, input.workspaceId, input.serviceAccountId),
        { settle: settleRemove(ctx.api, input.workspaceId, input.serviceAccountId) },
      ),
  },
  {
    description: 'The result of removeWorkspaceServiceAccount.',
    outputFields: (t) => ({
      removedServiceAccountId: t.id({
        nullable: true,
        description: 'The id of the service account removed; null when nothing was done.',
        resolve: (payload) => payload.result?.service_account_id ?? null,
      }),
      workspaceId: t.id({
        nullable: true,
        description: 'The workspace it was removed from; null when nothing was done.',
        resolve: (payload) => payload.result?.workspace_id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
