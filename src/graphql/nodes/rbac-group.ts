import { isId } from '../../domain/ids.js';
import type { BetaRBACGroup, BetaRBACGroupMember } from '../../upstream/resources/rbac.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { DateTime, EmailAddress } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Invite } from './invite.js';
import { Organization } from './organization.js';
import { ENTERPRISE_NOTE, RbacRole } from './rbac-role.js';
import { User } from './user.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * RBAC groups (rbac_group_…) and their members (EXTENDED.md §6): Claude Enterprise only. A group
 * is enterprise-wide: its members are users of any organization of the enterprise, and it
 * carries RBAC roles to them (which roles is managed in Claude's admin settings, read-only
 * here). Groups provisioned by the identity provider (SCIM) are read-only through the API.
 *
 * The Admin API cannot tell a user's groups without reading every group's member list (one
 * request per group), so there is no `User.rbacGroups`: read `RbacGroup.members` instead.
 */

/** The objects a batch of lookups found (missing ones left out); a failed lookup fails the field. */
function found<T>(results: readonly (T | null | Error)[]): T[] {
  const failure = results.find((result) => result instanceof Error);
  if (failure) throw failure;
  return results.filter((result): result is T => result !== null);
}

export const RbacGroupSourceType = openEnum('RbacGroupSourceType', 'How an RBAC group was made.', {
  direct: 'Made directly: in the organization’s admin settings or through the Admin API.',
  scim: 'Provisioned by the identity provider (SCIM): read-only through the Admin API while an organization of the enterprise uses SCIM provisioning.',
});

export const RbacGroup = builder.objectRef<BetaRBACGroup>('RbacGroup');

export const RbacGroupMember = builder.objectRef<BetaRBACGroupMember>('RbacGroupMember').implement({
  description:
    'A user’s membership of an RBAC group. The user may belong to another organization of the enterprise.',
  fields: (t) => ({
    userId: t.exposeID('user_id', { description: 'The member’s user id (user_…).' }),
    email: t.field({
      type: EmailAddress,
      description: 'The member’s email address.',
      resolve: (member) => member.email,
    }),
    addedAt: t.field({
      type: DateTime,
      description: 'When the user was added to the group.',
      resolve: (member) => member.created_at,
    }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The member as a user of this organization; null when the user belongs to another organization of the enterprise (or has left). Lookups of many members share list pages of the organization’s users.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (member, _args, ctx) =>
        isId('user', member.user_id) ? ctx.loaders.users.load(member.user_id) : null,
    }),
    group: t.field({
      type: RbacGroup,
      nullable: true,
      description: 'The group; null when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (member, _args, ctx) =>
        isId('rbacGroup', member.rbac_group_id)
          ? ctx.loaders.rbacGroups.load(member.rbac_group_id)
          : null,
    }),
  }),
});

const RbacGroupMemberConnection = builder.connectionObject(
  {
    type: RbacGroupMember,
    name: 'RbacGroupMemberConnection',
    description: 'A page of the members of an RBAC group. Pages forward only (`first`/`after`).',
  },
  { name: 'RbacGroupMemberEdge', description: 'A group membership and its cursor.' },
);

const sizes = (list: string, unit: string): ReportPageSizes => ({
  defaultSize: 20,
  maxSize: 1000,
  unit,
  list,
});
const GROUP_PAGES = sizes('RBAC group list', 'group');
const MEMBER_PAGES = sizes('member list', 'member');

builder.node(RbacGroup, {
  description: `An RBAC group: users of the enterprise who receive the group’s RBAC roles together. ${ENTERPRISE_NOTE}`,
  id: { resolve: (group) => group.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'rbac_group',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.rbacGroups.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The group’s name (names need not be unique).' }),
    ...enumFieldPair(t, 'sourceType', RbacGroupSourceType, (group) => group.source_type, {
      value: 'How the group was made; UNKNOWN for a source this gateway does not know yet.',
      raw: 'The source type exactly as the Admin API reports it (`direct`, `scim`, …).',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the group was created.',
      resolve: (group) => group.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the group was last changed.',
      resolve: (group) => group.updated_at,
    }),
    roleIds: t.idList({
      nullable: true,
      description:
        'The ids of the RBAC roles the group carries (rbac_role_…), managed in Claude’s admin settings. Null when the Admin API could not read the group’s roles for the moment (retry to tell it from an empty list).',
      resolve: (group) => group.role_ids,
    }),
    roles: t.field({
      type: [RbacRole],
      nullable: true,
      description:
        'The RBAC roles the group carries, in the order of `roleIds`; a role this organization cannot read is left out. Null when `roleIds` is. Lookups of many roles share list pages.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacRoles' }),
      resolve: async (group, _args, ctx) => {
        if (group.role_ids === null) return null;
        const ids = group.role_ids.filter((id) => isId('rbacRole', id));
        return found(await ctx.loaders.rbacRoles.loadMany(ids));
      },
    }),
    members: t.connection(
      {
        type: RbacGroupMember,
        description:
          'The group’s members, oldest first (GET /v1/organizations/rbac_groups/{id}/members). `first` is 1–1000 (default 20); forward only: `last` and `before` are refused. A page may hold fewer items than asked for while more follow.',
        extensions: costExtension({ kind: 'connection' }),
        nullable: true,
        resolve: (group, args, ctx) =>
          resolveReportConnection(args, { groupId: group.id }, MEMBER_PAGES, (query) =>
            ctx.loaders.rbacPages.members(group.id, query),
          ),
      },
      RbacGroupMemberConnection,
    ),
  }),
});

const RbacGroupConnection = builder.connectionObject(
  {
    type: RbacGroup,
    name: 'RbacGroupConnection',
    description: 'A page of RBAC groups. Pages forward only (`first`/`after`).',
  },
  { name: 'RbacGroupEdge', description: 'An RBAC group and its cursor.' },
);

builder.objectField(Organization, 'rbacGroups', (t) =>
  t.connection(
    {
      type: RbacGroup,
      description: `The enterprise’s RBAC groups (GET /v1/organizations/rbac_groups). The Admin API offers no filter on this list. \`first\` is 1–1000 (default 20); forward only: \`last\` and \`before\` are refused. ${ENTERPRISE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (_organization, args, ctx) =>
        // The list's name binds its cursors to it (the roles list takes no arguments either).
        resolveReportConnection(args, { list: 'rbacGroups' }, GROUP_PAGES, (query) =>
          ctx.loaders.rbacPages.groups(query),
        ),
    },
    RbacGroupConnection,
  ),
);

builder.queryField('rbacGroup', (t) =>
  t.field({
    type: RbacGroup,
    nullable: true,
    description: `An RBAC group by id; null when no such group exists. ${ENTERPRISE_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
    args: { id: t.arg.id({ required: true, description: 'The RBAC group id (rbac_group_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.rbacGroups.load(checkIdArgument('rbacGroup', args.id, 'id')),
  }),
);

builder.objectField(Invite, 'rbacGroups', (t) =>
  t.field({
    type: [RbacGroup],
    description:
      'Claude Enterprise: the RBAC groups the invitee joins on acceptance (the groups of `rbacGroupIds` that still exist). Lookups of many groups share list pages.',
    extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
    resolve: async (invite, _args, ctx) => {
      const ids = (invite.rbac_group_ids ?? []).filter((id) => isId('rbacGroup', id));
      if (ids.length === 0) return [];
      return found(await ctx.loaders.rbacGroups.loadMany(ids));
    },
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(RbacGroup, 'rbacGroup');
