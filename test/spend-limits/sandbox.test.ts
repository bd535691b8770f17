import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { setSandboxFeatures } from '../../src/sandbox/resources/spend-limits.js';
import { del, get, post, start } from '../sandbox/helpers.js';

describe('emulator: spend limits, sign-out, rate-limit overrides, compliance', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('seeds the same limits and requests every time', async () => {
    const first = await get(sandbox, '/v1/organizations/spend_limits?limit=100');
    sandbox.reset();
    const again = await get(sandbox, '/v1/organizations/spend_limits?limit=100');
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const types = (first.body.data as { scope: { type: string } }[]).map(
      (limit) => limit.scope.type,
    );
    expect(types).toEqual(
      expect.arrayContaining(['organization', 'usage_tier', 'workspace', 'user']),
    );
    const requests = await get(sandbox, '/v1/organizations/spend_limit_increase_requests');
    expect(requests.body.data.length).toBeGreaterThanOrEqual(3);
  });

  it('binds page tokens to their query and refuses unknown ones, naming page', async () => {
    const page = await get(sandbox, '/v1/organizations/spend_limits?limit=2');
    const token = page.body.next_page as string;
    expect(token).toMatch(/^page_/);
    const next = await get(sandbox, `/v1/organizations/spend_limits?limit=2&page=${token}`);
    expect(next.status).toBe(200);
    const other = await get(sandbox, `/v1/organizations/spend_limits?limit=3&page=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^page:/);
    const unknown = await get(sandbox, '/v1/organizations/spend_limits?page=page_bm9wZQ');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^page:/);
    const limit = await get(sandbox, '/v1/organizations/spend_limits?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toMatch(/^limit:/);
  });

  it('pages the effective report by member: a member’s periods are never split', async () => {
    const one = await get(sandbox, '/v1/organizations/spend_limits/effective?limit=1');
    const actors = new Set(
      (one.body.data as { actor: { user_id: string } }[]).map((row) => row.actor.user_id),
    );
    expect(actors.size).toBe(1);
    expect(one.body.next_page).not.toBeNull();
  });

  it('set upserts on scope and period; delete removes; the usage-tier limit stays', async () => {
    const set = { amount: '1000', scope: { type: 'user', user_id: FIXTURE_IDS.developerUser } };
    const a = await post(sandbox, '/v1/organizations/spend_limits', set);
    const b = await post(sandbox, '/v1/organizations/spend_limits', { ...set, amount: '2000' });
    expect(a.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.amount).toBe('2000');
    expect(b.body.period).toBe('monthly');
    const bad = await post(sandbox, '/v1/organizations/spend_limits', { ...set, amount: '1.5' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^amount:/);
    const scope = await post(sandbox, '/v1/organizations/spend_limits', {
      amount: '5',
      scope: { type: 'seat_tier', seat_tier: 'x' },
    });
    expect(scope.status).toBe(400);
    expect(scope.body.error.message).toMatch(/^type:/);
    expect((await del(sandbox, `/v1/organizations/spend_limits/${a.body.id}`)).body).toEqual({
      id: a.body.id,
      type: 'spend_limit_deleted',
    });
    expect((await get(sandbox, `/v1/organizations/spend_limits/${a.body.id}`)).status).toBe(404);
    const list = await get(sandbox, '/v1/organizations/spend_limits?scope_type[]=usage_tier');
    const usageTier = list.body.data[0].id as string;
    expect((await del(sandbox, `/v1/organizations/spend_limits/${usageTier}`)).status).toBe(400);
  });

  it('an approved request cannot be denied; a denied one can be denied again', async () => {
    const list = await get(sandbox, '/v1/organizations/spend_limit_increase_requests');
    const approved = list.body.data.find((r: { status: string }) => r.status === 'approved');
    const denied = list.body.data.find((r: { status: string }) => r.status === 'denied');
    const refusal = await post(
      sandbox,
      `/v1/organizations/spend_limit_increase_requests/${approved.id}/deny`,
      {},
    );
    expect(refusal.status).toBe(400);
    const again = await post(
      sandbox,
      `/v1/organizations/spend_limit_increase_requests/${denied.id}/deny`,
      {},
    );
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('denied');
  });

  it('turns the spend-limit reads and sign-out betas off for the organization', async () => {
    setSandboxFeatures(sandbox.store, { spendLimitReads: false, userSignOut: false });
    expect((await get(sandbox, '/v1/organizations/spend_limits')).status).toBe(404);
    const signOut = await post(
      sandbox,
      `/v1/organizations/users/${FIXTURE_IDS.developerUser}/sign_out`,
    );
    expect(signOut.status).toBe(400);
    expect(signOut.body.error.details).toEqual({ error_code: 'organization_not_enrolled_in_beta' });
    // Other endpoints of the family are not gated.
    expect((await get(sandbox, '/v1/organizations/spend_limits/effective')).status).toBe(200);
    sandbox.reset();
    expect((await get(sandbox, '/v1/organizations/spend_limits')).status).toBe(200);
  });

  it('refuses sign-out of a primary owner with its error_code', async () => {
    sandbox.store.users.get(FIXTURE_IDS.userUser)!.role = 'primary_owner';
    const answer = await post(sandbox, `/v1/organizations/users/${FIXTURE_IDS.userUser}/sign_out`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      details: { error_code: 'cannot_sign_out_primary_owner' },
    });
  });

  it('rate-limit overrides: the Default Workspace has none; limiters must be the group’s', async () => {
    const path = (workspace: string) =>
      `/v1/organizations/workspaces/${workspace}/rate_limits/rl_grp_opus_4`;
    const limits = [{ type: 'requests_per_minute', value: 5 }];
    expect((await post(sandbox, path(FIXTURE_IDS.defaultWorkspace), { limits })).status).toBe(400);
    const foreign = await post(sandbox, path(FIXTURE_IDS.productionWorkspace), {
      limits: [{ type: 'no_such_limiter', value: 5 }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^limits\.0\.type:/);
    const ok = await post(sandbox, path(FIXTURE_IDS.productionWorkspace), { limits });
    expect(ok.body.limits).toContainEqual({
      type: 'requests_per_minute',
      value: 5,
      org_limit: 4000,
    });
  });

  it('compliance settings take the object or the string shorthand', async () => {
    const off = await post(sandbox, '/v1/organizations/compliance_settings', { state: 'disabled' });
    expect(off.body).toEqual({ state: { type: 'disabled' }, type: 'compliance_settings' });
    expect((await get(sandbox, '/v1/organizations/compliance_settings')).body.state.type).toBe(
      'disabled',
    );
    const bad = await post(sandbox, '/v1/organizations/compliance_settings', { state: 'on' });
    expect(bad.status).toBe(400);
  });
});
