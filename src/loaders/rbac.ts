import DataLoader from 'dataloader';
import type { AdminApi } from '../upstream/admin-api.js';
import { readKey } from '../upstream/read-cache.js';
import {
  getRbacGroup,
  getRbacRole,
  listRbacGroupMembers,
  listRbacGroups,
  listRbacRolePermissions,
  listRbacRoles,
  type BetaRBACGroup,
  type BetaRBACGroupMember,
  type BetaRBACRole,
  type BetaRBACRolePermission,
  type RbacPage,
  type RbacPageQuery,
} from '../upstream/resources/rbac.js';
import { orNull } from './batch.js';

/** Only the paging fields of a query (a connection's own arguments may ride along). */
const paging = (query: RbacPageQuery): RbacPageQuery => ({
  ...(query.limit !== undefined ? { limit: query.limit } : {}),
  ...(query.page !== undefined ? { page: query.page } : {}),
});

/** The largest page the RBAC lists take. */
const LIST_PAGE = 1000;

/** The request's loaders of RBAC groups and roles (src/loaders/index.ts spreads them in). */
export interface RbacLoaders {
  /** RBAC groups by id. */
  rbacGroups: DataLoader<string, BetaRBACGroup | null>;
  /** RBAC roles by id. */
  rbacRoles: DataLoader<string, BetaRBACRole | null>;
  /**
   * List pages of the RBAC family for connections, shared within the request (the same page
   * asked twice costs one request); the groups' and roles' items prime the loaders above.
   */
  rbacPages: {
    groups: (query: RbacPageQuery) => Promise<RbacPage<BetaRBACGroup>>;
    members: (groupId: string, query: RbacPageQuery) => Promise<RbacPage<BetaRBACGroupMember>>;
    roles: (query: RbacPageQuery) => Promise<RbacPage<BetaRBACRole>>;
    permissions: (
      roleId: string,
      query: RbacPageQuery,
    ) => Promise<RbacPage<BetaRBACRolePermission>>;
  };
}

/**
 * Objects of a token-paged list by id. The Admin API has no batch-get, so a lone id is one GET
 * (a 404 answers null), and several ids walk the list 1000 a page only while the pages spent
 * cost no more than the GETs they could save; ids the walk did not show cost their GET. Pages
 * go through `listPage`, so that they are shared with the connections of the request.
 */
function walkingLoader<T extends { id: string }>(
  getOne: (id: string) => Promise<T>,
  listPage: (query: RbacPageQuery) => Promise<RbacPage<T>>,
  options: { batch?: boolean; cache?: boolean },
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const found = new Map<string, T>();
    if (ids.length > 1) {
      let token: string | undefined;
      for (let pages = 0; ;) {
        const missing = ids.filter((id) => !found.has(id)).length;
        if (missing === 0 || pages + 1 > missing) break;
        const page = await listPage({
          limit: LIST_PAGE,
          ...(token !== undefined ? { page: token } : {}),
        });
        pages++;
        for (const item of page.data) found.set(item.id, item);
        if (page.next_page === null || page.next_page === token) break;
        token = page.next_page;
      }
    }
    return Promise.all(
      ids.map(
        (id) => found.get(id) ?? orNull(getOne(id)).catch((error: unknown) => error as Error),
      ),
    );
  }, options);
}

export function createRbacLoaders(api: AdminApi, options: { batch?: boolean } = {}): RbacLoaders {
  const naive = options.batch === false;
  const loaderOptions = naive ? { batch: false, cache: false } : {};
  /** Pages read in this request, by collection; dropped by a write to the collection. */
  const memo = { rbacGroups: new Map<string, Promise<unknown>>(), rbacRoles: new Map() };
  function shared<T>(
    collection: keyof typeof memo,
    key: object,
    fetch: () => Promise<T>,
    onItems?: (page: T) => void,
  ): Promise<T> {
    if (naive) return fetch();
    const pages = memo[collection] as Map<string, Promise<T>>;
    const name = readKey(collection, key);
    const known = pages.get(name);
    if (known) return known;
    const page = fetch().then((value) => {
      onItems?.(value);
      return value;
    });
    pages.set(name, page);
    // A failed page is not kept: asking again may succeed.
    page.catch(() => pages.get(name) === page && pages.delete(name));
    return page;
  }

  const groupPage = (wanted: RbacPageQuery) => {
    const query = paging(wanted);
    return shared(
      'rbacGroups',
      { list: 'groups', ...query },
      () => listRbacGroups(api, query),
      (page) => page.data.forEach((group) => rbacGroups.prime(group.id, group)),
    );
  };
  const rolePage = (wanted: RbacPageQuery) => {
    const query = paging(wanted);
    return shared(
      'rbacRoles',
      { list: 'roles', ...query },
      () => listRbacRoles(api, query),
      (page) => page.data.forEach((role) => rbacRoles.prime(role.id, role)),
    );
  };

  const rbacGroups = walkingLoader((id) => getRbacGroup(api, id), groupPage, loaderOptions);
  const rbacRoles = walkingLoader((id) => getRbacRole(api, id), rolePage, loaderOptions);

  // The one path by which a write reaches this request's state, as for the core loaders.
  api.onWrite((collections) => {
    if (collections.includes('rbacGroups')) {
      memo.rbacGroups.clear();
      rbacGroups.clearAll();
    }
    if (collections.includes('rbacRoles')) {
      memo.rbacRoles.clear();
      rbacRoles.clearAll();
    }
  });

  return {
    rbacGroups,
    rbacRoles,
    rbacPages: {
      groups: groupPage,
      roles: rolePage,
      members: (groupId, wanted) => {
        const query = paging(wanted);
        return shared('rbacGroups', { list: 'members', groupId, ...query }, () =>
          listRbacGroupMembers(api, groupId, query),
        );
      },
      permissions: (roleId, wanted) => {
        const query = paging(wanted);
        return shared('rbacRoles', { list: 'permissions', roleId, ...query }, () =>
          listRbacRolePermissions(api, roleId, query),
        );
      },
    },
  };
}
