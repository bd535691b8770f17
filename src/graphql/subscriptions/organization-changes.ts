import { GraphQLError } from 'graphql';
import { InvalidIdError } from '../../domain/ids.js';
import type { ChangeType as ChangeTypeName, LiveEvent } from '../../live/event.js';
import { LIVE_FAMILIES, LIVE_FAMILY_KEYS, type LiveFamilyKey } from '../../live/families.js';
import { LiveUnavailableError } from '../../live/hub.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { DateTime } from '../lib/scalars.js';

/** The resource families, by their enum value (USER, API_KEY, …), read from the registry. */
const FAMILY_OF_NAME = new Map<string, LiveFamilyKey>(
  LIVE_FAMILY_KEYS.map((key) => [LIVE_FAMILIES[key].name, key]),
);

const ResourceKind = builder.enumType('ResourceKind', {
  description: 'A kind of Admin API object whose changes `organizationChanges` reports.',
  values: Object.fromEntries(
    LIVE_FAMILY_KEYS.map((key) => [
      LIVE_FAMILIES[key].name,
      { value: LIVE_FAMILIES[key].name, description: `${LIVE_FAMILIES[key].typename} objects.` },
    ]),
  ),
});

const ChangeType = builder.enumType('ChangeType', {
  description: 'What happened to an object.',
  values: {
    CREATED: { description: 'The object appeared (created, invited, added).' },
    UPDATED: { description: 'Fields of the object changed; `changedFields` names them.' },
    REMOVED: { description: 'The object is gone (deleted, removed); `node` is null.' },
    RESYNC: {
      description:
        'Events were missed that the gateway cannot replay (`lastEventId` is older than its event log): read again what you show, then go on from this event’s `id`.',
    },
  } as const,
});

const OrganizationChange = builder.objectRef<LiveEvent>('OrganizationChange').implement({
  description:
    'A change to an object of the organization, seen by the gateway’s poller (a change made elsewhere: the Console, another admin, the Admin API directly) or made through the gateway itself (published at once).',
  fields: (t) => ({
    id: t.exposeID('id', {
      description:
        'The event’s id, increasing: pass the last one you received as `lastEventId` when you subscribe again, to receive what you missed.',
    }),
    type: t.field({
      type: ChangeType,
      description: 'What happened.',
      resolve: (event) => event.type,
    }),
    kind: t.field({
      type: ResourceKind,
      nullable: true,
      description: 'The kind of the object; null for RESYNC.',
      resolve: (event) => (event.family ? LIVE_FAMILIES[event.family].name : null),
    }),
    nodeId: t.id({
      nullable: true,
      description: 'The id of the object (as `node(id:)` takes it); null for RESYNC.',
      resolve: (event) => event.nodeId,
    }),
    node: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description:
        'The object as it is after the change, from the same data the event was made of (no extra upstream request for its own fields); null for REMOVED and RESYNC.',
      resolve: (event) => event.node as never,
    }),
    changedFields: t.stringList({
      nullable: true,
      description:
        'For UPDATED: the fields that changed, by their names in this schema (empty when the gateway did not know the object before); null otherwise.',
      resolve: (event) => event.changedFields,
    }),
    workspaceId: t.id({
      nullable: true,
      description:
        'The workspace the object belongs to (the workspace itself for a workspace, a workspace spend limit’s or federation rule’s workspace); null for objects of the whole organization.',
      resolve: (event) => event.workspaceId,
    }),
    at: t.field({
      type: DateTime,
      description: 'When the gateway saw the change (not when it was made upstream).',
      resolve: (event) => event.at,
    }),
  }),
});

const OrganizationChangesFilter = builder.inputType('OrganizationChangesFilter', {
  description: 'Which changes to receive; every part given narrows, an empty filter takes all.',
  fields: (t) => ({
    kinds: t.field({
      type: [ResourceKind],
      description: 'Only objects of these kinds (all kinds the caller may read when omitted).',
    }),
    workspaceId: t.id({
      description:
        'Only objects of this workspace (wrkspc_…): the workspace itself, its members, its API keys.',
    }),
    status: t.string({
      description:
        'Only objects with this status, as the Admin API writes it (`pending` invites, `active` or `archived` API keys and workspaces, …); for REMOVED, their last known status.',
    }),
    types: t.field({ type: [ChangeType], description: 'Only these kinds of change.' }),
  }),
});

builder.subscriptionType({
  description:
    'Live changes to the organization, over server-sent events or the graphql-ws WebSocket protocol. Needs the `read` scope; each event also needs the scopes its kind’s queries need.',
  authScopes: { read: true },
});

builder.subscriptionField('organizationChanges', (t) =>
  t.field({
    type: OrganizationChange,
    description:
      'Changes to the objects of the organization as they happen: users, invites, workspaces, workspace members, API keys, and every other kind the Admin API lists (service accounts, federation issuers and rules, webhooks, RBAC groups and roles, spend limits, telemetry destinations, plugins and plugin marketplaces, Claude Tag Slack workspaces and bundles, external keys and storage; see `ResourceKind`). One poller per organization watches what subscribers ask for, within a share of the upstream budget (see `rateLimit.livePoller`), so that listening costs the same for one subscriber as for many; changes made through the gateway arrive at once. Events of a kind the caller may not read (API keys without `api_keys:read`) are never sent.',
    args: {
      filter: t.arg({ type: OrganizationChangesFilter, description: 'Which changes to receive.' }),
      lastEventId: t.arg.string({
        description:
          'The `id` of the last event received before reconnecting: the events after it come first, or one RESYNC event when they are no longer kept.',
      }),
    },
    subscribe: async (_root, args, ctx) => {
      if (!ctx.live) {
        throw new GraphQLError('This gateway serves no subscriptions.', {
          extensions: { code: 'CREDENTIAL_MISSING' },
        });
      }
      const filter = args.filter ?? {};
      try {
        return await ctx.live.subscribe(
          { scopes: ctx.caller.scopes, credential: ctx.api.credential },
          {
            families: filter.kinds?.map((name) => FAMILY_OF_NAME.get(name)!) ?? null,
            workspaceId: filter.workspaceId ?? null,
            status: filter.status ?? null,
            types: (filter.types as ChangeTypeName[] | null | undefined) ?? null,
          },
          args.lastEventId ?? null,
        );
      } catch (error) {
        if (error instanceof InvalidIdError) throw badUserInput(error.message);
        if (error instanceof LiveUnavailableError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        }
        throw error;
      }
    },
    resolve: (event) => event,
  }),
);
