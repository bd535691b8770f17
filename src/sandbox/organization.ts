import { route } from './router.js';
import type { Route } from './router.js';

export const organizationRoutes: Route[] = [
  route('GET', '/v1/organizations/me', ({ store }) => ({
    id: store.organization.id,
    name: store.organization.name,
    type: 'organization',
  })),
];
