import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';

export const organizationRoutes: Route[] = [
  route('GET', '/v1/organizations/me', ({ store }) => ({
    id: store.organization.id,
    name: store.organization.name,
    type: 'organization',
  })),
];
