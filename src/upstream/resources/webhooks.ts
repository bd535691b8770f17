import type {
  BetaDeletedOrganizationWebhookEndpoint,
  BetaNewOrganizationWebhookEndpoint,
  BetaOrganizationWebhookEndpoint,
  BetaOrganizationWebhookEndpointSigningSecret,
  WebhookCreateParams,
  WebhookUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/webhooks';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { registerSecret } from '../scrub.js';
import type { AdminPage, PageQuery } from '../types.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * Organization webhook endpoints (beta `webhooks-2026-10-07`, which the SDK sends itself). The
 * Admin API answers 404 to every request of an organization it has not turned the beta on for,
 * "exactly as if this API did not exist": the list and create name no object, so they carry the
 * operation `gate` and such a 404 becomes NOT_ENABLED on their field alone; a 404 from an
 * operation on one endpoint stays "no such endpoint". Lists are id-paged (`after_id`/`before_id`)
 * with `order`, at most 32 endpoints per organization.
 *
 * The signing secret is returned by `create` and `regenerateSigningSecret` only. It never reaches
 * the read cache (those writes write nothing through, and reads never carry it), it is registered
 * with the scrubber at once so that no log line, error or span can carry it, and it is handed back
 * to the caller once, in the mutation's payload.
 */

export type Webhook = BetaOrganizationWebhookEndpoint;
export type NewWebhook = BetaNewOrganizationWebhookEndpoint;
export type WebhookEventType = Webhook['enabled_events'][number];
export type WebhookState = Webhook['state'];
export type WebhookCreateBody = Omit<WebhookCreateParams, 'betas'>;
export type WebhookUpdateBody = Omit<WebhookUpdateParams, 'betas'>;
export type WebhookDeletion = BetaDeletedOrganizationWebhookEndpoint;
export type WebhookSigningSecret = BetaOrganizationWebhookEndpointSigningSecret;

/** The Admin API's limit of webhook endpoints per organization. */
export const MAX_WEBHOOKS_PER_ORGANIZATION = 32;

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const WEBHOOKS_BETA = 'webhooks-2026-10-07';

export interface WebhookListQuery extends PageQuery {
  order?: 'asc' | 'desc';
}

const COLLECTION = 'webhooks' as const;

/** The cache key of one endpoint, shared by its GET and the list pages that hold it. */
const entity = (id: string) => `entity:${id}`;

/** Operations that name no endpoint: a 404 means the organization is not enabled. */
const gated = (name: string, method: 'GET' | 'POST'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
  gate: WEBHOOKS_BETA,
});
const onEndpoint = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

/** An endpoint without its signing secret: what may be cached, logged or read again. */
export function withoutSecret(created: NewWebhook): Webhook {
  const { signing_secret: _secret, ...endpoint } = created;
  return endpoint;
}

export function listWebhooks(api: AdminApi, query: WebhookListQuery): Promise<AdminPage<Webhook>> {
  return api.readPage<Webhook>(
    COLLECTION,
    query,
    gated('webhooks.list', 'GET'),
    (org, opts) => org.webhooks.list(query, opts),
    (webhook) => webhook.id,
  );
}

export function getWebhook(api: AdminApi, webhookId: string): Promise<Webhook> {
  checkId('webhook', webhookId);
  return api.read<Webhook>(
    COLLECTION,
    entity(webhookId),
    onEndpoint('webhooks.retrieve', 'GET'),
    (org, opts) => org.webhooks.retrieve(webhookId, {}, opts),
  );
}

/**
 * Creates an endpoint. What comes back holds the signing secret: it is registered with the
 * scrubber before anything else sees it, and nothing is written through to the cache.
 */
export async function createWebhook(api: AdminApi, body: WebhookCreateBody): Promise<NewWebhook> {
  const created = await api.write<NewWebhook>(
    gated('webhooks.create', 'POST'),
    (org, opts) => org.webhooks.create(body, opts),
    [COLLECTION],
  );
  registerSecret(created.signing_secret);
  return created;
}

export function updateWebhook(
  api: AdminApi,
  webhookId: string,
  body: WebhookUpdateBody,
): Promise<Webhook> {
  checkId('webhook', webhookId);
  return api.write<Webhook>(
    onEndpoint('webhooks.update', 'POST'),
    (org, opts) => org.webhooks.update(webhookId, body, opts),
    [COLLECTION],
    (webhook) => [COLLECTION, webhook.id],
  );
}

export function deleteWebhook(api: AdminApi, webhookId: string): Promise<WebhookDeletion> {
  checkId('webhook', webhookId);
  return api.write<WebhookDeletion>(
    onEndpoint('webhooks.delete', 'DELETE'),
    (org, opts) => org.webhooks.delete(webhookId, {}, opts),
    [COLLECTION],
  );
}

/** Replaces the signing secret; the new one is registered with the scrubber and never cached. */
export async function regenerateWebhookSigningSecret(
  api: AdminApi,
  webhookId: string,
): Promise<WebhookSigningSecret> {
  checkId('webhook', webhookId);
  const result = await api.write<WebhookSigningSecret>(
    onEndpoint('webhooks.regenerate_signing_secret', 'POST'),
    (org, opts) => org.webhooks.regenerateSigningSecret(webhookId, {}, opts),
    [COLLECTION],
  );
  registerSecret(result.signing_secret);
  return result;
}
