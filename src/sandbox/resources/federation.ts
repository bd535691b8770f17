import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, newestFirst } from '../transport/pagination.js';
import {
  fieldValue,
  isObject,
  objectBody,
  queryBoolean,
  queryValue,
  stringField,
} from '../transport/params.js';
import type { JsonObject, Query } from '../transport/params.js';
import { route } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { FIXTURE_IDS } from '../seed.js';
import type { SandboxStore, WorkspaceRecord } from '../store.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  formatNullableTimestamp,
  formatTimestamp,
} from '../time.js';
import type { Micros } from '../time.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';
import { addServiceAccountArchiveGuard, serviceAccountInfo } from './service-accounts.js';
import { requireWorkspace } from './workspaces.js';

/*
 * Workload identity federation issuers (EXTENDED.md §3, the SDK's doc comments): OAuth access
 * tokens only (the routes say `accepts: 'oauth'`), lists paged by `page` tokens bound to their
 * query. State per store, reseeded with it.
 */

type Jwks =
  | { type: 'discovery'; ca_cert_pem?: string | null; discovery_base?: string | null }
  | { type: 'explicit_url'; url: string; ca_cert_pem?: string | null }
  | { type: 'inline'; keys: JsonObject[] };

interface IssuerRecord {
  id: string;
  name: string;
  issuerUrl: string;
  jwks: Jwks;
  checkJti: boolean;
  maxJwtLifetimeSeconds: number;
  pollingDisabledAt: Micros | null;
  lastFetchedAt: Micros | null;
  createdAt: Micros;
  createdBy: string | null;
  updatedAt: Micros;
  updatedBy: string | null;
  archivedAt: Micros | null;
  archivedBy: string | null;
}

interface RuleRecord {
  id: string;
  name: string;
  description: string | null;
  issuerId: string;
  match: JsonObject;
  oauthScope: string;
  serviceAccountId: string;
  tokenLifetimeSeconds: number;
  appliesToAll: boolean;
  legacyWorkspaceId: string | null;
  /** workspace id → when the rule was enabled for it. */
  workspaces: Map<string, Micros>;
  createdAt: Micros;
  updatedAt: Micros;
  archivedAt: Micros | null;
}

interface State {
  seededFor: Map<string, WorkspaceRecord>;
  issuers: Map<string, IssuerRecord>;
  rules: Map<string, RuleRecord>;
}

const states = new WeakMap<SandboxStore, State>();
const CALLER_ACTOR = FIXTURE_IDS.adminUser;
const MAX_LIFETIME = 176_400;
const POLL_EVERY = MICROS_PER_HOUR;

function seed(store: SandboxStore): State {
  const state: State = { seededFor: store.workspaces, issuers: new Map(), rules: new Map() };
  const anchor = store.clock.anchor;
  const add = (
    name: string,
    issuerUrl: string,
    jwks: Jwks,
    days: number,
    archivedDays: number | null = null,
  ) => {
    const createdAt = anchor - days * MICROS_PER_DAY;
    const archivedAt = archivedDays === null ? null : anchor - archivedDays * MICROS_PER_DAY;
    const id = store.newId('fdis_');
    state.issuers.set(id, {
      id,
      name,
      issuerUrl,
      jwks,
      checkJti: true,
      maxJwtLifetimeSeconds: 3600,
      pollingDisabledAt: null,
      lastFetchedAt: jwks.type === 'inline' ? null : anchor - 20 * 60 * 1_000_000,
      createdAt,
      createdBy: CALLER_ACTOR,
      updatedAt: archivedAt ?? createdAt,
      updatedBy: CALLER_ACTOR,
      archivedAt,
      archivedBy: archivedAt === null ? null : CALLER_ACTOR,
    });
  };
  add('github-actions', 'https://token.actions.githubusercontent.com', { type: 'discovery' }, 110);
  add(
    'gitlab-ci',
    'https://gitlab.northwind.example',
    { type: 'explicit_url', url: 'https://gitlab.northwind.example/oauth/discovery/keys' },
    90,
  );
  add('legacy-jenkins', 'https://jenkins.northwind.example', { type: 'discovery' }, 400, 30);
  // One rule: GitHub Actions of the organization's deploy repository act as ci-deploy-bot.
  const github = [...state.issuers.values()].find((issuer) => issuer.name === 'github-actions');
  const deploy = [...store.apiKeys.values()].find(
    (key) => key.principal?.type === 'service_account',
  )?.principal?.id;
  if (github && deploy && serviceAccountInfo(store, deploy)) {
    const createdAt = anchor - 80 * MICROS_PER_DAY;
    const id = store.newId('fdrl_');
    state.rules.set(id, {
      id,
      name: 'prod-deploy-pipeline',
      description: 'Deploys from the main branch.',
      issuerId: github.id,
      match: { subject_prefix: 'repo:northwind/deploy:ref:refs/heads/main' },
      oauthScope: 'workspace:developer',
      serviceAccountId: deploy,
      tokenLifetimeSeconds: 3600,
      appliesToAll: false,
      legacyWorkspaceId: null,
      workspaces: new Map([[FIXTURE_IDS.productionWorkspace, createdAt]]),
      createdAt,
      updatedAt: createdAt,
      archivedAt: null,
    });
  }
  return state;
}

function stateOf(store: SandboxStore): State {
  const known = states.get(store);
  if (known && known.seededFor === store.workspaces) return known;
  const state = seed(store);
  states.set(store, state);
  return state;
}

function render(store: SandboxStore, issuer: IssuerRecord): unknown {
  const polled = issuer.jwks.type !== 'inline';
  return {
    id: issuer.id,
    archived_at: formatNullableTimestamp(issuer.archivedAt),
    archived_by_actor_id: issuer.archivedBy,
    check_jti: issuer.checkJti,
    created_at: formatTimestamp(issuer.createdAt),
    created_by_actor_id: issuer.createdBy,
    issuer_url: issuer.issuerUrl,
    jwks: issuer.jwks,
    jwks_polling_disabled_at: formatNullableTimestamp(issuer.pollingDisabledAt),
    max_jwt_lifetime_seconds: issuer.maxJwtLifetimeSeconds,
    name: issuer.name,
    poll_status: polled
      ? {
          consecutive_failures: 0,
          last_fetched_at: formatNullableTimestamp(issuer.lastFetchedAt),
          next_poll_at:
            issuer.pollingDisabledAt === null
              ? formatTimestamp(Math.max(store.now(), issuer.lastFetchedAt ?? 0) + POLL_EVERY)
              : null,
        }
      : null,
    type: 'federation_issuer',
    updated_at: formatTimestamp(issuer.updatedAt),
    updated_by_actor_id: issuer.updatedBy,
  };
}

function requireIssuer(store: SandboxStore, id: string | undefined): IssuerRecord {
  const issuer = id === undefined ? undefined : stateOf(store).issuers.get(id);
  if (!issuer)
    throw notFound('No federation issuer with the given ID exists in this organization.');
  return issuer;
}

function httpsUrl(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^https:\/\/[^\s/]+/.test(value)) {
    throw invalidRequest(`${field}: must be an https:// URL`);
  }
  return value;
}

function parseJwks(value: unknown): Jwks {
  if (!isObject(value)) throw invalidRequest('jwks: Input should be an object');
  const type = value['type'];
  const optional = (field: string) => stringField(value, field, { nullable: true });
  const only = (allowed: string[]) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        throw invalidRequest(`jwks.${key}: Extra inputs are not permitted`);
    }
  };
  switch (type) {
    case 'discovery': {
      only(['type', 'ca_cert_pem', 'discovery_base']);
      const base = optional('discovery_base');
      return {
        type,
        ...(value['ca_cert_pem'] !== undefined
          ? { ca_cert_pem: optional('ca_cert_pem') ?? null }
          : {}),
        ...(base != null ? { discovery_base: httpsUrl('jwks.discovery_base', base) } : {}),
      };
    }
    case 'explicit_url':
      only(['type', 'url', 'ca_cert_pem']);
      return {
        type,
        url: httpsUrl('jwks.url', value['url']),
        ...(value['ca_cert_pem'] !== undefined
          ? { ca_cert_pem: optional('ca_cert_pem') ?? null }
          : {}),
      };
    case 'inline': {
      only(['type', 'keys']);
      const keys = value['keys'];
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isObject)) {
        throw invalidRequest('jwks.keys: must be a non-empty list of JSON Web Keys');
      }
      return { type, keys: keys.map((key) => ({ ...key })) };
    }
    default:
      throw invalidRequest("jwks.type: Input should be 'discovery', 'explicit_url' or 'inline'");
  }
}

function lifetime(body: JsonObject): number | undefined {
  const value = fieldValue(body, 'max_jwt_lifetime_seconds', { nullable: true });
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LIFETIME) {
    throw invalidRequest(`max_jwt_lifetime_seconds: must be an integer from 1 to ${MAX_LIFETIME}`);
  }
  return value;
}

function flag(body: JsonObject, field: string): boolean | undefined {
  const value = fieldValue(body, field, { nullable: true });
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${field}: Input should be a valid boolean`);
  return value;
}

function slug(body: JsonObject, required: boolean): string | undefined {
  const name = stringField(body, 'name', { required, nullable: !required, maxLength: 64 });
  if (name == null) return undefined;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
    throw invalidRequest('name: must be a slug of lowercase letters, digits and hyphens');
  }
  return name;
}

function assertNameFree(store: SandboxStore, name: string, except?: string): void {
  for (const issuer of stateOf(store).issuers.values()) {
    if (issuer.name === name && issuer.id !== except) {
      throw new ApiError(409, `name: a federation issuer named '${name}' already exists.`);
    }
  }
}

function parseLimit(query: Query): number {
  const raw = queryValue(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw invalidRequest(`limit: Input should be between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

const byCreatedAt = newestFirst<IssuerRecord>(
  (i) => i.createdAt,
  (i) => i.id,
);

const PATH = '/v1/organizations/federation_issuers';
const ONE = `${PATH}/:federation_issuer_id`;
const oauthRoute = (...args: Parameters<typeof route>): Route => ({
  ...route(...args),
  accepts: 'oauth',
});

export const federationRoutes: Route[] = [
  oauthRoute('POST', PATH, ({ store, body }) => {
    const input = objectBody(body, [
      'name',
      'issuer_url',
      'jwks',
      'check_jti',
      'max_jwt_lifetime_seconds',
    ]);
    const name = slug(input, true) as string;
    const issuerUrl = httpsUrl('issuer_url', fieldValue(input, 'issuer_url', { required: true }));
    const jwks =
      input['jwks'] === undefined ? { type: 'discovery' as const } : parseJwks(input['jwks']);
    const checkJti = flag(input, 'check_jti') ?? true;
    const maxLifetime = lifetime(input) ?? 3600;
    assertNameFree(store, name);
    const now = store.tick();
    const issuer: IssuerRecord = {
      id: store.newId('fdis_'),
      name,
      issuerUrl,
      jwks,
      checkJti,
      maxJwtLifetimeSeconds: maxLifetime,
      pollingDisabledAt: null,
      lastFetchedAt: jwks.type === 'inline' ? null : now,
      createdAt: now,
      createdBy: CALLER_ACTOR,
      updatedAt: now,
      updatedBy: CALLER_ACTOR,
      archivedAt: null,
      archivedBy: null,
    };
    stateOf(store).issuers.set(issuer.id, issuer);
    return render(store, issuer);
  }),

  oauthRoute('GET', PATH, ({ store, query }) => {
    const includeArchived = queryBoolean(query, 'include_archived', false);
    const limit = parseLimit(query);
    const items = [...stateOf(store).issuers.values()]
      .filter((issuer) => includeArchived || issuer.archivedAt === null)
      .sort(byCreatedAt);
    const token = boundPageToken(store, 'federation_issuers', query);
    let start = 0;
    if (token !== undefined) {
      const id = Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');
      const at = items.findIndex((issuer) => issuer.id === id);
      if (at < 0) {
        throw invalidRequest('page: the page token no longer matches an issuer of this list');
      }
      start = at + 1;
    }
    const slice = items.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start + limit < items.length && last !== undefined;
    const next = more ? `page_${Buffer.from(last.id, 'utf8').toString('base64url')}` : null;
    return {
      data: slice.map((issuer) => render(store, issuer)),
      next_page: issuePageToken(store, 'federation_issuers', query, next),
    };
  }),

  oauthRoute('GET', ONE, ({ store, params }) =>
    render(store, requireIssuer(store, params['federation_issuer_id'])),
  ),

  oauthRoute('POST', ONE, ({ store, params, body }) => {
    const issuer = requireIssuer(store, params['federation_issuer_id']);
    const input = objectBody(body, [
      'name',
      'issuer_url',
      'jwks',
      'check_jti',
      'max_jwt_lifetime_seconds',
      'jwks_polling_disabled',
    ]);
    const name = slug(input, false);
    const rawUrl = fieldValue(input, 'issuer_url', { nullable: true });
    const issuerUrl = rawUrl == null ? undefined : httpsUrl('issuer_url', rawUrl);
    const jwks = input['jwks'] == null ? undefined : parseJwks(input['jwks']);
    const checkJti = flag(input, 'check_jti');
    const maxLifetime = lifetime(input);
    const pollingDisabled = flag(input, 'jwks_polling_disabled');
    if (issuer.archivedAt !== null) {
      throw invalidRequest('An archived federation issuer cannot be updated; create a new one.');
    }
    if (name !== undefined) {
      assertNameFree(store, name, issuer.id);
      issuer.name = name;
    }
    if (issuerUrl !== undefined) issuer.issuerUrl = issuerUrl;
    if (jwks !== undefined) issuer.jwks = jwks;
    if (checkJti !== undefined) issuer.checkJti = checkJti;
    if (maxLifetime !== undefined) issuer.maxJwtLifetimeSeconds = maxLifetime;
    const now = store.tick();
    if (pollingDisabled !== undefined) issuer.pollingDisabledAt = pollingDisabled ? now : null;
    issuer.updatedAt = now;
    issuer.updatedBy = CALLER_ACTOR;
    return render(store, issuer);
  }),

  oauthRoute('POST', `${ONE}/archive`, ({ store, params }) => {
    const issuer = requireIssuer(store, params['federation_issuer_id']);
    if (issuer.archivedAt === null) {
      for (const rule of stateOf(store).rules.values()) {
        if (rule.issuerId === issuer.id && rule.archivedAt === null) {
          throw invalidRequest(
            `A live federation rule (${rule.id}) references this issuer; archive it first.`,
          );
        }
      }
      issuer.archivedAt = store.tick();
      issuer.archivedBy = CALLER_ACTOR;
      issuer.updatedAt = issuer.archivedAt;
      issuer.updatedBy = CALLER_ACTOR;
    }
    return render(store, issuer);
  }),
];

/** The id of an issuer of this store by its name (for tests and demos); throws if none. */
export function federationIssuerIdByName(store: SandboxStore, name: string): string {
  for (const issuer of stateOf(store).issuers.values()) if (issuer.name === name) return issuer.id;
  throw new Error(`no federation issuer named ${name}`);
}

// Federation rules (EXTENDED.md §4).

/** The scopes an OAuth caller may manage rules for; others need a Console session (403). */
const OAUTH_MANAGEABLE_SCOPES = ['workspace:developer', 'workspace:inference'];
const MATCH_FIELDS = ['audience', 'claims', 'condition', 'subject_prefix'];

function renderRule(store: SandboxStore, rule: RuleRecord): unknown {
  const issuer = stateOf(store).issuers.get(rule.issuerId);
  const target = serviceAccountInfo(store, rule.serviceAccountId);
  return {
    id: rule.id,
    applies_to_all_workspaces: rule.appliesToAll,
    archived_at: formatNullableTimestamp(rule.archivedAt),
    archived_by_actor_id: rule.archivedAt === null ? null : CALLER_ACTOR,
    attributes: null,
    created_at: formatTimestamp(rule.createdAt),
    created_by_actor_id: CALLER_ACTOR,
    description: rule.description,
    issuer_id: rule.issuerId,
    issuer_name: issuer?.name ?? null,
    match: { ...rule.match },
    name: rule.name,
    oauth_scope: rule.oauthScope,
    target: {
      type: 'service_account',
      service_account_id: rule.serviceAccountId,
      service_account_name: target?.name ?? null,
    },
    token_lifetime_seconds: rule.tokenLifetimeSeconds,
    type: 'federation_rule',
    updated_at: formatTimestamp(rule.updatedAt),
    updated_by_actor_id: CALLER_ACTOR,
    workspace_id: rule.legacyWorkspaceId,
    workspace_ids: [...rule.workspaces.keys()],
  };
}

function requireRule(store: SandboxStore, id: string | undefined): RuleRecord {
  const rule = id === undefined ? undefined : stateOf(store).rules.get(id);
  if (!rule) throw notFound('No federation rule with the given ID exists in this organization.');
  return rule;
}

function manageable(scope: string): void {
  if (!OAUTH_MANAGEABLE_SCOPES.includes(scope)) {
    throw new ApiError(
      403,
      `oauth_scope: OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; '${scope}' needs a Console session.`,
    );
  }
}

function parseMatch(value: unknown): JsonObject {
  if (!isObject(value)) throw invalidRequest('match: Input should be an object');
  for (const key of Object.keys(value)) {
    if (!MATCH_FIELDS.includes(key))
      throw invalidRequest(`match.${key}: Extra inputs are not permitted`);
  }
  const claims = value['claims'];
  if (
    claims != null &&
    (!isObject(claims) || !Object.values(claims).every((v) => typeof v === 'string'))
  ) {
    throw invalidRequest('match.claims: must map claim names to strings');
  }
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v != null));
  if (Object.keys(kept).length === 0) throw invalidRequest('match: give at least one condition');
  return kept;
}

function parseTarget(store: SandboxStore, value: unknown): string {
  if (!isObject(value) || value['type'] !== 'service_account') {
    throw invalidRequest("target.type: Input should be 'service_account'");
  }
  const id = value['service_account_id'];
  if (typeof id !== 'string') throw invalidRequest('target.service_account_id: Field required');
  const account = serviceAccountInfo(store, id);
  if (!account) throw notFound('No service account with the given ID exists in this organization.');
  if (account.archived)
    throw invalidRequest('target.service_account_id: the service account is archived.');
  return id;
}

function tokenLifetime(body: JsonObject): number | undefined {
  const value = fieldValue(body, 'token_lifetime_seconds', { nullable: true });
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 60 || value > 86_400) {
    throw invalidRequest('token_lifetime_seconds: must be an integer from 60 to 86400');
  }
  return value;
}

function ruleNameFree(store: SandboxStore, name: string, except?: string): void {
  for (const rule of stateOf(store).rules.values()) {
    if (rule.name === name && rule.id !== except) {
      throw new ApiError(409, `name: a federation rule named '${name}' already exists.`);
    }
  }
}

const RULES = '/v1/organizations/federation_rules';
const RULE = `${RULES}/:federation_rule_id`;
const rulesByCreatedAt = newestFirst<RuleRecord>(
  (r) => r.createdAt,
  (r) => r.id,
);

export const federationRuleRoutes: Route[] = [
  oauthRoute('POST', RULES, ({ store, body }) => {
    const input = objectBody(body, [
      'issuer_id',
      'match',
      'name',
      'oauth_scope',
      'target',
      'applies_to_all_workspaces',
      'attributes',
      'description',
      'token_lifetime_seconds',
      'workspace_id',
    ]);
    const name = stringField(input, 'name', {
      required: true,
      minLength: 1,
      maxLength: 64,
    }) as string;
    const scope = stringField(input, 'oauth_scope', { required: true, minLength: 1 }) as string;
    manageable(scope);
    const issuerId = stringField(input, 'issuer_id', { required: true, minLength: 1 }) as string;
    const issuer = requireIssuer(store, issuerId);
    if (issuer.archivedAt !== null) throw invalidRequest('issuer_id: the issuer is archived.');
    const match = parseMatch(fieldValue(input, 'match', { required: true }));
    const serviceAccountId = parseTarget(store, fieldValue(input, 'target', { required: true }));
    if (input['attributes'] != null) throw invalidRequest('attributes: not yet supported');
    const legacy = stringField(input, 'workspace_id', { nullable: true });
    if (legacy != null) requireWorkspace(store, legacy);
    ruleNameFree(store, name);
    const now = store.tick();
    const rule: RuleRecord = {
      id: store.newId('fdrl_'),
      name,
      description: stringField(input, 'description', { nullable: true }) ?? null,
      issuerId,
      match,
      oauthScope: scope,
      serviceAccountId,
      tokenLifetimeSeconds: tokenLifetime(input) ?? 3600,
      appliesToAll: flag(input, 'applies_to_all_workspaces') ?? false,
      legacyWorkspaceId: legacy ?? null,
      workspaces: new Map(),
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
    };
    stateOf(store).rules.set(rule.id, rule);
    return renderRule(store, rule);
  }),

  oauthRoute('GET', RULES, ({ store, query }) => {
    const includeArchived = queryBoolean(query, 'include_archived', false);
    const issuerId = queryValue(query, 'issuer_id');
    const limit = parseLimit(query);
    const items = [...stateOf(store).rules.values()]
      .filter((rule) => includeArchived || rule.archivedAt === null)
      .filter((rule) => issuerId === undefined || rule.issuerId === issuerId)
      .sort(rulesByCreatedAt);
    const token = boundPageToken(store, 'federation_rules', query);
    let start = 0;
    if (token !== undefined) {
      const id = Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8');
      const at = items.findIndex((rule) => rule.id === id);
      if (at < 0)
        throw invalidRequest('page: the page token no longer matches a rule of this list');
      start = at + 1;
    }
    const slice = items.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start + limit < items.length && last !== undefined;
    const next = more ? `page_${Buffer.from(last.id, 'utf8').toString('base64url')}` : null;
    return {
      data: slice.map((rule) => renderRule(store, rule)),
      next_page: issuePageToken(store, 'federation_rules', query, next),
    };
  }),

  oauthRoute('GET', RULE, ({ store, params }) =>
    renderRule(store, requireRule(store, params['federation_rule_id'])),
  ),

  oauthRoute('POST', RULE, ({ store, params, body }) => {
    const rule = requireRule(store, params['federation_rule_id']);
    const input = objectBody(body, [
      'applies_to_all_workspaces',
      'attributes',
      'description',
      'match',
      'name',
      'oauth_scope',
      'target',
      'token_lifetime_seconds',
      'workspace_id',
    ]);
    if (rule.archivedAt !== null)
      throw invalidRequest('An archived federation rule cannot be updated.');
    manageable(rule.oauthScope);
    const scope = stringField(input, 'oauth_scope', { nullable: true, minLength: 1 });
    if (scope != null) manageable(scope);
    const name = stringField(input, 'name', { nullable: true, minLength: 1, maxLength: 64 });
    const match = input['match'] == null ? undefined : parseMatch(input['match']);
    const target = input['target'] == null ? undefined : parseTarget(store, input['target']);
    const lifetimeValue = tokenLifetime(input);
    const all = flag(input, 'applies_to_all_workspaces');
    if (name != null) {
      ruleNameFree(store, name, rule.id);
      rule.name = name;
    }
    if (input['description'] !== undefined) {
      rule.description = stringField(input, 'description', { nullable: true }) ?? null;
    }
    if (scope != null) rule.oauthScope = scope;
    if (match) rule.match = match;
    if (target) rule.serviceAccountId = target;
    if (lifetimeValue !== undefined) rule.tokenLifetimeSeconds = lifetimeValue;
    if (all !== undefined) rule.appliesToAll = all;
    rule.updatedAt = store.tick();
    return renderRule(store, rule);
  }),

  oauthRoute('POST', `${RULE}/archive`, ({ store, params }) => {
    const rule = requireRule(store, params['federation_rule_id']);
    manageable(rule.oauthScope);
    if (rule.archivedAt === null) {
      rule.archivedAt = store.tick();
      rule.updatedAt = rule.archivedAt;
      // Archiving clears the rule's workspace targeting.
      rule.workspaces.clear();
      rule.legacyWorkspaceId = null;
    }
    return renderRule(store, rule);
  }),

  oauthRoute('GET', `${RULE}/workspaces`, ({ store, params }) => {
    const rule = requireRule(store, params['federation_rule_id']);
    // Always one page: `limit` and `page` are ignored.
    return {
      data: [...rule.workspaces].map(([workspaceId, at]) => ({
        created_at: formatTimestamp(at),
        created_by_actor_id: CALLER_ACTOR,
        federation_rule_id: rule.id,
        type: 'federation_rule_workspace',
        workspace_id: workspaceId,
        workspace_name: store.workspaces.get(workspaceId)?.name ?? null,
      })),
      next_page: null,
    };
  }),

  oauthRoute('POST', `${RULE}/workspaces`, ({ store, params, body }) => {
    const rule = requireRule(store, params['federation_rule_id']);
    manageable(rule.oauthScope);
    if (rule.archivedAt !== null)
      throw invalidRequest('An archived federation rule cannot be changed.');
    const input = objectBody(body, ['workspace_id']);
    const ws = requireWorkspace(
      store,
      stringField(input, 'workspace_id', { required: true }) as string,
    );
    if (ws.archivedAt !== null) throw invalidRequest('workspace_id: the workspace is archived.');
    if (!rule.workspaces.has(ws.id)) rule.workspaces.set(ws.id, store.tick());
    return {
      created_at: formatTimestamp(rule.workspaces.get(ws.id) as Micros),
      created_by_actor_id: CALLER_ACTOR,
      federation_rule_id: rule.id,
      type: 'federation_rule_workspace',
      workspace_id: ws.id,
      workspace_name: ws.name,
    };
  }),

  oauthRoute('DELETE', `${RULE}/workspaces/:workspace_id`, ({ store, params }) => {
    const rule = requireRule(store, params['federation_rule_id']);
    manageable(rule.oauthScope);
    const ws = requireWorkspace(store, params['workspace_id']);
    rule.workspaces.delete(ws.id);
    return {
      federation_rule_id: rule.id,
      type: 'federation_rule_workspace_deleted',
      workspace_id: ws.id,
    };
  }),
];

// A live rule that targets a service account keeps it from being archived.
addServiceAccountArchiveGuard((store, serviceAccountId) => {
  for (const rule of stateOf(store).rules.values()) {
    if (rule.serviceAccountId === serviceAccountId && rule.archivedAt === null) {
      throw invalidRequest(
        `A live federation rule (${rule.id}) targets this service account; archive it or retarget it first.`,
      );
    }
  }
});

/** The id of a rule of this store by its name (for tests and demos); throws if none. */
export function federationRuleIdByName(store: SandboxStore, name: string): string {
  for (const rule of stateOf(store).rules.values()) if (rule.name === name) return rule.id;
  throw new Error(`no federation rule named ${name}`);
}
