import { badUserInput } from '../lib/errors.js';
import type { AdminUser } from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField } from '../lib/connection.js';
import { OrganizationRole } from '../lib/enums.js';
import { checkIdArgument } from '../lib/lookup.js';
import { isKnown } from '../lib/open-enum.js';
import { Organization } from './organization.js';
import { DateTime, EmailAddress } from '../lib/scalars.js';
import { inputError, runMutation, userErrorsField } from '../lib/user-error.js';
import { settleRemoveUser, settleUpdateUser } from '../lib/settle.js';
import { resultPayload } from '../lib/payload.js';

export const User = builder.objectRef<AdminUser>('User');

builder.node(User, {
  description: 'A member of the organization.',
  id: { resolve: (user) => user.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'user',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.users.load(id)),
  fields: (t) => ({
    email: t.field({
      type: EmailAddress,
      description: 'The member’s email address.',
      resolve: (user) => user.email,
    }),
    name: t.exposeString('name', { description: 'The member’s name.' }),
    role: t.field({
      type: OrganizationRole.ref,
      description: 'The member’s role in the organization.',
      resolve: (user) => OrganizationRole.fromUpstream(user.role),
    }),
    roleValue: t.exposeString('role', {
      description: 'The role exactly as the Admin API reports it, also when `role` is UNKNOWN.',
    }),
    addedAt: t.field({
      type: DateTime,
      description: 'When the member joined the organization.',
      resolve: (user) => user.added_at,
    }),
  }),
});

export const UserConnection = builder.connectionObject(
  {
    type: User,
    name: 'UserConnection',
    description: 'A page of organization members.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'UserEdge', description: 'A member and its cursor.' },
);

/** Raw values of a role filter; UNKNOWN is not a value the Admin API can filter on. */
export function roleFilter(
  roles: readonly string[] | null | undefined,
  argumentName = 'roles',
): string[] | undefined {
  if (!roles) return undefined;
  return roles.map((role) => {
    if (!isKnown(role)) throw badUserInput(`\`${argumentName}\` cannot contain UNKNOWN.`);
    return role;
  });
}

builder.objectField(Organization, 'users', (t) =>
  t.connection(
    {
      type: User,
      description:
        'The organization’s members, most recently added first (GET /v1/organizations/users).',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        email: t.arg.string({
          description:
            'Only the member with this email; matching ignores case and a +tag in the local part.',
        }),
        roles: t.arg({
          type: [OrganizationRole.ref],
          description: 'Only members with one of these roles.',
        }),
      },
      resolve: (_organization, args, ctx) =>
        resolveConnection(
          args,
          'user',
          (page) =>
            ctx.loaders.pages.users({
              ...page,
              ...(args.email != null ? { email: args.email } : {}),
              ...(args.roles ? { roles: roleFilter(args.roles) } : {}),
            }),
          {
            // An unfiltered page can hold the users the operation looks up elsewhere.
            wide:
              ctx.api.cachesReads ||
              (args.email == null && !args.roles && (ctx.lookups?.has('users') ?? false)),
          },
        ),
    },
    UserConnection,
  ),
);

builder.queryField('user', (t) =>
  t.field({
    type: User,
    nullable: true,
    description: 'A member by id; null when no such member exists.',
    extensions: costExtension({ kind: 'reference', collection: 'users' }),
    args: { id: t.arg.id({ required: true, description: 'The user id (user_…).' }) },
    resolve: (_root, args, ctx) => ctx.loaders.users.load(checkIdArgument('user', args.id, 'id')),
  }),
);

/** Roles the Admin API lets a caller assign or invite with (CONTRACT.md §4.3). */
export const ASSIGNABLE_ROLES = new Set([
  'user',
  'developer',
  'billing',
  'claude_code_user',
  'managed',
]);

builder.relayMutationField(
  'updateUser',
  {
    description: 'Changes a member’s organization role.',
    inputFields: (t) => ({
      userId: t.id({ required: true, description: 'The member to change (user_…).' }),
      role: t.field({
        type: OrganizationRole.ref,
        required: true,
        description:
          'The new role: USER, DEVELOPER, BILLING or CLAUDE_CODE_USER (Console), USER or MANAGED (Enterprise).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description: 'Changes a member’s organization role (POST /v1/organizations/users/{id}).',
    resolve: async (_root, { input }, ctx) => {
      if (!ASSIGNABLE_ROLES.has(input.role)) {
        return inputError(
          'This role cannot be assigned through the Admin API; assignable roles are USER, DEVELOPER, BILLING, CLAUDE_CODE_USER and MANAGED.',
          ['input', 'role'],
        );
      }
      const outcome = await runMutation(
        {
          ids: { user: ['input', 'userId'] },
          // No body paths: the Admin API's refusals speak of the member's current role as often
          // as of the requested one, so a 400 is not pinned on `role`.
          notFound: ['input', 'userId'],
        },
        () => ctx.api.updateUser(input.userId, { role: input.role }),
        { settle: settleUpdateUser(ctx.api, input.userId, input.role) },
      );
      return outcome;
    },
  },
  resultPayload('updateUser', 'user', User, 'The member as changed; null when the change failed.'),
);

builder.relayMutationField(
  'removeUser',
  {
    description: 'Removes a member from the organization.',
    inputFields: (t) => ({
      userId: t.id({ required: true, description: 'The member to remove (user_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { membersWrite: true },
    description:
      'Removes a member from the organization (DELETE /v1/organizations/users/{id}). Their API keys keep working.',
    resolve: async (_root, { input }, ctx) => {
      const outcome = await runMutation(
        { ids: { user: ['input', 'userId'] }, notFound: ['input', 'userId'] },
        () => ctx.api.removeUser(input.userId),
        { settle: settleRemoveUser(ctx.api, input.userId) },
      );
      return outcome;
    },
  },
  {
    description: 'The result of removeUser.',
    outputFields: (t) => ({
      removedUserId: t.id({
        nullable: true,
        description: 'The id of the removed member; null when nothing was removed.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
