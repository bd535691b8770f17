import { describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  QApiKeysWithRelationsDocument,
  QListThenLookupDocument,
  QListedUsersThenTheirKeysDocument,
  QListedWorkspacesThenTheirKeysDocument,
  QLookupThenListDocument,
  QSameUserManyWaysDocument,
  QUsersPageDocument,
} from '../generated/graphql.js';
import { postGraphQL } from '../support/harness.js';
import { API, calls, callsTo, useHarness } from './helpers.js';

const harness = useHarness();

group('per-request loaders', () => {
  it('one user asked for through aliases, node() and nested paths costs one GET', async () => {
    const h = harness();
    const data = await h.client.request(QSameUserManyWaysDocument, {
      userId: FIXTURE_IDS.adminUser,
      apiKeyId: FIXTURE_IDS.activeApiKey, // created by, and acting as, the admin user
    });
    expect(data.a).toEqual({ id: FIXTURE_IDS.adminUser });
    expect(data.b).toEqual({ name: 'Maria Okafor' });
    expect(data.c).toEqual({ id: FIXTURE_IDS.adminUser, email: 'maria.okafor@northwind.example' });
    expect(data.apiKey?.createdBy?.user).toEqual({
      id: FIXTURE_IDS.adminUser,
      name: 'Maria Okafor',
    });
    expect(data.apiKey?.principal?.user).toEqual({ id: FIXTURE_IDS.adminUser, role: 'ADMIN' });

    expect(calls(h).sort()).toEqual(
      [
        `GET ${API}/users/${FIXTURE_IDS.adminUser}`,
        `GET ${API}/api_keys/${FIXTURE_IDS.activeApiKey}`,
      ].sort(),
    );
  });

  it('users a list brought are not fetched again when nested fields ask for them', async () => {
    const h = harness();
    const data = await h.client.request(QListedUsersThenTheirKeysDocument, {
      users: 5,
      keys: 5,
      roles: ['ADMIN'],
    });
    const users = data.organization.users!.nodes;
    expect(users).toHaveLength(5);
    const keys = users.flatMap((user) => user.apiKeys!.nodes.map((key) => ({ user, key })));
    // Not vacuous: the nested keys name their creators, who are the listed users.
    expect(keys.length).toBeGreaterThan(0);
    for (const { user, key } of keys) expect(key.createdBy?.user?.id).toBe(user.id);

    const made = calls(h);
    expect(made.filter((call) => call.startsWith(`GET ${API}/users`))).toEqual([
      `GET ${API}/users?limit=5&roles[]=admin`,
    ]);
    // The users' first pages of keys share one walk of all keys instead of one list per user.
    expect(callsTo(h, `${API}/api_keys`).map((r) => r.query)).toEqual([{ limit: ['1000'] }]);
    expect(made).toHaveLength(2);
    // …and each page is what the Admin API lists for that user alone (a lone user's keys are
    // listed with created_by_user_id).
    for (const user of users) {
      const { body } = await postGraphQL(h.endpoint, {
        query: `{ user(id: "${user.id}") { apiKeys(first: 5) { nodes { id } } } }`,
      });
      const alone = (body.data as { user: { apiKeys: { nodes: { id: string }[] } } }).user;
      expect(user.apiKeys!.nodes.map((key) => key.id)).toEqual(
        alone.apiKeys.nodes.map((key) => key.id),
      );
    }
  });

  it('workspaces a list brought are not fetched again for their keys’ workspace field', async () => {
    const h = harness();
    const data = await h.client.request(QListedWorkspacesThenTheirKeysDocument, {
      workspaces: 5,
      keys: 5,
    });
    const workspaces = data.organization.workspaces!.nodes;
    expect(workspaces).toHaveLength(5);
    let nested = 0;
    for (const workspace of workspaces) {
      for (const key of workspace.apiKeys!.nodes) {
        expect(key.workspace?.id).toBe(workspace.id);
        nested++;
      }
    }
    expect(nested).toBeGreaterThan(5);

    const made = calls(h);
    expect(made.filter((call) => call.startsWith(`GET ${API}/workspaces`))).toEqual([
      `GET ${API}/workspaces?limit=5&include_archived=false`,
    ]);
    // The workspaces' first pages of keys share one walk of all keys.
    expect(callsTo(h, `${API}/api_keys`).map((r) => r.query)).toEqual([{ limit: ['1000'] }]);
    expect(made).toHaveLength(2);
  });

  it('a page of 50 API keys with createdBy.user, principal.user and workspace costs 4 requests', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysWithRelationsDocument, { first: 50 });
    const keys = data.organization.apiKeys!.nodes;
    expect(keys).toHaveLength(50);

    const store = h.sandbox.store;
    const creators = new Set(
      keys.flatMap((k) => (k.createdBy?.type === 'user' ? [k.createdBy.id] : [])),
    );
    const workspaces = new Set(keys.flatMap((k) => (k.workspaceId ? [k.workspaceId] : [])));
    // Enough distinct related objects that one GET each would be far more than 3.
    expect(creators.size).toBeGreaterThan(10);
    expect(workspaces.size).toBeGreaterThan(3);

    for (const key of keys) {
      expect(key.workspace?.id ?? null).toBe(key.workspaceId);
      if (key.workspace) {
        expect(key.workspace.name).toBe(store.workspaces.get(key.workspace.id)!.name);
      }
      if (key.createdBy?.type === 'user') {
        const user = store.users.get(key.createdBy.id);
        // A creator who left the organization resolves to null.
        expect(key.createdBy.user).toEqual(user ? { id: user.id, name: user.name } : null);
      } else if (key.createdBy) {
        expect(key.createdBy.user).toBeNull();
      }
      if (key.principal?.type === 'user') {
        expect(key.principal.user?.id ?? null).toBe(
          store.users.has(key.principal.id) ? key.principal.id : null,
        );
      }
    }

    // The creator who left the organization is in no list: nothing documents that the list holds
    // every user, so its GET (a 404) is what says it is gone.
    expect(calls(h).sort()).toEqual(
      [
        `GET ${API}/api_keys?limit=50`,
        `GET ${API}/users?limit=1000`,
        `GET ${API}/users/${FIXTURE_IDS.removedUser}`,
        `GET ${API}/workspaces?limit=1000&include_archived=true&include_default=true`,
      ].sort(),
    );
  });

  it('the cost of related objects does not grow with the page: 200 keys also cost 4 requests', async () => {
    const h = harness();
    const data = await h.client.request(QApiKeysWithRelationsDocument, { first: 200 });
    expect(data.organization.apiKeys!.nodes).toHaveLength(200);
    expect(calls(h)).toHaveLength(4);
    expect(callsTo(h, `${API}/users`).map((r) => r.query)).toEqual([{ limit: ['1000'] }]);
  });
});

/*
 * A root `user(id:)` lookup next to a list that contains the same user. GraphQL runs root fields
 * of a query concurrently, so the lookup starts while the list is still in flight. The loaders
 * promise that "whatever a list brought is never fetched again in the same request"; these tests
 * check whether that holds when the two are siblings, in either order.
 */
group('a lookup next to a list that holds the same object', () => {
  it('organization.users(first: 5) then user(id: <one of them>) makes no GET /users/{id}', async () => {
    const h = harness();
    const page = await h.client.request(QUsersPageDocument, { first: 5 });
    const target = page.organization.users!.edges[2]!.node;
    h.resetCounts();

    const data = await h.client.request(QListThenLookupDocument, { first: 5, userId: target.id });
    expect(data.user).toEqual({ id: target.id, name: target.name });
    expect(data.organization.users!.nodes.map((u) => u.id)).toContain(target.id);
    // The operation also looks a user up, so the page is fetched 1000 long (one request) and cut
    // to five: the lookup finds its user in it.
    expect(data.organization.users!.nodes).toHaveLength(5);
    expect(calls(h)).toEqual([`GET ${API}/users?limit=1000`]);
  });

  it('user(id: <one of them>) then organization.users(first: 5) makes no GET /users/{id}', async () => {
    const h = harness();
    const page = await h.client.request(QUsersPageDocument, { first: 5 });
    const target = page.organization.users!.edges[2]!.node;
    h.resetCounts();

    const data = await h.client.request(QLookupThenListDocument, { first: 5, userId: target.id });
    expect(data.user).toEqual({ id: target.id, name: target.name });
    expect(calls(h)).toEqual([`GET ${API}/users?limit=1000`]);
  });

  it('a lookup of a user the whole list does not show costs its GET, and a 404 is null', async () => {
    const h = harness();
    // The removed user still appears as the creator of some keys, but is in no list. Nothing
    // documents that the list holds every user, so the GET decides.
    const data = await h.client.request(QListThenLookupDocument, {
      first: 5,
      userId: FIXTURE_IDS.removedUser,
    });
    expect(data.user).toBeNull();
    expect(calls(h).sort()).toEqual(
      [`GET ${API}/users?limit=1000`, `GET ${API}/users/${FIXTURE_IDS.removedUser}`].sort(),
    );
  });

  it('a lookup of a user beyond the page a list shows costs nothing either', async () => {
    const h = harness();
    const all = await h.client.request(QUsersPageDocument, { first: 200 });
    const target = all.organization.users!.edges[150]!.node;
    h.resetCounts();

    const data = await h.client.request(QListThenLookupDocument, { first: 5, userId: target.id });
    expect(data.user).toEqual({ id: target.id, name: target.name });
    expect(data.organization.users!.nodes.map((u) => u.id)).not.toContain(target.id);
    expect(data.organization.users!.pageInfo.hasNextPage).toBe(true);
    expect(calls(h)).toEqual([`GET ${API}/users?limit=1000`]);
  });
});
