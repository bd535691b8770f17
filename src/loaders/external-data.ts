import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import type { Collection } from '../upstream/read-cache.js';
import type { PlainPage } from '../upstream/resources/coded-errors.js';
import {
  getExternalKey,
  listExternalKeys,
  type ExternalKey,
} from '../upstream/resources/external-keys.js';
import {
  getExternalStorage,
  listExternalStorage,
  type ExternalStorage,
} from '../upstream/resources/external-storage.js';
import { MAX_PAGE_SIZE } from '../domain/limits.js';
import { orNull } from './batch.js';

/**
 * Objects of a small token-paged collection by id, for one request: a lone id is one GET (a 404
 * answers null); several ids are one list page of the largest size (an id it does not show is
 * null, or, when the page was cut short, fetched on its own). A write to the collection clears it.
 */
function smallCollectionLoader<T extends { id: string }>(
  api: AdminApi,
  collection: Collection,
  getOne: (id: string) => Promise<T>,
  firstPage: () => Promise<PlainPage<T>>,
  options: { batch?: boolean },
): DataLoader<string, T | null> {
  const loader = new DataLoader<string, T | null>(
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
  api.onWrite((collections) => {
    if (collections.includes(collection)) loader.clearAll();
  });
  return loader;
}

/** External keys (CMEK configurations) by id. */
export function createExternalKeyLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, ExternalKey | null> {
  return smallCollectionLoader(
    api,
    'externalKeys',
    (id) => getExternalKey(api, id),
    () => listExternalKeys(api, { limit: MAX_PAGE_SIZE }),
    options,
  );
}

/** External storage by id. */
export function createExternalStorageLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, ExternalStorage | null> {
  return smallCollectionLoader(
    api,
    'externalStorage',
    (id) => getExternalStorage(api, id),
    () => listExternalStorage(api, { limit: MAX_PAGE_SIZE }),
    options,
  );
}
