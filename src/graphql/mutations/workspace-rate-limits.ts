import type { BetaWorkspaceRateLimitType } from '@anthropic-ai/sdk/resources/beta/organization/workspaces/rate-limits';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  runMutation,
  userErrorsField,
  type UserErrorShape,
} from '../lib/user-error.js';
import { Workspace } from '../nodes/workspace.js';
import { SafeInt } from '../reports/scalars.js';
import {
  RATE_LIMIT_ID,
  updateWorkspaceRateLimit,
  type BetaWorkspaceRateLimit,
  type RateLimitUpdate,
} from '../../upstream/resources/organization-controls.js';

/*
 * updateWorkspaceRateLimit: a workspace's override of one organization rate-limit group
 * (POST /v1/organizations/workspaces/{id}/rate_limits/{rate_limit_id}). The overrides are read
 * through Workspace.rateLimits; the payload hands back the workspace so that a client reads them
 * again in the same round trip (the write drops their cached copy).
 */

const LIMITER_TYPES: Record<BetaWorkspaceRateLimitType, string> = {
  requests_per_minute: 'Requests per minute.',
  input_tokens_per_minute: 'Input tokens per minute, cache reads included.',
  input_tokens_per_minute_cache_aware:
    'Input tokens per minute, cache reads not counted (the usual type of the organization’s input limit on current models).',
  output_tokens_per_minute: 'Output tokens per minute.',
  tokens_per_minute: 'Tokens per minute.',
  tokens_per_day: 'Tokens per day.',
  tool_uses_per_second: 'Tool uses per second.',
  fast_itpmca: 'Fast mode input tokens per minute (cache-aware).',
  fast_otpm: 'Fast mode output tokens per minute.',
};

const WorkspaceRateLimitType = builder.enumType('WorkspaceRateLimitType', {
  description: 'A limiter a workspace can override.',
  values: Object.fromEntries(
    Object.entries(LIMITER_TYPES).map(([value, description]) => [
      value.toUpperCase(),
      { value: value as BetaWorkspaceRateLimitType, description },
    ]),
  ),
});

const WorkspaceRateLimitValueInput = builder.inputType('WorkspaceRateLimitValueInput', {
  description:
    'One limiter to set or clear: give `value`, or `clear: true` to fall back to the organization’s limit.',
  fields: (t) => ({
    type: t.field({
      type: WorkspaceRateLimitType,
      required: true,
      description: 'The limiter.',
    }),
    value: t.field({
      type: SafeInt,
      description:
        'The workspace’s limit (0 or more). A value above the organization’s limit is stored, but the lower of the two applies.',
    }),
    clear: t.boolean({ description: 'true: remove the override of this limiter.' }),
  }),
});

interface RateLimitPayload {
  result: BetaWorkspaceRateLimit | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'updateWorkspaceRateLimit',
  {
    description:
      'Sets or clears a workspace’s overrides for one rate-limit group; limiters not named keep their current value.',
    inputFields: (t) => ({
      workspaceId: t.id({
        required: true,
        description: 'The workspace (wrkspc_…); the Default Workspace cannot have overrides.',
      }),
      rateLimitId: t.id({
        required: true,
        description:
          'The organization rate-limit group (OrganizationRateLimit.id, WorkspaceRateLimit.rateLimitId).',
      }),
      limits: t.field({
        type: [WorkspaceRateLimitValueInput],
        required: true,
        description: 'The limiters to set or clear (at least one, each at most once).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { workspacesWrite: true },
    description:
      'Updates a workspace’s rate-limit overrides for one group (POST /v1/organizations/workspaces/{id}/rate_limits/{rate_limit_id}). Changes take effect upstream within about an hour.',
    resolve: async (_root, { input }, ctx): Promise<RateLimitPayload> => {
      if (!RATE_LIMIT_ID.test(input.rateLimitId)) {
        return inputError(
          `${JSON.stringify(input.rateLimitId.slice(0, 100))} is not a rate-limit group id (letters, digits, _ and -).`,
          ['input', 'rateLimitId'],
        );
      }
      if (input.limits.length === 0) {
        return inputError('Give at least one limiter.', ['input', 'limits']);
      }
      const limits: RateLimitUpdate[] = [];
      for (const [index, limit] of input.limits.entries()) {
        const field = ['input', 'limits', String(index)];
        if ((limit.value != null) === (limit.clear === true)) {
          return inputError('Give value or clear: true for each limiter, not both.', field);
        }
        if (limit.value != null && limit.value < 0) {
          return inputError('value must be 0 or more.', [...field, 'value']);
        }
        if (limits.some((known) => known.type === limit.type)) {
          return inputError(`The limiter ${limit.type} is named twice.`, field);
        }
        limits.push({ type: limit.type, value: limit.value ?? null });
      }
      return runMutation(
        {
          ids: { workspace: ['input', 'workspaceId'] },
          notFound: (message) =>
            /rate.?limit/i.test(message) ? ['input', 'rateLimitId'] : ['input', 'workspaceId'],
          body: { workspace_id: ['input', 'workspaceId'], limits: ['input', 'limits'] },
        },
        () => updateWorkspaceRateLimit(ctx.api, input.workspaceId, input.rateLimitId, limits),
      );
    },
  },
  {
    description: 'The result of updateWorkspaceRateLimit.',
    outputFields: (t) => ({
      workspace: t.field({
        type: Workspace,
        nullable: true,
        description:
          'The workspace; read its `rateLimits` for the overrides as they now are. Null when nothing changed.',
        extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.workspaces.load(payload.result.workspace_id) : null,
      }),
      rateLimitId: t.id({
        nullable: true,
        description: 'The rate-limit group changed; null when nothing changed.',
        resolve: (payload) => payload.result?.rate_limit_id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
