import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest } from '../transport/pagination.js';
import { enumField, objectBody, stringField } from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { WORKSPACE_ROLES } from '../store.js';
import type { EffectiveMember, SandboxStore, WorkspaceRecord, WorkspaceRole } from '../store.js';
import { requireUser } from './users.js';
import { assertMembersWritable, requireWorkspace } from './workspaces.js';

/** Roles that can be given by hand (workspace_billing only comes from the org billing role). */
const ADDABLE_ROLES = WORKSPACE_ROLES.filter((r) => r !== 'workspace_billing');

function renderMember(member: EffectiveMember): unknown {
  return {
    type: 'workspace_member',
    user_id: member.userId,
    workspace_id: member.workspaceId,
    workspace_role: member.role,
  };
}

function requireMember(
  store: SandboxStore,
  ws: WorkspaceRecord,
  userId: string | undefined,
): EffectiveMember {
  const member = userId === undefined ? undefined : store.member(ws, userId);
  if (!member) throw notFound('The user is not a member of this workspace.');
  return member;
}

const byAddedAt = newestFirst<EffectiveMember>(
  (m) => m.addedAt,
  (m) => m.userId,
);

const MEMBER_PATH = '/v1/organizations/workspaces/:workspace_id/members/:user_id';

export const memberRoutes: Route[] = [
  route('POST', '/v1/organizations/workspaces/:workspace_id/members', ({ store, params, body }) => {
    const ws = requireWorkspace(store, params['workspace_id']);
    assertMembersWritable(ws);
    const input = objectBody(body, ['user_id', 'workspace_role']);
    const userId = stringField(input, 'user_id', { required: true, minLength: 1 }) as string;
    const role = enumField(input, 'workspace_role', ADDABLE_ROLES, {
      required: true,
    }) as WorkspaceRole;
    const user = requireUser(store, userId);
    const existing = store.member(ws, user.id);
    if (existing) {
      const how = existing.inherited ? ` (inherited from the org role '${user.role}')` : '';
      throw invalidRequest(`user_id: ${user.id} is already a member of this workspace${how}.`);
    }
    store.setMembership(ws.id, user.id, role, store.tick());
    return renderMember(requireMember(store, ws, user.id));
  }),

  route('GET', '/v1/organizations/workspaces/:workspace_id/members', ({ store, params, query }) => {
    const ws = requireWorkspace(store, params['workspace_id']);
    const page = parsePageRequest(query);
    return paginate(page, {
      items: store.membersInOrder(ws, byAddedAt),
      sorted: true,
      compare: byAddedAt,
      idOf: (m) => m.userId,
      findCursor: (id) => store.member(ws, id),
      render: renderMember,
      hidden: store.hiddenFromLists,
    });
  }),

  route('GET', MEMBER_PATH, ({ store, params }) => {
    const ws = requireWorkspace(store, params['workspace_id']);
    return renderMember(requireMember(store, ws, params['user_id']));
  }),

  route('POST', MEMBER_PATH, ({ store, params, body }) => {
    const ws = requireWorkspace(store, params['workspace_id']);
    assertMembersWritable(ws);
    const member = requireMember(store, ws, params['user_id']);
    const input = objectBody(body, ['workspace_role']);
    const role = enumField(input, 'workspace_role', WORKSPACE_ROLES, {
      required: true,
    }) as WorkspaceRole;
    const user = requireUser(store, member.userId);
    if (user.role === 'admin') {
      throw invalidRequest(
        'workspace_role: org admins hold workspace_admin in every workspace; it cannot be changed.',
      );
    }
    if (user.role === 'billing') {
      if (role === 'workspace_admin') {
        store.setMembership(ws.id, user.id, role, member.addedAt);
      } else if (role === 'workspace_billing') {
        store.deleteMembership(ws.id, user.id);
      } else {
        throw invalidRequest(
          'workspace_role: billing members can only be raised to workspace_admin.',
        );
      }
    } else {
      if (role === 'workspace_billing') {
        throw invalidRequest(
          'workspace_role: workspace_billing comes only from the org billing role.',
        );
      }
      store.setMembership(ws.id, user.id, role, member.addedAt);
    }
    return renderMember(requireMember(store, ws, user.id));
  }),

  route('DELETE', MEMBER_PATH, ({ store, params }) => {
    const ws = requireWorkspace(store, params['workspace_id']);
    assertMembersWritable(ws);
    const member = requireMember(store, ws, params['user_id']);
    const user = requireUser(store, member.userId);
    if (user.role === 'admin' || user.role === 'billing') {
      throw invalidRequest(
        `Members holding the org role '${user.role}' cannot be removed from workspaces.`,
      );
    }
    store.deleteMembership(ws.id, user.id);
    return { type: 'workspace_member_deleted', user_id: user.id, workspace_id: ws.id };
  }),
];
