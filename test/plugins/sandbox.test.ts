import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PLUGIN_FIXTURE_IDS as P, setPluginsEnabled } from '../../src/sandbox/resources/plugins.js';
import { SEED_NOW } from '../support/harness.js';

const PLUGINS = '/v1/organizations/plugins';
const MARKETPLACES = '/v1/organizations/plugin_marketplaces';

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
      'anthropic-beta': 'ce-plugins-2026-09-01',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const message = (json: Record<string, unknown>) =>
  (json['error'] as { message: string } | undefined)?.message ?? '';
const errorCode = (json: Record<string, unknown>) =>
  (json['error'] as { details?: { error_code?: string } } | undefined)?.details?.error_code;
const ids = (json: Record<string, unknown>) =>
  (json['data'] as { id: string }[]).map((item) => item.id);

describe('the plugins emulator', () => {
  it('binds page tokens to their list and query and refuses tokens it never issued', async () => {
    const first = await call('GET', `${PLUGINS}?limit=2`);
    const token = first.json['next_page'] as string;
    expect(token).toEqual(expect.any(String));
    const next = await call('GET', `${PLUGINS}?limit=2&page=${token}`);
    expect(next.status).toBe(200);
    expect([...ids(first.json), ...ids(next.json)]).toEqual(ids((await call('GET', PLUGINS)).json));
    expect(next.json['next_page']).toBeNull();
    const other = await call('GET', `${PLUGINS}?limit=2&owner_type=organization&page=${token}`);
    expect(other.status).toBe(400);
    expect(message(other.json)).toMatch(/^page: /);
    const elsewhere = await call('GET', `${MARKETPLACES}?limit=2&page=${token}`);
    expect(elsewhere.status).toBe(400);
    const forged = await call('GET', `${PLUGINS}?page=page_forged`);
    expect(message(forged.json)).toMatch(/^page: unknown/);
  });

  it('refuses bad parameters naming them, and unknown ids with 404', async () => {
    for (const [path, name] of [
      [`${PLUGINS}?owner_type=team`, 'owner_type'],
      [`${PLUGINS}?created_at[gte]=yesterday`, 'created_at[gte]'],
      [`${PLUGINS}?limit=0`, 'limit'],
      [`${MARKETPLACES}?source=svn`, 'source'],
      [`${PLUGINS}/${P.personalNotes}/shares?target_type=everyone`, 'target_type'],
    ] as const) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(400);
      if (answer.status === 400)
        expect(message(answer.json), path).toMatch(
          new RegExp(`^${name.replace(/[[\]]/g, '\\$&')}: `),
        );
    }
    expect((await call('GET', `${PLUGINS}/plugin_01Missing`)).status).toBe(404);
    expect((await call('GET', `${PLUGINS}/${P.codeReview}/versions/${P.lintRulesV1}`)).status).toBe(
      404,
    );
    expect((await call('GET', `${MARKETPLACES}/marketplace_01Missing`)).status).toBe(404);
    const body = await call(
      'POST',
      `${PLUGINS}/${P.codeReview}/installation_settings/organization`,
      {
        installation_preference: 'always',
      },
    );
    expect(message(body.json)).toMatch(/^installation_preference: /);
    const extra = await call('POST', `${MARKETPLACES}/validate_repository`, { url: 'x' });
    expect(message(extra.json)).toMatch(/^url: /);
  });

  it('reads the latest version, and only its own organization through organization_id', async () => {
    const latest = await call('GET', `${PLUGINS}/${P.codeReview}/versions/latest`);
    expect(latest.json['id']).toBe(P.codeReviewV4);
    const foreign = await call('GET', `${PLUGINS}?organization_id=org_01SomeoneElse`);
    expect(foreign.status).toBe(404);
  });

  it('keeps installation settings and shares apart by owner', async () => {
    expect((await call('GET', `${PLUGINS}/${P.personalNotes}/installation_settings`)).status).toBe(
      404,
    );
    expect((await call('GET', `${PLUGINS}/${P.codeReview}/shares`)).status).toBe(404);
    const groups = await call('GET', `${PLUGINS}/${P.personalNotes}/shares?target_type=rbac_group`);
    expect((groups.json['data'] as unknown[]).length).toBe(1);
  });

  it('refuses served versions as the Admin API documents, with their error codes', async () => {
    const cases = [
      [P.codeReview, P.codeReviewV3, 409, 'skill_name_taken'],
      [P.codeReview, P.codeReviewV4, 409, 'scan_pending'],
      [P.lintRules, P.lintRulesV1, 400, 'scan_failed'],
      [P.deployHelper, P.deployHelperV2, 503, 'registration_pending'],
    ] as const;
    for (const [plugin, version, status, code] of cases) {
      const answer = await call('POST', `${PLUGINS}/${plugin}`, { served_version_id: version });
      expect([answer.status, errorCode(answer.json)], code).toEqual([status, code]);
    }
    const skill = await call('POST', `${PLUGINS}/${P.codeReview}`, {
      served_version_id: P.codeReviewV3,
    });
    expect((skill.json['error'] as { details: { skill_name: string } }).details.skill_name).toBe(
      'release-notes',
    );
    expect(
      (
        await call('POST', `${PLUGINS}/${P.personalNotes}`, {
          served_version_id: P.personalNotesV1,
        })
      ).status,
    ).toBe(403);
  });

  it('answers every route with 404 while the organization has no Plugins API', async () => {
    setPluginsEnabled(sandbox.store, false);
    expect((await call('GET', PLUGINS)).status).toBe(404);
    expect((await call('GET', `${PLUGINS}/${P.codeReview}`)).status).toBe(404);
    expect(
      (
        await call('POST', `${MARKETPLACES}/validate_repository`, {
          repository_url: 'https://github.com/a/b',
        })
      ).status,
    ).toBe(404);
    sandbox.reset();
    expect((await call('GET', PLUGINS)).status).toBe(200);
  });

  it('is subject to the fault knobs like every route', async () => {
    sandbox.injectFault({ method: 'GET', path: PLUGINS, status: 529 });
    expect((await call('GET', PLUGINS)).status).toBe(529);
    expect((await call('GET', PLUGINS)).status).toBe(200);
  });
});
