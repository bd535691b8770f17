import type { AdminWorkspaceMember } from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField } from '../lib/connection.js';
import { WorkspaceRole } from '../lib/enums.js';
import { parseWorkspaceMemberId, workspaceMemberId } from '../lib/global-id.js';
import { checkIdArgument } from '../lib/lookup.js';
import { User } from './user.js';
import { inputError, runMutation, userErrorsField } from '../lib/user-error.js';
import { settleRemoveWorkspaceMember, settleWorkspaceMemberRole } from '../lib/settle.js';
import { Workspace } from './workspace.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

export const WorkspaceMember = builder.objectRef<AdminWorkspaceMember>('WorkspaceMember');

builder.node(WorkspaceMember, {
  description:
    'A user’s membership of a workspace. Organization admins and billing members are members of every workspace by inheritance.',
  id: {
    description:
      'A deterministic id made of the workspace id and the user id (workspace_member:wrkspc_…:user_…).',
    resolve: (member) => workspaceMemberId(member.workspace_id, member.user_id),
  },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'workspace_member',
  loadMany: (ids, ctx) =>
    ids.map((id) => {
      const key = parseWorkspaceMemberId(id);
      return key ? ctx.loaders.members.load(key) : null;
    }),
  fields: (t) => ({
    role: t.field({
      type: WorkspaceRole.ref,
      description: 'The member’s role in the workspace.',
      resolve: (member) => WorkspaceRole.fromUpstream(member.workspace_role),
    }),
    roleValue: t.exposeString('workspace_role', {
      description: 'The role exactly as the Admin API reports it, also when `role` is UNKNOWN.',
    }),
    workspace: t.field({
      type: Workspace,
      description: 'The workspace.',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: async (member, _args, ctx) => {
        const workspace = await ctx.loaders.workspaces.load(member.workspace_id);
        if (!workspace) throw new Error(`workspace ${member.workspace_id} of a member is missing`);
        return workspace;
      },
    }),
    user: t.field({
      type: User,
      description: 'The user.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      // A user already listed in this request answers in the same turn: the members of a large
      // organization's workspaces are thousands of lookups.
      resolve: (member, _args, ctx) =>
        ctx.loaders.listedUser(member.user_id) ??
        ctx.loaders.users.load(member.user_id).then((user) => {
          if (!user) throw new Error(`user ${member.user_id} of a member is missing`);
          return user;
        }),
    }),
  }),
});

export const WorkspaceMemberConnection = builder.connectionObject(
  {
    type: WorkspaceMember,
    name: 'WorkspaceMemberConnection',
    description: 'A page of workspace members.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'WorkspaceMemberEdge', description: 'A member and its cursor.' },
);

builder.objectFields(Workspace, (t) => ({
  members: t.connection(
    {
      type: WorkspaceMember,
      description:
        'The workspace’s members, inherited ones included (GET /v1/organizations/workspaces/{id}/members). The Default Workspace has none.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (workspace, args, ctx) =>
        resolveConnection(args, 'user', (page) => ctx.loaders.pages.members(workspace.id, page), {
          cursorIdOf: (member) => member.user_id,
          // Asked for below a list of workspaces, a first page of 1000 would fetch every
          // workspace's whole membership: pages after the first are served wide.
          wide: ctx.api.cachesReads,
          narrowFirstPage: true,
        }),
    },
    WorkspaceMemberConnection,
  ),
  member: t.field({
    type: WorkspaceMember,
    nullable: true,
    description: 'One user’s membership of this workspace; null when the user is not a member.',
    extensions: costExtension({ kind: 'request' }),
    args: { userId: t.arg.id({ required: true, description: 'The user (user_…).' }) },
    resolve: (workspace, args, ctx) =>
      ctx.loaders.members.load({
        workspaceId: workspace.id,
        userId: checkIdArgument('user', args.userId, 'userId'),
      }),
  }),
}));

builder.queryField('workspaceMember', (t) =>
  t.field({
    type: WorkspaceMember,
    nullable: true,
    description: 'A user’s membership of a workspace; null when the user is not a member.',
    extensions: costExtension({ kind: 'request' }),
    args: {
      workspaceId: t.arg.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      userId: t.arg.id({ required: true, description: 'The user (user_…).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.members.load({
        workspaceId: checkIdArgument('workspace', args.workspaceId, 'workspaceId'),
        userId: checkIdArgument('user', args.userId, 'userId'),
      }),
  }),
);

// Mutations

type MemberPayload = Outcome<AdminWorkspaceMember>;

const memberPayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'workspaceMember', WorkspaceMember, description);

const MEMBER_PATHS = {
  ids: { workspace: ['input', 'workspaceId'], user: ['input', 'userId'] },
  // The Admin API's 404 says whether the workspace or the membership was missing.
  notFound: (message: string) =>
    /\bworkspace\b/i.test(message) && !/\b(user|member)\b/i.test(message)
      ? ['input', 'workspaceId']
      : ['input', 'userId'],
  body: { workspace_role: ['input', 'role'], user_id: ['input', 'userId'] },
};

builder.relayMutationField(
  'addWorkspaceMember',
  {
    description: 'Adds an organization member to a workspace.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      userId: t.id({ required: true, description: 'The organization member to add (user_…).' }),
      role: t.field({
        type: WorkspaceRole.ref,
        required: true,
        description:
          'The role in the workspace; WORKSPACE_BILLING cannot be given (it comes from the organization billing role).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description: 'Adds a member to a workspace (POST /v1/organizations/workspaces/{id}/members).',
    resolve: async (_root, { input }, ctx): Promise<MemberPayload> => {
      if (input.role === 'workspace_billing' || input.role === '__unknown__') {
        return inputError(
          'WORKSPACE_BILLING cannot be given by hand; it comes with the organization billing role.',
          ['input', 'role'],
        );
      }
      const outcome = await runMutation(
        MEMBER_PATHS,
        () =>
          ctx.api.addWorkspaceMember(input.workspaceId, {
            user_id: input.userId,
            workspace_role: input.role,
          }),
        { settle: settleWorkspaceMemberRole(ctx.api, input.workspaceId, input.userId, input.role) },
      );
      return outcome;
    },
  },
  memberPayload('addWorkspaceMember', 'The new membership; null when nothing was added.'),
);

builder.relayMutationField(
  'updateWorkspaceMember',
  {
    description: 'Changes a member’s role in a workspace.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      userId: t.id({ required: true, description: 'The member (user_…).' }),
      role: t.field({ type: WorkspaceRole.ref, required: true, description: 'The new role.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description:
      'Changes a member’s workspace role (POST /v1/organizations/workspaces/{id}/members/{user_id}). Organization admins and billing members keep their inherited roles.',
    resolve: async (_root, { input }, ctx): Promise<MemberPayload> => {
      if (input.role === '__unknown__') {
        return inputError('UNKNOWN is not a role that can be given.', ['input', 'role']);
      }
      const outcome = await runMutation(
        MEMBER_PATHS,
        () =>
          ctx.api.updateWorkspaceMember(input.workspaceId, input.userId, {
            workspace_role: input.role,
          }),
        { settle: settleWorkspaceMemberRole(ctx.api, input.workspaceId, input.userId, input.role) },
      );
      return outcome;
    },
  },
  memberPayload('updateWorkspaceMember', 'The membership as changed; null when the change failed.'),
);

builder.relayMutationField(
  'removeWorkspaceMember',
  {
    description: 'Removes a member from a workspace.',
    inputFields: (t) => ({
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
      userId: t.id({ required: true, description: 'The member to remove (user_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description:
      'Removes a member from a workspace (DELETE /v1/organizations/workspaces/{id}/members/{user_id}). Their API keys keep working.',
    resolve: async (_root, { input }, ctx) => {
      const outcome = await runMutation(
        MEMBER_PATHS,
        () => ctx.api.removeWorkspaceMember(input.workspaceId, input.userId),
        { settle: settleRemoveWorkspaceMember(ctx.api, input.workspaceId, input.userId) },
      );
      return outcome;
    },
  },
  {
    description: 'The result of removeWorkspaceMember.',
    outputFields: (t) => ({
      removedWorkspaceMemberId: t.id({
        nullable: true,
        description: 'The id of the removed membership; null when nothing was removed.',
        resolve: (payload) =>
          payload.result
            ? workspaceMemberId(payload.result.workspace_id, payload.result.user_id)
            : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
