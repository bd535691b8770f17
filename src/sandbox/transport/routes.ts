import { apiKeyRoutes } from '../resources/api-keys.js';
import { inviteRoutes } from '../resources/invites.js';
import { memberRoutes } from '../resources/members.js';
import { organizationRoutes } from '../resources/organization.js';
import { rbacRoutes } from '../resources/rbac.js';
import { reportRoutes } from '../resources/reports/index.js';
import { analyticsRoutes } from '../resources/analytics.js';
import { analyticsEngagementRoutes } from '../resources/analytics-engagement.js';
import { analyticsLegacyRoutes } from '../resources/analytics-legacy.js';
import { serviceAccountRoutes } from '../resources/service-accounts.js';
import { federationRoutes, federationRuleRoutes } from '../resources/federation.js';
import { spendLimitRoutes } from '../resources/spend-limits.js';
import { organizationControlRoutes } from '../resources/organization-controls.js';
import { claudeCodeManagedSettingsRoutes } from '../resources/claude-code-managed-settings.js';
import type { Route } from './router.js';
import { userRoutes } from '../resources/users.js';
import { webhookRoutes } from '../resources/webhooks.js';
import { telemetryDestinationRoutes } from '../resources/telemetry-destinations.js';
import { claudeTagRoutes } from '../resources/claude-tag.js';
import { pluginRoutes } from '../resources/plugins.js';
import { externalKeyRoutes } from '../resources/external-keys.js';
import { externalStorageRoutes } from '../resources/external-storage.js';
import { googleDataControlRoutes } from '../resources/google-data-controls.js';
import { workspaceRoutes } from '../resources/workspaces.js';

/** Every emulated Admin API endpoint. New resources add their table here. */
export const ROUTES: readonly Route[] = [
  ...organizationRoutes,
  ...userRoutes,
  ...inviteRoutes,
  ...workspaceRoutes,
  ...memberRoutes,
  ...apiKeyRoutes,
  ...reportRoutes,
  ...analyticsRoutes,
  ...analyticsEngagementRoutes,
  ...analyticsLegacyRoutes,
  ...spendLimitRoutes,
  ...organizationControlRoutes,
  ...rbacRoutes,
  ...serviceAccountRoutes,
  ...federationRoutes,
  ...federationRuleRoutes,
  ...webhookRoutes,
  ...telemetryDestinationRoutes,
  ...claudeTagRoutes,
  ...pluginRoutes,
  ...claudeCodeManagedSettingsRoutes,
  ...externalKeyRoutes,
  ...externalStorageRoutes,
  ...googleDataControlRoutes,
];
