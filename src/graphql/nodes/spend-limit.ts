import type {
  BetaSpendLimitScopedAPIKeyActor,
  BetaSpendLimitUserActor,
} from '@anthropic-ai/sdk/resources/beta/organization/spend-limits/spend-limits';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, isKnown, openEnum, type UNKNOWN_VALUE } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Money, type MoneyShape } from '../reports/scalars.js';
import { Organization } from './organization.js';
import { User } from './user.js';
import { Workspace } from './workspace.js';
import { isId } from '../../domain/ids.js';
import {
  INCREASE_REQUEST_ID,
  getIncreaseRequest,
  listEffectiveSpendLimits,
  listIncreaseRequests,
  listSpendLimits,
  type BetaSpendLimit,
  type BetaSpendLimitIncreaseRequest,
  type BetaSpendLimitIncreaseRequestStatus,
  type BetaSpendLimitPeriod,
  type BetaSpendSummary,
} from '../../upstream/resources/spend-limits.js';
import { UpstreamError } from '../../upstream/errors.js';
import type { AdminUser } from '../../upstream/types.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Spend limits (EXTENDED.md §8): configured caps (SpendLimit, a Node with its spl_ id), each
 * member's effective limit and spend so far (EffectiveSpendLimit), and members' requests for a
 * higher limit (SpendLimitIncreaseRequest). Amounts are Money: exact decimal strings in the
 * currency's minor unit as the Admin API reports them, never floats. Scopes and actors are
 * interfaces over the Admin API's tagged unions, with a catch-all type for kinds this gateway
 * does not know yet, and link to User and Workspace where they name one.
 */

/** The page sizes of the family's lists (the Admin API's default and largest `limit`). */
const SPEND_LIST_SIZES = { defaultSize: 20, maxSize: 1000, unit: 'item' } as const;
const SPEND_LIMIT_PAGES: ReportPageSizes = { ...SPEND_LIST_SIZES, list: 'list of spend limits' };
const EFFECTIVE_PAGES: ReportPageSizes = {
  ...SPEND_LIST_SIZES,
  unit: 'row',
  list: 'list of effective spend limits',
};
const REQUEST_PAGES: ReportPageSizes = {
  ...SPEND_LIST_SIZES,
  unit: 'request',
  list: 'list of increase requests',
};

/** Members `effectiveSpendLimits(userIds:)` takes at most (the Admin API's bound). */
const MAX_USER_IDS = 100;

export const SpendLimitPeriod = openEnum(
  'SpendLimitPeriod',
  'The window a spend limit resets over.',
  {
    daily: 'Every UTC day.',
    weekly: 'Every week.',
    monthly: 'Every calendar month.',
  },
);

const SpendLimitIncreaseRequestStatus = openEnum(
  'SpendLimitIncreaseRequestStatus',
  'Where a request for a higher spend limit stands.',
  {
    pending: 'Waiting for an admin to approve or deny it.',
    approved: 'Approved: a per-user limit was written for the requester.',
    denied: 'Denied.',
  },
);

const SCOPE_TYPES = {
  user: 'One member of the organization (Claude Enterprise).',
  seat_tier: 'Every member of one seat tier (Claude Enterprise; set in claude.ai).',
  rbac_group: 'Every member of one RBAC group (Claude Enterprise; set in claude.ai).',
  organization_service: 'One service of the organization (Claude Enterprise; set in claude.ai).',
  organization: 'The whole organization.',
  workspace: 'One workspace (Claude Console).',
  usage_tier:
    'The monthly cap Anthropic sets for a Claude Console organization from its usage tier (read-only).',
} as const;

export const SpendLimitScopeType = openEnum(
  'SpendLimitScopeType',
  'What kind of thing a spend limit applies to.',
  SCOPE_TYPES,
);

// Scopes

type Scope = BetaSpendLimit['scope'];

export const SpendLimitScope = builder.interfaceRef<Scope>('SpendLimitScope').implement({
  description:
    'What a spend limit applies to: a member, a workspace, the organization, a seat tier, an RBAC group, a service or the usage tier. Select the fields of each kind with inline fragments.',
  resolveType: (scope) => {
    switch (scope.type) {
      case 'user':
        return 'UserSpendLimitScope';
      case 'workspace':
        return 'WorkspaceSpendLimitScope';
      case 'organization':
        return 'OrganizationSpendLimitScope';
      case 'seat_tier':
        return 'SeatTierSpendLimitScope';
      case 'rbac_group':
        return 'RbacGroupSpendLimitScope';
      case 'organization_service':
        return 'OrganizationServiceSpendLimitScope';
      case 'usage_tier':
        return 'UsageTierSpendLimitScope';
      default:
        return 'OtherSpendLimitScope';
    }
  },
  fields: (t) => ({
    type: t.field({
      type: SpendLimitScopeType.ref,
      description: 'The kind of scope.',
      // The enum's values are the scope types and UNKNOWN by construction (see open-enum.ts).
      resolve: (scope) => SpendLimitScopeType.fromUpstream(scope.type) as never,
    }),
    typeValue: t.string({
      description: 'The kind of scope exactly as the Admin API reports it.',
      resolve: (scope) => scope.type,
    }),
  }),
});

type ScopeOf<K extends Scope['type']> = Extract<Scope, { type: K }>;

builder.objectRef<ScopeOf<'user'>>('UserSpendLimitScope').implement({
  description: 'A spend limit scope of one member.',
  interfaces: [SpendLimitScope],
  fields: (t) => ({
    userId: t.exposeID('user_id', { description: 'The member’s user id (user_…).' }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The member; null when they are no longer in the organization.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (scope, _args, ctx) => loadUser(scope.user_id, ctx),
    }),
  }),
});

builder.objectRef<ScopeOf<'workspace'>>('WorkspaceSpendLimitScope').implement({
  description: 'A spend limit scope of one workspace (Claude Console organizations).',
  interfaces: [SpendLimitScope],
  fields: (t) => ({
    workspaceId: t.exposeID('workspace_id', { description: 'The workspace id (wrkspc_…).' }),
    workspace: t.field({
      type: Workspace,
      nullable: true,
      description: 'The workspace; null when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: (scope, _args, ctx) =>
        isId('workspace', scope.workspace_id)
          ? ctx.loaders.workspaces.load(scope.workspace_id)
          : null,
    }),
  }),
});

builder.objectRef<ScopeOf<'seat_tier'>>('SeatTierSpendLimitScope').implement({
  description: 'A spend limit scope of every member of one seat tier (Claude Enterprise).',
  interfaces: [SpendLimitScope],
  fields: (t) => ({
    seatTier: t.exposeString('seat_tier', {
      description: 'The seat tier, as the Admin API names it.',
    }),
  }),
});

builder.objectRef<ScopeOf<'rbac_group'>>('RbacGroupSpendLimitScope').implement({
  description: 'A spend limit scope of every member of one RBAC group (Claude Enterprise).',
  interfaces: [SpendLimitScope],
  fields: (t) => ({
    rbacGroupId: t.exposeID('rbac_group_id', { description: 'The RBAC group id (rbac_group_…).' }),
  }),
});

builder.objectRef<ScopeOf<'organization_service'>>('OrganizationServiceSpendLimitScope').implement({
  description: 'A spend limit scope of one service of the organization (Claude Enterprise).',
  interfaces: [SpendLimitScope],
  fields: (t) => ({
    service: t.exposeString('service', { description: 'The service, as the Admin API names it.' }),
  }),
});

const scopeWithoutFields = (name: string, description: string) =>
  builder.objectRef<Scope>(name).implement({
    description,
    interfaces: [SpendLimitScope],
    fields: () => ({}),
  });

scopeWithoutFields('OrganizationSpendLimitScope', 'A spend limit scope of the whole organization.');
scopeWithoutFields(
  'UsageTierSpendLimitScope',
  'The scope of the monthly cap Anthropic sets for a Claude Console organization from its usage tier, or a higher cap Anthropic granted it. Read-only.',
);
scopeWithoutFields(
  'OtherSpendLimitScope',
  'A kind of scope this version of the gateway does not know yet; `typeValue` says which.',
);

// Actors

type Actor = BetaSpendLimitUserActor | BetaSpendLimitScopedAPIKeyActor;

const SpendLimitActor = builder.interfaceRef<Actor>('SpendLimitActor').implement({
  description:
    'Who asked for, or decided on, a spend limit increase: a member, or a scoped Admin API key.',
  resolveType: (actor) => {
    switch (actor.type) {
      case 'user_actor':
        return 'SpendLimitUserActor';
      case 'scoped_api_key_actor':
        return 'SpendLimitApiKeyActor';
      default:
        return 'OtherSpendLimitActor';
    }
  },
  fields: (t) => ({
    type: t.exposeString('type', {
      description: 'The kind of actor exactly as the Admin API reports it (user_actor, …).',
    }),
  }),
});

builder.objectRef<BetaSpendLimitUserActor>('SpendLimitUserActor').implement({
  description: 'A member of the organization as an actor.',
  interfaces: [SpendLimitActor],
  fields: (t) => ({
    userId: t.exposeID('user_id', { description: 'The member’s user id (user_…).' }),
    name: t.exposeString('name', {
      nullable: true,
      description: 'Their display name; null when the account is unavailable, deleted or unnamed.',
    }),
    emailAddress: t.exposeString('email_address', {
      nullable: true,
      description: 'Their email address; null when the account is unavailable or deleted.',
    }),
    deleted: t.exposeBoolean('deleted', {
      description: 'Whether the underlying account has been deleted.',
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The member; null when they are no longer in the organization.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (actor, _args, ctx) => loadUser(actor.user_id, ctx),
    }),
  }),
});

builder.objectRef<BetaSpendLimitScopedAPIKeyActor>('SpendLimitApiKeyActor').implement({
  description: 'A scoped Admin API key acting on behalf of the organization.',
  interfaces: [SpendLimitActor],
  fields: (t) => ({
    scopedApiKeyId: t.exposeID('scoped_api_key_id', {
      description: 'The id of the scoped Admin API key.',
    }),
  }),
});

builder.objectRef<Actor>('OtherSpendLimitActor').implement({
  description: 'A kind of actor this version of the gateway does not know yet; `type` says which.',
  interfaces: [SpendLimitActor],
  fields: () => ({}),
});

async function loadUser(userId: string, ctx: GatewayContext): Promise<AdminUser | null> {
  return isId('user', userId) ? ctx.loaders.users.load(userId) : null;
}

const money = (minorUnits: string | null, currency: string): MoneyShape | null =>
  minorUnits === null ? null : { minorUnits, currency };

// Spend limits

export const SpendLimit = builder.objectRef<BetaSpendLimit>('SpendLimit');

builder.node(SpendLimit, {
  description:
    'A configured spend limit: a cap on metered spend for one scope and period (GET /v1/organizations/spend_limits/{id}).',
  id: { resolve: (limit) => limit.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'spend_limit',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.spendLimits.load(id)),
  fields: (t) => ({
    amount: t.field({
      type: Money,
      nullable: true,
      description:
        'The cap, exact, in the organization’s billing currency; null when no numeric cap is set at this scope (see effectiveSpendLimits for what applies).',
      resolve: (limit) => money(limit.amount, limit.currency),
    }),
    currency: t.exposeString('currency', {
      description: 'The ISO 4217 code of the organization’s billing currency.',
    }),
    isEnabled: t.exposeBoolean('is_enabled', {
      description:
        'False when extra usage is switched off for the organization (an organization limit keeps its amount and applies again when it is switched back on); always true for other limits.',
    }),
    ...enumFieldPair(t, 'period', SpendLimitPeriod, (limit) => limit.period, {
      value: 'The window the limit resets over.',
      raw: 'The period exactly as the Admin API reports it.',
    }),
    scope: t.field({
      type: SpendLimitScope,
      description: 'What the limit applies to.',
      resolve: (limit) => limit.scope,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the limit was created.',
      resolve: (limit) => limit.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the limit was last changed.',
      resolve: (limit) => limit.updated_at,
    }),
  }),
});

export const EffectiveSpendLimit = builder
  .objectRef<BetaSpendSummary>('EffectiveSpendLimit')
  .implement({
    description:
      'A member’s effective spend limit for one period and their spend so far in it: the limit that applies to them and the scope it is inherited from.',
    fields: (t) => ({
      actor: t.field({
        type: SpendLimitActor,
        description: 'The member (or scoped key) the row is about.',
        resolve: (row) => row.actor,
      }),
      amount: t.field({
        type: Money,
        nullable: true,
        description:
          'The effective cap, exact; null when no limit applies for this period (another period may still cap the member).',
        resolve: (row) => money(row.amount, row.currency),
      }),
      periodToDateSpend: t.field({
        type: Money,
        description:
          'Spend so far in the current period, exact (it may carry fractions of a cent; "0" while the reading is unavailable).',
        resolve: (row): MoneyShape => ({
          minorUnits: row.period_to_date_spend,
          currency: row.currency,
        }),
      }),
      ...enumFieldPair(t, 'period', SpendLimitPeriod, (row) => row.period, {
        value: 'The period this row reports.',
        raw: 'The period exactly as the Admin API reports it.',
      }),
      scope: t.field({
        type: SpendLimitScope,
        description: 'Whom the row is about (the member’s own scope).',
        resolve: (row) => row.scope,
      }),
      source: t.field({
        type: SpendLimitScope,
        description:
          'The scope the effective limit is inherited from: the member’s own override, their seat tier, a group, the organization, …',
        resolve: (row) => row.source,
      }),
      spendLimitId: t.exposeID('spend_limit_id', {
        description: 'The id of the spend limit that applies (spl_…).',
      }),
      spendLimit: t.field({
        type: SpendLimit,
        nullable: true,
        description: 'The spend limit that applies; null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'spendLimits' }),
        resolve: (row, _args, ctx) =>
          isId('spendLimit', row.spend_limit_id)
            ? ctx.loaders.spendLimits.load(row.spend_limit_id)
            : null,
      }),
    }),
  });

export const SpendLimitIncreaseRequest = builder
  .objectRef<BetaSpendLimitIncreaseRequest>('SpendLimitIncreaseRequest')
  .implement({
    description:
      'A member’s request for a higher spend limit (GET /v1/organizations/spend_limit_increase_requests/{id}). Not a Node: the Admin API documents no prefix for these ids, so `node(id:)` could not tell them from other ids; look one up with `spendLimitIncreaseRequest(id:)`.',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'The Admin API id of the request.' }),
      actor: t.field({
        type: SpendLimitActor,
        description: 'Who asked.',
        resolve: (request) => request.actor,
      }),
      ...enumFieldPair(t, 'period', SpendLimitPeriod, (request) => request.period, {
        value: 'The period the member was blocked on.',
        raw: 'The period exactly as the Admin API reports it.',
      }),
      ...enumFieldPair(t, 'status', SpendLimitIncreaseRequestStatus, (request) => request.status, {
        value: 'Whether the request is pending, approved or denied.',
        raw: 'The status exactly as the Admin API reports it.',
      }),
      createdAt: t.field({
        type: DateTime,
        description: 'When the member asked.',
        resolve: (request) => request.created_at,
      }),
      resolvedAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When it was approved or denied; null while pending.',
        resolve: (request) => request.resolved_at,
      }),
      resolvedBy: t.field({
        type: SpendLimitActor,
        nullable: true,
        description: 'Who approved or denied it; null while pending.',
        resolve: (request) => request.resolved_by,
      }),
      spendSummary: t.field({
        type: EffectiveSpendLimit,
        nullable: true,
        description:
          'While pending, the requester’s live effective limit and spend for the request’s period; null otherwise.',
        resolve: (request) => request.spend_summary,
      }),
    }),
  });

// Connections

export const SpendLimitConnection = builder.connectionObject(
  {
    type: SpendLimit,
    name: 'SpendLimitConnection',
    description: 'A page of spend limits. Pages forward only (`first`/`after`).',
  },
  { name: 'SpendLimitEdge', description: 'A spend limit and its cursor.' },
);

const EffectiveSpendLimitConnection = builder.connectionObject(
  {
    type: EffectiveSpendLimit,
    name: 'EffectiveSpendLimitConnection',
    description: 'A page of effective spend limits. Pages forward only (`first`/`after`).',
  },
  { name: 'EffectiveSpendLimitEdge', description: 'An effective spend limit and its cursor.' },
);

const SpendLimitIncreaseRequestConnection = builder.connectionObject(
  {
    type: SpendLimitIncreaseRequest,
    name: 'SpendLimitIncreaseRequestConnection',
    description: 'A page of spend limit increase requests. Pages forward only (`first`/`after`).',
  },
  {
    name: 'SpendLimitIncreaseRequestEdge',
    description: 'A spend limit increase request and its cursor.',
  },
);

/** Raw values of an open-enum list argument; UNKNOWN is refused, naming the argument. */
function knownValues<V extends string>(
  values: readonly (V | typeof UNKNOWN_VALUE)[] | null | undefined,
  argumentName: string,
): V[] | undefined {
  if (values == null) return undefined;
  return values.map((value) => {
    if (!isKnown(value)) {
      throw badUserInput(`\`${argumentName}\` cannot hold UNKNOWN.`, { argumentName });
    }
    return value;
  });
}

function userIdsArgument(ids: readonly string[] | null | undefined, argumentName: string) {
  if (ids == null) return undefined;
  if (ids.length > MAX_USER_IDS) {
    throw badUserInput(
      `\`${argumentName}\` takes at most ${MAX_USER_IDS} ids; got ${ids.length}.`,
      {
        argumentName,
      },
    );
  }
  return ids.map((id) => checkIdArgument('user', id, argumentName));
}

type ScopeTypeFilter = NonNullable<Parameters<typeof listSpendLimits>[1]['scope_type']>[number];

builder.objectField(Organization, 'spendLimits', (t) =>
  t.connection(
    {
      type: SpendLimit,
      description:
        'The organization’s configured spend limits (GET /v1/organizations/spend_limits, beta spend-limit-reads-2026-09-26). A Claude Enterprise organization’s come grouped by scope type (organization, seat tier, RBAC group, service, user); a Claude Console organization’s newest first. An organization not enrolled in the beta gets NOT_ENABLED on this field alone. `first` is 1–1000 (default 20); forward only.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        scopeTypes: t.arg({
          type: [SpendLimitScopeType.ref],
          description:
            'Only limits of these scope types (a type that does not apply to the organization is refused by the Admin API).',
        }),
        workspaceId: t.arg.id({
          description: 'Only the limits of this workspace (wrkspc_…; Claude Console only).',
        }),
      },
      resolve: (_organization, args, ctx) => {
        const scopeTypes = knownValues(args.scopeTypes, 'scopeTypes') as
          ScopeTypeFilter[] | undefined;
        const workspaceId =
          args.workspaceId != null
            ? checkIdArgument('workspace', args.workspaceId, 'workspaceId')
            : undefined;
        return resolveReportConnection(
          args,
          {
            ...(scopeTypes ? { scope_type: scopeTypes } : {}),
            ...(workspaceId ? { workspace_id: workspaceId } : {}),
          },
          SPEND_LIMIT_PAGES,
          (query) => listSpendLimits(ctx.api, query),
        );
      },
    },
    SpendLimitConnection,
  ),
);

builder.objectField(Organization, 'effectiveSpendLimits', (t) =>
  t.connection(
    {
      type: EffectiveSpendLimit,
      description:
        'Each member’s effective spend limit and spend so far, one row per member and period (GET /v1/organizations/spend_limits/effective; Claude Enterprise only). The Admin API pages by member, so a member’s periods are never split across its pages; `first` counts rows (1–1000, default 20); forward only.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        periods: t.arg({
          type: [SpendLimitPeriod.ref],
          description: 'Only rows of these periods.',
        }),
        userIds: t.arg.idList({
          description: `Only these members (user_…, at most ${MAX_USER_IDS}).`,
        }),
      },
      resolve: (_organization, args, ctx) => {
        const periods = knownValues<BetaSpendLimitPeriod>(args.periods, 'periods');
        const userIds = userIdsArgument(args.userIds, 'userIds');
        return resolveReportConnection(
          args,
          { ...(periods ? { period: periods } : {}), ...(userIds ? { user_ids: userIds } : {}) },
          EFFECTIVE_PAGES,
          (query) => listEffectiveSpendLimits(ctx.api, query),
        );
      },
    },
    EffectiveSpendLimitConnection,
  ),
);

builder.objectField(Organization, 'spendLimitIncreaseRequests', (t) =>
  t.connection(
    {
      type: SpendLimitIncreaseRequest,
      description:
        'Members’ requests for a higher spend limit, most recent first (GET /v1/organizations/spend_limit_increase_requests). Requests of people no longer in the organization are left out. `first` is 1–1000 (default 20); forward only.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        statuses: t.arg({
          type: [SpendLimitIncreaseRequestStatus.ref],
          description: 'Only requests in these states.',
        }),
        actorIds: t.arg.idList({
          description: `Only requests of these members (user_…, at most ${MAX_USER_IDS}).`,
        }),
      },
      resolve: (_organization, args, ctx) => {
        const statuses = knownValues<BetaSpendLimitIncreaseRequestStatus>(
          args.statuses,
          'statuses',
        );
        const actorIds = userIdsArgument(args.actorIds, 'actorIds');
        return resolveReportConnection(
          args,
          {
            ...(statuses ? { status: statuses } : {}),
            ...(actorIds ? { actor_ids: actorIds } : {}),
          },
          REQUEST_PAGES,
          (query) => listIncreaseRequests(ctx.api, query),
        );
      },
    },
    SpendLimitIncreaseRequestConnection,
  ),
);

builder.objectField(User, 'effectiveSpendLimits', (t) =>
  t.field({
    type: [EffectiveSpendLimit],
    nullable: true,
    description:
      'This member’s effective spend limit and spend so far, one entry per period (GET /v1/organizations/spend_limits/effective?user_ids[]=…; Claude Enterprise only).',
    extensions: costExtension({ kind: 'request' }),
    resolve: async (user, _args, ctx) => {
      // The Admin API pages by member: one member's rows are always on one page.
      const page = await listEffectiveSpendLimits(ctx.api, { user_ids: [user.id], limit: 1 });
      return page.data;
    },
  }),
);

// Lookups

builder.queryField('spendLimit', (t) =>
  t.field({
    type: SpendLimit,
    nullable: true,
    description: 'A spend limit by id; null when no such limit exists.',
    extensions: costExtension({ kind: 'reference', collection: 'spendLimits' }),
    args: { id: t.arg.id({ required: true, description: 'The spend limit id (spl_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.spendLimits.load(checkIdArgument('spendLimit', args.id, 'id')),
  }),
);

builder.queryField('spendLimitIncreaseRequest', (t) =>
  t.field({
    type: SpendLimitIncreaseRequest,
    nullable: true,
    description:
      'A spend limit increase request by id; null when no such request exists. A pending one carries a live spend summary.',
    extensions: costExtension({ kind: 'request' }),
    args: {
      id: t.arg.id({ required: true, description: 'The increase request’s Admin API id.' }),
    },
    resolve: async (_root, args, ctx) => {
      if (!INCREASE_REQUEST_ID.test(args.id)) {
        throw badUserInput(
          `\`id\` must be a spend-limit increase request id (letters, digits, _ and -); got ${JSON.stringify(args.id.slice(0, 100))}.`,
          { argumentName: 'id' },
        );
      }
      try {
        return await getIncreaseRequest(ctx.api, args.id);
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'http' && error.status === 404) {
          return null;
        }
        throw error;
      }
    },
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(SpendLimit, 'spendLimit');
