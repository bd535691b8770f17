import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import { UpstreamError } from '../upstream/errors.js';
import { getSpendLimit, type BetaSpendLimit } from '../upstream/resources/spend-limits.js';

/**
 * Spend limits by id, for `node`/`nodes` and `spendLimit(id:)`: one GET per id (the list is a beta
 * the organization may not be enrolled in, and has no id filter), the same id once per request;
 * an unknown id is null. A write to the spend-limits collection drops what it holds.
 */
export function createSpendLimitLoader(
  api: AdminApi,
  options: { batch?: boolean } = {},
): DataLoader<string, BetaSpendLimit | null> {
  const naive = options.batch === false;
  const loader = new DataLoader<string, BetaSpendLimit | null>(
    (ids) =>
      Promise.all(
        ids.map((id) =>
          getSpendLimit(api, id).catch((error: unknown) => {
            if (error instanceof UpstreamError && error.kind === 'http' && error.status === 404) {
              return null;
            }
            return error instanceof Error ? error : new Error(String(error));
          }),
        ),
      ),
    naive ? { batch: false, cache: false } : {},
  );
  api.onWrite((collections) => {
    if (collections.includes('spendLimits')) loader.clearAll();
  });
  return loader;
}
