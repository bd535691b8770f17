import { invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst, paginate, parsePageRequest } from '../transport/pagination.js';
import {
  enumField,
  fieldValue,
  listOf,
  objectBody,
  queryValue,
  stringField,
  type JsonObject,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp, type Micros } from '../time.js';

/*
 * Organization webhook endpoints (beta `webhooks-2026-10-07`). Stateful: creates, updates and
 * deletes change what lists and gets return. As strict as the real API can plausibly be: unknown
 * ids 404, bad fields 400 naming the field, at most 32 endpoints, unknown list cursors refused.
 * The signing secret is in the answers of create and regenerate only. A switch turns the beta off
 * for the organization (setWebhooksEnabled): every route then answers 404, as the real API does
 * for an organization Anthropic has not turned webhooks on for. The state lives here, per store,
 * seeded on first use and again after every reset of the store.
 */

export const WEBHOOK_EVENT_TYPES = [
  'external_key.failed',
  'external_key.recovered',
  'external_storage.failed',
  'external_storage.recovered',
  'user_profile.enforcement_action_opened',
  'user_profile.enforcement_action_resolved',
  'user_profile.program_status_updated',
] as const;
type EventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const STATES = ['enabled', 'disabled'] as const;
type State = (typeof STATES)[number];

export const MAX_WEBHOOKS = 32;
const SEED = 0x5eb400c5;
const NAME_MAX = 255;
const DESCRIPTION_MAX = 1024;
const URL_MAX = 2048;

interface WebhookRecord {
  id: string;
  name: string;
  description: string;
  url: string;
  enabledEvents: EventType[];
  state: State;
  disabledReason: string;
  signingSecret: string;
  createdAt: Micros;
  updatedAt: Micros;
}

interface WebhookState {
  /** The organization record the state was seeded for: a reset of the store replaces it. */
  seededFor: object;
  enabled: boolean;
  rng: Rng;
  webhooks: Map<string, WebhookRecord>;
}

const states = new WeakMap<SandboxStore, WebhookState>();

function seed(store: SandboxStore): WebhookState {
  const rng = new Rng(SEED);
  const webhooks = new Map<string, WebhookRecord>();
  const anchor = store.clock.anchor;
  const add = (
    daysAgo: number,
    fields: Pick<WebhookRecord, 'name' | 'description' | 'url' | 'enabledEvents'> &
      Partial<Pick<WebhookRecord, 'state' | 'disabledReason'>>,
  ) => {
    const at = anchor - daysAgo * MICROS_PER_DAY;
    const record: WebhookRecord = {
      id: rng.id('whep_'),
      state: 'enabled',
      disabledReason: '',
      ...fields,
      signingSecret: `whsec_${rng.token(32)}`,
      createdAt: at,
      updatedAt: at,
    };
    webhooks.set(record.id, record);
  };
  add(60, {
    name: 'Trust & safety',
    description: 'Enforcement actions on user profiles, to the moderation queue.',
    url: 'https://hooks.northwind.example/anthropic/enforcement',
    enabledEvents: [
      'user_profile.enforcement_action_opened',
      'user_profile.enforcement_action_resolved',
    ],
  });
  add(30, {
    name: 'Storage on-call',
    description: '',
    url: 'https://oncall.northwind.example/webhooks/anthropic',
    enabledEvents: ['external_storage.failed', 'external_storage.recovered'],
  });
  add(7, {
    name: 'Key health (staging)',
    description: 'Staging receiver; deliveries failed and Anthropic disabled it.',
    url: 'https://staging.northwind.example/anthropic-webhooks',
    enabledEvents: ['external_key.failed', 'external_key.recovered'],
    state: 'disabled',
    disabledReason: 'Deliveries failed repeatedly for 3 days.',
  });
  return { seededFor: store.organization, enabled: true, rng, webhooks };
}

function stateOf(store: SandboxStore): WebhookState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/**
 * Test and demo switch: whether Anthropic has turned organization webhooks on for the emulated
 * organization (on by default and after a reset). Off, every webhooks route answers 404.
 */
export function setWebhooksEnabled(store: SandboxStore, enabled: boolean): void {
  stateOf(store).enabled = enabled;
}

/** The state of an enabled organization; a 404 as if the API did not exist otherwise. */
function enabledState(store: SandboxStore, method: string, path: string): WebhookState {
  const state = stateOf(store);
  if (!state.enabled) throw notFound(`No route for ${method} ${path}.`);
  return state;
}

function render(webhook: WebhookRecord): unknown {
  return {
    id: webhook.id,
    created_at: formatTimestamp(webhook.createdAt),
    description: webhook.description,
    disabled_reason: webhook.disabledReason,
    enabled_events: [...webhook.enabledEvents],
    name: webhook.name,
    state: webhook.state,
    updated_at: formatTimestamp(webhook.updatedAt),
    url: webhook.url,
  };
}

function requireWebhook(state: WebhookState, id: string | undefined): WebhookRecord {
  const webhook = id === undefined ? undefined : state.webhooks.get(id);
  if (!webhook)
    throw notFound('No webhook endpoint with the given ID exists in this organization.');
  return webhook;
}

function urlField(body: JsonObject, required: boolean): string | undefined {
  const url = stringField(body, 'url', { required, maxLength: URL_MAX });
  if (url === undefined || url === null) return undefined;
  let parsed: URL | null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.protocol !== 'https:') throw invalidRequest('url: must be an HTTPS URL');
  return url;
}

function eventsField(body: JsonObject, required: boolean): EventType[] | undefined {
  const value = fieldValue(body, 'enabled_events', { required });
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidRequest('enabled_events: Input should be a valid list');
  for (const item of value) {
    if (typeof item !== 'string' || !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(item)) {
      throw invalidRequest(`enabled_events: Input should be ${listOf(WEBHOOK_EVENT_TYPES)}`);
    }
  }
  return [...new Set(value as EventType[])];
}

const optionalText = (body: JsonObject, field: string, maxLength: number) =>
  stringField(body, field, { maxLength }) ?? undefined;

const byCreated = newestFirst<WebhookRecord>(
  (w) => w.createdAt,
  (w) => w.id,
);
const byCreatedAscending = (a: WebhookRecord, b: WebhookRecord) => byCreated(b, a);

const ROOT = '/v1/organizations/webhooks';

export const webhookRoutes: Route[] = [
  route('POST', ROOT, ({ store, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const input = objectBody(body, ['url', 'enabled_events', 'name', 'description']);
    const url = urlField(input, true) as string;
    const events = eventsField(input, true) as EventType[];
    if (events.length === 0) throw invalidRequest('enabled_events: must list at least one event');
    const name = optionalText(input, 'name', NAME_MAX) ?? '';
    const description = optionalText(input, 'description', DESCRIPTION_MAX) ?? '';
    if (state.webhooks.size >= MAX_WEBHOOKS) {
      throw invalidRequest(
        `An organization can have at most ${MAX_WEBHOOKS} webhook endpoints; delete one first.`,
      );
    }
    const at = store.tick();
    const webhook: WebhookRecord = {
      id: state.rng.id('whep_'),
      name,
      description,
      url,
      enabledEvents: events,
      state: 'enabled',
      disabledReason: '',
      signingSecret: `whsec_${state.rng.token(32)}`,
      createdAt: at,
      updatedAt: at,
    };
    state.webhooks.set(webhook.id, webhook);
    return { ...(render(webhook) as object), signing_secret: webhook.signingSecret };
  }),

  route('GET', ROOT, ({ store, query }) => {
    const state = enabledState(store, 'GET', ROOT);
    const page = parsePageRequest(query);
    const order = queryValue(query, 'order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') {
      throw invalidRequest(`order: Input should be 'asc' or 'desc'`);
    }
    const compare = order === 'asc' ? byCreatedAscending : byCreated;
    return paginate(page, {
      items: [...state.webhooks.values()],
      compare,
      idOf: (w) => w.id,
      findCursor: (id) => state.webhooks.get(id),
      render,
    });
  }),

  route('GET', `${ROOT}/:webhook_endpoint_id`, ({ store, params }) => {
    const state = enabledState(store, 'GET', ROOT);
    return render(requireWebhook(state, params['webhook_endpoint_id']));
  }),

  route('POST', `${ROOT}/:webhook_endpoint_id`, ({ store, params, body }) => {
    const state = enabledState(store, 'POST', ROOT);
    const webhook = requireWebhook(state, params['webhook_endpoint_id']);
    const input = objectBody(body, ['url', 'enabled_events', 'name', 'description', 'state']);
    const url = urlField(input, false);
    const events = eventsField(input, false);
    const name = optionalText(input, 'name', NAME_MAX);
    const description = optionalText(input, 'description', DESCRIPTION_MAX);
    const wanted = enumField(input, 'state', STATES) ?? undefined;
    if (url !== undefined) webhook.url = url;
    // An empty list leaves the events as they are.
    if (events !== undefined && events.length > 0) webhook.enabledEvents = events;
    if (name !== undefined) webhook.name = name;
    if (description !== undefined) webhook.description = description;
    if (wanted !== undefined) {
      webhook.state = wanted;
      // Enabling clears Anthropic's reason; an admin's disabling gives none.
      webhook.disabledReason = '';
    }
    webhook.updatedAt = store.tick();
    return render(webhook);
  }),

  route('DELETE', `${ROOT}/:webhook_endpoint_id`, ({ store, params }) => {
    const state = enabledState(store, 'DELETE', ROOT);
    const webhook = requireWebhook(state, params['webhook_endpoint_id']);
    state.webhooks.delete(webhook.id);
    return { id: webhook.id, type: 'webhook_endpoint_deleted' };
  }),

  route(
    'POST',
    `${ROOT}/:webhook_endpoint_id/regenerate_signing_secret`,
    ({ store, params, body }) => {
      const state = enabledState(store, 'POST', ROOT);
      const webhook = requireWebhook(state, params['webhook_endpoint_id']);
      objectBody(body, []);
      webhook.signingSecret = `whsec_${state.rng.token(32)}`;
      webhook.updatedAt = store.tick();
      return { signing_secret: webhook.signingSecret };
    },
  ),
];

/** For tests: the signing secret the emulator holds for an endpoint (what deliveries use). */
export function webhookSigningSecret(store: SandboxStore, id: string): string | undefined {
  return stateOf(store).webhooks.get(id)?.signingSecret;
}
