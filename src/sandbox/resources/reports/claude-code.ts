import { invalidRequest } from '../../transport/errors.js';
import { queryValue } from '../../transport/params.js';
import type { Query } from '../../transport/params.js';
import { Rng } from '../../random.js';
import type { SandboxStore } from '../../store.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MS } from '../../time.js';
import type { Micros } from '../../time.js';
import { HISTORY_DAYS } from './activity.js';
import { decodePageToken, encodePageToken, parseLimit } from './buckets.js';
import { MODEL_BY_ID, hash32 } from './catalog.js';
import { boundPageToken, issuePageToken } from './page-tokens.js';

/**
 * GET /v1/organizations/usage_report/claude_code (REPORTS.md §3): one record per actor, terminal
 * and local/remote for one UTC day, for members who use Claude Code (developers and Claude Code
 * users, signed in) and the keys of the "Claude Code" workspace. Days that are not yet over by an
 * hour, in the future, or before the generated history give no records.
 */

const TERMINALS = ['vscode', 'iTerm.app', 'tmux', 'cursor', 'Terminal.app', 'web'] as const;
const CODE_MODELS = ['claude-opus-4-6', 'claude-sonnet-5'] as const;

interface Actor {
  sortName: string;
  actor:
    { type: 'user_actor'; email_address: string } | { type: 'api_actor'; api_key_name: string };
  seed: string;
}

function actorsOn(store: SandboxStore, dayStart: Micros, dayEnd: Micros): Actor[] {
  const actors: Actor[] = [];
  for (const user of store.users.values()) {
    if (!['developer', 'claude_code_user'].includes(user.role) || user.addedAt >= dayEnd) continue;
    if (hash32(`claude-code:${user.id}`) % 100 >= 45) continue;
    actors.push({
      sortName: user.email,
      actor: { type: 'user_actor', email_address: user.email },
      seed: user.id,
    });
  }
  const claudeCode = [...store.workspaces.values()].find((ws) => ws.name === 'Claude Code');
  for (const key of store.apiKeys.values()) {
    if (!claudeCode || key.workspaceId !== claudeCode.id || key.createdAt >= dayEnd) continue;
    if (key.expiresAt !== null && key.expiresAt <= dayStart) continue;
    if (key.status !== 'active' && key.status !== 'expired') continue;
    actors.push({
      sortName: key.name,
      actor: { type: 'api_actor', api_key_name: key.name },
      seed: key.id,
    });
  }
  return actors;
}

function recordsOf(store: SandboxStore, actor: Actor, dayStart: Micros): unknown[] {
  const day = Math.floor(dayStart / MICROS_PER_DAY);
  const rng = new Rng(hash32(`claude-code:${actor.seed}:${day}`));
  const weekend = [0, 6].includes(new Date(dayStart / MICROS_PER_MS).getUTCDay());
  if (!rng.chance(weekend ? 0.15 : 0.6)) return [];
  const terminals = rng.sample(TERMINALS, rng.chance(0.8) ? 1 : 2);
  return terminals.map((terminal) => {
    const models = rng.sample(CODE_MODELS, rng.int(1, 2));
    const tools: Record<string, { accepted: number; rejected: number }> = {};
    for (const tool of ['edit_tool', 'multi_edit_tool', 'write_tool', 'notebook_edit_tool']) {
      if (tool === 'notebook_edit_tool' && !rng.chance(0.2)) continue;
      tools[tool] = { accepted: rng.int(0, 40), rejected: rng.int(0, 6) };
    }
    return {
      actor: actor.actor,
      core_metrics: {
        commits_by_claude_code: rng.int(0, 8),
        lines_of_code: { added: rng.int(10, 900), removed: rng.int(0, 300) },
        num_sessions: rng.int(1, 12),
        pull_requests_by_claude_code: rng.int(0, 3),
      },
      customer_type: 'api',
      date: `${new Date(dayStart / MICROS_PER_MS).toISOString().slice(0, 10)}T00:00:00Z`,
      is_remote: terminal === 'web',
      model_breakdown: models.map((id) => {
        const tokens = {
          cache_creation: rng.int(0, 5_000),
          cache_read: rng.int(0, 20_000),
          input: rng.int(1_000, 60_000),
          output: rng.int(500, 15_000),
        };
        const prices = MODEL_BY_ID.get(id)!.prices;
        // Hundredths of a dollar per million tokens → whole cents (a number, as upstream).
        const cents = Math.round(
          (tokens.input * prices.input +
            tokens.output * prices.output +
            tokens.cache_read * prices.cacheRead +
            tokens.cache_creation * prices.cacheWrite5m) /
            1_000_000,
        );
        return { estimated_cost: { amount: cents, currency: 'USD' }, model: id, tokens };
      }),
      organization_id: store.organization.id,
      terminal_type: terminal,
      tool_actions: tools,
      subscription_type: null,
    };
  });
}

/** Raw records added to a day's report, per seeded state (a reset forgets them). */
const addedRecords = new WeakMap<object, Map<string, Record<string, unknown>[]>>();

/**
 * Adds a record, exactly as given, to the Claude Code report of `day` (YYYY-MM-DD), sorted in with
 * the generated ones by its actor and terminal. For what the generator does not produce on its
 * own: the token counts of a shared key that pass 2^31 in a day, odd address or date forms.
 * A record without an actor, terminal or date gets the generated records' shape for them.
 */
export function addClaudeCodeRecord(
  store: SandboxStore,
  day: string,
  record: Record<string, unknown>,
): void {
  let days = addedRecords.get(store.organization);
  if (!days) addedRecords.set(store.organization, (days = new Map()));
  const records = days.get(day) ?? [];
  records.push({
    actor: { type: 'api_actor', api_key_name: 'shared-key' },
    core_metrics: {
      commits_by_claude_code: 0,
      lines_of_code: { added: 0, removed: 0 },
      num_sessions: 1,
      pull_requests_by_claude_code: 0,
    },
    customer_type: 'api',
    date: `${day}T00:00:00Z`,
    is_remote: false,
    model_breakdown: [],
    organization_id: store.organization.id,
    terminal_type: 'tmux',
    tool_actions: {},
    subscription_type: null,
    ...record,
  });
  days.set(day, records);
}

function addedRecordsOf(store: SandboxStore, day: string): RecordWithName[] {
  return (addedRecords.get(store.organization)?.get(day) ?? []).map((record) => {
    const actor = record['actor'] as { email_address?: string; api_key_name?: string };
    return {
      sortName: actor.email_address ?? actor.api_key_name ?? '',
      terminal: String(record['terminal_type']),
      remote: record['is_remote'] === true,
      record,
    };
  });
}

function compareRecords(a: RecordWithName, b: RecordWithName): number {
  if (a.sortName !== b.sortName) return a.sortName < b.sortName ? -1 : 1;
  if (a.terminal !== b.terminal) return a.terminal < b.terminal ? -1 : 1;
  return Number(a.remote) - Number(b.remote);
}

interface RecordWithName {
  sortName: string;
  terminal: string;
  remote: boolean;
  record: unknown;
}

export function claudeCodeUsageReport(store: SandboxStore, query: Query): unknown {
  const date = queryValue(query, 'starting_at');
  if (date === undefined || date === '') throw invalidRequest('starting_at: Field required');
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw invalidRequest(`starting_at: '${date}' is not a date in YYYY-MM-DD form`);
  }
  const limit = parseLimit(query, 20, 1000);
  const dayStart = ms * MICROS_PER_MS;
  const dayEnd = dayStart + MICROS_PER_DAY;

  const records: RecordWithName[] = [];
  const reported =
    dayEnd <= store.now() - MICROS_PER_HOUR &&
    dayStart >= store.clock.anchor - HISTORY_DAYS * MICROS_PER_DAY;
  if (reported) {
    for (const actor of actorsOn(store, dayStart, dayEnd)) {
      for (const record of recordsOf(store, actor, dayStart)) {
        const r = record as { terminal_type: string; is_remote: boolean };
        records.push({
          sortName: actor.sortName,
          terminal: r.terminal_type,
          remote: r.is_remote,
          record,
        });
      }
    }
  }
  records.push(...addedRecordsOf(store, date));
  records.sort(compareRecords);

  // The token holds the day and the position after the last record served.
  let offset = 0;
  const page = boundPageToken(store, 'usage_report/claude_code', query);
  if (page !== undefined) {
    const match = /^(\d{4}-\d{2}-\d{2}):(\d+)$/.exec(decodePageToken(page) ?? '');
    offset = match && match[1] === date ? Number(match[2]) : -1;
    if (offset <= 0 || offset >= records.length) {
      throw invalidRequest('page: the page token does not belong to this query');
    }
  }
  const end = Math.min(records.length, offset + limit);
  const hasMore = end < records.length;
  return {
    data: records.slice(offset, end).map((entry) => entry.record),
    has_more: hasMore,
    next_page: issuePageToken(
      store,
      'usage_report/claude_code',
      query,
      hasMore ? encodePageToken(`${date}:${end}`) : null,
    ),
  };
}
