import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import {
  DELETED_SETTINGS_GROUP,
  setClaudeCodeSettingsEnabled,
  setClaudeCodeSettingsOrderLimit,
} from '../../src/sandbox/resources/claude-code-managed-settings.js';
import { RBAC_FIXTURE_IDS } from '../../src/sandbox/resources/rbac.js';
import {
  describe as show,
  postGraphQL,
  startGateway,
  startHarness,
  type Harness,
  type RunningGateway,
} from '../support/harness.js';

const ROOT = '/v1/organizations/claude_code/managed_settings';
const BETA = 'ce-claude-code-managed-settings-2026-10-06';
const ENGINEERING = RBAC_FIXTURE_IDS.engineeringGroup;
const SUPPORT = RBAC_FIXTURE_IDS.supportGroup;
const CONTRACTORS = RBAC_FIXTURE_IDS.contractorsGroup;
const SEEDED_ORDER = [ENGINEERING, SUPPORT, DELETED_SETTINGS_GROUP];

const ADMIN = 'claude-code-settings-admin-token-0001';
const READER = 'claude-code-settings-reader-token-001';
const WRITER = 'claude-code-settings-writer-token-001';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: {
      // Room for a settings document just over 1 MiB, which the gateway itself must refuse.
      limits: { ...loadConfig({}).limits, maxBodyBytes: 3_000_000 },
      auth: {
        mode: 'token',
        tokens: [
          { name: 'admin', token: ADMIN, scopes: ['admin'] },
          { name: 'reader', token: READER, scopes: ['read'] },
          { name: 'writer', token: WRITER, scopes: ['read', 'write', 'claude_code:read'] },
        ],
      },
    },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

type Body = Awaited<ReturnType<typeof postGraphQL>>['body'] & {
  extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
};

const gql = async (
  query: string,
  variables: Record<string, unknown> = {},
  token = ADMIN,
): Promise<Body> =>
  (await postGraphQL(h.endpoint, { query, variables }, { authorization: `Bearer ${token}` })).body;

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

const requests = () => h.upstream().map(show);

interface Configuration {
  mode: string;
  modeValue: string;
  rbacGroupOrder: string[];
  rbacGroupOrderVersion: string;
}
const CONFIGURATION = /* GraphQL */ `
  {
    organization {
      claudeCodeManagedSettingsConfiguration {
        mode
        modeValue
        rbacGroupOrder
        rbacGroupOrderVersion
      }
    }
  }
`;
const configuration = async () =>
  (
    await data<{ organization: { claudeCodeManagedSettingsConfiguration: Configuration } }>(
      CONFIGURATION,
    )
  ).organization.claudeCodeManagedSettingsConfiguration;

const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    organization {
      claudeCodeRbacGroupManagedSettings(first: $first, after: $after) {
        nodes {
          rbacGroupId
          status
          statusValue
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
interface Entry {
  rbacGroupId: string;
  status: string;
  statusValue: string;
}
type ListData = {
  organization: {
    claudeCodeRbacGroupManagedSettings: {
      nodes: Entry[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};
const list = async (variables: Record<string, unknown> = {}) =>
  (await data<ListData>(LIST, variables)).organization.claudeCodeRbacGroupManagedSettings;

async function walk(first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await list({ first, after });
    ids.push(...page.nodes.map((node) => node.rbacGroupId));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const SET = /* GraphQL */ `
  mutation ($input: SetClaudeCodeRbacGroupManagedSettingsInput!) {
    setClaudeCodeRbacGroupManagedSettings(input: $input) {
      rbacGroupManagedSettings {
        rbacGroupId
        status
        settings
      }
      rbacGroup {
        id
        name
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}
type SetData = {
  setClaudeCodeRbacGroupManagedSettings: {
    rbacGroupManagedSettings: { rbacGroupId: string; status: string; settings: unknown } | null;
    rbacGroup: { id: string; name: string } | null;
    userErrors: UserError[];
  };
};
const set = async (rbacGroupId: string, settings: unknown) =>
  (await data<SetData>(SET, { input: { rbacGroupId, settings } }))
    .setClaudeCodeRbacGroupManagedSettings;

const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateClaudeCodeManagedSettingsConfigurationInput!) {
    updateClaudeCodeManagedSettingsConfiguration(input: $input) {
      configuration {
        mode
        rbacGroupOrder
        rbacGroupOrderVersion
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
type UpdateData = {
  updateClaudeCodeManagedSettingsConfiguration: {
    configuration: Omit<Configuration, 'modeValue'> | null;
    userErrors: UserError[];
  };
};
const update = async (input: Record<string, unknown>) =>
  (await data<UpdateData>(UPDATE, { input })).updateClaudeCodeManagedSettingsConfiguration;

describe('reads', () => {
  it('reads the configuration in one request, with the beta header', async () => {
    const read = await configuration();
    expect(read).toMatchObject({
      mode: 'RBAC_GROUPS',
      modeValue: 'rbac_groups',
      rbacGroupOrder: SEEDED_ORDER,
    });
    expect(read.rbacGroupOrderVersion).toEqual(expect.any(String));
    expect(requests()).toEqual([`GET ${ROOT}/configuration`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('lists the groups with settings in precedence order, a deleted group included', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes).toEqual([
      { rbacGroupId: ENGINEERING, status: 'ACTIVE', statusValue: 'active' },
      { rbacGroupId: SUPPORT, status: 'ACTIVE', statusValue: 'active' },
      { rbacGroupId: DELETED_SETTINGS_GROUP, status: 'DELETED', statusValue: 'deleted' },
    ]);
    expect(requests()).toEqual([`GET ${ROOT}/rbac_groups?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('gives the same groups in pages of any size as in one page', async () => {
    const whole = await walk(1000);
    expect(whole).toEqual(SEEDED_ORDER);
    for (const first of [1, 2, 3]) expect(await walk(first)).toEqual(whole);
  });

  it('reads a group’s document through RbacGroup, null for a group without settings', async () => {
    const result = await data<{
      a: { claudeCodeManagedSettings: { settings: Record<string, unknown>; status: string } };
      b: { claudeCodeManagedSettings: null };
    }>(
      `{ a: rbacGroup(id: "${ENGINEERING}") { claudeCodeManagedSettings { status settings } }
         b: rbacGroup(id: "${CONTRACTORS}") { claudeCodeManagedSettings { status } } }`,
    );
    expect(result.a.claudeCodeManagedSettings.status).toBe('ACTIVE');
    expect(result.a.claudeCodeManagedSettings.settings).toMatchObject({
      env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' },
    });
    expect(result.b.claudeCodeManagedSettings).toBeNull();
    expect(requests().filter((r) => r.startsWith(`GET ${ROOT}`))).toEqual([
      `GET ${ROOT}/rbac_groups/${ENGINEERING}`,
      `GET ${ROOT}/rbac_groups/${CONTRACTORS}`,
    ]);
  });

  it('reads the default settings, and each list entry’s document on request', async () => {
    const result = await data<{
      organization: {
        claudeCodeDefaultManagedSettings: { isSet: boolean; settings: unknown };
        claudeCodeRbacGroupManagedSettings: {
          nodes: { rbacGroupId: string; settings: { settings: unknown } | null }[];
        };
      };
    }>(`{ organization {
      claudeCodeDefaultManagedSettings { isSet settings updatedAt }
      claudeCodeRbacGroupManagedSettings(first: 2) { nodes { rbacGroupId settings { settings } } }
    } }`);
    expect(result.organization.claudeCodeDefaultManagedSettings).toMatchObject({
      isSet: true,
      settings: { permissions: { deny: ['Bash(rm -rf:*)'] } },
    });
    const nodes = result.organization.claudeCodeRbacGroupManagedSettings.nodes;
    expect(nodes[1]?.settings?.settings).toEqual({
      permissions: { deny: ['Bash(curl:*)', 'WebFetch'] },
    });
    expect(requests().sort()).toEqual(
      [
        `GET ${ROOT}/rbac_group_default`,
        `GET ${ROOT}/rbac_groups?limit=2`,
        `GET ${ROOT}/rbac_groups/${ENGINEERING}`,
        `GET ${ROOT}/rbac_groups/${SUPPORT}`,
      ].sort(),
    );
  });

  it('relates the order to RbacGroup nodes, null for a deleted group', async () => {
    const result = await data<{
      organization: {
        claudeCodeManagedSettingsConfiguration: { rbacGroups: ({ id: string } | null)[] };
      };
    }>('{ organization { claudeCodeManagedSettingsConfiguration { rbacGroups { id } } } }');
    expect(result.organization.claudeCodeManagedSettingsConfiguration.rbacGroups).toEqual([
      { id: ENGINEERING },
      { id: SUPPORT },
      null,
    ]);
  });

  it('fails the next page with CONFLICT when the order changed between pages', async () => {
    const first = await list({ first: 1 });
    await set(CONTRACTORS, { model: 'x' });
    const body = await gql(LIST, { first: 1, after: first.pageInfo.endCursor });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
  });
});

describe('writes', () => {
  it('sets a group’s settings: the group joins the end of the order', async () => {
    const result = await set(CONTRACTORS, { permissions: { allow: ['Read'] } });
    expect(result.userErrors).toEqual([]);
    expect(result.rbacGroupManagedSettings).toEqual({
      rbacGroupId: CONTRACTORS,
      status: 'ACTIVE',
      settings: { permissions: { allow: ['Read'] } },
    });
    expect(result.rbacGroup?.id).toBe(CONTRACTORS);
    expect(requests()[0]).toBe(`POST ${ROOT}/rbac_groups/${CONTRACTORS}`);
    expect(h.upstream()[0]?.body).toEqual({ settings: { permissions: { allow: ['Read'] } } });
    expect((await configuration()).rbacGroupOrder).toEqual([...SEEDED_ORDER, CONTRACTORS]);
  });

  it('a later read in the same operation sees the write', async () => {
    const result = await data<{
      a: { rbacGroup: { claudeCodeManagedSettings: { settings: unknown } } };
      b: { rbacGroup: { claudeCodeManagedSettings: { settings: unknown } } };
    }>(
      `mutation {
        a: setClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${ENGINEERING}", settings: { v: 1 } }) {
          rbacGroup { claudeCodeManagedSettings { settings } } }
        b: setClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${ENGINEERING}", settings: { v: 2 } }) {
          rbacGroup { claudeCodeManagedSettings { settings } } }
      }`,
    );
    expect(result.a.rbacGroup.claudeCodeManagedSettings.settings).toEqual({ v: 1 });
    expect(result.b.rbacGroup.claudeCodeManagedSettings.settings).toEqual({ v: 2 });
  });

  it('refuses a document over 1 MiB naming the field, before any request', async () => {
    const big = { blob: 'x'.repeat(1024 * 1024) };
    const result = await set(ENGINEERING, big);
    expect(result.rbacGroupManagedSettings).toBeNull();
    expect(result.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'settings'] }),
    ]);
    expect(result.userErrors[0]?.message).toMatch(/1 MiB/);
    expect(h.upstream()).toEqual([]);
  });

  it('answers an unknown group with NOT_FOUND and a malformed id with INVALID_INPUT', async () => {
    const unknown = await set('rbac_group_01NoSuchGroup000000000', { v: 1 });
    expect(unknown.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'rbacGroupId'] }),
    ]);
    h.resetCounts();
    const malformed = await set('group-1', { v: 1 });
    expect(malformed.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'rbacGroupId'] }),
    ]);
    expect(h.upstream()).toEqual([]);
  });

  it('answers an organization limit with a CONFLICT that names no input field', async () => {
    setClaudeCodeSettingsOrderLimit(h.sandbox.store, SEEDED_ORDER.length);
    const result = await set(CONTRACTORS, { v: 1 });
    expect(result.rbacGroupManagedSettings).toBeNull();
    expect(result.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: null })]);
    expect(result.userErrors[0]?.message).toMatch(/most groups allowed/);
  });

  it('deletes a group’s settings, and a second delete is NOT_FOUND', async () => {
    const DELETE = `mutation { deleteClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${SUPPORT}" }) {
      deletedRbacGroupId userErrors { code field } } }`;
    const first = await data<{
      deleteClaudeCodeRbacGroupManagedSettings: {
        deletedRbacGroupId: string | null;
        userErrors: UserError[];
      };
    }>(DELETE);
    expect(first.deleteClaudeCodeRbacGroupManagedSettings).toEqual({
      deletedRbacGroupId: SUPPORT,
      userErrors: [],
    });
    expect(requests()).toEqual([`DELETE ${ROOT}/rbac_groups/${SUPPORT}`]);
    expect((await configuration()).rbacGroupOrder).toEqual([ENGINEERING, DELETED_SETTINGS_GROUP]);
    const second = await data<typeof first>(DELETE);
    expect(second.deleteClaudeCodeRbacGroupManagedSettings).toEqual({
      deletedRbacGroupId: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'rbacGroupId'] }],
    });
  });

  it('reorders with the current version, and changes the version', async () => {
    const before = await configuration();
    h.resetCounts();
    const reordered = [SUPPORT, DELETED_SETTINGS_GROUP, ENGINEERING];
    const result = await update({
      rbacGroupOrder: reordered,
      rbacGroupOrderVersion: before.rbacGroupOrderVersion,
    });
    expect(result.userErrors).toEqual([]);
    expect(result.configuration?.rbacGroupOrder).toEqual(reordered);
    expect(result.configuration?.rbacGroupOrderVersion).not.toBe(before.rbacGroupOrderVersion);
    expect(requests()).toEqual([`POST ${ROOT}/configuration`]);
    expect(h.upstream()[0]?.body).toEqual({
      rbac_group_order: reordered,
      rbac_group_order_version: before.rbacGroupOrderVersion,
    });
  });

  it('answers a stale version with CONFLICT and the current configuration', async () => {
    const before = await configuration();
    await set(CONTRACTORS, { v: 1 });
    h.resetCounts();
    const result = await update({
      rbacGroupOrder: [...before.rbacGroupOrder].reverse(),
      rbacGroupOrderVersion: before.rbacGroupOrderVersion,
    });
    expect(result.userErrors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: ['input', 'rbacGroupOrderVersion'] }),
    ]);
    expect(result.userErrors[0]?.message).toMatch(/read the configuration again/i);
    expect(result.configuration?.rbacGroupOrder).toEqual([...SEEDED_ORDER, CONTRACTORS]);
    expect(result.configuration?.rbacGroupOrderVersion).not.toBe(before.rbacGroupOrderVersion);
    expect(requests()).toEqual([`POST ${ROOT}/configuration`, `GET ${ROOT}/configuration`]);
  });

  it('refuses an order without its version before any request', async () => {
    const result = await update({ rbacGroupOrder: SEEDED_ORDER });
    expect(result.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'rbacGroupOrderVersion'] }),
    ]);
    expect(h.upstream()).toEqual([]);
  });

  it('sets and clears the default settings', async () => {
    const setDefault = await data<{
      updateClaudeCodeDefaultManagedSettings: {
        defaultSettings: { isSet: boolean; settings: unknown };
        userErrors: UserError[];
      };
    }>(
      'mutation { updateClaudeCodeDefaultManagedSettings(input: { settings: { model: "m" } }) { defaultSettings { isSet settings } userErrors { code } } }',
    );
    expect(setDefault.updateClaudeCodeDefaultManagedSettings).toEqual({
      defaultSettings: { isSet: true, settings: { model: 'm' } },
      userErrors: [],
    });
    const cleared = await data<{
      updateClaudeCodeDefaultManagedSettings: {
        defaultSettings: { isSet: boolean; settings: unknown; updatedAt: string | null };
      };
    }>(
      'mutation { updateClaudeCodeDefaultManagedSettings(input: { settings: null }) { defaultSettings { isSet settings updatedAt } userErrors { code } } }',
    );
    expect(cleared.updateClaudeCodeDefaultManagedSettings.defaultSettings).toEqual({
      isSet: false,
      settings: null,
      updatedAt: null,
    });
    expect(h.upstream().map((r) => [show(r), r.body])).toEqual([
      [`POST ${ROOT}/rbac_group_default`, { settings: { model: 'm' } }],
      [`POST ${ROOT}/rbac_group_default`, { settings: null }],
    ]);
  });

  it('refuses a default update without `settings` before any request', async () => {
    const body = await data<{
      updateClaudeCodeDefaultManagedSettings: { userErrors: UserError[] };
    }>(
      'mutation { updateClaudeCodeDefaultManagedSettings(input: {}) { userErrors { code field } } }',
    );
    expect(body.updateClaudeCodeDefaultManagedSettings.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'settings'] },
    ]);
    expect(h.upstream()).toEqual([]);
  });

  it('switches the mode; to RBAC_GROUPS with nothing set, the organization settings become the default', async () => {
    for (const id of SEEDED_ORDER) {
      await gql(
        `mutation { deleteClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${id}" }) { userErrors { code } } }`,
      );
    }
    await gql(
      'mutation { updateClaudeCodeDefaultManagedSettings(input: { settings: null }) { userErrors { code } } }',
    );
    expect((await update({ mode: 'ORGANIZATION' })).configuration?.mode).toBe('ORGANIZATION');
    expect((await update({ mode: 'RBAC_GROUPS' })).configuration?.mode).toBe('RBAC_GROUPS');
    const result = await data<{
      organization: { claudeCodeDefaultManagedSettings: { isSet: boolean; settings: unknown } };
    }>('{ organization { claudeCodeDefaultManagedSettings { isSet settings } } }');
    expect(result.organization.claudeCodeDefaultManagedSettings).toEqual({
      isSet: true,
      settings: { permissions: { deny: ['Bash(rm -rf:*)'] } },
    });
  });
});

describe('writes whose answer was lost', () => {
  it('reads a set back once: done when the document is stored, else OUTCOME_UNKNOWN', async () => {
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'POST' });
    const done = await set(CONTRACTORS, { v: 1 });
    expect(done.userErrors).toEqual([]);
    expect(done.rbacGroupManagedSettings?.settings).toEqual({ v: 1 });
    expect(requests().slice(0, 2)).toEqual([
      `POST ${ROOT}/rbac_groups/${CONTRACTORS}`,
      `GET ${ROOT}/rbac_groups/${CONTRACTORS}`,
    ]);
    h.sandbox.injectFault({ kind: 'reset', handle: false, method: 'POST' });
    const lost = await gql(SET, { input: { rbacGroupId: CONTRACTORS, settings: { v: 2 } } });
    expect(lost.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_OUTCOME_UNKNOWN');
  });

  it('reads a delete back as done when the settings are gone', async () => {
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'DELETE' });
    const body = await data<{
      deleteClaudeCodeRbacGroupManagedSettings: { deletedRbacGroupId: string | null };
    }>(
      `mutation { deleteClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${SUPPORT}" }) { deletedRbacGroupId } }`,
    );
    expect(body.deleteClaudeCodeRbacGroupManagedSettings.deletedRbacGroupId).toBe(SUPPORT);
    expect(requests()).toEqual([
      `DELETE ${ROOT}/rbac_groups/${SUPPORT}`,
      `GET ${ROOT}/rbac_groups/${SUPPORT}`,
    ]);
  });
});

describe('with the read cache on', () => {
  let cached: RunningGateway;
  beforeAll(async () => {
    cached = await startGateway(h.sandbox, { cacheTtlSeconds: 60 });
  });
  afterAll(() => cached.close());

  const ask = async (query: string) => (await postGraphQL(cached.endpoint, { query })).body;

  it('keeps NOT_ENABLED and a group without settings apart, also when served from the cache', async () => {
    const none = `{ rbacGroup(id: "${CONTRACTORS}") { id claudeCodeManagedSettings { status } } }`;
    for (let round = 0; round < 2; round++) {
      h.resetCounts();
      const body = await ask(none);
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        rbacGroup: { id: CONTRACTORS, claudeCodeManagedSettings: null },
      });
      const reads = requests().filter((r) => r.includes('claude_code'));
      expect(reads).toEqual(round === 0 ? [`GET ${ROOT}/rbac_groups/${CONTRACTORS}`] : []);
    }
    setClaudeCodeSettingsEnabled(h.sandbox.store, false);
    const gated = `{ organization { claudeCodeManagedSettingsConfiguration { mode } }
      rbacGroup(id: "${SUPPORT}") { claudeCodeManagedSettings { status } } }`;
    for (let round = 0; round < 2; round++) {
      h.resetCounts();
      const body = await ask(gated);
      expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual([
        'NOT_ENABLED',
        'NOT_ENABLED',
      ]);
      const reads = requests().filter((r) => r.includes('claude_code'));
      expect(reads).toHaveLength(round === 0 ? 2 : 0);
    }
  });
});

describe('not enabled', () => {
  it('fails the family’s fields alone with NOT_ENABLED', async () => {
    setClaudeCodeSettingsEnabled(h.sandbox.store, false);
    const body = await gql(
      `{ organization { name claudeCodeManagedSettingsConfiguration { mode } }
         rbacGroup(id: "${ENGINEERING}") { name claudeCodeManagedSettings { settings } } }`,
    );
    expect(body.data).toMatchObject({
      organization: { name: expect.any(String), claudeCodeManagedSettingsConfiguration: null },
      rbacGroup: { name: expect.any(String), claudeCodeManagedSettings: null },
    });
    expect(body.errors?.map((error) => [error.path, error.extensions?.['code']])).toEqual(
      expect.arrayContaining([
        [['organization', 'claudeCodeManagedSettingsConfiguration'], 'NOT_ENABLED'],
        [['rbacGroup', 'claudeCodeManagedSettings'], 'NOT_ENABLED'],
      ]),
    );
  });

  it('fails a mutation with NOT_ENABLED, not a userError', async () => {
    setClaudeCodeSettingsEnabled(h.sandbox.store, false);
    const body = await gql(SET, { input: { rbacGroupId: ENGINEERING, settings: { v: 1 } } });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_ENABLED');
  });
});

describe('scopes', () => {
  it('reads need claude_code:read, and make no request without it', async () => {
    const body = await gql(CONFIGURATION, {}, READER);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['claude_code:read']);
    const group = await gql(
      `{ rbacGroup(id: "${ENGINEERING}") { claudeCodeManagedSettings { settings } } }`,
      {},
      READER,
    );
    expect(group.errors?.[0]?.extensions?.['missingScopes']).toEqual(['claude_code:read']);
    expect(requests().filter((r) => r.includes('claude_code'))).toEqual([]);
  });

  it.each([
    `setClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${ENGINEERING}", settings: {} }) { userErrors { code } }`,
    `deleteClaudeCodeRbacGroupManagedSettings(input: { rbacGroupId: "${ENGINEERING}" }) { userErrors { code } }`,
    'updateClaudeCodeManagedSettingsConfiguration(input: { mode: ORGANIZATION }) { userErrors { code } }',
    'updateClaudeCodeDefaultManagedSettings(input: { settings: {} }) { userErrors { code } }',
  ])('%s needs claude_code:write and makes no request without it', async (field) => {
    const body = await gql(`mutation { ${field} }`, {}, WRITER);
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['claude_code:write']);
    expect(h.upstream()).toEqual([]);
  });
});

describe('cost estimate', () => {
  it.each([
    [CONFIGURATION, 1],
    ['{ organization { claudeCodeDefaultManagedSettings { isSet } } }', 1],
    [`{ rbacGroup(id: "${ENGINEERING}") { claudeCodeManagedSettings { settings } } }`, 2],
    [
      '{ organization { claudeCodeRbacGroupManagedSettings(first: 3) { nodes { settings { settings } } } } }',
      4,
    ],
  ])('estimates %s at what it costs', async (query, requestsMade) => {
    const body = await gql(query);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.cost?.estimatedUpstreamRequests).toBe(requestsMade);
    expect(body.extensions?.cost?.upstreamRequests).toBe(requestsMade);
    expect(h.upstream()).toHaveLength(requestsMade);
  });
});

/** An answer of the emulator: a page, or the error envelope. */
interface SandboxAnswer {
  next_page?: string | null;
  error?: { message: string; details?: { error_code: string } };
}

describe('sandbox', () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${h.sandbox.url}${path}`, {
      method,
      headers: {
        'x-api-key': DEFAULT_SANDBOX_KEY,
        'anthropic-version': '2023-06-01',
        'anthropic-beta': BETA,
        'content-type': 'application/json',
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as SandboxAnswer };
  };

  it('answers a group without settings with a coded 404, and bad bodies with 400s naming the field', async () => {
    const missing = await call('GET', `${ROOT}/rbac_groups/${CONTRACTORS}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.details).toEqual({
      error_code: 'rbac_group_managed_settings_not_found',
    });
    const notAGroup = await call('POST', `${ROOT}/rbac_groups/rbac_group_01Nope`, {
      settings: {},
    });
    expect(notAGroup.body.error?.details).toEqual({ error_code: 'rbac_group_not_found' });
    const array = await call('POST', `${ROOT}/rbac_groups/${ENGINEERING}`, { settings: [] });
    expect(array.status).toBe(400);
    expect(array.body.error?.message).toMatch(/^settings:/);
    const partial = await call('POST', `${ROOT}/configuration`, {
      rbac_group_order: SEEDED_ORDER,
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error?.message).toMatch(/^rbac_group_order_version:/);
  });

  it('binds page tokens to their query and refuses unknown ones', async () => {
    const first = await call('GET', `${ROOT}/rbac_groups?limit=1`);
    const token = first.body.next_page;
    expect(token).toEqual(expect.any(String));
    const other = await call('GET', `${ROOT}/rbac_groups?limit=2&page=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/^page:/);
    const unknown = await call('GET', `${ROOT}/rbac_groups?page=page_bm9wZQ`);
    expect(unknown.status).toBe(400);
  });

  it('shows a group deleted from RBAC groups as deleted, its settings kept in the order', async () => {
    const deleted = await data<{ deleteRbacGroup: { userErrors: UserError[] } }>(
      `mutation { deleteRbacGroup(input: { rbacGroupId: "${SUPPORT}" }) { userErrors { code message } } }`,
    );
    expect(deleted.deleteRbacGroup.userErrors).toEqual([]);
    const page = await list({ first: 10 });
    expect(page.nodes.find((node) => node.rbacGroupId === SUPPORT)?.status).toBe('DELETED');
  });

  it('applies the fault knobs to the family’s routes', async () => {
    h.sandbox.injectFault({ path: `${ROOT}/configuration`, status: 503 });
    const body = await gql(CONFIGURATION);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });
});
