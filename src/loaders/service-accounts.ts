import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import { UpstreamError } from '../upstream/errors.js';
import {
  getServiceAccount,
  listServiceAccounts,
  type BetaServiceAccount,
} from '../upstream/resources/service-accounts.js';

/** The largest page the service-account list takes. */
const LIST_PAGE = 1000;

const isNotFound = (error: unknown) =>
  error instanceof UpstreamError && error.kind === 'http' && error.status === 404;

/**
 * Service accounts by id, for this request. The Admin API has no batch-get and pages this list by
 * token, so a lone lookup is one GET, and several lookups walk the list (1000 a page, archived
 * ones included) only while the pages spent and the ids still missing cost no more than one GET
 * per id; ids the walk did not show cost their GET (a 404 answers null). Whatever the request
 * writes to service accounts clears it (the same path as the other loaders).
 */
export function serviceAccountLoader(
  api: AdminApi,
  options: { batch?: boolean; cache?: boolean } = {},
): DataLoader<string, BetaServiceAccount | null> {
  const getOne = async (id: string): Promise<BetaServiceAccount | null> => {
    try {
      return await getServiceAccount(api, id);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };
  const loader = new DataLoader<string, BetaServiceAccount | null>(async (ids) => {
    const found = new Map<string, BetaServiceAccount>();
    if (ids.length > 1) {
      let token: string | undefined;
      let pages = 0;
      for (;;) {
        const missing = ids.filter((id) => !found.has(id)).length;
        // Another page only while it costs no more than the GETs it could save.
        if (missing === 0 || pages + 1 > missing) break;
        const page = await listServiceAccounts(api, {
          include_archived: true,
          limit: LIST_PAGE,
          ...(token !== undefined ? { page: token } : {}),
        });
        pages++;
        for (const account of page.data) found.set(account.id, account);
        if (page.next_page === null || page.next_page === token) break;
        token = page.next_page;
      }
    }
    return Promise.all(
      ids.map((id) => {
        const account = found.get(id);
        return account ? account : getOne(id).catch((error: unknown) => error as Error);
      }),
    );
  }, options);
  api.onWrite((collections) => {
    if (collections.includes('serviceAccounts')) loader.clearAll();
  });
  return loader;
}
