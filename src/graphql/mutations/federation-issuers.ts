import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  createdSince,
  inputError,
  runMutation,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import type { AdminApi } from '../../upstream/admin-api.js';
import {
  archiveFederationIssuer,
  createFederationIssuer,
  getFederationIssuer,
  listFederationIssuers,
  updateFederationIssuer,
  type BetaFederationIssuer,
  type IssuerUpdateBody,
} from '../../upstream/resources/federation.js';
import { FederationIssuer, JwksSource } from '../nodes/federation-issuer.js';
import { resultPayload, type Outcome } from '../lib/payload.js';

/*
 * Mutations of workload identity federation issuers. Each needs `write` and `federation:write`,
 * and goes upstream with an OAuth access token (`org:admin`) only: without one the field fails
 * with CREDENTIAL_MISSING and nothing is sent.
 */

const SCOPES = { federationWrite: true } as const;
const OAUTH = 'Goes upstream with an OAuth access token (org:admin) only.';

const BODY: Record<string, string[]> = {
  name: ['input', 'name'],
  issuer_url: ['input', 'issuerUrl'],
  jwks: ['input', 'jwks'],
  check_jti: ['input', 'checkJti'],
  max_jwt_lifetime_seconds: ['input', 'maxJwtLifetimeSeconds'],
  jwks_polling_disabled: ['input', 'jwksPollingDisabled'],
};

const ON_ISSUER: InputPaths = {
  ids: { federationIssuer: ['input', 'federationIssuerId'] },
  notFound: ['input', 'federationIssuerId'],
  body: BODY,
};

const JwksInput = builder.inputType('FederationIssuerJwksInput', {
  description: 'How an issuer’s signing keys are obtained; it replaces the whole previous setting.',
  fields: (t) => ({
    source: t.field({
      type: JwksSource.ref,
      required: true,
      description: 'Where the keys come from.',
    }),
    url: t.string({ description: 'The JWKS endpoint; required for EXPLICIT_URL only.' }),
    discoveryBase: t.string({
      description: 'For DISCOVERY: the discovery URL when it differs from the issuer URL.',
    }),
    caCertPem: t.string({
      description: 'A custom CA (PEM) for TLS verification of the key fetch (not for INLINE).',
    }),
    inlineKeys: t.stringList({
      description: 'For INLINE (required there): each JSON Web Key as JSON text.',
    }),
  }),
});

type JwksArgs = typeof JwksInput.$inferInput;
type Jwks = BetaFederationIssuer['jwks'];

/** The REST `jwks` object for the input, or the user error that says what is wrong with it. */
function jwksBody(input: JwksArgs): { value: Jwks } | { error: UserErrorShape[] } {
  const fail = (message: string, field: string) => ({
    error: inputError(message, ['input', 'jwks', field]).userErrors,
  });
  const ca = input.caCertPem != null ? { ca_cert_pem: input.caCertPem } : {};
  switch (input.source) {
    case 'discovery':
      if (input.url != null || input.inlineKeys != null) {
        return fail('DISCOVERY takes no url or inlineKeys.', 'source');
      }
      return {
        value: {
          type: 'discovery',
          ...ca,
          ...(input.discoveryBase != null ? { discovery_base: input.discoveryBase } : {}),
        },
      };
    case 'explicit_url':
      if (input.url == null) return fail('EXPLICIT_URL needs url.', 'url');
      if (input.inlineKeys != null || input.discoveryBase != null) {
        return fail('EXPLICIT_URL takes no inlineKeys or discoveryBase.', 'source');
      }
      return { value: { type: 'explicit_url', url: input.url, ...ca } };
    case 'inline': {
      if (input.inlineKeys == null) return fail('INLINE needs inlineKeys.', 'inlineKeys');
      if (input.url != null || input.discoveryBase != null || input.caCertPem != null) {
        return fail('INLINE takes no url, discoveryBase or caCertPem.', 'source');
      }
      const keys: { [key: string]: unknown }[] = [];
      for (const text of input.inlineKeys) {
        let key: unknown;
        try {
          key = JSON.parse(text);
        } catch {
          return fail('Each of inlineKeys must be a JSON object (a JSON Web Key).', 'inlineKeys');
        }
        if (typeof key !== 'object' || key === null || Array.isArray(key)) {
          return fail('Each of inlineKeys must be a JSON object (a JSON Web Key).', 'inlineKeys');
        }
        keys.push({ ...key });
      }
      return { value: { type: 'inline', keys } };
    }
    default:
      return fail('UNKNOWN is not a source that can be given.', 'source');
  }
}

const issuerPayload = (mutation: string, description: string) =>
  resultPayload(mutation, 'federationIssuer', FederationIssuer, description);

/** The issuer of that name, registered after the call started (names are unique). */
const settleCreate =
  (api: AdminApi, name: string) =>
  async (startedAt: number): Promise<BetaFederationIssuer | null> => {
    let page: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const found = await listFederationIssuers(api, {
        include_archived: true,
        limit: 1000,
        ...(page !== undefined ? { page } : {}),
      });
      const issuer = found.data.find((item) => item.name === name);
      if (issuer) return createdSince(issuer.created_at, startedAt) ? issuer : null;
      if (found.next_page === null) return null;
      page = found.next_page;
    }
    return null;
  };

/** The issuer now shows what was sent (what can be compared: name, URL, flags, lifetime). */
const settleUpdate = (api: AdminApi, id: string, sent: IssuerUpdateBody) => async () => {
  const issuer = await getFederationIssuer(api, id);
  const same =
    (sent.name == null || issuer.name === sent.name) &&
    (sent.issuer_url == null || issuer.issuer_url === sent.issuer_url) &&
    (sent.check_jti == null || issuer.check_jti === sent.check_jti) &&
    (sent.max_jwt_lifetime_seconds == null ||
      issuer.max_jwt_lifetime_seconds === sent.max_jwt_lifetime_seconds) &&
    (sent.jwks == null || issuer.jwks.type === sent.jwks.type);
  return same ? issuer : null;
};

builder.relayMutationField(
  'createFederationIssuer',
  {
    description:
      'Registers an OIDC issuer the organization trusts for workload identity federation.',
    inputFields: (t) => ({
      name: t.string({
        required: true,
        description: 'A slug (lowercase letters, digits, hyphens), unique in the organization.',
      }),
      issuerUrl: t.string({
        required: true,
        description: 'The `iss` claim value incoming JWTs must match exactly.',
      }),
      jwks: t.field({
        type: JwksInput,
        description: 'How signing keys are obtained (default: OIDC discovery).',
      }),
      checkJti: t.boolean({ description: 'Enforce single use of `jti` (default true).' }),
      maxJwtLifetimeSeconds: t.int({
        description: 'The longest iat→exp spread accepted, 1–176400 seconds (default 3600).',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Registers a federation issuer (POST /v1/organizations/federation_issuers). A name already taken is a CONFLICT. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<Outcome<BetaFederationIssuer>> => {
      const jwks = input.jwks ? jwksBody(input.jwks) : undefined;
      if (jwks && 'error' in jwks) return { result: null, userErrors: jwks.error };
      return runMutation(
        { body: BODY },
        () =>
          createFederationIssuer(ctx.api, {
            name: input.name,
            issuer_url: input.issuerUrl,
            ...(jwks ? { jwks: jwks.value } : {}),
            ...(input.checkJti != null ? { check_jti: input.checkJti } : {}),
            ...(input.maxJwtLifetimeSeconds != null
              ? { max_jwt_lifetime_seconds: input.maxJwtLifetimeSeconds }
              : {}),
          }),
        { settle: settleCreate(ctx.api, input.name) },
      );
    },
  },
  issuerPayload('createFederationIssuer', 'The new issuer; null when none was registered.'),
);

builder.relayMutationField(
  'updateFederationIssuer',
  {
    description: 'Changes a federation issuer; fields left out stay as they are.',
    inputFields: (t) => ({
      federationIssuerId: t.id({ required: true, description: 'The issuer (fdis_…).' }),
      name: t.string({ description: 'The new name.' }),
      issuerUrl: t.string({ description: 'The new `iss` value.' }),
      jwks: t.field({ type: JwksInput, description: 'The new key setting (replaces it whole).' }),
      checkJti: t.boolean({ description: 'Enforce single use of `jti`.' }),
      maxJwtLifetimeSeconds: t.int({ description: 'The longest iat→exp spread, 1–176400 s.' }),
      jwksPollingDisabled: t.boolean({
        description: 'false resumes key polling paused after repeated failures.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Changes a federation issuer (POST /v1/organizations/federation_issuers/{id}); an archived one cannot be changed. ${OAUTH}`,
    resolve: async (_root, { input }, ctx): Promise<Outcome<BetaFederationIssuer>> => {
      const jwks = input.jwks ? jwksBody(input.jwks) : undefined;
      if (jwks && 'error' in jwks) return { result: null, userErrors: jwks.error };
      for (const [field, value] of Object.entries({
        name: input.name,
        issuerUrl: input.issuerUrl,
        checkJti: input.checkJti,
        maxJwtLifetimeSeconds: input.maxJwtLifetimeSeconds,
        jwksPollingDisabled: input.jwksPollingDisabled,
      })) {
        if (value === null) return inputError(`${field} cannot be null.`, ['input', field]);
      }
      const body: IssuerUpdateBody = {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.issuerUrl != null ? { issuer_url: input.issuerUrl } : {}),
        ...(jwks ? { jwks: jwks.value } : {}),
        ...(input.checkJti != null ? { check_jti: input.checkJti } : {}),
        ...(input.maxJwtLifetimeSeconds != null
          ? { max_jwt_lifetime_seconds: input.maxJwtLifetimeSeconds }
          : {}),
        ...(input.jwksPollingDisabled != null
          ? { jwks_polling_disabled: input.jwksPollingDisabled }
          : {}),
      };
      return runMutation(
        ON_ISSUER,
        () => updateFederationIssuer(ctx.api, input.federationIssuerId, body),
        { settle: settleUpdate(ctx.api, input.federationIssuerId, body) },
      );
    },
  },
  issuerPayload('updateFederationIssuer', 'The issuer as changed; null when the change failed.'),
);

builder.relayMutationField(
  'archiveFederationIssuer',
  {
    description: 'Archives a federation issuer.',
    inputFields: (t) => ({
      federationIssuerId: t.id({ required: true, description: 'The issuer to archive (fdis_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: SCOPES,
    description: `Archives a federation issuer (POST /v1/organizations/federation_issuers/{id}/archive): every rule using it stops exchanging tokens. Archiving again returns it unchanged; it is refused while a live federation rule references it. ${OAUTH}`,
    resolve: (_root, { input }, ctx): Promise<Outcome<BetaFederationIssuer>> =>
      runMutation(ON_ISSUER, () => archiveFederationIssuer(ctx.api, input.federationIssuerId), {
        settle: async () => {
          const issuer = await getFederationIssuer(ctx.api, input.federationIssuerId);
          return issuer.archived_at !== null ? issuer : null;
        },
      }),
  },
  issuerPayload('archiveFederationIssuer', 'The archived issuer; null when nothing was archived.'),
);
