import type { Query } from '../../transport/params.js';
import type { SandboxStore } from '../../store.js';
import type { Micros } from '../../time.js';
import { usageEvents } from './activity.js';
import type { UsageEvent } from './activity.js';
import { bucketPage, bucketReport, compareNullable, enumValues } from './buckets.js';
import {
  CODE_EXECUTION_MICROCENTS_PER_MINUTE,
  COST_GROUP_BY,
  WEB_SEARCH_MICROCENTS,
} from './catalog.js';
import type { ModelPrices } from './catalog.js';

/**
 * GET /v1/organizations/cost_report (REPORTS.md §2): the same events as the usage report, priced
 * with the catalog's table. Priority Tier usage is billed differently and left out, as upstream.
 * Amounts are summed in millionths of a cent and written with six decimals.
 */

interface CostLine {
  workspace_id: string | null;
  description: string;
  cost_type: 'tokens' | 'web_search' | 'code_execution';
  model: string | null;
  token_type: string | null;
  service_tier: string | null;
  context_window: string | null;
  inference_geo: string | null;
  microcents: number;
}

const TOKEN_LINES: [keyof ModelPrices, string, string, (event: UsageEvent) => number][] = [
  ['cacheRead', 'cache_read_input_tokens', 'Cache Read', (e) => e.cacheReadInputTokens],
  [
    'cacheWrite1h',
    'cache_creation.ephemeral_1h_input_tokens',
    'Cache Write 1h',
    (e) => e.cacheWrite1hTokens,
  ],
  [
    'cacheWrite5m',
    'cache_creation.ephemeral_5m_input_tokens',
    'Cache Write 5m',
    (e) => e.cacheWrite5mTokens,
  ],
  ['input', 'uncached_input_tokens', 'Input Tokens', (e) => e.uncachedInputTokens],
  ['output', 'output_tokens', 'Output Tokens', (e) => e.outputTokens],
];

/** The priced lines of one event. Batch costs half; long context twice the input, 1.5× output. */
function costLines(event: UsageEvent): CostLine[] {
  if (event.serviceTier === 'priority') return [];
  const lines: CostLine[] = [];
  const tierFactor = event.serviceTier === 'batch' ? 0.5 : 1;
  const long = event.contextWindow === '200k-1M';
  for (const [price, tokenType, label, tokensOf] of TOKEN_LINES) {
    const tokens = tokensOf(event);
    if (tokens === 0) continue;
    const contextFactor = long ? (price === 'output' ? 1.5 : 2) : 1;
    lines.push({
      workspace_id: event.workspaceId,
      description: `${event.model.displayName} Usage - ${label}`,
      cost_type: 'tokens',
      model: event.model.id,
      token_type: tokenType,
      service_tier: event.serviceTier,
      context_window: event.contextWindow,
      inference_geo: event.inferenceGeo,
      microcents: Math.round(tokens * event.model.prices[price] * tierFactor * contextFactor),
    });
  }
  const other = (cost_type: CostLine['cost_type'], description: string, microcents: number) =>
    lines.push({
      workspace_id: event.workspaceId,
      description,
      cost_type,
      model: null,
      token_type: null,
      service_tier: null,
      context_window: null,
      inference_geo: null,
      microcents,
    });
  if (event.webSearchRequests > 0) {
    other('web_search', 'Web Search Usage', event.webSearchRequests * WEB_SEARCH_MICROCENTS);
  }
  if (event.codeExecutionMinutes > 0) {
    other(
      'code_execution',
      'Code Execution Usage',
      event.codeExecutionMinutes * CODE_EXECUTION_MICROCENTS_PER_MINUTE,
    );
  }
  return lines;
}

/** Millionths of a cent as a decimal string of cents with six decimals. */
function formatAmount(microcents: bigint): string {
  const whole = microcents / 1_000_000n;
  const fraction = microcents % 1_000_000n;
  return `${whole}.${fraction.toString().padStart(6, '0')}`;
}

const DESCRIPTION_FIELDS = [
  'description',
  'service_tier',
  'context_window',
  'inference_geo',
] as const;

export function costReport(store: SandboxStore, query: Query): unknown {
  const page = bucketPage(store, query, {
    report: 'cost_report',
    widths: ['1d'],
    fallbackWidth: '1d',
  });
  const groupBy = enumValues(query, 'group_by', COST_GROUP_BY) ?? [];
  const byWorkspace = groupBy.includes('workspace_id');
  const byDescription = groupBy.includes('description');
  const first = page.starts[0];
  const events =
    first === undefined
      ? []
      : usageEvents(store, first, (page.starts.at(-1) as Micros) + page.width);

  type Row = { line: CostLine; sortKey: (string | null)[]; total: bigint };
  const byBucket = new Map<Micros, Map<string, Row>>();
  for (const event of events) {
    const start = Math.floor(event.at / page.width) * page.width;
    let rows = byBucket.get(start);
    if (!rows) byBucket.set(start, (rows = new Map()));
    for (const line of costLines(event)) {
      const sortKey: (string | null)[] = [];
      for (const name of groupBy) {
        if (name === 'workspace_id') sortKey.push(line.workspace_id);
        else sortKey.push(...DESCRIPTION_FIELDS.map((field) => line[field]));
      }
      const id = JSON.stringify(sortKey);
      const row = rows.get(id);
      if (row) row.total += BigInt(line.microcents);
      else rows.set(id, { line, sortKey, total: BigInt(line.microcents) });
    }
  }

  return bucketReport(page, (start) => {
    const rows = [...(byBucket.get(start)?.values() ?? [])].filter((row) => row.total > 0n);
    rows.sort((a, b) => {
      for (let i = 0; i < a.sortKey.length; i++) {
        const order = compareNullable(a.sortKey[i] ?? null, b.sortKey[i] ?? null);
        if (order !== 0) return order;
      }
      return 0;
    });
    return rows.map(({ line, total }) => ({
      amount: formatAmount(total),
      context_window: byDescription ? line.context_window : null,
      cost_type: byDescription ? line.cost_type : null,
      currency: 'USD',
      description: byDescription ? line.description : null,
      inference_geo: byDescription ? line.inference_geo : null,
      model: byDescription ? line.model : null,
      service_tier: byDescription ? line.service_tier : null,
      token_type: byDescription ? line.token_type : null,
      workspace_id: byWorkspace ? line.workspace_id : null,
    }));
  });
}
