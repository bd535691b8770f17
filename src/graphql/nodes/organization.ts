import type { GatewayContext } from '../context.js';
import type { AdminOrganization } from '../../upstream/types.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';

/**
 * The organization as a parent object. The root field hands out a bare handle, so a query that
 * only walks the organization's connections spends no request on GET /organizations/me; `id` and
 * `name` fetch it (once per request) when asked for.
 */
export type OrganizationParent = Pick<AdminOrganization, 'type'> & Partial<AdminOrganization>;

export const Organization = builder.objectRef<OrganizationParent>('Organization');

const detail = async (organization: OrganizationParent, ctx: GatewayContext) =>
  organization.id !== undefined && organization.name !== undefined
    ? (organization as AdminOrganization)
    : ctx.loaders.organization();

builder.node(Organization, {
  description:
    'The organization that owns the credential in use, with its members, invitations, workspaces and API keys.',
  id: {
    extensions: costExtension({ kind: 'once', key: 'organization' }),
    resolve: async (organization, _args, ctx) => (await detail(organization, ctx)).id,
  },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'organization',
  loadOne: async (id, ctx) => {
    const organization = await ctx.loaders.organization();
    return organization.id === id ? organization : null;
  },
  fields: (t) => ({
    name: t.string({
      description: 'The organization’s name.',
      extensions: costExtension({ kind: 'once', key: 'organization' }),
      resolve: async (organization, _args, ctx) => (await detail(organization, ctx)).name,
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.field({
    type: Organization,
    description: 'The organization that owns the credential in use (GET /v1/organizations/me).',
    resolve: () => ({ type: 'organization' as const }),
  }),
);
