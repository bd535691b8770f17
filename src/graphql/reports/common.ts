import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { SCOPES } from '../../domain/scopes.js';
import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import { badUserInput } from '../lib/errors.js';
import { builder } from '../builder.js';
import { checkIdArgument } from '../lib/lookup.js';
import { DateTime } from '../lib/scalars.js';
import { Workspace } from '../nodes/workspace.js';

/**
 * The range arguments of the bucketed reports, with the API reference's meaning: "time buckets
 * that start on or after this RFC 3339 timestamp will be returned; each time bucket will be
 * snapped to the start of the minute/hour/day in UTC" and "time buckets that end before this
 * RFC 3339 timestamp will be returned" (a bucket ending exactly there is included, REPORTS.md §1.5).
 */
export const STARTING_AT =
  'Time buckets that start at or after this instant are returned; each bucket is snapped to the start of its UTC minute, hour or day, so the first bucket is the one holding this instant (REST `starting_at`).';

export const ENDING_AT =
  'Time buckets that end at or before this instant are returned (REST `ending_at`, "buckets that end before" in the API reference): a bucket that straddles it is left out. Left out, the buckets run up to now, the one in progress included.';

/** An instant as the Admin API takes it: RFC 3339 in UTC, without milliseconds when they are 0. */
export function formatInstant(value: Date): string {
  return value.toISOString().replace('.000Z', 'Z');
}

const SERVICE_ACCOUNT_ID = /^svac_[A-Za-z0-9]{1,64}$/;

/** Checked ids of a list argument, each of the expected kind. */
export function idList(
  kind: 'user' | 'apiKey' | 'workspace' | 'serviceAccount',
  values: readonly string[] | null | undefined,
  argumentName: string,
): string[] | undefined {
  if (values == null) return undefined;
  return values.map((value) => {
    if (kind !== 'serviceAccount') return checkIdArgument(kind, value, argumentName);
    if (!SERVICE_ACCOUNT_ID.test(value)) {
      throw badUserInput(
        `\`${argumentName}\` must hold service account ids (svac_…); got ${JSON.stringify(value.slice(0, 100))}.`,
        { argumentName },
      );
    }
    return value;
  });
}

/**
 * Refuses, before any upstream request, a report argument that would show API keys (grouping or
 * filtering by them) to a caller without `api_keys:read`: the same FORBIDDEN error, naming the
 * scope, as the fields guarded by scope-auth.
 */
export function requireApiKeysRead(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  argument: string | null,
): void {
  if (argument === null || ctx.caller.scopes.has(SCOPES.apiKeysRead)) return;
  throw new GraphQLError(
    `Not permitted: ${info.parentType.name}.${info.fieldName}(${argument}) needs the scope ${SCOPES.apiKeysRead}.`,
    {
      extensions: {
        code: 'FORBIDDEN',
        http: { status: 403 },
        argumentName: argument.split(':')[0],
      },
    },
  );
}

/** A report row together with the dimensions its report was grouped by. */
export interface Grouped<T> {
  row: T;
  /** REST `group_by` values of the report the row came from. */
  groupedBy: readonly string[];
}

export interface GroupedBucket<T> {
  starting_at: string;
  ending_at: string;
  results: Grouped<T>[];
}

/** Attaches the report's grouping to every row of its buckets. */
export function groupBuckets<T>(
  buckets: readonly { starting_at: string; ending_at: string; results: T[] }[],
  groupedBy: readonly string[],
  keep: (row: T) => boolean = () => true,
): GroupedBucket<T>[] {
  return buckets.map((bucket) => ({
    starting_at: bucket.starting_at,
    ending_at: bucket.ending_at,
    results: bucket.results.filter(keep).map((row) => ({ row, groupedBy })),
  }));
}

type RowWithWorkspace = Grouped<{ workspace_id: string | null }>;

/** `workspaceId`, `workspace` and `isDefaultWorkspace` of a report row. */
export function workspaceRowFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, RowWithWorkspace>,
) {
  return {
    workspaceId: t.id({
      nullable: true,
      description:
        'The workspace’s id; null when the report is not grouped by workspace, or for the Default Workspace (see isDefaultWorkspace).',
      resolve: (grouped) => grouped.row.workspace_id,
    }),
    isDefaultWorkspace: t.boolean({
      nullable: true,
      description:
        'Whether the row belongs to the Default Workspace, which the Admin API reports as workspace id null; null when the report is not grouped by workspace.',
      resolve: (grouped) =>
        grouped.groupedBy.includes('workspace_id') ? grouped.row.workspace_id === null : null,
    }),
    workspace: t.field({
      type: Workspace,
      nullable: true,
      description:
        'The workspace, through the workspace loader; null when not grouped by workspace, for the Default Workspace (its id is not reported), or when it no longer exists.',
      extensions: costExtension({ kind: 'reference', collection: 'workspaces' }),
      resolve: (grouped, _args, ctx: GatewayContext) =>
        grouped.row.workspace_id === null
          ? null
          : ctx.loaders.workspaces.load(grouped.row.workspace_id),
    }),
  };
}

/** `startingAt` and `endingAt` of a report's time bucket. */
export function bucketEdgeFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<
    typeof builder.$inferSchemaTypes,
    { starting_at: string; ending_at: string }
  >,
) {
  return {
    startingAt: t.field({
      type: DateTime,
      description: 'The start of the bucket (inclusive), aligned to the UTC minute, hour or day.',
      resolve: (bucket) => bucket.starting_at,
    }),
    endingAt: t.field({
      type: DateTime,
      description: 'The end of the bucket (exclusive).',
      resolve: (bucket) => bucket.ending_at,
    }),
  };
}
