import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.js';
import { printClientSchema } from '../src/graphql/print.js';

describe('schema', () => {
  it('schema.graphql is the printed schema (run `npm run schema:print` after a change)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printClientSchema());
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) {
          if (!value.description) missing.push(`${type.name}.${value.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('has the contract’s root fields and mutations', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(
      [
        'apiKey',
        'invite',
        'node',
        'nodes',
        'organization',
        'rateLimit',
        // Spend limits.
        'spendLimit',
        'spendLimitIncreaseRequest',
        // Service accounts and workload identity federation.
        'serviceAccount',
        'federationIssuer',
        'federationRule',
        // RBAC groups and roles.
        'rbacGroup',
        'rbacRole',
        // Webhooks and telemetry destinations.
        'webhook',
        'telemetryDestination',
        // External keys and external storage.
        'externalKey',
        'externalStorage',
        // Claude Tag.
        'claudeTagSlackWorkspace',
        'claudeTagSlackChannel',
        'claudeTagBundle',
        // Plugins and plugin marketplaces.
        'plugin',
        'pluginMarketplace',
        'pluginMarketplaceRepositoryValidation',
        // The audit trail.
        'auditEvents',
        // Bulk operations.
        'bulkOperation',
        'bulkOperations',
        'user',
        'workspace',
        'workspaceMember',
      ].sort(),
    );
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      [
        'updateUser',
        'removeUser',
        'createInvite',
        'deleteInvite',
        'createWorkspace',
        'updateWorkspace',
        'archiveWorkspace',
        'addWorkspaceMember',
        'updateWorkspaceMember',
        'removeWorkspaceMember',
        'updateApiKey',
        // Bulk operations.
        'bulkAddWorkspaceMembers',
        'bulkCreateInvites',
        'bulkUpdateApiKeys',
        'bulkRemoveUsers',
        'cancelBulkOperation',
        // Spend limits, sign-out, rate-limit overrides, Compliance Settings.
        'setSpendLimit',
        'deleteSpendLimit',
        'approveSpendLimitIncreaseRequest',
        'denySpendLimitIncreaseRequest',
        'updateWorkspaceRateLimit',
        'signOutUser',
        'updateComplianceSettings',
        // Service accounts and workload identity federation.
        'createServiceAccount',
        'updateServiceAccount',
        'archiveServiceAccount',
        'addWorkspaceServiceAccount',
        'updateWorkspaceServiceAccount',
        'removeWorkspaceServiceAccount',
        'createFederationIssuer',
        'updateFederationIssuer',
        'archiveFederationIssuer',
        'createFederationRule',
        'updateFederationRule',
        'archiveFederationRule',
        'addFederationRuleWorkspace',
        'removeFederationRuleWorkspace',
        // RBAC groups and their members.
        'createRbacGroup',
        'updateRbacGroup',
        'deleteRbacGroup',
        'addRbacGroupMember',
        'removeRbacGroupMember',
        // Webhooks and telemetry destinations.
        'createWebhook',
        'updateWebhook',
        'deleteWebhook',
        'regenerateWebhookSigningSecret',
        'createTelemetryDestination',
        'updateTelemetryDestination',
        'deleteTelemetryDestination',
        'testTelemetryDestination',
        'addTelemetryDestinationWorkspace',
        'removeTelemetryDestinationWorkspace',
        // Claude Code managed settings.
        'setClaudeCodeRbacGroupManagedSettings',
        'deleteClaudeCodeRbacGroupManagedSettings',
        'updateClaudeCodeManagedSettingsConfiguration',
        'updateClaudeCodeDefaultManagedSettings',
        // External keys, external storage and Google data controls.
        'createExternalKey',
        'updateExternalKey',
        'deleteExternalKey',
        'validateExternalKey',
        'createExternalStorage',
        'updateExternalStorage',
        'activateExternalStorage',
        'deleteExternalStorage',
        'updateGoogleDataControls',
        // Claude Tag.
        'createClaudeTagSlackChannel',
        'updateClaudeTagSlackChannel',
        'deleteClaudeTagSlackChannel',
        'updateClaudeTagSlackWorkspace',
        'updateClaudeTagBundle',
        'createClaudeTagBundleTarget',
        'deleteClaudeTagBundleTarget',
        // Plugins and plugin marketplaces.
        'updatePlugin',
        'deletePlugin',
        'setPluginInstallationSetting',
        'removePluginInstallationSetting',
        'updatePluginMarketplace',
      ].sort(),
    );
  });
});
