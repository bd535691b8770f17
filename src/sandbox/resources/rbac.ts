import { createHash } from 'node:crypto';
import { invalidRequest, notFound } from '../transport/errors.js';
import { objectBody, queryValue, stringField } from '../transport/params.js';
import type { Query } from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import type { SandboxStore, UserRecord } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp } from '../time.js';
import type { Micros } from '../time.js';

/*
 * RBAC groups with their members, RBAC roles with their permissions (EXTENDED.md §6–7), as a
 * Claude Enterprise tenant has them. Stateful: creates, renames, deletes and member changes show
 * in every later list and get. Strict where the real API plausibly is: unknown ids 404, bad
 * bodies and parameters 400 naming the field, `limit` 1..1000, page tokens handed out by this
 * emulator only and only with the query they were issued for. Groups provisioned by the identity
 * provider (`scim`) are read-only; groups carrying a role with owner access refuse member
 * changes and deletion; a user outside the enterprise cannot be added (404), nor a member twice
 * (400). Members whose user has left the enterprise are left out of their page, so a page may
 * hold fewer than `limit` while more follow, as the docs warn.
 *
 * The state lives here, not in store.ts: one per seeding of the store (keyed by the store's user
 * map, which a reset replaces), seeded on first use with fixed ids, so the same data every time.
 */

export type RbacPermissionResource =
  | { type: 'organization'; organization_id: string }
  | { type: 'connector_tool'; connector_id: string; tool_name: string }
  | { type: 'connector_scope'; connector_id: string; scope: string }
  | { type: 'connector'; connector_id: string }
  | { type: 'all_connectors' };

export interface RbacRoleRecord {
  id: string;
  displayName: string;
  source: 'built_in' | 'custom';
  createdAt: Micros;
  updatedAt: Micros;
  permissions: { action: string; resource: RbacPermissionResource }[];
  /** Whether holding the role grants owner access (such groups are managed in Claude only). */
  ownerAccess: boolean;
}

export interface RbacMemberRecord {
  userId: string;
  addedAt: Micros;
}

export interface RbacGroupRecord {
  id: string;
  name: string;
  sourceType: 'direct' | 'scim';
  /** null stands for "role data temporarily unavailable". */
  roleIds: string[] | null;
  createdAt: Micros;
  updatedAt: Micros;
  members: Map<string, RbacMemberRecord>;
}

export interface RbacState {
  groups: Map<string, RbacGroupRecord>;
  roles: Map<string, RbacRoleRecord>;
  /**
   * Users of the enterprise's other organizations (id → email): they can join groups, but this
   * organization's user endpoints do not know them.
   */
  enterpriseUsers: Map<string, string>;
  /** Page tokens handed out, with the query each was issued for. */
  tokens: Map<string, string>;
}

/** Fixed ids of the seeded RBAC data (for tests and docs). */
export const RBAC_FIXTURE_IDS = {
  ownerRole: 'rbac_role_01OwnerAccessBuiltIn000001',
  memberRole: 'rbac_role_01MemberBuiltIn0000000002',
  supportRole: 'rbac_role_01SupportAgentCustom00003',
  analystRole: 'rbac_role_01DataAnalystCustom000004',
  /** A role of another organization of the enterprise: groups name it, GET gives 404. */
  foreignRole: 'rbac_role_01OtherOrgAuditor00000005',
  engineeringGroup: 'rbac_group_01EngineeringDirect00001',
  supportGroup: 'rbac_group_01SupportDirect000000002',
  ownersGroup: 'rbac_group_01OwnersDirect0000000003',
  allStaffGroup: 'rbac_group_01AllStaffScim000000004',
  contractorsGroup: 'rbac_group_01ContractorsDirect00005',
  /** A user of another organization of the enterprise (a member of the Engineering group). */
  enterpriseUser: 'user_01OtherOrgEngineer00000000001',
} as const;

const F = RBAC_FIXTURE_IDS;
const CONNECTOR = 'mcpsrv_01Zendesk00000000000000';
const WAREHOUSE = 'mcpsrv_01Warehouse0000000000000';

const states = new WeakMap<object, RbacState>();

/** The RBAC state of the store's current seeding, seeded on first use. */
export function rbacState(store: SandboxStore): RbacState {
  let state = states.get(store.users);
  if (!state) states.set(store.users, (state = seed(store)));
  return state;
}

function seed(store: SandboxStore): RbacState {
  const anchor = store.clock.anchor;
  const daysAgo = (days: number, offset = 0) => anchor - days * MICROS_PER_DAY + offset;
  const org = (action: string) => ({
    action,
    resource: { type: 'organization' as const, organization_id: store.organization.id },
  });
  const role = (
    id: string,
    displayName: string,
    source: RbacRoleRecord['source'],
    days: number,
    permissions: RbacRoleRecord['permissions'],
    ownerAccess = false,
  ): RbacRoleRecord => ({
    id,
    displayName,
    source,
    createdAt: daysAgo(days),
    updatedAt: daysAgo(days),
    permissions,
    ownerAccess,
  });
  const roles = [
    role(
      F.ownerRole,
      'Owner',
      'built_in',
      400,
      [org('permission_owner'), org('capability_access_all')],
      true,
    ),
    role(F.memberRole, 'Member', 'built_in', 400, [org('chat'), org('capability_access_all_ga')]),
    role(F.supportRole, 'Support agent', 'custom', 120, [
      org('chat'),
      {
        action: 'use',
        resource: { type: 'connector_tool', connector_id: CONNECTOR, tool_name: 'search_tickets' },
      },
      {
        action: 'always_allow',
        resource: { type: 'connector_tool', connector_id: CONNECTOR, tool_name: 'read_ticket' },
      },
      { action: 'interactive', resource: { type: 'connector', connector_id: CONNECTOR } },
    ]),
    role(F.analystRole, 'Data analyst', 'custom', 60, [
      org('capability_access_all'),
      {
        action: 'grant',
        resource: {
          type: 'connector_scope',
          connector_id: WAREHOUSE,
          scope: 'read_4e6f2b8a9c0d1e2f3a4b5c6d7e8f9a0b',
        },
      },
      { action: 'use', resource: { type: 'all_connectors' } },
    ]),
  ];

  const users = [...store.users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const withRole = (...roleNames: UserRecord['role'][]) =>
    users.filter((user) => roleNames.includes(user.role));
  const group = (
    id: string,
    name: string,
    sourceType: RbacGroupRecord['sourceType'],
    days: number,
    roleIds: string[] | null,
    members: string[],
  ): RbacGroupRecord => ({
    id,
    name,
    sourceType,
    roleIds,
    createdAt: daysAgo(days),
    updatedAt: daysAgo(days),
    members: new Map(
      members.map((userId, index) => [userId, { userId, addedAt: daysAgo(days, index + 1) }]),
    ),
  });
  const developers = withRole('developer').slice(0, 40);
  const groups = [
    group(
      F.allStaffGroup,
      'All staff (Okta)',
      'scim',
      380,
      [F.memberRole],
      users.map((u) => u.id),
    ),
    group(
      F.ownersGroup,
      'Owners',
      'direct',
      370,
      [F.ownerRole],
      withRole('owner', 'primary_owner').map((u) => u.id),
    ),
    group(
      F.engineeringGroup,
      'Engineering',
      'direct',
      300,
      [F.memberRole, F.analystRole, F.foreignRole],
      [...developers.map((u) => u.id), F.enterpriseUser],
    ),
    group(
      F.supportGroup,
      'Support',
      'direct',
      120,
      [F.supportRole],
      withRole('user')
        .slice(0, 12)
        .map((u) => u.id),
    ),
    group(F.contractorsGroup, 'Contractors', 'direct', 20, [], []),
  ];
  return {
    groups: new Map(groups.map((g) => [g.id, g])),
    roles: new Map(roles.map((r) => [r.id, r])),
    enterpriseUsers: new Map([
      [F.enterpriseUser, 'kenji.watanabe@research.northwind.example'],
      ['user_01OtherOrgAnalyst000000000002', 'priya.raman@research.northwind.example'],
    ]),
    tokens: new Map(),
  };
}

// Rendering

function renderGroup(group: RbacGroupRecord): unknown {
  return {
    id: group.id,
    created_at: formatTimestamp(group.createdAt),
    name: group.name,
    role_ids: group.roleIds === null ? null : [...group.roleIds],
    source_type: group.sourceType,
    type: 'rbac_group',
    updated_at: formatTimestamp(group.updatedAt),
  };
}

function renderRole(role: RbacRoleRecord): unknown {
  return {
    id: role.id,
    created_at: formatTimestamp(role.createdAt),
    display_name: role.displayName,
    source: { type: role.source },
    type: 'rbac_role',
    updated_at: formatTimestamp(role.updatedAt),
  };
}

/** The email of a user of the enterprise: of this organization or of another one. */
function enterpriseEmail(store: SandboxStore, state: RbacState, userId: string): string | null {
  return store.users.get(userId)?.email ?? state.enterpriseUsers.get(userId) ?? null;
}

// Paging: `limit` and `page` in; `data`, `has_more` and `next_page` out.

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const MAX_TOKENS = 20_000;

function parseLimit(query: Query): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) throw invalidRequest('limit: Input should be a valid integer');
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

/** The list and every parameter but `page`: what a token is bound to. */
function fingerprint(list: string, query: Query): string {
  const names = Object.keys(query)
    .filter((name) => name !== 'page')
    .sort();
  return JSON.stringify([list, ...names.map((name) => [name, query[name]])]);
}

/**
 * One page of `items` (in list order; `keyOf` gives each a unique key that grows along the
 * order). A token names the key of the last item of its page, so that writes between pages skip
 * or repeat nothing. Items `shown` rejects are cut from their page after the slice.
 */
function tokenPage<T>(
  state: RbacState,
  list: string,
  query: Query,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => unknown,
  shown: (item: T) => boolean = () => true,
): unknown {
  const limit = parseLimit(query);
  const bound = fingerprint(list, query);
  let start = 0;
  const token = queryValue(query, 'page');
  if (token !== undefined) {
    const issuedFor = state.tokens.get(token);
    if (issuedFor === undefined) {
      throw invalidRequest('page: unknown page token; pass a `next_page` value of this list');
    }
    if (issuedFor !== bound) {
      throw invalidRequest(
        'page: the page token belongs to another query; send the parameters it was issued with (only `page` may differ)',
      );
    }
    const after = Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');
    const afterKey = (JSON.parse(after) as { k: string }).k;
    while (start < items.length && keyOf(items[start] as T) <= afterKey) start++;
  }
  const slice = items.slice(start, start + limit);
  const more = items.length > start + limit;
  const last = slice.at(-1);
  let next: string | null = null;
  if (more && last !== undefined) {
    const digest = createHash('sha256').update(bound).digest('base64url').slice(0, 8);
    next = `page_${Buffer.from(JSON.stringify({ q: digest, k: keyOf(last) })).toString('base64url')}`;
    if (state.tokens.size >= MAX_TOKENS) {
      const oldest = state.tokens.keys().next().value;
      if (oldest !== undefined) state.tokens.delete(oldest);
    }
    state.tokens.set(next, bound);
  }
  return { data: slice.filter(shown).map(render), has_more: more, next_page: next };
}

const timeKey = (time: Micros, id: string) => `${String(time).padStart(20, '0')}:${id}`;

function byKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

// Rules

function requireGroup(state: RbacState, id: string | undefined): RbacGroupRecord {
  const group = id === undefined ? undefined : state.groups.get(id);
  if (!group) throw notFound('No RBAC group with the given ID exists in this enterprise.');
  return group;
}

function requireRole(state: RbacState, id: string | undefined): RbacRoleRecord {
  const role = id === undefined ? undefined : state.roles.get(id);
  if (!role) throw notFound('No RBAC role with the given ID exists in this organization.');
  return role;
}

/** SCIM groups are read-only through the API. */
function requireDirect(group: RbacGroupRecord): void {
  if (group.sourceType === 'scim') {
    throw invalidRequest(
      'This RBAC group is provisioned by the identity provider (source type "scim") and cannot be modified through the API while an organization in the tenant uses SCIM provisioning.',
    );
  }
}

/** Groups whose roles grant owner access are managed in Claude's admin settings only. */
function requireNoOwnerAccess(state: RbacState, group: RbacGroupRecord): void {
  if ((group.roleIds ?? []).some((id) => state.roles.get(id)?.ownerAccess)) {
    throw invalidRequest(
      "A role attached to this RBAC group grants owner access, so this API does not change its members or delete it. Make the change in the organization's admin settings in Claude.",
    );
  }
}

function groupName(input: Record<string, unknown>, required: boolean): string | null | undefined {
  const name = stringField(input, 'name', {
    required,
    nullable: !required,
    minLength: 1,
    maxLength: 255,
  });
  return name;
}

export const rbacRoutes: Route[] = [
  route('GET', '/v1/organizations/rbac_groups', ({ store, query }) => {
    const state = rbacState(store);
    const keyOf = (g: RbacGroupRecord) => timeKey(g.createdAt, g.id);
    return tokenPage(
      state,
      'rbac_groups',
      query,
      byKey(state.groups.values(), keyOf),
      keyOf,
      renderGroup,
    );
  }),

  route('POST', '/v1/organizations/rbac_groups', ({ store, body }) => {
    const state = rbacState(store);
    const input = objectBody(body, ['name']);
    const name = groupName(input, true) as string;
    const at = store.tick();
    let id = store.newId('rbac_group_');
    while (state.groups.has(id)) id = store.newId('rbac_group_');
    const group: RbacGroupRecord = {
      id,
      name,
      sourceType: 'direct',
      roleIds: [],
      createdAt: at,
      updatedAt: at,
      members: new Map(),
    };
    state.groups.set(id, group);
    return renderGroup(group);
  }),

  route('GET', '/v1/organizations/rbac_groups/:rbac_group_id', ({ store, params }) =>
    renderGroup(requireGroup(rbacState(store), params['rbac_group_id'])),
  ),

  route('POST', '/v1/organizations/rbac_groups/:rbac_group_id', ({ store, params, body }) => {
    const state = rbacState(store);
    const group = requireGroup(state, params['rbac_group_id']);
    const input = objectBody(body, ['name']);
    const name = groupName(input, false);
    requireDirect(group);
    if (name !== undefined && name !== null) {
      group.name = name;
      group.updatedAt = store.tick();
    }
    return renderGroup(group);
  }),

  route('DELETE', '/v1/organizations/rbac_groups/:rbac_group_id', ({ store, params }) => {
    const state = rbacState(store);
    const group = requireGroup(state, params['rbac_group_id']);
    requireDirect(group);
    requireNoOwnerAccess(state, group);
    state.groups.delete(group.id);
    return { id: group.id, type: 'rbac_group_deleted' };
  }),

  route(
    'GET',
    '/v1/organizations/rbac_groups/:rbac_group_id/members',
    ({ store, params, query }) => {
      const state = rbacState(store);
      const group = requireGroup(state, params['rbac_group_id']);
      const keyOf = (m: RbacMemberRecord) => timeKey(m.addedAt, m.userId);
      return tokenPage(
        state,
        `rbac_groups/${group.id}/members`,
        query,
        byKey(group.members.values(), keyOf),
        keyOf,
        (m) => ({
          created_at: formatTimestamp(m.addedAt),
          email: enterpriseEmail(store, state, m.userId),
          rbac_group_id: group.id,
          type: 'rbac_group_member',
          user_id: m.userId,
        }),
        // A member whose user left the enterprise is not shown (their page comes out short).
        (m) => enterpriseEmail(store, state, m.userId) !== null,
      );
    },
  ),

  route(
    'POST',
    '/v1/organizations/rbac_groups/:rbac_group_id/members',
    ({ store, params, body }) => {
      const state = rbacState(store);
      const group = requireGroup(state, params['rbac_group_id']);
      const input = objectBody(body, ['user_id']);
      const userId = stringField(input, 'user_id', { required: true, minLength: 1 }) as string;
      requireDirect(group);
      requireNoOwnerAccess(state, group);
      const email = enterpriseEmail(store, state, userId);
      if (email === null) throw notFound(`User ${userId} is not a member of the enterprise.`);
      if (group.members.has(userId)) {
        throw invalidRequest(`User ${userId} is already a member of this RBAC group.`);
      }
      const member: RbacMemberRecord = { userId, addedAt: store.tick() };
      group.members.set(userId, member);
      return {
        created_at: formatTimestamp(member.addedAt),
        email,
        rbac_group_id: group.id,
        type: 'rbac_group_member',
        user_id: userId,
      };
    },
  ),

  route(
    'DELETE',
    '/v1/organizations/rbac_groups/:rbac_group_id/members/:user_id',
    ({ store, params }) => {
      const state = rbacState(store);
      const group = requireGroup(state, params['rbac_group_id']);
      const userId = params['user_id'] as string;
      requireDirect(group);
      requireNoOwnerAccess(state, group);
      if (!group.members.delete(userId)) {
        throw notFound(`User ${userId} is not a member of this RBAC group.`);
      }
      return { rbac_group_id: group.id, type: 'rbac_group_member_deleted', user_id: userId };
    },
  ),

  route('GET', '/v1/organizations/rbac_roles', ({ store, query }) => {
    const state = rbacState(store);
    const keyOf = (r: RbacRoleRecord) => timeKey(r.createdAt, r.id);
    return tokenPage(
      state,
      'rbac_roles',
      query,
      byKey(state.roles.values(), keyOf),
      keyOf,
      renderRole,
    );
  }),

  route('GET', '/v1/organizations/rbac_roles/:rbac_role_id', ({ store, params }) =>
    renderRole(requireRole(rbacState(store), params['rbac_role_id'])),
  ),

  route(
    'GET',
    '/v1/organizations/rbac_roles/:rbac_role_id/permissions',
    ({ store, params, query }) => {
      const state = rbacState(store);
      const role = requireRole(state, params['rbac_role_id']);
      const rows = role.permissions.map((permission, index) => ({ permission, index }));
      const keyOf = (row: (typeof rows)[number]) => String(row.index).padStart(6, '0');
      return tokenPage(state, `rbac_roles/${role.id}/permissions`, query, rows, keyOf, (row) => ({
        action: row.permission.action,
        resource: { ...row.permission.resource },
        type: 'rbac_role_permission',
      }));
    },
  ),
];

/** Test hook: a group whose role data is temporarily unavailable (`role_ids: null`). */
export function hideRbacGroupRoles(store: SandboxStore, groupId: string): void {
  const group = rbacState(store).groups.get(groupId);
  if (group) group.roleIds = null;
}
