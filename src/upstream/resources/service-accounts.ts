import type {
  BetaServiceAccount,
  BetaServiceAccountWorkspaceMember,
  ServiceAccountCreateParams,
  ServiceAccountUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/service-accounts/service-accounts';
import type { WorkspaceRemoveResponse } from '@anthropic-ai/sdk/resources/beta/organization/service-accounts/workspaces';
import type { BetaNoBillingWorkspaceRole } from '@anthropic-ai/sdk/resources/beta/organization/workspaces/workspaces';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { plainPage } from './token-pages.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * Service accounts and their workspace memberships (EXTENDED.md §1–2). The Admin API takes only
 * an OAuth access token with `org:admin` here, never an Admin API key: every operation says
 * `credential: 'oauth'`, so that AdminApi sends the caller's bearer token or the gateway's
 * ANTHROPIC_OAUTH_TOKEN, and a field fails alone with CREDENTIAL_MISSING when there is none.
 * Lists are token-paged (`limit`, `page` → `next_page`); what is cached is the plain page.
 */

export type { BetaServiceAccount, BetaServiceAccountWorkspaceMember };
export type ServiceAccountRemoval = WorkspaceRemoveResponse;
export type ServiceAccountWorkspaceRole = BetaNoBillingWorkspaceRole;

const read = (name: string): UpstreamOperation => ({
  name,
  method: 'GET',
  write: false,
  credential: 'oauth',
});
const post = (name: string): UpstreamOperation => ({
  name,
  method: 'POST',
  write: true,
  credential: 'oauth',
});
const remove = (name: string): UpstreamOperation => ({
  name,
  method: 'DELETE',
  write: true,
  credential: 'oauth',
});

/** One page of a token-paged list, as plain data (never the SDK's page object). */
export interface ServiceAccountsPage<T> {
  data: T[];
  next_page: string | null;
}

export interface PageTokenQuery {
  limit?: number;
  page?: string;
}

export interface ServiceAccountListQuery extends PageTokenQuery {
  include_archived?: boolean;
}

/** The collection every read and write of this family lives in. */
const COLLECTION = 'serviceAccounts' as const;

/** The cache key of one service account, shared by its GET. */
const entity = (id: string) => `entity:${id}`;
const membershipEntity = (workspaceId: string, serviceAccountId: string) =>
  `membership:${workspaceId}:${serviceAccountId}`;

export function listServiceAccounts(
  api: AdminApi,
  query: ServiceAccountListQuery,
): Promise<ServiceAccountsPage<BetaServiceAccount>> {
  return api.read<ServiceAccountsPage<BetaServiceAccount>>(
    COLLECTION,
    readKey('serviceAccounts.list', query),
    read('service_accounts.list'),
    plainPage((org, opts) => org.serviceAccounts.list(query, opts)),
  );
}

export function getServiceAccount(api: AdminApi, id: string): Promise<BetaServiceAccount> {
  checkId('serviceAccount', id);
  return api.read(COLLECTION, entity(id), read('service_accounts.get'), (org, opts) =>
    org.serviceAccounts.retrieve(id, {}, opts),
  );
}

export function createServiceAccount(
  api: AdminApi,
  body: Pick<ServiceAccountCreateParams, 'name' | 'description' | 'organization_role'>,
): Promise<BetaServiceAccount> {
  return api.write<BetaServiceAccount>(
    post('service_accounts.create'),
    (org, opts) => org.serviceAccounts.create(body, opts),
    [COLLECTION],
    (account) => [COLLECTION, account.id],
  );
}

export function updateServiceAccount(
  api: AdminApi,
  id: string,
  body: Pick<ServiceAccountUpdateParams, 'description' | 'organization_role'>,
): Promise<BetaServiceAccount> {
  checkId('serviceAccount', id);
  return api.write<BetaServiceAccount>(
    post('service_accounts.update'),
    (org, opts) => org.serviceAccounts.update(id, body, opts),
    [COLLECTION],
    (account) => [COLLECTION, account.id],
  );
}

export function archiveServiceAccount(api: AdminApi, id: string): Promise<BetaServiceAccount> {
  checkId('serviceAccount', id);
  // Archiving also ends the account's memberships, which live in the same collection.
  return api.write<BetaServiceAccount>(
    post('service_accounts.archive'),
    (org, opts) => org.serviceAccounts.archive(id, {}, opts),
    [COLLECTION],
    (account) => [COLLECTION, account.id],
  );
}

/** The workspaces a service account is a member of (the implicit Default Workspace first). */
export function listServiceAccountWorkspaces(
  api: AdminApi,
  serviceAccountId: string,
  query: PageTokenQuery,
): Promise<ServiceAccountsPage<BetaServiceAccountWorkspaceMember>> {
  checkId('serviceAccount', serviceAccountId);
  return api.read<ServiceAccountsPage<BetaServiceAccountWorkspaceMember>>(
    COLLECTION,
    readKey('serviceAccounts.workspaces.list', { serviceAccountId, ...query }),
    read('service_accounts.workspaces.list'),
    plainPage((org, opts) => org.serviceAccounts.workspaces.list(serviceAccountId, query, opts)),
  );
}

/** The service accounts that are explicit members of a workspace. */
export function listWorkspaceServiceAccounts(
  api: AdminApi,
  workspaceId: string,
  query: PageTokenQuery,
): Promise<ServiceAccountsPage<BetaServiceAccountWorkspaceMember>> {
  checkId('workspace', workspaceId);
  return api.read<ServiceAccountsPage<BetaServiceAccountWorkspaceMember>>(
    COLLECTION,
    readKey('workspaces.serviceAccounts.list', { workspaceId, ...query }),
    read('workspace_service_accounts.list'),
    plainPage((org, opts) => org.workspaces.serviceAccounts.list(workspaceId, query, opts)),
  );
}

export function getWorkspaceServiceAccount(
  api: AdminApi,
  workspaceId: string,
  serviceAccountId: string,
): Promise<BetaServiceAccountWorkspaceMember> {
  checkId('workspace', workspaceId);
  checkId('serviceAccount', serviceAccountId);
  return api.read(
    COLLECTION,
    entity(membershipEntity(workspaceId, serviceAccountId)),
    read('workspace_service_accounts.get'),
    (org, opts) =>
      org.workspaces.serviceAccounts.retrieve(
        serviceAccountId,
        { workspace_id: workspaceId },
        opts,
      ),
  );
}

/**
 * Adds a service account to a workspace, or replaces its role there (POST
 * /service_accounts/{id}/workspaces: the same membership as the workspace-side add).
 */
export function addServiceAccountToWorkspace(
  api: AdminApi,
  serviceAccountId: string,
  body: { workspace_id: string; workspace_role: ServiceAccountWorkspaceRole },
): Promise<BetaServiceAccountWorkspaceMember> {
  checkId('serviceAccount', serviceAccountId);
  checkId('workspace', body.workspace_id);
  return api.write<BetaServiceAccountWorkspaceMember>(
    post('service_accounts.workspaces.add'),
    (org, opts) => org.serviceAccounts.workspaces.add(serviceAccountId, body, opts),
    [COLLECTION],
    (member) => [COLLECTION, membershipEntity(member.workspace_id, member.service_account_id)],
  );
}

export function updateWorkspaceServiceAccount(
  api: AdminApi,
  workspaceId: string,
  serviceAccountId: string,
  role: ServiceAccountWorkspaceRole,
): Promise<BetaServiceAccountWorkspaceMember> {
  checkId('workspace', workspaceId);
  checkId('serviceAccount', serviceAccountId);
  return api.write<BetaServiceAccountWorkspaceMember>(
    post('workspace_service_accounts.update'),
    (org, opts) =>
      org.workspaces.serviceAccounts.update(
        serviceAccountId,
        { workspace_id: workspaceId, workspace_role: role },
        opts,
      ),
    [COLLECTION],
    (member) => [COLLECTION, membershipEntity(member.workspace_id, member.service_account_id)],
  );
}

/** Removes a membership (idempotent; on the Default Workspace it reverts to the implicit one). */
export function removeServiceAccountFromWorkspace(
  api: AdminApi,
  workspaceId: string,
  serviceAccountId: string,
): Promise<ServiceAccountRemoval> {
  checkId('workspace', workspaceId);
  checkId('serviceAccount', serviceAccountId);
  return api.write<ServiceAccountRemoval>(
    remove('service_accounts.workspaces.remove'),
    (org, opts) =>
      org.serviceAccounts.workspaces.remove(
        workspaceId,
        { service_account_id: serviceAccountId },
        opts,
      ),
    [COLLECTION],
  );
}
