import type {
  APIKeyListParams,
  APIKeyUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/api-keys';
import type {
  InviteCreateParams,
  InviteListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/invites';
import type { RateLimitListParams } from '@anthropic-ai/sdk/resources/beta/organization/rate-limits';
import type { UserUpdateParams } from '@anthropic-ai/sdk/resources/beta/organization/users';
import type {
  BetaAllowedInferenceGeo,
  BetaDataResidencyCreateConfig,
  BetaNoBillingWorkspaceRole,
  BetaWorkspaceRole,
} from '@anthropic-ai/sdk/resources/beta/organization/workspaces/workspaces';
import { UpstreamError } from './errors.js';

/*
 * The values the SDK's request types accept where the gateway holds a plain string (GraphQL
 * enums, filters). A value is checked against the list before it is sent, instead of being cast:
 * a value the SDK does not know fails like the Admin API's 400 would, naming the parameter, and
 * sends nothing. Each list is checked against the SDK's type by `satisfies`, so a value the SDK
 * drops stops compiling here.
 */

type Defined<T> = Exclude<T, null | undefined>;
type Item<T> = T extends readonly (infer I)[] ? I : never;

export const API_KEY_STATUSES = [
  'active',
  'archived',
  'expired',
  'inactive',
] as const satisfies readonly Defined<APIKeyListParams['status']>[];
export const SETTABLE_API_KEY_STATUSES = [
  'active',
  'archived',
  'inactive',
] as const satisfies readonly Defined<APIKeyUpdateParams['status']>[];
export const ASSIGNABLE_ROLES = [
  'billing',
  'claude_code_user',
  'developer',
  'managed',
  'user',
] as const satisfies readonly (UserUpdateParams['role'] & InviteCreateParams['role'])[];
export const INVITE_STATUSES = ['accepted', 'expired', 'pending'] as const satisfies readonly Item<
  Defined<InviteListParams['statuses']>
>[];
export const WORKSPACE_ROLES = [
  'workspace_admin',
  'workspace_billing',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const satisfies readonly BetaWorkspaceRole[];
export const ADDABLE_WORKSPACE_ROLES = [
  'workspace_admin',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const satisfies readonly BetaNoBillingWorkspaceRole[];
export const RATE_LIMIT_GROUP_TYPES = [
  'batch',
  'files',
  'model_group',
  'skills',
  'token_count',
  'web_search',
] as const satisfies readonly Defined<RateLimitListParams['group_type']>[];
export const INFERENCE_GEOS = [
  'global',
  'us',
] as const satisfies readonly BetaAllowedInferenceGeo[];
export const WORKSPACE_GEOS = ['us'] as const satisfies readonly Defined<
  BetaDataResidencyCreateConfig['workspace_geo']
>[];

/** `value` as one of `allowed`, or a 400 naming `parameter` (no request is made). */
export function oneOf<const T extends string>(
  allowed: readonly T[],
  value: string,
  parameter: string,
): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) {
    throw new UpstreamError({
      kind: 'http',
      status: 400,
      errorType: 'invalid_request_error',
      message: `${parameter}: Input should be ${allowed.map((v) => `'${v}'`).join(', ')}`,
      upstreamRequestId: null,
    });
  }
  return found;
}

/** Each of `values` as one of `allowed` (see oneOf). */
export function allOf<const T extends string>(
  allowed: readonly T[],
  values: readonly string[],
  parameter: string,
): T[] {
  return values.map((value) => oneOf(allowed, value, parameter));
}
