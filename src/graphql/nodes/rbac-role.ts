import type { BetaRBACRole, BetaRBACRolePermission } from '../../upstream/resources/rbac.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * RBAC roles (rbac_role_…) and the permissions they grant (EXTENDED.md §7): Claude Enterprise
 * only, and read-only through the Admin API (roles are made and changed in Claude's admin
 * settings). Groups carry roles; see rbac-group.ts.
 */

export const ENTERPRISE_NOTE =
  'Claude Enterprise only: for other organizations the field fails alone (NOT_ENABLED when the Admin API says the organization type is not supported).';

export const RbacRoleSource = openEnum(
  'RbacRoleSource',
  'Whether an RBAC role is built in or made by the organization. More kinds may be added: do not take every role that is not BUILT_IN for CUSTOM.',
  {
    built_in:
      'Provisioned by Anthropic; the organization’s administrators cannot change or delete it.',
    custom: 'Made by the organization’s administrators, who can change and delete it.',
  },
);

export const RbacPermissionResourceType = openEnum(
  'RbacPermissionResourceType',
  'The kind of resource an RBAC role permission applies to; it decides which identifier fields are set.',
  {
    organization: 'The organization (`organizationId`).',
    connector_tool: 'One tool of a connector (`connectorId`, `toolName`).',
    connector_scope: 'One OAuth scope of a connector (`connectorId`, `scope`).',
    connector: 'A connector (`connectorId`).',
    all_connectors: 'Every connector.',
  },
);

type PermissionResource = BetaRBACRolePermission['resource'];

const RbacPermissionResource = builder
  .objectRef<PermissionResource>('RbacPermissionResource')
  .implement({
    description:
      'What an RBAC role permission applies to: its kind, and the identifiers that kind carries (null where the kind has none).',
    fields: (t) => ({
      ...enumFieldPair(t, 'type', RbacPermissionResourceType, (resource) => resource.type, {
        value: 'The kind of resource; UNKNOWN for a kind this gateway does not know yet.',
        raw: 'The kind exactly as the Admin API reports it.',
      }),
      organizationId: t.string({
        nullable: true,
        description: 'The UUID of the organization the permission applies to (ORGANIZATION).',
        resolve: (resource) => ('organization_id' in resource ? resource.organization_id : null),
      }),
      connectorId: t.string({
        nullable: true,
        description:
          'The connector the permission applies to (CONNECTOR, CONNECTOR_TOOL, CONNECTOR_SCOPE).',
        resolve: (resource) => ('connector_id' in resource ? resource.connector_id : null),
      }),
      toolName: t.string({
        nullable: true,
        description:
          'The published name of the connector tool (CONNECTOR_TOOL). A name with characters outside [a-zA-Z0-9_-] comes server-encoded in a stable `{prefix}_{32-hex}` form the name cannot be recovered from.',
        resolve: (resource) => ('tool_name' in resource ? resource.tool_name : null),
      }),
      scope: t.string({
        nullable: true,
        description:
          'The OAuth scope the role may receive when tokens are minted for the connector (CONNECTOR_SCOPE); encoded like `toolName`, which most scopes are.',
        resolve: (resource) => ('scope' in resource ? resource.scope : null),
      }),
    }),
  });

const RbacRolePermission = builder
  .objectRef<BetaRBACRolePermission>('RbacRolePermission')
  .implement({
    description: 'One permission an RBAC role grants: an action on a resource.',
    fields: (t) => ({
      action: t.exposeString('action', {
        description:
          'The action granted. Its vocabulary follows the resource: on ORGANIZATION a product feature (`chat`), an admin-panel permission (`permission_…`) or a blanket mode (`capability_access_all`, `capability_access_all_ga`: one row that grants every product feature it covers); on CONNECTOR_TOOL `use` or `always_allow`; on CONNECTOR_SCOPE `grant`; on CONNECTOR and ALL_CONNECTORS a tool-access, scope or authentication-method action (`interactive`, `managed`).',
      }),
      resource: t.field({
        type: RbacPermissionResource,
        description: 'What the permission applies to.',
        resolve: (permission) => permission.resource,
      }),
    }),
  });

export const RbacRole = builder.objectRef<BetaRBACRole>('RbacRole');

const RbacRolePermissionConnection = builder.connectionObject(
  {
    type: RbacRolePermission,
    name: 'RbacRolePermissionConnection',
    description: 'A page of the permissions of an RBAC role. Pages forward only (`first`/`after`).',
  },
  { name: 'RbacRolePermissionEdge', description: 'A permission and its cursor.' },
);

const sizes = (list: string, unit: string): ReportPageSizes => ({
  defaultSize: 20,
  maxSize: 1000,
  unit,
  list,
});
const ROLE_PAGES = sizes('RBAC role list', 'role');
const PERMISSION_PAGES = sizes('permission list', 'permission');

builder.node(RbacRole, {
  description: `An RBAC role of the organization: a named set of permissions that RBAC groups carry to their members. Read-only through the Admin API. ${ENTERPRISE_NOTE}`,
  id: { resolve: (role) => role.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'rbac_role',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.rbacRoles.load(id)),
  fields: (t) => ({
    displayName: t.exposeString('display_name', {
      description:
        'The role’s name. Anthropic may rename a built-in role: keep its id for a lasting reference.',
    }),
    ...enumFieldPair(t, 'source', RbacRoleSource, (role) => role.source.type, {
      value:
        'Whether the role is built in or custom; UNKNOWN for a kind this gateway does not know yet.',
      raw: 'The source exactly as the Admin API reports it (`built_in`, `custom`, …).',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the role was created.',
      resolve: (role) => role.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the role was last changed.',
      resolve: (role) => role.updated_at,
    }),
    permissions: t.connection(
      {
        type: RbacRolePermission,
        description:
          'The permissions the role grants (GET /v1/organizations/rbac_roles/{id}/permissions). `first` is 1–1000 (default 20); forward only: `last` and `before` are refused.',
        extensions: costExtension({ kind: 'connection' }),
        nullable: true,
        resolve: (role, args, ctx) =>
          resolveReportConnection(args, { roleId: role.id }, PERMISSION_PAGES, (query) =>
            ctx.loaders.rbacPages.permissions(role.id, query),
          ),
      },
      RbacRolePermissionConnection,
    ),
  }),
});

const RbacRoleConnection = builder.connectionObject(
  {
    type: RbacRole,
    name: 'RbacRoleConnection',
    description: 'A page of RBAC roles. Pages forward only (`first`/`after`).',
  },
  { name: 'RbacRoleEdge', description: 'An RBAC role and its cursor.' },
);

builder.objectField(Organization, 'rbacRoles', (t) =>
  t.connection(
    {
      type: RbacRole,
      description: `The organization’s RBAC roles (GET /v1/organizations/rbac_roles). The Admin API offers no filter on this list. \`first\` is 1–1000 (default 20); forward only: \`last\` and \`before\` are refused. ${ENTERPRISE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (_organization, args, ctx) =>
        resolveReportConnection(args, { list: 'rbacRoles' }, ROLE_PAGES, (query) =>
          ctx.loaders.rbacPages.roles(query),
        ),
    },
    RbacRoleConnection,
  ),
);

builder.queryField('rbacRole', (t) =>
  t.field({
    type: RbacRole,
    nullable: true,
    description: `An RBAC role by id; null when the organization has no such role (a role of another organization of the enterprise is not found either). ${ENTERPRISE_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'rbacRoles' }),
    args: { id: t.arg.id({ required: true, description: 'The RBAC role id (rbac_role_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.rbacRoles.load(checkIdArgument('rbacRole', args.id, 'id')),
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(RbacRole, 'rbacRole');
