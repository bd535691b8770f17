import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  QApiKeyDocument,
  QApiKeysPageDocument,
  QInviteDocument,
  QUserDocument,
  QUsersPageDocument,
  QWorkspaceDocument,
} from '../generated/graphql.js';
import { postGraphQL } from '../support/harness.js';
import { formatTimestamp, useHarness } from './helpers.js';

/*
 * The Admin API gives timestamps with microseconds (2025-03-04T17:22:10.512384Z). The gateway
 * must hand them on as they came, not cut to milliseconds by a Date round trip.
 */

const harness = useHarness();

/** RFC 3339 UTC with exactly six fractional digits. */
const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

group('DateTime keeps the upstream microseconds', () => {
  it('User.addedAt', async () => {
    const h = harness();
    const record = h.sandbox.store.users.get(FIXTURE_IDS.adminUser)!;
    const data = await h.client.request(QUserDocument, { id: FIXTURE_IDS.adminUser });
    expect(data.user?.addedAt).toBe(formatTimestamp(record.addedAt));
    // The fixture's sub-millisecond digits survive.
    expect(data.user?.addedAt).toMatch(/\.512384Z$/);
  });

  it('Invite.invitedAt, expiresAt and acceptedAt', async () => {
    const h = harness();
    const record = h.sandbox.store.invites.get(FIXTURE_IDS.acceptedInvite)!;
    const data = await h.client.request(QInviteDocument, { id: FIXTURE_IDS.acceptedInvite });
    expect(data.invite).toMatchObject({
      invitedAt: formatTimestamp(record.invitedAt),
      expiresAt: formatTimestamp(record.expiresAt),
      acceptedAt: formatTimestamp(record.acceptedAt!),
    });
    expect(data.invite?.invitedAt).toMatch(/\.250031Z$/);
    expect(data.invite?.acceptedAt).toMatch(/\.104216Z$/);
  });

  it('Workspace.createdAt and archivedAt', async () => {
    const h = harness();
    const record = h.sandbox.store.workspaces.get(FIXTURE_IDS.archivedWorkspace)!;
    const data = await h.client.request(QWorkspaceDocument, {
      id: FIXTURE_IDS.archivedWorkspace,
    });
    expect(data.workspace).toMatchObject({
      createdAt: formatTimestamp(record.createdAt),
      archivedAt: formatTimestamp(record.archivedAt!),
    });
    expect(data.workspace?.createdAt).toMatch(/\.775043Z$/);
    expect(data.workspace?.archivedAt).toMatch(/\.301552Z$/);
  });

  it('ApiKey.createdAt and expiresAt', async () => {
    const h = harness();
    const record = h.sandbox.store.apiKeys.get(FIXTURE_IDS.expiredApiKey)!;
    const data = await h.client.request(QApiKeyDocument, { id: FIXTURE_IDS.expiredApiKey });
    expect(data.apiKey).toMatchObject({
      createdAt: formatTimestamp(record.createdAt),
      expiresAt: formatTimestamp(record.expiresAt!),
    });
    expect(data.apiKey?.createdAt).toMatch(/\.067315Z$/);
  });

  it('every timestamp of a list page matches the sandbox record exactly', async () => {
    const h = harness();
    const store = h.sandbox.store;
    const users = await h.client.request(QUsersPageDocument, { first: 100 });
    for (const { node } of users.organization.users!.edges) {
      expect(node.addedAt).toMatch(MICROS);
      expect(node.addedAt).toBe(formatTimestamp(store.users.get(node.id)!.addedAt));
    }
    const keys = await h.client.request(QApiKeysPageDocument, { first: 100 });
    const expiring = keys.organization.apiKeys!.edges.filter((e) => e.node.expiresAt !== null);
    expect(expiring.length).toBeGreaterThan(0);
    for (const { node } of keys.organization.apiKeys!.edges) {
      const record = store.apiKeys.get(node.id)!;
      expect(node.createdAt).toBe(formatTimestamp(record.createdAt));
      expect(node.expiresAt).toBe(
        record.expiresAt === null ? null : formatTimestamp(record.expiresAt),
      );
    }
  });
});

group('output scalars hand on what the Admin API returns, as it is', () => {
  const query = `query ($user: ID!, $invite: ID!) { user(id: $user) { id email } invite(id: $invite) { id email } }`;

  it('an internationalized or quoted email address comes out instead of nulling its object', async () => {
    const h = harness();
    const user = h.sandbox.store.users.get(FIXTURE_IDS.userUser)!;
    const invite = h.sandbox.store.invites.get(FIXTURE_IDS.pendingInvite)!;
    const saved = [user.email, invite.email] as const;
    user.email = 'zoë.müller@bücher.example';
    invite.email = '"jo doe"@example.com';
    try {
      const { body } = await postGraphQL(h.endpoint, {
        query,
        variables: { user: FIXTURE_IDS.userUser, invite: FIXTURE_IDS.pendingInvite },
      });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        user: { id: FIXTURE_IDS.userUser, email: 'zoë.müller@bücher.example' },
        invite: { id: FIXTURE_IDS.pendingInvite, email: '"jo doe"@example.com' },
      });
    } finally {
      [user.email, invite.email] = saved;
    }
  });

  it('inputs stay strict: an invalid address or date-time argument is refused', async () => {
    const h = harness();
    const invalid = await postGraphQL(h.endpoint, {
      query: `mutation { createInvite(input: { email: "not an address", role: USER }) { userErrors { code } } }`,
    });
    expect(invalid.body.errors?.[0]?.message).toMatch(/email/i);
    const date = await postGraphQL(h.endpoint, {
      query: `{ organization { costReport(startingAt: "2026-10-01") { nodes { startingAt } } } }`,
    });
    expect(date.body.errors?.[0]?.message).toMatch(/DateTime/);
    expect(h.upstream().filter((r) => r.method !== 'GET' || r.path.includes('cost'))).toEqual([]);
  });
});
