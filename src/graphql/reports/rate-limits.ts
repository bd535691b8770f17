import { costExtension } from '../cost/estimate.js';
import { badUserInput } from '../lib/errors.js';
import type {
  AdminRateLimit,
  AdminWorkspace,
  AdminWorkspaceRateLimit,
} from '../../upstream/types.js';
import { builder } from '../builder.js';
import { enumFieldPair, isKnown, openEnum } from '../lib/open-enum.js';
import { Organization } from '../nodes/organization.js';
import { Workspace } from '../nodes/workspace.js';
import { RateLimitGroupType } from './enums.js';
import { readAllPages } from '../lib/token-paging.js';
import { SafeInt } from './scalars.js';

const RateLimitValue = builder
  .objectRef<AdminRateLimit['limits'][number]>('RateLimitValue')
  .implement({
    description: 'One limiter of a rate-limit group.',
    fields: (t) => ({
      type: t.exposeString('type', {
        description:
          'The limiter, such as requests_per_minute, input_tokens_per_minute, output_tokens_per_minute or enqueued_batch_requests.',
      }),
      value: t.field({
        type: SafeInt,
        description: 'The configured limit.',
        resolve: (limit) => limit.value,
      }),
    }),
  });

type AdminRateLimitGroup = AdminRateLimit['group'];

const RateLimitGroup = builder.objectRef<AdminRateLimitGroup>('RateLimitGroup').implement({
  description:
    'A rate-limit group: a family of models or an API surface whose requests share limits.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The group’s opaque identifier (rlg_…), the same in every organization and never changing.',
    }),
    ...enumFieldPair(t, 'type', RateLimitGroupType, (group) => group.type, {
      value: 'What the group covers.',
      raw: 'The group type exactly as the Admin API reports it.',
    }),
    displayName: t.string({
      nullable: true,
      description:
        'A name to show for a model group, such as "Claude Sonnet 4.x" (for display only; it may change); null for other groups.',
      resolve: (group) => ('display_name' in group ? group.display_name : null),
    }),
  }),
});

const RateLimitSource = openEnum('RateLimitSource', 'Where a workspace’s limit comes from.', {
  workspace: 'The workspace’s own override.',
  organization: 'The organization’s limit, inherited (listed with `includeInherited`).',
});

const OrganizationRateLimit = builder.objectRef<AdminRateLimit>('OrganizationRateLimit').implement({
  description:
    'The organization’s limits for one rate-limit group: a family of models or an API surface. Read-only; limits are changed in the Console.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The group’s identifier within the organization (opaque); workspace overrides refer to it as rateLimitId.',
    }),
    groupType: t.field({
      type: RateLimitGroupType.ref,
      description: 'What the group covers (the same as `group.type`).',
      resolve: (limit) => RateLimitGroupType.fromUpstream(limit.group.type),
    }),
    groupTypeValue: t.string({
      description: 'The group type exactly as the Admin API reports it (`group.typeValue`).',
      resolve: (limit) => limit.group.type,
    }),
    group: t.field({
      type: RateLimitGroup,
      description: 'The rate-limit group: its id, type and display name.',
      resolve: (limit) => limit.group,
    }),
    models: t.stringList({
      nullable: true,
      description:
        'Every model id and alias the group counts; null unless the group is a MODEL_GROUP.',
      resolve: (limit) => limit.models,
    }),
    limits: t.field({
      type: [RateLimitValue],
      description: 'The limiter values of the group.',
      resolve: (limit) => limit.limits,
    }),
  }),
});

const WorkspaceRateLimitValue = builder
  .objectRef<AdminWorkspaceRateLimit['limits'][number]>('WorkspaceRateLimitValue')
  .implement({
    description: 'One limiter a workspace overrides.',
    fields: (t) => ({
      type: t.exposeString('type', { description: 'The limiter, such as requests_per_minute.' }),
      value: t.field({
        type: SafeInt,
        description: 'The workspace’s limit (the organization’s limit still applies as well).',
        resolve: (limit) => limit.value,
      }),
      orgLimit: t.field({
        type: SafeInt,
        nullable: true,
        description:
          'The organization’s limit for the same limiter; null when the organization has none.',
        resolve: (limit) => limit.org_limit,
      }),
      ...enumFieldPair(t, 'source', RateLimitSource, (limit) => limit.source?.type, {
        value:
          'Where `value` comes from: WORKSPACE (an override) or ORGANIZATION (inherited, then `value` equals `orgLimit`).',
        raw: 'The source type exactly as the Admin API reports it.',
      }),
    }),
  });

const WorkspaceRateLimit = builder
  .objectRef<AdminWorkspaceRateLimit>('WorkspaceRateLimit')
  .implement({
    description:
      'A workspace’s limits for one rate-limit group. Unless inherited limits are asked for, groups and limiters without an override are absent: the workspace inherits the organization’s limit.',
    fields: (t) => ({
      rateLimitId: t.exposeID('rate_limit_id', {
        description: 'The id of the organization rate-limit group this override belongs to.',
      }),
      workspaceId: t.exposeID('workspace_id', { description: 'The workspace’s id.' }),
      groupType: t.field({
        type: RateLimitGroupType.ref,
        description: 'What the group covers (the same as `group.type`).',
        resolve: (limit) => RateLimitGroupType.fromUpstream(limit.group.type),
      }),
      groupTypeValue: t.string({
        description: 'The group type exactly as the Admin API reports it (`group.typeValue`).',
        resolve: (limit) => limit.group.type,
      }),
      group: t.field({
        type: RateLimitGroup,
        description: 'The rate-limit group: its id, type and display name.',
        resolve: (limit) => limit.group,
      }),
      models: t.stringList({
        nullable: true,
        description: 'The models the group counts; null unless the group is a MODEL_GROUP.',
        resolve: (limit) => limit.models,
      }),
      limits: t.field({
        type: [WorkspaceRateLimitValue],
        description:
          'The overridden limiters (and, with `includeInherited`, the inherited ones), with the organization’s values beside them.',
        resolve: (limit) => limit.limits,
      }),
    }),
  });

function groupTypeFilter(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  if (!isKnown(value)) {
    throw badUserInput('`groupType` cannot be UNKNOWN.', { argumentName: 'groupType' });
  }
  return value;
}

const LIST_NOTE =
  'The Admin API currently answers in one page; the gateway follows `next_page` to the end.';

builder.objectField(Organization, 'rateLimits', (t) =>
  t.field({
    type: [OrganizationRateLimit],
    description: `The organization’s Messages API rate limits, one entry per group: model groups first (GET /v1/organizations/rate_limits). ${LIST_NOTE} Not to be confused with Query.rateLimit, the gateway’s own budget.`,
    extensions: costExtension({ kind: 'request' }),
    nullable: true,
    args: {
      groupType: t.arg({
        type: RateLimitGroupType.ref,
        description: 'Only groups of this type.',
      }),
      model: t.arg.string({
        description:
          'Only the group that counts this model id or alias. An unknown model, or one without limits, is a NOT_FOUND error.',
      }),
    },
    resolve: (_organization, args, ctx) => {
      const groupType = groupTypeFilter(args.groupType);
      return readAllPages((page) =>
        ctx.api.organizationRateLimits({
          ...(groupType ? { group_type: groupType } : {}),
          ...(args.model != null ? { model: args.model } : {}),
          ...(page ? { page } : {}),
        }),
      );
    },
  }),
);

builder.objectField(Workspace, 'rateLimits', (t) =>
  t.field({
    type: [WorkspaceRateLimit],
    description: `This workspace’s rate-limit overrides (GET /v1/organizations/workspaces/{id}/rate_limits); empty when it inherits every organization limit. ${LIST_NOTE}`,
    extensions: costExtension({ kind: 'request' }),
    nullable: true,
    args: {
      groupType: t.arg({
        type: RateLimitGroupType.ref,
        description: 'Only overrides of groups of this type.',
      }),
      includeInherited: t.arg.boolean({
        defaultValue: false,
        description:
          'Whether the limits the workspace inherits from the organization are listed too (every group, each value with its `source`).',
      }),
    },
    resolve: (workspace: AdminWorkspace, args, ctx) => {
      const groupType = groupTypeFilter(args.groupType);
      return readAllPages((page) =>
        ctx.api.workspaceRateLimits(workspace.id, {
          ...(groupType ? { group_type: groupType } : {}),
          ...(args.includeInherited ? { include_inherited: true } : {}),
          ...(page ? { page } : {}),
        }),
      );
    },
  }),
);
