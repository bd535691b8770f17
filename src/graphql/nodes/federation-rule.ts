import {
  listFederationRules,
  listFederationRuleWorkspaces,
  type BetaFederationRule,
  type BetaFederationRuleWorkspace,
  type RuleListQuery,
} from '../../upstream/resources/federation.js';
import type { ConnectionArgs } from '../lib/connection.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { FederationIssuer } from './federation-issuer.js';
import { Organization } from './organization.js';
import { ServiceAccount, UserOrServiceAccount, actorOf } from './service-account.js';
import { Workspace } from './workspace.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Workload identity federation rules (fdrl_…): which issuer tokens may be exchanged for an OAuth
 * access token, acting as which service account, with which scope, in which workspaces. OAuth
 * only, like service accounts and issuers.
 */

const OAUTH_NOTE =
  'Needs an OAuth access token with org:admin (the caller’s bearer token, or the gateway’s ANTHROPIC_OAUTH_TOKEN); without one the field fails alone with CREDENTIAL_MISSING.';

type Match = BetaFederationRule['match'];

const FederationRuleClaim = builder
  .objectRef<{ key: string; value: string }>('FederationRuleClaim')
  .implement({
    description: 'A claim a token must carry with exactly this value.',
    fields: (t) => ({
      key: t.exposeString('key', { description: 'The claim’s name.' }),
      value: t.exposeString('value', { description: 'The value it must have.' }),
    }),
  });

const pairs = (map: Record<string, string> | null | undefined) =>
  Object.entries(map ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));

const FederationRuleMatch = builder.objectRef<Match>('FederationRuleMatch').implement({
  description: 'What an incoming token must show for a rule to apply.',
  fields: (t) => ({
    audience: t.string({
      nullable: true,
      description: 'The `aud` the token must carry, if any.',
      resolve: (match) => match.audience ?? null,
    }),
    subjectPrefix: t.string({
      nullable: true,
      description: 'A prefix the token’s `sub` must start with, if any.',
      resolve: (match) => match.subject_prefix ?? null,
    }),
    condition: t.string({
      nullable: true,
      description: 'A CEL condition over the token’s claims, if any.',
      resolve: (match) => match.condition ?? null,
    }),
    claims: t.field({
      type: [FederationRuleClaim],
      description: 'Claims that must have exactly these values, sorted by name.',
      resolve: (match) => pairs(match.claims),
    }),
  }),
});

export const FederationRuleWorkspace = builder
  .objectRef<BetaFederationRuleWorkspace>('FederationRuleWorkspace')
  .implement({
    description: 'A workspace a federation rule is enabled for.',
    fields: (t) => ({
      workspaceId: t.exposeID('workspace_id', { description: 'The workspace’s id.' }),
      workspaceName: t.exposeString('workspace_name', {
        nullable: true,
        description: 'The workspace’s name as the Admin API reports it.',
      }),
      workspace: t.field({
        type: Workspace,
        nullable: true,
        description: 'The workspace; null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
        resolve: (entry, _args, ctx) => ctx.loaders.workspaces.load(entry.workspace_id),
      }),
      enabledAt: t.field({
        type: DateTime,
        description: 'When the rule was enabled for it.',
        resolve: (entry) => entry.created_at,
      }),
      enabledBy: t.field({
        type: UserOrServiceAccount,
        nullable: true,
        description: 'The user or service account that enabled it; null when not recorded.',
        extensions: costExtension({ kind: 'reference', collection: 'users' }),
        resolve: (entry, _args, ctx) => actorOf(entry.created_by_actor_id, ctx),
      }),
    }),
  });

export const FederationRule = builder.objectRef<BetaFederationRule>('FederationRule');

builder.node(FederationRule, {
  description: `A workload identity federation rule: tokens of its issuer that match it are exchanged for an OAuth access token acting as its target service account, with its scope, in one workspace it is enabled for. ${OAUTH_NOTE}`,
  id: { resolve: (rule) => rule.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'federation_rule',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.federationRules.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name, unique in the organization.' }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'Free text about it.',
    }),
    issuerId: t.exposeID('issuer_id', {
      description: 'The issuer whose tokens it accepts (fdis_…); it never changes.',
    }),
    issuer: t.field({
      type: FederationIssuer,
      nullable: true,
      description: 'The issuer whose tokens it accepts; null when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'federation' }),
      resolve: (rule, _args, ctx) => ctx.loaders.federationIssuers.load(rule.issuer_id),
    }),
    match: t.field({
      type: FederationRuleMatch,
      description: 'What a token must show.',
      resolve: (rule) => rule.match,
    }),
    oauthScope: t.exposeString('oauth_scope', {
      description:
        'The scope of the tokens it mints, such as workspace:developer; an OAuth caller may manage only rules with workspace:developer or workspace:inference.',
    }),
    targetServiceAccountId: t.id({
      description: 'The service account its tokens act as (svac_…).',
      resolve: (rule) => rule.target.service_account_id,
    }),
    targetServiceAccount: t.field({
      type: ServiceAccount,
      nullable: true,
      description: 'The service account its tokens act as; null when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'serviceAccounts' }),
      resolve: (rule, _args, ctx) =>
        ctx.loaders.serviceAccounts.load(rule.target.service_account_id),
    }),
    tokenLifetimeSeconds: t.exposeInt('token_lifetime_seconds', {
      description: 'How long the access tokens it mints live, in seconds.',
    }),
    appliesToAllWorkspaces: t.exposeBoolean('applies_to_all_workspaces', {
      description: 'Whether it is enabled for every workspace, later ones included.',
    }),
    workspaceIds: t.exposeIDList('workspace_ids', {
      description: 'The workspaces it is enabled for (see `workspaces`).',
    }),
    legacyWorkspaceId: t.exposeID('workspace_id', {
      nullable: true,
      description: 'The legacy single-workspace binding, if any (prefer `workspaces`).',
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When it was created.',
      resolve: (rule) => rule.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When it was last changed.',
      resolve: (rule) => rule.updated_at,
    }),
    archivedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When it was archived (token exchange stops at once).',
      resolve: (rule) => rule.archived_at,
    }),
    isArchived: t.boolean({
      description: 'Whether it is archived.',
      resolve: (rule) => rule.archived_at !== null,
    }),
    createdBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: 'The user or service account that created it; null when not recorded.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (rule, _args, ctx) => actorOf(rule.created_by_actor_id, ctx),
    }),
  }),
});

export const FederationRuleConnection = builder.connectionObject(
  {
    type: FederationRule,
    name: 'FederationRuleConnection',
    description: 'A page of federation rules. Pages forward only (`first`/`after`).',
  },
  { name: 'FederationRuleEdge', description: 'A federation rule and its cursor.' },
);

const FederationRuleWorkspaceConnection = builder.connectionObject(
  {
    type: FederationRuleWorkspace,
    name: 'FederationRuleWorkspaceConnection',
    description: 'The workspaces a rule is enabled for. Pages forward only.',
  },
  { name: 'FederationRuleWorkspaceEdge', description: 'A rule’s workspace and its cursor.' },
);

const RULE_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'rule',
  list: 'rule list',
};

async function ruleConnection(args: ConnectionArgs, base: RuleListQuery, ctx: GatewayContext) {
  const connection = await resolveReportConnection(args, base, RULE_PAGES, (query) =>
    listFederationRules(ctx.api, query),
  );
  for (const { node } of connection.edges) ctx.loaders.federationRules.prime(node.id, node);
  return connection;
}

builder.objectField(Organization, 'federationRules', (t) =>
  t.connection(
    {
      type: FederationRule,
      description: `The organization’s workload identity federation rules (GET /v1/organizations/federation_rules). \`first\` is 1–1000 (default 20); forward only. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeArchived: t.arg.boolean({
          defaultValue: false,
          description: 'Whether archived rules are listed too.',
        }),
        issuerId: t.arg.id({ description: 'Only the rules of this issuer (fdis_…).' }),
      },
      resolve: (_organization, args, ctx) =>
        ruleConnection(
          args,
          {
            include_archived: args.includeArchived ?? false,
            ...(args.issuerId != null
              ? { issuer_id: checkIdArgument('federationIssuer', args.issuerId, 'issuerId') }
              : {}),
          },
          ctx,
        ),
    },
    FederationRuleConnection,
  ),
);

builder.objectField(FederationIssuer, 'rules', (t) =>
  t.connection(
    {
      type: FederationRule,
      description: `The rules that accept this issuer’s tokens (GET /v1/organizations/federation_rules?issuer_id=…). Forward only. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeArchived: t.arg.boolean({
          defaultValue: false,
          description: 'Whether archived rules are listed too.',
        }),
      },
      resolve: (issuer, args, ctx) =>
        ruleConnection(
          args,
          { include_archived: args.includeArchived ?? false, issuer_id: issuer.id },
          ctx,
        ),
    },
    FederationRuleConnection,
  ),
);

builder.objectField(FederationRule, 'workspaces', (t) =>
  t.connection(
    {
      type: FederationRuleWorkspace,
      description: `The workspaces the rule is enabled for (GET /v1/organizations/federation_rules/{id}/workspaces; the Admin API answers them all at once). ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: (rule, args, ctx) =>
        resolveReportConnection(
          args,
          { ruleId: rule.id },
          { defaultSize: 20, maxSize: 1000, unit: 'workspace', list: 'rule workspace list' },
          // One page always: `limit` and `page` are ignored upstream, and never sent.
          () => listFederationRuleWorkspaces(ctx.api, rule.id),
        ),
    },
    FederationRuleWorkspaceConnection,
  ),
);

builder.queryField('federationRule', (t) =>
  t.field({
    type: FederationRule,
    nullable: true,
    description: `A federation rule by id, archived ones included; null when none exists (GET /v1/organizations/federation_rules/{id}). ${OAUTH_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'federation' }),
    args: { id: t.arg.id({ required: true, description: 'The rule id (fdrl_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.federationRules.load(checkIdArgument('federationRule', args.id, 'id')),
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(FederationRule, 'federationRule');
