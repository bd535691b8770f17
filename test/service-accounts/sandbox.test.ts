import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { serviceAccountIdByName } from '../../src/sandbox/resources/service-accounts.js';
import { SEED_NOW } from '../support/harness.js';

/* The emulator's own rules for the service-account routes, over plain HTTP. */

const API = '/v1/organizations';
const OAUTH = { authorization: `Bearer ${DEFAULT_SANDBOX_OAUTH_TOKEN}` };

let sandbox: Sandbox;
beforeAll(async () => {
  // The default credentials: the demo Admin key and the demo OAuth token.
  sandbox = await startSandbox({ now: SEED_NOW });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.clearRequests();
});

async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      'anthropic-version': '2023-06-01',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? OAUTH),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const errorOf = (body: Record<string, unknown>) =>
  body['error'] as { type: string; message: string };

describe('credentials', () => {
  it('refuses an Admin API key with 403 and accepts the OAuth token', async () => {
    const adminKeys: Record<string, string>[] = [
      { 'x-api-key': DEFAULT_SANDBOX_KEY },
      { authorization: `Bearer ${DEFAULT_SANDBOX_KEY}` },
    ];
    for (const headers of adminKeys) {
      const refused = await call('GET', `${API}/service_accounts`, { headers });
      expect(refused.status).toBe(403);
      expect(errorOf(refused.body)).toEqual({
        type: 'permission_error',
        message: expect.stringMatching(/Admin API keys are not accepted/),
      });
    }
    expect((await call('GET', `${API}/service_accounts`)).status).toBe(200);
    // The other routes still take the Admin key.
    const users = await call('GET', `${API}/users?limit=1`, {
      headers: { 'x-api-key': DEFAULT_SANDBOX_KEY },
    });
    expect(users.status).toBe(200);
  });

  it('a token it does not know is a 401', async () => {
    const answer = await call('GET', `${API}/service_accounts`, {
      headers: { authorization: 'Bearer sk-ant-oat01-unknown-token' },
    });
    expect(answer.status).toBe(401);
  });
});

describe('page tokens', () => {
  it('are bound to their query, and unknown ones are refused naming `page`', async () => {
    const first = await call('GET', `${API}/service_accounts?limit=2`);
    const token = first.body['next_page'] as string;
    expect(token).toMatch(/^page_/);
    expect((first.body['data'] as unknown[]).length).toBe(2);
    const next = await call('GET', `${API}/service_accounts?limit=2&page=${token}`);
    expect(next.status).toBe(200);
    const other = await call('GET', `${API}/service_accounts?limit=3&page=${token}`);
    expect(other.status).toBe(400);
    expect(errorOf(other.body).message).toMatch(/^page: /);
    const unknown = await call('GET', `${API}/service_accounts?limit=2&page=page_bm9wZQ`);
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown.body).message).toMatch(/^page: /);
  });

  it('a membership cursor stops matching once the membership is removed', async () => {
    const pipeline = serviceAccountIdByName(sandbox.store, 'data-pipeline');
    const path = `${API}/service_accounts/${pipeline}/workspaces`;
    const first = await call('GET', `${path}?limit=1`);
    // The implicit Default Workspace membership comes on top of the page's one explicit item.
    const data = first.body['data'] as { workspace_id: string; implicit: boolean }[];
    expect(data.map((m) => m.implicit)).toEqual([true, false]);
    await call('DELETE', `${path}/${data[1]!.workspace_id}`);
    const stale = await call('GET', `${path}?limit=1&page=${first.body['next_page'] as string}`);
    expect(stale.status).toBe(400);
    expect(errorOf(stale.body).message).toMatch(/^page: /);
  });

  it('refuses a limit out of range naming it', async () => {
    const answer = await call('GET', `${API}/service_accounts?limit=0`);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).message).toMatch(/^limit: /);
  });
});

describe('state and rules', () => {
  it('create, update and archive change what later reads return; reset reseeds', async () => {
    const created = await call('POST', `${API}/service_accounts`, { body: { name: 'new-bot' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 'service_account',
      name: 'new-bot',
      organization_role: 'developer',
      description: null,
      archived_at: null,
      created_by_actor_id: FIXTURE_IDS.adminUser,
    });
    const id = created.body['id'] as string;
    const list = await call('GET', `${API}/service_accounts?limit=1`);
    expect((list.body['data'] as { id: string }[])[0]?.id).toBe(id);

    const renamed = await call('POST', `${API}/service_accounts/${id}`, { body: { name: 'x' } });
    expect(renamed.status).toBe(400);
    expect(errorOf(renamed.body).message).toMatch(/^name: /);

    const archived = await call('POST', `${API}/service_accounts/${id}/archive`);
    const again = await call('POST', `${API}/service_accounts/${id}/archive`);
    expect(again.body['archived_at']).toBe(archived.body['archived_at']);
    expect(archived.body['archived_at']).not.toBeNull();
    const hidden = await call('GET', `${API}/service_accounts?limit=100`);
    expect((hidden.body['data'] as { id: string }[]).map((a) => a.id)).not.toContain(id);

    sandbox.reset();
    expect((await call('GET', `${API}/service_accounts/${id}`)).status).toBe(404);
  });

  it('checks bodies and ids: unknown ids 404, bad values 400 naming the field', async () => {
    const deploy = serviceAccountIdByName(sandbox.store, 'ci-deploy-bot');
    const missing = await call('GET', `${API}/service_accounts/svac_01nothere`);
    expect(missing.status).toBe(404);
    const badRole = await call('POST', `${API}/service_accounts/${deploy}/workspaces`, {
      body: { workspace_id: FIXTURE_IDS.productionWorkspace, workspace_role: 'workspace_billing' },
    });
    expect(badRole.status).toBe(400);
    expect(errorOf(badRole.body).message).toMatch(/^workspace_role: /);
    const noWorkspace = await call('POST', `${API}/service_accounts/${deploy}/workspaces`, {
      body: { workspace_id: 'wrkspc_01nothere', workspace_role: 'workspace_user' },
    });
    expect(noWorkspace.status).toBe(404);
    const archivedWorkspace = await call(
      'GET',
      `${API}/workspaces/${FIXTURE_IDS.archivedWorkspace}/service_accounts`,
    );
    expect(archivedWorkspace.status).toBe(400);
    // Removing what is not there succeeds (idempotent).
    const removed = await call(
      'DELETE',
      `${API}/workspaces/${FIXTURE_IDS.productionWorkspace}/service_accounts/${serviceAccountIdByName(sandbox.store, 'eval-runner')}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.body['type']).toBe('service_account_workspace_member_deleted');
  });

  it('the seeded API keys’ service-account principals are service accounts it knows', () => {
    const principals = new Set(
      [...sandbox.store.apiKeys.values()]
        .filter((key) => key.principal?.type === 'service_account')
        .map((key) => key.principal!.id),
    );
    const seeded = new Set(
      ['ci-deploy-bot', 'data-pipeline', 'eval-runner', 'platform-admin-bot'].map((name) =>
        serviceAccountIdByName(sandbox.store, name),
      ),
    );
    expect(principals.size).toBeGreaterThan(0);
    for (const id of principals) expect(seeded.has(id)).toBe(true);
  });

  it('the fault knobs apply to these routes', async () => {
    sandbox.injectFault({ path: `${API}/service_accounts`, status: 503 });
    expect((await call('GET', `${API}/service_accounts`)).status).toBe(503);
    expect((await call('GET', `${API}/service_accounts`)).status).toBe(200);
  });
});
