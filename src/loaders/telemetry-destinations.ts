import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import {
  getTelemetryDestination,
  listTelemetryDestinations,
  type TelemetryDestination,
} from '../upstream/resources/telemetry-destinations.js';
import { orNull } from './batch.js';

/** The Admin API's limit of telemetry destinations per organization. */
const MAX_DESTINATIONS = 10;

/**
 * Telemetry destinations by id, for one request. An organization has at most 10, so one list
 * page holds them all: a lone id is one GET (a 404 answers null), several ids are one list page
 * (an id it does not show is null; were the page ever cut short, such ids are fetched one by
 * one). A write to the telemetry collection clears it.
 */
export function createTelemetryDestinationLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, TelemetryDestination | null> {
  const loader = new DataLoader<string, TelemetryDestination | null>(
    async (ids) => {
      if (ids.length === 1) return [await orNull(getTelemetryDestination(api, ids[0] as string))];
      const page = await listTelemetryDestinations(api, { limit: MAX_DESTINATIONS * 10 });
      const listed = new Map(page.data.map((destination) => [destination.id, destination]));
      return Promise.all(
        ids.map(
          (id) =>
            listed.get(id) ??
            (page.next_page !== null ? orNull(getTelemetryDestination(api, id)) : null),
        ),
      );
    },
    options.batch === false ? { batch: false, cache: false } : {},
  );
  api.onWrite((collections) => {
    if (collections.includes('telemetry')) loader.clearAll();
  });
  return loader;
}
