import { route } from '../../transport/router.js';
import type { Route } from '../../transport/router.js';
import { claudeCodeUsageReport } from './claude-code.js';
import { costReport } from './cost.js';
import { messagesUsageReport } from './messages-usage.js';
import { boundPageToken } from './page-tokens.js';
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
  // The rate-limit lists are one page: no token is ever issued, so any `page` is refused.
  route('GET', '/v1/organizations/rate_limits', ({ store, query, version }) => {
    boundPageToken(store, 'rate_limits', query);
    return organizationRateLimits(query, version);
  }),
  route(
    'GET',
    '/v1/organizations/workspaces/:workspace_id/rate_limits',
    ({ store, params, query, version }) => {
      boundPageToken(store, 'workspace_rate_limits', query);
      return workspaceRateLimits(store, params['workspace_id'] ?? '', query, version);
    },
  ),
];
