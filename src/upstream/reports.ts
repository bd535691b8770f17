import type Anthropic from '@anthropic-ai/sdk';
import type {
  AdminRateLimit,
  AdminRateLimitPage,
  AdminReportPage,
  AdminWorkspaceRateLimit,
  MessagesUsageQuery,
} from './types.js';
import type { SdkOrganization } from './upstream.js';

/*
 * Helpers for the report endpoints (REPORTS.md). The SDK reaches the rate-limit endpoints through
 * its own resources; the Messages usage, cost and Claude Code reports at the paths REPORTS.md
 * documents have no SDK resource (its `analytics` resources serve other paths), so they go through
 * the SDK client's generic `get`, which applies the same base URL, headers, timeout and query
 * encoding (`name[]=a&name[]=b`).
 */

export const MESSAGES_USAGE_PATH = '/v1/organizations/usage_report/messages';
export const COST_REPORT_PATH = '/v1/organizations/cost_report';
export const CLAUDE_CODE_USAGE_PATH = '/v1/organizations/usage_report/claude_code';

/** The beta a usage request needs when it filters or groups by speed (REPORTS.md §1.1). */
export const FAST_MODE_BETA = 'fast-mode-2026-02-01';

type RequestOptions = NonNullable<Parameters<SdkOrganization['retrieve']>[0]>;
type GenericClient = Pick<Anthropic, 'get'>;

/** The SDK client behind a resource. The SDK keeps the field protected; `get` itself is public. */
function clientOf(organization: SdkOrganization): GenericClient {
  return (organization as unknown as { _client: GenericClient })._client;
}

/** Whether a usage query needs the fast-mode beta header. */
export function needsFastModeBeta(query: MessagesUsageQuery): boolean {
  return (query.speeds?.length ?? 0) > 0 || (query.group_by ?? []).includes('speed');
}

/**
 * A GET of a fixed report path with the SDK's generic client. `betas` go in `anthropic-beta`,
 * next to the credential headers the caller put in `options`.
 */
export function reportGet<T>(
  organization: SdkOrganization,
  options: RequestOptions,
  path: string,
  query: object,
  betas: string[] = [],
) {
  const headers = {
    ...(options.headers as Record<string, string | null> | undefined),
    ...(betas.length > 0 ? { 'anthropic-beta': betas.join(',') } : {}),
  };
  return clientOf(organization).get<T>(path, {
    ...options,
    headers,
    query: query as Record<string, unknown>,
  });
}

/** A report body as the gateway reads it: missing fields get their documented empty values. */
export function toReportPage<T>(body: Partial<AdminReportPage<T>> | null): AdminReportPage<T> {
  const data = Array.isArray(body?.data) ? body.data : [];
  const nextPage = typeof body?.next_page === 'string' ? body.next_page : null;
  return { data, has_more: body?.has_more === true && nextPage !== null, next_page: nextPage };
}

/** What the SDK's rate-limit list calls return, before it is read as an AdminRateLimitPage. */
interface SdkTokenPage {
  data?: unknown[];
  next_page?: string | null;
}

type RawGroup = { group_type?: unknown; group?: { type?: unknown; id?: unknown } };

/** The group type, also from the SDK's newer shape that nests it as `group.type`. */
function groupTypeOf(raw: RawGroup): string {
  if (typeof raw.group_type === 'string') return raw.group_type;
  return typeof raw.group?.type === 'string' ? raw.group.type : 'unknown';
}

export function toRateLimitPage(page: SdkTokenPage): AdminRateLimitPage<AdminRateLimit> {
  return {
    data: (page.data ?? []).map((item) => {
      const raw = item as AdminRateLimit & RawGroup;
      return {
        type: 'rate_limit',
        id: raw.id,
        group_type: groupTypeOf(raw),
        limits: raw.limits ?? [],
        models: raw.models ?? null,
      };
    }),
    next_page: page.next_page ?? null,
  };
}

export function toWorkspaceRateLimitPage(
  page: SdkTokenPage,
  workspaceId: string,
): AdminRateLimitPage<AdminWorkspaceRateLimit> {
  return {
    data: (page.data ?? []).map((item) => {
      const raw = item as AdminWorkspaceRateLimit & RawGroup;
      return {
        type: 'workspace_rate_limit',
        group_type: groupTypeOf(raw),
        limits: (raw.limits ?? []).map((limit) => ({
          type: limit.type,
          value: limit.value,
          org_limit: limit.org_limit ?? null,
        })),
        models: raw.models ?? null,
        rate_limit_id: raw.rate_limit_id,
        workspace_id: raw.workspace_id ?? workspaceId,
      };
    }),
    next_page: page.next_page ?? null,
  };
}
