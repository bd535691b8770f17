import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import { UpstreamError } from '../upstream/errors.js';
import {
  SETTINGS_NOT_FOUND_CODE,
  getRbacGroupManagedSettings,
  type RbacGroupManagedSettings,
} from '../upstream/resources/claude-code-managed-settings.js';

/** The loaders of Claude Code managed settings (wired in src/loaders/index.ts). */
export interface ClaudeCodeSettingsLoaders {
  /** RBAC groups' Claude Code managed settings by group id (null: the group has none). */
  claudeCodeManagedSettings: DataLoader<string, RbacGroupManagedSettings | null>;
}

export function createClaudeCodeSettingsLoaders(
  api: AdminApi,
  options: { batch?: boolean } = {},
): ClaudeCodeSettingsLoaders {
  return { claudeCodeManagedSettings: createClaudeCodeManagedSettingsLoader(api, options) };
}

/**
 * RBAC groups' Claude Code managed settings by group id, for one request: one GET per group (the
 * list carries no documents), null for a group without settings (the Admin API's coded 404). Any
 * other failure, NOT_ENABLED included, fails the lookup. A write to the collection clears it.
 */
function createClaudeCodeManagedSettingsLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, RbacGroupManagedSettings | null> {
  const loader = new DataLoader<string, RbacGroupManagedSettings | null>(
    (ids) =>
      Promise.all(
        ids.map(async (id) => {
          try {
            return await getRbacGroupManagedSettings(api, id);
          } catch (error) {
            if (error instanceof UpstreamError && error.errorType === SETTINGS_NOT_FOUND_CODE) {
              return null;
            }
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    options.batch === false ? { batch: false, cache: false } : {},
  );
  api.onWrite((collections) => {
    if (collections.includes('claudeCodeSettings')) loader.clearAll();
  });
  return loader;
}
