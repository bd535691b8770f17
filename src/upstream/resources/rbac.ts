import { APIError } from '@anthropic-ai/sdk';
import type {
  BetaDeletedRBACGroup,
  BetaRBACGroup,
} from '@anthropic-ai/sdk/resources/beta/organization/rbac-groups/rbac-groups';
import type {
  BetaDeletedRBACGroupMember,
  BetaRBACGroupMember,
} from '@anthropic-ai/sdk/resources/beta/organization/rbac-groups/members';
import type { BetaRBACRole } from '@anthropic-ai/sdk/resources/beta/organization/rbac-roles/rbac-roles';
import type { BetaRBACRolePermission } from '@anthropic-ai/sdk/resources/beta/organization/rbac-roles/permissions';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError, toUpstreamError } from '../errors.js';
import { readKey } from '../read-cache.js';
import type { SdkOrganization, UpstreamOperation } from '../upstream.js';

/*
 * RBAC groups with their members, and RBAC roles with their permissions (EXTENDED.md §6–7):
 * Claude Enterprise only. Groups are enterprise-wide; a group's members are users of any
 * organization of the enterprise. Roles are read-only here (they are managed in Claude's admin
 * settings), and so is which roles a group carries. Lists are token-paged (`limit`, `page` →
 * `next_page`); what is cached is the plain page, never the SDK's page object.
 *
 * Groups and their member lists share the `rbacGroups` collection: a write to either drops
 * both, so a group read after a member add in the same operation is read anew. Roles and
 * permissions live in `rbacRoles`, which no write touches.
 */

export type {
  BetaDeletedRBACGroup,
  BetaDeletedRBACGroupMember,
  BetaRBACGroup,
  BetaRBACGroupMember,
  BetaRBACRole,
  BetaRBACRolePermission,
};

const read = (name: string): UpstreamOperation => ({ name, method: 'GET', write: false });
const post = (name: string): UpstreamOperation => ({ name, method: 'POST', write: true });
const remove = (name: string): UpstreamOperation => ({ name, method: 'DELETE', write: true });

/** One page of a token-paged list, as plain data (never the SDK's page object). */
export interface RbacPage<T> {
  data: T[];
  next_page: string | null;
}

/** The paging fields of the family's lists (they take no filters). */
export interface RbacPageQuery {
  limit?: number;
  page?: string;
}

const GROUPS = 'rbacGroups' as const;
const ROLES = 'rbacRoles' as const;

/** The cache key of one object, shared by its GET. */
const entity = (id: string) => `entity:${id}`;

type Organization = SdkOrganization;
/** The options every SDK call takes (the request's credential headers). */
type Options = Parameters<Parameters<AdminApi['write']>[1]>[1];
type SdkAnswer<T> = {
  withResponse(): Promise<{ data: T; request_id: string | null | undefined }>;
};
/** One SDK call of this family, as AdminApi runs it. */
type Run<T> = (org: Organization, opts: Options) => SdkAnswer<T>;

/** Refusals that say the organization cannot use this family at all, not that a value is wrong. */
const NOT_ENABLED_CODES = new Set([
  'organization_type_not_supported',
  'parent_organization_required',
]);

/**
 * The error the gateway reports for an SDK failure of this family. The Admin API names the cause
 * of some refusals in `error.details.error_code` (the SDK's `errorCode`): it is kept as the
 * error's `errorType` (`rbac_group_grants_owner_access`, `rbac_group_not_found`, …), so that the
 * mutations can tell those refusals apart; a refusal because the organization is not a Claude
 * Enterprise organization (`organization_type_not_supported`, `parent_organization_required`)
 * becomes "not enabled", so that the field fails alone with NOT_ENABLED instead of
 * BAD_USER_INPUT. Failures without a code are passed on for the upstream layer to read as usual.
 */
export function rbacFailure(error: unknown): unknown {
  if (!(error instanceof APIError) || typeof error.errorCode !== 'string') return error;
  const base = toUpstreamError(error);
  const notEnabled = NOT_ENABLED_CODES.has(error.errorCode);
  return new UpstreamError({
    kind: base.kind,
    status: base.status,
    errorType: notEnabled ? NOT_ENABLED_ERROR_TYPE : error.errorCode,
    message: notEnabled
      ? `RBAC groups and roles are available to Claude Enterprise organizations only (the Admin API answered ${base.status ?? 400}: ${base.message})`
      : base.message,
    upstreamRequestId: base.upstreamRequestId,
    retryAfterSeconds: base.retryAfterSeconds,
  });
}

/** Runs an SDK call with this family's error reading (see rbacFailure). */
function call<T>(run: Run<T>): Run<T> {
  return (org, opts) => ({
    withResponse: async () => {
      try {
        return await run(org, opts).withResponse();
      } catch (error) {
        throw rbacFailure(error);
      }
    },
  });
}

/** Runs an SDK list call and keeps only its page's data and `next_page`. */
function plainPage<T>(list: Run<{ data: T[]; next_page: string | null }>): Run<RbacPage<T>> {
  return call((org, opts) => ({
    withResponse: async () => {
      const { data, request_id } = await list(org, opts).withResponse();
      return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
    },
  }));
}

/** Only the paging fields, so that nothing else reaches the query string. */
const paging = (query: RbacPageQuery): RbacPageQuery => ({
  ...(query.limit !== undefined ? { limit: query.limit } : {}),
  ...(query.page !== undefined ? { page: query.page } : {}),
});

// Groups

export function listRbacGroups(
  api: AdminApi,
  query: RbacPageQuery,
): Promise<RbacPage<BetaRBACGroup>> {
  const params = paging(query);
  return api.read(
    GROUPS,
    readKey('rbacGroups.list', params),
    read('rbac_groups.list'),
    plainPage((org, opts) => org.rbacGroups.list(params, opts)),
  );
}

export function getRbacGroup(api: AdminApi, id: string): Promise<BetaRBACGroup> {
  checkId('rbacGroup', id);
  return api.read(
    GROUPS,
    entity(id),
    read('rbac_groups.get'),
    call((org, opts) => org.rbacGroups.retrieve(id, opts)),
  );
}

export function createRbacGroup(api: AdminApi, body: { name: string }): Promise<BetaRBACGroup> {
  return api.write<BetaRBACGroup>(
    post('rbac_groups.create'),
    call((org, opts) => org.rbacGroups.create({ name: body.name }, opts)),
    [GROUPS],
    (group) => [GROUPS, group.id],
  );
}

export function updateRbacGroup(
  api: AdminApi,
  id: string,
  body: { name?: string },
): Promise<BetaRBACGroup> {
  checkId('rbacGroup', id);
  return api.write<BetaRBACGroup>(
    post('rbac_groups.update'),
    call((org, opts) =>
      org.rbacGroups.update(id, body.name !== undefined ? { name: body.name } : {}, opts),
    ),
    [GROUPS],
    (group) => [GROUPS, group.id],
  );
}

export function deleteRbacGroup(api: AdminApi, id: string): Promise<BetaDeletedRBACGroup> {
  checkId('rbacGroup', id);
  return api.write<BetaDeletedRBACGroup>(
    remove('rbac_groups.delete'),
    call((org, opts) => org.rbacGroups.delete(id, opts)),
    [GROUPS],
  );
}

// Group members

export function listRbacGroupMembers(
  api: AdminApi,
  groupId: string,
  query: RbacPageQuery,
): Promise<RbacPage<BetaRBACGroupMember>> {
  checkId('rbacGroup', groupId);
  const params = paging(query);
  return api.read(
    GROUPS,
    readKey('rbacGroups.members.list', { groupId, ...params }),
    read('rbac_group_members.list'),
    plainPage((org, opts) => org.rbacGroups.members.list(groupId, params, opts)),
  );
}

export function addRbacGroupMember(
  api: AdminApi,
  groupId: string,
  userId: string,
): Promise<BetaRBACGroupMember> {
  checkId('rbacGroup', groupId);
  checkId('user', userId);
  return api.write<BetaRBACGroupMember>(
    post('rbac_group_members.add'),
    call((org, opts) => org.rbacGroups.members.add(groupId, { user_id: userId }, opts)),
    [GROUPS],
  );
}

export function removeRbacGroupMember(
  api: AdminApi,
  groupId: string,
  userId: string,
): Promise<BetaDeletedRBACGroupMember> {
  checkId('rbacGroup', groupId);
  checkId('user', userId);
  return api.write<BetaDeletedRBACGroupMember>(
    remove('rbac_group_members.remove'),
    call((org, opts) => org.rbacGroups.members.remove(userId, { rbac_group_id: groupId }, opts)),
    [GROUPS],
  );
}

// Roles (read-only)

export function listRbacRoles(
  api: AdminApi,
  query: RbacPageQuery,
): Promise<RbacPage<BetaRBACRole>> {
  const params = paging(query);
  return api.read(
    ROLES,
    readKey('rbacRoles.list', params),
    read('rbac_roles.list'),
    plainPage((org, opts) => org.rbacRoles.list(params, opts)),
  );
}

export function getRbacRole(api: AdminApi, id: string): Promise<BetaRBACRole> {
  checkId('rbacRole', id);
  return api.read(
    ROLES,
    entity(id),
    read('rbac_roles.get'),
    call((org, opts) => org.rbacRoles.retrieve(id, opts)),
  );
}

export function listRbacRolePermissions(
  api: AdminApi,
  roleId: string,
  query: RbacPageQuery,
): Promise<RbacPage<BetaRBACRolePermission>> {
  checkId('rbacRole', roleId);
  const params = paging(query);
  return api.read(
    ROLES,
    readKey('rbacRoles.permissions.list', { roleId, ...params }),
    read('rbac_role_permissions.list'),
    plainPage((org, opts) => org.rbacRoles.permissions.list(roleId, params, opts)),
  );
}
