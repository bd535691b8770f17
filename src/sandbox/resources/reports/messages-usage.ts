import { queryValues } from '../../transport/params.js';
import type { Query } from '../../transport/params.js';
import type { SandboxStore } from '../../store.js';
import type { Micros } from '../../time.js';
import { usageEvents } from './activity.js';
import type { UsageEvent } from './activity.js';
import { bucketPage, bucketReport, compareNullable, enumValues } from './buckets.js';
import {
  BUCKET_WIDTHS,
  CONTEXT_WINDOWS,
  REPORT_INFERENCE_GEOS,
  SERVICE_TIERS,
  SPEEDS,
  USAGE_GROUP_BY,
} from './catalog.js';
import type { UsageDimension } from './catalog.js';

/** GET /v1/organizations/usage_report/messages (REPORTS.md §1). */

/** A dimension's value on an event, as the report shows it. */
function dimension(event: UsageEvent, name: UsageDimension): string | null {
  switch (name) {
    case 'account_id':
      return event.accountId;
    case 'api_key_id':
      return event.apiKeyId;
    case 'context_window':
      return event.contextWindow;
    case 'inference_geo':
      return event.inferenceGeo;
    case 'model':
      return event.model.id;
    case 'service_account_id':
      return event.serviceAccountId;
    case 'service_tier':
      return event.serviceTier;
    case 'speed':
      return event.speed;
    case 'workspace_id':
      return event.workspaceId;
  }
}

interface Totals {
  uncached: number;
  cacheRead: number;
  cache5m: number;
  cache1h: number;
  output: number;
  webSearch: number;
}

function isZero(t: Totals): boolean {
  return Object.values(t).every((value) => value === 0);
}

/** The filter of the query as a predicate over events. */
function usageFilter(store: SandboxStore, query: Query): (event: UsageEvent) => boolean {
  const lists: [UsageDimension, string[] | undefined][] = [
    ['account_id', queryValues(query, 'account_ids')],
    ['api_key_id', queryValues(query, 'api_key_ids')],
    ['context_window', enumValues(query, 'context_window', CONTEXT_WINDOWS)],
    ['inference_geo', enumValues(query, 'inference_geos', REPORT_INFERENCE_GEOS)],
    ['model', queryValues(query, 'models')],
    ['service_account_id', queryValues(query, 'service_account_ids')],
    ['service_tier', enumValues(query, 'service_tiers', SERVICE_TIERS)],
    ['speed', enumValues(query, 'speeds', SPEEDS)],
  ];
  // The Default Workspace's own id selects its usage, which the report shows as null.
  const workspaces = queryValues(query, 'workspace_ids');
  const active = lists.filter((entry): entry is [UsageDimension, string[]] => !!entry[1]);
  return (event) =>
    active.every(([name, values]) => {
      const value = dimension(event, name);
      return value !== null && values.includes(value);
    }) &&
    (workspaces === undefined ||
      workspaces.includes(event.workspaceId ?? store.defaultWorkspaceId));
}

export function messagesUsageReport(store: SandboxStore, query: Query): unknown {
  const page = bucketPage(store, query, {
    report: 'usage_report/messages',
    widths: BUCKET_WIDTHS,
    fallbackWidth: '1d',
  });
  const groupBy = enumValues(query, 'group_by', USAGE_GROUP_BY) ?? [];
  const keep = usageFilter(store, query);
  const first = page.starts[0];
  const events =
    first === undefined
      ? []
      : usageEvents(store, first, (page.starts.at(-1) as Micros) + page.width).filter(keep);

  const byBucket = new Map<Micros, Map<string, { key: (string | null)[]; totals: Totals }>>();
  for (const event of events) {
    const start = Math.floor(event.at / page.width) * page.width;
    let rows = byBucket.get(start);
    if (!rows) byBucket.set(start, (rows = new Map()));
    const key = groupBy.map((name) => dimension(event, name));
    const id = JSON.stringify(key);
    let row = rows.get(id);
    if (!row) {
      row = {
        key,
        totals: { uncached: 0, cacheRead: 0, cache5m: 0, cache1h: 0, output: 0, webSearch: 0 },
      };
      rows.set(id, row);
    }
    const t = row.totals;
    t.uncached += event.uncachedInputTokens;
    t.cacheRead += event.cacheReadInputTokens;
    t.cache5m += event.cacheWrite5mTokens;
    t.cache1h += event.cacheWrite1hTokens;
    t.output += event.outputTokens;
    t.webSearch += event.webSearchRequests;
  }

  return bucketReport(page, (start) => {
    const rows = [...(byBucket.get(start)?.values() ?? [])].filter((row) => !isZero(row.totals));
    rows.sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const order = compareNullable(a.key[i] ?? null, b.key[i] ?? null);
        if (order !== 0) return order;
      }
      return 0;
    });
    return rows.map(({ key, totals }) => {
      const value = (name: UsageDimension) => {
        const index = groupBy.indexOf(name);
        return index < 0 ? null : (key[index] ?? null);
      };
      return {
        account_id: value('account_id'),
        api_key_id: value('api_key_id'),
        cache_creation: {
          ephemeral_1h_input_tokens: totals.cache1h,
          ephemeral_5m_input_tokens: totals.cache5m,
        },
        cache_read_input_tokens: totals.cacheRead,
        context_window: value('context_window'),
        inference_geo: value('inference_geo'),
        model: value('model'),
        output_tokens: totals.output,
        server_tool_use: { web_search_requests: totals.webSearch },
        service_account_id: value('service_account_id'),
        service_tier: value('service_tier'),
        uncached_input_tokens: totals.uncached,
        workspace_id: value('workspace_id'),
        // Not in the reference; shown only when grouped by speed (REPORTS.md §1.3 suggestion).
        ...(groupBy.includes('speed') ? { speed: value('speed') } : {}),
      };
    });
  });
}
