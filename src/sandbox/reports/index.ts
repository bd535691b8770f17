import { route } from '../router.js';
import type { Route } from '../router.js';
import { claudeCodeUsageReport } from './claude-code.js';
import { costReport } from './cost.js';
import { messagesUsageReport } from './messages-usage.js';
import { organizationRateLimits, workspaceRateLimits } from './rate-limits.js';

/** The five report endpoints of REPORTS.md, over data generated from the store. */
export const reportRoutes: Route[] = [
  route('GET', '/v1/organizations/usage_report/messages', ({ store, query }) =>
    messagesUsageReport(store, query),
  ),
  route('GET', '/v1/organizations/cost_report', ({ store, query }) => costReport(store, query)),
  route('GET', '/v1/organizations/usage_report/claude_code', ({ store, query }) =>
    claudeCodeUsageReport(store, query),
  ),
  route('GET', '/v1/organizations/rate_limits', ({ query }) => organizationRateLimits(query)),
  route(
    'GET',
    '/v1/organizations/workspaces/:workspace_id/rate_limits',
    ({ store, params, query }) => workspaceRateLimits(store, params['workspace_id'] ?? '', query),
  ),
];
