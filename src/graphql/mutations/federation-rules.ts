import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  isNotFound,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import type { AdminApi } from '../../upstream/admin-api.js';
import {
  addFederationRuleWorkspace,
  archiveFederationRule,
  createFederationRule,
  getFederationRule,
  listFederationRuleWorkspaces,
  removeFederationRuleWorkspace,
  updateFederationRule,
  type BetaFederationRule,
  type BetaFederationRuleWorkspace,
  type RuleUpdateBody,
  type RuleWorkspaceRemoval,
} from '../../upstream/resources/federation.js';
import { FederationRule, FederationRuleWorkspace } from '../nodes/federation-rule.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

/*
 * Mutations of workload identity federation rules and the workspaces they are enabled for. Each
 * needs `write` and `federation:write`, and goes upstream with an OAuth access token only. An
 * OAuth caller may manage only rules whose scope is workspace:developer or workspace:inference:
 * the Admin API refuses the others (NOT_PERMITTED).
 */

const SCOPES = { federationWrite: true } as const;
const OAUTH = 'Goes upstream with an OAuth access token (org:admin) only.';

const BODY: Record<string, string[]> = {
  name: ['input', 'name'],
  description: ['input', 'description'],
  issuer_id: ['input', 'issuerId'],
  oauth_scope: ['input', 'oauthScope'],
  target: ['input', 'targetServiceAccountId'],
  service_account_id: ['input', 'targetServiceAccountId'],
  match: ['input', 'match'],
  token_lifetime_seconds: ['input', 'tokenLifetimeSeconds'],
  applies_to_all_workspaces: ['input', 'appliesToAllWorkspaces'],
  workspace_id: ['input', 'workspaceId'],
};

const ON_RULE: InputPaths = {
  ids: {
    federationRule: ['input', 'federationRuleId'],
    serviceAccount: ['input', 'targetServiceAccountId'],
    workspace: ['input', 'workspaceId'],
  },
  notFound: (message) =>
    /\bservice account\b/i.test(message)
      ? ['input', 'targetServiceAccountId']
      : /\bworkspace\b/i.test(message)
        ? ['input', 'workspaceId']
        : ['input', 'federationRuleId'],
  body: BODY,
};

const MatchInput = builder.inputType('FederationRuleMatchInput', {
  description: 'What an incoming token must show; give at least one condition.',
  fields: (t) => ({
    audience: t.string({ description: 'The `aud` the token must carry.' }),
    subjectPrefix: t.string({ description: 'A prefix the token’s `sub` must start with.' }),
    condition: t.string({ description: 'A CEL condition over the token’s claims.' }),
    claims: t.field({
      type: [
        builder.inputType('FederationRuleClaimInput', {
          description: 'A claim a token must carry with exactly this value.',
          fields: (f) => ({
            key: f.string({ required: true, description: 'The claim’s name.' }),
            value: f.string({ required: true, description: 'The value it must have.' }),
          }),
        }),
      ],
      description: 'Claims that must have exactly these values.',
    }),
  }),
});

type MatchArgs = typeof MatchInput.$inferInput;
type Match = BetaFederationRule['match'];

function matchBody(input: MatchArgs): { value: Match } | { error: UserErrorShape[] } {
  const claims: Record<string, string> = {};
  for (const { key, value } of input.claims ?? []) {
    if (key in claims) {
      return {
        error: inputError(`Claim "${key}" is given twice.`, ['input', 'match', 'claims'])
          .userErrors,
      };
    }
    claims[key] = value;
  }
  const match: Match = {
    ...(input.audience != null ? { audience: input.audience } : {}),
    ...(input.subjectPrefix != null ? { subject_prefix: input.subjectPrefix } : {}),
    ...(input.condition != null ? { condition: input.condition } : {}),
    ...(input.claims ? { claims } : {}),
  };
  if (Object.keys(match).length === 0) {
    return {
      error: inputError('match needs at least one condition.', ['input', 'match']).userErrors,
    };
  }
  return { value: match };
}

type RulePayload = Outcome<BetaFederationRule>;

const rulePayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'federationRule', FederationRule, description);

const settleRule =
  (api: AdminApi, id: string, check: (rule: BetaFederationRule) => boolean) => async () => {
    const rule = await getFederationRule(api, id);
    return check(rule) ? rule : null;
  };

builder.relayMutationField(
  'createFederationRule',
  {
    description: 'Creates a workload identity federation rule.',
    inputFields: (t) => ({
      issuerId: t.id({
        required: true,
        description: 'The issuer whose tokens it accepts (fdis_…).',
      }),
      name: t.string({ required: true, description: 'Its name, unique in the organization.' }),
      oauthScope: t.string({
        required: true,
        description:
          'The scope of the tokens it mints: workspace:developer or workspace:inference.',
      }),
      targetServiceAccountId: t.id({
        required: true,
        description: 'The service account its tokens act as (svac_…).',
      }),
      match: t.field({ type: MatchInput, required: true, description: 'What a token must show.' }),
      description: t.string({ description: 'Free text about it.' }),
      tokenLifetimeSeconds: t.int({ description: 'How long minted tokens live, in seconds.' }),
      appliesToAllWorkspaces: t.boolean({
        description: 'Enable it for every workspace, later ones included.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Creates a federation rule (POST /v1/organizations/federation_rules); enable it for workspaces with addFederationRuleWorkspace. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<RulePayload> => {
      const match = matchBody(input.match);
      if ('error' in match) return { result: null, userErrors: match.error };
      return runMutation(
        {
          ...ON_RULE,
          ids: { ...ON_RULE.ids, federationIssuer: ['input', 'issuerId'] },
          notFound: (message) =>
            /\bissuer\b/i.test(message)
              ? ['input', 'issuerId']
              : ['input', 'targetServiceAccountId'],
        },
        () =>
          createFederationRule(ctx.api, {
            issuer_id: input.issuerId,
            name: input.name,
            oauth_scope: input.oauthScope,
            target: { type: 'service_account', service_account_id: input.targetServiceAccountId },
            match: match.value,
            ...(input.description != null ? { description: input.description } : {}),
            ...(input.tokenLifetimeSeconds != null
              ? { token_lifetime_seconds: input.tokenLifetimeSeconds }
              : {}),
            ...(input.appliesToAllWorkspaces != null
              ? { applies_to_all_workspaces: input.appliesToAllWorkspaces }
              : {}),
          }),
      );
    },
  },
  rulePayload('createFederationRule', 'The new rule; null when none was created.'),
);

builder.relayMutationField(
  'updateFederationRule',
  {
    description:
      'Changes a federation rule; fields left out stay as they are. Its issuer never changes.',
    inputFields: (t) => ({
      federationRuleId: t.id({ required: true, description: 'The rule (fdrl_…).' }),
      name: t.string({ description: 'The new name.' }),
      description: t.string({ description: 'The new description; null clears it.' }),
      oauthScope: t.string({ description: 'The new scope.' }),
      targetServiceAccountId: t.id({ description: 'The new target service account (svac_…).' }),
      match: t.field({ type: MatchInput, description: 'The new conditions (replace them whole).' }),
      tokenLifetimeSeconds: t.int({ description: 'The new token lifetime, in seconds.' }),
      appliesToAllWorkspaces: t.boolean({ description: 'Enable it for every workspace, or not.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Changes a federation rule (POST /v1/organizations/federation_rules/{id}); an archived one cannot be changed. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<RulePayload> => {
      const match = input.match ? matchBody(input.match) : undefined;
      if (match && 'error' in match) return { result: null, userErrors: match.error };
      for (const [field, value] of Object.entries({
        name: input.name,
        oauthScope: input.oauthScope,
        targetServiceAccountId: input.targetServiceAccountId,
        match: input.match,
        tokenLifetimeSeconds: input.tokenLifetimeSeconds,
        appliesToAllWorkspaces: input.appliesToAllWorkspaces,
      })) {
        if (value === null) return inputError(`${field} cannot be null.`, ['input', field]);
      }
      const body: RuleUpdateBody = {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.oauthScope != null ? { oauth_scope: input.oauthScope } : {}),
        ...(input.targetServiceAccountId != null
          ? {
              target: {
                type: 'service_account' as const,
                service_account_id: input.targetServiceAccountId,
              },
            }
          : {}),
        ...(match ? { match: match.value } : {}),
        ...(input.tokenLifetimeSeconds != null
          ? { token_lifetime_seconds: input.tokenLifetimeSeconds }
          : {}),
        ...(input.appliesToAllWorkspaces != null
          ? { applies_to_all_workspaces: input.appliesToAllWorkspaces }
          : {}),
      };
      return runMutation(
        ON_RULE,
        () => updateFederationRule(ctx.api, input.federationRuleId, body),
        {
          settle: settleRule(
            ctx.api,
            input.federationRuleId,
            (rule) =>
              (body.name == null || rule.name === body.name) &&
              (body.oauth_scope == null || rule.oauth_scope === body.oauth_scope) &&
              (body.target == null ||
                rule.target.service_account_id === body.target.service_account_id),
          ),
        },
      );
    },
  },
  rulePayload('updateFederationRule', 'The rule as changed; null when the change failed.'),
);

builder.relayMutationField(
  'archiveFederationRule',
  {
    description: 'Archives a federation rule: token exchange through it stops at once.',
    inputFields: (t) => ({
      federationRuleId: t.id({ required: true, description: 'The rule to archive (fdrl_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Archives a federation rule (POST /v1/organizations/federation_rules/{id}/archive); its workspaces are cleared, and tokens already minted live until they expire. Archiving again returns it unchanged. ${OAUTH}`,
    resolve: (_root, { input }, ctx): Promise<RulePayload> =>
      runMutation(ON_RULE, () => archiveFederationRule(ctx.api, input.federationRuleId), {
        settle: settleRule(ctx.api, input.federationRuleId, (rule) => rule.archived_at !== null),
      }),
  },
  rulePayload('archiveFederationRule', 'The archived rule; null when nothing was archived.'),
);

type RuleWorkspacePayload = Outcome<BetaFederationRuleWorkspace>;

builder.relayMutationField(
  'addFederationRuleWorkspace',
  {
    description: 'Enables a federation rule for a workspace.',
    inputFields: (t) => ({
      federationRuleId: t.id({ required: true, description: 'The rule (fdrl_…).' }),
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Enables a rule for a workspace (POST /v1/organizations/federation_rules/{id}/workspaces); enabling it again succeeds too. ${OAUTH}`,
    resolve: (_root, { input }, ctx): Promise<RuleWorkspacePayload> =>
      runMutation(
        ON_RULE,
        () => addFederationRuleWorkspace(ctx.api, input.federationRuleId, input.workspaceId),
        {
          settle: async () => {
            const page = await listFederationRuleWorkspaces(ctx.api, input.federationRuleId);
            return page.data.find((entry) => entry.workspace_id === input.workspaceId) ?? null;
          },
        },
      ),
  },
  resultPayload(
    'addFederationRuleWorkspace',
    'federationRuleWorkspace',
    FederationRuleWorkspace,
    'The workspace the rule is now enabled for; null when nothing changed.',
  ),
);

builder.relayMutationField(
  'removeFederationRuleWorkspace',
  {
    description: 'Disables a federation rule for a workspace.',
    inputFields: (t) => ({
      federationRuleId: t.id({ required: true, description: 'The rule (fdrl_…).' }),
      workspaceId: t.id({ required: true, description: 'The workspace (wrkspc_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Disables a rule for a workspace (DELETE /v1/organizations/federation_rules/{id}/workspaces/{workspace_id}); disabling what is not enabled succeeds too. ${OAUTH}`,
    resolve: (_root, { input }, ctx) =>
      runMutation(
        ON_RULE,
        () => removeFederationRuleWorkspace(ctx.api, input.federationRuleId, input.workspaceId),
        {
          settle: async (): Promise<RuleWorkspaceRemoval | null> => {
            try {
              const page = await listFederationRuleWorkspaces(ctx.api, input.federationRuleId);
              return page.data.some((entry) => entry.workspace_id === input.workspaceId)
                ? null
                : {
                    federation_rule_id: input.federationRuleId,
                    type: 'federation_rule_workspace_deleted',
                    workspace_id: input.workspaceId,
                  };
            } catch (error) {
              if (isNotFound(error)) return null;
              throw error;
            }
          },
        },
      ),
  },
  {
    description: 'The result of removeFederationRuleWorkspace.',
    outputFields: (t) => ({
      federationRuleId: t.id({
        nullable: true,
        description: 'The rule; null when nothing was done.',
        resolve: (payload) => payload.result?.federation_rule_id ?? null,
      }),
      removedWorkspaceId: t.id({
        nullable: true,
        description: 'The workspace the rule is no longer enabled for; null when nothing was done.',
        resolve: (payload) => payload.result?.workspace_id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
