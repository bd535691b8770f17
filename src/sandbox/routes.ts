import { apiKeyRoutes } from './api-keys.js';
import { inviteRoutes } from './invites.js';
import { memberRoutes } from './members.js';
import { organizationRoutes } from './organization.js';
import { reportRoutes } from './reports/index.js';
import type { Route } from './router.js';
import { userRoutes } from './users.js';
import { workspaceRoutes } from './workspaces.js';

/** Every emulated Admin API endpoint. New resources add their table here. */
export const ROUTES: readonly Route[] = [
  ...organizationRoutes,
  ...userRoutes,
  ...inviteRoutes,
  ...workspaceRoutes,
  ...memberRoutes,
  ...apiKeyRoutes,
  ...reportRoutes,
];
