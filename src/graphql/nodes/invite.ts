import { GraphQLError } from 'graphql';
import { isId } from '../../domain/ids.js';
import { SCOPES } from '../../domain/scopes.js';
import { badUserInput } from '../lib/errors.js';
import type { AdminInvite } from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField } from '../lib/connection.js';
import { InviteStatus, OrganizationRole } from '../lib/enums.js';
import { checkIdArgument } from '../lib/lookup.js';
import { isKnown } from '../lib/open-enum.js';
import { Organization } from './organization.js';
import { DateTime, EmailAddress } from '../lib/scalars.js';
import { ASSIGNABLE_ROLES, roleFilter } from './user.js';
import { inputError, runMutation, userErrorsField } from '../lib/user-error.js';
import { settleCreateInvite, settleDeleteInvite } from '../lib/settle.js';
import { resultPayload } from '../lib/payload.js';

export const Invite = builder.objectRef<AdminInvite>('Invite');

builder.node(Invite, {
  description: 'An invitation to join the organization.',
  id: { resolve: (invite) => invite.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'invite',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.invites.load(id)),
  fields: (t) => ({
    email: t.field({
      type: EmailAddress,
      description: 'The address invited.',
      resolve: (invite) => invite.email,
    }),
    role: t.field({
      type: OrganizationRole.ref,
      description: 'The role the new member will have.',
      resolve: (invite) => OrganizationRole.fromUpstream(invite.role),
    }),
    roleValue: t.exposeString('role', {
      description: 'The role exactly as the Admin API reports it, also when `role` is UNKNOWN.',
    }),
    status: t.field({
      type: InviteStatus.ref,
      description: 'Where the invitation stands.',
      resolve: (invite) => InviteStatus.fromUpstream(invite.status),
    }),
    statusValue: t.exposeString('status', {
      description: 'The status exactly as the Admin API reports it, also when `status` is UNKNOWN.',
    }),
    invitedAt: t.field({
      type: DateTime,
      description: 'When the invitation was sent.',
      resolve: (invite) => invite.invited_at,
    }),
    expiresAt: t.field({
      type: DateTime,
      description: 'When the invitation expires (21 days after it was sent).',
      resolve: (invite) => invite.expires_at,
    }),
    acceptedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the invitation was accepted; null until then.',
      resolve: (invite) => invite.accepted_at,
    }),
    rbacGroupIds: t.stringList({
      description: 'Claude Enterprise: the RBAC groups the member joins on acceptance.',
      resolve: (invite) => invite.rbac_group_ids ?? [],
    }),
  }),
});

export const InviteConnection = builder.connectionObject(
  {
    type: Invite,
    name: 'InviteConnection',
    description: 'A page of invitations.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'InviteEdge', description: 'An invitation and its cursor.' },
);

builder.objectField(Organization, 'invites', (t) =>
  t.connection(
    {
      type: Invite,
      description:
        'Invitations, most recent first (GET /v1/organizations/invites). Withdrawn invitations are never listed.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        email: t.arg.string({
          description:
            'Only invitations to this address; matching ignores case and a +tag in the local part.',
        }),
        roles: t.arg({ type: [OrganizationRole.ref], description: 'Only these roles.' }),
        statuses: t.arg({
          type: [InviteStatus.ref],
          description: 'Only these statuses: PENDING, ACCEPTED, EXPIRED (default: all three).',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const statuses = args.statuses?.map((status) => {
          if (!isKnown(status) || status === 'deleted') {
            throw badUserInput(
              '`statuses` accepts PENDING, ACCEPTED and EXPIRED; withdrawn invitations are found by id only.',
              { argumentName: 'statuses' },
            );
          }
          return status;
        });
        return resolveConnection(
          args,
          'invite',
          (page) =>
            ctx.loaders.pages.invites({
              ...page,
              ...(args.email != null ? { email: args.email } : {}),
              ...(args.roles ? { roles: roleFilter(args.roles) } : {}),
              ...(statuses ? { statuses } : {}),
            }),
          { wide: ctx.api.cachesReads },
        );
      },
    },
    InviteConnection,
  ),
);

builder.queryField('invite', (t) =>
  t.field({
    type: Invite,
    nullable: true,
    description:
      'An invitation by id, withdrawn ones included; null when no such invitation exists.',
    extensions: costExtension({ kind: 'reference', collection: 'invites' }),
    args: { id: t.arg.id({ required: true, description: 'The invite id (invite_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.invites.load(checkIdArgument('invite', args.id, 'id')),
  }),
);

builder.relayMutationField(
  'createInvite',
  {
    description: 'Invites someone to the organization.',
    inputFields: (t) => ({
      email: t.field({ type: EmailAddress, required: true, description: 'The address to invite.' }),
      role: t.field({
        type: OrganizationRole.ref,
        required: true,
        description:
          'The role the new member will have: USER, DEVELOPER, BILLING or CLAUDE_CODE_USER (Console), USER or MANAGED (Enterprise).',
      }),
      rbacGroupIds: t.idList({
        required: false,
        description:
          'Claude Enterprise: RBAC groups (rbac_group_…) the person joins when the invitation is accepted. A non-empty list needs the scope rbac:write as well, and an organization with RBAC groups.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description:
      'Sends an invitation email (POST /v1/organizations/invites). The invitation expires after 21 days.',
    resolve: async (_root, { input }, ctx) => {
      if (!ASSIGNABLE_ROLES.has(input.role)) {
        return inputError(
          'This role cannot be given through the Admin API; assignable roles are USER, DEVELOPER, BILLING, CLAUDE_CODE_USER and MANAGED.',
          ['input', 'role'],
        );
      }
      const rbacGroupIds = input.rbacGroupIds ?? [];
      const malformed = rbacGroupIds.findIndex((id) => !isId('rbacGroup', id));
      if (malformed >= 0) {
        return inputError(
          `\`rbacGroupIds\` takes RBAC group ids (rbac_group_…); got ${JSON.stringify(String(rbacGroupIds[malformed]).slice(0, 100))}.`,
          ['input', 'rbacGroupIds', String(malformed)],
        );
      }
      if (rbacGroupIds.length > 0 && !ctx.caller.scopes.has(SCOPES.rbacWrite)) {
        throw new GraphQLError(
          `Not permitted: createInvite with rbacGroupIds needs the scope ${SCOPES.rbacWrite} as well.`,
          { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
        );
      }
      const sent = { email: input.email, role: input.role, rbacGroupIds };
      const outcome = await runMutation(
        {
          body: {
            email: ['input', 'email'],
            role: ['input', 'role'],
            rbac_group_ids: ['input', 'rbacGroupIds'],
          },
        },
        () => ctx.api.createInvite(sent),
        { settle: settleCreateInvite(ctx.api, sent) },
      );
      return outcome;
    },
  },
  resultPayload('createInvite', 'invite', Invite, 'The new invitation; null when none was sent.'),
);

builder.relayMutationField(
  'deleteInvite',
  {
    description: 'Withdraws a pending invitation.',
    inputFields: (t) => ({
      inviteId: t.id({ required: true, description: 'The invitation to withdraw (invite_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description:
      'Withdraws a pending invitation (DELETE /v1/organizations/invites/{id}); accepted or expired ones cannot be withdrawn.',
    resolve: async (_root, { input }, ctx) => {
      const outcome = await runMutation(
        { ids: { invite: ['input', 'inviteId'] }, notFound: ['input', 'inviteId'] },
        () => ctx.api.deleteInvite(input.inviteId),
        { settle: settleDeleteInvite(ctx.api, input.inviteId) },
      );
      return outcome;
    },
  },
  {
    description: 'The result of deleteInvite.',
    outputFields: (t) => ({
      deletedInviteId: t.id({
        nullable: true,
        description: 'The id of the withdrawn invitation; null when nothing was withdrawn.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
