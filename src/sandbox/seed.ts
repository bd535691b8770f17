import { Rng } from './random.js';
import type {
  ApiKeyRecord,
  ApiKeyStatus,
  DataResidency,
  InviteRecord,
  MembershipRecord,
  StoreState,
  UserRecord,
  UserRole,
  WorkspaceRecord,
  WorkspaceRole,
} from './model.js';
import { DISPLAY_COLORS, INVITE_LIFETIME_DAYS, normalizeEmail } from './model.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, parseTimestamp } from './time.js';
import type { Micros } from './time.js';

/*
 * Deterministic demo data: the objects of the shared fixtures plus generated users, workspaces,
 * memberships, API keys and invites. All timestamps are offsets from the anchor (`now`); the
 * fixture objects keep their distance from FIXTURE_REFERENCE, so with now = that instant they
 * match the fixtures exactly.
 */

const SEED = 0x4e57_2026;

/** The instant the fixtures were written against. */
export const FIXTURE_REFERENCE = '2026-08-22T00:00:00.000000Z';

/** IDs of fixture objects that are always present in the seed. */
export const FIXTURE_IDS = {
  organization: '4f0c2b1e-8a3d-4c5b-9e7f-2d1a6b3c8e90',
  defaultWorkspace: 'wrkspc_01JthXgn9iQhfsY1jKEWvZ8s',
  productionWorkspace: 'wrkspc_01HY9WS2YCA8tCnaGSC3Coyh',
  archivedWorkspace: 'wrkspc_01X7HXffLDgU99eBkuV3S2AX',
  adminUser: 'user_01a79drmAA1JNhuF5YZikf2P',
  developerUser: 'user_01uRi3d9kN7HvZt2R2zMg3Bh',
  billingUser: 'user_01DPvqwbK9NZ6a4UURyDEHNC',
  userUser: 'user_01m8ZBuPVJiPHgL5MVpZzUKe',
  removedUser: 'user_019z2CdBAbVLYw6GNs5mSBN3',
  acceptedInvite: 'invite_014ryh3ch4BvwjUJnpSeND3P',
  pendingInvite: 'invite_01wyeFgQv9RrUgtNasUJkMgB',
  deletedInvite: 'invite_01ownhNdea8JZvPpooNTTfAt',
  activeApiKey: 'apikey_018SE5UL34ByZ2v2dzhKaCnJ',
  expiredApiKey: 'apikey_01dJFtHZZgqTuJeQftnpJrmv',
  archivedApiKey: 'apikey_01no6pJGS9N5frVqkWfdvy6d',
  externalKey: 'ekey_01uDzKK9oqVoHFtY8RF2LBfY',
} as const;

/** CMEK key configurations of the organization: the fixture one, one in use, one unattached. */
export const EXTERNAL_KEY_IDS = [
  FIXTURE_IDS.externalKey,
  'ekey_01Q3wXc7RkTn5PzGm8Hv2JdL',
  'ekey_01Bf6YsK4qNe9VtDa2WmX7cR',
] as const;

const ORGANIZATION_NAME = 'Northwind Robotics';
const DOMAIN = 'northwind.example';

const FIRST_NAMES = [
  'Aaron',
  'Adaeze',
  'Aiko',
  'Amara',
  'Ana',
  'Ben',
  'Carlos',
  'Chloe',
  'Dana',
  'Dmitri',
  'Elena',
  'Emeka',
  'Farah',
  'Gabriel',
  'Hana',
  'Hiro',
  'Ines',
  'Isaac',
  'Jamal',
  'Jin',
  'Jonas',
  'Kavya',
  'Kofi',
  'Lara',
  'Leo',
  'Lina',
  'Marco',
  'Mei',
  'Mina',
  'Nadia',
  'Nikhil',
  'Noah',
  'Olga',
  'Omar',
  'Paula',
  'Quinn',
  'Rafael',
  'Rosa',
  'Sanjay',
  'Sofia',
  'Tariq',
  'Tomas',
  'Uma',
  'Valeria',
  'Wanjiru',
  'Xavier',
  'Yara',
  'Zoe',
];
const LAST_NAMES = [
  'Abebe',
  'Andersen',
  'Bauer',
  'Bianchi',
  'Castillo',
  'Cohen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Horvat',
  'Ibrahim',
  'Ito',
  'Jensen',
  'Kaur',
  'Kim',
  'Kowalski',
  'Larsen',
  'Lopez',
  'Mensah',
  'Moreau',
  'Nakamura',
  'Novak',
  'Nunez',
  'Okafor',
  'Olsen',
  'Park',
  'Patel',
  'Petrov',
  'Quispe',
  'Rahman',
  'Rossi',
  'Santos',
  'Schmidt',
  'Silva',
  'Singh',
  'Tanaka',
  'Torres',
  'Ueda',
  'Varga',
  'Wagner',
  'Walsh',
  'Wong',
  'Yilmaz',
  'Zhang',
  'Zimmer',
  'Ndlovu',
];

/** How many generated users hold each role (all nine roles occur; Console roles dominate). */
const ROLE_PLAN: readonly (readonly [UserRole, number])[] = [
  ['admin', 6],
  ['billing', 8],
  ['developer', 110],
  ['user', 80],
  ['claude_code_user', 70],
  ['managed', 12],
  ['membership_admin', 4],
  ['owner', 5],
  ['primary_owner', 1],
];

interface WorkspacePlan {
  name: string;
  createdDaysAgo: number;
  archivedDaysAgo: number | null;
  residency: DataResidency;
  tags: Record<string, string>;
  externalKeyId: string | null;
  /** Explicit members to generate. */
  members: number;
}

const UNRESTRICTED: DataResidency = {
  allowedInferenceGeos: 'unrestricted',
  defaultInferenceGeo: 'global',
  workspaceGeo: 'us',
};

const WORKSPACE_PLANS: readonly WorkspacePlan[] = [
  plan('Legacy Integrations', 480, 120, UNRESTRICTED, { env: 'prod', team: 'integrations' }, 12),
  plan('Staging', 400, null, UNRESTRICTED, { env: 'staging', team: 'platform' }, 30),
  plan('Research', 350, null, geos(['global', 'us'], 'global'), { team: 'research' }, 25),
  plan('Claude Code', 300, null, UNRESTRICTED, {}, 60),
  {
    ...plan('Data Platform', 250, null, geos(['us'], 'us'), { env: 'prod', team: 'data' }, 20),
    externalKeyId: EXTERNAL_KEY_IDS[1],
  },
  plan('Q1 Pilot', 220, 60, UNRESTRICTED, { env: 'sandbox' }, 8),
  plan('Customer Support Bot', 200, null, UNRESTRICTED, { env: 'prod', product: 'support' }, 18),
  plan('Mobile App', 150, null, geos(['global'], 'global'), { team: 'mobile' }, 22),
  plan('Internal Tools', 90, null, UNRESTRICTED, {}, 15),
  plan('Evaluation', 30, null, UNRESTRICTED, { purpose: 'evals', team: 'research' }, 10),
];

/** Explicit members generated for the fixture workspaces (beyond the fixture memberships). */
const FIXTURE_WORKSPACE_MEMBERS: Record<string, number> = {
  [FIXTURE_IDS.productionWorkspace]: 45,
  [FIXTURE_IDS.archivedWorkspace]: 20,
};

const GENERATED_API_KEYS = 400;

function plan(
  name: string,
  createdDaysAgo: number,
  archivedDaysAgo: number | null,
  residency: DataResidency,
  tags: Record<string, string>,
  members: number,
): WorkspacePlan {
  return { name, createdDaysAgo, archivedDaysAgo, residency, tags, externalKeyId: null, members };
}

function geos(allowed: string[], defaultGeo: string): DataResidency {
  return { allowedInferenceGeos: allowed, defaultInferenceGeo: defaultGeo, workspaceGeo: 'us' };
}

/** Builds the whole seed state for the given anchor. */
export function createSeedState(anchor: Micros): StoreState {
  return new SeedBuilder(anchor).build();
}

class SeedBuilder {
  private readonly rng = new Rng(SEED);
  private readonly shift: number;
  private readonly takenIds = new Set<string>(Object.values(FIXTURE_IDS));
  private readonly takenEmails = new Set<string>();
  private readonly state: StoreState;

  constructor(private readonly anchor: Micros) {
    this.shift = anchor - parseTimestamp(FIXTURE_REFERENCE);
    this.state = {
      organization: { id: FIXTURE_IDS.organization, name: ORGANIZATION_NAME },
      users: new Map(),
      invites: new Map(),
      workspaces: new Map(),
      defaultWorkspaceId: FIXTURE_IDS.defaultWorkspace,
      memberships: new Map(),
      apiKeys: new Map(),
      externalKeyIds: new Set(EXTERNAL_KEY_IDS),
    };
  }

  build(): StoreState {
    this.addFixtures();
    const generatedUsers = this.addUsers();
    const generatedWorkspaces = this.addWorkspaces();
    this.addMemberships([...generatedWorkspaces, ...this.fixtureWorkspaces()]);
    this.addApiKeys();
    this.addInvites(generatedUsers);
    return this.state;
  }

  /** A fixture timestamp moved to keep its distance from the anchor. */
  private at(fixtureTimestamp: string): Micros {
    return parseTimestamp(fixtureTimestamp) + this.shift;
  }

  private id(prefix: string): string {
    for (;;) {
      const id = this.rng.id(prefix);
      if (!this.takenIds.has(id)) {
        this.takenIds.add(id);
        return id;
      }
    }
  }

  private between(start: Micros, end: Micros): Micros {
    return start + Math.floor(this.rng.next() * Math.max(1, end - start));
  }

  private get orgStart(): Micros {
    return this.at('2025-03-04T17:20:44.019873Z');
  }

  private fixtureWorkspaces(): WorkspaceRecord[] {
    return [FIXTURE_IDS.productionWorkspace, FIXTURE_IDS.archivedWorkspace].map((id) => {
      const ws = this.state.workspaces.get(id);
      if (!ws) throw new Error(`missing fixture workspace ${id}`);
      return ws;
    });
  }

  private addFixtures(): void {
    const s = this.state;
    const fixtureUsers: [string, string, string, string, UserRole][] = [
      [
        FIXTURE_IDS.adminUser,
        '2025-03-04T17:22:10.512384Z',
        'maria.okafor',
        'Maria Okafor',
        'admin',
      ],
      [
        FIXTURE_IDS.developerUser,
        '2025-06-18T09:41:55.104216Z',
        'wei.chen',
        'Wei Chen',
        'developer',
      ],
      [
        FIXTURE_IDS.billingUser,
        '2025-09-02T12:05:31.660904Z',
        'priya.raman',
        'Priya Raman',
        'billing',
      ],
      [FIXTURE_IDS.userUser, '2026-01-20T08:15:02.930117Z', 'alex.rivera', 'Alex Rivera', 'user'],
    ];
    for (const [id, addedAt, local, name, role] of fixtureUsers) {
      this.putUser({ id, addedAt: this.at(addedAt), email: `${local}@${DOMAIN}`, name, role });
    }

    const invite = (
      id: string,
      email: string,
      role: UserRole,
      status: InviteRecord['status'],
      invitedAt: string,
      acceptedAt: string | null,
    ): void => {
      const invited = this.at(invitedAt);
      this.takenEmails.add(normalizeEmail(email));
      s.invites.set(id, {
        id,
        email,
        role,
        status,
        invitedAt: invited,
        expiresAt: invited + INVITE_LIFETIME_DAYS * MICROS_PER_DAY,
        acceptedAt: acceptedAt === null ? null : this.at(acceptedAt),
        rbacGroupIds: [],
      });
    };
    invite(
      FIXTURE_IDS.acceptedInvite,
      `wei.chen@${DOMAIN}`,
      'developer',
      'accepted',
      '2025-06-15T14:30:00.250031Z',
      '2025-06-18T09:41:55.104216Z',
    );
    invite(
      FIXTURE_IDS.pendingInvite,
      `sam.lee@${DOMAIN}`,
      'claude_code_user',
      'pending',
      '2026-08-10T15:03:27.881020Z',
      null,
    );
    invite(
      FIXTURE_IDS.deletedInvite,
      'contractor@partner.example',
      'user',
      'deleted',
      '2026-07-02T10:00:00.000000Z',
      null,
    );

    this.putWorkspace({
      id: FIXTURE_IDS.defaultWorkspace,
      name: 'Default',
      createdAt: this.orgStart,
      archivedAt: null,
      compartmentId: '0b7e5d2c-3f41-4a8e-b6d9-71c2e4f58a03',
      displayColor: '#6B7280',
      externalKeyId: null,
      dataResidency: { ...UNRESTRICTED },
      tags: {},
      isDefault: true,
    });
    this.putWorkspace({
      id: FIXTURE_IDS.productionWorkspace,
      name: 'Production',
      createdAt: this.at('2025-07-01T10:12:37.448210Z'),
      archivedAt: null,
      compartmentId: '9d3a1f6e-52c8-4b07-a1e4-c86f2b7d9e15',
      displayColor: '#6C5BB9',
      externalKeyId: FIXTURE_IDS.externalKey,
      dataResidency: geos(['us'], 'us'),
      tags: { env: 'prod', team: 'platform' },
      isDefault: false,
    });
    this.putWorkspace({
      id: FIXTURE_IDS.archivedWorkspace,
      name: 'Hackathon 2025',
      createdAt: this.at('2025-11-14T09:00:12.775043Z'),
      archivedAt: this.at('2026-02-27T18:44:09.301552Z'),
      compartmentId: 'e41c7b90-8f2d-4d3a-9c55-0a6b3e2f1d78',
      displayColor: '#D97757',
      externalKeyId: null,
      dataResidency: { ...UNRESTRICTED },
      tags: { env: 'sandbox' },
      isDefault: false,
    });

    const production = this.state.workspaces.get(FIXTURE_IDS.productionWorkspace);
    if (!production) throw new Error('missing Production workspace');
    // Fixture memberships have no recorded time; they join a day after the later of the two.
    const fixtureMembers: [string, WorkspaceRole][] = [
      [FIXTURE_IDS.developerUser, 'workspace_developer'],
      [FIXTURE_IDS.userUser, 'workspace_restricted_developer'],
    ];
    for (const [userId, role] of fixtureMembers) {
      const user = s.users.get(userId);
      if (!user) throw new Error(`missing fixture user ${userId}`);
      const addedAt = Math.max(user.addedAt, production.createdAt) + MICROS_PER_DAY;
      this.putMembership({ workspaceId: production.id, userId, role, addedAt });
    }

    const key = (
      id: string,
      name: string,
      createdAt: string,
      creator: string,
      expiresAt: string | null,
      hint: string,
      status: ApiKeyStatus,
      workspaceId: string | null,
    ): void => {
      const actor = { id: creator, type: 'user' };
      s.apiKeys.set(id, {
        id,
        name,
        createdAt: this.at(createdAt),
        createdBy: actor,
        expiresAt: expiresAt === null ? null : this.at(expiresAt),
        partialKeyHint: hint,
        principal: { ...actor },
        status,
        workspaceId,
      });
    };
    key(
      FIXTURE_IDS.activeApiKey,
      'prod-backend',
      '2025-07-01T10:30:05.120998Z',
      FIXTURE_IDS.adminUser,
      null,
      'sk-ant-api03-Xk9...q7AA',
      'active',
      FIXTURE_IDS.productionWorkspace,
    );
    key(
      FIXTURE_IDS.expiredApiKey,
      'wei-laptop',
      '2026-07-12T16:48:22.067315Z',
      FIXTURE_IDS.developerUser,
      '2026-08-11T16:48:22.067315Z',
      'sk-ant-api03-bR4...Zt2A',
      'expired',
      null,
    );
    key(
      FIXTURE_IDS.archivedApiKey,
      'hackathon-demo',
      '2025-11-14T09:20:40.581126Z',
      FIXTURE_IDS.developerUser,
      '2026-05-14T09:20:40.581126Z',
      'sk-ant-api03-Qm7...e0hA',
      'archived',
      FIXTURE_IDS.archivedWorkspace,
    );
  }

  private putUser(user: UserRecord): void {
    this.takenIds.add(user.id);
    this.takenEmails.add(normalizeEmail(user.email));
    this.state.users.set(user.id, user);
  }

  private putWorkspace(ws: WorkspaceRecord): void {
    this.takenIds.add(ws.id);
    this.state.workspaces.set(ws.id, ws);
  }

  private putMembership(m: MembershipRecord): void {
    let byUser = this.state.memberships.get(m.workspaceId);
    if (!byUser) {
      byUser = new Map();
      this.state.memberships.set(m.workspaceId, byUser);
    }
    byUser.set(m.userId, m);
  }

  /** A person's name and an address nobody in the seed uses yet. */
  private person(domain: string, tagChance = 0): { name: string; email: string } {
    for (;;) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      let local = `${first}.${last}`.toLowerCase();
      if (this.takenEmails.has(normalizeEmail(`${local}@${domain}`))) local += this.rng.int(2, 99);
      const email = `${local}@${domain}`;
      if (this.takenEmails.has(normalizeEmail(email))) continue;
      this.takenEmails.add(normalizeEmail(email));
      const tagged = this.rng.chance(tagChance);
      return {
        name: `${first} ${last}`,
        email: tagged ? `${local}+${this.rng.pick(['ops', 'eng', 'ml'])}@${domain}` : email,
      };
    }
  }

  private addUsers(): UserRecord[] {
    const roles = this.rng.sample(
      ROLE_PLAN.flatMap(([role, count]) => Array<UserRole>(count).fill(role)),
      Number.POSITIVE_INFINITY,
    );
    const users: UserRecord[] = [];
    const earliest = this.orgStart + MICROS_PER_DAY;
    const latest = this.anchor - 2 * MICROS_PER_HOUR;
    for (const role of roles) {
      const domain = this.rng.chance(0.06) ? `contractors.${DOMAIN}` : DOMAIN;
      const { name, email } = this.person(domain, 0.02);
      const user: UserRecord = {
        id: this.id('user_'),
        email,
        name,
        role,
        // The primary owner founded the organization; everyone else joined later.
        addedAt:
          role === 'primary_owner'
            ? this.orgStart + this.between(MICROS_PER_MINUTE, 10 * MICROS_PER_MINUTE)
            : this.between(earliest, latest),
      };
      this.putUser(user);
      users.push(user);
    }
    return users;
  }

  private addWorkspaces(): WorkspaceRecord[] {
    return WORKSPACE_PLANS.map((p) => {
      const createdAt =
        this.anchor - p.createdDaysAgo * MICROS_PER_DAY + this.between(0, MICROS_PER_DAY);
      const archivedAt =
        p.archivedDaysAgo === null
          ? null
          : this.anchor - p.archivedDaysAgo * MICROS_PER_DAY + this.between(0, MICROS_PER_DAY);
      const ws: WorkspaceRecord = {
        id: this.id('wrkspc_'),
        name: p.name,
        createdAt,
        archivedAt,
        compartmentId: this.rng.uuid(),
        displayColor: this.rng.pick(DISPLAY_COLORS),
        externalKeyId: p.externalKeyId,
        dataResidency: {
          ...p.residency,
          allowedInferenceGeos:
            p.residency.allowedInferenceGeos === 'unrestricted'
              ? 'unrestricted'
              : [...p.residency.allowedInferenceGeos],
        },
        tags: { ...p.tags },
        isDefault: false,
      };
      this.putWorkspace(ws);
      return ws;
    });
  }

  private memberCount(ws: WorkspaceRecord): number {
    const planned = WORKSPACE_PLANS.find((p) => p.name === ws.name)?.members;
    return planned ?? FIXTURE_WORKSPACE_MEMBERS[ws.id] ?? 0;
  }

  private addMemberships(workspaces: WorkspaceRecord[]): void {
    const eligible: UserRole[] = ['developer', 'user', 'claude_code_user', 'managed'];
    for (const ws of workspaces) {
      const end = (ws.archivedAt ?? this.anchor) - MICROS_PER_HOUR;
      const existing = this.state.memberships.get(ws.id);
      const candidates = [...this.state.users.values()].filter(
        (u) =>
          eligible.includes(u.role) &&
          !existing?.has(u.id) &&
          u.id !== FIXTURE_IDS.userUser &&
          Math.max(u.addedAt, ws.createdAt) < end - MICROS_PER_DAY,
      );
      const preferred = ws.name === 'Claude Code' ? 'claude_code_user' : 'developer';
      candidates.sort((a, b) => Number(b.role === preferred) - Number(a.role === preferred));
      const pool = candidates.slice(0, Math.max(this.memberCount(ws) * 2, 1));
      for (const user of this.rng.sample(pool, this.memberCount(ws))) {
        const start = Math.max(user.addedAt, ws.createdAt);
        this.putMembership({
          workspaceId: ws.id,
          userId: user.id,
          role: this.workspaceRoleFor(user.role),
          addedAt: this.between(start + MICROS_PER_MINUTE, end),
        });
      }
    }
  }

  private workspaceRoleFor(role: UserRole): WorkspaceRole {
    switch (role) {
      case 'developer':
        return this.rng.weighted<WorkspaceRole>([
          ['workspace_developer', 60],
          ['workspace_restricted_developer', 15],
          ['workspace_admin', 10],
          ['workspace_user', 15],
        ]);
      case 'claude_code_user':
        return this.rng.weighted<WorkspaceRole>([
          ['workspace_developer', 70],
          ['workspace_user', 30],
        ]);
      case 'user':
        return this.rng.weighted<WorkspaceRole>([
          ['workspace_user', 80],
          ['workspace_restricted_developer', 20],
        ]);
      default:
        return 'workspace_user';
    }
  }

  private addApiKeys(): void {
    const workspaces = [...this.state.workspaces.values()];
    const serviceAccounts = Array.from({ length: 4 }, () => this.id('svac_'));
    const weightOf = (ws: WorkspaceRecord): number => {
      if (ws.isDefault) return 20;
      if (ws.name === 'Production' || ws.name === 'Claude Code') return 15;
      return ws.archivedAt === null ? 6 : 2;
    };
    const choices = workspaces.map((ws) => [ws, weightOf(ws)] as const);
    const users = [...this.state.users.values()];
    for (let i = 0; i < GENERATED_API_KEYS; i++) {
      const ws = this.rng.weighted(choices);
      const end = (ws.archivedAt ?? this.anchor) - MICROS_PER_HOUR;
      const createdAt = this.between(ws.createdAt + MICROS_PER_HOUR, end);
      const key = this.apiKey(ws, createdAt, users, serviceAccounts);
      this.state.apiKeys.set(key.id, key);
    }
  }

  private apiKey(
    ws: WorkspaceRecord,
    createdAt: Micros,
    users: UserRecord[],
    serviceAccounts: string[],
  ): ApiKeyRecord {
    const kind = this.rng.weighted([
      ['user', 88],
      ['legacy', 4],
      ['service_account', 6],
      ['removed_user', 2],
    ] as const);
    const creatorRoles: UserRole[] =
      ws.name === 'Claude Code'
        ? ['claude_code_user', 'developer']
        : ['developer', 'admin', 'owner'];
    const creators = users.filter((u) => creatorRoles.includes(u.role) && u.addedAt < createdAt);
    const creator = creators.length > 0 ? this.rng.pick(creators) : undefined;
    let createdBy: ApiKeyRecord['createdBy'] = creator ? { id: creator.id, type: 'user' } : null;
    let principal: ApiKeyRecord['principal'] = createdBy ? { ...createdBy } : null;
    if (kind === 'legacy') {
      createdBy = null;
      principal = null;
    } else if (kind === 'service_account') {
      principal = { id: this.rng.pick(serviceAccounts), type: 'service_account' };
      if (this.rng.chance(0.5)) createdBy = null;
    } else if (kind === 'removed_user') {
      createdBy = { id: FIXTURE_IDS.removedUser, type: 'user' };
      principal = { ...createdBy };
    }

    const expiresAt = this.rng.chance(0.7)
      ? null
      : createdAt + this.rng.pick([1, 7, 30, 90, 180, 365]) * MICROS_PER_DAY;
    let status: ApiKeyStatus;
    if (ws.archivedAt !== null) {
      status = expiresAt !== null && expiresAt <= ws.archivedAt ? 'expired' : 'archived';
    } else if (expiresAt !== null && expiresAt <= this.anchor) {
      status = 'expired';
    } else {
      status = this.rng.weighted<ApiKeyStatus>([
        ['active', 80],
        ['inactive', 12],
        ['archived', 8],
      ]);
    }
    return {
      id: this.id('apikey_'),
      name: this.keyName(ws, creator),
      createdAt,
      createdBy,
      expiresAt,
      partialKeyHint:
        kind === 'legacy' ? null : `sk-ant-api03-${this.rng.token(3)}...${this.rng.token(2)}AA`,
      principal,
      status,
      workspaceId: ws.isDefault ? null : ws.id,
    };
  }

  private keyName(ws: WorkspaceRecord, creator: UserRecord | undefined): string {
    const first = (creator?.name.split(' ')[0] ?? 'shared').toLowerCase();
    if (ws.name === 'Claude Code') return `claude-code-${first}`;
    const purpose = this.rng.pick([
      'backend',
      'worker',
      'ci',
      'etl',
      'evals',
      'notebook',
      'chatbot',
      'batch-jobs',
      'integration-test',
    ]);
    const env = ws.tags['env'] ?? this.rng.pick(['dev', 'staging', 'prod']);
    return this.rng.chance(0.2) ? `${first}-laptop` : `${purpose}-${env}`;
  }

  private addInvites(generatedUsers: UserRecord[]): void {
    const invitable: UserRole[] = ['billing', 'claude_code_user', 'developer', 'user'];
    const put = (
      email: string,
      role: UserRole,
      status: InviteRecord['status'],
      invitedAt: Micros,
      acceptedAt: Micros | null,
    ): void => {
      const id = this.id('invite_');
      this.state.invites.set(id, {
        id,
        email,
        role,
        status,
        invitedAt,
        expiresAt: invitedAt + INVITE_LIFETIME_DAYS * MICROS_PER_DAY,
        acceptedAt,
        rbacGroupIds: [],
      });
    };
    const accepted = this.rng.sample(
      generatedUsers.filter((u) => invitable.includes(u.role)),
      60,
    );
    for (const user of accepted) {
      const invitedAt = user.addedAt - this.between(10 * MICROS_PER_MINUTE, 6 * MICROS_PER_DAY);
      put(user.email, user.role, 'accepted', invitedAt, user.addedAt);
    }
    const roleChoices = [
      ['user', 40],
      ['developer', 35],
      ['claude_code_user', 20],
      ['billing', 5],
    ] as const;
    const plans: [InviteRecord['status'], number, number, number][] = [
      ['pending', 12, MICROS_PER_HOUR * 2, MICROS_PER_DAY * 20],
      ['expired', 10, MICROS_PER_DAY * 22, MICROS_PER_DAY * 200],
      ['deleted', 6, MICROS_PER_DAY, MICROS_PER_DAY * 300],
    ];
    for (const [status, count, minAgo, maxAgo] of plans) {
      for (let i = 0; i < count; i++) {
        const domain = this.rng.chance(0.15) ? 'partner.example' : DOMAIN;
        const { email } = this.person(domain);
        const role = this.rng.weighted<UserRole>(roleChoices);
        put(email, role, status, this.anchor - this.between(minAgo, maxAgo), null);
      }
    }
  }
}

/** The size of a grown organization (see growOrganization): totals, the seed's own included. */
export interface OrganizationSize {
  users: number;
  apiKeys: number;
  /** Explicit workspace memberships. */
  memberships: number;
}

/** Organization sizes of the benchmark's size mode. */
export const ORGANIZATION_SIZES = {
  medium: { users: 2_000, apiKeys: 2_000, memberships: 3_000 },
  large: { users: 20_000, apiKeys: 20_000, memberships: 30_000 },
} as const satisfies Record<string, OrganizationSize>;

/** Roles of grown users: members by explicit membership only (no admins or billing users). */
const GROWN_ROLES: readonly (readonly [UserRole, number])[] = [
  ['developer', 45],
  ['user', 30],
  ['claude_code_user', 20],
  ['managed', 5],
];

const GROWN_KEY_PURPOSES = ['backend', 'worker', 'ci', 'etl', 'evals', 'notebook', 'batch-jobs'];

/**
 * Grows a seeded organization to `size` with deterministic generated users, explicit workspace
 * memberships (over the active non-default workspaces) and API keys, for the benchmark's
 * organization-size mode. The seed itself (createSeedState) is unchanged: call this on a store's
 * state after seeding; a reset goes back to the default seed.
 */
export function growOrganization(
  state: Pick<StoreState, 'users' | 'workspaces' | 'memberships' | 'apiKeys'>,
  anchor: Micros,
  size: OrganizationSize,
): void {
  const rng = new Rng(SEED ^ 0x5ca1e);
  const taken = new Set<string>([
    ...state.users.keys(),
    ...state.workspaces.keys(),
    ...state.apiKeys.keys(),
  ]);
  const newId = (prefix: string) => {
    for (;;) {
      const id = rng.id(prefix);
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
  const earliest = anchor - 400 * MICROS_PER_DAY;
  const latest = anchor - 2 * MICROS_PER_HOUR;
  const between = (start: Micros, end: Micros) =>
    start + Math.floor(rng.next() * Math.max(1, end - start));

  const grown: UserRecord[] = [];
  for (let index = state.users.size; index < size.users; index++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const user: UserRecord = {
      id: newId('user_'),
      email: `${first}.${last}.${index}@${DOMAIN}`.toLowerCase(),
      name: `${first} ${last}`,
      role: rng.weighted(GROWN_ROLES),
      addedAt: between(earliest, latest),
    };
    state.users.set(user.id, user);
    grown.push(user);
  }

  const workspaces = [...state.workspaces.values()].filter(
    (ws) => !ws.isDefault && ws.archivedAt === null,
  );
  const members = grown.length > 0 ? grown : [...state.users.values()];
  let memberships = 0;
  for (const byUser of state.memberships.values()) memberships += byUser.size;
  for (let attempts = 0; memberships < size.memberships && attempts < size.memberships * 4;) {
    attempts++;
    const ws = rng.pick(workspaces);
    const user = rng.pick(members);
    let byUser = state.memberships.get(ws.id);
    if (!byUser) {
      byUser = new Map();
      state.memberships.set(ws.id, byUser);
    }
    if (byUser.has(user.id)) continue;
    byUser.set(user.id, {
      workspaceId: ws.id,
      userId: user.id,
      role: rng.weighted<WorkspaceRole>([
        ['workspace_developer', 60],
        ['workspace_user', 30],
        ['workspace_admin', 10],
      ]),
      addedAt: between(Math.max(user.addedAt, ws.createdAt), latest),
    });
    memberships++;
  }

  for (let index = state.apiKeys.size; index < size.apiKeys; index++) {
    const ws = rng.chance(0.2) ? null : rng.pick(workspaces);
    const creator = rng.pick(members);
    const createdAt = between(Math.max(creator.addedAt, ws?.createdAt ?? earliest), latest);
    const key: ApiKeyRecord = {
      id: newId('apikey_'),
      name: `${rng.pick(GROWN_KEY_PURPOSES)}-${index}`,
      createdAt,
      createdBy: { id: creator.id, type: 'user' },
      expiresAt: null,
      partialKeyHint: `sk-ant-api03-${rng.token(3)}...${rng.token(2)}AA`,
      principal: { id: creator.id, type: 'user' },
      status: rng.weighted<ApiKeyStatus>([
        ['active', 80],
        ['inactive', 12],
        ['archived', 8],
      ]),
      workspaceId: ws?.id ?? null,
    };
    state.apiKeys.set(key.id, key);
  }
}
