import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './lib/scalars.js';
import './nodes/node.js';
import './nodes/organization.js';
import './nodes/user.js';
import './nodes/invite.js';
import './nodes/workspace.js';
import './nodes/workspace-member.js';
import './nodes/api-key.js';
import './nodes/rate-limit.js';
import './reports/index.js';
import './reports/analytics.js';
import './reports/analytics-summaries.js';
import './reports/analytics-engagement.js';
import './reports/analytics-tools.js';
import './reports/analytics-legacy.js';
import './nodes/spend-limit.js';
import './mutations/spend-limits.js';
import './nodes/compliance-settings.js';
import './mutations/compliance-settings.js';
import './mutations/workspace-rate-limits.js';
import './mutations/user-sign-out.js';
import './nodes/webhook.js';
import './mutations/webhooks.js';
import './nodes/telemetry-destination.js';
import './mutations/telemetry-destinations.js';
import './nodes/service-account.js';
import './mutations/service-accounts.js';
import './nodes/federation-issuer.js';
import './mutations/federation-issuers.js';
import './nodes/federation-rule.js';
import './mutations/federation-rules.js';
import './nodes/rbac-role.js';
import './nodes/rbac-group.js';
import './mutations/rbac-groups.js';
import './nodes/claude-code-managed-settings.js';
import './mutations/claude-code-managed-settings.js';
import './nodes/plugin.js';
import './mutations/plugins.js';
import './mutations/plugin-marketplaces.js';
import './nodes/claude-tag-slack-workspace.js';
import './nodes/claude-tag-bundle.js';
import './mutations/claude-tag.js';
import './nodes/external-key.js';
import './nodes/external-storage.js';
import './nodes/google-data-controls.js';
import './mutations/external-keys.js';
import './mutations/external-storage.js';
import './mutations/google-data-controls.js';
import './subscriptions/organization-changes.js';
import './subscriptions/bulk-operation-progress.js';
import './nodes/audit-event.js';
import { dryRunDirective } from './lib/dry-run-directive.js';
import './bulk/bulk-operation.js';
import './bulk/mutations.js';
import { buildSubgraphSchema } from './federation.js';

/** The gateway's client schema, assembled from one file per type. */
export const schema = builder.toSchema({ directives: [dryRunDirective] });

let subgraph: GraphQLSchema | undefined;

/**
 * The same graph as an Apollo Federation v2 subgraph (`_entities`, `_service`, @key on the
 * entities), served instead of the client schema when FEDERATION_SUBGRAPH is on. Built on first
 * use (it takes a moment), so that a gateway without federation does not pay for it.
 */
export function getSubgraphSchema(): GraphQLSchema {
  subgraph ??= buildSubgraphSchema();
  return subgraph;
}
