import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import { Workspace } from './workspace.js';
import {
  listTelemetryDestinationWorkspaces,
  listTelemetryDestinations,
  type TelemetryDestination as AdminTelemetryDestination,
  type TelemetryDestinationWorkspace as AdminTelemetryDestinationWorkspace,
} from '../../upstream/resources/telemetry-destinations.js';
import { nodeEntity } from '../lib/entity.js';

/*
 * Telemetry (OpenTelemetry) destinations (beta `telemetry-destinations-2026-08-11`): where the
 * organization's API spans are exported, and which workspaces each covers. Mutations are in
 * src/graphql/mutations/telemetry-destinations.ts.
 */

export const TelemetryDestinationState = openEnum(
  'TelemetryDestinationState',
  'Whether a telemetry destination receives deliveries.',
  {
    enabled: 'Spans of the workspaces it covers are delivered.',
    disabled:
      'Nothing is delivered (see `disabledReason`); spans produced meanwhile are never delivered later.',
  },
);

export const TelemetryDisabledReason = openEnum(
  'TelemetryDisabledReason',
  'Why a telemetry destination is disabled.',
  {
    caller: 'A caller disabled it.',
    sustained_failure: 'The Admin API disabled it: deliveries failed for too long.',
    invalid_address:
      'The Admin API disabled it: its host does not exist or is not publicly routable.',
    redirect: 'The Admin API disabled it: the endpoint answered a delivery with a redirect.',
  },
);

export const TelemetryCoverage = openEnum(
  'TelemetryCoverage',
  'Which of the organization’s workspaces a telemetry destination covers.',
  {
    all: 'Every workspace, the Default Workspace, archived ones and later ones included (no list).',
    include: 'Only the workspaces on its list.',
    exclude: 'Every workspace except those on its list (later ones included).',
  },
);

export const TelemetryContentMode = openEnum(
  'TelemetryContentMode',
  'What the spans exported to a telemetry destination contain.',
  {
    metadata_only:
      'Identifiers, timing, status, token counts and similar metadata; no prompt, completion or tool content.',
    content: 'The metadata plus message and tool content.',
  },
);

type Traces = AdminTelemetryDestination['traces'];
type DeliveryHealth = AdminTelemetryDestination['delivery_health'];

const TelemetryTraces = builder.objectRef<Traces>('TelemetryTraces').implement({
  description: 'A telemetry destination’s settings for the traces it receives.',
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', {
      description: 'Whether the destination receives traces.',
    }),
    contentMode: t.field({
      type: TelemetryContentMode.ref,
      description: 'What the exported spans contain.',
      resolve: (traces) => TelemetryContentMode.fromUpstream(traces.content_mode) as never,
    }),
    contentModeValue: t.exposeString('content_mode', {
      description:
        'The content mode exactly as the Admin API reports it, also when `contentMode` is UNKNOWN.',
    }),
    endpointUrl: t.string({
      nullable: true,
      description:
        'The full URL traces are posted to; null when they go to the destination’s `endpointUrl` with `/v1/traces` appended.',
      resolve: (traces) => traces.endpoint_url,
    }),
    maxContentBytes: t.int({
      nullable: true,
      description:
        'The most bytes of content one span may carry (longer content is shortened); null when only the Admin API’s maximum applies.',
      resolve: (traces) => traces.max_content_bytes,
    }),
  }),
});

const TelemetryDeliveryHealth = builder
  .objectRef<DeliveryHealth>('TelemetryDeliveryHealth')
  .implement({
    description:
      'The most recent delivery results the Admin API records for a destination (they may lag behind).',
    fields: (t) => ({
      lastError: t.string({
        nullable: true,
        description:
          'What went wrong with the most recent failed delivery (`timeout`, `HTTP error (status 503)`, …); null until one fails. A later success does not clear it.',
        resolve: (health) => health.last_error,
      }),
      lastErrorAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When that delivery failed.',
        resolve: (health) => health.last_error_at,
      }),
      lastSuccessAt: t.field({
        type: DateTime,
        nullable: true,
        description: 'When a delivery last succeeded; null until one does.',
        resolve: (health) => health.last_success_at,
      }),
    }),
  });

export const TelemetryDestination =
  builder.objectRef<AdminTelemetryDestination>('TelemetryDestination');

/** The workspace list of a destination: one entry per workspace on it. */
export const TelemetryDestinationWorkspace = builder
  .objectRef<AdminTelemetryDestinationWorkspace>('TelemetryDestinationWorkspace')
  .implement({
    description:
      'A workspace on a telemetry destination’s list: covered by an INCLUDE destination, left out by an EXCLUDE one.',
    fields: (t) => ({
      workspaceId: t.exposeID('workspace_id', { description: 'The workspace id (wrkspc_…).' }),
      workspace: t.field({
        type: Workspace,
        nullable: true,
        description: 'The workspace; null when it no longer exists.',
        extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
        resolve: (entry, _args, ctx) => ctx.loaders.workspaces.load(entry.workspace_id),
      }),
      addedAt: t.field({
        type: DateTime,
        description: 'When the workspace was put on the list.',
        resolve: (entry) => entry.created_at,
      }),
    }),
  });

const DESTINATION_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'destination',
  list: 'telemetry destination list',
};
const WORKSPACE_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'workspace',
  list: 'workspace list',
};

const TelemetryDestinationWorkspaceConnection = builder.connectionObject(
  {
    type: TelemetryDestinationWorkspace,
    name: 'TelemetryDestinationWorkspaceConnection',
    description: 'A page of a destination’s workspace list. Pages forward only (`first`/`after`).',
  },
  {
    name: 'TelemetryDestinationWorkspaceEdge',
    description: 'A workspace on the list and its cursor.',
  },
);

builder.node(TelemetryDestination, {
  description:
    'An OpenTelemetry destination of the organization: an OTLP/HTTP endpoint the Admin API exports API spans to, with the request headers sent along (their values are write-only), what the spans contain, and which workspaces it covers.',
  id: { resolve: (destination) => destination.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'telemetry_destination',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.telemetryDestinations.load(id)),
  fields: (t) => ({
    displayName: t.string({
      nullable: true,
      description: 'A name for people; null when none was set.',
      resolve: (destination) => destination.display_name,
    }),
    endpointUrl: t.exposeString('endpoint_url', {
      description:
        'The base URL of the OTLP/HTTP endpoint, as registered (`/v1/traces` is appended on delivery unless `traces.endpointUrl` is set).',
    }),
    headerNames: t.stringList({
      description:
        'Names of the request headers sent with every delivery. Their values are never returned.',
      resolve: (destination) => [...destination.header_names],
    }),
    state: t.field({
      type: TelemetryDestinationState.ref,
      description: 'Whether the destination receives deliveries.',
      resolve: (destination) =>
        TelemetryDestinationState.fromUpstream(destination.state.type) as never,
    }),
    stateValue: t.string({
      description: 'The state exactly as the Admin API reports it, also when `state` is UNKNOWN.',
      resolve: (destination) => destination.state.type,
    }),
    disabledReason: t.field({
      type: TelemetryDisabledReason.ref,
      nullable: true,
      description: 'Who or what disabled the destination; null while it is enabled.',
      resolve: (destination) =>
        (destination.state.type === 'disabled'
          ? TelemetryDisabledReason.fromUpstream(destination.state.reason.type)
          : null) as never,
    }),
    disabledReasonValue: t.string({
      nullable: true,
      description:
        'The reason exactly as the Admin API reports it, also when `disabledReason` is UNKNOWN.',
      resolve: (destination) =>
        destination.state.type === 'disabled' ? destination.state.reason.type : null,
    }),
    traces: t.field({
      type: TelemetryTraces,
      description: 'Its settings for traces.',
      resolve: (destination) => destination.traces,
    }),
    deliveryHealth: t.field({
      type: TelemetryDeliveryHealth,
      description: 'The most recent delivery results.',
      resolve: (destination) => destination.delivery_health,
    }),
    coverage: t.field({
      type: TelemetryCoverage.ref,
      description:
        'Which workspaces it covers: ALL, or those on its list (INCLUDE), or all but those (EXCLUDE).',
      resolve: (destination) =>
        TelemetryCoverage.fromUpstream(destination.workspaces.type) as never,
    }),
    coverageValue: t.string({
      description:
        'The coverage exactly as the Admin API reports it, also when `coverage` is UNKNOWN.',
      resolve: (destination) => destination.workspaces.type,
    }),
    workspaceList: t.connection(
      {
        type: TelemetryDestinationWorkspace,
        description:
          'The workspaces on its list (GET /v1/organizations/telemetry_destinations/{id}/workspaces): covered when `coverage` is INCLUDE, left out when EXCLUDE; empty for ALL. `first` is 1–1000 (default 20); forward only.',
        extensions: costExtension({ kind: 'connection' }),
        resolve: (destination, args, ctx) =>
          resolveReportConnection(
            args,
            { destinationId: destination.id },
            WORKSPACE_PAGES,
            (query) =>
              listTelemetryDestinationWorkspaces(ctx.api, destination.id, {
                ...(query.limit !== undefined ? { limit: query.limit } : {}),
                ...(query.page !== undefined ? { page: query.page } : {}),
              }),
          ),
      },
      TelemetryDestinationWorkspaceConnection,
    ),
    createdAt: t.field({
      type: DateTime,
      description: 'When the destination was created.',
      resolve: (destination) => destination.created_at,
    }),
    updatedAt: t.field({
      type: DateTime,
      description:
        'When its configuration or state last changed (delivery results and single workspace additions or removals do not count).',
      resolve: (destination) => destination.updated_at,
    }),
  }),
});

export const TelemetryDestinationConnection = builder.connectionObject(
  {
    type: TelemetryDestination,
    name: 'TelemetryDestinationConnection',
    description: 'A page of telemetry destinations. Pages forward only (`first`/`after`).',
  },
  { name: 'TelemetryDestinationEdge', description: 'A telemetry destination and its cursor.' },
);

const NOT_ENABLED_NOTE =
  'Fails alone with NOT_ENABLED until Anthropic turns telemetry destinations (beta `telemetry-destinations-2026-08-11`) on for the organization.';

builder.objectField(Organization, 'telemetryDestinations', (t) =>
  t.connection(
    {
      type: TelemetryDestination,
      description: `The organization’s telemetry destinations, newest first, at most 10 (GET /v1/organizations/telemetry_destinations). \`first\` is 1–1000 (default 20); forward only. ${NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        workspaceIds: t.arg.idList({
          description: 'Only destinations that cover one of these workspaces (wrkspc_…).',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        const workspaceIds = args.workspaceIds?.map((id) =>
          checkIdArgument('workspace', id, 'workspaceIds'),
        );
        const base = workspaceIds ? { workspace_ids: workspaceIds } : {};
        const connection = await resolveReportConnection(args, base, DESTINATION_PAGES, (query) =>
          listTelemetryDestinations(ctx.api, query),
        );
        for (const { node } of connection.edges) {
          ctx.loaders.telemetryDestinations.prime(node.id, node);
        }
        return connection;
      },
    },
    TelemetryDestinationConnection,
  ),
);

builder.objectField(Workspace, 'telemetryDestinations', (t) =>
  t.connection(
    {
      type: TelemetryDestination,
      description: `The telemetry destinations that cover this workspace, newest first (GET /v1/organizations/telemetry_destinations?workspace_ids[]={id}). Forward only. ${NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      resolve: async (workspace, args, ctx) => {
        const connection = await resolveReportConnection(
          args,
          { workspace_ids: [workspace.id] },
          DESTINATION_PAGES,
          (query) => listTelemetryDestinations(ctx.api, query),
        );
        for (const { node } of connection.edges) {
          ctx.loaders.telemetryDestinations.prime(node.id, node);
        }
        return connection;
      },
    },
    TelemetryDestinationConnection,
  ),
);

builder.queryField('telemetryDestination', (t) =>
  t.field({
    type: TelemetryDestination,
    nullable: true,
    description:
      'A telemetry destination by id; null when no such destination exists (also while the organization is not enabled for them: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'telemetry' }),
    args: {
      id: t.arg.id({ required: true, description: 'The telemetry destination id (tdst_…).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.telemetryDestinations.load(
        checkIdArgument('telemetryDestination', args.id, 'id'),
      ),
  }),
);

// A federation entity keyed by its id (src/graphql/lib/entity.ts).
nodeEntity(TelemetryDestination, 'telemetryDestination');
