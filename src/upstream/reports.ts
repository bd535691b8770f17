import type Anthropic from '@anthropic-ai/sdk';
import type { AdminReportPage, MessagesUsageQuery } from './types.js';
import type { RequestOptions } from './upstream.js';

/*
 * Helpers for the report endpoints (REPORTS.md). The rate-limit endpoints go through the SDK's own
 * methods (`rateLimits.list`, `workspaces.rateLimits.list`). The Messages usage, cost and Claude
 * Code reports at the paths REPORTS.md documents have no SDK method (its `analytics` resources
 * serve other paths), so they go through the client's public generic `get`, which applies the
 * same base URL, headers, timeout and query encoding (`name[]=a&name[]=b`). Their answers have no
 * SDK type either: the gateway declares them (src/upstream/types.ts) and reads them defensively.
 */

export const MESSAGES_USAGE_PATH = '/v1/organizations/usage_report/messages';
export const COST_REPORT_PATH = '/v1/organizations/cost_report';
export const CLAUDE_CODE_USAGE_PATH = '/v1/organizations/usage_report/claude_code';

/** The beta a usage request needs when it filters or groups by speed (REPORTS.md §1.1). */
export const FAST_MODE_BETA = 'fast-mode-2026-02-01';

/** Whether a usage query needs the fast-mode beta header. */
export function needsFastModeBeta(query: MessagesUsageQuery): boolean {
  return (query.speeds?.length ?? 0) > 0 || (query.group_by ?? []).includes('speed');
}

/**
 * A GET of a fixed report path with the client's public `get`. `betas` go in `anthropic-beta`,
 * next to the credential headers the caller put in `options`. The body is whatever the Admin API
 * answered, read by `toReportPage`.
 */
export function reportGet(
  client: Anthropic,
  options: RequestOptions,
  path: string,
  query: object,
  betas: string[] = [],
) {
  const headers = {
    ...options.headers,
    ...(betas.length > 0 ? { 'anthropic-beta': betas.join(',') } : {}),
  };
  return client.get<unknown>(path, { headers, query });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A report body as the gateway reads it: missing fields get their documented empty values. The
 * items are the Admin API's (REPORTS.md); `isItem` keeps out what is not an object.
 */
export function toReportPage<T>(
  body: unknown,
  isItem: (item: unknown) => item is T,
): AdminReportPage<T> {
  const record = isRecord(body) ? body : {};
  const data = Array.isArray(record['data']) ? record['data'].filter(isItem) : [];
  const nextPage = typeof record['next_page'] === 'string' ? record['next_page'] : null;
  return { data, has_more: record['has_more'] === true && nextPage !== null, next_page: nextPage };
}
