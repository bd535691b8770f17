import type {
  BetaDeletedTelemetryDestination,
  BetaTelemetryDestination,
  BetaTelemetryDestinationTestResponse,
  TelemetryDestinationCreateParams,
  TelemetryDestinationUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/telemetry-destinations/telemetry-destinations';
import type {
  BetaDeletedTelemetryDestinationWorkspace,
  BetaTelemetryDestinationWorkspace,
} from '@anthropic-ai/sdk/resources/beta/organization/telemetry-destinations/workspaces';
import { checkId } from '../../domain/ids.js';
import type { AdminApi } from '../admin-api.js';
import { plainPage } from './token-pages.js';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../errors.js';
import { readKey } from '../read-cache.js';
import { registerSecret } from '../scrub.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * Telemetry (OpenTelemetry) destinations and their workspace lists (beta
 * `telemetry-destinations-2026-08-11`, which the SDK sends itself; enabled per organization).
 * The list and create name no destination, so they carry the operation `gate`: a 404 there is
 * NOT_ENABLED on their field alone. Lists are token-paged (`limit`, `page` → `next_page`); what
 * is cached is the plain page. `test` sends a real span to the destination: a write that changes
 * nothing the gateway caches, never retried, and refused with 429 within 10 s of the last test.
 * Header values are write-only: the Admin API returns only their names.
 */

export type TelemetryDestination = BetaTelemetryDestination;
export type TelemetryDestinationWorkspace = BetaTelemetryDestinationWorkspace;
export type TelemetryDestinationCreateBody = Omit<TelemetryDestinationCreateParams, 'betas'>;
export type TelemetryDestinationUpdateBody = Omit<TelemetryDestinationUpdateParams, 'betas'>;
export type TelemetryDestinationTestResponse = BetaTelemetryDestinationTestResponse;

/** The beta the family is gated behind (named in NOT_ENABLED errors). */
export const TELEMETRY_BETA = 'telemetry-destinations-2026-08-11';

/** One page of a token-paged list, as plain data (never the SDK's page object). */
export interface TelemetryPage<T> {
  data: T[];
  next_page: string | null;
}

export interface TelemetryPageQuery {
  limit?: number;
  page?: string;
}

export interface TelemetryDestinationListQuery extends TelemetryPageQuery {
  workspace_ids?: string[];
}

const COLLECTION = 'telemetry' as const;
const entity = (id: string) => `entity:${id}`;

const gated = (name: string, method: 'GET' | 'POST'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
  gate: TELEMETRY_BETA,
});
const onDestination = (name: string, method: 'GET' | 'POST' | 'DELETE'): UpstreamOperation => ({
  name,
  method,
  write: method !== 'GET',
});

export function listTelemetryDestinations(
  api: AdminApi,
  query: TelemetryDestinationListQuery,
): Promise<TelemetryPage<TelemetryDestination>> {
  for (const id of query.workspace_ids ?? []) checkId('workspace', id);
  return notEnabledOn404(
    api.read<TelemetryPage<TelemetryDestination>>(
      COLLECTION,
      readKey('telemetryDestinations.list', query),
      gated('telemetry_destinations.list', 'GET'),
      plainPage((org, opts) => org.telemetryDestinations.list(query, opts)),
    ),
  );
}

/**
 * The list names no object, so its 404 always means "not enabled". AdminApi.read keeps a 404 as
 * a cached "not found" (and hands that back as a plain 404, also on the first read), so the
 * gate's NOT_ENABLED is restored here.
 */
async function notEnabledOn404<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (
      error instanceof UpstreamError &&
      error.status === 404 &&
      error.errorType !== NOT_ENABLED_ERROR_TYPE
    ) {
      throw new UpstreamError({
        kind: 'http',
        status: 404,
        errorType: NOT_ENABLED_ERROR_TYPE,
        message: `The organization is not enabled for ${TELEMETRY_BETA} (the Admin API answered 404: ${error.message})`,
        upstreamRequestId: error.upstreamRequestId,
      });
    }
    throw error;
  }
}

export function getTelemetryDestination(
  api: AdminApi,
  destinationId: string,
): Promise<TelemetryDestination> {
  checkId('telemetryDestination', destinationId);
  return api.read<TelemetryDestination>(
    COLLECTION,
    entity(destinationId),
    onDestination('telemetry_destinations.get', 'GET'),
    (org, opts) => org.telemetryDestinations.retrieve(destinationId, {}, opts),
  );
}

export function createTelemetryDestination(
  api: AdminApi,
  body: TelemetryDestinationCreateBody,
): Promise<TelemetryDestination> {
  for (const id of workspaceIdsOf(body.workspaces)) checkId('workspace', id);
  registerHeaderValues(body.headers);
  return api.write<TelemetryDestination>(
    gated('telemetry_destinations.create', 'POST'),
    (org, opts) => org.telemetryDestinations.create(body, opts),
    [COLLECTION],
    (destination) => [COLLECTION, destination.id],
  );
}

export function updateTelemetryDestination(
  api: AdminApi,
  destinationId: string,
  body: TelemetryDestinationUpdateBody,
): Promise<TelemetryDestination> {
  checkId('telemetryDestination', destinationId);
  for (const id of workspaceIdsOf(body.workspaces)) checkId('workspace', id);
  registerHeaderValues(body.headers);
  return api.write<TelemetryDestination>(
    onDestination('telemetry_destinations.update', 'POST'),
    (org, opts) => org.telemetryDestinations.update(destinationId, body, opts),
    [COLLECTION],
    (destination) => [COLLECTION, destination.id],
  );
}

export function deleteTelemetryDestination(
  api: AdminApi,
  destinationId: string,
): Promise<BetaDeletedTelemetryDestination> {
  checkId('telemetryDestination', destinationId);
  return api.write<BetaDeletedTelemetryDestination>(
    onDestination('telemetry_destinations.delete', 'DELETE'),
    (org, opts) => org.telemetryDestinations.delete(destinationId, {}, opts),
    [COLLECTION],
  );
}

/** Sends one test span; changes nothing the gateway reads, so it invalidates nothing. */
export function testTelemetryDestination(
  api: AdminApi,
  destinationId: string,
): Promise<TelemetryDestinationTestResponse> {
  checkId('telemetryDestination', destinationId);
  return api.write<TelemetryDestinationTestResponse>(
    // Its 429 (10 s between tests) is the endpoint's own limit, not the organization's.
    { ...onDestination('telemetry_destinations.test', 'POST'), ownRateLimit: true },
    (org, opts) => org.telemetryDestinations.test(destinationId, {}, opts),
    [],
  );
}

export function listTelemetryDestinationWorkspaces(
  api: AdminApi,
  destinationId: string,
  query: TelemetryPageQuery,
): Promise<TelemetryPage<TelemetryDestinationWorkspace>> {
  checkId('telemetryDestination', destinationId);
  return api.read<TelemetryPage<TelemetryDestinationWorkspace>>(
    COLLECTION,
    readKey('telemetryDestinations.workspaces.list', { destinationId, ...query }),
    onDestination('telemetry_destination_workspaces.list', 'GET'),
    plainPage((org, opts) => org.telemetryDestinations.workspaces.list(destinationId, query, opts)),
  );
}

export function addTelemetryDestinationWorkspace(
  api: AdminApi,
  destinationId: string,
  workspaceId: string,
): Promise<TelemetryDestinationWorkspace> {
  checkId('telemetryDestination', destinationId);
  checkId('workspace', workspaceId);
  return api.write<TelemetryDestinationWorkspace>(
    onDestination('telemetry_destination_workspaces.add', 'POST'),
    (org, opts) =>
      org.telemetryDestinations.workspaces.add(
        workspaceId,
        { destination_id: destinationId },
        opts,
      ),
    [COLLECTION],
  );
}

export function removeTelemetryDestinationWorkspace(
  api: AdminApi,
  destinationId: string,
  workspaceId: string,
): Promise<BetaDeletedTelemetryDestinationWorkspace> {
  checkId('telemetryDestination', destinationId);
  checkId('workspace', workspaceId);
  return api.write<BetaDeletedTelemetryDestinationWorkspace>(
    onDestination('telemetry_destination_workspaces.remove', 'DELETE'),
    (org, opts) =>
      org.telemetryDestinations.workspaces.remove(
        workspaceId,
        { destination_id: destinationId },
        opts,
      ),
    [COLLECTION],
  );
}

/** The workspace ids a coverage parameter names (none for `all`). */
function workspaceIdsOf(
  workspaces: TelemetryDestinationCreateBody['workspaces'] | undefined,
): readonly string[] {
  if (!workspaces || workspaces.type === 'all') return [];
  return workspaces.workspace_ids ?? [];
}

/** Header values are credentials of the collector: the scrubber removes them from every text. */
function registerHeaderValues(headers: Record<string, string | null> | null | undefined): void {
  for (const value of Object.values(headers ?? {})) if (value) registerSecret(value);
}
