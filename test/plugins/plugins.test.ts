import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RBAC_FIXTURE_IDS } from '../../src/sandbox/resources/rbac.js';
import { PLUGIN_FIXTURE_IDS as P, setPluginsEnabled } from '../../src/sandbox/resources/plugins.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';

const PLUGINS = '/v1/organizations/plugins';
const MARKETPLACES = '/v1/organizations/plugin_marketplaces';
const BETA = 'ce-plugins-2026-09-01';
const ENGINEERING = RBAC_FIXTURE_IDS.engineeringGroup;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.reset();
  h.resetCounts();
});

type Body = Awaited<ReturnType<typeof postGraphQL>>['body'];
const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Body> =>
  (await postGraphQL(h.endpoint, { query, variables })).body;

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await gql(query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}

const LIST = /* GraphQL */ `
  query ($first: Int, $after: String, $ownerType: PluginOwnerType, $marketplaceId: ID) {
    organization {
      plugins(first: $first, after: $after, ownerType: $ownerType, marketplaceId: $marketplaceId) {
        nodes {
          id
          name
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
type ListData = {
  organization: {
    plugins: {
      nodes: { id: string; name: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};
const list = async (variables: Record<string, unknown> = {}) =>
  (await data<ListData>(LIST, variables)).organization.plugins;

async function walk(first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await list({ first, after });
    ids.push(...page.nodes.map((node) => node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

describe('reads', () => {
  it('lists plugins newest first in one request with the beta header', async () => {
    const page = await list({ first: 10 });
    expect(page.nodes.map((node) => node.name)).toEqual([
      'meeting-notes',
      'deploy-helper',
      'lint-rules',
      'code-review',
    ]);
    expect(h.upstream().map(show)).toEqual([`GET ${PLUGINS}?limit=10`]);
    expect(h.upstream()[0]?.headers['anthropic-beta']).toContain(BETA);
  });

  it('gives the same plugins whatever the page size', async () => {
    const whole = await walk(10);
    expect(whole).toHaveLength(4);
    expect(await walk(1)).toEqual(whole);
    expect(await walk(3)).toEqual(whole);
  });

  it('sends the typed filters as the Admin API names them', async () => {
    const body = await gql(
      `{ organization {
          plugins(first: 5, ownerType: ORGANIZATION, marketplaceId: "${P.libraryMarketplace}",
                  createdAfter: "2026-09-01T00:00:00Z", createdBefore: "2026-11-01T00:00:00Z") {
            nodes { name }
          } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(h.upstream().map(show)).toEqual([
      `GET ${PLUGINS}?marketplace_id=${P.libraryMarketplace}&owner_type=organization&created_at[gte]=2026-09-01T00:00:00.000Z&created_at[lt]=2026-11-01T00:00:00.000Z&limit=5`,
    ]);
    expect((body.data as ListData).organization.plugins.nodes.map((node) => node.name)).toEqual([
      'deploy-helper',
      'code-review',
    ]);
  });

  it('refuses a malformed filter id before any request', async () => {
    const body = await gql(
      '{ organization { plugins(marketplaceId: "plugin_01x") { nodes { id } } } }',
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.upstream()).toEqual([]);
  });

  it('reads a plugin with its versions, settings and related objects', async () => {
    const { plugin } = await data<{
      plugin: {
        name: string;
        servedVersionPinned: boolean;
        organizationInstallationPreference: string;
        organizationInstallationPreferenceInherited: boolean;
        servedVersion: {
          id: string;
          manifestVersion: string;
          reach: string;
          components: { name: string; componentType: string }[];
        };
        latestVersion: { id: string; contentScan: { status: string; assessment: string | null } };
        marketplace: { name: string; source: string };
        versions: { nodes: { id: string }[] };
        installationSettings: {
          nodes: {
            installationPreference: string;
            target: { targetType: string; rbacGroup: { id: string; name: string } | null };
          }[];
        };
        shares: null;
      };
    }>(`{
      plugin(id: "${P.codeReview}") {
        name servedVersionPinned organizationInstallationPreference organizationInstallationPreferenceInherited
        servedVersion { id manifestVersion reach components { name componentType } }
        latestVersion { id contentScan { status assessment } }
        marketplace { name source }
        versions(first: 10) { nodes { id } }
        installationSettings { nodes { installationPreference target { targetType rbacGroup { id name } } } }
        shares { nodes { grantedAt } }
      }
    }`);
    expect(plugin).toMatchObject({
      name: 'code-review',
      servedVersionPinned: true,
      organizationInstallationPreference: 'AVAILABLE',
      organizationInstallationPreferenceInherited: false,
      servedVersion: {
        id: P.codeReviewV2,
        manifestVersion: '1.1.0',
        reach: 'PRIVILEGED',
        components: [
          { name: 'review-pr', componentType: 'SKILL' },
          { name: 'PreToolUse', componentType: 'HOOK' },
        ],
      },
      latestVersion: {
        id: P.codeReviewV4,
        contentScan: { status: 'PROCESSING', assessment: null },
      },
      marketplace: { name: 'organization-library', source: 'MANUAL' },
      shares: null,
    });
    expect(plugin.versions.nodes.map((node) => node.id)).toEqual([
      P.codeReviewV4,
      P.codeReviewV3,
      P.codeReviewV2,
      P.codeReviewV1,
    ]);
    expect(plugin.installationSettings.nodes).toEqual([
      {
        installationPreference: 'REQUIRED',
        target: {
          targetType: 'RBAC_GROUP',
          rbacGroup: { id: ENGINEERING, name: expect.any(String) },
        },
      },
      {
        installationPreference: 'AVAILABLE',
        target: { targetType: 'ORGANIZATION', rbacGroup: null },
      },
    ]);
    expect(h.upstream().map(show).sort()).toEqual(
      [
        `GET ${PLUGINS}/${P.codeReview}`,
        `GET ${PLUGINS}/${P.codeReview}/versions/${P.codeReviewV2}`,
        `GET ${PLUGINS}/${P.codeReview}/versions/${P.codeReviewV4}`,
        `GET ${MARKETPLACES}/${P.libraryMarketplace}`,
        `GET ${PLUGINS}/${P.codeReview}/versions?limit=10`,
        `GET ${PLUGINS}/${P.codeReview}/installation_settings`,
        `GET /v1/organizations/rbac_groups/${ENGINEERING}`,
      ].sort(),
    );
  });

  it('shows a member-owned plugin’s shares, and no installation settings (no request)', async () => {
    const { plugin } = await data<{
      plugin: {
        owner: { ownerType: string; user: { id: string } | null };
        organizationInstallationPreference: string | null;
        installationSettings: null;
        shares: {
          nodes: {
            target: { targetType: string; rbacGroupId: string | null; user: { id: string } | null };
          }[];
        };
      };
    }>(`{
      plugin(id: "${P.personalNotes}") {
        owner { ownerType user { id } }
        organizationInstallationPreference
        installationSettings { nodes { createdAt } }
        shares(targetType: null) { nodes { target { targetType rbacGroupId user { id } } } }
      }
    }`);
    expect(plugin.owner.ownerType).toBe('USER');
    expect(plugin.owner.user?.id).toMatch(/^user_/);
    expect(plugin.organizationInstallationPreference).toBeNull();
    expect(plugin.installationSettings).toBeNull();
    expect(plugin.shares.nodes.map((node) => node.target.targetType)).toEqual([
      'ORGANIZATION_MEMBER',
      'RBAC_GROUP',
    ]);
    expect(plugin.shares.nodes[1]?.target.rbacGroupId).toBe(RBAC_FIXTURE_IDS.supportGroup);
    expect(h.upstream().map(show)).not.toContain(
      `GET ${PLUGINS}/${P.personalNotes}/installation_settings`,
    );
    expect(h.upstream().map(show)).toContain(`GET ${PLUGINS}/${P.personalNotes}/shares`);
  });

  it('pages versions alike at any size, and filters settings and shares by target type', async () => {
    const VERSIONS = `query ($first: Int, $after: String) { plugin(id: "${P.codeReview}") {
      versions(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    type Versions = {
      plugin: {
        versions: {
          nodes: { id: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    };
    const one: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const answer: Versions = await data<Versions>(VERSIONS, { first: 1, after });
      const { versions } = answer.plugin;
      one.push(...versions.nodes.map((node) => node.id));
      if (!versions.pageInfo.hasNextPage) break;
      after = versions.pageInfo.endCursor;
    }
    const all = (await data<Versions>(VERSIONS, { first: 10 })).plugin.versions.nodes;
    expect(one).toEqual(all.map((node) => node.id));
    h.resetCounts();
    const filtered = await data<{
      a: { installationSettings: { nodes: { target: { rbacGroupId: string } }[] } };
      b: { shares: { nodes: { target: { targetType: string } }[] } };
    }>(`{
      a: plugin(id: "${P.codeReview}") { installationSettings(targetType: RBAC_GROUP) { nodes { target { rbacGroupId } } } }
      b: plugin(id: "${P.personalNotes}") { shares(targetType: ORGANIZATION_MEMBER) { nodes { target { targetType } } } }
    }`);
    expect(filtered.a.installationSettings.nodes).toEqual([
      { target: { rbacGroupId: ENGINEERING } },
    ]);
    expect(filtered.b.shares.nodes).toEqual([{ target: { targetType: 'ORGANIZATION_MEMBER' } }]);
    expect(h.upstream().map(show)).toEqual(
      expect.arrayContaining([
        `GET ${PLUGINS}/${P.codeReview}/installation_settings?target_type=rbac_group`,
        `GET ${PLUGINS}/${P.personalNotes}/shares?target_type=organization_member`,
      ]),
    );
  });

  it('finds a plugin version by its id alone through node', async () => {
    const { node } = await data<{
      node: { __typename: string; id: string; plugin: { id: string } };
    }>(`{ node(id: "${P.lintRulesV1}") { __typename id ... on PluginVersion { plugin { id } } } }`);
    expect(node).toEqual({
      __typename: 'PluginVersion',
      id: P.lintRulesV1,
      plugin: { id: P.lintRules },
    });
    // Not a served or latest version: the walk reads the plugin list, then version lists in list
    // order until it is found; the plugin comes from the list page.
    expect(h.upstream().map(show)).toEqual([
      `GET ${PLUGINS}?limit=1000`,
      `GET ${PLUGINS}/${P.personalNotes}/versions?limit=1000`,
      `GET ${PLUGINS}/${P.deployHelper}/versions?limit=1000`,
      `GET ${PLUGINS}/${P.lintRules}/versions?limit=1000`,
      `GET ${PLUGINS}/${P.lintRules}/versions/${P.lintRulesV1}`,
    ]);
    const { nodes } = await data<{ nodes: ({ id: string } | null)[] }>(
      `{ nodes(ids: ["${P.codeReview}", "${P.githubMarketplace}", "pluginver_01Missing"]) { id } }`,
    );
    expect(nodes).toEqual([{ id: P.codeReview }, { id: P.githubMarketplace }, null]);
  });

  it('lists marketplaces with filters, and a marketplace’s plugins', async () => {
    const { organization } = await data<{
      organization: {
        pluginMarketplaces: {
          nodes: {
            id: string;
            source: string;
            syncStatus: string | null;
            defaultInstallationPreference: string | null;
            plugins: { nodes: { name: string }[] };
          }[];
        };
      };
    }>(`{ organization { pluginMarketplaces(ownerType: ORGANIZATION, first: 5) {
          nodes { id source syncStatus defaultInstallationPreference plugins { nodes { name } } } } } }`);
    expect(organization.pluginMarketplaces.nodes).toEqual([
      {
        id: P.githubMarketplace,
        source: 'GITHUB',
        syncStatus: 'SUCCESS',
        defaultInstallationPreference: 'AUTO_INSTALL',
        plugins: { nodes: [{ name: 'lint-rules' }] },
      },
      {
        id: P.libraryMarketplace,
        source: 'MANUAL',
        syncStatus: null,
        defaultInstallationPreference: 'AVAILABLE',
        plugins: { nodes: [{ name: 'deploy-helper' }, { name: 'code-review' }] },
      },
    ]);
    expect(h.upstream().map(show)).toEqual([
      `GET ${MARKETPLACES}?owner_type=organization&limit=5`,
      `GET ${PLUGINS}?marketplace_id=${P.githubMarketplace}`,
      `GET ${PLUGINS}?marketplace_id=${P.libraryMarketplace}`,
    ]);
  });

  it('validates a marketplace repository without going to the network', async () => {
    const VALIDATE = `query ($url: String!, $ref: String) {
      pluginMarketplaceRepositoryValidation(repositoryUrl: $url, ref: $ref) {
        valid commitSha ref manifestErrorCode totalPluginCount pluginErrors { name errorCode }
      } }`;
    type Report = {
      pluginMarketplaceRepositoryValidation: {
        valid: boolean;
        commitSha: string | null;
        ref: string | null;
        manifestErrorCode: string | null;
        totalPluginCount: number;
        pluginErrors: { name: string; errorCode: string }[];
      };
    };
    const good = await data<Report>(VALIDATE, {
      url: 'https://github.com/example-org/marketplace',
      ref: 'main',
    });
    expect(good.pluginMarketplaceRepositoryValidation).toMatchObject({
      valid: true,
      ref: 'main',
      manifestErrorCode: null,
      totalPluginCount: 2,
      pluginErrors: [],
    });
    expect(good.pluginMarketplaceRepositoryValidation.commitSha).toMatch(/^[0-9a-f]{40}$/);
    const broken = await data<Report>(VALIDATE, {
      url: 'https://github.com/example-org/tools-broken',
    });
    expect(broken.pluginMarketplaceRepositoryValidation).toMatchObject({
      valid: false,
      pluginErrors: [{ name: 'release-tools', errorCode: 'plugin_manifest_missing' }],
    });
    const elsewhere = await data<Report>(VALIDATE, { url: 'https://gitlab.example/org/repo' });
    expect(elsewhere.pluginMarketplaceRepositoryValidation).toMatchObject({
      valid: false,
      commitSha: null,
      manifestErrorCode: 'repository_not_found',
    });
    expect(h.upstream().map((request) => [show(request), request.body])).toEqual([
      [
        `POST ${MARKETPLACES}/validate_repository`,
        { repository_url: 'https://github.com/example-org/marketplace', ref: 'main' },
      ],
      [
        `POST ${MARKETPLACES}/validate_repository`,
        { repository_url: 'https://github.com/example-org/tools-broken' },
      ],
      [
        `POST ${MARKETPLACES}/validate_repository`,
        { repository_url: 'https://gitlab.example/org/repo' },
      ],
    ]);
  });
});

const UPDATE = /* GraphQL */ `
  mutation ($pluginId: ID!, $versionId: ID!) {
    updatePlugin(input: { pluginId: $pluginId, servedVersionId: $versionId }) {
      plugin {
        servedVersionId
        servedVersionPinned
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
  updatePlugin: {
    plugin: { servedVersionId: string; servedVersionPinned: boolean } | null;
    userErrors: UserError[];
  };
};
const update = async (pluginId: string, versionId: string) =>
  (await data<UpdateData>(UPDATE, { pluginId, versionId })).updatePlugin;

describe('writes', () => {
  it('serves and pins a version, and a later read sees it', async () => {
    const result = await update(P.lintRules, P.lintRulesV2);
    expect(result).toEqual({
      plugin: { servedVersionId: P.lintRulesV2, servedVersionPinned: true },
      userErrors: [],
    });
    expect(h.upstream().map((request) => [show(request), request.body])).toEqual([
      [`POST ${PLUGINS}/${P.lintRules}`, { served_version_id: P.lintRulesV2 }],
    ]);
    const { plugin } = await data<{ plugin: { servedVersionPinned: boolean } }>(
      `{ plugin(id: "${P.lintRules}") { servedVersionPinned } }`,
    );
    expect(plugin.servedVersionPinned).toBe(true);
  });

  it('maps the Admin API’s refusals of a served version to userErrors on servedVersionId', async () => {
    const taken = await update(P.codeReview, P.codeReviewV3);
    expect(taken.plugin).toBeNull();
    expect(taken.userErrors).toEqual([
      {
        code: 'CONFLICT',
        field: ['input', 'servedVersionId'],
        message: expect.stringContaining('release-notes'),
      },
    ]);
    const pending = await update(P.codeReview, P.codeReviewV4);
    expect(pending.userErrors).toEqual([
      {
        code: 'CONFLICT',
        field: ['input', 'servedVersionId'],
        message: expect.stringContaining('still running'),
      },
    ]);
    const failed = await update(P.lintRules, P.lintRulesV1);
    expect(failed.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'servedVersionId'],
        message: expect.stringContaining('content scan'),
      },
    ]);
    const memberOwned = await update(P.personalNotes, P.personalNotesV1);
    expect(memberOwned.userErrors.map((error) => error.code)).toEqual(['NOT_PERMITTED']);
    const missing = await update('plugin_01Missing', P.codeReviewV1);
    expect(missing.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'pluginId'], message: expect.any(String) },
    ]);
    h.resetCounts();
    const malformed = await update(P.codeReview, 'v1');
    expect(malformed.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'servedVersionId'], message: expect.any(String) },
    ]);
    expect(h.upstream()).toEqual([]);
  });

  it('reports a version awaiting registration as a retryable error that says so', async () => {
    const body = await gql(UPDATE, { pluginId: P.deployHelper, versionId: P.deployHelperV2 });
    expect(body.errors?.[0]?.message).toContain('registration_pending');
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      upstreamStatus: 503,
      upstreamErrorType: 'registration_pending',
    });
  });

  it('sets and removes installation settings; reads in the same operation see each write', async () => {
    const body = await gql(`mutation {
      first: removePluginInstallationSetting(input: { pluginId: "${P.codeReview}", rbacGroupId: "${ENGINEERING}" }) {
        removedTarget { targetType rbacGroupId }
        plugin { organizationInstallationPreference }
        userErrors { code }
      }
      second: setPluginInstallationSetting(input: { pluginId: "${P.codeReview}", installationPreference: NOT_AVAILABLE }) {
        installationSetting { installationPreference target { targetType }
          plugin { organizationInstallationPreference installationSettings { nodes { target { targetType } } } } }
        userErrors { code }
      }
      third: removePluginInstallationSetting(input: { pluginId: "${P.codeReview}" }) {
        plugin { organizationInstallationPreference organizationInstallationPreferenceInherited }
        userErrors { code }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      first: {
        removedTarget: { targetType: 'RBAC_GROUP', rbacGroupId: ENGINEERING },
        plugin: { organizationInstallationPreference: 'AVAILABLE' },
        userErrors: [],
      },
      second: {
        installationSetting: {
          installationPreference: 'NOT_AVAILABLE',
          target: { targetType: 'ORGANIZATION' },
          plugin: {
            organizationInstallationPreference: 'NOT_AVAILABLE',
            installationSettings: { nodes: [{ target: { targetType: 'ORGANIZATION' } }] },
          },
        },
        userErrors: [],
      },
      third: {
        plugin: {
          organizationInstallationPreference: 'AVAILABLE',
          organizationInstallationPreferenceInherited: true,
        },
        userErrors: [],
      },
    });
    const writes = h.upstream().filter((request) => request.method !== 'GET');
    expect(writes.map((request) => [show(request), request.body])).toEqual([
      [`DELETE ${PLUGINS}/${P.codeReview}/installation_settings/${ENGINEERING}`, null],
      [
        `POST ${PLUGINS}/${P.codeReview}/installation_settings/organization`,
        { installation_preference: 'not_available' },
      ],
      [`DELETE ${PLUGINS}/${P.codeReview}/installation_settings/organization`, null],
    ]);
  });

  it('turns installation-setting refusals into userErrors', async () => {
    const SET = `mutation ($pluginId: ID!, $group: ID) {
      setPluginInstallationSetting(input: { pluginId: $pluginId, rbacGroupId: $group, installationPreference: REQUIRED }) {
        installationSetting { createdAt } userErrors { code field } } }`;
    type SetData = {
      setPluginInstallationSetting: {
        installationSetting: null;
        userErrors: { code: string; field: string[] | null }[];
      };
    };
    const memberOwned = await data<SetData>(SET, { pluginId: P.personalNotes });
    expect(memberOwned.setPluginInstallationSetting.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'pluginId'] },
    ]);
    const group = await data<SetData>(SET, {
      pluginId: P.codeReview,
      group: 'rbac_group_01Missing',
    });
    expect(group.setPluginInstallationSetting.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'rbacGroupId'] },
    ]);
    const none = await data<{
      removePluginInstallationSetting: { userErrors: { code: string }[] };
    }>(
      `mutation { removePluginInstallationSetting(input: { pluginId: "${P.lintRules}" }) { userErrors { code } } }`,
    );
    expect(none.removePluginInstallationSetting.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });

  it('an installation-setting write refused with 503 is a retryable error, not a userError', async () => {
    h.sandbox.injectFault({
      method: 'POST',
      path: `${PLUGINS}/${P.codeReview}/installation_settings/organization`,
      status: 503,
    });
    const body = await gql(
      `mutation { setPluginInstallationSetting(input: { pluginId: "${P.codeReview}", installationPreference: REQUIRED }) { userErrors { code } } }`,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
    });
    expect(body.errors?.[0]?.message).toContain('send it again');
  });

  it('deletes a plugin of a manual marketplace, and refuses a synchronized one', async () => {
    const DELETE = `mutation ($id: ID!) { deletePlugin(input: { pluginId: $id }) { deletedPluginId userErrors { code } } }`;
    type DeleteData = {
      deletePlugin: { deletedPluginId: string | null; userErrors: { code: string }[] };
    };
    expect((await data<DeleteData>(DELETE, { id: P.deployHelper })).deletePlugin).toEqual({
      deletedPluginId: P.deployHelper,
      userErrors: [],
    });
    expect(
      (await data<{ plugin: null }>(`{ plugin(id: "${P.deployHelper}") { id } }`)).plugin,
    ).toBeNull();
    expect((await data<DeleteData>(DELETE, { id: P.lintRules })).deletePlugin).toEqual({
      deletedPluginId: null,
      userErrors: [{ code: 'INVALID_INPUT' }],
    });
  });

  it('changes a marketplace’s default, which plugins that inherit it show', async () => {
    const body = await gql(`mutation {
      updatePluginMarketplace(input: { marketplaceId: "${P.githubMarketplace}", defaultInstallationPreference: REQUIRED }) {
        pluginMarketplace { defaultInstallationPreference plugins { nodes { organizationInstallationPreference organizationInstallationPreferenceInherited } } }
        userErrors { code }
      } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      updatePluginMarketplace: {
        pluginMarketplace: {
          defaultInstallationPreference: 'REQUIRED',
          plugins: {
            nodes: [
              {
                organizationInstallationPreference: 'REQUIRED',
                organizationInstallationPreferenceInherited: true,
              },
            ],
          },
        },
        userErrors: [],
      },
    });
    const personal = await gql(`mutation {
      updatePluginMarketplace(input: { marketplaceId: "${P.personalMarketplace}", defaultInstallationPreference: REQUIRED }) {
        userErrors { code field } } }`);
    expect(personal.data).toEqual({
      updatePluginMarketplace: {
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'defaultInstallationPreference'] }],
      },
    });
  });
});

describe('not enabled', () => {
  it('fails the list alone with NOT_ENABLED, and lookups answer null', async () => {
    setPluginsEnabled(h.sandbox.store, false);
    const body = await gql(
      `{ organization { id plugins { nodes { id } } pluginMarketplaces { nodes { id } } } plugin(id: "${P.codeReview}") { id } }`,
    );
    expect(body.data).toEqual({
      organization: { id: expect.any(String), plugins: null, pluginMarketplaces: null },
      plugin: null,
    });
    expect(
      body.errors?.map((error) => [error.path?.join('.'), error.extensions?.['code']]),
    ).toEqual([
      ['organization.plugins', 'NOT_ENABLED'],
      ['organization.pluginMarketplaces', 'NOT_ENABLED'],
    ]);
  });
});

describe('scopes and federation (a subgraph with token auth)', () => {
  let scoped: Harness;
  const WRITER = 'plugins-test-writer-token-000001';
  const PLUGIN_WRITER = 'plugins-test-plugin-writer-00001';
  const as = async (token: string, query: string) =>
    (await postGraphQL(scoped.endpoint, { query }, { authorization: `Bearer ${token}` })).body;
  beforeAll(async () => {
    scoped = await startHarness({
      config: {
        federationSubgraph: true,
        // The shared read cache is on here: writes must drop what it holds.
        cacheTtlSeconds: 60,
        auth: {
          mode: 'token',
          tokens: [
            { name: 'w', token: WRITER, scopes: ['read', 'write'] },
            { name: 'p', token: PLUGIN_WRITER, scopes: ['read', 'write', 'plugins:write'] },
          ],
        },
      },
    });
  });
  afterAll(() => scoped.close());
  beforeEach(() => scoped.resetCounts());

  it('resolves plugin, version and marketplace entities through the loaders', async () => {
    const { body } = await postGraphQL(
      scoped.endpoint,
      {
        query: `query ($representations: [_Any!]!) { _entities(representations: $representations) {
          __typename ... on Plugin { id name } ... on PluginVersion { id plugin { id } }
          ... on PluginMarketplace { id name } } }`,
        variables: {
          representations: [
            { __typename: 'Plugin', id: P.codeReview },
            { __typename: 'Plugin', id: P.lintRules },
            { __typename: 'PluginVersion', id: P.codeReviewV2 },
            { __typename: 'PluginMarketplace', id: P.githubMarketplace },
            { __typename: 'Plugin', id: P.codeReviewV1 },
          ],
        },
      },
      { authorization: `Bearer ${WRITER}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.['_entities']).toEqual([
      { __typename: 'Plugin', id: P.codeReview, name: 'code-review' },
      { __typename: 'Plugin', id: P.lintRules, name: 'lint-rules' },
      { __typename: 'PluginVersion', id: P.codeReviewV2, plugin: { id: P.codeReview } },
      { __typename: 'PluginMarketplace', id: P.githubMarketplace, name: 'engineering-tools' },
      null,
    ]);
    // The two plugins share one list page, which also tells whose served version it is.
    expect(scoped.upstream().map(show).sort()).toEqual(
      [
        `GET ${PLUGINS}?limit=1000`,
        `GET ${PLUGINS}/${P.codeReview}/versions/${P.codeReviewV2}`,
        `GET ${MARKETPLACES}/${P.githubMarketplace}`,
      ].sort(),
    );
  });

  it('a write drops the cached reads of the family', async () => {
    scoped.sandbox.reset();
    const READ = `{ plugin(id: "${P.lintRules}") { organizationInstallationPreference } }`;
    expect((await as(PLUGIN_WRITER, READ)).data).toEqual({
      plugin: { organizationInstallationPreference: 'AUTO_INSTALL' },
    });
    scoped.resetCounts();
    await as(PLUGIN_WRITER, READ);
    expect(scoped.upstream()).toEqual([]);
    const write = await as(
      PLUGIN_WRITER,
      `mutation { updatePluginMarketplace(input: { marketplaceId: "${P.githubMarketplace}", defaultInstallationPreference: NOT_AVAILABLE }) { userErrors { code } } }`,
    );
    expect(write.errors).toBeUndefined();
    expect((await as(PLUGIN_WRITER, READ)).data).toEqual({
      plugin: { organizationInstallationPreference: 'NOT_AVAILABLE' },
    });
    expect(scoped.upstream().map(show)).toEqual([
      `POST ${MARKETPLACES}/${P.githubMarketplace}`,
      `GET ${PLUGINS}/${P.lintRules}`,
    ]);
  });

  it('keeps NOT_ENABLED when the list’s 404 is served from the read cache', async () => {
    setPluginsEnabled(scoped.sandbox.store, false);
    const LIST_ONLY = '{ organization { plugins(first: 3) { nodes { id } } } }';
    for (let i = 0; i < 2; i++) {
      const body = await as(WRITER, LIST_ONLY);
      expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['NOT_ENABLED']);
    }
    expect(scoped.upstream().map(show)).toEqual([`GET ${PLUGINS}?limit=3`]);
    scoped.sandbox.reset();
  });

  it.each([
    `updatePlugin(input: { pluginId: "${P.codeReview}", servedVersionId: "${P.codeReviewV1}" }) { userErrors { code } }`,
    `deletePlugin(input: { pluginId: "${P.codeReview}" }) { userErrors { code } }`,
    `setPluginInstallationSetting(input: { pluginId: "${P.codeReview}", installationPreference: REQUIRED }) { userErrors { code } }`,
    `removePluginInstallationSetting(input: { pluginId: "${P.codeReview}" }) { userErrors { code } }`,
    `updatePluginMarketplace(input: { marketplaceId: "${P.libraryMarketplace}", defaultInstallationPreference: REQUIRED }) { userErrors { code } }`,
  ])('%s needs plugins:write and makes no request without it', async (field) => {
    const { body } = await postGraphQL(
      scoped.endpoint,
      { query: `mutation { ${field} }` },
      { authorization: `Bearer ${WRITER}` },
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.extensions?.['missingScopes']).toEqual(['plugins:write']);
    expect(scoped.upstream()).toEqual([]);
  });
});

describe('cost estimate', () => {
  it('counts lists, lookups and writes as the requests they make', async () => {
    for (const [query, requests] of [
      ['{ organization { plugins(first: 5) { nodes { id } } } }', 1],
      ['{ organization { pluginMarketplaces(first: 5) { nodes { id } } } }', 1],
      [`{ plugin(id: "${P.codeReview}") { id servedVersion { id } } }`, 2],
      [`{ plugin(id: "${P.codeReview}") { versions(first: 2) { nodes { id } } } }`, 2],
      [`{ pluginMarketplace(id: "${P.libraryMarketplace}") { id } }`, 1],
      [
        `mutation { deletePlugin(input: { pluginId: "${P.deployHelper}" }) { deletedPluginId } }`,
        1,
      ],
    ] as const) {
      h.resetCounts();
      const body = (await postGraphQL(h.endpoint, { query })).body as {
        extensions?: { cost?: { estimatedUpstreamRequests: number; upstreamRequests: number } };
      };
      expect(body.extensions?.cost?.estimatedUpstreamRequests, query).toBe(requests);
      expect(body.extensions?.cost?.upstreamRequests, query).toBe(h.upstream().length);
      expect(h.upstream().length, query).toBe(requests);
    }
  });
});
