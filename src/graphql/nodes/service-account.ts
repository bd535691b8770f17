import type { AdminUser } from '../../upstream/types.js';
import { UpstreamError } from '../../upstream/errors.js';
import {
  getWorkspaceServiceAccount,
  listServiceAccounts,
  listServiceAccountWorkspaces,
  listWorkspaceServiceAccounts,
  type BetaServiceAccount,
  type BetaServiceAccountWorkspaceMember,
} from '../../upstream/resources/service-accounts.js';
import { isId } from '../../domain/ids.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { WorkspaceRole } from '../lib/enums.js';
import { checkIdArgument } from '../lib/lookup.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import { User } from './user.js';
import { Workspace } from './workspace.js';
import { ApiKeyActor } from './api-key.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Service accounts (svac_…): named workload identities that federation rules target, and their
 * workspace memberships. The Admin API serves them to an OAuth access token with `org:admin`
 * only: without one (the caller's bearer token, or ANTHROPIC_OAUTH_TOKEN), each of these fields
 * fails alone with CREDENTIAL_MISSING and makes no request.
 */

const OAUTH_NOTE =
  'Needs an OAuth access token with org:admin (the caller’s bearer token, or the gateway’s ANTHROPIC_OAUTH_TOKEN); without one the field fails alone with CREDENTIAL_MISSING.';

export const ServiceAccountOrganizationRole = openEnum(
  'ServiceAccountOrganizationRole',
  'A service account’s role in the organization.',
  {
    developer: 'The default: federation rules targeting it may grant workspace scopes.',
    admin:
      'Federation rules targeting it may grant `org:admin`; set only with an interactive credential (a user’s OAuth token or a Console session).',
  },
);

export const ServiceAccount = builder.objectRef<BetaServiceAccount>('ServiceAccount');

/** Who made a change: a user or a service account, by their tagged id (user_… or svac_…). */
export const UserOrServiceAccount = builder.unionType('UserOrServiceAccount', {
  description: 'An actor of the Admin API: a member of the organization or a service account.',
  types: [User, ServiceAccount],
  resolveType: (value) =>
    (value as { type?: unknown }).type === 'service_account' ? 'ServiceAccount' : 'User',
});

/** The user or service account a tagged actor id names; null when it names neither or is gone. */
export async function actorOf(
  id: string | null,
  ctx: GatewayContext,
): Promise<AdminUser | BetaServiceAccount | null> {
  if (id === null) return null;
  if (isId('user', id)) return ctx.loaders.users.load(id);
  if (isId('serviceAccount', id)) return ctx.loaders.serviceAccounts.load(id);
  return null;
}

const actorDescription = (what: string) =>
  `The user or service account that ${what}; null when not recorded or no longer found.`;

builder.node(ServiceAccount, {
  description: `A service account: a named workload identity within the organization that workload identity federation rules target (its authorization lives on those rules). ${OAUTH_NOTE}`,
  id: { resolve: (account) => account.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'service_account',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.serviceAccounts.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'The slug that names it (lowercase letters, digits, hyphens), unique in the organization; it never changes.',
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'Free text about it; null or empty when none.',
    }),
    organizationRole: t.field({
      type: ServiceAccountOrganizationRole.ref,
      description: 'Its role in the organization.',
      resolve: (account) => ServiceAccountOrganizationRole.fromUpstream(account.organization_role),
    }),
    organizationRoleValue: t.exposeString('organization_role', {
      description:
        'The role exactly as the Admin API reports it, also when `organizationRole` is UNKNOWN.',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When it was created.',
      resolve: (account) => account.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When it was last changed.',
      resolve: (account) => account.updated_at,
    }),
    archivedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When it was archived; null while it is active.',
      resolve: (account) => account.archived_at,
    }),
    isArchived: t.boolean({
      description: 'Whether it is archived (archived service accounts hold no memberships).',
      resolve: (account) => account.archived_at !== null,
    }),
    createdByActorId: t.exposeID('created_by_actor_id', {
      nullable: true,
      description: 'The id of whoever created it (user_… or svac_…).',
    }),
    createdBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: actorDescription('created it'),
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (account, _args, ctx) => actorOf(account.created_by_actor_id, ctx),
    }),
    updatedBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: actorDescription('changed it last'),
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (account, _args, ctx) => actorOf(account.updated_by_actor_id, ctx),
    }),
    archivedBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: actorDescription('archived it'),
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (account, _args, ctx) => actorOf(account.archived_by_actor_id, ctx),
    }),
  }),
});

export const ServiceAccountWorkspaceMember = builder
  .objectRef<BetaServiceAccountWorkspaceMember>('ServiceAccountWorkspaceMember')
  .implement({
    description:
      'A service account’s membership of a workspace. Every service account is implicitly a WORKSPACE_USER of the Default Workspace (`implicit: true`) until it is added there explicitly.',
    fields: (t) => ({
      role: t.field({
        type: WorkspaceRole.ref,
        description:
          'The service account’s role in the workspace (never WORKSPACE_BILLING for a service account).',
        resolve: (member) => WorkspaceRole.fromUpstream(member.workspace_role),
      }),
      roleValue: t.exposeString('workspace_role', {
        description: 'The role exactly as the Admin API reports it, also when `role` is UNKNOWN.',
      }),
      implicit: t.boolean({
        description:
          'Whether this is the implicit Default Workspace membership (role WORKSPACE_USER), which cannot be removed or changed, only replaced by adding the service account explicitly.',
        resolve: (member) => member.implicit === true,
      }),
      serviceAccountId: t.exposeID('service_account_id', {
        description: 'The service account’s id (svac_…).',
      }),
      workspaceId: t.exposeID('workspace_id', { description: 'The workspace’s id (wrkspc_…).' }),
      serviceAccount: t.field({
        type: ServiceAccount,
        nullable: true,
        description: `The service account; null when it no longer exists. ${OAUTH_NOTE}`,
        extensions: costExtension({ kind: 'reference', collection: 'serviceAccounts' }),
        resolve: (member, _args, ctx) =>
          ctx.loaders.serviceAccounts.load(member.service_account_id),
      }),
      workspace: t.field({
        type: Workspace,
        nullable: true,
        description:
          'The workspace (the Default Workspace included); null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
        resolve: (member, _args, ctx) => ctx.loaders.workspaces.load(member.workspace_id),
      }),
      createdByActorId: t.exposeID('created_by_actor_id', {
        nullable: true,
        description:
          'The id of whoever made the membership (user_… or svac_…); null for the implicit one.',
      }),
      createdBy: t.field({
        type: UserOrServiceAccount,
        nullable: true,
        description: actorDescription('made the membership'),
        extensions: costExtension({ kind: 'reference', collection: 'users' }),
        resolve: (member, _args, ctx) => actorOf(member.created_by_actor_id, ctx),
      }),
    }),
  });

export const ServiceAccountConnection = builder.connectionObject(
  {
    type: ServiceAccount,
    name: 'ServiceAccountConnection',
    description: 'A page of service accounts. Pages forward only (`first`/`after`).',
  },
  { name: 'ServiceAccountEdge', description: 'A service account and its cursor.' },
);

export const ServiceAccountWorkspaceMemberConnection = builder.connectionObject(
  {
    type: ServiceAccountWorkspaceMember,
    name: 'ServiceAccountWorkspaceMemberConnection',
    description: 'A page of service-account workspace memberships. Pages forward only.',
  },
  {
    name: 'ServiceAccountWorkspaceMemberEdge',
    description: 'A service-account workspace membership and its cursor.',
  },
);

const sizes = (list: string, unit: string): ReportPageSizes => ({
  defaultSize: 20,
  maxSize: 1000,
  unit,
  list,
});
const SERVICE_ACCOUNT_PAGES = sizes('service account list', 'service account');
const MEMBERSHIP_PAGES = sizes('membership list', 'membership');

builder.objectField(Organization, 'serviceAccounts', (t) =>
  t.connection(
    {
      type: ServiceAccount,
      description: `The organization’s service accounts, newest first (GET /v1/organizations/service_accounts). \`first\` is 1–1000 (default 20); forward only: \`last\` and \`before\` are refused. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeArchived: t.arg.boolean({
          defaultValue: false,
          description: 'Whether archived service accounts are listed too.',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const connection = await resolveReportConnection(
          args,
          { include_archived: args.includeArchived ?? false },
          SERVICE_ACCOUNT_PAGES,
          (query) => listServiceAccounts(ctx.api, query),
        );
        // What the page brought is not fetched again in this request.
        for (const { node } of connection.edges) ctx.loaders.serviceAccounts.prime(node.id, node);
        return connection;
      },
    },
    ServiceAccountConnection,
  ),
);

builder.queryField('serviceAccount', (t) =>
  t.field({
    type: ServiceAccount,
    nullable: true,
    description: `A service account by id, archived ones included; null when none exists (GET /v1/organizations/service_accounts/{id}). ${OAUTH_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'serviceAccounts' }),
    args: { id: t.arg.id({ required: true, description: 'The service account id (svac_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.serviceAccounts.load(checkIdArgument('serviceAccount', args.id, 'id')),
  }),
);

builder.objectField(ServiceAccount, 'workspaces', (t) =>
  t.connection(
    {
      type: ServiceAccountWorkspaceMember,
      description: `The workspaces it is a member of, each with its role (GET /v1/organizations/service_accounts/{id}/workspaces). The implicit Default Workspace membership comes first unless it was added there explicitly; an archived service account has none. Forward only. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (account, args, ctx) =>
        resolveReportConnection(args, { serviceAccountId: account.id }, MEMBERSHIP_PAGES, (query) =>
          listServiceAccountWorkspaces(ctx.api, account.id, {
            ...(query.limit !== undefined ? { limit: query.limit } : {}),
            ...(query.page !== undefined ? { page: query.page } : {}),
          }),
        ),
    },
    ServiceAccountWorkspaceMemberConnection,
  ),
);

builder.objectFields(Workspace, (t) => ({
  serviceAccounts: t.connection(
    {
      type: ServiceAccountWorkspaceMember,
      description: `The service accounts that are members of this workspace, each with its role (GET /v1/organizations/workspaces/{id}/service_accounts). Implicit Default Workspace memberships and archived service accounts are not listed; an archived workspace is an error. Forward only. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (workspace, args, ctx) =>
        resolveReportConnection(args, { workspaceId: workspace.id }, MEMBERSHIP_PAGES, (query) =>
          listWorkspaceServiceAccounts(ctx.api, workspace.id, {
            ...(query.limit !== undefined ? { limit: query.limit } : {}),
            ...(query.page !== undefined ? { page: query.page } : {}),
          }),
        ),
    },
    ServiceAccountWorkspaceMemberConnection,
  ),
  serviceAccountMember: t.field({
    type: ServiceAccountWorkspaceMember,
    nullable: true,
    description: `One service account’s membership of this workspace (GET /v1/organizations/workspaces/{id}/service_accounts/{service_account_id}): the implicit one for the Default Workspace; null when it is not a member or is archived. ${OAUTH_NOTE}`,
    extensions: costExtension({ kind: 'request' }),
    args: {
      serviceAccountId: t.arg.id({
        required: true,
        description: 'The service account (svac_…).',
      }),
    },
    resolve: async (workspace, args, ctx) => {
      const id = checkIdArgument('serviceAccount', args.serviceAccountId, 'serviceAccountId');
      try {
        return await getWorkspaceServiceAccount(ctx.api, workspace.id, id);
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'http' && error.status === 404) {
          return null;
        }
        throw error;
      }
    },
  }),
}));

// The issue asks for API key principals and creators that are service accounts "reachable as such".
builder.objectField(ApiKeyActor, 'serviceAccount', (t) =>
  t.field({
    type: ServiceAccount,
    nullable: true,
    description: `The service account, when the actor is one (archived ones included); null otherwise, or when it no longer exists. ${OAUTH_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'serviceAccounts' }),
    resolve: (actor, _args, ctx) =>
      actor.type === 'service_account' && isId('serviceAccount', actor.id)
        ? ctx.loaders.serviceAccounts.load(actor.id)
        : null,
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(ServiceAccount, 'serviceAccount');
