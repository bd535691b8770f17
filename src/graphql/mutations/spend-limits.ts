import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { isKnown } from '../lib/open-enum.js';
import {
  inputError,
  isNotFound,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import {
  EffectiveSpendLimit,
  SpendLimit,
  SpendLimitIncreaseRequest,
  SpendLimitPeriod,
} from '../nodes/spend-limit.js';
import {
  INCREASE_REQUEST_ID,
  approveIncreaseRequest,
  deleteSpendLimit,
  denyIncreaseRequest,
  getIncreaseRequest,
  getSpendLimit,
  setSpendLimit,
  type BetaSpendLimit,
  type BetaSpendLimitIncreaseRequest,
  type BetaSpendLimitPeriod,
  type IncreaseRequestApproveResponse,
} from '../../upstream/resources/spend-limits.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Spend-limit mutations (EXTENDED.md §8): set (an upsert on scope and period), delete, and the
 * approval or denial of a member's request for more. They need `write` and `spend_limits:write`.
 * Amounts are integer decimal strings in the currency's minor unit (cents for USD), checked here
 * before anything is sent.
 */

const MINOR_UNITS = /^(0|[1-9]\d{0,17})$/;

const BODY_PATHS: InputPaths['body'] = {
  amount: ['input', 'amountMinorUnits'],
  user_id: ['input', 'scope', 'userId'],
  workspace_id: ['input', 'scope', 'workspaceId'],
  scope: ['input', 'scope'],
  period: ['input', 'period'],
  suppress_notification: ['input', 'suppressNotification'],
};

function amountError(value: string): { result: null; userErrors: UserErrorShape[] } | null {
  return MINOR_UNITS.test(value)
    ? null
    : inputError(
        `amountMinorUnits must be a whole number of minor units (cents for USD) written with digits only, such as "50000" for $500.00; got ${JSON.stringify(value.slice(0, 40))}.`,
        ['input', 'amountMinorUnits'],
      );
}

function periodOf(
  value: BetaSpendLimitPeriod | '__unknown__' | null | undefined,
): BetaSpendLimitPeriod | undefined | 'invalid' {
  if (value == null) return undefined;
  return isKnown(value) ? value : 'invalid';
}

function increaseRequestIdError(id: string) {
  return INCREASE_REQUEST_ID.test(id)
    ? null
    : inputError(
        `${JSON.stringify(id.slice(0, 100))} is not a spend-limit increase request id (letters, digits, _ and -).`,
        ['input', 'increaseRequestId'],
      );
}

const SpendLimitScopeInput = builder.inputType('SpendLimitScopeInput', {
  description:
    'What a spend limit applies to: exactly one of `userId` (Claude Enterprise), `workspaceId` or `organization` (Claude Console). The Admin API refuses a kind the organization does not set through the API.',
  fields: (t) => ({
    userId: t.id({ description: 'One member (user_…).' }),
    workspaceId: t.id({ description: 'One workspace (wrkspc_…).' }),
    organization: t.boolean({ description: 'true: the whole organization.' }),
  }),
});

type ScopeBody = Parameters<typeof setSpendLimit>[1]['scope'];

function scopeBody(scope: {
  userId?: string | null;
  workspaceId?: string | null;
  organization?: boolean | null;
}): ScopeBody | null {
  const given = [scope.userId != null, scope.workspaceId != null, scope.organization === true];
  if (given.filter(Boolean).length !== 1) return null;
  if (scope.userId != null) return { type: 'user', user_id: scope.userId };
  if (scope.workspaceId != null) return { type: 'workspace', workspace_id: scope.workspaceId };
  return { type: 'organization' };
}

interface SpendLimitPayload {
  result: BetaSpendLimit | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'setSpendLimit',
  {
    description:
      'Sets a spend limit: creates it, or overwrites the one of the same scope and period.',
    inputFields: (t) => ({
      scope: t.field({
        type: SpendLimitScopeInput,
        required: true,
        description: 'What the limit applies to.',
      }),
      amountMinorUnits: t.string({
        description:
          'The cap as a whole number of the billing currency’s minor units, digits only ("50000" is $500.00). Give this or `noLimit: true`.',
      }),
      noLimit: t.boolean({
        description:
          'true: set an explicit “no limit” for this scope and period (other periods’ caps still apply). Give this or `amountMinorUnits`.',
      }),
      period: t.field({
        type: SpendLimitPeriod.ref,
        description:
          'The window the cap resets over; left out, the Admin API’s default (Claude Console limits are monthly).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { spendLimitsWrite: true },
    description:
      'Sets a spend limit (POST /v1/organizations/spend_limits), an upsert on (scope, period). Claude Enterprise organizations set user limits; Claude Console organizations organization and workspace limits.',
    resolve: async (_root, { input }, ctx): Promise<SpendLimitPayload> => {
      const scope = scopeBody(input.scope);
      if (!scope) {
        return inputError('Give exactly one of userId, workspaceId or organization: true.', [
          'input',
          'scope',
        ]);
      }
      const hasAmount = input.amountMinorUnits != null;
      if (hasAmount === (input.noLimit === true)) {
        return inputError('Give amountMinorUnits or noLimit: true, not both and not neither.', [
          'input',
          'amountMinorUnits',
        ]);
      }
      if (input.amountMinorUnits != null) {
        const invalid = amountError(input.amountMinorUnits);
        if (invalid) return invalid;
      }
      const period = periodOf(input.period);
      if (period === 'invalid') return inputError('period cannot be UNKNOWN.', ['input', 'period']);
      return runMutation(
        {
          body: BODY_PATHS,
          ids: { user: ['input', 'scope', 'userId'], workspace: ['input', 'scope', 'workspaceId'] },
          notFound: ['input', 'scope'],
        },
        () =>
          setSpendLimit(ctx.api, {
            amount: input.amountMinorUnits ?? null,
            scope,
            ...(period ? { period } : {}),
          }),
      );
    },
  },
  resultPayload(
    'setSpendLimit',
    'spendLimit',
    SpendLimit,
    'The limit as set; null when nothing was set.',
  ),
);

interface DeletePayload {
  result: { id: string } | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'deleteSpendLimit',
  {
    description: 'Deletes a spend limit.',
    inputFields: (t) => ({
      spendLimitId: t.id({ required: true, description: 'The limit to delete (spl_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { spendLimitsWrite: true },
    description:
      'Deletes a spend limit (DELETE /v1/organizations/spend_limits/{id}). In a Claude Enterprise organization only per-user overrides can be deleted (the member falls back to inherited limits); a Claude Console organization deletes organization and workspace limits, never its usage-tier limit.',
    resolve: async (_root, { input }, ctx): Promise<DeletePayload> =>
      runMutation(
        { ids: { spendLimit: ['input', 'spendLimitId'] }, notFound: ['input', 'spendLimitId'] },
        () => deleteSpendLimit(ctx.api, input.spendLimitId),
        {
          settle: async () => {
            try {
              await getSpendLimit(ctx.api, input.spendLimitId);
              return null;
            } catch (error) {
              return isNotFound(error) ? { id: input.spendLimitId } : null;
            }
          },
        },
      ),
  },
  {
    description: 'The result of deleteSpendLimit.',
    outputFields: (t) => ({
      deletedSpendLimitId: t.id({
        nullable: true,
        description: 'The id of the deleted limit; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

/** Reads an increase request back after a lost answer: the outcome when it shows `status`. */
const settleDecision =
  <T>(
    ctx: { api: Parameters<typeof getIncreaseRequest>[0] },
    id: string,
    status: 'approved' | 'denied',
    as: (request: BetaSpendLimitIncreaseRequest) => T,
  ) =>
  async (): Promise<T | null> => {
    const request = await getIncreaseRequest(ctx.api, id);
    return request.status === status ? as(request) : null;
  };

interface ApprovePayload {
  result: IncreaseRequestApproveResponse | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'approveSpendLimitIncreaseRequest',
  {
    description: 'Approves a pending spend limit increase request.',
    inputFields: (t) => ({
      increaseRequestId: t.id({ required: true, description: 'The request to approve.' }),
      amountMinorUnits: t.string({
        required: true,
        description:
          'The member’s new limit as a whole number of minor units, digits only ("50000" is $500.00).',
      }),
      period: t.field({
        type: SpendLimitPeriod.ref,
        description: 'The period of the new limit; left out, the period the member was blocked on.',
      }),
      suppressNotification: t.boolean({
        description: 'true: Anthropic does not email the requester.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { spendLimitsWrite: true },
    description:
      'Approves a spend limit increase request (POST /v1/organizations/spend_limit_increase_requests/{id}/approve): writes a per-user limit at the amount given and marks the request approved.',
    resolve: async (_root, { input }, ctx): Promise<ApprovePayload> => {
      const badId = increaseRequestIdError(input.increaseRequestId);
      if (badId) return badId;
      const invalid = amountError(input.amountMinorUnits);
      if (invalid) return invalid;
      const period = periodOf(input.period);
      if (period === 'invalid') return inputError('period cannot be UNKNOWN.', ['input', 'period']);
      return runMutation(
        { body: BODY_PATHS, notFound: ['input', 'increaseRequestId'] },
        () =>
          approveIncreaseRequest(ctx.api, input.increaseRequestId, {
            amount: input.amountMinorUnits,
            ...(period ? { period } : {}),
            ...(input.suppressNotification != null
              ? { suppress_notification: input.suppressNotification }
              : {}),
          }),
        {
          settle: settleDecision(ctx, input.increaseRequestId, 'approved', (request) => ({
            ...request,
            spend_limit: null,
          })),
        },
      );
    },
  },
  {
    description: 'The result of approveSpendLimitIncreaseRequest.',
    outputFields: (t) => ({
      spendLimitIncreaseRequest: t.field({
        type: SpendLimitIncreaseRequest,
        nullable: true,
        description: 'The request, now approved; null when nothing changed.',
        resolve: (payload) => {
          if (!payload.result) return null;
          const { spend_limit: _limit, ...request } = payload.result;
          return request;
        },
      }),
      spendLimit: t.field({
        type: SpendLimit,
        nullable: true,
        description:
          'The per-user limit the approval wrote; null when nothing changed (or when the answer was lost and read back: look the limit up through effectiveSpendLimits).',
        resolve: (payload) => payload.result?.spend_limit ?? null,
      }),
      spendSummary: t.field({
        type: EffectiveSpendLimit,
        nullable: true,
        description: 'The member’s effective limit and spend as the Admin API reported them.',
        resolve: (payload) => payload.result?.spend_summary ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

interface DenyPayload {
  result: BetaSpendLimitIncreaseRequest | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'denySpendLimitIncreaseRequest',
  {
    description: 'Denies a spend limit increase request.',
    inputFields: (t) => ({
      increaseRequestId: t.id({ required: true, description: 'The request to deny.' }),
      suppressNotification: t.boolean({
        description: 'true: Anthropic does not email the requester.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { spendLimitsWrite: true },
    description:
      'Denies a spend limit increase request (POST /v1/organizations/spend_limit_increase_requests/{id}/deny). Denying a denied request again succeeds; an approved one cannot be denied.',
    resolve: async (_root, { input }, ctx): Promise<DenyPayload> => {
      const badId = increaseRequestIdError(input.increaseRequestId);
      if (badId) return badId;
      return runMutation(
        { body: BODY_PATHS, notFound: ['input', 'increaseRequestId'] },
        () =>
          denyIncreaseRequest(ctx.api, input.increaseRequestId, {
            ...(input.suppressNotification != null
              ? { suppress_notification: input.suppressNotification }
              : {}),
          }),
        { settle: settleDecision(ctx, input.increaseRequestId, 'denied', (request) => request) },
      );
    },
  },
  resultPayload(
    'denySpendLimitIncreaseRequest',
    'spendLimitIncreaseRequest',
    SpendLimitIncreaseRequest,
    'The request, now denied; null when nothing changed.',
  ),
);
