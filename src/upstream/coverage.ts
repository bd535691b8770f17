// Which graph field serves each Admin API method of the official SDK (`@anthropic-ai/sdk`,
// `client.beta.organization`). One entry per SDK method, keyed by its dotted path under
// `client.beta.organization`; test/compat/sdk-coverage.test.ts walks the installed SDK and fails
// when a method is missing here (an SDK upgrade shows what is new) or named here but gone, and
// checks every GraphQL coordinate below exists in the schema. `npm run coverage:print` writes the
// table into README.md. Route, HTTP shape and `anthropic-beta` value are as the SDK sends them
// (the test checks them against the SDK's requests), so a later registry can read them from here.
// The report fields (messages usage, cost, Claude Code usage) read routes outside
// `client.beta.organization` (`/v1/organizations/usage_report/*`, `/v1/organizations/cost_report`)
// through the SDK's generic `get`, so no row here claims them.

/** How the method is reached: list is a cursor-paginated GET. */
export type AdminHttp = 'GET' | 'GET list' | 'POST' | 'DELETE';

/**
 * What serves a method: the GraphQL coordinates that call it (`Type.field`, the first is the main
 * one), a method deliberately left out (with the reason), or one the graph does not serve yet.
 */
export type AdminServed = readonly [string, ...string[]] | { leftOut: string } | { planned: true };

export interface AdminMethodCoverage {
  /** HTTP method; `GET list` is a cursor-paginated list. */
  http: AdminHttp;
  /** Route with `{name}` path parameters. */
  route: string;
  /** The `anthropic-beta` value the SDK sends for it, or null. */
  beta: string | null;
  served: AdminServed;
}

/** The SDK release this table was written against. */
export const COVERAGE_SDK_VERSION = '1.14.0';

const LEFT_UPLOAD = {
  leftOut: 'multipart file upload (plugin files or a .zip); GraphQL over JSON carries no files',
} as const;
const LEFT_DOWNLOAD = {
  leftOut: 'binary download (the version as an archive); not a GraphQL value',
} as const;
const LEFT_ARCHIVE = {
  leftOut: 'multipart archive upload (a .zip up to 32 MB); GraphQL over JSON carries no files',
} as const;

export const ADMIN_API_COVERAGE: Readonly<Record<string, AdminMethodCoverage>> = {
  'analytics.apps.chat.projects.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/apps/chat/projects',
    beta: null,
    served: ['Organization.analyticsChatProjects'],
  },
  'analytics.artifacts.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/artifacts',
    beta: null,
    served: ['Organization.analyticsArtifacts'],
  },
  'analytics.connectors.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/connectors',
    beta: null,
    served: ['Organization.analyticsConnectors'],
  },
  'analytics.cost.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/cost',
    beta: 'analytics-usage-cost-2026-08-24',
    served: ['Organization.analyticsCost'],
  },
  'analytics.costReport.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/cost_report',
    beta: null,
    served: ['Organization.analyticsCostReport'],
  },
  'analytics.plugins.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/plugins',
    beta: null,
    served: ['Organization.analyticsPlugins'],
  },
  'analytics.skills.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/skills',
    beta: null,
    served: ['Organization.analyticsSkills'],
  },
  'analytics.summaries.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/summaries',
    beta: null,
    served: ['Organization.analyticsSummaries'],
  },
  'analytics.usage.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/usage',
    beta: 'analytics-usage-cost-2026-08-24',
    served: ['Organization.analyticsUsage'],
  },
  'analytics.usageReport.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/usage_report',
    beta: null,
    served: ['Organization.analyticsUsageReport'],
  },
  'analytics.userCostReport.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/user_cost_report',
    beta: null,
    served: ['Organization.analyticsUserCostReport'],
  },
  'analytics.users.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/users',
    beta: null,
    served: ['Organization.analyticsUserActivity'],
  },
  'analytics.userUsageReport.list': {
    http: 'GET list',
    route: '/v1/organizations/analytics/user_usage_report',
    beta: null,
    served: ['Organization.analyticsUserUsageReport'],
  },
  'apiKeys.list': {
    http: 'GET list',
    route: '/v1/organizations/api_keys',
    beta: null,
    served: ['Organization.apiKeys', 'Workspace.apiKeys', 'User.apiKeys'],
  },
  'apiKeys.retrieve': {
    http: 'GET',
    route: '/v1/organizations/api_keys/{api_key_id}',
    beta: null,
    served: ['Query.apiKey'],
  },
  'apiKeys.update': {
    http: 'POST',
    route: '/v1/organizations/api_keys/{api_key_id}',
    beta: null,
    served: ['Mutation.updateApiKey'],
  },
  'claudeCode.managedSettings.configuration.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_code/managed_settings/configuration',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: [
      'Organization.claudeCodeManagedSettingsConfiguration',
      'UpdateClaudeCodeManagedSettingsConfigurationPayload.configuration',
    ],
  },
  'claudeCode.managedSettings.configuration.update': {
    http: 'POST',
    route: '/v1/organizations/claude_code/managed_settings/configuration',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Mutation.updateClaudeCodeManagedSettingsConfiguration'],
  },
  'claudeCode.managedSettings.rbacGroupDefault.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_code/managed_settings/rbac_group_default',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Organization.claudeCodeDefaultManagedSettings'],
  },
  'claudeCode.managedSettings.rbacGroupDefault.update': {
    http: 'POST',
    route: '/v1/organizations/claude_code/managed_settings/rbac_group_default',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Mutation.updateClaudeCodeDefaultManagedSettings'],
  },
  'claudeCode.managedSettings.rbacGroups.delete': {
    http: 'DELETE',
    route: '/v1/organizations/claude_code/managed_settings/rbac_groups/{rbac_group_id}',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Mutation.deleteClaudeCodeRbacGroupManagedSettings'],
  },
  'claudeCode.managedSettings.rbacGroups.list': {
    http: 'GET list',
    route: '/v1/organizations/claude_code/managed_settings/rbac_groups',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Organization.claudeCodeRbacGroupManagedSettings'],
  },
  'claudeCode.managedSettings.rbacGroups.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_code/managed_settings/rbac_groups/{rbac_group_id}',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: [
      'RbacGroup.claudeCodeManagedSettings',
      'ClaudeCodeRbacGroupManagedSettingsEntry.settings',
    ],
  },
  'claudeCode.managedSettings.rbacGroups.set': {
    http: 'POST',
    route: '/v1/organizations/claude_code/managed_settings/rbac_groups/{rbac_group_id}',
    beta: 'ce-claude-code-managed-settings-2026-10-06',
    served: ['Mutation.setClaudeCodeRbacGroupManagedSettings'],
  },
  'claudeTag.bundles.list': {
    http: 'GET list',
    route: '/v1/organizations/claude_tag/bundles',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Organization.claudeTagBundles'],
  },
  'claudeTag.bundles.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Query.claudeTagBundle', 'ClaudeTagBundleTarget.bundle'],
  },
  'claudeTag.bundles.targets.create': {
    http: 'POST',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}/targets',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.createClaudeTagBundleTarget'],
  },
  'claudeTag.bundles.targets.delete': {
    http: 'DELETE',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}/targets/{target_id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.deleteClaudeTagBundleTarget'],
  },
  'claudeTag.bundles.targets.list': {
    http: 'GET list',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}/targets',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['ClaudeTagBundle.targets'],
  },
  'claudeTag.bundles.targets.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}/targets/{target_id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['ClaudeTagBundle.target'],
  },
  'claudeTag.bundles.update': {
    http: 'POST',
    route: '/v1/organizations/claude_tag/bundles/{bundle_id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.updateClaudeTagBundle'],
  },
  'claudeTag.slackChannels.create': {
    http: 'POST',
    route: '/v1/organizations/claude_tag/slack_channels',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.createClaudeTagSlackChannel'],
  },
  'claudeTag.slackChannels.delete': {
    http: 'DELETE',
    route: '/v1/organizations/claude_tag/slack_channels/{id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.deleteClaudeTagSlackChannel'],
  },
  'claudeTag.slackChannels.list': {
    http: 'GET list',
    route: '/v1/organizations/claude_tag/slack_channels',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['ClaudeTagSlackWorkspace.channels'],
  },
  'claudeTag.slackChannels.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_tag/slack_channels/{id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: [
      'Query.claudeTagSlackChannel',
      'ClaudeTagSettingSource.slackChannel',
      'ClaudeTagBundleTarget.slackChannel',
      'CreateClaudeTagSlackChannelPayload.slackChannel',
    ],
  },
  'claudeTag.slackChannels.update': {
    http: 'POST',
    route: '/v1/organizations/claude_tag/slack_channels/{id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.updateClaudeTagSlackChannel'],
  },
  'claudeTag.slackWorkspaces.list': {
    http: 'GET list',
    route: '/v1/organizations/claude_tag/slack_workspaces',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Organization.claudeTagSlackWorkspaces', 'ClaudeTagSlackChannel.slackWorkspace'],
  },
  'claudeTag.slackWorkspaces.retrieve': {
    http: 'GET',
    route: '/v1/organizations/claude_tag/slack_workspaces/{id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: [
      'Query.claudeTagSlackWorkspace',
      'ClaudeTagSettingSource.slackWorkspace',
      'ClaudeTagBundleTarget.slackWorkspace',
    ],
  },
  'claudeTag.slackWorkspaces.update': {
    http: 'POST',
    route: '/v1/organizations/claude_tag/slack_workspaces/{id}',
    beta: 'experimental-claude-tag-2026-10-21',
    served: ['Mutation.updateClaudeTagSlackWorkspace'],
  },
  'complianceSettings.retrieve': {
    http: 'GET',
    route: '/v1/organizations/compliance_settings',
    beta: null,
    served: ['Organization.complianceSettings'],
  },
  'complianceSettings.update': {
    http: 'POST',
    route: '/v1/organizations/compliance_settings',
    beta: null,
    served: ['Mutation.updateComplianceSettings'],
  },
  'externalKeys.create': {
    http: 'POST',
    route: '/v1/organizations/external_keys',
    beta: null,
    served: ['Mutation.createExternalKey'],
  },
  'externalKeys.delete': {
    http: 'DELETE',
    route: '/v1/organizations/external_keys/{external_key_id}',
    beta: null,
    served: ['Mutation.deleteExternalKey'],
  },
  'externalKeys.list': {
    http: 'GET list',
    route: '/v1/organizations/external_keys',
    beta: null,
    served: ['Organization.externalKeys'],
  },
  'externalKeys.retrieve': {
    http: 'GET',
    route: '/v1/organizations/external_keys/{external_key_id}',
    beta: null,
    served: [
      'Query.externalKey',
      'Workspace.externalKey',
      'Query.node',
      'GoogleCmekRegion.externalKey',
    ],
  },
  'externalKeys.update': {
    http: 'POST',
    route: '/v1/organizations/external_keys/{external_key_id}',
    beta: null,
    served: ['Mutation.updateExternalKey'],
  },
  'externalKeys.validate': {
    http: 'POST',
    route: '/v1/organizations/external_keys/{external_key_id}/validate',
    beta: null,
    served: ['Mutation.validateExternalKey'],
  },
  'externalStorage.activate': {
    http: 'POST',
    route: '/v1/organizations/external_storage/{external_storage_id}/activate',
    beta: 'efs-2026-10-01',
    served: ['Mutation.activateExternalStorage'],
  },
  'externalStorage.create': {
    http: 'POST',
    route: '/v1/organizations/external_storage',
    beta: 'efs-2026-10-01',
    served: ['Mutation.createExternalStorage'],
  },
  'externalStorage.delete': {
    http: 'DELETE',
    route: '/v1/organizations/external_storage/{external_storage_id}',
    beta: 'efs-2026-10-01',
    served: ['Mutation.deleteExternalStorage'],
  },
  'externalStorage.list': {
    http: 'GET list',
    route: '/v1/organizations/external_storage',
    beta: 'efs-2026-10-01',
    served: ['Organization.externalStorages'],
  },
  'externalStorage.retrieve': {
    http: 'GET',
    route: '/v1/organizations/external_storage/{external_storage_id}',
    beta: 'efs-2026-10-01',
    served: ['Query.externalStorage', 'DeleteExternalStoragePayload.removalStarted'],
  },
  'externalStorage.update': {
    http: 'POST',
    route: '/v1/organizations/external_storage/{external_storage_id}',
    beta: 'efs-2026-10-01',
    served: ['Mutation.updateExternalStorage'],
  },
  'federation.issuers.archive': {
    http: 'POST',
    route: '/v1/organizations/federation_issuers/{federation_issuer_id}/archive',
    beta: null,
    served: ['Mutation.archiveFederationIssuer'],
  },
  'federation.issuers.create': {
    http: 'POST',
    route: '/v1/organizations/federation_issuers',
    beta: null,
    served: ['Mutation.createFederationIssuer'],
  },
  'federation.issuers.list': {
    http: 'GET list',
    route: '/v1/organizations/federation_issuers',
    beta: null,
    served: ['Organization.federationIssuers', 'Query.federationIssuer'],
  },
  'federation.issuers.retrieve': {
    http: 'GET',
    route: '/v1/organizations/federation_issuers/{federation_issuer_id}',
    beta: null,
    served: ['Query.federationIssuer', 'Query.node'],
  },
  'federation.issuers.update': {
    http: 'POST',
    route: '/v1/organizations/federation_issuers/{federation_issuer_id}',
    beta: null,
    served: ['Mutation.updateFederationIssuer'],
  },
  'federation.rules.archive': {
    http: 'POST',
    route: '/v1/organizations/federation_rules/{federation_rule_id}/archive',
    beta: null,
    served: ['Mutation.archiveFederationRule'],
  },
  'federation.rules.create': {
    http: 'POST',
    route: '/v1/organizations/federation_rules',
    beta: null,
    served: ['Mutation.createFederationRule'],
  },
  'federation.rules.list': {
    http: 'GET list',
    route: '/v1/organizations/federation_rules',
    beta: null,
    served: ['Organization.federationRules', 'FederationIssuer.rules', 'Query.federationRule'],
  },
  'federation.rules.retrieve': {
    http: 'GET',
    route: '/v1/organizations/federation_rules/{federation_rule_id}',
    beta: null,
    served: ['Query.federationRule', 'Query.node'],
  },
  'federation.rules.update': {
    http: 'POST',
    route: '/v1/organizations/federation_rules/{federation_rule_id}',
    beta: null,
    served: ['Mutation.updateFederationRule'],
  },
  'federation.rules.workspaces.add': {
    http: 'POST',
    route: '/v1/organizations/federation_rules/{federation_rule_id}/workspaces',
    beta: null,
    served: ['Mutation.addFederationRuleWorkspace'],
  },
  'federation.rules.workspaces.list': {
    http: 'GET list',
    route: '/v1/organizations/federation_rules/{federation_rule_id}/workspaces',
    beta: null,
    served: ['FederationRule.workspaces'],
  },
  'federation.rules.workspaces.remove': {
    http: 'DELETE',
    route: '/v1/organizations/federation_rules/{federation_rule_id}/workspaces/{workspace_id}',
    beta: null,
    served: ['Mutation.removeFederationRuleWorkspace'],
  },
  'invites.create': {
    http: 'POST',
    route: '/v1/organizations/invites',
    beta: null,
    served: ['Mutation.createInvite'],
  },
  'invites.delete': {
    http: 'DELETE',
    route: '/v1/organizations/invites/{invite_id}',
    beta: null,
    served: ['Mutation.deleteInvite'],
  },
  'invites.list': {
    http: 'GET list',
    route: '/v1/organizations/invites',
    beta: null,
    served: ['Organization.invites'],
  },
  'invites.retrieve': {
    http: 'GET',
    route: '/v1/organizations/invites/{invite_id}',
    beta: null,
    served: ['Query.invite'],
  },
  'pluginMarketplaces.list': {
    http: 'GET list',
    route: '/v1/organizations/plugin_marketplaces',
    beta: 'ce-plugins-2026-09-01',
    served: ['Organization.pluginMarketplaces', 'Query.node', 'Query.nodes'],
  },
  'pluginMarketplaces.retrieve': {
    http: 'GET',
    route: '/v1/organizations/plugin_marketplaces/{marketplace_id}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Query.pluginMarketplace', 'Plugin.marketplace', 'Query.node', 'Query.nodes'],
  },
  'pluginMarketplaces.update': {
    http: 'POST',
    route: '/v1/organizations/plugin_marketplaces/{marketplace_id}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Mutation.updatePluginMarketplace'],
  },
  'pluginMarketplaces.validateArchive': {
    http: 'POST',
    route: '/v1/organizations/plugin_marketplaces/validate_archive',
    beta: 'ce-plugins-2026-09-01',
    served: LEFT_ARCHIVE,
  },
  'pluginMarketplaces.validateRepository': {
    http: 'POST',
    route: '/v1/organizations/plugin_marketplaces/validate_repository',
    beta: 'ce-plugins-2026-09-01',
    served: ['Query.pluginMarketplaceRepositoryValidation'],
  },
  'plugins.create': {
    http: 'POST',
    route: '/v1/organizations/plugins',
    beta: 'ce-plugins-2026-09-01',
    served: LEFT_UPLOAD,
  },
  'plugins.delete': {
    http: 'DELETE',
    route: '/v1/organizations/plugins/{plugin_id}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Mutation.deletePlugin'],
  },
  'plugins.installationSettings.list': {
    http: 'GET list',
    route: '/v1/organizations/plugins/{plugin_id}/installation_settings',
    beta: 'ce-plugins-2026-09-01',
    served: ['Plugin.installationSettings'],
  },
  'plugins.installationSettings.remove': {
    http: 'DELETE',
    route: '/v1/organizations/plugins/{plugin_id}/installation_settings/{target}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Mutation.removePluginInstallationSetting'],
  },
  'plugins.installationSettings.set': {
    http: 'POST',
    route: '/v1/organizations/plugins/{plugin_id}/installation_settings/{target}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Mutation.setPluginInstallationSetting'],
  },
  'plugins.list': {
    http: 'GET list',
    route: '/v1/organizations/plugins',
    beta: 'ce-plugins-2026-09-01',
    served: ['Organization.plugins', 'PluginMarketplace.plugins', 'Query.nodes'],
  },
  'plugins.retrieve': {
    http: 'GET',
    route: '/v1/organizations/plugins/{plugin_id}',
    beta: 'ce-plugins-2026-09-01',
    served: [
      'Query.plugin',
      'PluginVersion.plugin',
      'PluginInstallationSetting.plugin',
      'Query.node',
    ],
  },
  'plugins.shares.list': {
    http: 'GET list',
    route: '/v1/organizations/plugins/{plugin_id}/shares',
    beta: 'ce-plugins-2026-09-01',
    served: ['Plugin.shares'],
  },
  'plugins.update': {
    http: 'POST',
    route: '/v1/organizations/plugins/{plugin_id}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Mutation.updatePlugin'],
  },
  'plugins.versions.create': {
    http: 'POST',
    route: '/v1/organizations/plugins/{plugin_id}/versions',
    beta: 'ce-plugins-2026-09-01',
    served: LEFT_UPLOAD,
  },
  'plugins.versions.download': {
    http: 'GET',
    route: '/v1/organizations/plugins/{plugin_id}/versions/{version}/content',
    beta: 'ce-plugins-2026-09-01',
    served: LEFT_DOWNLOAD,
  },
  'plugins.versions.list': {
    http: 'GET list',
    route: '/v1/organizations/plugins/{plugin_id}/versions',
    beta: 'ce-plugins-2026-09-01',
    served: ['Plugin.versions', 'Query.node'],
  },
  'plugins.versions.retrieve': {
    http: 'GET',
    route: '/v1/organizations/plugins/{plugin_id}/versions/{version}',
    beta: 'ce-plugins-2026-09-01',
    served: ['Plugin.servedVersion', 'Plugin.latestVersion', 'Query.node'],
  },
  'providers.google.projects.dataControls.retrieve': {
    http: 'GET',
    route: '/v1/organizations/providers/google/projects/{project_number}/data_controls',
    beta: 'google-managed-data-controls-2026-09-01',
    served: ['Organization.googleDataControls'],
  },
  'providers.google.projects.dataControls.update': {
    http: 'POST',
    route: '/v1/organizations/providers/google/projects/{project_number}/data_controls',
    beta: 'google-managed-data-controls-2026-09-01',
    served: ['Mutation.updateGoogleDataControls'],
  },
  'rateLimits.list': {
    http: 'GET list',
    route: '/v1/organizations/rate_limits',
    beta: null,
    served: ['Organization.rateLimits'],
  },
  'rbacGroups.create': {
    http: 'POST',
    route: '/v1/organizations/rbac_groups',
    beta: null,
    served: ['Mutation.createRbacGroup'],
  },
  'rbacGroups.delete': {
    http: 'DELETE',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}',
    beta: null,
    served: ['Mutation.deleteRbacGroup'],
  },
  'rbacGroups.list': {
    http: 'GET list',
    route: '/v1/organizations/rbac_groups',
    beta: null,
    served: ['Organization.rbacGroups', 'Invite.rbacGroups', 'Query.rbacGroup'],
  },
  'rbacGroups.members.add': {
    http: 'POST',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}/members',
    beta: null,
    served: ['Mutation.addRbacGroupMember'],
  },
  'rbacGroups.members.list': {
    http: 'GET list',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}/members',
    beta: null,
    served: ['RbacGroup.members'],
  },
  'rbacGroups.members.remove': {
    http: 'DELETE',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}/members/{user_id}',
    beta: null,
    served: ['Mutation.removeRbacGroupMember'],
  },
  'rbacGroups.retrieve': {
    http: 'GET',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}',
    beta: null,
    served: ['Query.rbacGroup', 'RbacGroupMember.group', 'RemoveRbacGroupMemberPayload.rbacGroup'],
  },
  'rbacGroups.update': {
    http: 'POST',
    route: '/v1/organizations/rbac_groups/{rbac_group_id}',
    beta: null,
    served: ['Mutation.updateRbacGroup'],
  },
  'rbacRoles.list': {
    http: 'GET list',
    route: '/v1/organizations/rbac_roles',
    beta: null,
    served: ['Organization.rbacRoles', 'RbacGroup.roles'],
  },
  'rbacRoles.permissions.list': {
    http: 'GET list',
    route: '/v1/organizations/rbac_roles/{rbac_role_id}/permissions',
    beta: null,
    served: ['RbacRole.permissions'],
  },
  'rbacRoles.retrieve': {
    http: 'GET',
    route: '/v1/organizations/rbac_roles/{rbac_role_id}',
    beta: null,
    served: ['Query.rbacRole', 'RbacGroup.roles'],
  },
  retrieve: {
    http: 'GET',
    route: '/v1/organizations/me',
    beta: null,
    served: ['Query.organization'],
  },
  'serviceAccounts.archive': {
    http: 'POST',
    route: '/v1/organizations/service_accounts/{service_account_id}/archive',
    beta: null,
    served: ['Mutation.archiveServiceAccount'],
  },
  'serviceAccounts.create': {
    http: 'POST',
    route: '/v1/organizations/service_accounts',
    beta: null,
    served: ['Mutation.createServiceAccount'],
  },
  'serviceAccounts.list': {
    http: 'GET list',
    route: '/v1/organizations/service_accounts',
    beta: null,
    served: ['Organization.serviceAccounts', 'Query.serviceAccount'],
  },
  'serviceAccounts.retrieve': {
    http: 'GET',
    route: '/v1/organizations/service_accounts/{service_account_id}',
    beta: null,
    served: [
      'Query.serviceAccount',
      'Query.node',
      'ServiceAccountWorkspaceMember.serviceAccount',
      'ApiKeyActor.serviceAccount',
    ],
  },
  'serviceAccounts.update': {
    http: 'POST',
    route: '/v1/organizations/service_accounts/{service_account_id}',
    beta: null,
    served: ['Mutation.updateServiceAccount'],
  },
  'serviceAccounts.workspaces.add': {
    http: 'POST',
    route: '/v1/organizations/service_accounts/{service_account_id}/workspaces',
    beta: null,
    served: ['Mutation.addWorkspaceServiceAccount'],
  },
  'serviceAccounts.workspaces.list': {
    http: 'GET list',
    route: '/v1/organizations/service_accounts/{service_account_id}/workspaces',
    beta: null,
    served: ['ServiceAccount.workspaces'],
  },
  'serviceAccounts.workspaces.remove': {
    http: 'DELETE',
    route: '/v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}',
    beta: null,
    served: ['Mutation.removeWorkspaceServiceAccount'],
  },
  'spendLimits.delete': {
    http: 'DELETE',
    route: '/v1/organizations/spend_limits/{spend_limit_id}',
    beta: null,
    served: ['Mutation.deleteSpendLimit'],
  },
  'spendLimits.effective.list': {
    http: 'GET list',
    route: '/v1/organizations/spend_limits/effective',
    beta: null,
    served: ['Organization.effectiveSpendLimits', 'User.effectiveSpendLimits'],
  },
  'spendLimits.increaseRequests.approve': {
    http: 'POST',
    route:
      '/v1/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}/approve',
    beta: null,
    served: ['Mutation.approveSpendLimitIncreaseRequest'],
  },
  'spendLimits.increaseRequests.deny': {
    http: 'POST',
    route: '/v1/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}/deny',
    beta: null,
    served: ['Mutation.denySpendLimitIncreaseRequest'],
  },
  'spendLimits.increaseRequests.list': {
    http: 'GET list',
    route: '/v1/organizations/spend_limit_increase_requests',
    beta: null,
    served: ['Organization.spendLimitIncreaseRequests'],
  },
  'spendLimits.increaseRequests.retrieve': {
    http: 'GET',
    route: '/v1/organizations/spend_limit_increase_requests/{spend_limit_increase_request_id}',
    beta: null,
    served: ['Query.spendLimitIncreaseRequest'],
  },
  'spendLimits.list': {
    http: 'GET list',
    route: '/v1/organizations/spend_limits',
    beta: 'spend-limit-reads-2026-09-26',
    served: ['Organization.spendLimits'],
  },
  'spendLimits.retrieve': {
    http: 'GET',
    route: '/v1/organizations/spend_limits/{spend_limit_id}',
    beta: null,
    served: ['Query.spendLimit', 'Query.node'],
  },
  'spendLimits.set': {
    http: 'POST',
    route: '/v1/organizations/spend_limits',
    beta: null,
    served: ['Mutation.setSpendLimit'],
  },
  'telemetryDestinations.create': {
    http: 'POST',
    route: '/v1/organizations/telemetry_destinations',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.createTelemetryDestination'],
  },
  'telemetryDestinations.delete': {
    http: 'DELETE',
    route: '/v1/organizations/telemetry_destinations/{destination_id}',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.deleteTelemetryDestination'],
  },
  'telemetryDestinations.list': {
    http: 'GET list',
    route: '/v1/organizations/telemetry_destinations',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Organization.telemetryDestinations', 'Workspace.telemetryDestinations'],
  },
  'telemetryDestinations.retrieve': {
    http: 'GET',
    route: '/v1/organizations/telemetry_destinations/{destination_id}',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Query.telemetryDestination'],
  },
  'telemetryDestinations.test': {
    http: 'POST',
    route: '/v1/organizations/telemetry_destinations/{destination_id}/test',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.testTelemetryDestination'],
  },
  'telemetryDestinations.update': {
    http: 'POST',
    route: '/v1/organizations/telemetry_destinations/{destination_id}',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.updateTelemetryDestination'],
  },
  'telemetryDestinations.workspaces.add': {
    http: 'POST',
    route: '/v1/organizations/telemetry_destinations/{destination_id}/workspaces/{workspace_id}',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.addTelemetryDestinationWorkspace'],
  },
  'telemetryDestinations.workspaces.list': {
    http: 'GET list',
    route: '/v1/organizations/telemetry_destinations/{destination_id}/workspaces',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['TelemetryDestination.workspaceList'],
  },
  'telemetryDestinations.workspaces.remove': {
    http: 'DELETE',
    route: '/v1/organizations/telemetry_destinations/{destination_id}/workspaces/{workspace_id}',
    beta: 'telemetry-destinations-2026-08-11',
    served: ['Mutation.removeTelemetryDestinationWorkspace'],
  },
  'users.list': {
    http: 'GET list',
    route: '/v1/organizations/users',
    beta: null,
    served: ['Organization.users'],
  },
  'users.remove': {
    http: 'DELETE',
    route: '/v1/organizations/users/{user_id}',
    beta: null,
    served: ['Mutation.removeUser'],
  },
  'users.retrieve': {
    http: 'GET',
    route: '/v1/organizations/users/{user_id}',
    beta: null,
    served: ['Query.user'],
  },
  'users.signOut': {
    http: 'POST',
    route: '/v1/organizations/users/{user_id}/sign_out',
    beta: 'admin-user-sign-out-2026-10-08',
    served: ['Mutation.signOutUser'],
  },
  'users.update': {
    http: 'POST',
    route: '/v1/organizations/users/{user_id}',
    beta: null,
    served: ['Mutation.updateUser'],
  },
  'webhooks.create': {
    http: 'POST',
    route: '/v1/organizations/webhooks',
    beta: 'webhooks-2026-10-07',
    served: ['Mutation.createWebhook'],
  },
  'webhooks.delete': {
    http: 'DELETE',
    route: '/v1/organizations/webhooks/{webhook_endpoint_id}',
    beta: 'webhooks-2026-10-07',
    served: ['Mutation.deleteWebhook'],
  },
  'webhooks.list': {
    http: 'GET list',
    route: '/v1/organizations/webhooks',
    beta: 'webhooks-2026-10-07',
    served: ['Organization.webhooks'],
  },
  'webhooks.regenerateSigningSecret': {
    http: 'POST',
    route: '/v1/organizations/webhooks/{webhook_endpoint_id}/regenerate_signing_secret',
    beta: 'webhooks-2026-10-07',
    served: ['Mutation.regenerateWebhookSigningSecret'],
  },
  'webhooks.retrieve': {
    http: 'GET',
    route: '/v1/organizations/webhooks/{webhook_endpoint_id}',
    beta: 'webhooks-2026-10-07',
    served: ['Query.webhook'],
  },
  'webhooks.update': {
    http: 'POST',
    route: '/v1/organizations/webhooks/{webhook_endpoint_id}',
    beta: 'webhooks-2026-10-07',
    served: ['Mutation.updateWebhook'],
  },
  'workspaces.archive': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/archive',
    beta: null,
    served: ['Mutation.archiveWorkspace'],
  },
  'workspaces.create': {
    http: 'POST',
    route: '/v1/organizations/workspaces',
    beta: null,
    served: ['Mutation.createWorkspace'],
  },
  'workspaces.list': {
    http: 'GET list',
    route: '/v1/organizations/workspaces',
    beta: null,
    served: ['Organization.workspaces', 'Organization.defaultWorkspace', 'Workspace.isDefault'],
  },
  'workspaces.members.add': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/members',
    beta: null,
    served: ['Mutation.addWorkspaceMember'],
  },
  'workspaces.members.list': {
    http: 'GET list',
    route: '/v1/organizations/workspaces/{workspace_id}/members',
    beta: null,
    served: ['Workspace.members'],
  },
  'workspaces.members.remove': {
    http: 'DELETE',
    route: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    beta: null,
    served: ['Mutation.removeWorkspaceMember'],
  },
  'workspaces.members.retrieve': {
    http: 'GET',
    route: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    beta: null,
    served: ['Query.workspaceMember', 'Workspace.member'],
  },
  'workspaces.members.update': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    beta: null,
    served: ['Mutation.updateWorkspaceMember'],
  },
  'workspaces.rateLimits.list': {
    http: 'GET list',
    route: '/v1/organizations/workspaces/{workspace_id}/rate_limits',
    beta: null,
    served: ['Workspace.rateLimits'],
  },
  'workspaces.rateLimits.update': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/rate_limits/{rate_limit_id}',
    beta: null,
    served: ['Mutation.updateWorkspaceRateLimit'],
  },
  'workspaces.retrieve': {
    http: 'GET',
    route: '/v1/organizations/workspaces/{workspace_id}',
    beta: null,
    served: ['Query.workspace'],
  },
  'workspaces.serviceAccounts.add': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/service_accounts',
    beta: null,
    served: {
      leftOut:
        'mirror of serviceAccounts.workspaces.add (the same membership, addressed from the workspace); addWorkspaceServiceAccount serves both',
    },
  },
  'workspaces.serviceAccounts.list': {
    http: 'GET list',
    route: '/v1/organizations/workspaces/{workspace_id}/service_accounts',
    beta: null,
    served: ['Workspace.serviceAccounts'],
  },
  'workspaces.serviceAccounts.remove': {
    http: 'DELETE',
    route: '/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}',
    beta: null,
    served: {
      leftOut:
        'mirror of serviceAccounts.workspaces.remove (the same membership, addressed from the workspace); removeWorkspaceServiceAccount serves both',
    },
  },
  'workspaces.serviceAccounts.retrieve': {
    http: 'GET',
    route: '/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}',
    beta: null,
    served: ['Workspace.serviceAccountMember'],
  },
  'workspaces.serviceAccounts.update': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}',
    beta: null,
    served: ['Mutation.updateWorkspaceServiceAccount'],
  },
  'workspaces.update': {
    http: 'POST',
    route: '/v1/organizations/workspaces/{workspace_id}',
    beta: null,
    served: ['Mutation.updateWorkspace'],
  },
};

export type CoverageKind = 'reachable' | 'leftOut' | 'planned';

export function coverageKind(served: AdminServed): CoverageKind {
  if (Array.isArray(served)) return 'reachable';
  return 'leftOut' in served ? 'leftOut' : 'planned';
}

/** Every GraphQL coordinate the table claims, with the method that claims it. */
export function claimedCoordinates(): { method: string; coordinate: string }[] {
  return Object.entries(ADMIN_API_COVERAGE).flatMap(([method, { served }]) =>
    Array.isArray(served) ? served.map((coordinate) => ({ method, coordinate })) : [],
  );
}

/** "N of 157 methods reachable, M left out, K planned". */
export function coverageSummary(): string {
  const counts = { reachable: 0, leftOut: 0, planned: 0 };
  for (const { served } of Object.values(ADMIN_API_COVERAGE)) counts[coverageKind(served)] += 1;
  const total = Object.keys(ADMIN_API_COVERAGE).length;
  return `${counts.reachable} of ${total} methods reachable, ${counts.leftOut} left out, ${counts.planned} planned`;
}

/** The Markdown that `npm run coverage:print` puts between README's coverage markers. */
export function renderCoverageMarkdown(): string {
  const lines = [
    `${coverageSummary()} (\`@anthropic-ai/sdk\` ${COVERAGE_SDK_VERSION}, \`client.beta.organization\`).`,
    '',
    '| SDK method | HTTP | route | beta | served by |',
    '| --- | --- | --- | --- | --- |',
  ];
  const methods = Object.keys(ADMIN_API_COVERAGE).sort();
  for (const method of methods) {
    const { http, route, beta, served } = ADMIN_API_COVERAGE[method]!;
    const by = Array.isArray(served)
      ? served.map((c) => `\`${c}\``).join(', ')
      : 'leftOut' in served
        ? `left out: ${served.leftOut}`
        : 'planned';
    lines.push(`| \`${method}\` | ${http} | \`${route}\` | ${beta ?? ''} | ${by} |`);
  }
  return lines.join('\n') + '\n';
}
