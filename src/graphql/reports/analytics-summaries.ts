import {
  listAnalyticsSummaries,
  type AnalyticsDaySummary,
} from '../../upstream/resources/analytics.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { checkIdArgument } from '../lib/lookup.js';
import { readAllPages } from '../lib/token-paging.js';
import { DateTime } from '../lib/scalars.js';
import { Organization } from '../nodes/organization.js';
import { LocalDate, SafeInt } from './scalars.js';

/*
 * Claude Enterprise activity summaries (GET /v1/organizations/analytics/summaries) as
 * Organization.analyticsSummaries: one entry per UTC day of the range. The Admin API returns the
 * series in full (`next_page` is always null), so the field is a plain list of one request.
 */

/** Active users of one surface over the day and its rolling windows. */
interface ActiveUsers {
  daily: number | null | undefined;
  weekly: number | null | undefined;
  monthly: number | null | undefined;
}

const AnalyticsActiveUsers = builder.objectRef<ActiveUsers>('AnalyticsActiveUsers').implement({
  description:
    'Distinct active users of a product surface on a day and over the rolling windows that end with it.',
  fields: (t) => ({
    daily: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Users active on the day; null when the Admin API does not measure it.',
      resolve: (users) => users.daily ?? null,
    }),
    weekly: t.field({
      type: SafeInt,
      nullable: true,
      description: 'Users active in the 7-day window ending with the day.',
      resolve: (users) => users.weekly ?? null,
    }),
    monthly: t.field({
      type: SafeInt,
      nullable: true,
      description:
        'Users active in the 30-day window ending with the day (28 days for Claude Tag and Chat and Cowork unified).',
      resolve: (users) => users.monthly ?? null,
    }),
  }),
});

type Surface =
  | 'chat'
  | 'claude_code'
  | 'claude_design'
  | 'claude_tag'
  | 'office_agent'
  | 'science'
  | 'chat_cowork_unified';

/** A surface's counts; null when the Admin API omits them (breakdown not enabled or offered). */
function surface(summary: AnalyticsDaySummary, name: Surface): ActiveUsers | null {
  const daily = summary[`${name}_daily_active_user_count`];
  const weekly = summary[`${name}_weekly_active_user_count`];
  const monthly = summary[`${name}_monthly_active_user_count`];
  if (daily === undefined && weekly === undefined && monthly === undefined) return null;
  return { daily, weekly, monthly };
}

const SURFACES: Record<string, [Surface, string]> = {
  chat: [
    'chat',
    'Users of claude.ai chat; null while the per-product breakdown is not enabled for the organization.',
  ],
  claudeCode: [
    'claude_code',
    'Users of Claude Code; null while the per-product breakdown is not enabled for the organization.',
  ],
  claudeDesign: [
    'claude_design',
    'Users of Claude Design; null while the per-product breakdown is not enabled for the organization.',
  ],
  claudeTag: [
    'claude_tag',
    'Slack users of Claude Tag (Claude in Slack), linked to a Claude account or not, so it can exceed the seats; null where Claude Tag reporting is not offered. Its counts are null when scoped to RBAC groups.',
  ],
  officeAgent: [
    'office_agent',
    'Users of Claude in Office; null while the per-product breakdown is not enabled for the organization.',
  ],
  science: [
    'science',
    'Users of Claude Science; null while the per-product breakdown is not enabled for the organization.',
  ],
  chatCoworkUnified: [
    'chat_cowork_unified',
    'Users of Chat and Cowork unified; null where it is not available.',
  ],
};

const AnalyticsDaySummaryType = builder
  .objectRef<AnalyticsDaySummary>('AnalyticsDaySummary')
  .implement({
    description:
      'The organization’s activity on one UTC day: active users overall and per product surface, seats, invitations and adoption. Data lags about a day and may be revised by a few percent over the following days.',
    fields: (t) => ({
      startingAt: t.field({
        type: DateTime,
        description: 'The start of the day (inclusive), UTC midnight.',
        resolve: (summary) => summary.starting_at,
      }),
      endingAt: t.field({
        type: DateTime,
        description: 'The end of the day (exclusive), the next UTC midnight.',
        resolve: (summary) => summary.ending_at,
      }),
      activeUsers: t.field({
        type: AnalyticsActiveUsers,
        description: 'Users with token consumption on any surface.',
        resolve: (summary): ActiveUsers => ({
          daily: summary.daily_active_user_count,
          weekly: summary.weekly_active_user_count,
          monthly: summary.monthly_active_user_count,
        }),
      }),
      cowork: t.field({
        type: AnalyticsActiveUsers,
        description: 'Users with Cowork activity.',
        resolve: (summary): ActiveUsers => ({
          daily: summary.cowork_daily_active_user_count,
          weekly: summary.cowork_weekly_active_user_count,
          monthly: summary.cowork_monthly_active_user_count,
        }),
      }),
      ...Object.fromEntries(
        Object.entries(SURFACES).map(([field, [name, description]]) => [
          field,
          t.field({
            type: AnalyticsActiveUsers,
            nullable: true,
            description,
            resolve: (summary) => surface(summary, name),
          }),
        ]),
      ),
      scienceEntitledUserCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Users entitled to Claude Science; null when not reported.',
        resolve: (summary) => summary.science_entitled_user_count ?? null,
      }),
      assignedSeatCount: t.field({
        type: SafeInt,
        nullable: true,
        description:
          'Seats currently assigned to members; null when scoped to RBAC groups (seats are organization-wide).',
        resolve: (summary) => summary.assigned_seat_count,
      }),
      pendingInviteCount: t.field({
        type: SafeInt,
        nullable: true,
        description: 'Pending invitations to the organization; null when scoped to RBAC groups.',
        resolve: (summary) => summary.pending_invite_count,
      }),
      dailyAdoptionRate: t.float({
        nullable: true,
        description:
          'Percent of assigned seats active on the day (daily active users ÷ seats × 100); null when scoped to RBAC groups.',
        resolve: (summary) => summary.daily_adoption_rate,
      }),
      weeklyAdoptionRate: t.float({
        nullable: true,
        description:
          'Percent of assigned seats active in the 7-day window; null when scoped to RBAC groups.',
        resolve: (summary) => summary.weekly_adoption_rate,
      }),
      monthlyAdoptionRate: t.float({
        nullable: true,
        description:
          'Percent of assigned seats active in the 30-day window; null when scoped to RBAC groups.',
        resolve: (summary) => summary.monthly_adoption_rate,
      }),
    }),
  });

builder.objectField(Organization, 'analyticsSummaries', (t) =>
  t.field({
    type: [AnalyticsDaySummaryType],
    nullable: true,
    description:
      'Organization-wide activity per UTC day, from startingDate to endingDate (GET /v1/organizations/analytics/summaries), optionally scoped to the members of RBAC groups. Claude Enterprise organizations only. The whole series, in one request (the Admin API returns it in one page; further pages would be followed).',
    extensions: costExtension({ kind: 'request' }),
    args: {
      startingDate: t.arg({
        type: LocalDate,
        required: true,
        description:
          'The first day (inclusive; REST `starting_date`), not before 2026-01-01. Data lags about a day.',
      }),
      endingDate: t.arg({
        type: LocalDate,
        description:
          'The day after the last (exclusive; REST `ending_date`), at most today, which is the default: the last entry is then the most recent day with data. At most 366 days after startingDate.',
      }),
      rbacGroupIds: t.arg.idList({
        description:
          'Scope every day to the members of these RBAC groups (rbac_group_…; REST `filter[]=rbac_group_id:…`, at most 100): a user counts on a day they held any of the groups. Seats, invitations and adoption rates are then null.',
      }),
    },
    resolve: async (_organization, args, ctx: GatewayContext) => {
      const filter = args.rbacGroupIds?.map(
        (id) => `rbac_group_id:${checkIdArgument('rbacGroup', id, 'rbacGroupIds')}`,
      );
      const query = {
        starting_date: args.startingDate,
        ...(args.endingDate != null ? { ending_date: args.endingDate } : {}),
        ...(filter !== undefined ? { filter } : {}),
      };
      // One page today; should the Admin API ever page the series, the rest follows.
      return readAllPages((page) =>
        listAnalyticsSummaries(ctx.api, { ...query, ...(page !== undefined ? { page } : {}) }),
      );
    },
  }),
);
