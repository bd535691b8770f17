import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest, sortedValues } from '../transport/pagination.js';
import {
  enumField,
  fieldValue,
  objectBody,
  queryEnumValues,
  queryNonEmpty,
  stringField,
} from '../transport/params.js';
import { route } from '../transport/router.js';
import { rbacState } from './rbac.js';
import type { Route } from '../transport/router.js';
import { ASSIGNABLE_ROLES, INVITE_LIFETIME_DAYS, USER_ROLES, normalizeEmail } from '../store.js';
import type { InviteRecord, InviteStatus, SandboxStore, UserRole } from '../store.js';
import { MICROS_PER_DAY, formatNullableTimestamp, formatTimestamp } from '../time.js';

/** Statuses the list can filter on; withdrawn invites are never listed. */
const LISTED_STATUSES = ['accepted', 'expired', 'pending'] as const satisfies InviteStatus[];

function renderInvite(store: SandboxStore, invite: InviteRecord): unknown {
  return {
    id: invite.id,
    accepted_at: formatNullableTimestamp(invite.acceptedAt),
    email: invite.email,
    expires_at: formatTimestamp(invite.expiresAt),
    invited_at: formatTimestamp(invite.invitedAt),
    rbac_group_ids: [...invite.rbacGroupIds],
    role: invite.role,
    status: store.inviteStatus(invite),
    type: 'invite',
  };
}

function requireInvite(store: SandboxStore, id: string | undefined): InviteRecord {
  const invite = id === undefined ? undefined : store.invites.get(id);
  if (!invite) throw notFound('No invite with the given ID exists in this organization.');
  return invite;
}

const byInvitedAt = newestFirst<InviteRecord>(
  (i) => i.invitedAt,
  (i) => i.id,
);

/** Something before and after a single `@`, no whitespace. */
function validEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(email);
}

export const inviteRoutes: Route[] = [
  route('POST', '/v1/organizations/invites', ({ store, body }) => {
    const input = objectBody(body, ['email', 'role', 'rbac_group_ids']);
    const email = stringField(input, 'email', { required: true }) as string;
    if (!validEmail(email.trim())) throw invalidRequest('email: must be a valid email address');
    const role = enumField(input, 'role', ASSIGNABLE_ROLES, { required: true }) as UserRole;
    const groups = fieldValue(input, 'rbac_group_ids', { nullable: true });
    if (groups !== undefined && groups !== null) {
      if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) {
        throw invalidRequest('rbac_group_ids: Input should be a list of strings');
      }
      const known = rbacState(store).groups;
      for (const id of groups as string[]) {
        if (!known.has(id)) throw invalidRequest(`rbac_group_ids: unknown RBAC group ${id}`);
      }
    }
    const member = store.findUserByEmail(email);
    if (member) {
      throw invalidRequest(`email: ${email} already belongs to member ${member.id}`);
    }
    const wanted = normalizeEmail(email);
    for (const other of store.invites.values()) {
      if (normalizeEmail(other.email) === wanted && store.inviteStatus(other) === 'pending') {
        throw invalidRequest(`email: a pending invite (${other.id}) already exists for ${email}`);
      }
    }
    const invitedAt = store.tick();
    const invite: InviteRecord = {
      id: store.newId('invite_'),
      email: email.trim(),
      role,
      invitedAt,
      expiresAt: invitedAt + INVITE_LIFETIME_DAYS * MICROS_PER_DAY,
      acceptedAt: null,
      status: 'pending',
      rbacGroupIds: Array.isArray(groups) ? [...new Set(groups as string[])] : [],
    };
    store.invites.set(invite.id, invite);
    return renderInvite(store, invite);
  }),

  route('GET', '/v1/organizations/invites', ({ store, query }) => {
    const page = parsePageRequest(query);
    const email = queryNonEmpty(query, 'email');
    const roles = queryEnumValues(query, 'roles', USER_ROLES);
    const statuses: InviteStatus[] = queryEnumValues(query, 'statuses', LISTED_STATUSES) ?? [
      ...LISTED_STATUSES,
    ];
    const wanted = email === undefined ? undefined : normalizeEmail(email);
    const items = sortedValues(store.invites, byInvitedAt).filter(
      (i) =>
        statuses.includes(store.inviteStatus(i)) &&
        (wanted === undefined || normalizeEmail(i.email) === wanted) &&
        (roles === undefined || roles.includes(i.role)),
    );
    return paginate(page, {
      items,
      sorted: true,
      compare: byInvitedAt,
      idOf: (i) => i.id,
      findCursor: (id) => store.invites.get(id),
      render: (i) => renderInvite(store, i),
    });
  }),

  route('GET', '/v1/organizations/invites/:invite_id', ({ store, params }) =>
    renderInvite(store, requireInvite(store, params['invite_id'])),
  ),

  route('DELETE', '/v1/organizations/invites/:invite_id', ({ store, params }) => {
    const invite = requireInvite(store, params['invite_id']);
    const status = store.inviteStatus(invite);
    if (status !== 'pending') {
      throw invalidRequest(`Only pending invites can be deleted; this invite is ${status}.`);
    }
    invite.status = 'deleted';
    return { id: invite.id, type: 'invite_deleted' };
  }),
];
