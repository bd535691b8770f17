import type {
  BetaFederationIssuer,
  IssuerCreateParams,
  IssuerUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/federation/issuers';
import type {
  BetaFederationRule,
  BetaFederationRuleWorkspace,
  RuleCreateParams,
  RuleUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/federation/rules/rules';
import type { WorkspaceRemoveResponse } from '@anthropic-ai/sdk/resources/beta/organization/federation/rules/workspaces';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { readKey } from '../read-cache.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * Workload identity federation issuers (EXTENDED.md §3): the OIDC identity providers whose tokens
 * the organization trusts. Like service accounts, the Admin API takes only an OAuth access token
 * with `org:admin` here (`credential: 'oauth'`). The list is token-paged; what is cached is the
 * plain page.
 */

export type { BetaFederationIssuer, BetaFederationRule, BetaFederationRuleWorkspace };
export type RuleCreateBody = Omit<RuleCreateParams, 'betas'>;
export type RuleUpdateBody = Omit<RuleUpdateParams, 'betas'>;
export type RuleWorkspaceRemoval = WorkspaceRemoveResponse;
export type IssuerCreateBody = Omit<IssuerCreateParams, 'betas'>;
export type IssuerUpdateBody = Omit<IssuerUpdateParams, 'betas'>;

const operation = (
  name: string,
  method: UpstreamOperation['method'],
  write: boolean,
): UpstreamOperation => ({ name, method, write, credential: 'oauth' });

export interface IssuerListQuery {
  include_archived?: boolean;
  limit?: number;
  page?: string;
}

export interface IssuerPage {
  data: BetaFederationIssuer[];
  next_page: string | null;
}

/** Issuers (and, later, rules) live in this collection. */
const COLLECTION = 'federation' as const;
const entity = (id: string) => `entity:${id}`;

export function listFederationIssuers(api: AdminApi, query: IssuerListQuery): Promise<IssuerPage> {
  return api.read<IssuerPage>(
    COLLECTION,
    readKey('federationIssuers.list', query),
    operation('federation_issuers.list', 'GET', false),
    (org, opts) => ({
      withResponse: async () => {
        const { data, request_id } = await org.federation.issuers.list(query, opts).withResponse();
        return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
      },
    }),
  );
}

export function getFederationIssuer(api: AdminApi, id: string): Promise<BetaFederationIssuer> {
  checkId('federationIssuer', id);
  return api.read<BetaFederationIssuer>(
    COLLECTION,
    entity(id),
    operation('federation_issuers.get', 'GET', false),
    (org, opts) => org.federation.issuers.retrieve(id, {}, opts),
  );
}

export function createFederationIssuer(
  api: AdminApi,
  body: IssuerCreateBody,
): Promise<BetaFederationIssuer> {
  return api.write<BetaFederationIssuer>(
    operation('federation_issuers.create', 'POST', true),
    (org, opts) => org.federation.issuers.create(body, opts),
    [COLLECTION],
    (issuer) => [COLLECTION, issuer.id],
  );
}

export function updateFederationIssuer(
  api: AdminApi,
  id: string,
  body: IssuerUpdateBody,
): Promise<BetaFederationIssuer> {
  checkId('federationIssuer', id);
  return api.write<BetaFederationIssuer>(
    operation('federation_issuers.update', 'POST', true),
    (org, opts) => org.federation.issuers.update(id, body, opts),
    [COLLECTION],
    (issuer) => [COLLECTION, issuer.id],
  );
}

export function archiveFederationIssuer(api: AdminApi, id: string): Promise<BetaFederationIssuer> {
  checkId('federationIssuer', id);
  return api.write<BetaFederationIssuer>(
    operation('federation_issuers.archive', 'POST', true),
    (org, opts) => org.federation.issuers.archive(id, {}, opts),
    [COLLECTION],
    (issuer) => [COLLECTION, issuer.id],
  );
}

// Federation rules (EXTENDED.md §4): issuer tokens mapped to a service account and an OAuth scope.

export interface RuleListQuery {
  include_archived?: boolean;
  issuer_id?: string;
  limit?: number;
  page?: string;
}

export interface RulePage {
  data: BetaFederationRule[];
  next_page: string | null;
}

export function listFederationRules(api: AdminApi, query: RuleListQuery): Promise<RulePage> {
  if (query.issuer_id !== undefined) checkId('federationIssuer', query.issuer_id);
  return api.read<RulePage>(
    COLLECTION,
    readKey('federationRules.list', query),
    operation('federation_rules.list', 'GET', false),
    (org, opts) => ({
      withResponse: async () => {
        const { data, request_id } = await org.federation.rules.list(query, opts).withResponse();
        return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
      },
    }),
  );
}

export function getFederationRule(api: AdminApi, id: string): Promise<BetaFederationRule> {
  checkId('federationRule', id);
  return api.read<BetaFederationRule>(
    COLLECTION,
    entity(id),
    operation('federation_rules.get', 'GET', false),
    (org, opts) => org.federation.rules.retrieve(id, {}, opts),
  );
}

export function createFederationRule(
  api: AdminApi,
  body: RuleCreateBody,
): Promise<BetaFederationRule> {
  checkId('federationIssuer', body.issuer_id);
  checkId('serviceAccount', body.target.service_account_id);
  if (body.workspace_id != null) checkId('workspace', body.workspace_id);
  return api.write<BetaFederationRule>(
    operation('federation_rules.create', 'POST', true),
    (org, opts) => org.federation.rules.create(body, opts),
    [COLLECTION],
    (rule) => [COLLECTION, rule.id],
  );
}

export function updateFederationRule(
  api: AdminApi,
  id: string,
  body: RuleUpdateBody,
): Promise<BetaFederationRule> {
  checkId('federationRule', id);
  if (body.target) checkId('serviceAccount', body.target.service_account_id);
  if (body.workspace_id != null) checkId('workspace', body.workspace_id);
  return api.write<BetaFederationRule>(
    operation('federation_rules.update', 'POST', true),
    (org, opts) => org.federation.rules.update(id, body, opts),
    [COLLECTION],
    (rule) => [COLLECTION, rule.id],
  );
}

export function archiveFederationRule(api: AdminApi, id: string): Promise<BetaFederationRule> {
  checkId('federationRule', id);
  return api.write<BetaFederationRule>(
    operation('federation_rules.archive', 'POST', true),
    (org, opts) => org.federation.rules.archive(id, {}, opts),
    [COLLECTION],
    (rule) => [COLLECTION, rule.id],
  );
}

export interface RuleWorkspacePage {
  data: BetaFederationRuleWorkspace[];
  next_page: string | null;
}

/** The workspaces a rule is enabled for (the Admin API answers them all on one page). */
export function listFederationRuleWorkspaces(
  api: AdminApi,
  ruleId: string,
): Promise<RuleWorkspacePage> {
  checkId('federationRule', ruleId);
  return api.read<RuleWorkspacePage>(
    COLLECTION,
    readKey('federationRules.workspaces.list', { ruleId }),
    operation('federation_rules.workspaces.list', 'GET', false),
    (org, opts) => ({
      withResponse: async () => {
        const { data, request_id } = await org.federation.rules.workspaces
          .list(ruleId, {}, opts)
          .withResponse();
        return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
      },
    }),
  );
}

export function addFederationRuleWorkspace(
  api: AdminApi,
  ruleId: string,
  workspaceId: string,
): Promise<BetaFederationRuleWorkspace> {
  checkId('federationRule', ruleId);
  checkId('workspace', workspaceId);
  return api.write<BetaFederationRuleWorkspace>(
    operation('federation_rules.workspaces.add', 'POST', true),
    (org, opts) => org.federation.rules.workspaces.add(ruleId, { workspace_id: workspaceId }, opts),
    [COLLECTION],
  );
}

export function removeFederationRuleWorkspace(
  api: AdminApi,
  ruleId: string,
  workspaceId: string,
): Promise<RuleWorkspaceRemoval> {
  checkId('federationRule', ruleId);
  checkId('workspace', workspaceId);
  return api.write<RuleWorkspaceRemoval>(
    operation('federation_rules.workspaces.remove', 'DELETE', true),
    (org, opts) =>
      org.federation.rules.workspaces.remove(workspaceId, { federation_rule_id: ruleId }, opts),
    [COLLECTION],
  );
}
