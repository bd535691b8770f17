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
