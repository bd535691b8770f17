import type {
  BetaFederationIssuer,
  IssuerCreateParams,
  IssuerUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/federation/issuers';
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

export type { BetaFederationIssuer };
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
