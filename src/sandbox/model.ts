import type { Micros } from './time.js';

/*
 * The emulated organization's records and constants, apart from the store that holds them and
 * the seed that fills it (both read this; neither imports the other's module for them).
 */

export const USER_ROLES = [
  'admin',
  'billing',
  'claude_code_user',
  'developer',
  'managed',
  'membership_admin',
  'owner',
  'primary_owner',
  'user',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles a Console organization can hand out through the API (user update, invite create). */
export const ASSIGNABLE_ROLES = ['billing', 'claude_code_user', 'developer', 'user'] as const;

/** Org roles whose holders cannot be changed or removed through the API. */
export const PROTECTED_ROLES: readonly UserRole[] = [
  'admin',
  'owner',
  'primary_owner',
  'membership_admin',
];

export const INVITE_STATUSES = ['accepted', 'deleted', 'expired', 'pending'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export const WORKSPACE_ROLES = [
  'workspace_admin',
  'workspace_billing',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const API_KEY_STATUSES = ['active', 'archived', 'expired', 'inactive'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export const INFERENCE_GEOS = ['global', 'us'] as const;
export const WORKSPACE_GEOS = ['us'] as const;

/** Colours the Console uses for workspaces; new workspaces get one of these. */
export const DISPLAY_COLORS = [
  '#6C5BB9',
  '#D97757',
  '#4A90B8',
  '#5B9A6B',
  '#C4A43A',
  '#B85C8A',
  '#3FA7A0',
  '#8C6D4F',
] as const;

/** Invites expire this long after they are sent. */
export const INVITE_LIFETIME_DAYS = 21;

/** Most active (non-archived) workspaces an organization may hold, the Default one excluded. */
export const MAX_ACTIVE_WORKSPACES = 100;

export interface Organization {
  id: string;
  name: string;
}

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  addedAt: Micros;
}

export interface InviteRecord {
  id: string;
  email: string;
  role: UserRole;
  invitedAt: Micros;
  expiresAt: Micros;
  acceptedAt: Micros | null;
  /** Stored status; `pending` past `expiresAt` reads as `expired` (see `inviteStatus`). */
  status: InviteStatus;
  rbacGroupIds: string[];
}

export interface DataResidency {
  allowedInferenceGeos: string[] | 'unrestricted';
  defaultInferenceGeo: string;
  workspaceGeo: string;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: Micros;
  archivedAt: Micros | null;
  compartmentId: string;
  displayColor: string;
  externalKeyId: string | null;
  dataResidency: DataResidency;
  tags: Record<string, string>;
  isDefault: boolean;
  /** The user profile requests are attributed to (2026-10-21 `user_profile_id`); never the Default's. */
  userProfileId?: string | null;
}

/** A membership assigned by hand (inherited ones are derived from org roles). */
export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  addedAt: Micros;
}

export interface Actor {
  id: string;
  type: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: Micros;
  createdBy: Actor | null;
  expiresAt: Micros | null;
  partialKeyHint: string | null;
  principal: Actor | null;
  /** Stored status; `active`/`inactive` past `expiresAt` reads as `expired`. */
  status: ApiKeyStatus;
  /** `null` = the Default Workspace (2026-10-21 answers name its real id in `scope`). */
  workspaceId: string | null;
  /**
   * A principal-bound key of the organization itself, in no workspace: `scope: {type:
   * "organization"}` under 2026-10-21 (`workspace_id: null` under 2023-06-01).
   */
  organizationScoped?: boolean;
}

/** A user's effective membership of a workspace, explicit or inherited from the org role. */
export interface EffectiveMember {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  /** Sort key of the member list. */
  addedAt: Micros;
  inherited: boolean;
}

export interface StoreState {
  organization: Organization;
  users: Map<string, UserRecord>;
  invites: Map<string, InviteRecord>;
  /** Every workspace, the Default one included. */
  workspaces: Map<string, WorkspaceRecord>;
  defaultWorkspaceId: string;
  /** workspace id → user id → explicit membership. */
  memberships: Map<string, Map<string, MembershipRecord>>;
  apiKeys: Map<string, ApiKeyRecord>;
  /** CMEK key configurations known to the organization. */
  externalKeyIds: Set<string>;
}

/** Lower-cased address with any `+tag` in the local part dropped. */
export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at).split('+')[0] ?? '';
  return `${local}${lower.slice(at)}`;
}
