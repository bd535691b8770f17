import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { resolveConnection, totalCountField } from '../lib/connection.js';
import { checkIdArgument } from '../lib/lookup.js';
import { UNKNOWN_VALUE, isKnown, openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { Organization } from './organization.js';
import {
  listWebhooks,
  type Webhook as AdminWebhook,
  type WebhookEventType as AdminWebhookEventType,
} from '../../upstream/resources/webhooks.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Organization webhook endpoints (beta `webhooks-2026-10-07`, turned on per organization). Until
 * the organization is enabled, the connection fails alone with NOT_ENABLED; mutations are in
 * src/graphql/mutations/webhooks.ts.
 */

export const WebhookEventType = openEnum(
  'WebhookEventType',
  'An event an organization webhook endpoint can be sent.',
  {
    'external_key.failed': [
      'EXTERNAL_KEY_FAILED',
      'An external (customer-managed) encryption key stopped working.',
    ],
    'external_key.recovered': [
      'EXTERNAL_KEY_RECOVERED',
      'An external encryption key works again after a failure.',
    ],
    'external_storage.failed': [
      'EXTERNAL_STORAGE_FAILED',
      'The organization’s external storage stopped working.',
    ],
    'external_storage.recovered': [
      'EXTERNAL_STORAGE_RECOVERED',
      'The external storage works again after a failure.',
    ],
    'user_profile.enforcement_action_opened': [
      'USER_PROFILE_ENFORCEMENT_ACTION_OPENED',
      'Anthropic restricted or banned one of the organization’s user profiles.',
    ],
    'user_profile.enforcement_action_resolved': [
      'USER_PROFILE_ENFORCEMENT_ACTION_RESOLVED',
      'A restriction or ban of a user profile ended.',
    ],
    'user_profile.program_status_updated': [
      'USER_PROFILE_PROGRAM_STATUS_UPDATED',
      'A user profile’s program status changed.',
    ],
  } satisfies Record<AdminWebhookEventType, readonly [string, string]>,
);

export const WebhookState = openEnum(
  'WebhookState',
  'Whether deliveries are sent to a webhook endpoint.',
  {
    enabled: 'Deliveries are sent.',
    disabled:
      'No deliveries are sent (disabled by an admin, or by Anthropic: see `disabledReason`). Events that happen meanwhile are never delivered.',
  },
);

export const WebhookOrder = builder.enumType('WebhookOrder', {
  description: 'The order of webhook endpoints in a list, by creation time.',
  values: {
    NEWEST_FIRST: { value: 'desc', description: 'Most recently created first (the default).' },
    OLDEST_FIRST: { value: 'asc', description: 'Earliest created first.' },
  } as const,
});

/** Raw event types of an input; null when it holds UNKNOWN (an output-only placeholder). */
export function rawEventTypes(
  values: readonly (AdminWebhookEventType | typeof UNKNOWN_VALUE)[],
): AdminWebhookEventType[] | null {
  const raw: AdminWebhookEventType[] = [];
  for (const value of values) {
    if (!isKnown(value)) return null;
    raw.push(value);
  }
  return raw;
}

export const Webhook = builder.objectRef<AdminWebhook>('Webhook');

builder.node(Webhook, {
  description:
    'An organization webhook endpoint: an HTTPS URL the Admin API sends the organization’s events to, signed with a secret that only its creation (and a regeneration) shows.',
  id: { resolve: (webhook) => webhook.id },
  // Endpoints carry no `type` field: they are told apart by their own fields.
  isTypeOf: (value) =>
    typeof value === 'object' &&
    value !== null &&
    'enabled_events' in value &&
    'url' in value &&
    'disabled_reason' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.webhooks.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'A short label for the endpoint; empty when none was given.',
    }),
    description: t.exposeString('description', {
      description: 'Notes about the endpoint; empty when none were given.',
    }),
    url: t.exposeString('url', { description: 'The HTTPS URL deliveries are sent to.' }),
    enabledEvents: t.field({
      type: [WebhookEventType.ref],
      description: 'The event types delivered to the endpoint.',
      // The enum's values are the SDK's event types and UNKNOWN by construction.
      resolve: (webhook) =>
        webhook.enabled_events.map((event) => WebhookEventType.fromUpstream(event)) as never,
    }),
    enabledEventValues: t.stringList({
      description:
        'The event types exactly as the Admin API reports them, also those `enabledEvents` shows as UNKNOWN.',
      resolve: (webhook) => [...webhook.enabled_events],
    }),
    state: t.field({
      type: WebhookState.ref,
      description: 'Whether deliveries are sent to the endpoint.',
      resolve: (webhook) => WebhookState.fromUpstream(webhook.state) as never,
    }),
    stateValue: t.exposeString('state', {
      description: 'The state exactly as the Admin API reports it, also when `state` is UNKNOWN.',
    }),
    disabledReason: t.string({
      nullable: true,
      description:
        'Why Anthropic disabled the endpoint automatically; null when it is enabled or an admin disabled it.',
      resolve: (webhook) => (webhook.disabled_reason === '' ? null : webhook.disabled_reason),
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the endpoint was created.',
      resolve: (webhook) => webhook.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description: 'When the endpoint was last changed.',
      resolve: (webhook) => webhook.updated_at,
    }),
  }),
});

export const WebhookConnection = builder.connectionObject(
  {
    type: Webhook,
    name: 'WebhookConnection',
    description: 'A page of organization webhook endpoints.',
    fields: (t) => ({ totalCount: totalCountField(t) }),
  },
  { name: 'WebhookEdge', description: 'A webhook endpoint and its cursor.' },
);

builder.objectField(Organization, 'webhooks', (t) =>
  t.connection(
    {
      type: Webhook,
      description:
        'The organization’s webhook endpoints, at most 32 (GET /v1/organizations/webhooks, beta `webhooks-2026-10-07`). Endpoints of single workspaces are not listed. Fails alone with NOT_ENABLED until Anthropic turns organization webhooks on for the organization.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        order: t.arg({
          type: WebhookOrder,
          description: 'The order by creation time (default: newest first).',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const order = args.order ?? undefined;
        const connection = await resolveConnection(args, 'webhook', (page) =>
          listWebhooks(ctx.api, { ...page, ...(order ? { order } : {}) }),
        );
        for (const edge of connection.edges) ctx.loaders.webhooks.prime(edge.node.id, edge.node);
        return connection;
      },
    },
    WebhookConnection,
  ),
);

builder.queryField('webhook', (t) =>
  t.field({
    type: Webhook,
    nullable: true,
    description:
      'An organization webhook endpoint by id; null when no such endpoint exists (also while the organization is not enabled for webhooks: the Admin API answers both with 404). Never shows the signing secret.',
    extensions: costExtension({ kind: 'reference', collection: 'webhooks' }),
    args: { id: t.arg.id({ required: true, description: 'The webhook endpoint id.' }) },
    resolve: (_root, args, ctx) =>
      ctx.loaders.webhooks.load(checkIdArgument('webhook', args.id, 'id')),
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(Webhook, 'webhook');
