import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import {
  inputError,
  runMutation,
  userErrorsField,
  type InputPaths,
  type UserErrorShape,
} from '../lib/user-error.js';
import { isKnown } from '../lib/open-enum.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  addTelemetryDestinationWorkspace,
  createTelemetryDestination,
  deleteTelemetryDestination,
  removeTelemetryDestinationWorkspace,
  testTelemetryDestination,
  updateTelemetryDestination,
  type TelemetryDestinationCreateBody,
  type TelemetryDestinationTestResponse,
  type TelemetryDestinationUpdateBody,
} from '../../upstream/resources/telemetry-destinations.js';
import {
  TelemetryContentMode,
  TelemetryCoverage,
  TelemetryDestination,
  TelemetryDestinationState,
} from '../nodes/telemetry-destination.js';
import { Workspace } from '../nodes/workspace.js';
import { resultPayload } from '../lib/payload.js';

/*
 * Mutations of telemetry destinations and their workspace lists. Each needs `write` and
 * `telemetry:write`. Header values are write-only: they go upstream, are registered with the
 * scrubber, and no read returns them.
 */

/** REST body fields as the Admin API names them in 400 messages, with their input paths. */
const BODY: Record<string, string[]> = {
  endpoint_url: ['input', 'endpointUrl'],
  display_name: ['input', 'displayName'],
  headers: ['input', 'headers'],
  workspace_ids: ['input', 'workspaceIds'],
  workspaces: ['input', 'coverage'],
  traces: ['input', 'traces'],
  state: ['input', 'state'],
};

const ON_DESTINATION: InputPaths = {
  ids: { telemetryDestination: ['input', 'destinationId'], workspace: ['input', 'workspaceIds'] },
  notFound: ['input', 'destinationId'],
  body: BODY,
};

const ON_LIST_ENTRY: InputPaths = {
  ids: { telemetryDestination: ['input', 'destinationId'], workspace: ['input', 'workspaceId'] },
  // A 404 names the destination or the workspace (missing, or not on the list).
  notFound: (message) =>
    /telemetry destination/i.test(message) ? ['input', 'destinationId'] : ['input', 'workspaceId'],
};

/** runMutation, except that an organization not enabled for the beta is NOT_ENABLED. */
async function runTelemetryMutation<T>(paths: InputPaths, write: () => Promise<T>) {
  let gated: UpstreamError | null = null;
  const outcome = await runMutation(paths, async () => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UpstreamError && error.errorType === NOT_ENABLED_ERROR_TYPE) {
        gated = error;
      }
      throw error;
    }
  });
  if (gated) throw gated;
  return outcome;
}

const TracesInput = builder.inputType('TelemetryTracesInput', {
  description:
    'Settings for the traces a destination receives; a field left out takes its default on create and keeps its value on update.',
  fields: (t) => ({
    enabled: t.boolean({ description: 'Whether the destination receives traces (default true).' }),
    contentMode: t.field({
      type: TelemetryContentMode.ref,
      description: 'What the spans contain (default METADATA_ONLY).',
    }),
    endpointUrl: t.string({
      description:
        'The full URL of the collector’s traces endpoint, when it is not `endpointUrl` + `/v1/traces`; same scheme, host and port as `endpointUrl`.',
    }),
    maxContentBytes: t.int({
      description: 'The most bytes of content one span may carry (from 1 to the API’s maximum).',
    }),
  }),
});

const HeaderInput = builder.inputType('TelemetryHeaderInput', {
  description:
    'A request header sent with every delivery, such as a collector’s API key. Its value is write-only.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The header name.' }),
    value: t.string({
      description: 'The header value; on update, null removes the header. Never returned.',
    }),
  }),
});

type TracesArg = typeof TracesInput.$inferInput;
type HeaderArg = typeof HeaderInput.$inferInput;
type CoverageArg = Parameters<typeof TelemetryCoverage.fromUpstream>[0];

/** The REST traces object of an input; an UNKNOWN content mode is an input error (null). */
function tracesBody(traces: TracesArg) {
  if (traces.contentMode != null && !isKnown(traces.contentMode)) return null;
  return {
    ...(traces.enabled != null ? { enabled: traces.enabled } : {}),
    ...(traces.contentMode != null && isKnown(traces.contentMode)
      ? { content_mode: traces.contentMode }
      : {}),
    ...(traces.endpointUrl != null ? { endpoint_url: traces.endpointUrl } : {}),
    ...(traces.maxContentBytes != null ? { max_content_bytes: traces.maxContentBytes } : {}),
  };
}

/** The REST coverage object, or a user error. */
function coverageBody(
  coverage: CoverageArg | '__unknown__',
  workspaceIds: readonly string[] | null | undefined,
): TelemetryDestinationCreateBody['workspaces'] | UserErrorShape {
  if (coverage === 'all') {
    if (workspaceIds && workspaceIds.length > 0) {
      return {
        message: '`workspaceIds` goes with INCLUDE or EXCLUDE; ALL covers every workspace.',
        code: 'INVALID_INPUT',
        field: ['input', 'workspaceIds'],
      };
    }
    return { type: 'all' };
  }
  if (coverage === 'include' || coverage === 'exclude') {
    return { type: coverage, ...(workspaceIds ? { workspace_ids: [...workspaceIds] } : {}) };
  }
  return {
    message: '`coverage` cannot be UNKNOWN: pass ALL, INCLUDE or EXCLUDE.',
    code: 'INVALID_INPUT',
    field: ['input', 'coverage'],
  };
}

const isUserError = (value: object): value is UserErrorShape => 'code' in value;

builder.relayMutationField(
  'createTelemetryDestination',
  {
    description: 'Registers an OpenTelemetry destination for the organization.',
    inputFields: (t) => ({
      endpointUrl: t.string({
        required: true,
        description: 'The base URL of the OTLP/HTTP endpoint (HTTPS).',
      }),
      coverage: t.field({
        type: TelemetryCoverage.ref,
        required: true,
        description: 'Which workspaces it covers: ALL, INCLUDE or EXCLUDE (with `workspaceIds`).',
      }),
      workspaceIds: t.idList({
        description: 'The list for INCLUDE or EXCLUDE (wrkspc_…, at most 100 here).',
      }),
      displayName: t.string({ description: 'A name for people.' }),
      headers: t.field({
        type: [HeaderInput],
        description: 'Request headers sent with every delivery (values are write-only).',
      }),
      traces: t.field({ type: TracesInput, description: 'Settings for traces.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description:
      'Registers a telemetry destination (POST /v1/organizations/telemetry_destinations); it starts enabled, at most 10 per organization. Fails with NOT_ENABLED until Anthropic turns the beta on for the organization.',
    resolve: async (_root, { input }, ctx) => {
      const workspaces = coverageBody(input.coverage, input.workspaceIds);
      if (isUserError(workspaces)) return { result: null, userErrors: [workspaces] };
      const traces = input.traces ? tracesBody(input.traces) : undefined;
      if (traces === null) {
        return inputError('`contentMode` cannot be UNKNOWN.', ['input', 'traces', 'contentMode']);
      }
      const headers: Record<string, string> = {};
      for (const header of input.headers ?? []) {
        if (header.value == null) {
          return inputError(`Header \`${header.name}\` needs a value.`, ['input', 'headers']);
        }
        headers[header.name] = header.value;
      }
      const body: TelemetryDestinationCreateBody = {
        endpoint_url: input.endpointUrl,
        workspaces,
        ...(input.displayName != null ? { display_name: input.displayName } : {}),
        ...(input.headers ? { headers } : {}),
        ...(traces ? { traces } : {}),
      };
      return runTelemetryMutation({ ...ON_DESTINATION, notFound: ['input', 'workspaceIds'] }, () =>
        createTelemetryDestination(ctx.api, body),
      );
    },
  },
  resultPayload(
    'createTelemetryDestination',
    'telemetryDestination',
    TelemetryDestination,
    'The new destination; null when none was created.',
  ),
);

/** Header inputs of an update as the REST map: a null value removes the header. */
function headersBody(headers: readonly HeaderArg[] | null | undefined) {
  if (!headers) return undefined;
  const map: Record<string, string | null> = {};
  for (const header of headers) map[header.name] = header.value ?? null;
  return map;
}

builder.relayMutationField(
  'updateTelemetryDestination',
  {
    description:
      'Changes a telemetry destination; only the fields given change (a new endpoint host or port drops its headers).',
    inputFields: (t) => ({
      destinationId: t.id({ required: true, description: 'The destination (tdst_…).' }),
      endpointUrl: t.string({ description: 'A new base URL of the OTLP/HTTP endpoint.' }),
      displayName: t.string({ description: 'A new name for people.' }),
      state: t.field({
        type: TelemetryDestinationState.ref,
        description:
          'DISABLED stops deliveries; ENABLED resumes them (also after the Admin API disabled it).',
      }),
      coverage: t.field({
        type: TelemetryCoverage.ref,
        description: 'New coverage; with INCLUDE or EXCLUDE, `workspaceIds` replaces the list.',
      }),
      workspaceIds: t.idList({ description: 'The new list for INCLUDE or EXCLUDE.' }),
      headers: t.field({
        type: [HeaderInput],
        description: 'Headers to set (a null value removes one); others stay.',
      }),
      traces: t.field({ type: TracesInput, description: 'Settings for traces to change.' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description:
      'Changes a telemetry destination (POST /v1/organizations/telemetry_destinations/{id}). A concurrent change is a CONFLICT userError: read it again and retry.',
    resolve: async (_root, { input }, ctx) => {
      let workspaces: TelemetryDestinationUpdateBody['workspaces'];
      if (input.coverage != null) {
        const coverage = coverageBody(input.coverage, input.workspaceIds);
        if (isUserError(coverage)) return { result: null, userErrors: [coverage] };
        workspaces = coverage;
      } else if (input.workspaceIds != null) {
        return inputError('`workspaceIds` needs `coverage` (INCLUDE or EXCLUDE).', [
          'input',
          'workspaceIds',
        ]);
      }
      if (input.state != null && !isKnown(input.state)) {
        return inputError('`state` cannot be UNKNOWN: pass ENABLED or DISABLED.', [
          'input',
          'state',
        ]);
      }
      const traces = input.traces ? tracesBody(input.traces) : undefined;
      if (traces === null) {
        return inputError('`contentMode` cannot be UNKNOWN.', ['input', 'traces', 'contentMode']);
      }
      const headers = headersBody(input.headers);
      const body: TelemetryDestinationUpdateBody = {
        ...(input.endpointUrl != null ? { endpoint_url: input.endpointUrl } : {}),
        ...(input.displayName != null ? { display_name: input.displayName } : {}),
        ...(input.state != null && isKnown(input.state) ? { state: { type: input.state } } : {}),
        ...(workspaces ? { workspaces } : {}),
        ...(headers ? { headers } : {}),
        ...(traces ? { traces } : {}),
      };
      if (Object.keys(body).length === 0) {
        return inputError('Give at least one field to change.', ['input']);
      }
      return runTelemetryMutation(ON_DESTINATION, () =>
        updateTelemetryDestination(ctx.api, input.destinationId, body),
      );
    },
  },
  resultPayload(
    'updateTelemetryDestination',
    'telemetryDestination',
    TelemetryDestination,
    'The destination as changed; null when the change failed.',
  ),
);

builder.relayMutationField(
  'deleteTelemetryDestination',
  {
    description: 'Deletes a telemetry destination and its workspace list.',
    inputFields: (t) => ({
      destinationId: t.id({ required: true, description: 'The destination (tdst_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description:
      'Deletes a telemetry destination (DELETE /v1/organizations/telemetry_destinations/{id}); spans are no longer sent to it. It cannot be restored.',
    resolve: async (_root, { input }, ctx) =>
      runTelemetryMutation(ON_DESTINATION, () =>
        deleteTelemetryDestination(ctx.api, input.destinationId),
      ),
  },
  {
    description: 'The result of deleteTelemetryDestination.',
    outputFields: (t) => ({
      deletedTelemetryDestinationId: t.id({
        nullable: true,
        description: 'The id of the deleted destination; null when nothing was deleted.',
        resolve: (payload) => payload.result?.id ?? null,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

/** Seconds to wait between tests of one destination (the Admin API's rule). */
const TEST_INTERVAL_SECONDS = 10;

interface TestPayload {
  result: TelemetryDestinationTestResponse | null;
  retryAfterSeconds: number | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'testTelemetryDestination',
  {
    description: 'Sends one test span to a telemetry destination.',
    inputFields: (t) => ({
      destinationId: t.id({ required: true, description: 'The destination (tdst_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description: `Sends one test span, \`anthropic.test\`, to the destination with its headers, once, and reports its answer (POST /v1/organizations/telemetry_destinations/{id}/test). A real delivery: it is never retried. Nothing about the destination changes; disabled ones can be tested too. Wait ${TEST_INTERVAL_SECONDS} s between tests of one destination: a test sooner is a CONFLICT userError with \`retryAfterSeconds\`.`,
    resolve: async (_root, { input }, ctx): Promise<TestPayload> => {
      let throttled: UpstreamError | null = null;
      const outcome = await runTelemetryMutation(ON_DESTINATION, async () => {
        try {
          return await testTelemetryDestination(ctx.api, input.destinationId);
        } catch (error) {
          if (error instanceof UpstreamError && error.kind === 'http' && error.status === 429) {
            throttled = error;
            return null;
          }
          throw error;
        }
      });
      if (throttled) {
        const seconds = (throttled as UpstreamError).retryAfterSeconds ?? TEST_INTERVAL_SECONDS;
        return {
          result: null,
          retryAfterSeconds: seconds,
          userErrors: [
            {
              message: `This destination was tested less than ${TEST_INTERVAL_SECONDS} s ago; test it again in ${seconds} s.`,
              code: 'CONFLICT',
              field: ['input', 'destinationId'],
            },
          ],
        };
      }
      return { ...outcome, retryAfterSeconds: null };
    },
  },
  {
    description: 'The result of testTelemetryDestination.',
    outputFields: (t) => ({
      delivered: t.boolean({
        nullable: true,
        description:
          'Whether the destination answered the test span with a 2xx status; null when no test was sent.',
        resolve: (payload) => (payload.result ? payload.result.result.type === 'success' : null),
      }),
      error: t.string({
        nullable: true,
        description:
          'Why the span was not delivered (`HTTP error (status 403)`, `timeout`, `TLS failure`, …); null when it was, or when no test was sent.',
        resolve: (payload) =>
          payload.result?.result.type === 'failure' ? payload.result.result.error : null,
      }),
      retryAfterSeconds: t.int({
        nullable: true,
        description:
          'When the test was refused as too soon after the last one: the seconds to wait before testing again.',
        resolve: (payload) => payload.retryAfterSeconds,
      }),
      userErrors: userErrorsField(t),
    }),
  },
);

interface ListEntryPayload {
  destinationId: string;
  workspaceId: string;
  done: boolean;
  userErrors: UserErrorShape[];
}

function listEntryFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, ListEntryPayload>,
  verb: string,
) {
  return {
    telemetryDestination: t.field({
      type: TelemetryDestination,
      nullable: true,
      description: `The destination after the workspace was ${verb} (read again, one request when asked for); null when nothing changed.`,
      extensions: costExtension({ kind: 'reference', collection: 'telemetry' }),
      resolve: (payload, _args, ctx) =>
        payload.done ? ctx.loaders.telemetryDestinations.load(payload.destinationId) : null,
    }),
    workspace: t.field({
      type: Workspace,
      nullable: true,
      description: 'The workspace; null when nothing changed.',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: (payload, _args, ctx) =>
        payload.done ? ctx.loaders.workspaces.load(payload.workspaceId) : null,
    }),
    userErrors: userErrorsField(t),
  };
}

builder.relayMutationField(
  'addTelemetryDestinationWorkspace',
  {
    description: 'Puts one workspace on a telemetry destination’s list.',
    inputFields: (t) => ({
      destinationId: t.id({ required: true, description: 'The destination (tdst_…).' }),
      workspaceId: t.id({ required: true, description: 'The workspace to add (wrkspc_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description:
      'Puts a workspace on a destination’s list (POST /v1/organizations/telemetry_destinations/{id}/workspaces/{workspace_id}): an INCLUDE destination then covers it, an EXCLUDE one leaves it out. An ALL destination has no list.',
    resolve: async (_root, { input }, ctx): Promise<ListEntryPayload> => {
      const outcome = await runTelemetryMutation(ON_LIST_ENTRY, () =>
        addTelemetryDestinationWorkspace(ctx.api, input.destinationId, input.workspaceId),
      );
      return {
        destinationId: input.destinationId,
        workspaceId: input.workspaceId,
        done: outcome.result !== null,
        userErrors: outcome.userErrors,
      };
    },
  },
  {
    description: 'The result of addTelemetryDestinationWorkspace.',
    outputFields: (t) => listEntryFields(t, 'added'),
  },
);

builder.relayMutationField(
  'removeTelemetryDestinationWorkspace',
  {
    description: 'Takes one workspace off a telemetry destination’s list.',
    inputFields: (t) => ({
      destinationId: t.id({ required: true, description: 'The destination (tdst_…).' }),
      workspaceId: t.id({ required: true, description: 'The workspace to remove (wrkspc_…).' }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { telemetryWrite: true },
    description:
      'Takes a workspace off a destination’s list (DELETE /v1/organizations/telemetry_destinations/{id}/workspaces/{workspace_id}).',
    resolve: async (_root, { input }, ctx): Promise<ListEntryPayload> => {
      const outcome = await runTelemetryMutation(ON_LIST_ENTRY, () =>
        removeTelemetryDestinationWorkspace(ctx.api, input.destinationId, input.workspaceId),
      );
      return {
        destinationId: input.destinationId,
        workspaceId: input.workspaceId,
        done: outcome.result !== null,
        userErrors: outcome.userErrors,
      };
    },
  },
  {
    description: 'The result of removeTelemetryDestinationWorkspace.',
    outputFields: (t) => listEntryFields(t, 'removed'),
  },
);
