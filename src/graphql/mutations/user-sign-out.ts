import { GraphQLError } from 'graphql';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { upstreamExtensions } from '../lib/errors.js';
import { openEnum } from '../lib/open-enum.js';
import { runMutation, userErrorsField, type UserErrorShape } from '../lib/user-error.js';
import { User } from '../nodes/user.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  signOutUser,
  type BetaOrganizationUser,
} from '../../upstream/resources/organization-controls.js';
import type { AdminUser } from '../../upstream/types.js';

/*
 * signOutUser (POST /v1/organizations/users/{id}/sign_out, beta admin-user-sign-out-2026-10-08):
 * ends a member's sessions everywhere without removing them. The Admin API's six typed refusals
 * (error_code cannot_sign_out_…) are NOT_PERMITTED userErrors, with the reason in `refusal`; an
 * organization not enrolled in the beta gets NOT_ENABLED on this field.
 */

const REFUSALS = {
  cannot_sign_out_self: 'The member is the person the credential acts for.',
  cannot_sign_out_primary_owner:
    'The member is the primary owner, whom no credential can sign out.',
  cannot_sign_out_owner:
    'The member is an owner or has owner permissions, and this credential cannot sign them out (in Claude Enterprise, an API key with write:members can).',
  cannot_sign_out_managed_member:
    'The member has the managed role, and this credential cannot sign them out (the message says which can).',
  cannot_sign_out_membership_admin:
    'The member is a membership admin, and the person the credential belongs to may not sign membership admins out.',
  cannot_sign_out_privileged_member:
    'This OAuth token cannot sign out a membership admin or a member whose roles grant owner, user management or identity and access management.',
} as const;

type Refusal = keyof typeof REFUSALS;

const SignOutRefusal = openEnum(
  'SignOutRefusal',
  'Why the Admin API refused to sign a member out.',
  REFUSALS,
);

const isRefusal = (code: string): code is Refusal => Object.hasOwn(REFUSALS, code);

/** A typed refusal, carried past runMutation to become the payload's userError. */
class SignOutRefused extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly upstream: UpstreamError,
  ) {
    super(upstream.message);
  }
}

interface SignOutPayload {
  result: BetaOrganizationUser | null;
  refusal: Refusal | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'signOutUser',
  {
    description: 'Signs a member out of Claude everywhere, without removing them.',
    inputFields: (t) => ({
      userId: t.id({ required: true, description: 'The member to sign out (user_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    // Nullable: an organization not enrolled in the beta fails this field alone (NOT_ENABLED).
    nullable: true,
    authScopes: { membersWrite: true },
    description:
      'Signs a member out (POST /v1/organizations/users/{id}/sign_out, beta admin-user-sign-out-2026-10-08): ends their sign-in sessions and trusted devices wherever they use Claude, and the OAuth tokens issued to them for this organization (apps such as Claude Code must sign in again). It does not end API keys or Claude Code cloud sessions; they keep their role and may sign in again at once. A token can take up to an hour to stop working. Sending it again is harmless. An organization not enrolled in the beta gets NOT_ENABLED.',
    resolve: async (_root, { input }, ctx): Promise<SignOutPayload> => {
      try {
        const outcome = await runMutation(
          { ids: { user: ['input', 'userId'] }, notFound: ['input', 'userId'] },
          async () => {
            try {
              return await signOutUser(ctx.api, input.userId);
            } catch (error) {
              if (!(error instanceof UpstreamError)) throw error;
              if (error.errorType === NOT_ENABLED_ERROR_TYPE) {
                // Not something the caller can fix in the input: an error on this field.
                throw new GraphQLError(error.message, { extensions: upstreamExtensions(error) });
              }
              if (isRefusal(error.errorType)) throw new SignOutRefused(error.errorType, error);
              throw error;
            }
          },
        );
        return { ...outcome, refusal: null };
      } catch (error) {
        if (!(error instanceof SignOutRefused)) throw error;
        return {
          result: null,
          refusal: error.refusal,
          userErrors: [
            { message: error.message, code: 'NOT_PERMITTED', field: ['input', 'userId'] },
          ],
        };
      }
    },
  },
  {
    description: 'The result of signOutUser.',
    outputFields: (t) => ({
      user: t.field({
        type: User,
        nullable: true,
        description: 'The member signed out; null when the sign-out was refused.',
        // The Admin API answers with the member as GET /users/{id} does.
        resolve: (payload): AdminUser | null => payload.result,
      }),
      refusal: t.field({
        type: SignOutRefusal.ref,
        nullable: true,
        description:
          'Why the Admin API refused, when it gave one of its typed reasons (the userError says so too); null otherwise.',
        resolve: (payload) => payload.refusal,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
