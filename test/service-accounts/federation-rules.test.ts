import { describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import {
  federationIssuerIdByName,
  federationRuleIdByName,
} from '../../src/sandbox/resources/federation.js';
import { API, calls, gql, seeded, useHarness } from './helpers.js';

/* Workload identity federation rules and the workspaces they are enabled for. */

const OWNER = 'fdrl-scopes-owner-token-00000000003';
const READER = 'fdrl-scopes-reader-token-0000000001';
const harness = useHarness({
  auth: {
    mode: 'token',
    tokens: [
      { name: 'reader', token: READER, scopes: ['read', 'write'] },
      {
        name: 'owner',
        token: OWNER,
        scopes: ['read', 'write', 'federation:write', 'service_accounts:write'],
      },
    ],
  },
});
const owner = { authorization: `Bearer ${OWNER}` };
const ERRORS = 'userErrors { code field message }';
const PRODUCTION = FIXTURE_IDS.productionWorkspace;

function fixtures(h: ReturnType<typeof harness>) {
  return {
    ...seeded(h),
    github: federationIssuerIdByName(h.sandbox.store, 'github-actions'),
    gitlab: federationIssuerIdByName(h.sandbox.store, 'gitlab-ci'),
    rule: federationRuleIdByName(h.sandbox.store, 'prod-deploy-pipeline'),
  };
}

describe('reads', () => {
  it('lists rules with their issuer, target and workspaces, in few requests', async () => {
    const h = harness();
    const f = fixtures(h);
    const body = await gql(
      h,
      `{ organization { federationRules(first: 10) { nodes { id name oauthScope tokenLifetimeSeconds
          match { subjectPrefix claims { key } } issuer { name } targetServiceAccount { name }
          workspaces { nodes { workspaceId workspaceName workspace { name } } } } } } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      organization: {
        federationRules: {
          nodes: [
            {
              id: f.rule,
              name: 'prod-deploy-pipeline',
              oauthScope: 'workspace:developer',
              tokenLifetimeSeconds: 3600,
              match: { subjectPrefix: 'repo:northwind/deploy:ref:refs/heads/main', claims: [] },
              issuer: { name: 'github-actions' },
              targetServiceAccount: { name: 'ci-deploy-bot' },
              workspaces: {
                nodes: [
                  {
                    workspaceId: PRODUCTION,
                    workspaceName: 'Production',
                    workspace: { name: 'Production' },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    // In any order: the lookups run side by side.
    expect([...calls(h)].sort()).toEqual(
      [
        `GET ${API}/federation_rules?include_archived=false&limit=10`,
        `GET ${API}/federation_issuers/${f.github}`,
        `GET ${API}/service_accounts/${f.deploy}`,
        `GET ${API}/federation_rules/${f.rule}/workspaces`,
        // The rules' workspaces are looked up in a list asked as the operation starts.
        `GET ${API}/workspaces?limit=1000&include_archived=true&include_default=true`,
      ].sort(),
    );
    expect(
      h
        .upstream()
        .filter((r) => r.path.includes('federation'))
        .map((r) => r.credential),
    ).toEqual(['oauth', 'oauth', 'oauth']);
  });

  it('FederationIssuer.rules filters by issuer; federationRule(id:) and node(id:) read one', async () => {
    const h = harness();
    const f = fixtures(h);
    const body = await gql(
      h,
      `{ g: federationIssuer(id: "${f.github}") { rules { nodes { id } } }
         l: federationIssuer(id: "${f.gitlab}") { rules { nodes { id } } }
         r: federationRule(id: "${f.rule}") { name }
         n: node(id: "${f.rule}") { __typename }
         m: federationRule(id: "fdrl_01missing") { id } }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      g: { rules: { nodes: [{ id: f.rule }] } },
      l: { rules: { nodes: [] } },
      r: { name: 'prod-deploy-pipeline' },
      n: { __typename: 'FederationRule' },
      m: null,
    });
    expect(calls(h)).toContain(
      `GET ${API}/federation_rules?include_archived=false&issuer_id=${f.github}`,
    );
  });
});

describe('writes', () => {
  it('create, enable for a workspace, update, disable and archive; reads in the operation see each write', async () => {
    const h = harness();
    const f = fixtures(h);
    const created = await gql(
      h,
      `mutation { createFederationRule(input: { issuerId: "${f.gitlab}", name: "gitlab-evals", oauthScope: "workspace:inference",
          targetServiceAccountId: "${f.evals}", match: { audience: "https://api.anthropic.com", claims: [{ key: "project_path", value: "northwind/evals" }] } }) {
        federationRule { id issuerId match { audience claims { key value } } targetServiceAccountId workspaceIds } ${ERRORS} } }`,
      {},
      owner,
    );
    expect(created.errors).toBeUndefined();
    const rule = (created.data as { createFederationRule: { federationRule: { id: string } } })
      .createFederationRule.federationRule;
    expect(rule).toEqual({
      id: expect.stringMatching(/^fdrl_/),
      issuerId: f.gitlab,
      match: {
        audience: 'https://api.anthropic.com',
        claims: [{ key: 'project_path', value: 'northwind/evals' }],
      },
      targetServiceAccountId: f.evals,
      workspaceIds: [],
    });
    expect(h.upstream()[0]?.body).toEqual({
      issuer_id: f.gitlab,
      name: 'gitlab-evals',
      oauth_scope: 'workspace:inference',
      target: { type: 'service_account', service_account_id: f.evals },
      match: { audience: 'https://api.anthropic.com', claims: { project_path: 'northwind/evals' } },
    });

    h.resetCounts();
    const changed = await gql(
      h,
      `mutation {
        add: addFederationRuleWorkspace(input: { federationRuleId: "${rule.id}", workspaceId: "${PRODUCTION}" }) { federationRuleWorkspace { workspaceName } ${ERRORS} }
        update: updateFederationRule(input: { federationRuleId: "${rule.id}", tokenLifetimeSeconds: 900 }) { federationRule { tokenLifetimeSeconds workspaceIds } ${ERRORS} }
        remove: removeFederationRuleWorkspace(input: { federationRuleId: "${rule.id}", workspaceId: "${PRODUCTION}" }) { removedWorkspaceId ${ERRORS} }
        archive: archiveFederationRule(input: { federationRuleId: "${rule.id}" }) { federationRule { isArchived workspaceIds } ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data).toEqual({
      add: { federationRuleWorkspace: { workspaceName: 'Production' }, userErrors: [] },
      update: {
        federationRule: { tokenLifetimeSeconds: 900, workspaceIds: [PRODUCTION] },
        userErrors: [],
      },
      remove: { removedWorkspaceId: PRODUCTION, userErrors: [] },
      archive: { federationRule: { isArchived: true, workspaceIds: [] }, userErrors: [] },
    });
    expect(calls(h)).toEqual([
      `POST ${API}/federation_rules/${rule.id}/workspaces`,
      `POST ${API}/federation_rules/${rule.id}`,
      `DELETE ${API}/federation_rules/${rule.id}/workspaces/${PRODUCTION}`,
      `POST ${API}/federation_rules/${rule.id}/archive`,
    ]);
  });

  it('a live rule keeps its issuer and its service account from being archived', async () => {
    const h = harness();
    const f = fixtures(h);
    const body = await gql(
      h,
      `mutation {
        issuer: archiveFederationIssuer(input: { federationIssuerId: "${f.github}" }) { ${ERRORS} }
        account: archiveServiceAccount(input: { serviceAccountId: "${f.deploy}" }) { ${ERRORS} }
        rule: archiveFederationRule(input: { federationRuleId: "${f.rule}" }) { ${ERRORS} }
        again: archiveFederationIssuer(input: { federationIssuerId: "${f.github}" }) { federationIssuer { isArchived } ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      issuer: { userErrors: [{ code: 'INVALID_INPUT' }] },
      account: { userErrors: [{ code: 'INVALID_INPUT' }] },
      rule: { userErrors: [] },
      again: { federationIssuer: { isArchived: true }, userErrors: [] },
    });
  });

  it('refuses what an OAuth caller may not manage, unknown targets and empty matches', async () => {
    const h = harness();
    const f = fixtures(h);
    const body = await gql(
      h,
      `mutation {
        scope: createFederationRule(input: { issuerId: "${f.github}", name: "admin-rule", oauthScope: "org:admin", targetServiceAccountId: "${f.platform}", match: { subjectPrefix: "repo:x/" } }) { ${ERRORS} }
        target: createFederationRule(input: { issuerId: "${f.github}", name: "ghost", oauthScope: "workspace:developer", targetServiceAccountId: "svac_01missing", match: { subjectPrefix: "repo:x/" } }) { ${ERRORS} }
        empty: createFederationRule(input: { issuerId: "${f.github}", name: "empty", oauthScope: "workspace:developer", targetServiceAccountId: "${f.evals}", match: {} }) { ${ERRORS} }
      }`,
      {},
      owner,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      scope: { userErrors: [{ code: 'NOT_PERMITTED' }] },
      target: { userErrors: [{ code: 'NOT_FOUND', field: ['input', 'targetServiceAccountId'] }] },
      empty: { userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'match'] }] },
    });
    // The empty match was refused before any request.
    expect(calls(h)).toEqual([`POST ${API}/federation_rules`, `POST ${API}/federation_rules`]);
  });

  it('needs federation:write: FORBIDDEN and no upstream request without it', async () => {
    const h = harness();
    const f = fixtures(h);
    const body = await gql(
      h,
      `mutation { archiveFederationRule(input: { federationRuleId: "${f.rule}" }) { ${ERRORS} } }`,
      {},
      { authorization: `Bearer ${READER}` },
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      missingScopes: ['federation:write'],
    });
    expect(calls(h)).toEqual([]);
  });
});
