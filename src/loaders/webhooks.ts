import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import {
  MAX_WEBHOOKS_PER_ORGANIZATION,
  getWebhook,
  listWebhooks,
  type Webhook,
} from '../upstream/resources/webhooks.js';
import { orNull } from './batch.js';

/**
 * Webhook endpoints by id, for one request. An organization has at most 32, so one list page
 * holds them all: a lone id is one GET (a 404 answers null), several ids are one list page (an id
 * it does not show is null; were the page ever cut short, such ids are fetched one by one). A write
 * to webhooks clears it.
 */
export function createWebhookLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, Webhook | null> {
  const naive = options.batch === false;
  const loader = new DataLoader<string, Webhook | null>(
    async (ids) => {
      if (ids.length === 1) return [await orNull(getWebhook(api, ids[0] as string))];
      const page = await listWebhooks(api, { limit: MAX_WEBHOOKS_PER_ORGANIZATION * 4 });
      const listed = new Map(page.data.map((webhook) => [webhook.id, webhook]));
      return Promise.all(
        ids.map((id) => listed.get(id) ?? (page.has_more ? orNull(getWebhook(api, id)) : null)),
      );
    },
    naive ? { batch: false, cache: false } : {},
  );
  api.onWrite((collections) => {
    if (collections.includes('webhooks')) loader.clearAll();
  });
  return loader;
}
