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

interface State {
  seededFor: Map<string, WorkspaceRecord>;
  issuers: Map<string, IssuerRecord>;
}

const states = new WeakMap<SandboxStore, State>();
const CALLER_ACTOR = FIXTURE_IDS.adminUser;
const MAX_LIFETIME = 176_400;
const POLL_EVERY = MICROS_PER_HOUR;

function seed(store: SandboxStore): State {
  const state: State = { seededFor: store.workspaces, issuers: new Map() };
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
