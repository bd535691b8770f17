import { afterEach, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type {
  ApiKeyRecord,
  InviteRecord,
  MembershipRecord,
  UserRecord,
} from '../../src/sandbox/store.js';
import {
  QApiKeyDocument,
  QApiKeysPageDocument,
  QInviteDocument,
  QInvitesPageDocument,
  QUserDocument,
  QUsersPageDocument,
  QWorkspaceMemberDocument,
  QWorkspaceMembersPageDocument,
} from '../generated/graphql.js';
import { post, useHarness } from './helpers.js';

/*
 * The Admin API may add enum values at any time: an object with a value this gateway does not know
 * must still be returned, with the enum field UNKNOWN and the raw value in its `…Value` field.
 * The sandbox only emits known values, so these tests write unknown ones into its store.
 */

const harness = useHarness();

afterEach(() => {
  harness().sandbox.reset();
});

const production = FIXTURE_IDS.productionWorkspace;

function userRecord(id: string): UserRecord {
  const user = harness().sandbox.store.users.get(id);
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

group('unknown upstream enum values', () => {
  it('a user role the gateway does not know: by id and in a list', async () => {
    const h = harness();
    const user = userRecord(FIXTURE_IDS.developerUser);
    (user as { role: string }).role = 'super_admin';

    const byId = await post(h, QUserDocument, { id: user.id });
    expect(byId.errors).toBeUndefined();
    expect(byId.data).toEqual({
      user: expect.objectContaining({ id: user.id, role: 'UNKNOWN', roleValue: 'super_admin' }),
    });

    const listed = await post(h, QUsersPageDocument, { email: user.email });
    expect(listed.errors).toBeUndefined();
    const data = listed.data as {
      organization: { users: { edges: { node: { id: string; role: string } }[] } };
    };
    expect(data.organization.users.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ id: user.id, role: 'UNKNOWN', roleValue: 'super_admin' }),
    ]);
  });

  it('one unknown role in a page of users does not drop the others', async () => {
    const h = harness();
    const before = await h.client.request(QUsersPageDocument, { first: 10 });
    const ids = before.organization.users!.edges.map((e) => e.node.id);
    (userRecord(ids[4]!) as { role: string }).role = 'auditor';

    const after = await post(h, QUsersPageDocument, { first: 10 });
    expect(after.errors).toBeUndefined();
    const nodes = (
      after.data as {
        organization: {
          users: { edges: { node: { id: string; role: string; roleValue: string } }[] };
        };
      }
    ).organization.users.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(ids);
    expect(nodes[4]).toMatchObject({ role: 'UNKNOWN', roleValue: 'auditor' });
    expect(nodes.filter((n) => n.role === 'UNKNOWN')).toHaveLength(1);
  });

  it('an API key status the gateway does not know: by id and in a list', async () => {
    const h = harness();
    const key = h.sandbox.store.apiKeys.get(FIXTURE_IDS.activeApiKey) as ApiKeyRecord;
    (key as { status: string }).status = 'suspended';

    const byId = await post(h, QApiKeyDocument, { id: key.id });
    expect(byId.errors).toBeUndefined();
    expect(byId.data).toEqual({
      apiKey: expect.objectContaining({
        id: key.id,
        name: 'prod-backend',
        status: 'UNKNOWN',
        statusValue: 'suspended',
      }),
    });

    const listed = await post(h, QApiKeysPageDocument, {
      first: 1000,
      createdByUserId: FIXTURE_IDS.adminUser,
      workspaceId: production,
    });
    expect(listed.errors).toBeUndefined();
    const nodes = (
      listed.data as { organization: { apiKeys: { edges: { node: { id: string } }[] } } }
    ).organization.apiKeys.edges.map((e) => e.node);
    expect(nodes).toContainEqual(
      expect.objectContaining({ id: key.id, status: 'UNKNOWN', statusValue: 'suspended' }),
    );
  });

  it('an invite status and an invite role the gateway does not know', async () => {
    const h = harness();
    const invite = h.sandbox.store.invites.get(FIXTURE_IDS.pendingInvite) as InviteRecord;
    (invite as { status: string }).status = 'revoked';
    (invite as { role: string }).role = 'guest';

    const body = await post(h, QInviteDocument, { id: invite.id });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      invite: expect.objectContaining({
        id: invite.id,
        email: 'sam.lee@northwind.example',
        status: 'UNKNOWN',
        statusValue: 'revoked',
        role: 'UNKNOWN',
        roleValue: 'guest',
      }),
    });
  });

  it('an unknown invite role in a list', async () => {
    const h = harness();
    const invite = h.sandbox.store.invites.get(FIXTURE_IDS.acceptedInvite) as InviteRecord;
    (invite as { role: string }).role = 'guest';
    const body = await post(h, QInvitesPageDocument, { email: invite.email, first: 10 });
    expect(body.errors).toBeUndefined();
    const nodes = (
      body.data as { organization: { invites: { edges: { node: { id: string } }[] } } }
    ).organization.invites.edges.map((e) => e.node);
    expect(nodes).toContainEqual(
      expect.objectContaining({ id: invite.id, role: 'UNKNOWN', roleValue: 'guest' }),
    );
  });

  it('a workspace role the gateway does not know: by id and in the member list', async () => {
    const h = harness();
    const membership = h.sandbox.store.memberships
      .get(production)
      ?.get(FIXTURE_IDS.developerUser) as MembershipRecord;
    expect(membership).toBeDefined();
    (membership as { role: string }).role = 'workspace_owner';

    const byId = await post(h, QWorkspaceMemberDocument, {
      workspaceId: production,
      userId: FIXTURE_IDS.developerUser,
    });
    expect(byId.errors).toBeUndefined();
    expect(byId.data).toEqual({
      workspaceMember: expect.objectContaining({
        id: `workspace_member:${production}:${FIXTURE_IDS.developerUser}`,
        role: 'UNKNOWN',
        roleValue: 'workspace_owner',
      }),
    });

    const listed = await post(h, QWorkspaceMembersPageDocument, {
      workspaceId: production,
      first: 1000,
    });
    expect(listed.errors).toBeUndefined();
    const nodes = (
      listed.data as { workspace: { members: { edges: { node: { id: string } }[] } } }
    ).workspace.members.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(10);
    expect(nodes).toContainEqual({
      id: `workspace_member:${production}:${FIXTURE_IDS.developerUser}`,
      role: 'UNKNOWN',
      roleValue: 'workspace_owner',
    });
  });
});
