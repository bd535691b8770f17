/**
 * The Admin API's objects as the gateway uses them (CONTRACT.md §2). These are the gateway's own
 * types: the schema depends on them, never on the SDK's.
 */

export interface AdminOrganization {
  type: 'organization';
  id: string;
  name: string;
}

export interface AdminUser {
  type: 'user';
  id: string;
  added_at: string;
  email: string;
  name: string;
  role: string;
}

export interface AdminInvite {
  type: 'invite';
  id: string;
  accepted_at: string | null;
  email: string;
  expires_at: string;
  invited_at: string;
  rbac_group_ids: string[];
  role: string;
  status: string;
}

export interface AdminDataResidency {
  allowed_inference_geos: string[] | 'unrestricted';
  default_inference_geo: string;
  workspace_geo: string;
}

export interface AdminWorkspace {
  type: 'workspace';
  id: string;
  archived_at: string | null;
  compartment_id: string;
  created_at: string;
  data_residency: AdminDataResidency;
  display_color: string;
  external_key_id: string | null;
  name: string;
  tags: Record<string, string>;
}

export interface AdminWorkspaceMember {
  type: 'workspace_member';
  user_id: string;
  workspace_id: string;
  workspace_role: string;
}

export interface AdminActor {
  id: string;
  type: string;
}

export interface AdminApiKey {
  type: 'api_key';
  id: string;
  created_at: string;
  created_by: AdminActor | null;
  expires_at: string | null;
  name: string;
  partial_key_hint: string | null;
  principal: AdminActor | null;
  status: string;
  /** null = the Default Workspace. */
  workspace_id: string | null;
}

/** One page of an ID-cursor list (CONTRACT.md §1.9). */
export interface AdminPage<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** Cursor parameters shared by every list endpoint. */
export interface PageQuery {
  limit?: number;
  after_id?: string;
  before_id?: string;
}

export interface UserListQuery extends PageQuery {
  email?: string;
  roles?: string[];
}

export interface InviteListQuery extends PageQuery {
  email?: string;
  roles?: string[];
  statuses?: string[];
}

export interface WorkspaceListQuery extends PageQuery {
  include_archived?: boolean;
}

export interface ApiKeyListQuery extends PageQuery {
  created_by_user_id?: string;
  status?: string;
  workspace_id?: string;
}

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

export interface ApiKeyUpdateBody {
  name?: string;
  status?: string;
}

// Reports (REPORTS.md): usage, cost, Claude Code usage, rate limits.

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

/** GET /v1/organizations/rate_limits (REPORTS.md §4.1); the workspace endpoint takes no `model`. */
export interface RateLimitQuery {
  group_type?: string;
  model?: string;
  page?: string;
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

export interface AdminRateLimit {
  type: 'rate_limit';
  id: string;
  group_type: string;
  limits: { type: string; value: number }[];
  /** null unless `group_type` is `model_group`. */
  models: string[] | null;
}

export interface AdminWorkspaceRateLimit {
  type: 'workspace_rate_limit';
  group_type: string;
  limits: { type: string; value: number; org_limit: number | null }[];
  models: string[] | null;
  rate_limit_id: string;
  workspace_id: string;
}

/** A rate-limit list page: `next_page` only, no `has_more`. */
export interface AdminRateLimitPage<T> {
  data: T[];
  next_page: string | null;
}
