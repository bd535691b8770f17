import {
  listFederationIssuers,
  type BetaFederationIssuer,
} from '../../upstream/resources/federation.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import { UserOrServiceAccount, actorOf } from './service-account.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Workload identity federation issuers (fdis_…): the OIDC identity providers whose tokens the
 * organization trusts. As for service accounts, the Admin API serves them to an OAuth access
 * token with `org:admin` only; without one each field fails alone with CREDENTIAL_MISSING.
 */

const OAUTH_NOTE =
  'Needs an OAuth access token with org:admin (the caller’s bearer token, or the gateway’s ANTHROPIC_OAUTH_TOKEN); without one the field fails alone with CREDENTIAL_MISSING.';

export const JwksSource = openEnum(
  'JwksSource',
  'How a federation issuer’s signing keys are obtained.',
  {
    discovery: 'Through the issuer’s OIDC discovery document.',
    explicit_url: 'Fetched from a fixed JWKS URL.',
    inline: 'A static key set given with the issuer; nothing is fetched.',
  },
);

type Jwks = BetaFederationIssuer['jwks'];
type PollStatus = NonNullable<BetaFederationIssuer['poll_status']>;

const FederationIssuerJwks = builder.objectRef<Jwks>('FederationIssuerJwks').implement({
  description: 'How a federation issuer’s signing keys are obtained.',
  fields: (t) => ({
    source: t.field({
      type: JwksSource.ref,
      description: 'Where the keys come from.',
      resolve: (jwks) => JwksSource.fromUpstream(jwks.type),
    }),
    sourceValue: t.string({
      description: 'The source exactly as the Admin API reports it (`jwks.type`).',
      resolve: (jwks) => jwks.type,
    }),
    url: t.string({
      nullable: true,
      description: 'The JWKS endpoint, for EXPLICIT_URL.',
      resolve: (jwks) => (jwks.type === 'explicit_url' ? jwks.url : null),
    }),
    discoveryBase: t.string({
      nullable: true,
      description: 'For DISCOVERY: the discovery URL when it differs from the issuer URL.',
      resolve: (jwks) => (jwks.type === 'discovery' ? (jwks.discovery_base ?? null) : null),
    }),
    caCertPem: t.string({
      nullable: true,
      description: 'A custom CA (PEM) for TLS verification of the key fetch, if any.',
      resolve: (jwks) => (jwks.type === 'inline' ? null : (jwks.ca_cert_pem ?? null)),
    }),
    inlineKeys: t.stringList({
      nullable: true,
      description: 'For INLINE: each JSON Web Key, as JSON text.',
      resolve: (jwks) =>
        jwks.type === 'inline' ? jwks.keys.map((key) => JSON.stringify(key)) : null,
    }),
  }),
});

const FederationIssuerPollStatus = builder
  .objectRef<PollStatus>('FederationIssuerPollStatus')
  .implement({
    description: 'The state of Anthropic’s background polling of an issuer’s signing keys.',
    fields: (t) => ({
      consecutiveFailures: t.exposeInt('consecutive_failures', {
        description: 'Fetch failures since the last success.',
      }),
      lastFetchedAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When the last successful fetch completed.',
        resolve: (status) => status.last_fetched_at,
      }),
      nextPollAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When the next fetch is scheduled; null while polling is paused.',
        resolve: (status) => status.next_poll_at,
      }),
    }),
  });

export const FederationIssuer = builder.objectRef<BetaFederationIssuer>('FederationIssuer');

builder.node(FederationIssuer, {
  description: `A workload identity federation issuer: an OIDC identity provider the organization trusts for the jwt-bearer token exchange. ${OAUTH_NOTE}`,
  id: { resolve: (issuer) => issuer.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'federation_issuer',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.federationIssuers.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'The slug that names it (lowercase letters, digits, hyphens), unique in the organization.',
    }),
    issuerUrl: t.exposeString('issuer_url', {
      description: 'The `iss` claim value: incoming JWTs must match it exactly.',
    }),
    jwks: t.field({
      type: FederationIssuerJwks,
      description: 'How its signing keys are obtained.',
      resolve: (issuer) => issuer.jwks,
    }),
    checkJti: t.exposeBoolean('check_jti', {
      description:
        'Whether the token exchange enforces single use of a token’s `jti` (replay protection).',
    }),
    maxJwtLifetimeSeconds: t.exposeInt('max_jwt_lifetime_seconds', {
      description: 'The longest iat→exp spread accepted from it, in seconds (1–176400).',
    }),
    jwksPollingDisabledAt: t.field({
      type: DateTime,
      nullable: true,
      description:
        'When key polling was paused after repeated fetch failures; null while it runs (re-enable with `jwksPollingDisabled: false`).',
      resolve: (issuer) => issuer.jwks_polling_disabled_at,
    }),
    pollStatus: t.field({
      type: FederationIssuerPollStatus,
      nullable: true,
      description:
        'Key polling as it stands; usually null for inline keys or before polling started.',
      resolve: (issuer) => issuer.poll_status,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When it was registered.',
      resolve: (issuer) => issuer.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When it was last changed.',
      resolve: (issuer) => issuer.updated_at,
    }),
    archivedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When it was archived (every rule using it then refuses token exchange).',
      resolve: (issuer) => issuer.archived_at,
    }),
    isArchived: t.boolean({
      description: 'Whether it is archived.',
      resolve: (issuer) => issuer.archived_at !== null,
    }),
    createdBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: 'The user or service account that registered it; null when not recorded.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (issuer, _args, ctx) => actorOf(issuer.created_by_actor_id, ctx),
    }),
    updatedBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: 'The user or service account that changed it last; null when not recorded.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (issuer, _args, ctx) => actorOf(issuer.updated_by_actor_id, ctx),
    }),
    archivedBy: t.field({
      type: UserOrServiceAccount,
      nullable: true,
      description: 'The user or service account that archived it; null when not archived.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (issuer, _args, ctx) => actorOf(issuer.archived_by_actor_id, ctx),
    }),
  }),
});

export const FederationIssuerConnection = builder.connectionObject(
  {
    type: FederationIssuer,
    name: 'FederationIssuerConnection',
    description: 'A page of federation issuers. Pages forward only (`first`/`after`).',
  },
  { name: 'FederationIssuerEdge', description: 'A federation issuer and its cursor.' },
);

builder.objectField(Organization, 'federationIssuers', (t) =>
  t.connection(
    {
      type: FederationIssuer,
      description: `The organization’s workload identity federation issuers (GET /v1/organizations/federation_issuers). \`first\` is 1–1000 (default 20); forward only. ${OAUTH_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        includeArchived: t.arg.boolean({
          defaultValue: false,
          description: 'Whether archived issuers are listed too.',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const connection = await resolveReportConnection(
          args,
          { include_archived: args.includeArchived ?? false },
          { defaultSize: 20, maxSize: 1000, unit: 'issuer', list: 'issuer list' },
          (query) => listFederationIssuers(ctx.api, query),
        );
        for (const { node } of connection.edges) ctx.loaders.federationIssuers.prime(node.id, node);
        return connection;
      },
    },
    FederationIssuerConnection,
  ),
);

builder.queryField('federationIssuer', (t) =>
  t.field({
    type: FederationIssuer,
    nullable: true,
    description: `A federation issuer by id, archived ones included; null when none exists (GET /v1/organizations/federation_issuers/{id}). ${OAUTH_NOTE}`,
    extensions: costExtension({ kind: 'reference', collection: 'federation' }),
    args: { id: t.arg.id({ required: true, description: 'The issuer id (fdis_…).' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.federationIssuers.load(checkIdArgument('federationIssuer', args.id, 'id')),
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(FederationIssuer, 'federationIssuer');
