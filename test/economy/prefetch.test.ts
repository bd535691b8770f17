import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateOperation, UNKNOWN_SCOPE } from '../../src/graphql/cost/estimate.js';
import { schema } from '../../src/graphql/schema.js';
import { FIXTURE_IDS, type RecordedRequest } from '../../src/sandbox/index.js';
import { OCTOBER } from '../reports/helpers.js';
import { describe as describeRequest, startHarness, type Harness } from '../support/harness.js';

const prefetchOf = (document: string) =>
  estimateOperation(schema, parse(document), null, {}).prefetch;

const MEMBERS_WITH_USERS = /* GraphQL */ `
  {
    organization {
      workspaces(first: 10) {
        nodes {
          id
          members(first: 50) {
            nodes {
              role
              user {
                name
              }
            }
          }
        }
      }
    }
  }
`;

const KEYS_WITH_CREATORS = /* GraphQL */ `
  {
    organization {
      apiKeys(first: 100) {
        nodes {
          name
          createdBy {
            user {
              email
            }
          }
          workspace {
            name
          }
        }
      }
    }
  }
`;

describe('what the estimate says an operation will read first', () => {
  /** The collections whose lookups' walk starts early. */
  const walked = (document: string) =>
    prefetchOf(document)
      .filter((read) => !read.filters)
      .map((read) => read.collection)
      .sort();

  it('users below a list of members; nothing for the workspaces a connection lists', () => {
    expect(prefetchOf(MEMBERS_WITH_USERS)).toEqual([
      { collection: 'users', needs: new Set(['read']) },
    ]);
  });

  it('the creators and workspaces of a list of keys, with the scope that shows keys', () => {
    const prefetch = prefetchOf(KEYS_WITH_CREATORS);
    expect(prefetch.map((read) => read.collection).sort()).toEqual(['users', 'workspaces']);
    for (const { needs } of prefetch) {
      expect(needs.has('apiKeysRead')).toBe(true);
      expect(needs.has(UNKNOWN_SCOPE)).toBe(false);
    }
  });

  it('nothing when a connection of the operation lists the collection', () => {
    const document = `{
      organization {
        users(first: 10) { nodes { id } }
        workspaces(first: 10) { nodes { members(first: 10) { nodes { user { name } } } } }
      }
    }`;
    expect(walked(document)).toEqual([]);
  });

  it('nothing for root lookups, aliases of one id included, nor below a page of one', () => {
    const user = FIXTURE_IDS.developerUser;
    expect(
      prefetchOf(`{ a: user(id: "${user}") { name } b: user(id: "${user}") { email } }`),
    ).toEqual([]);
    expect(
      prefetchOf(`{ organization { apiKeys(first: 1) { nodes { workspace { name } } } } }`),
    ).toEqual([]);
  });

  it('the ids of one kind in `nodes` when there are two or more of them', () => {
    const { adminUser, userUser } = FIXTURE_IDS;
    expect(walked(`{ nodes(ids: ["${adminUser}"]) { id } }`)).toEqual([]);
    expect(
      walked(`{ nodes(ids: ["${adminUser}", "${userUser}", "${adminUser}"]) { id } }`),
    ).toEqual(['users']);
    expect(walked(`{ nodes(ids: ["${adminUser}", "${adminUser}"]) { id } }`)).toEqual([]);
  });

  it('the shared walk of keys below a list of workspaces, with its filter as sent upstream', () => {
    const many = prefetchOf(`{ organization { workspaces(first: 10) { nodes {
      apiKeys(first: 5, status: ACTIVE) { nodes { name } }
    } } } }`);
    expect(many).toEqual([
      { collection: 'apiKeys', filters: { status: 'active' }, needs: new Set(['apiKeysRead']) },
    ]);
    // One workspace asks for its own keys; a later page is asked part by part.
    expect(
      prefetchOf(
        `{ organization { workspaces(first: 1) { nodes { apiKeys(first: 5) { nodes { name } } } } } }`,
      ),
    ).toEqual([]);
    expect(
      prefetchOf(
        `{ organization { workspaces(first: 10) { nodes { apiKeys(first: 5, after: "x") { nodes { name } } } } } }`,
      ),
    ).toEqual([]);
  });

  it('nothing for a mutation: its reads follow its writes', () => {
    const prefetch = prefetchOf(`mutation {
      updateApiKey(input: { id: "${FIXTURE_IDS.activeApiKey}", name: "renamed" }) {
        apiKey { workspace { apiKeys(first: 100) { nodes { createdBy { __typename } } } } }
      }
    }`);
    expect(prefetch).toEqual([]);
  });
});

describe('lists asked for as the operation starts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.sandbox.reset();
    h.sandbox.setLatency(0);
    await h.gateway.upstream.cache?.invalidate([
      'organization',
      'users',
      'invites',
      'workspaces',
      'members',
      'apiKeys',
    ]);
    h.resetCounts();
  });

  const post = async (query: string) => {
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };
  const find = (predicate: (request: RecordedRequest) => boolean) => h.upstream().filter(predicate);
  const usersList = (request: RecordedRequest) => request.path === '/v1/organizations/users';
  const workspacesList = (request: RecordedRequest) =>
    request.path === '/v1/organizations/workspaces';

  it('the users page of "members with their users" goes out with the workspaces list, and nothing is added', async () => {
    h.sandbox.setLatency(30);
    const body = await post(MEMBERS_WITH_USERS);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const [users] = find(usersList);
    const [workspaces] = find(workspacesList);
    // Same round: the users page arrived before the workspaces list was answered.
    expect(users!.arrivedAt).toBeLessThan(workspaces!.answeredAt);
    const memberPages = find((request) => request.path.endsWith('/members'));
    expect(memberPages.length).toBeGreaterThan(1);
    // The walk of the users took that page and asked for nothing more.
    expect(h.upstream().map(describeRequest).sort()).toEqual(
      [
        'GET /v1/organizations/users?limit=1000',
        describeRequest(workspaces!),
        ...memberPages.map(describeRequest),
      ].sort(),
    );
    const members = (
      body.data as {
        organization: {
          workspaces: { nodes: { members: { nodes: { user: { name: string } | null }[] } }[] };
        };
      }
    ).organization.workspaces.nodes.flatMap((workspace) => workspace.members.nodes);
    expect(members.length).toBeGreaterThan(2);
    expect(members.every((member) => member.user?.name)).toBe(true);
  });

  it('a users page that fails is asked again by the lookups, and the answer is whole', async () => {
    h.sandbox.injectFault({
      method: 'GET',
      path: '/v1/organizations/users',
      status: 400,
      message: 'refused once',
    });
    const body = await post(MEMBERS_WITH_USERS);
    expect(body.errors).toBeUndefined();
    const pages = find(usersList);
    expect(pages.map((request) => request.status)).toEqual([400, 200]);
    const names = JSON.stringify(body.data);
    expect(names).toContain('"user":{"name"');
    expect(names).not.toContain('"user":null');
  });

  it('a page the read cache holds costs nothing: the same reads again send no request', async () => {
    const cached = await startHarness({ config: { cacheTtlSeconds: 30 } });
    try {
      const send = async (query: string) => {
        const response = await fetch(cached.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        return (await response.json()) as { errors?: unknown[] };
      };
      expect((await send(MEMBERS_WITH_USERS)).errors).toBeUndefined();
      expect(cached.upstream().filter(usersList)).toHaveLength(1);
      cached.resetCounts();
      // A different text, so that the whole-result cache does not answer it.
      const again = await send(MEMBERS_WITH_USERS.replace('role', 'role roleValue'));
      expect(again.errors).toBeUndefined();
      expect(cached.upstream()).toEqual([]);
    } finally {
      await cached.close();
    }
  });

  it('no early page for a caller who may not see what makes the lookups', async () => {
    const limited = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: 'reader-token-000000000000000000000000', scopes: ['read'] },
          ],
        },
      },
    });
    try {
      limited.resetCounts();
      const response = await fetch(limited.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer reader-token-000000000000000000000000',
        },
        // The rows are shown; their keys are not (api_keys:read), so no key is looked up.
        body: JSON.stringify({
          query: `{ organization { messagesUsageReport(startingAt: "${OCTOBER.startingAt}", endingAt: "${OCTOBER.endingAt}", groupBy: [WORKSPACE_ID], first: 5) {
            nodes { results { outputTokens apiKey { name } } }
          } } }`,
        }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(limited.upstream().map((request) => request.path)).toEqual([
        '/v1/organizations/usage_report/messages',
      ]);
    } finally {
      await limited.close();
    }
  });
});
