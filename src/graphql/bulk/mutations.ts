import {
  insertBulkOperation,
  newBulkOperationId,
  type BulkItemRow,
  type BulkKind,
  type BulkTarget,
} from '../../db/bulk.js';
import { isId, type IdKind } from '../../domain/ids.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { ApiKeyStatus, OrganizationRole, WorkspaceRole } from '../lib/enums.js';
import type { Outcome } from '../lib/payload.js';
import { EmailAddress } from '../lib/scalars.js';
import { userErrorsField, type UserErrorShape } from '../lib/user-error.js';
import { ASSIGNABLE_ROLES } from '../nodes/user.js';
import { BulkOperation, type BulkOperationShape } from './bulk-operation.js';

/** The most items one bulk operation takes (for members: users × workspaces). */
export const MAX_BULK_ITEMS = 5_000;

/**
 * A bulk mutation's outcome: the job started (`result`), or a dry run's `preview`, kept apart
 * because a dry run's payload answers no result (the audit trail's dry-run rule).
 */
type Result = Outcome<BulkOperationShape> & { preview?: BulkOperationShape };

/** An item's validation: its target, and the errors that keep it (and the job) from starting. */
interface Planned {
  target: BulkTarget;
  errors: UserErrorShape[];
}

const invalid = (message: string, field: string[]): UserErrorShape => ({
  message,
  code: 'INVALID_INPUT',
  field,
});

/** Errors for malformed or repeated ids of `kind` in the list at `path`. */
function checkIds(kind: IdKind, ids: readonly string[], path: string[], label: string) {
  const errors = new Map<number, UserErrorShape>();
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const field = [...path, String(index)];
    if (!isId(kind, id)) {
      errors.set(
        index,
        invalid(`${JSON.stringify(String(id).slice(0, 100))} is not ${label}.`, field),
      );
    } else if (seen.has(id)) {
      errors.set(index, invalid(`${id} is listed twice (also at ${seen.get(id)}).`, field));
    } else seen.set(id, index);
  });
  return errors;
}

/**
 * Starts a bulk job from validated items, or answers why not: any invalid item keeps the whole
 * job from starting. In a dry run nothing is stored or sent: the answer is a preview (status
 * DRY_RUN) with each item's predicted userErrors.
 */
async function start(
  ctx: GatewayContext,
  kind: BulkKind,
  planned: Planned[],
  inputErrors: UserErrorShape[] = [],
): Promise<Result> {
  const userErrors = [...inputErrors, ...planned.flatMap((item) => item.errors)];
  if (planned.length === 0) {
    userErrors.unshift(invalid('Give at least one item.', ['input']));
  } else if (planned.length > MAX_BULK_ITEMS) {
    return {
      result: null,
      userErrors: [
        invalid(
          `A bulk operation takes at most ${MAX_BULK_ITEMS} items; this one has ${planned.length}.`,
          ['input'],
        ),
      ],
    };
  }
  const row = {
    id: newBulkOperationId(),
    seq: 0,
    kind,
    credential: ctx.api.credential.fingerprint,
    createdBy: ctx.caller.name,
    total: planned.length,
    cancelRequested: false,
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
  };
  if (ctx.dryRun) {
    const preview: BulkItemRow[] = planned.map((item, index) => ({
      index,
      target: item.target,
      status: 'PENDING',
      userErrors: item.errors,
      upstreamRequestId: null,
      sends: 0,
    }));
    return { result: null, preview: { row: { ...row, status: 'DRY_RUN' }, preview }, userErrors };
  }
  if (userErrors.length > 0) return { result: null, userErrors };
  // Jobs outlive the request: they run with the gateway's own credential, never a caller's.
  if (!ctx.bulk || ctx.bulk.credential !== ctx.api.credential.fingerprint) {
    return {
      result: null,
      userErrors: [
        {
          message:
            'Bulk operations run with the gateway’s own Admin API key, which this request does not act with (a forwarded credential, or no key set): send it without a credential of your own.',
          code: 'NOT_PERMITTED',
          field: null,
        },
      ],
    };
  }
  const stored = await insertBulkOperation(await ctx.database(), {
    id: row.id,
    kind,
    credential: row.credential,
    createdBy: row.createdBy,
    targets: planned.map((item) => item.target),
  });
  ctx.bulk.wake();
  return { result: { row: stored }, userErrors: [] };
}

const payload = (mutation: string) => ({
  description: `The result of ${mutation}.`,
  outputFields: (
    t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, Result>,
  ) => ({
    bulkOperation: t.field({
      type: BulkOperation,
      nullable: true,
      description:
        'The job started (status QUEUED), or a dry run’s preview (status DRY_RUN, not stored); null when the input was refused.',
      resolve: (result) => result.result ?? result.preview ?? null,
    }),
    userErrors: userErrorsField(t),
  }),
});

const SCOPE_NOTE =
  'Needs the scopes of the single mutation. Answers at once; the items are sent by the gateway’s bulk runner, paced within BULK_BUDGET_SHARE of the upstream budget. With a dry run, validates and previews without starting anything.';

builder.relayMutationField(
  'bulkAddWorkspaceMembers',
  {
    description: 'Adds every user given to every workspace given, with one role.',
    inputFields: (t) => ({
      userIds: t.idList({ required: true, description: 'Organization members to add (user_…).' }),
      workspaceIds: t.idList({
        required: true,
        description: 'Workspaces to add them to (wrkspc_…).',
      }),
      role: t.field({
        type: WorkspaceRole.ref,
        required: true,
        description: 'The role in each workspace; WORKSPACE_BILLING cannot be given.',
      }),
    }),
  },
  {
    authScopes: { membersWrite: true },
    description: `Starts a bulk operation of users × workspaces addWorkspaceMember items (at most ${MAX_BULK_ITEMS}). A user who is already a member counts as done. ${SCOPE_NOTE}`,
    resolve: async (_root, { input }, ctx): Promise<Result> => {
      const users = checkIds(
        'user',
        input.userIds.map(String),
        ['input', 'userIds'],
        'a user id (user_…)',
      );
      const workspaces = checkIds(
        'workspace',
        input.workspaceIds.map(String),
        ['input', 'workspaceIds'],
        'a workspace id (wrkspc_…)',
      );
      const inputErrors: UserErrorShape[] = [...users.values(), ...workspaces.values()];
      if (input.role === 'workspace_billing' || input.role === '__unknown__') {
        inputErrors.push(
          invalid(
            'WORKSPACE_BILLING cannot be given by hand; it comes with the organization billing role.',
            ['input', 'role'],
          ),
        );
      }
      const size = input.userIds.length * input.workspaceIds.length;
      if (size > MAX_BULK_ITEMS) {
        return {
          result: null,
          userErrors: [
            invalid(
              `A bulk operation takes at most ${MAX_BULK_ITEMS} items; ${input.userIds.length} users × ${input.workspaceIds.length} workspaces make ${size}.`,
              ['input'],
            ),
          ],
        };
      }
      const planned: Planned[] = [];
      input.workspaceIds.forEach((workspaceId) =>
        input.userIds.forEach((userId) =>
          planned.push({
            target: { workspaceId: String(workspaceId), userId: String(userId), role: input.role },
            errors: [],
          }),
        ),
      );
      return start(ctx, 'ADD_WORKSPACE_MEMBERS', planned, inputErrors);
    },
  },
  payload('bulkAddWorkspaceMembers'),
);

builder.relayMutationField(
  'bulkCreateInvites',
  {
    description: 'Invites every address given, with one role.',
    inputFields: (t) => ({
      emails: t.field({
        type: [EmailAddress],
        required: true,
        description: 'The addresses to invite, each once.',
      }),
      role: t.field({
        type: OrganizationRole.ref,
        required: true,
        description:
          'The role the new members will have (USER, DEVELOPER, BILLING, CLAUDE_CODE_USER or MANAGED).',
      }),
    }),
  },
  {
    authScopes: { membersWrite: true },
    description: `Starts a bulk operation of createInvite items (at most ${MAX_BULK_ITEMS}). An address that already has a pending invitation counts as done. ${SCOPE_NOTE}`,
    resolve: (_root, { input }, ctx) => {
      const inputErrors: UserErrorShape[] = [];
      if (!ASSIGNABLE_ROLES.has(input.role)) {
        inputErrors.push(
          invalid(
            'This role cannot be given through the Admin API; assignable roles are USER, DEVELOPER, BILLING, CLAUDE_CODE_USER and MANAGED.',
            ['input', 'role'],
          ),
        );
      }
      const seen = new Map<string, number>();
      const planned = input.emails.map((email, index): Planned => {
        const key = String(email).toLowerCase();
        const errors = seen.has(key)
          ? [
              invalid(`${String(email)} is listed twice (also at ${seen.get(key)}).`, [
                'input',
                'emails',
                String(index),
              ]),
            ]
          : [];
        if (!seen.has(key)) seen.set(key, index);
        return { target: { email: String(email), role: input.role }, errors };
      });
      return start(ctx, 'CREATE_INVITES', planned, inputErrors);
    },
  },
  payload('bulkCreateInvites'),
);

const ApiKeyChange = builder.inputType('BulkApiKeyChange', {
  description: 'One API key of bulkUpdateApiKeys and what to change on it.',
  fields: (t) => ({
    apiKeyId: t.id({ required: true, description: 'The key to change (apikey_…).' }),
    name: t.string({ description: 'Its new name.' }),
    status: t.field({
      type: ApiKeyStatus.ref,
      description: 'Its new status: ACTIVE, INACTIVE or ARCHIVED (archiving is final).',
    }),
  }),
});

builder.relayMutationField(
  'bulkUpdateApiKeys',
  {
    description: 'Renames API keys or changes their status, each as given.',
    inputFields: (t) => ({
      keys: t.field({
        type: [ApiKeyChange],
        required: true,
        description: 'The keys and their changes, each key once.',
      }),
    }),
  },
  {
    authScopes: { apiKeysWrite: true },
    description: `Starts a bulk operation of updateApiKey items (at most ${MAX_BULK_ITEMS}). ${SCOPE_NOTE}`,
    resolve: (_root, { input }, ctx) => {
      const ids = checkIds(
        'apiKey',
        input.keys.map((key) => String(key.apiKeyId)),
        ['input', 'keys'],
        'an API key id (apikey_…)',
      );
      const planned = input.keys.map((key, index): Planned => {
        const field = ['input', 'keys', String(index)];
        const errors: UserErrorShape[] = [];
        const idError = ids.get(index);
        if (idError) errors.push({ ...idError, field: [...field, 'apiKeyId'] });
        if (key.name == null && key.status == null) {
          errors.push(invalid('Give a new name, a new status, or both.', field));
        }
        if (key.name === '') errors.push(invalid('The name cannot be empty.', [...field, 'name']));
        if (key.status === 'expired' || key.status === '__unknown__') {
          errors.push(
            invalid('The status can be set to ACTIVE, INACTIVE or ARCHIVED.', [...field, 'status']),
          );
        }
        return {
          target: {
            apiKeyId: String(key.apiKeyId),
            ...(key.name != null ? { name: key.name } : {}),
            ...(key.status != null ? { status: key.status } : {}),
          },
          errors,
        };
      });
      return start(ctx, 'UPDATE_API_KEYS', planned);
    },
  },
  payload('bulkUpdateApiKeys'),
);

builder.relayMutationField(
  'bulkRemoveUsers',
  {
    description: 'Removes members from the organization.',
    inputFields: (t) => ({
      userIds: t.idList({
        required: true,
        description: 'The members to remove (user_…), each once.',
      }),
    }),
  },
  {
    authScopes: { membersWrite: true },
    description: `Starts a bulk operation of removeUser items (at most ${MAX_BULK_ITEMS}). A member already gone when their removal is read back counts as done. ${SCOPE_NOTE}`,
    resolve: (_root, { input }, ctx) => {
      const ids = checkIds(
        'user',
        input.userIds.map(String),
        ['input', 'userIds'],
        'a user id (user_…)',
      );
      const planned = input.userIds.map((userId, index): Planned => ({
        target: { userId: String(userId) },
        errors: ids.has(index) ? [ids.get(index)!] : [],
      }));
      return start(ctx, 'REMOVE_USERS', planned);
    },
  },
  payload('bulkRemoveUsers'),
);
