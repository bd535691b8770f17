import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import {
  getBundle,
  getSlackChannel,
  getSlackWorkspace,
  listSlackWorkspaces,
  type ClaudeTagBundle,
  type ClaudeTagSlackChannel,
  type ClaudeTagSlackWorkspace,
} from '../upstream/resources/claude-tag.js';
import { orNull } from './batch.js';

/*
 * Claude Tag objects by id, for one request. The Admin API has no batch-get, so each id is one
 * GET (a 404 answers null); connections prime what their pages bring. Slack workspaces and
 * channels are read in two views: a plain id loads the settings the object stores, and
 * `inheritedKey(id)` the settings that apply in it (`include_inherited=true`). A write to the
 * Claude Tag collection clears them all.
 */

/** The loader key of an object's settings as they apply in it (with inherited values). */
export const inheritedKey = (id: string) => `${id}?include_inherited`;

function split(key: string): { id: string; inherited: boolean } {
  const at = key.indexOf('?');
  return at < 0 ? { id: key, inherited: false } : { id: key.slice(0, at), inherited: true };
}

/** The request's loaders of Claude Tag objects (src/loaders/index.ts spreads them in). */
export interface ClaudeTagLoaders {
  /** Claude Tag Slack workspaces by id, or by `inheritedKey(id)`. */
  claudeTagSlackWorkspaces: DataLoader<string, ClaudeTagSlackWorkspace | null>;
  /** Claude Tag Slack workspaces by Slack's own workspace id (`T…`), stored settings. */
  claudeTagSlackWorkspacesBySlackId: DataLoader<string, ClaudeTagSlackWorkspace | null>;
  /** Claude Tag Slack channels by id, or by `inheritedKey(id)`. */
  claudeTagSlackChannels: DataLoader<string, ClaudeTagSlackChannel | null>;
  /** Claude Tag bundles by id. */
  claudeTagBundles: DataLoader<string, ClaudeTagBundle | null>;
}

export function createClaudeTagLoaders(
  api: AdminApi,
  options: { batch?: boolean } = {},
): ClaudeTagLoaders {
  const loaderOptions = options.batch === false ? { batch: false, cache: false } : {};
  const each =
    <T>(get: (id: string, inherited: boolean) => Promise<T>) =>
    (keys: readonly string[]) =>
      Promise.all(
        keys.map((key) => {
          const { id, inherited } = split(key);
          return orNull(get(id, inherited));
        }),
      );
  const loaders: ClaudeTagLoaders = {
    claudeTagSlackWorkspaces: new DataLoader(
      each((id, inherited) => getSlackWorkspace(api, id, inherited)),
      loaderOptions,
    ),
    claudeTagSlackWorkspacesBySlackId: new DataLoader(
      (slackIds) =>
        Promise.all(
          slackIds.map(async (slackId) => {
            const page = await listSlackWorkspaces(api, { slack_workspace_id: slackId });
            const found = page.data.find((workspace) => workspace.slack.workspace_id === slackId);
            if (found) loaders.claudeTagSlackWorkspaces.prime(found.id, found);
            return found ?? null;
          }),
        ),
      loaderOptions,
    ),
    claudeTagSlackChannels: new DataLoader(
      each((id, inherited) => getSlackChannel(api, id, inherited)),
      loaderOptions,
    ),
    claudeTagBundles: new DataLoader(
      each((id) => getBundle(api, id)),
      loaderOptions,
    ),
  };
  api.onWrite((collections) => {
    if (!collections.includes('claudeTag')) return;
    for (const loader of Object.values(loaders)) loader.clearAll();
  });
  return loaders;
}

/** The key a record is primed under: its id, or its inherited key when it holds inherited values. */
export const viewKey = (record: { id: string; includesInherited: boolean }) =>
  record.includesInherited ? inheritedKey(record.id) : record.id;
