import type { PageCursorResponse, PageResponse } from '@anthropic-ai/sdk/core/pagination';
import type {
  APIKeyListParams,
  APIKeyUpdateParams,
  BetaAPIKey,
  BetaAPIKeyCreatedBy,
  BetaAPIKeyServiceAccountActor,
  BetaAPIKeyUserActor,
} from '@anthropic-ai/sdk/resources/beta/organization/api-keys';
import type { InviteListParams } from '@anthropic-ai/sdk/resources/beta/organization/invites';
import type { BetaOrganization } from '@anthropic-ai/sdk/resources/beta/organization/organization';
import type {
  BetaOrganizationRateLimit,
  RateLimitListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/rate-limits';
import type {
  BetaOrganizationUser,
  UserListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/users';
import type {
  BetaWorkspaceRateLimit,
  RateLimitListParams as WorkspaceRateLimitListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/workspaces/rate-limits';
import type {
  BetaDataResidency,
  BetaWorkspace,
  BetaWorkspaceMember,
  WorkspaceListParams,
} from '@anthropic-ai/sdk/resources/beta/organization/workspaces/workspaces';
import type { BetaOrganizationInvite } from '@anthropic-ai/sdk/resources/beta/organization/invites';

/**
 * The Admin API's objects as the gateway reads them: the SDK's own types, for the API version the
 * gateway sends (2026-10-21, ADMIN_API_VERSION). The names are the gateway's, the shapes the
 * SDK's, so that a change of the SDK's types shows up here at compile time.
 */

export type AdminOrganization = BetaOrganization;
export type AdminUser = BetaOrganizationUser;
export type AdminInvite = BetaOrganizationInvite;
export type AdminDataResidency = BetaDataResidency;
export type AdminWorkspace = BetaWorkspace;
export type AdminWorkspaceMember = BetaWorkspaceMember;
/**
 * An API key. Where it belongs is its `scope`: its workspace with the workspace's real id (the
 * Default Workspace's included), or the organization for a principal-bound key with no workspace.
 */
export type AdminApiKey = BetaAPIKey;
/** Who created a key: `{ id, type: 'user' | 'service_account' }`. */
export type AdminKeyCreator = BetaAPIKeyCreatedBy;
/** Whom a key acts as: `user_actor { user_id }` or `service_account_actor { service_account_id }`. */
export type AdminKeyPrincipal = BetaAPIKeyUserActor | BetaAPIKeyServiceAccountActor;

/** One page of an ID-cursor list (CONTRACT.md §1.9): the SDK's page, as plain data. */
export type AdminPage<T> = PageResponse<T>;

/** Cursor parameters shared by every list endpoint. */
export interface PageQuery {
  limit?: number;
  after_id?: string;
  before_id?: string;
}

export type UserListQuery = PageQuery & Pick<UserListParams, 'email' | 'roles'>;

/** Invite filters; `statuses` are checked against the SDK's values before they are sent. */
export type InviteListQuery = PageQuery &
  Pick<InviteListParams, 'email' | 'roles'> & { statuses?: string[] };

export type WorkspaceListQuery = PageQuery &
  Pick<WorkspaceListParams, 'include_archived' | 'include_default' | 'ids'>;

/** API key filters; `status` is checked against the SDK's values before it is sent. */
export type ApiKeyListQuery = PageQuery &
  Pick<APIKeyListParams, 'created_by_user_id' | 'workspace_id'> & { status?: string };

export interface DataResidencyInput {
  allowed_inference_geos?: string[] | 'unrestricted';
  default_inference_geo?: string;
  workspace_geo?: string;
}

export interface WorkspaceCreateBody {
  name: string;
  tags?: Record<string, string>;
  data_residency?: DataResidencyInput;
}

export interface WorkspaceUpdateBody {
  name?: string;
  tags?: Record<string, string>;
  data_residency?: Omit<DataResidencyInput, 'workspace_geo'>;
}

/** A key change; `status` is checked against the SDK's settable values before it is sent. */
export type ApiKeyUpdateBody = Pick<APIKeyUpdateParams, 'name'> & { status?: string };

// Reports (REPORTS.md): usage, cost, Claude Code usage. The SDK has no method and no types for
// these three paths (its `analytics` resources serve other, Enterprise-only paths), so their
// queries and answers are declared here, after REPORTS.md. Rate limits have SDK types (below).

/** Bucket sizes of the Messages usage report; the cost report knows `1d` only. */
export type ReportBucketWidth = '1d' | '1h' | '1m';

/** Token paging of the report endpoints: `page` in, `next_page` out. */
export interface ReportPageQuery {
  limit?: number;
  page?: string;
}

/** GET /v1/organizations/usage_report/messages (REPORTS.md §1.2). Arrays are sent as `name[]`. */
export interface MessagesUsageQuery extends ReportPageQuery {
  starting_at: string;
  ending_at?: string;
  bucket_width?: ReportBucketWidth;
  group_by?: string[];
  account_ids?: string[];
  api_key_ids?: string[];
  /** Singular upstream, though it takes several values. */
  context_window?: string[];
  inference_geos?: string[];
  models?: string[];
  service_account_ids?: string[];
  service_tiers?: string[];
  speeds?: string[];
  workspace_ids?: string[];
}

/** GET /v1/organizations/cost_report (REPORTS.md §2.1). */
export interface CostReportQuery extends ReportPageQuery {
  starting_at: string;
  ending_at?: string;
  group_by?: string[];
}

/** GET /v1/organizations/usage_report/claude_code (REPORTS.md §3.1); `starting_at` is a day. */
export interface ClaudeCodeUsageQuery extends ReportPageQuery {
  starting_at: string;
}

/** One page of a bucketed or record report. */
export interface AdminReportPage<T> {
  data: T[];
  has_more: boolean;
  /** null exactly when `has_more` is false. */
  next_page: string | null;
}

export interface AdminReportBucket<T> {
  starting_at: string;
  ending_at: string;
  results: T[];
}

export interface AdminMessagesUsageResult {
  account_id: string | null;
  api_key_id: string | null;
  cache_creation: { ephemeral_1h_input_tokens: number; ephemeral_5m_input_tokens: number };
  cache_read_input_tokens: number;
  context_window: string | null;
  inference_geo: string | null;
  model: string | null;
  output_tokens: number;
  server_tool_use: { web_search_requests: number };
  service_account_id: string | null;
  service_tier: string | null;
  /** Not in the current reference; present only when grouped by speed, if at all. */
  speed?: string | null;
  uncached_input_tokens: number;
  /** null when not grouped by workspace, or for the Default Workspace. */
  workspace_id: string | null;
}

export interface AdminCostResult {
  /** Decimal string in the currency's minor unit (cents for USD), e.g. "123.45". */
  amount: string;
  context_window: string | null;
  cost_type: string | null;
  currency: string;
  description: string | null;
  inference_geo: string | null;
  model: string | null;
  service_tier: string | null;
  token_type: string | null;
  workspace_id: string | null;
}

export type AdminClaudeCodeActor =
  | { type: 'user_actor'; email_address: string }
  | { type: 'api_actor'; api_key_name: string }
  | { type: string; [field: string]: unknown };

export interface AdminClaudeCodeRecord {
  actor: AdminClaudeCodeActor;
  core_metrics: {
    commits_by_claude_code: number;
    lines_of_code: { added: number; removed: number };
    num_sessions: number;
    pull_requests_by_claude_code: number;
  };
  customer_type: string;
  /** RFC 3339 midnight of the UTC day. */
  date: string;
  is_remote: boolean;
  model_breakdown: {
    /** `amount` in minor units (cents), a number here. */
    estimated_cost: { amount: number; currency: string };
    model: string;
    tokens: { cache_creation: number; cache_read: number; input: number; output: number };
  }[];
  organization_id: string;
  terminal_type: string;
  tool_actions: Record<string, { accepted: number; rejected: number }>;
  subscription_type?: string | null;
}

/** An organization rate-limit entry: its `group { id, type, display_name? }`, limits and models. */
export type AdminRateLimit = BetaOrganizationRateLimit;

/** A workspace's limits for one group; each value says its `source` (workspace or organization). */
export type AdminWorkspaceRateLimit = BetaWorkspaceRateLimit;

/** A rate-limit list page (the SDK's PageCursor): `next_page` only, no `has_more`. */
export type AdminRateLimitPage<T> = PageCursorResponse<T>;

/** GET /v1/organizations/rate_limits (REPORTS.md §4.1); `group_type` is checked before it is sent. */
export type RateLimitQuery = Pick<RateLimitListParams, 'model' | 'page'> & { group_type?: string };

/** GET /v1/organizations/workspaces/{id}/rate_limits: no `model`, but `include_inherited`. */
export type WorkspaceRateLimitQuery = Pick<
  WorkspaceRateLimitListParams,
  'include_inherited' | 'page'
> & {
  group_type?: string;
};
