import type { GraphQLResolveInfo } from 'graphql';
import { isId } from '../../domain/ids.js';
import {
  listAnalyticsArtifacts,
  listAnalyticsProjects,
  listAnalyticsUsers,
  type AnalyticsArtifactActivity,
  type AnalyticsPage,
  type AnalyticsProjectActivity,
  type AnalyticsUserActivity,
} from '../../upstream/resources/analytics.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from '../nodes/organization.js';
import { RbacGroup } from '../nodes/rbac-group.js';
import { User } from '../nodes/user.js';
import { AnalyticsProduct, AnalyticsSortOrder } from './analytics-enums.js';
import { LocalDate, SafeInt } from './scalars.js';

/*
 * Claude Enterprise engagement analytics (`PageCursor` lists, EXTENDED.md §10): per-user activity
 * (GET /v1/organizations/analytics/users), chat projects (/apps/chat/projects) and artifacts
 * (/artifacts), as Organization.analyticsUserActivity, analyticsChatProjects and
 * analyticsArtifacts. One day (`date`) or a range rolled up per entity (`startingDate` /
 * `endingDate`); typed filters become REST `filter[]=dimension:value`; page tokens are bound to
 * their query, so the gateway slices pages itself (`resolveReportConnection`). Rows relate their
 * user and RBAC group ids to User and RbacGroup nodes.
 */

/** Page sizes of the engagement lists: `limit` 1–1000, default 100 rows. */
export const ANALYTICS_ENGAGEMENT_PAGE_SIZES: ReportPageSizes = {
  defaultSize: 100,
  maxSize: 1000,
  unit: 'row',
  list: 'analytics list',
};

export const AnalyticsEngagementGroupBy = builder.enumType('AnalyticsEngagementGroupBy', {
  description:
    'A dimension an engagement list can break rows out by (REST `group_by[]`); each list takes the ones its field names. Grouping by RBAC group counts a user in every group they held that day, so rows can sum above the total.',
  values: {
    PRODUCT: { value: 'product', description: 'The product surface.' },
    RBAC_GROUP_ID: { value: 'rbac_group_id', description: 'The RBAC group (team).' },
    USER_ID: { value: 'user_id', description: 'The member.' },
  } as const,
});

// ----------------------------------------------------------------------------------------------
// Shared row fields

interface Grouped {
  rbac_group_id?: string | null;
  rbac_group_name?: string | null;
  user_id?: string | null;
  product?: string | null;
}

export function groupedFields<R extends Grouped>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, R>,
  options: { user: boolean; product: boolean },
) {
  const rbac = {
    rbacGroupId: t.id({
      nullable: true,
      description: 'The RBAC group (rbac_group_…); null unless grouped by RBAC_GROUP_ID.',
      resolve: (row) => row.rbac_group_id ?? null,
    }),
    rbacGroupName: t.string({
      nullable: true,
      description:
        'The RBAC group’s name as the Admin API resolved it; null when the group was deleted or its name could not be resolved.',
      resolve: (row) => row.rbac_group_name ?? null,
    }),
    rbacGroup: t.field({
      type: RbacGroup,
      nullable: true,
      description:
        'The RBAC group behind rbacGroupId, through the RBAC group loader; null when there is none or it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (row, _args, ctx: GatewayContext) =>
        row.rbac_group_id && isId('rbacGroup', row.rbac_group_id)
          ? ctx.loaders.rbacGroups.load(row.rbac_group_id)
          : null,
    }),
  };
  const user = {
    userId: t.id({
      nullable: true,
      description: 'The member (user_…); null unless grouped by USER_ID.',
      resolve: (row) => row.user_id ?? null,
    }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The member behind userId, through the user loader; null when there is none or they are no longer a member.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (row, _args, ctx: GatewayContext) =>
        row.user_id ? ctx.loaders.users.load(row.user_id) : null,
    }),
  };
  const product = enumFieldPair(t, 'product', AnalyticsProduct, (row) => row.product, {
    value: 'The product surface of the row; null unless grouped by PRODUCT.',
    raw: 'The product exactly as the Admin API reports it.',
  });
  return {
    ...rbac,
    ...(options.user ? user : {}),
    ...(options.product ? product : {}),
  } as typeof rbac & Partial<typeof user> & Partial<typeof product>;
}

/** An object type of counters, one SafeInt field per REST key. */
function counters<T extends object>(
  name: string,
  description: string,
  fields: Record<string, readonly [key: keyof T & string, description: string]>,
) {
  return builder.objectRef<T>(name).implement({
    description,
    fields: (t) =>
      Object.fromEntries(
        Object.entries(fields).map(([field, [key, text]]) => [
          field,
          t.field({
            type: SafeInt,
            nullable: true,
            description: text,
            resolve: (parent) => {
              const value = (parent as Record<string, unknown>)[key];
              return typeof value === 'number' ? value : null;
            },
          }),
        ]),
      ),
  });
}

export const NULL_DISTINCT = ' Null on aggregated rows where a distinct count cannot be computed.';

type UserRow = AnalyticsUserActivity;

const AnalyticsChatMetrics = counters<UserRow['chat_metrics']>(
  'AnalyticsChatMetrics',
  'A member’s claude.ai chat activity over the day or range.',
  {
    messageCount: ['message_count', 'Messages sent.'],
    thinkingMessageCount: ['thinking_message_count', 'Messages sent with extended thinking.'],
    distinctConversationCount: [
      'distinct_conversation_count',
      `Distinct conversations.${NULL_DISTINCT}`,
    ],
    distinctProjectsCreatedCount: ['distinct_projects_created_count', 'Projects created.'],
    distinctProjectsUsedCount: [
      'distinct_projects_used_count',
      `Distinct projects used.${NULL_DISTINCT}`,
    ],
    distinctArtifactsCreatedCount: ['distinct_artifacts_created_count', 'Artifacts created.'],
    distinctSharedArtifactsViewedCount: [
      'distinct_shared_artifacts_viewed_count',
      `Distinct shared artifacts viewed.${NULL_DISTINCT}`,
    ],
    sharedConversationsViewedCount: [
      'shared_conversations_viewed_count',
      'Shared conversations viewed.',
    ],
    distinctFilesUploadedCount: [
      'distinct_files_uploaded_count',
      `Distinct files uploaded.${NULL_DISTINCT}`,
    ],
    connectorsUsedCount: ['connectors_used_count', 'Connector uses.'],
    distinctConnectorsUsedCount: [
      'distinct_connectors_used_count',
      `Distinct connectors used.${NULL_DISTINCT}`,
    ],
    distinctSkillsUsedCount: [
      'distinct_skills_used_count',
      `Distinct skills used.${NULL_DISTINCT}`,
    ],
  },
);

type CoreCode = UserRow['claude_code_metrics']['core_metrics'];

const AnalyticsClaudeCodeMetrics = builder
  .objectRef<UserRow['claude_code_metrics']>('AnalyticsClaudeCodeMetrics')
  .implement({
    description: 'A member’s Claude Code activity over the day or range.',
    fields: (t) => {
      const core =
        <V>(read: (metrics: CoreCode) => V) =>
        (parent: { core_metrics: CoreCode }): V =>
          read(parent.core_metrics);
      return {
        commitCount: t.field({
          type: SafeInt,
          description: 'Commits made with Claude Code.',
          resolve: core((m) => m.commit_count),
        }),
        pullRequestCount: t.field({
          type: SafeInt,
          description: 'Pull requests created with Claude Code.',
          resolve: core((m) => m.pull_request_count),
        }),
        linesAdded: t.field({
          type: SafeInt,
          description: 'Lines of code added.',
          resolve: core((m) => m.lines_of_code.added_count),
        }),
        linesRemoved: t.field({
          type: SafeInt,
          description: 'Lines of code removed.',
          resolve: core((m) => m.lines_of_code.removed_count),
        }),
        distinctSessionCount: t.field({
          type: SafeInt,
          nullable: true,
          description: `Distinct Claude Code sessions.${NULL_DISTINCT}`,
          resolve: core((m) => m.distinct_session_count),
        }),
        artifactsCreatedCount: t.field({
          type: SafeInt,
          description: 'Artifacts created in Claude Code.',
          resolve: core((m) => m.artifacts_created_count),
        }),
        editsAccepted: t.field({
          type: SafeInt,
          description:
            'Edit, multi-edit, notebook-edit and write tool proposals accepted, summed over the four tools.',
          resolve: (parent) =>
            Object.values(parent.tool_actions).reduce((sum, tool) => sum + tool.accepted_count, 0),
        }),
        editsRejected: t.field({
          type: SafeInt,
          description:
            'Edit, multi-edit, notebook-edit and write tool proposals rejected, summed over the four tools.',
          resolve: (parent) =>
            Object.values(parent.tool_actions).reduce((sum, tool) => sum + tool.rejected_count, 0),
        }),
      };
    },
  });

const AnalyticsCoworkMetrics = counters<UserRow['cowork_metrics']>(
  'AnalyticsCoworkMetrics',
  'A member’s Cowork activity over the day or range.',
  {
    messageCount: ['message_count', 'Messages sent.'],
    actionCount: ['action_count', 'Actions taken.'],
    dispatchTurnCount: ['dispatch_turn_count', 'Dispatch turns.'],
    distinctSessionCount: ['distinct_session_count', `Distinct sessions.${NULL_DISTINCT}`],
    artifactsCreatedCount: ['artifacts_created_count', 'Artifacts created.'],
    fileEditCount: ['file_edit_count', 'File edits; null when not reported.'],
    sessionsWithFileEditsCount: [
      'sessions_with_file_edits_count',
      'Sessions with file edits; null when not reported.',
    ],
    skillsUsedCount: ['skills_used_count', 'Skill uses.'],
    distinctSkillsUsedCount: [
      'distinct_skills_used_count',
      `Distinct skills used.${NULL_DISTINCT}`,
    ],
    pluginsUsedCount: ['plugins_used_count', 'Plugin uses; null when not reported.'],
    distinctPluginsUsedCount: [
      'distinct_plugins_used_count',
      `Distinct plugins used.${NULL_DISTINCT}`,
    ],
    connectorsUsedCount: ['connectors_used_count', 'Connector uses.'],
    distinctConnectorsUsedCount: [
      'distinct_connectors_used_count',
      `Distinct connectors used.${NULL_DISTINCT}`,
    ],
  },
);

const AnalyticsDesignMetrics = counters<UserRow['design_metrics']>(
  'AnalyticsDesignMetrics',
  'A member’s Claude Design activity over the day or range.',
  {
    messageCount: ['message_count', 'Messages sent.'],
    distinctSessionCount: ['distinct_session_count', `Distinct sessions.${NULL_DISTINCT}`],
    distinctProjectsCreatedCount: ['distinct_projects_created_count', 'Projects created.'],
    distinctProjectsUsedCount: [
      'distinct_projects_used_count',
      `Distinct projects used.${NULL_DISTINCT}`,
    ],
  },
);

const AnalyticsScienceMetrics = counters<UserRow['science_metrics']>(
  'AnalyticsScienceMetrics',
  'A member’s Claude Science activity over the day or range.',
  {
    messageCount: ['message_count', 'Messages sent in Claude Science sessions.'],
    distinctSessionCount: ['distinct_session_count', `Distinct sessions.${NULL_DISTINCT}`],
    delegationCount: ['delegation_count', 'Handoffs to a specialized agent.'],
    remoteComputeJobCount: ['remote_compute_job_count', 'Remote compute jobs launched.'],
    skillsUsedCount: ['skills_used_count', 'Skill invocations.'],
  },
);

const AnalyticsUserActivityRow = builder.objectRef<UserRow>('AnalyticsUserActivity').implement({
  description:
    'One member’s activity across Claude products on a day or over a range, or, grouped by RBAC_GROUP_ID, a group’s members together.',
  fields: (t) => ({
    userId: t.id({
      nullable: true,
      description: 'The member (user_…); null on RBAC group rows.',
      resolve: (row) => row.user?.id ?? null,
    }),
    emailAddress: t.string({
      nullable: true,
      description: 'The member’s email address; null on RBAC group rows.',
      resolve: (row) => row.user?.email_address ?? null,
    }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The member, through the user loader; null on RBAC group rows and when they are no longer a member.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (row, _args, ctx: GatewayContext) =>
        row.user ? ctx.loaders.users.load(row.user.id) : null,
    }),
    ...groupedFields(t, { user: false, product: false }),
    distinctUserCount: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Active members of the group, on RBAC group rows; null on per-member rows.',
      resolve: (row) => row.distinct_user_count,
    }),
    lastActivityDate: t.field({
      type: LocalDate,
      nullable: true,
      description:
        'The last day the member (or any member of the group) was active; null while last-activity reporting is not enabled for the organization.',
      resolve: (row) => row.last_activity_date ?? null,
    }),
    webSearchCount: t.field({
      type: SafeInt,
      description: 'Web searches performed.',
      resolve: (row) => row.web_search_count,
    }),
    chat: t.field({
      type: AnalyticsChatMetrics,
      description: 'claude.ai chat activity.',
      resolve: (row) => row.chat_metrics,
    }),
    claudeCode: t.field({
      type: AnalyticsClaudeCodeMetrics,
      description: 'Claude Code activity.',
      resolve: (row) => row.claude_code_metrics,
    }),
    cowork: t.field({
      type: AnalyticsCoworkMetrics,
      description: 'Cowork activity.',
      resolve: (row) => row.cowork_metrics,
    }),
    design: t.field({
      type: AnalyticsDesignMetrics,
      description: 'Claude Design activity.',
      resolve: (row) => row.design_metrics,
    }),
    science: t.field({
      type: AnalyticsScienceMetrics,
      description: 'Claude Science activity.',
      resolve: (row) => row.science_metrics,
    }),
  }),
});

const AnalyticsChatProject = builder
  .objectRef<AnalyticsProjectActivity>('AnalyticsChatProject')
  .implement({
    description:
      'One claude.ai chat project’s activity on a day or over a range, optionally per member or RBAC group.',
    fields: (t) => ({
      projectId: t.id({
        description: 'The project (claude_proj_…).',
        resolve: (row) => row.project_id,
      }),
      projectName: t.string({
        description: 'The project’s name.',
        resolve: (row) => row.project_name,
      }),
      createdAt: t.field({
        type: DateTime,
        nullable: true,
        description:
          'When the project was created; null when it was deleted before attribution was recorded.',
        resolve: (row) => row.created_at,
      }),
      createdByUserId: t.id({
        nullable: true,
        description:
          'The member who created the project; null when unknown or their account no longer exists.',
        resolve: (row) => row.created_by?.id ?? null,
      }),
      createdBy: t.field({
        type: User,
        nullable: true,
        description:
          'The member behind createdByUserId, through the user loader; null when unknown or no longer a member.',
        extensions: costExtension({ kind: 'reference', collection: 'users' }),
        resolve: (row, _args, ctx: GatewayContext) =>
          row.created_by ? ctx.loaders.users.load(row.created_by.id) : null,
      }),
      ...groupedFields(t, { user: true, product: false }),
      messageCount: t.field({
        type: SafeInt,
        description: 'Messages sent in the project.',
        resolve: (row) => row.message_count,
      }),
      distinctUserCount: t.field({
        type: SafeInt,
        description: 'Distinct members who used the project (exact, also over a range).',
        resolve: (row) => row.distinct_user_count,
      }),
      distinctConversationCount: t.field({
        type: SafeInt,
        nullable: true,
        description: `Distinct conversations in the project.${NULL_DISTINCT}`,
        resolve: (row) => row.distinct_conversation_count,
      }),
    }),
  });

const AnalyticsArtifactBucket = builder
  .objectRef<AnalyticsArtifactActivity>('AnalyticsArtifactBucket')
  .implement({
    description:
      'Artifacts created on a day of one MIME type, shared or not (optionally per product, member or RBAC group). Claude Code and Cowork artifacts report as text/html.',
    fields: (t) => ({
      artifactType: t.string({
        description: 'The canonical MIME type (e.g. "text/markdown"), or "other".',
        resolve: (row) => row.artifact_type,
      }),
      isShared: t.boolean({
        description: 'Whether the artifacts have ever been shared beyond their creator.',
        resolve: (row) => row.is_shared,
      }),
      ...groupedFields(t, { user: true, product: true }),
      artifactsCreatedCount: t.field({
        type: SafeInt,
        description: 'Artifacts created.',
        resolve: (row) => row.artifacts_created_count,
      }),
      publishedArtifactsCreatedCount: t.field({
        type: SafeInt,
        description: 'Of those, artifacts published (open to anyone with the link).',
        resolve: (row) => row.published_artifacts_created_count,
      }),
      distinctUserCount: t.field({
        type: SafeInt,
        description: 'Distinct members who created them.',
        resolve: (row) => row.distinct_user_count,
      }),
    }),
  });

export function engagementConnection<T>(
  name: string,
  node: PothosSchemaTypes.ObjectRef<typeof builder.$inferSchemaTypes, T>,
  what: string,
) {
  return builder.connectionObject(
    {
      type: node,
      name: `${name}Connection`,
      description: `A page of ${what}, in the list’s order. Pages forward only (\`first\`/\`after\`).`,
    },
    { name: `${name}Edge`, description: `One of the ${what} and its cursor.` },
  );
}

const UserActivityConnection = engagementConnection(
  'AnalyticsUserActivity',
  AnalyticsUserActivityRow,
  'member activity rows',
);
const ChatProjectConnection = engagementConnection(
  'AnalyticsChatProject',
  AnalyticsChatProject,
  'chat project rows',
);
const ArtifactConnection = engagementConnection(
  'AnalyticsArtifactBucket',
  AnalyticsArtifactBucket,
  'artifact buckets',
);

// ----------------------------------------------------------------------------------------------
// Arguments and resolution

export interface EngagementArgs extends ConnectionArgs {
  date?: string | null;
  startingDate?: string | null;
  endingDate?: string | null;
  userIds?: readonly string[] | null;
  rbacGroupIds?: readonly string[] | null;
  projectIds?: readonly string[] | null;
  groupBy?: readonly string[] | null;
  order?: string | null;
  orderBy?: string | null;
}

const PROJECT_ID = /^claude_proj_[A-Za-z0-9]{1,64}$/;

/** The day or range of a list, checked: one of `date` and `startingDate`. */
export function period(args: EngagementArgs, dateRequired: boolean) {
  if (args.date != null && args.startingDate != null) {
    throw badUserInput('Give either `date` or `startingDate` (with `endingDate`), not both.', {
      argumentName: 'startingDate',
    });
  }
  if (args.endingDate != null && args.startingDate == null) {
    throw badUserInput('`endingDate` needs `startingDate`.', { argumentName: 'endingDate' });
  }
  if (dateRequired && args.date == null) {
    throw badUserInput('`date` is required here.', { argumentName: 'date' });
  }
  return {
    ...(args.date != null ? { date: args.date } : {}),
    ...(args.startingDate != null ? { starting_date: args.startingDate } : {}),
    ...(args.endingDate != null ? { ending_date: args.endingDate } : {}),
  };
}

/** REST `filter[]` of the typed filters. */
export function filters(args: EngagementArgs, more: string[] = []): { filter?: string[] } {
  const filter = [
    ...more,
    ...(args.userIds ?? []).map((id) => `user_id:${checkIdArgument('user', id, 'userIds')}`),
    ...(args.rbacGroupIds ?? []).map(
      (id) => `rbac_group_id:${checkIdArgument('rbacGroup', id, 'rbacGroupIds')}`,
    ),
    ...(args.projectIds ?? []).map((id) => {
      if (!PROJECT_ID.test(id)) {
        throw badUserInput(
          `\`projectIds\` must hold chat project ids (claude_proj_…); got ${JSON.stringify(id.slice(0, 100))}.`,
          { argumentName: 'projectIds' },
        );
      }
      return `project_id:${id}`;
    }),
  ];
  if (filter.length > 100) {
    throw badUserInput('At most 100 filter values in all.', { argumentName: 'userIds' });
  }
  return filter.length > 0 ? { filter } : {};
}

const ORDERS = ['asc', 'desc'] as const;

export function grouping<G extends string>(
  args: EngagementArgs,
  allowed: readonly G[],
  info: GraphQLResolveInfo,
): { group_by?: G[]; order?: (typeof ORDERS)[number]; order_by?: string } {
  const isAllowed = (value: string): value is G => (allowed as readonly string[]).includes(value);
  const groupBy = args.groupBy?.map((value) => {
    if (!isAllowed(value)) {
      throw badUserInput(
        `${info.parentType.name}.${info.fieldName} cannot be grouped by ${value.toUpperCase()}.`,
        { argumentName: 'groupBy' },
      );
    }
    return value;
  });
  const order = ORDERS.find((value) => value === args.order);
  return {
    ...(groupBy !== undefined ? { group_by: groupBy } : {}),
    ...(order !== undefined ? { order } : {}),
    ...(args.orderBy != null ? { order_by: args.orderBy } : {}),
  };
}

export function resolveEngagement<T, Q extends object>(
  args: EngagementArgs,
  query: Q,
  fetch: (page: Q & { limit?: number; page?: string }) => Promise<AnalyticsPage<T>>,
) {
  return resolveReportConnection(args, query, ANALYTICS_ENGAGEMENT_PAGE_SIZES, fetch);
}

export type ArgBuilder = PothosSchemaTypes.FieldBuilder<
  typeof builder.$inferSchemaTypes,
  unknown
>['arg'];

export function periodArgs(arg: ArgBuilder, single: boolean) {
  return {
    date: arg({
      type: LocalDate,
      required: false,
      description: single
        ? 'The UTC day (REST `date`), not before 2026-01-01; data lags about a day.'
        : 'One UTC day (REST `date`), not before 2026-01-01; data lags about a day. Or give startingDate for a range.',
    }),
    ...(single
      ? {}
      : {
          startingDate: arg({
            type: LocalDate,
            description:
              'The first day of a range (inclusive; REST `starting_date`): one row per entity rolled up over the range. Not with `date`.',
          }),
          endingDate: arg({
            type: LocalDate,
            description:
              'The day after the range (exclusive; REST `ending_date`), at most today (the default); only with startingDate, at most 366 days after it.',
          }),
        }),
  };
}

export const orderArgs = (arg: ArgBuilder) => ({
  order: arg({
    type: AnalyticsSortOrder,
    description:
      'The direction (REST `order`): ascending by default for the list’s own sort column, descending when orderBy names a metric.',
  }),
  orderBy: arg.string({
    description:
      'The sort column or a rankable metric of the list, as the Admin API names it (REST `order_by`, e.g. "message_count").',
  }),
});

export const PAGE_NOTE =
  '`first` counts rows (1–1000, default 100). Forward only: `last` and `before` are refused. Claude Enterprise organizations only.';

builder.objectField(Organization, 'analyticsUserActivity', (t) =>
  t.connection(
    {
      type: AnalyticsUserActivityRow,
      description: `Per-member activity across Claude products on a day, or rolled up over a range, sorted by email address (GET /v1/organizations/analytics/users). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...periodArgs(t.arg, false),
        userIds: t.arg.idList({
          description: 'Only these members (user_…; REST `filter[]=user_id:…`).',
        }),
        rbacGroupIds: t.arg.idList({
          description:
            'Only members who held one of these RBAC groups on the day (rbac_group_…; REST `filter[]=rbac_group_id:…`).',
        }),
        projectIds: t.arg.idList({
          description:
            'Each member’s chat activity in these projects only (claude_proj_…; REST `filter[]=project_id:…`); not with groupBy or rbacGroupIds.',
        }),
        groupBy: t.arg({
          type: [AnalyticsEngagementGroupBy],
          description: 'RBAC_GROUP_ID aggregates the members per group (REST `group_by[]`).',
        }),
        ...orderArgs(t.arg),
      },
      resolve: (_organization, args, ctx, info) => {
        const query = {
          ...period(args, false),
          ...filters(args),
          ...grouping(args, ['rbac_group_id'] as const, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsUsers(ctx.api, page));
      },
    },
    UserActivityConnection,
  ),
);

builder.objectField(Organization, 'analyticsChatProjects', (t) =>
  t.connection(
    {
      type: AnalyticsChatProject,
      description: `Per-project claude.ai chat activity on a day, or rolled up over a range (GET /v1/organizations/analytics/apps/chat/projects). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...periodArgs(t.arg, false),
        userIds: t.arg.idList({
          description: 'Only activity of these members (user_…; REST `filter[]=user_id:…`).',
        }),
        rbacGroupIds: t.arg.idList({
          description:
            'Only activity of members of these RBAC groups (rbac_group_…; REST `filter[]=rbac_group_id:…`).',
        }),
        projectIds: t.arg.idList({
          description: 'Only these projects (claude_proj_…; REST `filter[]=project_id:…`).',
        }),
        groupBy: t.arg({
          type: [AnalyticsEngagementGroupBy],
          description:
            'Break projects out per member (USER_ID) or RBAC group (REST `group_by[]`); PRODUCT is refused.',
        }),
        ...orderArgs(t.arg),
      },
      resolve: (_organization, args, ctx, info) => {
        const query = {
          ...period(args, false),
          ...filters(args),
          ...grouping(args, ['rbac_group_id', 'user_id'] as const, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsProjects(ctx.api, page));
      },
    },
    ChatProjectConnection,
  ),
);

builder.objectField(Organization, 'analyticsArtifacts', (t) =>
  t.connection(
    {
      type: AnalyticsArtifactBucket,
      description: `Artifacts created on a day, by MIME type and whether shared (GET /v1/organizations/analytics/artifacts). ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ...periodArgs(t.arg, true),
        userIds: t.arg.idList({
          description: 'Only artifacts of these members (user_…; REST `filter[]=user_id:…`).',
        }),
        rbacGroupIds: t.arg.idList({
          description:
            'Only artifacts of members of these RBAC groups (rbac_group_…; REST `filter[]=rbac_group_id:…`).',
        }),
        groupBy: t.arg({
          type: [AnalyticsEngagementGroupBy],
          description:
            'Break the buckets out per product, member or RBAC group (REST `group_by[]`).',
        }),
      },
      resolve: (_organization, args, ctx, info) => {
        const query = {
          ...period(args, true),
          date: args.date ?? '',
          ...filters(args),
          ...grouping(args, ['product', 'rbac_group_id', 'user_id'] as const, info),
        };
        return resolveEngagement(args, query, (page) => listAnalyticsArtifacts(ctx.api, page));
      },
    },
    ArtifactConnection,
  ),
);
