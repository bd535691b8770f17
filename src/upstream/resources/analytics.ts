import type {
  BetaAnalyticsActor,
  BetaAnalyticsArtifactActivity,
  BetaAnalyticsConnectorActivity,
  BetaAnalyticsPluginActivity,
  BetaAnalyticsSkillActivity,
  BetaAnalyticsProjectActivity,
  BetaAnalyticsSingleDayActivitySummary,
  BetaAnalyticsUserActivity,
} from '@anthropic-ai/sdk/resources/beta/organization/analytics/analytics';
import type {
  BetaAnalyticsCostItem,
  CostListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/analytics/cost';
import type { SummaryListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/summaries';
import type {
  BetaAnalyticsUsageItem,
  UsageListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/analytics/usage';
import type { UserListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/users';
import type { ConnectorListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/connectors';
import type { PluginListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/plugins';
import type { SkillListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/skills';
import type { ArtifactListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/artifacts';
import type { ProjectListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/apps/chat/projects';
import type {
  BetaAnalyticsCostReportTimeBucket,
  BetaAnalyticsCostUsersItem,
  BetaAnalyticsUsageReportTimeBucket,
  BetaAnalyticsUsageUsersItem,
} from '@anthropic-ai/sdk/resources/beta/organization/analytics/analytics';
import type { UsageReportListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/usage-report';
import type { CostReportListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/cost-report';
import type { UserUsageReportListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/user-usage-report';
import type { UserCostReportListParams } from '@anthropic-ai/sdk/resources/beta/organization/analytics/user-cost-report';
import type { AdminApi } from '../admin-api.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';
import { plainPage, type Options, type Organization, type SdkRun } from './token-pages.js';

/*
 * Claude Enterprise analytics and usage/cost analytics (`/v1/organizations/analytics/...`,
 * EXTENDED.md §10). Reads only, cached in the `reports` collection keyed by their query; what is
 * cached is a plain page, never the SDK's page object. Page tokens are bound to their query: the
 * GraphQL side re-sends a token only with exactly the query that produced it
 * (src/graphql/lib/token-paging.ts).
 * - `usage` and `cost` (beta `analytics-usage-cost-2026-08-24`, which the SDK sends itself) page
 *   with `ReportPageCursor` (`next_page`, `has_more`, `data_refreshed_at`). They name no object,
 *   so their operations carry the `gate`: a 404 is NOT_ENABLED on their field alone.
 * - `summaries` and the engagement lists (`users`, `apps.chat.projects`, `artifacts`,
 *   `connectors`, `plugins`, `skills`) page with
 *   `PageCursor` (`next_page` only); `summaries` is currently always one page.
 */

export type AnalyticsUsageItem = BetaAnalyticsUsageItem;
export type AnalyticsCostItem = BetaAnalyticsCostItem;
export type AnalyticsActor = BetaAnalyticsActor;
export type AnalyticsDaySummary = BetaAnalyticsSingleDayActivitySummary;
export type AnalyticsUserActivity = BetaAnalyticsUserActivity;
export type AnalyticsUsageQuery = Omit<UsageListParams, 'betas' | 'page'>;
export type AnalyticsCostQuery = Omit<CostListParams, 'betas' | 'page'>;
export type AnalyticsSummaryQuery = Omit<SummaryListParams, 'page' | 'limit'> & { page?: string };
export type AnalyticsUserQuery = Omit<UserListParams, 'page'>;
export type AnalyticsProjectActivity = BetaAnalyticsProjectActivity;
export type AnalyticsArtifactActivity = BetaAnalyticsArtifactActivity;
export type AnalyticsProjectQuery = Omit<ProjectListParams, 'page'>;
export type AnalyticsArtifactQuery = Omit<ArtifactListParams, 'page'>;
export type AnalyticsConnectorActivity = BetaAnalyticsConnectorActivity;
export type AnalyticsPluginActivity = BetaAnalyticsPluginActivity;
export type AnalyticsSkillActivity = BetaAnalyticsSkillActivity;
export type AnalyticsConnectorQuery = Omit<ConnectorListParams, 'page'>;
export type AnalyticsPluginQuery = Omit<PluginListParams, 'page'>;
export type AnalyticsSkillQuery = Omit<SkillListParams, 'page'>;

/** The beta `usage` and `cost` are gated behind (named in NOT_ENABLED errors). */
export const ANALYTICS_USAGE_COST_BETA = 'analytics-usage-cost-2026-08-24';

/** One page of a `ReportPageCursor` list, as plain data. */
export interface AnalyticsReportPage<T> {
  data: T[];
  next_page: string | null;
  has_more: boolean;
  /** When the data behind the report was last refreshed (RFC 3339); null when not reported. */
  data_refreshed_at: string | null;
}

/** One page of a `PageCursor` list, as plain data. */
export interface AnalyticsPage<T> {
  data: T[];
  next_page: string | null;
}

interface PageQuery {
  limit?: number;
  page?: string;
}

const COLLECTION = 'reports' as const;

const gated = (name: string): UpstreamOperation => ({
  name,
  method: 'GET',
  write: false,
  gate: ANALYTICS_USAGE_COST_BETA,
});
const plain = (name: string): UpstreamOperation => ({ name, method: 'GET', write: false });

/** Runs a `ReportPageCursor` list call and keeps its page as plain data. */
function reportPage<T>(
  list: (
    org: Organization,
    opts: Options,
  ) => {
    withResponse(): Promise<{
      data: {
        data: T[];
        next_page: string | null;
        has_more: boolean;
        data_refreshed_at: string | null;
      };
      request_id: string | null | undefined;
    }>;
  },
): SdkRun<AnalyticsReportPage<T>> {
  return (org, opts) => ({
    withResponse: async () => {
      const { data, request_id } = await list(org, opts).withResponse();
      const page: AnalyticsReportPage<T> = {
        data: data.data,
        next_page: data.next_page ?? null,
        has_more: data.has_more === true && (data.next_page ?? null) !== null,
        data_refreshed_at: data.data_refreshed_at ?? null,
      };
      return { data: page, request_id };
    },
  });
}

export function listAnalyticsUsage(
  api: AdminApi,
  query: AnalyticsUsageQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsUsageItem>> {
  return api.read<AnalyticsReportPage<AnalyticsUsageItem>>(
    COLLECTION,
    readKey('analytics.usage.list', query),
    gated('analytics.usage.list'),
    reportPage((org, opts) => org.analytics.usage.list(query, opts)),
  );
}

export function listAnalyticsCost(
  api: AdminApi,
  query: AnalyticsCostQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsCostItem>> {
  return api.read<AnalyticsReportPage<AnalyticsCostItem>>(
    COLLECTION,
    readKey('analytics.cost.list', query),
    gated('analytics.cost.list'),
    reportPage((org, opts) => org.analytics.cost.list(query, opts)),
  );
}

/** A page of the day series; the Admin API currently returns it in full (`next_page` null). */
export function listAnalyticsSummaries(
  api: AdminApi,
  query: AnalyticsSummaryQuery,
): Promise<AnalyticsPage<AnalyticsDaySummary>> {
  return api.read<AnalyticsPage<AnalyticsDaySummary>>(
    COLLECTION,
    readKey('analytics.summaries.list', query),
    plain('analytics.summaries.list'),
    plainPage((org, opts) => org.analytics.summaries.list(query, opts)),
  );
}

export function listAnalyticsUsers(
  api: AdminApi,
  query: AnalyticsUserQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsUserActivity>> {
  return api.read<AnalyticsPage<AnalyticsUserActivity>>(
    COLLECTION,
    readKey('analytics.users.list', query),
    plain('analytics.users.list'),
    plainPage((org, opts) => org.analytics.users.list(query, opts)),
  );
}

export function listAnalyticsProjects(
  api: AdminApi,
  query: AnalyticsProjectQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsProjectActivity>> {
  return api.read<AnalyticsPage<AnalyticsProjectActivity>>(
    COLLECTION,
    readKey('analytics.apps.chat.projects.list', query),
    plain('analytics.apps.chat.projects.list'),
    plainPage((org, opts) => org.analytics.apps.chat.projects.list(query, opts)),
  );
}

export function listAnalyticsArtifacts(
  api: AdminApi,
  query: AnalyticsArtifactQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsArtifactActivity>> {
  return api.read<AnalyticsPage<AnalyticsArtifactActivity>>(
    COLLECTION,
    readKey('analytics.artifacts.list', query),
    plain('analytics.artifacts.list'),
    plainPage((org, opts) => org.analytics.artifacts.list(query, opts)),
  );
}

export function listAnalyticsConnectors(
  api: AdminApi,
  query: AnalyticsConnectorQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsConnectorActivity>> {
  return api.read<AnalyticsPage<AnalyticsConnectorActivity>>(
    COLLECTION,
    readKey('analytics.connectors.list', query),
    plain('analytics.connectors.list'),
    plainPage((org, opts) => org.analytics.connectors.list(query, opts)),
  );
}

export function listAnalyticsPlugins(
  api: AdminApi,
  query: AnalyticsPluginQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsPluginActivity>> {
  return api.read<AnalyticsPage<AnalyticsPluginActivity>>(
    COLLECTION,
    readKey('analytics.plugins.list', query),
    plain('analytics.plugins.list'),
    plainPage((org, opts) => org.analytics.plugins.list(query, opts)),
  );
}

export function listAnalyticsSkills(
  api: AdminApi,
  query: AnalyticsSkillQuery & PageQuery,
): Promise<AnalyticsPage<AnalyticsSkillActivity>> {
  return api.read<AnalyticsPage<AnalyticsSkillActivity>>(
    COLLECTION,
    readKey('analytics.skills.list', query),
    plain('analytics.skills.list'),
    plainPage((org, opts) => org.analytics.skills.list(query, opts)),
  );
}

/*
 * The legacy Claude Enterprise per-user reports ("[Legacy]" in the SDK; superseded by `usage`
 * and `cost`): GET /v1/organizations/analytics/user_usage_report and /user_cost_report, paged
 * with `ReportPageCursor`. Not beta-gated.
 */
export type AnalyticsUserUsageItem = BetaAnalyticsUsageUsersItem;
export type AnalyticsUserCostItem = BetaAnalyticsCostUsersItem;
export type AnalyticsUserUsageReportQuery = Omit<UserUsageReportListParams, 'page'>;
export type AnalyticsUserCostReportQuery = Omit<UserCostReportListParams, 'page'>;

export function listAnalyticsUserUsageReport(
  api: AdminApi,
  query: AnalyticsUserUsageReportQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsUserUsageItem>> {
  return api.read<AnalyticsReportPage<AnalyticsUserUsageItem>>(
    COLLECTION,
    readKey('analytics.userUsageReport.list', query),
    plain('analytics.userUsageReport.list'),
    reportPage((org, opts) => org.analytics.userUsageReport.list(query, opts)),
  );
}

export function listAnalyticsUserCostReport(
  api: AdminApi,
  query: AnalyticsUserCostReportQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsUserCostItem>> {
  return api.read<AnalyticsReportPage<AnalyticsUserCostItem>>(
    COLLECTION,
    readKey('analytics.userCostReport.list', query),
    plain('analytics.userCostReport.list'),
    reportPage((org, opts) => org.analytics.userCostReport.list(query, opts)),
  );
}

/* The legacy bucketed reports: GET .../usage_report and .../cost_report, pages of time buckets. */
export type AnalyticsUsageReportBucket = BetaAnalyticsUsageReportTimeBucket;
export type AnalyticsCostReportBucket = BetaAnalyticsCostReportTimeBucket;
export type AnalyticsUsageReportQuery = Omit<UsageReportListParams, 'page'>;
export type AnalyticsCostReportQuery = Omit<CostReportListParams, 'page'>;

export function listAnalyticsUsageReport(
  api: AdminApi,
  query: AnalyticsUsageReportQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsUsageReportBucket>> {
  return api.read<AnalyticsReportPage<AnalyticsUsageReportBucket>>(
    COLLECTION,
    readKey('analytics.usageReport.list', query),
    plain('analytics.usageReport.list'),
    reportPage((org, opts) => org.analytics.usageReport.list(query, opts)),
  );
}

export function listAnalyticsCostReport(
  api: AdminApi,
  query: AnalyticsCostReportQuery & PageQuery,
): Promise<AnalyticsReportPage<AnalyticsCostReportBucket>> {
  return api.read<AnalyticsReportPage<AnalyticsCostReportBucket>>(
    COLLECTION,
    readKey('analytics.costReport.list', query),
    plain('analytics.costReport.list'),
    reportPage((org, opts) => org.analytics.costReport.list(query, opts)),
  );
}
