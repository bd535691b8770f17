/**
 * The scopes a caller can hold. `read` and `write` cover queries and mutations; the others guard
 * what an organization may want to hand out separately. `admin` grants every scope.
 */
export const SCOPES = {
  read: 'read',
  write: 'write',
  apiKeysRead: 'api_keys:read',
  apiKeysWrite: 'api_keys:write',
  membersWrite: 'members:write',
  workspacesWrite: 'workspaces:write',
  spendLimitsWrite: 'spend_limits:write',
  complianceWrite: 'compliance:write',
  webhooksWrite: 'webhooks:write',
  telemetryWrite: 'telemetry:write',
  serviceAccountsWrite: 'service_accounts:write',
  federationWrite: 'federation:write',
  rbacWrite: 'rbac:write',
  dataControlsWrite: 'data_controls:write',
  pluginsWrite: 'plugins:write',
  claudeTagWrite: 'claude_tag:write',
  claudeCodeRead: 'claude_code:read',
  claudeCodeWrite: 'claude_code:write',
  auditRead: 'audit:read',
} as const;

export type ScopeName = keyof typeof SCOPES;
export const ALL_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPES));
