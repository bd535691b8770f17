import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest, sortedValues } from '../transport/pagination.js';
import { enumField, objectBody, queryEnumValues, queryNonEmpty } from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { ASSIGNABLE_ROLES, PROTECTED_ROLES, USER_ROLES, normalizeEmail } from '../store.js';
import type { SandboxStore, UserRecord } from '../store.js';
import { formatTimestamp } from '../time.js';

export function renderUser(user: UserRecord): unknown {
  return {
    id: user.id,
    added_at: formatTimestamp(user.addedAt),
    email: user.email,
    name: user.name,
    role: user.role,
    type: 'user',
  };
}

export function requireUser(store: SandboxStore, id: string | undefined): UserRecord {
  const user = id === undefined ? undefined : store.users.get(id);
  if (!user) throw notFound('No user with the given ID exists in this organization.');
  return user;
}

const byAddedAt = newestFirst<UserRecord>(
  (u) => u.addedAt,
  (u) => u.id,
);

export const userRoutes: Route[] = [
  route('GET', '/v1/organizations/users', ({ store, query }) => {
    const page = parsePageRequest(query);
    const email = queryNonEmpty(query, 'email');
    const roles = queryEnumValues(query, 'roles', USER_ROLES);
    const wanted = email === undefined ? undefined : normalizeEmail(email);
    const all = sortedValues(store.users, byAddedAt);
    const items =
      wanted === undefined && roles === undefined
        ? all
        : all.filter(
            (u) =>
              (wanted === undefined || normalizeEmail(u.email) === wanted) &&
              (roles === undefined || roles.includes(u.role)),
          );
    return paginate(page, {
      items,
      sorted: true,
      compare: byAddedAt,
      idOf: (u) => u.id,
      findCursor: (id) => store.users.get(id),
      render: renderUser,
    });
  }),

  route('GET', '/v1/organizations/users/:user_id', ({ store, params }) =>
    renderUser(requireUser(store, params['user_id'])),
  ),

  route('POST', '/v1/organizations/users/:user_id', ({ store, params, body }) => {
    const user = requireUser(store, params['user_id']);
    const input = objectBody(body, ['role']);
    const role = enumField(input, 'role', ASSIGNABLE_ROLES, {
      required: true,
    }) as UserRecord['role'];
    if (PROTECTED_ROLES.includes(user.role)) {
      throw invalidRequest(`The role of a member with the '${user.role}' role cannot be changed.`);
    }
    // Inherited workspace access follows the org role (see SandboxStore.member), so promotion
    // to billing grants it everywhere and demotion leaves only explicit memberships.
    user.role = role;
    // Written again so that the store's index of inheriting (admin, billing) users follows.
    store.users.set(user.id, user);
    return renderUser(user);
  }),

  route('DELETE', '/v1/organizations/users/:user_id', ({ store, params }) => {
    const user = requireUser(store, params['user_id']);
    if (PROTECTED_ROLES.includes(user.role)) {
      throw invalidRequest(`A member with the '${user.role}' role cannot be removed.`);
    }
    store.users.delete(user.id);
    for (const byUser of store.memberships.values()) byUser.delete(user.id);
    return { id: user.id, type: 'user_deleted' };
  }),
];
