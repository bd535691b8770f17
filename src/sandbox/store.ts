import { VersionedMap } from './transport/pagination.js';
import { Rng } from './random.js';
import { createSeedState } from './seed.js';
import { Clock, toMicros } from './time.js';
import type { Micros } from './time.js';

import {
  DISPLAY_COLORS,
  normalizeEmail,
  type ApiKeyRecord,
  type ApiKeyStatus,
  type EffectiveMember,
  type InviteRecord,
  type InviteStatus,
  type MembershipRecord,
  type Organization,
  type StoreState,
  type UserRecord,
  type WorkspaceRecord,
  type WorkspaceRole,
} from './model.js';

export * from './model.js';

/** Seed of the generator for IDs created at run time (the seed data has its own). */
const RUNTIME_SEED = 0x5eed_2026;

/** In-memory state of the emulated organization plus the rules shared by several resources. */
export class SandboxStore {
  readonly clock: Clock;
  private rng = new Rng(RUNTIME_SEED);
  private state: StoreState;
  /**
   * Test switch: ids (of API keys, users or workspace members' users) that list endpoints leave
   * out while GET still finds them, standing for whatever a list may not show. Cleared by reset.
   */
  readonly hiddenFromLists = new Set<string>();

  constructor(anchor: Date, live: boolean) {
    this.clock = new Clock(toMicros(anchor), live);
    this.state = versioned(createSeedState(this.clock.anchor));
  }

  /** Reseeds: the same anchor gives the same data. */
  reset(): void {
    this.clock.reset();
    this.rng = new Rng(RUNTIME_SEED);
    this.state = versioned(createSeedState(this.clock.anchor));
    this.hiddenFromLists.clear();
  }

  get organization(): Organization {
    return this.state.organization;
  }
  get users(): Map<string, UserRecord> {
    return this.state.users;
  }
  get invites(): Map<string, InviteRecord> {
    return this.state.invites;
  }
  get workspaces(): Map<string, WorkspaceRecord> {
    return this.state.workspaces;
  }
  get defaultWorkspaceId(): string {
    return this.state.defaultWorkspaceId;
  }
  get memberships(): Map<string, Map<string, MembershipRecord>> {
    return this.state.memberships;
  }
  get apiKeys(): Map<string, ApiKeyRecord> {
    return this.state.apiKeys;
  }
  get externalKeyIds(): Set<string> {
    return this.state.externalKeyIds;
  }

  now(): Micros {
    return this.clock.now();
  }

  /** The time stamped on a write. */
  tick(): Micros {
    return this.clock.tick();
  }

  /** Moves the sandbox clock forward (for expiry tests). */
  advanceTime(ms: number): void {
    this.clock.advance(ms);
  }

  /** A fresh ID, unique across every collection. */
  newId(prefix: string): string {
    for (;;) {
      const id = this.rng.id(prefix);
      if (!this.idTaken(id)) return id;
    }
  }

  newUuid(): string {
    return this.rng.uuid();
  }

  pickDisplayColor(): string {
    return this.rng.pick(DISPLAY_COLORS);
  }

  private idTaken(id: string): boolean {
    const s = this.state;
    return s.users.has(id) || s.invites.has(id) || s.workspaces.has(id) || s.apiKeys.has(id);
  }

  inviteStatus(invite: InviteRecord): InviteStatus {
    if (invite.status === 'pending' && this.now() >= invite.expiresAt) return 'expired';
    return invite.status;
  }

  apiKeyStatus(key: ApiKeyRecord): ApiKeyStatus {
    const expirable = key.status === 'active' || key.status === 'inactive';
    if (expirable && key.expiresAt !== null && this.now() >= key.expiresAt) return 'expired';
    return key.status;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = normalizeEmail(email);
    for (const user of this.users.values()) {
      if (normalizeEmail(user.email) === wanted) return user;
    }
    return undefined;
  }

  /** Active (not archived) workspaces, the Default one excluded. */
  activeWorkspaceCount(): number {
    let count = 0;
    for (const ws of this.workspaces.values()) {
      if (!ws.isDefault && ws.archivedAt === null) count++;
    }
    return count;
  }

  /**
   * The effective membership of a user: org admins hold workspace_admin everywhere, org billing
   * members workspace_billing unless raised to workspace_admin by hand; everyone else only what
   * was assigned. The Default Workspace has no member list.
   */
  member(workspace: WorkspaceRecord, userId: string): EffectiveMember | undefined {
    if (workspace.isDefault) return undefined;
    const user = this.users.get(userId);
    if (!user) return undefined;
    const explicit = this.memberships.get(workspace.id)?.get(userId);
    const inheritedAt = Math.max(user.addedAt, workspace.createdAt);
    // Plain literals of one shape, not spreads of a shared base: a member list builds thousands
    // of these per page, and object spread costs far more per object here.
    if (user.role === 'admin') {
      return effectiveMember(workspace.id, userId, 'workspace_admin', inheritedAt, true);
    }
    if (user.role === 'billing') {
      const raised = explicit?.role === 'workspace_admin';
      return effectiveMember(
        workspace.id,
        userId,
        raised ? 'workspace_admin' : 'workspace_billing',
        explicit?.addedAt ?? inheritedAt,
        !raised,
      );
    }
    if (!explicit) return undefined;
    return effectiveMember(workspace.id, userId, explicit.role, explicit.addedAt, false);
  }

  /**
   * Every effective member of a workspace, in no particular order: the users assigned to it plus
   * the org admins and billing members (who inherit membership everywhere), without scanning
   * every user of the organization.
   */
  members(workspace: WorkspaceRecord): EffectiveMember[] {
    if (workspace.isDefault) return [];
    const out: EffectiveMember[] = [];
    const explicit = this.memberships.get(workspace.id);
    const inheriting = this.inheritingUsers();
    if (explicit) {
      for (const userId of explicit.keys()) {
        const member = this.member(workspace, userId);
        if (member) out.push(member);
      }
    }
    for (const user of inheriting) {
      if (explicit?.has(user.id)) continue;
      const member = this.member(workspace, user.id);
      if (member) out.push(member);
    }
    return out;
  }

  /** Member lists in list order, per workspace record, until a write to what they derive from. */
  private readonly orderedMembers = new WeakMap<
    WorkspaceRecord,
    {
      explicit: unknown;
      explicitVersion: number;
      users: unknown;
      usersVersion: number;
      compare: unknown;
      list: readonly EffectiveMember[];
    }
  >();

  /**
   * Every effective member of a workspace in `compare` order, sorted once per write to the
   * workspace's memberships or to the users (a role change moves inherited memberships), then
   * shared (do not mutate the array). Memberships kept in a plain Map are sorted every time.
   */
  membersInOrder(
    workspace: WorkspaceRecord,
    compare: (a: EffectiveMember, b: EffectiveMember) => number,
  ): readonly EffectiveMember[] {
    const explicit = this.memberships.get(workspace.id);
    const users = this.users;
    const explicitVersion = explicit instanceof VersionedMap ? explicit.version : -1;
    const usersVersion = users instanceof VersionedMap ? users.version : -1;
    const cached = this.orderedMembers.get(workspace);
    if (
      cached &&
      explicitVersion >= 0 &&
      usersVersion >= 0 &&
      cached.explicit === explicit &&
      cached.explicitVersion === explicitVersion &&
      cached.users === users &&
      cached.usersVersion === usersVersion &&
      cached.compare === compare
    ) {
      return cached.list;
    }
    const list = this.members(workspace).sort(compare);
    this.orderedMembers.set(workspace, {
      explicit,
      explicitVersion,
      users,
      usersVersion,
      compare,
      list,
    });
    return list;
  }

  private inheritingCache: { users: unknown; version: number; list: UserRecord[] } | null = null;

  /**
   * Org admins and billing members, recomputed after a write to the users (a role change writes
   * the user again, see the users route).
   */
  private inheritingUsers(): UserRecord[] {
    const users = this.users;
    const version = users instanceof VersionedMap ? users.version : -1;
    const cached = this.inheritingCache;
    if (cached && version >= 0 && cached.users === users && cached.version === version) {
      return cached.list;
    }
    const list = [...users.values()].filter((u) => u.role === 'admin' || u.role === 'billing');
    this.inheritingCache = { users, version, list };
    return list;
  }

  setMembership(workspaceId: string, userId: string, role: WorkspaceRole, addedAt: Micros): void {
    let byUser = this.memberships.get(workspaceId);
    if (!byUser) {
      byUser = new VersionedMap();
      this.memberships.set(workspaceId, byUser);
    }
    byUser.set(userId, { workspaceId, userId, role, addedAt });
  }

  deleteMembership(workspaceId: string, userId: string): void {
    this.memberships.get(workspaceId)?.delete(userId);
  }

  /**
   * Test hook standing in for the emailed link: accepts a pending invite, creating the user with
   * the invite's email and role. Throws when the invite is unknown or not pending.
   */
  acceptInvite(inviteId: string): UserRecord {
    const invite = this.invites.get(inviteId);
    if (!invite) throw new Error(`no invite ${inviteId}`);
    const status = this.inviteStatus(invite);
    if (status !== 'pending') throw new Error(`invite ${inviteId} is ${status}, not pending`);
    if (this.findUserByEmail(invite.email)) throw new Error(`${invite.email} is already a member`);
    const at = this.tick();
    const user: UserRecord = {
      id: this.newId('user_'),
      email: invite.email,
      name: nameFromEmail(invite.email),
      role: invite.role,
      addedAt: at,
    };
    this.users.set(user.id, user);
    invite.status = 'accepted';
    invite.acceptedAt = at;
    return user;
  }
}

function effectiveMember(
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
  addedAt: Micros,
  inherited: boolean,
): EffectiveMember {
  return { workspaceId, userId, role, addedAt, inherited };
}

/** The seed state with its collections in VersionedMaps (their sorted orders are cached). */
function versioned(state: StoreState): StoreState {
  const copy = <K, V>(map: Map<K, V>): Map<K, V> => {
    const out = new VersionedMap<K, V>();
    for (const [key, value] of map) out.set(key, value);
    return out;
  };
  return {
    ...state,
    users: copy(state.users),
    invites: copy(state.invites),
    workspaces: copy(state.workspaces),
    apiKeys: copy(state.apiKeys),
    // Each workspace's memberships too, so that its member list's order is kept between writes.
    memberships: new Map([...state.memberships].map(([id, byUser]) => [id, copy(byUser)])),
  };
}

/** `jane.doe+x@example.com` → `Jane Doe`. */
function nameFromEmail(email: string): string {
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  const words = local.split(/[._-]+/).filter(Boolean);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || email;
}
