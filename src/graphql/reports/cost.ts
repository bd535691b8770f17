import type { GatewayContext } from '../context.js';
import { costExtension } from '../cost/estimate.js';
import type { AdminCostResult, AdminWorkspace, CostReportQuery } from '../../upstream/types.js';
import { builder } from '../builder.js';
import { enumFieldPair } from '../lib/open-enum.js';
import type { ConnectionArgs } from '../lib/connection.js';
import { Organization } from '../nodes/organization.js';
import { DateTime } from '../lib/scalars.js';
import { Workspace } from '../nodes/workspace.js';
import {
  bucketEdgeFields,
  ENDING_AT,
  STARTING_AT,
  formatInstant,
  groupBuckets,
  workspaceRowFields,
  type Grouped,
  type GroupedBucket,
} from './common.js';
import {
  ContextWindow,
  CostReportGroupBy,
  CostTokenType,
  CostType,
  knownValues,
  ReportInferenceGeo,
  ServiceTier,
} from './enums.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { addDecimals, Money, type MoneyShape } from './scalars.js';

type CostRow = Grouped<AdminCostResult>;

/**
 * Page sizes of the cost report. The Admin API documents neither; the gateway keeps to the usage
 * report's daily values (REPORTS.md §2.3).
 */
export const COST_PAGE_SIZES: ReportPageSizes = { defaultSize: 7, maxSize: 31, unit: 'day' };

const CostRowType = builder.objectRef<CostRow>('CostRow').implement({
  description:
    'One cost line within a day. Fields of dimensions the report is not grouped by are null; description-derived fields are null for costs that are not token costs.',
  fields: (t) => ({
    amount: t.field({
      type: Money,
      description: 'The cost, exact (see Money).',
      resolve: ({ row }): MoneyShape => ({ minorUnits: row.amount, currency: row.currency }),
    }),
    ...workspaceRowFields(t),
    description: t.string({
      nullable: true,
      description:
        'A human-readable cost line such as "Claude Opus 4.6 Usage - Input Tokens"; null when not grouped by DESCRIPTION. Not meant to be parsed.',
      resolve: ({ row }) => row.description,
    }),
    ...enumFieldPair(t, 'costType', CostType, ({ row }) => row.cost_type, {
      value: 'The kind of cost; null when not grouped by DESCRIPTION.',
      raw: 'The cost type exactly as the Admin API reports it.',
    }),
    model: t.string({
      nullable: true,
      description: 'The model of a token cost; null otherwise.',
      resolve: ({ row }) => row.model,
    }),
    ...enumFieldPair(t, 'tokenType', CostTokenType, ({ row }) => row.token_type, {
      value: 'The kind of tokens of a token cost; null otherwise.',
      raw: 'The token type exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'serviceTier', ServiceTier, ({ row }) => row.service_tier, {
      value:
        'The service tier of a token cost (STANDARD or BATCH; Priority Tier costs are not in this report); null otherwise.',
      raw: 'The service tier exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'contextWindow', ContextWindow, ({ row }) => row.context_window, {
      value: 'The context-window tier of a token cost; null otherwise.',
      raw: 'The context window exactly as the Admin API reports it.',
    }),
    ...enumFieldPair(t, 'inferenceGeo', ReportInferenceGeo, ({ row }) => row.inference_geo, {
      value: 'Where inference ran, for token costs when grouped by DESCRIPTION; null otherwise.',
      raw: 'The inference geo exactly as the Admin API reports it.',
    }),
  }),
});

/** Exact totals of rows, one per currency. */
function totals(rows: readonly CostRow[]): MoneyShape[] {
  const byCurrency = new Map<string, string[]>();
  for (const { row } of rows) {
    const existing = byCurrency.get(row.currency);
    if (existing) existing.push(row.amount);
    else byCurrency.set(row.currency, [row.amount]);
  }
  return [...byCurrency].map(([currency, amounts]) => ({
    currency,
    minorUnits: addDecimals(amounts),
  }));
}

const CostBucket = builder.objectRef<GroupedBucket<AdminCostResult>>('CostBucket').implement({
  description: 'One day of the cost report. Days without cost are included, with no rows.',
  fields: (t) => ({
    ...bucketEdgeFields(t),
    results: t.field({
      type: [CostRowType],
      description: 'The cost lines of the day; a single total line when nothing is grouped.',
      resolve: (bucket) => bucket.results,
    }),
    totals: t.field({
      type: [Money],
      description:
        'The exact sum of the day’s rows, one entry per currency (currently only USD); empty when the day has no cost.',
      resolve: (bucket) => totals(bucket.results),
    }),
  }),
});

export const CostReportConnection = builder.connectionObject(
  {
    type: CostBucket,
    name: 'CostReportConnection',
    description: 'A page of cost report days, oldest first. Pages forward only (`first`/`after`).',
  },
  { name: 'CostReportEdge', description: 'A day of the cost report and its cursor.' },
);

interface CostArgs extends ConnectionArgs {
  startingAt: Date;
  endingAt?: Date | null;
  groupBy?: readonly string[] | null;
}

function costQuery(args: CostArgs, groupBy: string[] | undefined): CostReportQuery {
  return {
    starting_at: formatInstant(args.startingAt),
    ...(args.endingAt != null ? { ending_at: formatInstant(args.endingAt) } : {}),
    ...(groupBy !== undefined ? { group_by: groupBy } : {}),
  };
}

function resolveCost(
  query: CostReportQuery,
  args: CostArgs,
  ctx: GatewayContext,
  keep?: (row: AdminCostResult) => boolean,
) {
  return resolveReportConnection(args, query, COST_PAGE_SIZES, async (page) => {
    const report = await ctx.api.costReport(page);
    return { ...report, data: groupBuckets(report.data, query.group_by ?? [], keep) };
  });
}

const PAGE_NOTE =
  'Daily buckets; `first` counts days (1–31, default 7). Forward only: `last` and `before` are refused.';

builder.objectField(Organization, 'costReport', (t) =>
  t.connection(
    {
      type: CostBucket,
      description: `Cost in USD per day, optionally grouped by workspace and cost line (GET /v1/organizations/cost_report). Priority Tier costs are not included. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        startingAt: t.arg({
          type: DateTime,
          required: true,
          description: STARTING_AT,
        }),
        endingAt: t.arg({
          type: DateTime,
          description: ENDING_AT,
        }),
        groupBy: t.arg({
          type: [CostReportGroupBy],
          description:
            'Group by any subset of the dimensions (REST `group_by[]`): each day gets one row per combination of their values; none gives one total row per day.',
        }),
      },
      resolve: (_organization, args, ctx) =>
        resolveCost(costQuery(args, knownValues(args.groupBy, 'groupBy')), args, ctx),
    },
    CostReportConnection,
  ),
);

builder.objectField(Workspace, 'cost', (t) =>
  t.connection(
    {
      type: CostBucket,
      description: `This workspace’s cost per day: the cost report grouped by workspace, keeping this workspace’s rows. The Admin API reports the Default Workspace’s costs without its id, so for the Default Workspace use Organization.costReport(groupBy: [WORKSPACE_ID]) and its rows with isDefaultWorkspace. ${PAGE_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        startingAt: t.arg({
          type: DateTime,
          required: true,
          description: STARTING_AT,
        }),
        endingAt: t.arg({
          type: DateTime,
          description: ENDING_AT,
        }),
        byDescription: t.arg.boolean({
          defaultValue: false,
          description: 'Split each day into cost lines (group by description as well).',
        }),
      },
      resolve: (workspace: AdminWorkspace, args, ctx) =>
        resolveCost(
          costQuery(args, args.byDescription ? ['workspace_id', 'description'] : ['workspace_id']),
          args,
          ctx,
          (row) => row.workspace_id === workspace.id,
        ),
    },
    CostReportConnection,
  ),
);
