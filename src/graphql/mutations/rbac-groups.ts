import type { AdminApi } from '../../upstream/admin-api.js';
import { UpstreamError } from '../../upstream/errors.js';
import {
  addRbacGroupMember,
  createRbacGroup,
  deleteRbacGroup,
  getRbacGroup,
  listRbacGroupMembers,
  listRbacGroups,
  removeRbacGroupMember,
  updateRbacGroup,
  type BetaRBACGroup,
  type RbacPage,
} from '../../upstream/resources/rbac.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  createdSince,
  inputError,
  isNotFound,
  runMutation,
  userErrorsField,
  type InputPaths,
  type MutationOptions,
  type UserErrorShape,
} from '../lib/user-error.js';
import { RbacGroup, RbacGroupMember } from '../nodes/rbac-group.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

/*
 * Writes to RBAC groups and their members (POST/DELETE /v1/organizations/rbac_groups…), under
 * the `rbac:write` scope. Refusals the caller can act on are userErrors: an unknown group or user
 * (NOT_FOUND, on the input field at fault), a user already in the group (ALREADY_EXISTS), a name
 * the Admin API refuses (INVALID_INPUT), and a group this API may not change — provisioned by the
 * identity provider (SCIM), or carrying a role with owner access (NOT_PERMITTED).
 */

/** Names in Admin API refusals, and the input fields they stand for. */
const BODY = { name: ['input', 'name'], user_id: ['input', 'userId'] };
const GROUP_FIELD = ['input', 'rbacGroupId'];
const USER_FIELD = ['input', 'userId'];

/** A 404 that speaks of a user blames `userId`; any other blames the group. */
const blameNotFound = (message: string) => (/\buser\b/i.test(message) ? USER_FIELD : GROUP_FIELD);

const PATHS: InputPaths = {
  body: BODY,
  ids: { rbacGroup: GROUP_FIELD, user: USER_FIELD },
  notFound: blameNotFound,
};

/**
 * Refusals of changes the Admin API does not make to this group at all, whatever the input: a
 * group from the identity provider (SCIM), or one whose roles grant owner access (the SDK's
 * `RBACGroupGrantsOwnerAccessError`, `RBACGroupOwnerAccessUnconfirmedError`), told by their
 * `error_code` when the Admin API gives one, by their message otherwise.
 */
const NOT_CHANGEABLE = /\bscim\b|identity provider|owner access/i;
const NOT_CHANGEABLE_CODES = new Set([
  'rbac_group_grants_owner_access',
  'rbac_group_owner_access_unconfirmed',
]);

/** runMutation, with this family's refusals read as described above. */
async function runRbacMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
  options: MutationOptions<T> = {},
): Promise<{ result: T | null; userErrors: UserErrorShape[] }> {
  let refusal: string | null = null;
  const outcome = await runMutation(
    paths,
    async () => {
      try {
        return await write();
      } catch (error) {
        if (error instanceof UpstreamError) refusal = error.errorType;
        throw error;
      }
    },
    options,
  );
  const notChangeable = (message: string) =>
    (refusal !== null && NOT_CHANGEABLE_CODES.has(refusal)) || NOT_CHANGEABLE.test(message);
  return {
    result: outcome.result,
    userErrors: outcome.userErrors.map((error): UserErrorShape => {
      if (error.code === 'INVALID_INPUT' && notChangeable(error.message)) {
        return { ...error, code: 'NOT_PERMITTED', field: GROUP_FIELD };
      }
      if (error.code === 'ALREADY_EXISTS') return { ...error, field: USER_FIELD };
      // The Admin API's own word that the group is the one missing (BetaRBACGroupNotFoundError).
      if (error.code === 'NOT_FOUND' && refusal === 'rbac_group_not_found') {
        return { ...error, field: GROUP_FIELD };
      }
      return error;
    }),
  };
}

// Read-backs for writes whose answer was lost (see runMutation's `settle`).

/** Walks a token-paged list (a few pages of 1000 at most) and returns the items that match. */
async function findAll<T>(
  list: (page: string | undefined) => Promise<RbacPage<T>>,
  match: (item: T) => boolean,
): Promise<T[]> {
  const found: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 5; pages++) {
    const page = await list(token);
    found.push(...page.data.filter(match));
    if (page.next_page === null || page.next_page === token) break;
    token = page.next_page;
  }
  return found;
}

const settleCreate =
  (api: AdminApi, name: string) =>
  async (startedAt: number): Promise<BetaRBACGroup | null> => {
    const groups = await findAll(
      (page) => listRbacGroups(api, { limit: 1000, ...(page ? { page } : {}) }),
      (group) => group.name === name && createdSince(group.created_at, startedAt),
    );
    return groups.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0] ?? null;
  };

const settleUpdate = (api: AdminApi, groupId: string, name: string) => async () => {
  const group = await getRbacGroup(api, groupId);
  return group.name === name ? group : null;
};

const settleDelete = (api: AdminApi, groupId: string) => async () => {
  try {
    await getRbacGroup(api, groupId);
    return null;
  } catch (error) {
    if (isNotFound(error)) return { id: groupId, type: 'rbac_group_deleted' as const };
    throw error;
  }
};

const memberOf = (api: AdminApi, groupId: string, userId: string) =>
  findAll(
    (page) => listRbacGroupMembers(api, groupId, { limit: 1000, ...(page ? { page } : {}) }),
    (member) => member.user_id === userId,
  );

const settleAdd = (api: AdminApi, groupId: string, userId: string) => async () =>
  (await memberOf(api, groupId, userId))[0] ?? null;

const settleRemove = (api: AdminApi, groupId: string, userId: string) => async () =>
  (await memberOf(api, groupId, userId)).length === 0
    ? { rbac_group_id: groupId, user_id: userId, type: 'rbac_group_member_deleted' as const }
    : null;

// Payloads

type GroupPayload = Outcome<BetaRBACGroup>;

const groupPayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'rbacGroup', RbacGroup, description);

const NAME_RULE = '1 to 255 characters; names need not be unique.';

builder.relayMutationField(
  'createRbacGroup',
  {
    description: 'Creates an RBAC group.',
    inputFields: (t) => ({
      name: t.string({ required: true, description: `The group’s name: ${NAME_RULE}` }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { rbacWrite: true },
    description:
      'Creates an RBAC group in the Claude Enterprise tenant (POST /v1/organizations/rbac_groups). It starts with no members and no roles (roles are attached in Claude’s admin settings); its source type is DIRECT.',
    resolve: async (_root, { input }, ctx): Promise<GroupPayload> => {
      if (input.name.trim() === '') return inputError('name cannot be empty.', ['input', 'name']);
      return runRbacMutation(PATHS, () => createRbacGroup(ctx.api, { name: input.name }), {
        settle: settleCreate(ctx.api, input.name),
      });
    },
  },
  groupPayload('createRbacGroup', 'The new group; null when none was created.'),
);

builder.relayMutationField(
  'updateRbacGroup',
  {
    description: 'Renames an RBAC group (its name is the only field the Admin API changes).',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The group to change (rbac_group_…).' }),
      name: t.string({ required: true, description: `The new name: ${NAME_RULE}` }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { rbacWrite: true },
    description:
      'Renames an RBAC group (POST /v1/organizations/rbac_groups/{id}). A group from the identity provider (SCIM) cannot be changed through the API: NOT_PERMITTED.',
    resolve: async (_root, { input }, ctx): Promise<GroupPayload> => {
      if (input.name.trim() === '') return inputError('name cannot be empty.', ['input', 'name']);
      return runRbacMutation(
        PATHS,
        () => updateRbacGroup(ctx.api, input.rbacGroupId, { name: input.name }),
        { settle: settleUpdate(ctx.api, input.rbacGroupId, input.name) },
      );
    },
  },
  groupPayload('updateRbacGroup', 'The group as changed; null when the change failed.'),
);

builder.relayMutationField(
  'deleteRbacGroup',
  {
    description: 'Deletes an RBAC group.',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The group to delete (rbac_group_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { rbacWrite: true },
    description:
      'Deletes an RBAC group (DELETE /v1/organizations/rbac_groups/{id}). Its members stay in their organizations but lose the group’s roles. A group from the identity provider (SCIM), or one whose roles grant owner access, cannot be deleted through the API: NOT_PERMITTED.',
    resolve: async (_root, { input }, ctx) =>
      runRbacMutation(PATHS, () => deleteRbacGroup(ctx.api, input.rbacGroupId), {
        settle: settleDelete(ctx.api, input.rbacGroupId),
      }),
  },
  {
    description: 'The result of deleteRbacGroup.',
    outputFields: (t) => ({
      deletedRbacGroupId: t.id({
        nullable: true,
        description: 'The id of the deleted group; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

builder.relayMutationField(
  'addRbacGroupMember',
  {
    description: 'Adds a user to an RBAC group.',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The group (rbac_group_…).' }),
      userId: t.id({
        required: true,
        description: 'The user to add (user_…): a member of any organization of the enterprise.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { rbacWrite: true },
    description:
      'Adds a user to an RBAC group (POST /v1/organizations/rbac_groups/{id}/members). A user outside the enterprise is NOT_FOUND (on `userId`), a user already in the group ALREADY_EXISTS; the members of a group from the identity provider (SCIM), or of one whose roles grant owner access, cannot be changed through the API: NOT_PERMITTED.',
    resolve: async (_root, { input }, ctx) =>
      runRbacMutation(PATHS, () => addRbacGroupMember(ctx.api, input.rbacGroupId, input.userId), {
        settle: settleAdd(ctx.api, input.rbacGroupId, input.userId),
      }),
  },
  resultPayload(
    'addRbacGroupMember',
    'rbacGroupMember',
    RbacGroupMember,
    'The new membership; null when nothing was added.',
  ),
);

builder.relayMutationField(
  'removeRbacGroupMember',
  {
    description: 'Removes a user from an RBAC group.',
    inputFields: (t) => ({
      rbacGroupId: t.id({ required: true, description: 'The group (rbac_group_…).' }),
      userId: t.id({ required: true, description: 'The member to remove (user_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { rbacWrite: true },
    description:
      'Removes a user from an RBAC group (DELETE /v1/organizations/rbac_groups/{id}/members/{user_id}); the user stays in their organization but loses the group’s roles. A user not in the group is NOT_FOUND (on `userId`); SCIM and owner-access groups as for addRbacGroupMember.',
    resolve: async (_root, { input }, ctx) =>
      runRbacMutation(
        PATHS,
        () => removeRbacGroupMember(ctx.api, input.rbacGroupId, input.userId),
        { settle: settleRemove(ctx.api, input.rbacGroupId, input.userId) },
      ),
  },
  {
    description: 'The result of removeRbacGroupMember.',
    outputFields: (t) => ({
      removedUserId: t.id({
        nullable: true,
        description: 'The id of the user removed from the group; null when nothing was removed.',
        resolve: (payload) => payload.result?.user_id ?? null,
      }),
      rbacGroup: t.field({
        type: RbacGroup,
        nullable: true,
        description: 'The group after the change (read anew); null when it does not exist.',
        extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.rbacGroups.load(payload.result.rbac_group_id) : null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
