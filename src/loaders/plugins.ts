import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import {
  getPlugin,
  getPluginMarketplace,
  getPluginVersion,
  listPluginMarketplaces,
  listPluginVersions,
  listPlugins,
  type Plugin,
  type PluginMarketplace,
  type PluginVersion,
} from '../upstream/resources/plugins.js';
import type { PlainPage } from '../upstream/resources/coded-errors.js';
import { orNull } from './batch.js';

/** The page size the lookups list with (the largest the Admin API's token-paged lists take). */
const LOOKUP_PAGE = 1000;

/** Plugin versions are looked up as `pluginver_…`, or `plugin_…:pluginver_…` when the plugin is known. */
export const pluginVersionKey = (pluginId: string, versionId: string) => `${pluginId}:${versionId}`;

export interface PluginLoaders {
  /** Plugins by id (plugin_…). */
  plugins: DataLoader<string, Plugin | null>;
  /**
   * Plugin versions by id: `pluginver_…` alone (a node lookup), or `plugin_…:pluginver_…`
   * (pluginVersionKey) when the plugin is known, which is one GET.
   */
  pluginVersions: DataLoader<string, PluginVersion | null>;
  /** Plugin marketplaces by id (marketplace_…). */
  pluginMarketplaces: DataLoader<string, PluginMarketplace | null>;
}

/**
 * Objects by id, for one request: a lone id is one GET (a 404 answers null); several ids share
 * one list page of 1000 (an id it does not show is null; were the page cut short, such ids are
 * fetched one by one).
 */
function byId<T extends { id: string }>(
  getOne: (id: string) => Promise<T>,
  firstPage: () => Promise<PlainPage<T>>,
  options: { batch?: boolean },
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      if (ids.length === 1) return [await orNull(getOne(ids[0] as string))];
      const page = await firstPage();
      const listed = new Map(page.data.map((item) => [item.id, item]));
      return Promise.all(
        ids.map((id) => listed.get(id) ?? (page.next_page !== null ? orNull(getOne(id)) : null)),
      );
    },
    options.batch === false ? { batch: false, cache: false } : {},
  );
}

/**
 * The plugin a version belongs to, when only the version id is known: the plugins' served and
 * latest versions first (one walk of the plugin list), then each plugin's version list, until
 * the version is found. A cold `node(id: "pluginver_…")` costs that walk; versions reached from
 * their plugin never do.
 */
async function findPluginOf(
  api: AdminApi,
  pluginPage: (page?: string) => Promise<PlainPage<Plugin>>,
  versionId: string,
): Promise<string | null> {
  const plugins: Plugin[] = [];
  for (let page: string | undefined; ;) {
    const listed = await pluginPage(page);
    plugins.push(...listed.data);
    if (listed.next_page === null) break;
    page = listed.next_page;
  }
  const direct = plugins.find(
    (plugin) => plugin.served_version_id === versionId || plugin.latest_version_id === versionId,
  );
  if (direct) return direct.id;
  for (const plugin of plugins) {
    for (let page: string | undefined; ;) {
      const listed = await listPluginVersions(api, plugin.id, {
        limit: LOOKUP_PAGE,
        ...(page ? { page } : {}),
      });
      if (listed.data.some((version) => version.id === versionId)) return plugin.id;
      if (listed.next_page === null) break;
      page = listed.next_page;
    }
  }
  return null;
}

export function createPluginLoaders(
  api: AdminApi,
  options: { batch?: boolean } = {},
): PluginLoaders {
  /**
   * Pages of the whole plugin list, shared by the lookups and the version walk within the request
   * (dropped by a write); a failed page is not kept.
   */
  const pages = new Map<string, Promise<PlainPage<Plugin>>>();
  const pluginPage = (page?: string): Promise<PlainPage<Plugin>> => {
    const fetch = () => listPlugins(api, { limit: LOOKUP_PAGE, ...(page ? { page } : {}) });
    if (options.batch === false) return fetch();
    const key = page ?? '';
    let pending = pages.get(key);
    if (!pending) {
      pending = fetch();
      pages.set(key, pending);
      // What a page shows needs no lookup of its own.
      pending.then(
        (listed) => listed.data.forEach((plugin) => plugins.prime(plugin.id, plugin)),
        () => undefined,
      );
      const kept = pending;
      kept.catch(() => pages.get(key) === kept && pages.delete(key));
    }
    return pending;
  };
  const plugins = byId(
    (id) => getPlugin(api, id),
    () => pluginPage(),
    options,
  );
  const pluginMarketplaces = byId(
    (id) => getPluginMarketplace(api, id),
    () => listPluginMarketplaces(api, { limit: LOOKUP_PAGE }),
    options,
  );
  const pluginVersions = new DataLoader<string, PluginVersion | null>(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const [first, second] = key.split(':');
          const versionId = second ?? first ?? '';
          const pluginId =
            second !== undefined ? first : await findPluginOf(api, pluginPage, versionId);
          return pluginId ? orNull(getPluginVersion(api, pluginId, versionId)) : null;
        }),
      ),
    options.batch === false ? { batch: false, cache: false } : {},
  );
  api.onWrite((collections) => {
    if (!collections.includes('plugins')) return;
    pages.clear();
    plugins.clearAll();
    pluginVersions.clearAll();
    pluginMarketplaces.clearAll();
  });
  return { plugins, pluginVersions, pluginMarketplaces };
}
