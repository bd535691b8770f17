import { describe, expect, it } from 'vitest';
import { API, MISSING_GROUP, RBAC, calls, gql, useHarness } from './helpers.js';

const CREATE = `mutation ($input: CreateInviteInput!) {
  createInvite(input: $input) {
    invite { email rbacGroupIds rbacGroups { id name } }
    userErrors { code field message }
  }
}`;

const WRITER = 'writer-token-0000000000000000000000';
const RBAC_WRITER = 'rbac-writer-token-00000000000000000';

describe('createInvite with RBAC groups', () => {
  const harness = useHarness({
    auth: {
      mode: 'token',
      tokens: [
        { name: 'members', token: WRITER, scopes: ['read', 'write', 'members:write'] },
        {
          name: 'members-and-rbac',
          token: RBAC_WRITER,
          scopes: ['read', 'write', 'members:write', 'rbac:write'],
        },
      ],
    },
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('sends rbac_group_ids and the invite names its groups', async () => {
    const h = harness();
    const body = await gql(
      h,
      CREATE,
      {
        input: {
          email: 'new.hire@example.com',
          role: 'USER',
          rbacGroupIds: [RBAC.engineeringGroup, RBAC.supportGroup],
        },
      },
      as(RBAC_WRITER),
    );
    expect(body.errors).toBeUndefined();
    const payload = (body.data?.['createInvite'] ?? {}) as {
      invite: { rbacGroupIds: string[]; rbacGroups: { id: string }[] };
      userErrors: unknown[];
    };
    expect(payload.userErrors).toEqual([]);
    expect(payload.invite.rbacGroupIds).toEqual([RBAC.engineeringGroup, RBAC.supportGroup]);
    expect(payload.invite.rbacGroups.map((g) => g.id).sort()).toEqual(
      [RBAC.engineeringGroup, RBAC.supportGroup].sort(),
    );
    const post = h.upstream().find((r) => r.method === 'POST');
    expect(post?.path).toBe(`${API}/invites`);
    expect(post?.body).toEqual({
      email: 'new.hire@example.com',
      role: 'user',
      rbac_group_ids: [RBAC.engineeringGroup, RBAC.supportGroup],
    });
  });

  it('sends no rbac_group_ids when none are given', async () => {
    const h = harness();
    const body = await gql(
      h,
      CREATE,
      { input: { email: 'plain@example.com', role: 'USER' } },
      as(WRITER),
    );
    expect(body.errors).toBeUndefined();
    expect(h.upstream().find((r) => r.method === 'POST')?.body).toEqual({
      email: 'plain@example.com',
      role: 'user',
    });
  });

  it('refuses groups without rbac:write before any request', async () => {
    const h = harness();
    const body = await gql(
      h,
      CREATE,
      { input: { email: 'x@example.com', role: 'USER', rbacGroupIds: [RBAC.supportGroup] } },
      as(WRITER),
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toContain('rbac:write');
    expect(calls(h)).toEqual([]);
  });

  it('names a malformed group id by its position, before any request', async () => {
    const h = harness();
    const body = await gql(
      h,
      CREATE,
      {
        input: {
          email: 'x@example.com',
          role: 'USER',
          rbacGroupIds: [RBAC.supportGroup, '../users/user_1'],
        },
      },
      as(RBAC_WRITER),
    );
    expect(body.data?.['createInvite']).toEqual({
      invite: null,
      userErrors: [
        {
          code: 'INVALID_INPUT',
          field: ['input', 'rbacGroupIds', '1'],
          message: expect.stringContaining('rbac_group_'),
        },
      ],
    });
    expect(calls(h)).toEqual([]);
  });

  it('maps the Admin API refusal of an unknown group to the input field', async () => {
    const h = harness();
    const body = await gql(
      h,
      CREATE,
      { input: { email: 'x@example.com', role: 'USER', rbacGroupIds: [MISSING_GROUP] } },
      as(RBAC_WRITER),
    );
    const payload = body.data?.['createInvite'] as {
      invite: null;
      userErrors: { code: string; field: string[]; message: string }[];
    };
    expect(payload.invite).toBeNull();
    expect(payload.userErrors[0]?.field).toEqual(['input', 'rbacGroupIds']);
    expect(payload.userErrors[0]?.message).toContain(MISSING_GROUP);
    expect(payload.userErrors[0]?.message).not.toContain('rbac_group_ids');
  });
});
