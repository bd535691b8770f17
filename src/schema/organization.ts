import type { AdminOrganization } from '../upstream/types.js';
import { builder } from './builder.js';

export const Organization = builder.objectRef<AdminOrganization>('Organization');

builder.node(Organization, {
  description:
    'The organization that owns the credential in use, with its members, invitations, workspaces and API keys.',
  id: { resolve: (organization) => organization.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'organization',
  loadOne: async (id, ctx) => {
    const organization = await ctx.loaders.organization();
    return organization.id === id ? organization : null;
  },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The organization’s name.' }),
  }),
});

builder.queryField('organization', (t) =>
  t.field({
    type: Organization,
    description: 'The organization that owns the credential in use (GET /v1/organizations/me).',
    resolve: (_root, _args, ctx) => ctx.loaders.organization(),
  }),
);
