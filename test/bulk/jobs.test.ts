import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type Database } from '../../src/db/database.js';
import { EXAMPLE_OPERATIONS, exampleVariables } from '../../src/app/graphiql/examples.js';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { CALLER_KEY, type RunningGateway } from '../support/harness.js';
import {
  SANDBOX_LIMIT,
  emails,
  finished,
  follow,
  gatewayOn,
  gql,
  inviteWrites,
  startInvites,
  until,
  upstream429s,
} from './helpers.js';

const MISSING_USER = 'user_01ZZZZZZZZZZZZZZZZZZZZZZ';
const READER = 'bulk-jobs-reader-token-0123456789';
const WRITER = 'bulk-jobs-writer-token-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const AUTH = {
  auth: {
    mode: 'token' as const,
    tokens: [
      { name: 'dashboards', token: READER, scopes: ['read'] },
      { name: 'onboarding', token: WRITER, scopes: ['read', 'write', 'members:write'] },
    ],
  },
};

let sandbox: Sandbox;
let database: Database;
let g: RunningGateway;
const db = async () => database;
beforeAll(async () => {
  sandbox = await startSandbox({
    ...SANDBOX_LIMIT,
    credentials: {
      admin: DEFAULT_SANDBOX_KEY,
      caller: CALLER_KEY,
      oauth: DEFAULT_SANDBOX_OAUTH_TOKEN,
    },
  });
  database = await freshDatabase();
  g = await gatewayOn(sandbox, db, AUTH);
}, 60_000);
afterAll(async () => {
  await g?.close();
  await sandbox.close();
  await database.close();
});
beforeEach(() => sandbox.clearRequests());

const jobCount = async () =>
  Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM bulk_operations'))[0]!.n);

describe('a bulk job paced within the budget', () => {
  it('300 items against a sandbox limited to 100 per window: 0 upstream 429s, each applied once, interactive readers served', async () => {
    const list = emails(300, 'paced');
    const id = await startInvites(g.endpoint, list, bearer(WRITER));

    // Meanwhile a reader keeps querying, one upstream request per query, and is never refused:
    // the job leaves the reader's room in the budget free (no waiting allowed: maxWait 0).
    const codes: unknown[] = [];
    let readerQueries = 0;
    const first = await follow(g.endpoint, id, bearer(WRITER));
    expect(first.total).toBe(300);
    // At half of 100 per second, 300 items take about 6 s: the estimate says so.
    expect(first.estimatedSecondsLeft).toBeGreaterThanOrEqual(5);
    expect(first.estimatedSecondsLeft).toBeLessThanOrEqual(6);
    const done = await until(
      async () => {
        const reader = await gql(g.endpoint, '{ organization { name } }', {}, bearer(READER));
        readerQueries++;
        codes.push(reader.errors?.[0]?.extensions?.['code'] ?? 'ok');
        await new Promise((resolve) => setTimeout(resolve, 40));
        return follow(g.endpoint, id, bearer(WRITER));
      },
      finished,
      60_000,
    );
    expect(done).toMatchObject({ status: 'SUCCEEDED', done: 300, failed: 0, left: 0 });
    expect(done.estimatedSecondsLeft).toBe(0);
    expect(readerQueries).toBeGreaterThan(20);
    expect(codes.filter((code) => code !== 'ok')).toEqual([]);
    expect(upstream429s(sandbox)).toBe(0);
    const writes = inviteWrites(sandbox);
    expect(writes.size).toBe(300);
    expect([...writes.values()].every((count) => count === 1)).toBe(true);
    expect(list.every((email) => writes.get(email) === 1)).toBe(true);
    // The stored items carry the Admin API's request ids.
    const [row] = await database.query<{ n: string }>(
      `SELECT count(*) AS n FROM bulk_items WHERE operation_id = $1 AND upstream_request_id IS NOT NULL`,
      [id],
    );
    expect(Number(row!.n)).toBe(300);
  }, 90_000);
});

describe('validation', () => {
  it('refuses malformed and repeated ids up front: no job, no upstream request', async () => {
    const before = await jobCount();
    const body = await gql(
      g.endpoint,
      `mutation($users: [ID!]!) {
        bulkRemoveUsers(input: { userIds: $users }) {
          bulkOperation { id } userErrors { code field message }
        }
      }`,
      { users: [FIXTURE_IDS.userUser, 'wrkspc_nope', FIXTURE_IDS.userUser] },
      bearer(WRITER),
    );
    expect(body.errors).toBeUndefined();
    const payload = body.data!['bulkRemoveUsers'] as {
      bulkOperation: null;
      userErrors: { code: string; field: string[] }[];
    };
    expect(payload.bulkOperation).toBeNull();
    expect(payload.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['input', 'userIds', '1']],
      ['INVALID_INPUT', ['input', 'userIds', '2']],
    ]);
    const members = await gql(
      g.endpoint,
      `mutation {
        bulkAddWorkspaceMembers(input: { userIds: [], workspaceIds: ["${FIXTURE_IDS.defaultWorkspace}"], role: WORKSPACE_BILLING }) {
          bulkOperation { id } userErrors { code field }
        }
      }`,
      {},
      bearer(WRITER),
    );
    expect(
      (members.data!['bulkAddWorkspaceMembers'] as { userErrors: { field: string[] }[] })
        .userErrors,
    ).toEqual([
      { code: 'INVALID_INPUT', field: ['input'] },
      { code: 'INVALID_INPUT', field: ['input', 'role'] },
    ]);
    const duplicates = await gql(
      g.endpoint,
      `mutation { bulkCreateInvites(input: { emails: ["a@x.example.com", "A@x.example.com"], role: USER }) {
        bulkOperation { id } userErrors { code field }
      } }`,
      {},
      bearer(WRITER),
    );
    expect((duplicates.data!['bulkCreateInvites'] as { userErrors: unknown[] }).userErrors).toEqual(
      [{ code: 'INVALID_INPUT', field: ['input', 'emails', '1'] }],
    );
    expect(await jobCount()).toBe(before);
    expect(sandbox.requests).toEqual([]);
  });

  it('needs the scopes of the single mutation', async () => {
    const reader = await gql(
      g.endpoint,
      `mutation { bulkRemoveUsers(input: { userIds: ["${FIXTURE_IDS.userUser}"] }) { userErrors { code } } }`,
      {},
      bearer(READER),
    );
    expect(reader.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const keys = await gql(
      g.endpoint,
      `mutation { bulkUpdateApiKeys(input: { keys: [{ apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "x" }] }) { userErrors { code } } }`,
      {},
      bearer(WRITER),
    );
    expect(keys.errors?.[0]?.extensions?.['missingScopes']).toEqual(['api_keys:write']);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('credentials', () => {
  it('a request acting with a forwarded credential starts no job: jobs run with the gateway’s own key', async () => {
    const w = await startKeysWriter();
    try {
      const before = await jobCount();
      const body = await gql(
        w.endpoint,
        `mutation { bulkRemoveUsers(input: { userIds: ["${FIXTURE_IDS.userUser}"] }) {
          bulkOperation { id } userErrors { code message }
        } }`,
        {},
        { 'x-api-key': CALLER_KEY },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!['bulkRemoveUsers']).toMatchObject({
        bulkOperation: null,
        userErrors: [{ code: 'NOT_PERMITTED' }],
      });
      expect(JSON.stringify(body)).not.toContain(CALLER_KEY);
      expect(await jobCount()).toBe(before);
      expect(sandbox.requests).toEqual([]);
    } finally {
      await w.close();
    }
  });
});

describe('dry run', () => {
  it('previews the job with its predicted userErrors, stores nothing and sends nothing', async () => {
    const before = await jobCount();
    const document = (directive: string) => `mutation ${directive} {
      bulkUpdateApiKeys(input: { keys: [
        { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "rotated-1" },
        { apiKeyId: "wrkspc_bad", name: "x" },
        { apiKeyId: "${FIXTURE_IDS.expiredApiKey}" }
      ] }) {
        bulkOperation { status total failed left items(first: 10) { nodes { index apiKeyId userErrors { code field } } } }
        userErrors { code field }
      }
    }`;
    const admin = { authorization: `Bearer ${WRITER}` };
    for (const [directive, headers] of [
      ['@dryRun', {}],
      ['', { 'x-dry-run': '1' }],
    ] as const) {
      const body = await gql(g.endpoint, document(directive), {}, { ...admin, ...headers });
      // The writer lacks api_keys:write: a dry run checks scopes as the real run would.
      expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    const keysWriter = await startKeysWriter();
    try {
      for (const [directive, headers] of [
        ['@dryRun', {}],
        ['', { 'x-dry-run': '1' }],
      ] as const) {
        const body = await gql(keysWriter.endpoint, document(directive), {}, headers);
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        const payload = body.data!['bulkUpdateApiKeys'] as {
          bulkOperation: {
            status: string;
            total: number;
            failed: number;
            items: { nodes: { index: number; userErrors: { field: string[] }[] }[] };
          };
          userErrors: { field: string[] }[];
        };
        expect(payload.bulkOperation).toMatchObject({ status: 'DRY_RUN', total: 3, failed: 2 });
        expect(
          payload.bulkOperation.items.nodes.map((n) => n.userErrors.map((e) => e.field)),
        ).toEqual([[], [['input', 'keys', '1', 'apiKeyId']], [['input', 'keys', '2']]]);
        expect(payload.userErrors).toHaveLength(2);
      }
      expect(await jobCount()).toBe(before);
      expect(sandbox.requests).toEqual([]);
    } finally {
      await keysWriter.close();
    }
  });
});

/** A gateway whose anonymous caller holds every scope (no auth), on the same database. */
const startKeysWriter = () => gatewayOn(sandbox, db);

describe('the four kinds', () => {
  it('members, keys and removals each apply once; duplicates count as done, refusals fail per item', async () => {
    const w = await startKeysWriter();
    try {
      const start = async (mutation: string) => {
        const body = await gql(w.endpoint, mutation);
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        const payload = Object.values(body.data!)[0] as {
          bulkOperation: { id: string };
          userErrors: unknown[];
        };
        expect(payload.userErrors).toEqual([]);
        return payload.bulkOperation.id;
      };
      const members = await start(`mutation { bulkAddWorkspaceMembers(input: {
        userIds: ["${FIXTURE_IDS.userUser}", "${FIXTURE_IDS.developerUser}"],
        workspaceIds: ["${FIXTURE_IDS.productionWorkspace}", "${FIXTURE_IDS.defaultWorkspace}"],
        role: WORKSPACE_DEVELOPER }) { bulkOperation { id } userErrors { code } } }`);
      const keys = await start(`mutation { bulkUpdateApiKeys(input: { keys: [
        { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "rotated" },
        { apiKeyId: "apikey_01ZZZZZZZZZZZZZZZZZZZZZZ", status: INACTIVE }
      ] }) { bulkOperation { id } userErrors { code } } }`);
      const removals = await start(`mutation { bulkRemoveUsers(input: {
        userIds: ["${FIXTURE_IDS.billingUser}", "${MISSING_USER}"] }) { bulkOperation { id } userErrors { code } } }`);
      for (const id of [members, keys, removals]) {
        const done = await until(() => follow(w.endpoint, id), finished);
        expect(done.total).toBe(id === members ? 4 : 2);
      }
      const items = async (id: string) => {
        const body = await gql(
          w.endpoint,
          `query($id: ID!) { bulkOperation(id: $id) { status items { nodes { status userErrors { code field } } } } }`,
          { id },
        );
        return body.data!['bulkOperation'] as {
          status: string;
          items: { nodes: { status: string; userErrors: unknown[] }[] };
        };
      };
      // Members: each pair sent once; the Default Workspace has no member list: those two fail.
      expect(await items(members)).toEqual({
        status: 'PARTIAL',
        items: {
          nodes: [
            { status: 'DONE', userErrors: [] },
            { status: 'DONE', userErrors: [] },
            { status: 'FAILED', userErrors: [{ code: 'INVALID_INPUT', field: null }] },
            { status: 'FAILED', userErrors: [{ code: 'INVALID_INPUT', field: null }] },
          ],
        },
      });
      const memberWrites = sandbox.requests.filter(
        (r) => r.method === 'POST' && /\/workspaces\/[^/]+\/members$/.test(r.path),
      );
      expect(memberWrites).toHaveLength(4);
      expect(await items(keys)).toEqual({
        status: 'PARTIAL',
        items: {
          nodes: [
            { status: 'DONE', userErrors: [] },
            { status: 'FAILED', userErrors: [{ code: 'NOT_FOUND', field: ['apiKeyId'] }] },
          ],
        },
      });
      expect((await items(removals)).items.nodes.map((n) => n.status)).toEqual(['DONE', 'FAILED']);
      // Adding the same members again: the Admin API says they exist; each counts as done.
      sandbox.clearRequests();
      const again = await start(`mutation { bulkAddWorkspaceMembers(input: {
        userIds: ["${FIXTURE_IDS.userUser}"], workspaceIds: ["${FIXTURE_IDS.productionWorkspace}"],
        role: WORKSPACE_DEVELOPER }) { bulkOperation { id } userErrors { code } } }`);
      expect((await until(() => follow(w.endpoint, again), finished)).status).toBe('SUCCEEDED');
    } finally {
      await w.close();
    }
  });
});

describe('cancel', () => {
  it('stops a running job: items not yet sent never are', async () => {
    const list = emails(150, 'cancel');
    const id = await startInvites(g.endpoint, list, bearer(WRITER));
    await until(
      () => follow(g.endpoint, id, bearer(WRITER)),
      (op) => op.done >= 5,
    );
    const cancel = await gql(
      g.endpoint,
      `mutation($id: ID!) { cancelBulkOperation(input: { id: $id }) { bulkOperation { status } userErrors { code } } }`,
      { id },
      bearer(WRITER),
    );
    expect(cancel.errors).toBeUndefined();
    const done = await until(() => follow(g.endpoint, id, bearer(WRITER)), finished);
    expect(done.status).toBe('CANCELLED');
    expect(done.left).toBe(0);
    expect(done.done).toBeLessThan(150);
    const writes = inviteWrites(sandbox);
    // Exactly the items done were sent, each once.
    expect(writes.size).toBe(done.done);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    const [{ n }] = (await database.query<{ n: string }>(
      `SELECT count(*) AS n FROM bulk_items WHERE operation_id = $1 AND status = 'CANCELLED'`,
      [id],
    )) as [{ n: string }];
    expect(Number(n)).toBe(150 - done.done);
  });
});

describe('restart', () => {
  it('a job left mid-way by one gateway is finished by the next, every item applied exactly once', async () => {
    const list = emails(60, 'restart');
    // No other runner of this file may take the job over: the shared gateway's stops for good.
    await g.gateway.bulk?.stop();
    const first = await gatewayOn(sandbox, db);
    const id = await startInvites(first.endpoint, list);
    await until(
      () => follow(first.endpoint, id),
      (op) => op.done >= 20,
    );
    // Stop the first gateway while the job runs: the item in flight finishes, the lease is released.
    await first.close();
    const [stopped] = await database.query<{
      status: string;
      locked_by: string | null;
      left: string;
    }>(
      `SELECT status, locked_by, (SELECT count(*) FROM bulk_items
         WHERE operation_id = $1 AND status IN ('PENDING', 'APPLYING')) AS left
       FROM bulk_operations WHERE id = $1`,
      [id],
    );
    expect(stopped).toMatchObject({ status: 'RUNNING', locked_by: null });
    expect(Number(stopped!.left)).toBeGreaterThan(0);

    // And as after a crash: one item whose write was answered but not recorded, one marked
    // APPLYING whose write never left, and a lease held by a runner that is gone.
    const [sent] = await database.query<{ idx: number }>(
      `UPDATE bulk_items SET status = 'APPLYING' WHERE operation_id = $1 AND idx = (
         SELECT min(idx) FROM bulk_items WHERE operation_id = $1 AND status = 'DONE') RETURNING idx`,
      [id],
    );
    const [unsent] = await database.query<{ idx: number }>(
      `UPDATE bulk_items SET status = 'APPLYING', sends = sends + 1 WHERE operation_id = $1 AND idx = (
         SELECT min(idx) FROM bulk_items WHERE operation_id = $1 AND status = 'PENDING') RETURNING idx`,
      [id],
    );
    await database.query(
      `UPDATE bulk_operations SET locked_by = 'runner-gone', lease_until = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const writesBefore = inviteWrites(sandbox);
    expect(writesBefore.get(list[sent!.idx]!)).toBe(1);
    expect(writesBefore.get(list[unsent!.idx]!)).toBeUndefined();

    const second = await gatewayOn(sandbox, db);
    try {
      const done = await until(() => follow(second.endpoint, id), finished);
      expect(done).toMatchObject({ status: 'SUCCEEDED', done: 60, failed: 0, left: 0 });
      const writes = inviteWrites(sandbox);
      expect(list.every((email) => writes.get(email) === 1)).toBe(true);
      expect(writes.size).toBe(60);
      expect(upstream429s(sandbox)).toBe(0);
      // The answered-but-unrecorded item was settled by a read of the invites, not sent again.
      expect(
        sandbox.requests.some(
          (r) =>
            r.method === 'GET' &&
            r.path === '/v1/organizations/invites' &&
            r.query['email']?.[0] === list[sent!.idx],
        ),
      ).toBe(true);
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('GraphiQL examples', () => {
  it('StartBulkInvites starts a job of the 120 example addresses and FollowBulkOperations shows it', async () => {
    const w = await startKeysWriter();
    try {
      const run = (operationName: string) => postExample(w.endpoint, operationName);
      const started = await run('StartBulkInvites');
      expect(started.errors, JSON.stringify(started.errors)).toBeUndefined();
      const operation = (
        started.data!['bulkCreateInvites'] as { bulkOperation: { id: string; total: number } }
      ).bulkOperation;
      expect(operation.total).toBe(120);
      const followed = await run('FollowBulkOperations');
      expect(followed.errors, JSON.stringify(followed.errors)).toBeUndefined();
      const nodes = (followed.data!['bulkOperations'] as { nodes: { id: string; total: number }[] })
        .nodes;
      expect(nodes[0]).toMatchObject({ id: operation.id, total: 120 });
      // Also by the Node interface.
      const node = await gql(
        w.endpoint,
        `query($id: ID!) { node(id: $id) { id ... on BulkOperation { kind total } } }`,
        { id: operation.id },
      );
      expect(node.data?.['node']).toEqual({ id: operation.id, kind: 'CREATE_INVITES', total: 120 });
      await gql(
        w.endpoint,
        `mutation($id: ID!) { cancelBulkOperation(input: { id: $id }) { userErrors { code } } }`,
        { id: operation.id },
      );
      expect((await until(() => follow(w.endpoint, operation.id), finished)).status).toBe(
        'CANCELLED',
      );
    } finally {
      await w.close();
    }
  });
});

async function postExample(endpoint: string, operationName: string) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: exampleOperation(operationName),
      operationName,
      variables: exampleVariables(new Date(), FIXTURE_IDS.activeApiKey),
    }),
  });
  return (await response.json()) as { errors?: unknown; data?: Record<string, unknown> };
}

describe('answers lost', () => {
  it('a write whose answer was lost is settled by a read: not sent again when applied, sent again when not', async () => {
    const w = await startKeysWriter();
    try {
      const [applied, lost, plain] = emails(3, 'lost');
      // The first invite is made but its answer is lost; the second is lost before it is made.
      sandbox.injectFault({
        kind: 'reset',
        handle: true,
        method: 'POST',
        path: '/v1/organizations/invites',
      });
      const id = await startInvites(w.endpoint, [applied!]);
      expect(await until(() => follow(w.endpoint, id), finished)).toMatchObject({
        status: 'SUCCEEDED',
        done: 1,
      });
      sandbox.injectFault({
        kind: 'reset',
        handle: false,
        method: 'POST',
        path: '/v1/organizations/invites',
      });
      const second = await startInvites(w.endpoint, [lost!, plain!]);
      expect(await until(() => follow(w.endpoint, second), finished)).toMatchObject({
        status: 'SUCCEEDED',
        done: 2,
      });
      const writes = inviteWrites(sandbox);
      expect(writes.get(applied!)).toBe(1);
      expect(writes.get(lost!)).toBe(2); // the first never took effect: the read said so
      expect(writes.get(plain!)).toBe(1);
      // Each address holds exactly one pending invitation.
      for (const email of [applied!, lost!, plain!]) {
        const pending = [...sandbox.store.invites.values()].filter(
          (invite) => invite.email === email && invite.status === 'pending',
        );
        expect(pending).toHaveLength(1);
      }
    } finally {
      await w.close();
    }
  });
});

/**
 * One operation of GraphiQL's example document, as written there (from its first line to the
 * closing brace at the document's indentation), so that this test runs the bulk examples alone.
 */
function exampleOperation(name: string): string {
  const lines = EXAMPLE_OPERATIONS.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^  (query|mutation) ${name}\\b`).test(line));
  expect(start, `the example ${name}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && line === '  }');
  return lines.slice(start, end + 1).join('\n');
}
