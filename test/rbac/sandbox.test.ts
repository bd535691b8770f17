import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { RBAC_FIXTURE_IDS as RBAC } from '../../src/sandbox/resources/rbac.js';
import { SEED_NOW } from '../support/harness.js';
import { API, useHarness, gql } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ now: SEED_NOW });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      'x-api-key': DEFAULT_SANDBOX_KEY,
      'anthropic-version': '2023-06-01',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const message = (json: Record<string, unknown>) =>
  (json['error'] as { message: string } | undefined)?.message ?? '';

describe('the RBAC emulator', () => {
  it('binds page tokens to their query and refuses tokens it never issued', async () => {
    const first = await call('GET', `${API}/rbac_groups?limit=2`);
    expect(first.status).toBe(200);
    const token = first.json['next_page'] as string;
    expect(token).toEqual(expect.any(String));
    const next = await call('GET', `${API}/rbac_groups?limit=2&page=${token}`);
    expect(next.status).toBe(200);
    expect((next.json['data'] as { id: string }[]).map((group) => group.id)).toEqual([
      RBAC.engineeringGroup,
      RBAC.supportGroup,
    ]);
    const other = await call('GET', `${API}/rbac_groups?limit=3&page=${token}`);
    expect(other.status).toBe(400);
    expect(message(other.json)).toMatch(/^page: /);
    const forged = await call('GET', `${API}/rbac_groups?page=page_forged`);
    expect(forged.status).toBe(400);
    expect(message(forged.json)).toMatch(/^page: unknown/);
    const elsewhere = await call(
      'GET',
      `${API}/rbac_groups/${RBAC.engineeringGroup}/members?limit=2&page=${token}`,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('checks limit, bodies and ids, naming what is wrong', async () => {
    expect(message((await call('GET', `${API}/rbac_roles?limit=0`)).json)).toMatch(/^limit: /);
    expect(message((await call('GET', `${API}/rbac_roles?limit=1001`)).json)).toMatch(/^limit: /);
    const extra = await call('POST', `${API}/rbac_groups`, { name: 'x', roles: [] });
    expect(extra.status).toBe(400);
    expect(message(extra.json)).toMatch(/^roles: /);
    const noName = await call('POST', `${API}/rbac_groups`, {});
    expect(message(noName.json)).toBe('name: Field required');
    const noUser = await call('POST', `${API}/rbac_groups/${RBAC.supportGroup}/members`, {});
    expect(message(noUser.json)).toBe('user_id: Field required');
    expect((await call('GET', `${API}/rbac_groups/rbac_group_01nothing`)).status).toBe(404);
    expect((await call('GET', `${API}/rbac_roles/rbac_role_01nothing/permissions`)).status).toBe(
      404,
    );
    expect((await call('GET', `${API}/rbac_roles/${RBAC.foreignRole}`)).status).toBe(404);
  });

  it('keeps its state: a created group is listed and found, a deleted one 404s, members move', async () => {
    const created = await call('POST', `${API}/rbac_groups`, { name: 'Design' });
    expect(created.json).toMatchObject({
      name: 'Design',
      source_type: 'direct',
      role_ids: [],
      type: 'rbac_group',
    });
    const id = created.json['id'] as string;
    const listed = await call('GET', `${API}/rbac_groups?limit=1000`);
    expect((listed.json['data'] as { id: string }[]).map((group) => group.id)).toContain(id);
    const added = await call('POST', `${API}/rbac_groups/${id}/members`, {
      user_id: FIXTURE_IDS.userUser,
    });
    expect(added.json).toMatchObject({ rbac_group_id: id, user_id: FIXTURE_IDS.userUser });
    const members = await call('GET', `${API}/rbac_groups/${id}/members`);
    expect(members.json['data']).toEqual([
      expect.objectContaining({ user_id: FIXTURE_IDS.userUser, type: 'rbac_group_member' }),
    ]);
    expect(members.json['next_page']).toBeNull();
    const removed = await call(
      'DELETE',
      `${API}/rbac_groups/${id}/members/${FIXTURE_IDS.userUser}`,
    );
    expect(removed.json).toEqual({
      rbac_group_id: id,
      type: 'rbac_group_member_deleted',
      user_id: FIXTURE_IDS.userUser,
    });
    expect((await call('DELETE', `${API}/rbac_groups/${id}`)).json).toEqual({
      id,
      type: 'rbac_group_deleted',
    });
    expect((await call('GET', `${API}/rbac_groups/${id}`)).status).toBe(404);
    sandbox.reset();
    expect((await call('GET', `${API}/rbac_groups/${id}`)).status).toBe(404);
    expect((await call('GET', `${API}/rbac_groups/${RBAC.supportGroup}`)).status).toBe(200);
  });

  it('leaves a member whose user left the enterprise out of the page, which then comes out short', async () => {
    const page = await call('GET', `${API}/rbac_groups/${RBAC.ownersGroup}/members?limit=2`);
    const [first] = page.json['data'] as { user_id: string }[];
    sandbox.store.users.delete(first!.user_id);
    const short = await call('GET', `${API}/rbac_groups/${RBAC.ownersGroup}/members?limit=2`);
    expect(short.json['data']).toHaveLength(1);
    expect(short.json['next_page']).toEqual(expect.any(String));
  });

  it('the fault knobs apply to its routes', async () => {
    sandbox.injectFault({ path: `${API}/rbac_roles`, status: 503 });
    expect((await call('GET', `${API}/rbac_roles`)).status).toBe(503);
    expect((await call('GET', `${API}/rbac_roles`)).status).toBe(200);
  });
});

describe('through the gateway', () => {
  const harness = useHarness();

  it('an upstream failure of a groups page fails that field alone', async () => {
    const h = harness();
    h.sandbox.injectFault({ path: `${API}/rbac_groups`, status: 500, times: 1 });
    const body = await gql(
      h,
      `{ organization { rbacGroups(first: 1) { nodes { id } } rbacRoles(first: 1) { nodes { id } } } }`,
    );
    expect(body.errors?.[0]?.path).toEqual(['organization', 'rbacGroups']);
    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(
      (body.data?.organization as { rbacRoles: { nodes: unknown[] } }).rbacRoles.nodes,
    ).toHaveLength(1);
  });
});
