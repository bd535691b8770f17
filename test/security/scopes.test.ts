import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

const READ = 'scopes-read-only-token-00000000001';
const WRITE = 'scopes-write-only-token-0000000002';
const NOTHING = 'scopes-no-scope-token-000000000003';

const UPDATE_KEY = `mutation { updateApiKey(input: { apiKeyId: "${FIXTURE_IDS.activeApiKey}", name: "k" }) { apiKey { name } } }`;
const CREATE_WORKSPACE = 'mutation { createWorkspace(input: { name: "w" }) { workspace { id } } }';
const REMOVE_MEMBER = `mutation { removeWorkspaceMember(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", userId: "${FIXTURE_IDS.developerUser}" }) { userErrors { code } } }`;

describe('FORBIDDEN names every missing scope of the field at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          mode: 'token',
          tokens: [
            { name: 'reader', token: READ, scopes: ['read'] },
            { name: 'writer', token: WRITE, scopes: ['write'] },
            { name: 'nothing', token: NOTHING, scopes: [] },
          ],
        },
      },
    });
  });
  afterAll(() => h.close());

  it.each([
    [READ, UPDATE_KEY, ['write', 'api_keys:write']],
    [READ, CREATE_WORKSPACE, ['write', 'workspaces:write']],
    [READ, REMOVE_MEMBER, ['write', 'members:write']],
    [WRITE, REMOVE_MEMBER, ['members:write']],
    [NOTHING, '{ organization { apiKeys(first: 1) { nodes { id } } } }', ['read']],
  ])('token %s, %s: needs %o', async (token, query, missing) => {
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, { query }, { authorization: `Bearer ${token}` });
    const error = body.errors?.[0];
    expect(error?.extensions?.['code'], JSON.stringify(body)).toBe('FORBIDDEN');
    for (const scope of missing) expect(error?.message).toContain(`\`${scope}\``);
    expect(error?.extensions?.['missingScopes']).toEqual(missing);
    expect(h.upstream()).toEqual([]);
  });
});
