import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  inputError,
  isNotFound,
  runMutation,
  userErrorsField,
  type InputPaths,
  type MutationOptions,
} from '../lib/user-error.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  regenerateWebhookSigningSecret,
  updateWebhook,
  withoutSecret,
  type Webhook as AdminWebhook,
  type WebhookUpdateBody,
} from '../../upstream/resources/webhooks.js';
import { Webhook, WebhookEventType, WebhookState, rawEventTypes } from '../nodes/webhook.js';
import { isKnown } from '../lib/open-enum.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Mutations of organization webhook endpoints. Each needs `write` and `webhooks:write`. The
 * signing secret comes back once, in the payload of createWebhook and
 * regenerateWebhookSigningSecret: no read returns it, and the gateway keeps no copy.
 */

/** REST body fields as the Admin API names them in 400 messages, with their input paths. */
const BODY: Record<string, string[]> = {
  url: ['input', 'url'],
  enabled_events: ['input', 'enabledEvents'],
  name: ['input', 'name'],
  description: ['input', 'description'],
  state: ['input', 'state'],
};

const ON_ENDPOINT: InputPaths = {
  ids: { webhook: ['input', 'webhookId'] },
  notFound: ['input', 'webhookId'],
  body: BODY,
};

/**
 * runMutation, except that an organization not enabled for webhooks is the field's NOT_ENABLED
 * error, not a userError: nothing in the input can fix it.
 */
async function runWebhookMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
  options: MutationOptions<T> = {},
) {
  let gated: UpstreamError | null = null;
  const outcome = await runMutation(
    paths,
    async () => {
      try {
        return await write();
      } catch (error) {
        if (error instanceof UpstreamError && error.errorType === NOT_ENABLED_ERROR_TYPE) {
          gated = error;
        }
        throw error;
      }
    },
    options,
  );
  if (gated) throw gated;
  return outcome;
}

const UNKNOWN_EVENT =
  '`enabledEvents` cannot contain UNKNOWN: name the event types to deliver.' as const;

builder.relayMutationField(
  'createWebhook',
  {
    description: 'Registers an organization webhook endpoint.',
    inputFields: (t) => ({
      url: t.string({ required: true, description: 'The HTTPS URL to deliver events to.' }),
      enabledEvents: t.field({
        type: [WebhookEventType.ref],
        required: true,
        description: 'The event types to deliver (at least one).',
      }),
      name: t.string({ description: 'A short label for the endpoint.' }),
      description: t.string({ description: 'Notes about the endpoint.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { webhooksWrite: true },
    description:
      'Registers an organization webhook endpoint (POST /v1/organizations/webhooks, beta `webhooks-2026-10-07`); at most 32 per organization. The payload shows the endpoint’s signing secret, once. Fails with NOT_ENABLED until Anthropic turns organization webhooks on for the organization.',
    resolve: async (_root, { input }, ctx) => {
      const events = rawEventTypes(input.enabledEvents);
      if (events === null) return inputError(UNKNOWN_EVENT, ['input', 'enabledEvents']);
      // A create whose answer was lost cannot be settled: its secret is shown by nothing else.
      return runWebhookMutation({ body: BODY }, () =>
        createWebhook(ctx.api, {
          url: input.url,
          enabled_events: events,
          ...(input.name != null ? { name: input.name } : {}),
          ...(input.description != null ? { description: input.description } : {}),
        }),
      );
    },
  },
  {
    description: 'The result of createWebhook.',
    outputFields: (t) => ({
      webhook: t.field({
        type: Webhook,
        nullable: true,
        description: 'The new endpoint; null when none was created.',
        resolve: (payload) => (payload.result ? withoutSecret(payload.result) : null),
      }),
      signingSecret: t.string({
        nullable: true,
        description:
          'The secret deliveries to the endpoint are signed with (whsec_…). Shown once, here: no read returns it and the gateway keeps no copy, so store it now (regenerateWebhookSigningSecret replaces it). Null when nothing was created.',
        resolve: (payload) => payload.result?.signing_secret ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

/** Whether an endpoint as read shows every change of `body`. */
function shows(webhook: AdminWebhook, body: WebhookUpdateBody): boolean {
  const events = body.enabled_events;
  return (
    (body.url === undefined || webhook.url === body.url) &&
    (body.name === undefined || webhook.name === body.name) &&
    (body.description === undefined || webhook.description === body.description) &&
    (body.state === undefined || webhook.state === body.state) &&
    (events === undefined ||
      events.length === 0 ||
      (events.length === webhook.enabled_events.length &&
        events.every((event) => webhook.enabled_events.includes(event))))
  );
}

const settleUpdate =
  (ctx: GatewayContext, webhookId: string, body: WebhookUpdateBody) => async () => {
    const webhook = await getWebhook(ctx.api, webhookId);
    return shows(webhook, body) ? webhook : null;
  };

builder.relayMutationField(
  'updateWebhook',
  {
    description: 'Changes an organization webhook endpoint; only the fields given change.',
    inputFields: (t) => ({
      webhookId: t.id({ required: true, description: 'The endpoint to change.' }),
      url: t.string({ description: 'A new HTTPS URL to deliver events to.' }),
      enabledEvents: t.field({
        type: [WebhookEventType.ref],
        description: 'The event types to deliver, replacing the whole set.',
      }),
      name: t.string({ description: 'A new label.' }),
      description: t.string({ description: 'New notes.' }),
      state: t.field({
        type: WebhookState.ref,
        description: 'DISABLED stops deliveries; ENABLED resumes them and clears `disabledReason`.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { webhooksWrite: true },
    description:
      'Changes an organization webhook endpoint (POST /v1/organizations/webhooks/{id}, beta `webhooks-2026-10-07`).',
    resolve: async (_root, { input }, ctx) => {
      const events = input.enabledEvents ? rawEventTypes(input.enabledEvents) : undefined;
      if (events === null) return inputError(UNKNOWN_EVENT, ['input', 'enabledEvents']);
      if (input.state != null && !isKnown(input.state)) {
        return inputError('`state` cannot be UNKNOWN: pass ENABLED or DISABLED.', [
          'input',
          'state',
        ]);
      }
      const body: WebhookUpdateBody = {
        ...(input.url != null ? { url: input.url } : {}),
        ...(events ? { enabled_events: events } : {}),
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.state != null && isKnown(input.state) ? { state: input.state } : {}),
      };
      return runWebhookMutation(ON_ENDPOINT, () => updateWebhook(ctx.api, input.webhookId, body), {
        settle: settleUpdate(ctx, input.webhookId, body),
      });
    },
  },
  resultPayload(
    'updateWebhook',
    'webhook',
    Webhook,
    'The endpoint as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'deleteWebhook',
  {
    description: 'Deletes an organization webhook endpoint.',
    inputFields: (t) => ({
      webhookId: t.id({ required: true, description: 'The endpoint to delete.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { webhooksWrite: true },
    description:
      'Deletes an organization webhook endpoint (DELETE /v1/organizations/webhooks/{id}, beta `webhooks-2026-10-07`); nothing is delivered to it afterwards.',
    resolve: async (_root, { input }, ctx) =>
      runWebhookMutation(ON_ENDPOINT, () => deleteWebhook(ctx.api, input.webhookId), {
        settle: async () => {
          try {
            await getWebhook(ctx.api, input.webhookId);
            return null;
          } catch (error) {
            if (isNotFound(error)) {
              return { id: input.webhookId, type: 'webhook_endpoint_deleted' as const };
            }
            throw error;
          }
        },
      }),
  },
  {
    description: 'The result of deleteWebhook.',
    outputFields: (t) => ({
      deletedWebhookId: t.id({
        nullable: true,
        description: 'The id of the deleted endpoint; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

builder.relayMutationField(
  'regenerateWebhookSigningSecret',
  {
    description: 'Replaces an organization webhook endpoint’s signing secret.',
    inputFields: (t) => ({
      webhookId: t.id({ required: true, description: 'The endpoint whose secret to replace.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { webhooksWrite: true },
    description:
      'Replaces an organization webhook endpoint’s signing secret (POST /v1/organizations/webhooks/{id}/regenerate_signing_secret, beta `webhooks-2026-10-07`). The old secret stops working at once; the new one is shown once, in the payload.',
    resolve: async (_root, { input }, ctx) => {
      // Like a create, a regeneration whose answer was lost cannot be settled.
      const outcome = await runWebhookMutation(ON_ENDPOINT, () =>
        regenerateWebhookSigningSecret(ctx.api, input.webhookId),
      );
      return { ...outcome, webhookId: input.webhookId };
    },
  },
  {
    description: 'The result of regenerateWebhookSigningSecret.',
    outputFields: (t) => ({
      webhook: t.field({
        type: Webhook,
        nullable: true,
        description:
          'The endpoint (read after the change, one more request when asked for); null when nothing changed.',
        extensions: costExtension({ kind: 'reference', collection: 'webhooks' }),
        resolve: (payload, _args, ctx) =>
          payload.result ? ctx.loaders.webhooks.load(payload.webhookId) : null,
      }),
      signingSecret: t.string({
        nullable: true,
        description:
          'The new signing secret (whsec_…). Shown once, here: no read returns it and the gateway keeps no copy, so store it now. Null when nothing changed.',
        resolve: (payload) => payload.result?.signing_secret ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);
