import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { SandboxStore } from '../../src/sandbox/index.js';
import { QNodeDocument, QNodesDocument } from '../generated/graphql.js';
import {
  API,
  calls,
  errorCodes,
  expectRefusedWithoutUpstream,
  memberId,
  post,
  unknownId,
  useHarness,
} from './helpers.js';

const harness = useHarness();

const production = FIXTURE_IDS.productionWorkspace;

group('node(id:) resolves every Node type', () => {
  it('User', async () => {
    const h = harness();
    const data = await h.client.request(QNodeDocument, { id: FIXTURE_IDS.developerUser });
    expect(data.node).toEqual({
      __typename: 'User',
      id: FIXTURE_IDS.developerUser,
      email: 'wei.chen@northwind.example',
      userRole: 'DEVELOPER',
    });
    expect(calls(h)).toEqual([`GET ${API}/users/${FIXTURE_IDS.developerUser}`]);
  });

  it('Invite, a withdrawn one included', async () => {
    const h = harness();
    const pending = await h.client.request(QNodeDocument, { id: FIXTURE_IDS.pendingInvite });
    expect(pending.node).toEqual({
      __typename: 'Invite',
      id: FIXTURE_IDS.pendingInvite,
      email: 'sam.lee@northwind.example',
      inviteStatus: 'PENDING',
    });
    const deleted = await h.client.request(QNodeDocument, { id: FIXTURE_IDS.deletedInvite });
    expect(deleted.node).toMatchObject({ __typename: 'Invite', inviteStatus: 'DELETED' });
  });

  it('Workspace: an active one, the Default Workspace and an archived one', async () => {
    const h = harness();
    const expected = [
      [production, 'Production', false],
      [FIXTURE_IDS.defaultWorkspace, 'Default', false],
      [FIXTURE_IDS.archivedWorkspace, 'Hackathon 2025', true],
    ] as const;
    for (const [id, name, isArchived] of expected) {
      const data = await h.client.request(QNodeDocument, { id });
      expect(data.node).toEqual({ __typename: 'Workspace', id, name, isArchived });
    }
  });

  it('WorkspaceMember, by its workspace_member:<workspace>:<user> id', async () => {
    const h = harness();
    const id = memberId(production, FIXTURE_IDS.userUser);
    const data = await h.client.request(QNodeDocument, { id });
    expect(data.node).toEqual({
      __typename: 'WorkspaceMember',
      id,
      memberRole: 'WORKSPACE_RESTRICTED_DEVELOPER',
    });
    expect(calls(h)).toEqual([
      `GET ${API}/workspaces/${production}/members/${FIXTURE_IDS.userUser}`,
    ]);
  });

  it('ApiKey', async () => {
    const h = harness();
    const data = await h.client.request(QNodeDocument, { id: FIXTURE_IDS.archivedApiKey });
    expect(data.node).toEqual({
      __typename: 'ApiKey',
      id: FIXTURE_IDS.archivedApiKey,
      name: 'hackathon-demo',
      apiKeyStatus: 'ARCHIVED',
    });
    expect(calls(h)).toEqual([`GET ${API}/api_keys/${FIXTURE_IDS.archivedApiKey}`]);
  });

  it('Organization, by its UUID', async () => {
    const h = harness();
    const data = await h.client.request(QNodeDocument, { id: FIXTURE_IDS.organization });
    expect(data.node).toEqual({
      __typename: 'Organization',
      id: FIXTURE_IDS.organization,
      name: 'Northwind Robotics',
    });
    expect(calls(h)).toEqual([`GET ${API}/me`]);
  });

  it('a well-formed id that names nothing is null without an error, for every kind', async () => {
    const h = harness();
    const ids = [
      unknownId('user_'),
      unknownId('invite_'),
      unknownId('wrkspc_'),
      unknownId('apikey_'),
      memberId(production, unknownId('user_')),
      memberId(FIXTURE_IDS.archivedWorkspace, FIXTURE_IDS.userUser), // not a member there
      memberId(unknownId('wrkspc_'), FIXTURE_IDS.userUser),
      '00000000-0000-4000-8000-000000000000', // another organization's UUID
    ];
    for (const id of ids) {
      const body = await post(h, QNodeDocument, { id });
      expect(body.errors, id).toBeUndefined();
      expect(body.data, id).toEqual({ node: null });
    }
  });

  const malformed = [
    'user_x/../../api_keys',
    'wrkspc_../users',
    '%2e%2e',
    '..',
    '',
    'file_011CNha8iCJcU1wXNR6q4V8w', // a real id kind (the Files API's), but not a Node of this graph
    'org_013FP9SaFPBg7Kw7fetjn6cF',
    'workspace_member:',
    `workspace_member:${production}`,
    `workspace_member:${production}:user_x/../../api_keys`,
    `workspace_member:wrkspc_../users:${FIXTURE_IDS.userUser}`,
    `workspace_member:${production}:${FIXTURE_IDS.userUser}:extra`,
    `workspace_member:${FIXTURE_IDS.userUser}:${production}`,
    `${production}:${FIXTURE_IDS.userUser}`,
  ];

  it.each(malformed)('node(id: %j) → BAD_USER_INPUT, no upstream call', async (id) => {
    const h = harness();
    const body = await post(h, QNodeDocument, { id });
    expectRefusedWithoutUpstream(h, body);
    expect(body.data).toEqual({ node: null });
    expect(body.errors?.[0]?.path).toEqual(['node']);
  });
});

/** 50 ids of every type, interleaved, with a few that name nothing. */
function mixedIds(store: SandboxStore): { ids: string[]; unknown: Set<string> } {
  const users = [...store.users.keys()].slice(0, 21);
  const apiKeys = [...store.apiKeys.keys()].slice(0, 8);
  const workspaces = [
    FIXTURE_IDS.defaultWorkspace,
    production,
    FIXTURE_IDS.archivedWorkspace,
    ...[...store.workspaces.values()].filter((w) => !w.isDefault).map((w) => w.id),
  ]
    .filter((id, index, all) => all.indexOf(id) === index)
    .slice(0, 6);
  const invites = [
    FIXTURE_IDS.pendingInvite,
    FIXTURE_IDS.acceptedInvite,
    FIXTURE_IDS.deletedInvite,
    ...[...store.invites.values()].filter((i) => i.status !== 'deleted').map((i) => i.id),
  ]
    .filter((id, index, all) => all.indexOf(id) === index)
    .slice(0, 6);
  const productionMembers = store.members(store.workspaces.get(production)!);
  const members = [
    FIXTURE_IDS.developerUser,
    FIXTURE_IDS.userUser,
    FIXTURE_IDS.adminUser,
    FIXTURE_IDS.billingUser,
    productionMembers.find(
      (m) => !m.inherited && m.userId.length > 0 && m.role === 'workspace_user',
    )!.userId,
  ].map((userId) => memberId(production, userId));
  const unknown = [
    unknownId('user_'),
    unknownId('apikey_'),
    memberId(production, unknownId('user_')),
  ];
  const groups = [
    users,
    apiKeys,
    workspaces,
    invites,
    members,
    [FIXTURE_IDS.organization],
    unknown,
  ];
  const ids: string[] = [];
  for (let i = 0; ids.length < 50; i++) {
    for (const g of groups) if (g[i] !== undefined) ids.push(g[i]!);
  }
  return { ids, unknown: new Set(unknown) };
}

const TYPENAME_BY_PREFIX: [RegExp, string][] = [
  [/^user_/, 'User'],
  [/^apikey_/, 'ApiKey'],
  [/^wrkspc_/, 'Workspace'],
  [/^invite_/, 'Invite'],
  [/^workspace_member:/, 'WorkspaceMember'],
  [/^[0-9a-f-]{36}$/, 'Organization'],
];

group('nodes(ids:)', () => {
  it('50 ids of every type come back in order, with few upstream requests', async () => {
    const h = harness();
    const { ids, unknown } = mixedIds(h.sandbox.store);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);

    const data = await h.client.request(QNodesDocument, { ids });
    expect(data.nodes).toHaveLength(50);
    data.nodes.forEach((node, index) => {
      const id = ids[index]!;
      if (unknown.has(id)) {
        expect(node, id).toBeNull();
        return;
      }
      const typename = TYPENAME_BY_PREFIX.find(([pattern]) => pattern.test(id))![1];
      expect(node, id).toMatchObject({ __typename: typename, id });
    });
    // The withdrawn invite and the Default Workspace are there too.
    expect(data.nodes[ids.indexOf(FIXTURE_IDS.deletedInvite)]).toMatchObject({
      inviteStatus: 'DELETED',
    });
    expect(data.nodes[ids.indexOf(FIXTURE_IDS.defaultWorkspace)]).toMatchObject({
      name: 'Default',
    });

    // One list page per collection; single GETs only for what the lists did not show (the
    // withdrawn invite and the ids nothing has: no list is taken to hold every object, so their
    // 404 is what says they do not exist). The workspace walk includes the Default Workspace.
    const made = calls(h);
    expect(made.length).toBeLessThanOrEqual(10);
    expect(made.sort()).toEqual(
      [
        `GET ${API}/users/${unknownId('user_')}`,
        `GET ${API}/api_keys/${unknownId('apikey_')}`,
        `GET ${API}/workspaces/${production}/members/${unknownId('user_')}`,
        `GET ${API}/me`,
        `GET ${API}/users?limit=1000`,
        `GET ${API}/api_keys?limit=1000`,
        `GET ${API}/workspaces?limit=1000&include_archived=true&include_default=true`,
        `GET ${API}/invites?limit=1000`,
        `GET ${API}/invites/${FIXTURE_IDS.deletedInvite}`,
        `GET ${API}/workspaces/${production}/members?limit=1000`,
      ].sort(),
    );
  });

  it('one malformed id fails only its own position', async () => {
    const h = harness();
    const ids = [
      FIXTURE_IDS.adminUser,
      production,
      'user_x/../../api_keys',
      FIXTURE_IDS.activeApiKey,
      unknownId('user_'),
    ];
    const body = await post(h, QNodesDocument, { ids });
    const nodes = (body.data as { nodes: unknown[] }).nodes;
    expect(nodes).toHaveLength(5);
    expect(nodes[0]).toMatchObject({ __typename: 'User', id: FIXTURE_IDS.adminUser });
    expect(nodes[1]).toMatchObject({ __typename: 'Workspace', id: production });
    expect(nodes[2]).toBeNull();
    expect(nodes[3]).toMatchObject({ __typename: 'ApiKey', id: FIXTURE_IDS.activeApiKey });
    expect(nodes[4]).toBeNull();
    expect(body.errors?.map((e) => e.path)).toEqual([['nodes', 2]]);
    expect(errorCodes(body)).toEqual(['BAD_USER_INPUT']);
    // Nothing was requested for the malformed id.
    for (const request of h.upstream()) expect(request.path).not.toMatch(/\.\.|user_x/);
  });

  it('several malformed ids each fail at their own position', async () => {
    const h = harness();
    const ids = [
      '%2e%2e',
      FIXTURE_IDS.pendingInvite,
      `workspace_member:wrkspc_../users:${FIXTURE_IDS.userUser}`,
      memberId(production, FIXTURE_IDS.developerUser),
      'wrkspc_../users',
    ];
    const body = await post(h, QNodesDocument, { ids });
    const nodes = (body.data as { nodes: unknown[] }).nodes;
    expect(nodes[0]).toBeNull();
    expect(nodes[1]).toMatchObject({ __typename: 'Invite', id: FIXTURE_IDS.pendingInvite });
    expect(nodes[2]).toBeNull();
    expect(nodes[3]).toMatchObject({
      __typename: 'WorkspaceMember',
      memberRole: 'WORKSPACE_DEVELOPER',
    });
    expect(nodes[4]).toBeNull();
    expect(body.errors?.map((e) => e.path).sort()).toEqual([
      ['nodes', 0],
      ['nodes', 2],
      ['nodes', 4],
    ]);
    expect(new Set(errorCodes(body))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(calls(h).sort()).toEqual(
      [
        `GET ${API}/invites/${FIXTURE_IDS.pendingInvite}`,
        `GET ${API}/workspaces/${production}/members/${FIXTURE_IDS.developerUser}`,
      ].sort(),
    );
  });

  it('only malformed ids: errors at every position and no upstream call', async () => {
    const h = harness();
    const body = await post(h, QNodesDocument, { ids: ['user_x/../../api_keys', '..'] });
    expectRefusedWithoutUpstream(h, body);
    expect(body.errors?.map((e) => e.path)).toEqual([
      ['nodes', 0],
      ['nodes', 1],
    ]);
  });

  it('an empty list is an empty list, for free', async () => {
    const h = harness();
    const data = await h.client.request(QNodesDocument, { ids: [] });
    expect(data.nodes).toEqual([]);
    expect(calls(h)).toEqual([]);
  });
});
