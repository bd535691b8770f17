import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import type { Collection } from '../upstream/read-cache.js';
import { UpstreamError } from '../upstream/errors.js';
import {
  getServiceAccount,
  listServiceAccounts,
  type BetaServiceAccount,
} from '../upstream/resources/service-accounts.js';
import {
  getFederationIssuer,
  getFederationRule,
  listFederationIssuers,
  listFederationRules,
  type BetaFederationIssuer,
  type BetaFederationRule,
} from '../upstream/resources/federation.js';

/** The largest page the token-paged lists take. */
const LIST_PAGE = 1000;

const isNotFound = (error: unknown) =>
  error instanceof UpstreamError && error.kind === 'http' && error.status === 404;

/** How one kind of token-paged object is read: one by id, or a page of the whole list. */
export interface TokenListedKind<T extends { id: string }> {
  /** The read-cache collection whose writes clear the loader. */
  collection: Collection;
  getOne: (id: string) => Promise<T>;
  /** A page of every object (archived ones included), `limit` 1000, after `page`. */
  listPage: (page: string | undefined) => Promise<{ data: T[]; next_page: string | null }>;
}

/**
 * Objects by id, for this request, over a list the Admin API pages by token and no batch-get. A
 * lone lookup is one GET; several lookups walk the list (1000 a page, archived ones included)
 * only while the pages spent and the ids still missing cost no more than one GET per id, and the
 * ids the walk did not show cost their GET (a 404 answers null). Whatever the request writes to
 * the collection clears it (the same path as the other loaders).
 */
export function tokenListLoader<T extends { id: string }>(
  api: AdminApi,
  kind: TokenListedKind<T>,
  options: { batch?: boolean; cache?: boolean } = {},
): DataLoader<string, T | null> {
  const getOne = async (id: string): Promise<T | null> => {
    try {
      return await kind.getOne(id);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };
  const loader = new DataLoader<string, T | null>(async (ids) => {
    const found = new Map<string, T>();
    if (ids.length > 1) {
      let token: string | undefined;
      let pages = 0;
      for (;;) {
        const missing = ids.filter((id) => !found.has(id)).length;
        // Another page only while it costs no more than the GETs it could save.
        if (missing === 0 || pages + 1 > missing) break;
        const page = await kind.listPage(token);
        pages++;
        for (const item of page.data) found.set(item.id, item);
        if (page.next_page === null || page.next_page === token) break;
        token = page.next_page;
      }
    }
    return Promise.all(
      ids.map((id) => {
        const item = found.get(id);
        return item ? item : getOne(id).catch((error: unknown) => error as Error);
      }),
    );
  }, options);
  api.onWrite((collections) => {
    if (collections.includes(kind.collection)) loader.clearAll();
  });
  return loader;
}

/** Service accounts by id (see tokenListLoader). */
export function serviceAccountLoader(
  api: AdminApi,
  options: { batch?: boolean; cache?: boolean } = {},
): DataLoader<string, BetaServiceAccount | null> {
  return tokenListLoader<BetaServiceAccount>(
    api,
    {
      collection: 'serviceAccounts',
      getOne: (id) => getServiceAccount(api, id),
      listPage: (page) =>
        listServiceAccounts(api, {
          include_archived: true,
          limit: LIST_PAGE,
          ...(page !== undefined ? { page } : {}),
        }),
    },
    options,
  );
}

/** Federation issuers by id (see tokenListLoader). */
export function federationIssuerLoader(
  api: AdminApi,
  options: { batch?: boolean; cache?: boolean } = {},
): DataLoader<string, BetaFederationIssuer | null> {
  return tokenListLoader<BetaFederationIssuer>(
    api,
    {
      collection: 'federation',
      getOne: (id) => getFederationIssuer(api, id),
      listPage: (page) =>
        listFederationIssuers(api, {
          include_archived: true,
          limit: LIST_PAGE,
          ...(page !== undefined ? { page } : {}),
        }),
    },
    options,
  );
}

/** Federation rules by id (see tokenListLoader). */
export function federationRuleLoader(
  api: AdminApi,
  options: { batch?: boolean; cache?: boolean } = {},
): DataLoader<string, BetaFederationRule | null> {
  return tokenListLoader<BetaFederationRule>(
    api,
    {
      collection: 'federation',
      getOne: (id) => getFederationRule(api, id),
      listPage: (page) =>
        listFederationRules(api, {
          include_archived: true,
          limit: LIST_PAGE,
          ...(page !== undefined ? { page } : {}),
        }),
    },
    options,
  );
}
