import { invalidRequest, notFound } from '../transport/errors.js';
import { fieldValue, isObject, objectBody } from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { RATE_LIMIT_GROUPS } from './reports/catalog.js';
import { workspaceRateLimits } from './reports/rate-limits.js';
import { renderUser, requireUser } from './users.js';
import { codedRefusal, spendState } from './spend-limits.js';

/*
 * Three controls of the emulated organization, stateful like the rest:
 * - POST /workspaces/{id}/rate_limits/{rate_limit_id}: a workspace's overrides for one group; what
 *   it sets or clears is applied to GET /workspaces/{id}/rate_limits (rate-limit-edits.ts).
 *   The Default Workspace cannot have overrides; limiter types must be the group's.
 * - POST /users/{id}/sign_out: refuses the primary owner (400), owners, membership admins and
 *   managed members (403), each with its `error_code`; 400 `organization_not_enrolled_in_beta`
 *   while the `userSignOut` feature is off (spend-limits.ts, setSandboxFeatures).
 * - GET/POST /compliance_settings: the singleton, enabled at first.
 */

const REFUSALS: Record<string, [status: number, code: string, message: string]> = {
  primary_owner: [
    400,
    'cannot_sign_out_primary_owner',
    "The organization's primary owner cannot be signed out.",
  ],
  owner: [
    403,
    'cannot_sign_out_owner',
    'This API key cannot sign out an owner or a member with owner permissions.',
  ],
  membership_admin: [
    403,
    'cannot_sign_out_membership_admin',
    'The person this API key belongs to may not sign out membership admins.',
  ],
  managed: [
    403,
    'cannot_sign_out_managed_member',
    'This API key cannot sign out a managed member; an API key with the write:members scope can.',
  ],
};

export const organizationControlRoutes: Route[] = [
  route(
    'POST',
    '/v1/organizations/workspaces/:workspace_id/rate_limits/:rate_limit_id',
    ({ store, params, body }) => {
      const workspaceId = params['workspace_id'] ?? '';
      const workspace = store.workspaces.get(workspaceId);
      if (!workspace) throw notFound('No workspace with the given ID exists in this organization.');
      const group = RATE_LIMIT_GROUPS.find((candidate) => candidate.id === params['rate_limit_id']);
      if (!group) throw notFound('No rate limit with the given ID exists in this organization.');
      if (workspace.isDefault) {
        throw invalidRequest('The Default Workspace cannot have rate limit overrides.');
      }
      if (workspace.archivedAt !== null) throw invalidRequest('The workspace is archived.');
      const input = objectBody(body, ['limits']);
      const limits = fieldValue(input, 'limits', { required: true });
      if (!Array.isArray(limits) || limits.length === 0) {
        throw invalidRequest('limits: Input should be a non-empty list');
      }
      const changes = new Map<string, number | null>();
      for (const [index, item] of limits.entries()) {
        if (!isObject(item)) throw invalidRequest(`limits.${index}: Input should be an object`);
        const type = item['type'];
        if (typeof type !== 'string' || !group.limits.some((limit) => limit.type === type)) {
          throw invalidRequest(
            `limits.${index}.type: '${String(type)}' is not a limiter of this rate limit group`,
          );
        }
        const value = item['value'];
        if (
          value !== null &&
          (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        ) {
          throw invalidRequest(
            `limits.${index}.value: Input should be a non-negative integer or null`,
          );
        }
        changes.set(type, value);
      }
      const edits = spendState(store).rateLimitEdits;
      let byGroup = edits.get(workspace.id);
      if (!byGroup) edits.set(workspace.id, (byGroup = new Map()));
      const groupEdits = byGroup.get(group.id) ?? new Map<string, number | null>();
      for (const [type, value] of changes) groupEdits.set(type, value);
      byGroup.set(group.id, groupEdits);
      // The group's entry with the request applied, as the list shows it.
      const listed = workspaceRateLimits(store, workspace.id, {}).data.find(
        (entry) => entry.rate_limit_id === group.id,
      );
      return (
        listed ?? {
          group_type: group.group_type,
          limits: [],
          models: group.models ? [...group.models] : null,
          rate_limit_id: group.id,
          type: 'workspace_rate_limit',
          workspace_id: workspace.id,
        }
      );
    },
  ),

  route('POST', '/v1/organizations/users/:user_id/sign_out', ({ store, params, body }) => {
    objectBody(body, []);
    if (!spendState(store).features.userSignOut) {
      throw codedRefusal(
        400,
        'organization_not_enrolled_in_beta',
        'The beta admin-user-sign-out-2026-10-08 is not enabled for this organization.',
      );
    }
    const user = requireUser(store, params['user_id']);
    const refusal = REFUSALS[user.role];
    if (refusal) throw codedRefusal(...refusal);
    return renderUser(user);
  }),

  route('GET', '/v1/organizations/compliance_settings', ({ store }) => ({
    state: { type: spendState(store).compliance },
    type: 'compliance_settings',
  })),

  route('POST', '/v1/organizations/compliance_settings', ({ store, body }) => {
    const input = objectBody(body, ['state']);
    const raw = fieldValue(input, 'state', { required: true });
    const type = isObject(raw) ? raw['type'] : raw;
    if (type !== 'enabled' && type !== 'disabled') {
      throw invalidRequest("state: Input should be 'enabled' or 'disabled'");
    }
    const state = spendState(store);
    state.compliance = type;
    return { state: { type }, type: 'compliance_settings' };
  }),
];
