import type {
  BetaComplianceSettings,
  ComplianceSettingUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/compliance-settings';
import type { BetaOrganizationUser } from '@anthropic-ai/sdk/resources/beta/organization/users';
import type {
  BetaWorkspaceRateLimit,
  BetaWorkspaceRateLimitUpdateValue,
} from '@anthropic-ai/sdk/resources/beta/organization/workspaces/rate-limits';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import type { UpstreamOperation } from '../upstream.js';
import { coded } from './coded-errors.js';

/*
 * Three small controls of an organization, each a write with no list of its own:
 * - a workspace's rate-limit override for one group (POST /workspaces/{id}/rate_limits/{group});
 *   the workspace's overrides are read by Workspace.rateLimits, cached with the reports, which this
 *   write therefore invalidates;
 * - signing a member out everywhere (POST /users/{id}/sign_out, beta
 *   `admin-user-sign-out-2026-10-08`, which the SDK sends itself). An organization that is not
 *   enrolled answers 400 `organization_not_enrolled_in_beta`, which becomes NOT_ENABLED (see
 *   coded-errors.ts); its six typed refusals (`cannot_sign_out_self`, …) keep their code;
 * - the organization's Compliance Settings, a singleton (GET/POST /compliance_settings).
 */

export type { BetaComplianceSettings, BetaOrganizationUser, BetaWorkspaceRateLimit };
export type RateLimitUpdate = BetaWorkspaceRateLimitUpdateValue;

/** The beta user sign-out needs. */
export const USER_SIGN_OUT_BETA = 'admin-user-sign-out-2026-10-08';

/**
 * What a rate-limit group id may look like: the Admin API documents no shape for it, so the
 * gateway only makes sure it is one plain path segment.
 */
export const RATE_LIMIT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export class InvalidRateLimitIdError extends Error {
  override name = 'InvalidRateLimitIdError';
  constructor(readonly value: string) {
    super(
      `${JSON.stringify(value.slice(0, 100))} is not a rate-limit group id (letters, digits, _ and -).`,
    );
  }
}

const COMPLIANCE = 'compliance' as const;
const COMPLIANCE_KEY = 'entity:compliance_settings';

export function updateWorkspaceRateLimit(
  api: AdminApi,
  workspaceId: string,
  rateLimitId: string,
  limits: RateLimitUpdate[],
): Promise<BetaWorkspaceRateLimit> {
  checkId('workspace', workspaceId);
  if (!RATE_LIMIT_ID.test(rateLimitId)) throw new InvalidRateLimitIdError(rateLimitId);
  const operation: UpstreamOperation = {
    name: 'workspace_rate_limits.update',
    method: 'POST',
    write: true,
  };
  return api.write<BetaWorkspaceRateLimit>(
    operation,
    coded((org, opts) =>
      org.workspaces.rateLimits.update(rateLimitId, { workspace_id: workspaceId, limits }, opts),
    ),
    ['reports'],
  );
}

export function signOutUser(api: AdminApi, userId: string): Promise<BetaOrganizationUser> {
  checkId('user', userId);
  const operation: UpstreamOperation = {
    name: 'users.sign_out',
    method: 'POST',
    write: true,
  };
  // No `gate`: a 404 here is an unknown user. Signing out changes no record the gateway reads,
  // so there is nothing to invalidate.
  return api.write<BetaOrganizationUser>(
    operation,
    coded((org, opts) => org.users.signOut(userId, {}, opts), undefined, USER_SIGN_OUT_BETA),
    [],
  );
}

export function getComplianceSettings(api: AdminApi): Promise<BetaComplianceSettings> {
  return api.read(
    COMPLIANCE,
    COMPLIANCE_KEY,
    { name: 'compliance_settings.get', method: 'GET', write: false },
    coded((org, opts) => org.complianceSettings.retrieve({}, opts)),
  );
}

export function updateComplianceSettings(
  api: AdminApi,
  state: ComplianceSettingUpdateParams['state'],
): Promise<BetaComplianceSettings> {
  return api.write<BetaComplianceSettings>(
    { name: 'compliance_settings.update', method: 'POST', write: true },
    coded((org, opts) => org.complianceSettings.update({ state }, opts)),
    [COMPLIANCE],
    () => [COMPLIANCE, COMPLIANCE_KEY.slice('entity:'.length)],
  );
}
