import { FIXTURE_IDS } from '../../seed.js';
import { Rng } from '../../random.js';
import type { SandboxStore, WorkspaceRecord } from '../../store.js';
import { MICROS_PER_DAY, MICROS_PER_MINUTE } from '../../time.js';
import type { Micros } from '../../time.js';
import { MODELS, hash32 } from './catalog.js';
import type { ModelInfo } from './catalog.js';

/*
 * Deterministic Messages API activity of the demo organization, derived from the store: API keys
 * make requests while they exist and work (created, not expired, workspace not archived), some
 * members make requests through OAuth (Default Workspace, no key). Each (source, UTC day) has its
 * own generator seeded by the source's id and the day, so the same store and clock give the same
 * events, and a day's events do not depend on which report or page asked for them. Every report
 * (usage, cost) is an aggregation of these events, so they agree with each other.
 */

/** Activity is generated for this long before the seed anchor, up to now. */
export const HISTORY_DAYS = 120;

export interface UsageEvent {
  at: Micros;
  apiKeyId: string | null;
  accountId: string | null;
  serviceAccountId: string | null;
  /** null = the Default Workspace, as reports show it. */
  workspaceId: string | null;
  model: ModelInfo;
  serviceTier: 'standard' | 'batch' | 'priority';
  contextWindow: '0-200k' | '200k-1M';
  inferenceGeo: 'global' | 'us' | 'not_available';
  speed: 'standard' | 'fast';
  uncachedInputTokens: number;
  cacheReadInputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  webSearchRequests: number;
  /** Not in the usage report; priced in the cost report. */
  codeExecutionMinutes: number;
}

type Level = 'low' | 'high';

interface Source {
  seed: string;
  level: Level;
  apiKeyId: string | null;
  accountId: string | null;
  serviceAccountId: string | null;
  workspace: WorkspaceRecord;
  from: Micros;
  until: Micros;
  preferredModel: ModelInfo;
}

/** Fixed activity levels of the fixture keys, so that they always show up. */
const FIXED_LEVELS: Record<string, Level> = {
  [FIXTURE_IDS.activeApiKey]: 'high',
  [FIXTURE_IDS.expiredApiKey]: 'low',
  [FIXTURE_IDS.archivedApiKey]: 'low',
  [FIXTURE_IDS.developerUser]: 'low',
};

function levelOf(id: string, idlePercent: number): Level | null {
  const fixed = FIXED_LEVELS[id];
  if (fixed) return fixed;
  const bucket = hash32(`level:${id}`) % 100;
  if (bucket < idlePercent) return null;
  return bucket < 88 ? 'low' : 'high';
}

const preferredModel = (id: string) => MODELS[hash32(`model:${id}`) % MODELS.length] as ModelInfo;

/** Everyone who makes requests, with the span in which they can. */
export function usageSources(store: SandboxStore): Source[] {
  const sources: Source[] = [];
  const anchor = store.clock.anchor;
  const defaultWorkspace = store.workspaces.get(store.defaultWorkspaceId);
  if (!defaultWorkspace) return sources;
  for (const key of store.apiKeys.values()) {
    const level = levelOf(key.id, 50);
    if (!level) continue;
    const workspace = store.workspaces.get(key.workspaceId ?? store.defaultWorkspaceId);
    if (!workspace) continue;
    let until = Math.min(key.expiresAt ?? Infinity, workspace.archivedAt ?? Infinity);
    if (until === Infinity && (key.status === 'archived' || key.status === 'inactive')) {
      // Switched off at a time nobody recorded: somewhere between creation and the anchor.
      until = key.createdAt + Math.floor(((anchor - key.createdAt) * (hash32(key.id) % 97)) / 97);
    }
    sources.push({
      seed: key.id,
      level,
      apiKeyId: key.id,
      accountId: null,
      serviceAccountId: key.principal?.type === 'service_account' ? key.principal.id : null,
      workspace,
      from: key.createdAt,
      until,
      preferredModel: preferredModel(key.id),
    });
  }
  for (const user of store.users.values()) {
    if (!['developer', 'claude_code_user'].includes(user.role)) continue;
    const level = levelOf(user.id, 85);
    if (!level) continue;
    sources.push({
      seed: user.id,
      level,
      apiKeyId: null,
      accountId: user.id,
      serviceAccountId: null,
      workspace: defaultWorkspace,
      from: user.addedAt,
      until: Infinity,
      preferredModel: preferredModel(user.id),
    });
  }
  return sources;
}

function inferenceGeoFor(rng: Rng, model: ModelInfo, workspace: WorkspaceRecord) {
  if (!model.takesInferenceGeo) return 'not_available' as const;
  const residency = workspace.dataResidency;
  const allowed =
    residency.allowedInferenceGeos === 'unrestricted'
      ? ['global', 'us']
      : residency.allowedInferenceGeos;
  const geo = rng.chance(0.85) ? residency.defaultInferenceGeo : rng.pick(allowed);
  return geo === 'us' ? ('us' as const) : ('global' as const);
}

/** The events of one source on the UTC day starting at `dayStart`, in time order. */
function eventsOfDay(source: Source, dayStart: Micros): UsageEvent[] {
  const day = Math.floor(dayStart / MICROS_PER_DAY);
  const rng = new Rng(hash32(`${source.seed}:${day}`));
  const weekend = [0, 6].includes(new Date(dayStart / 1000).getUTCDay());
  const high = source.level === 'high';
  const probability = high ? (weekend ? 0.5 : 0.92) : weekend ? 0.08 : 0.3;
  if (!rng.chance(probability)) return [];
  const count = high ? rng.int(1, 4) : 1;
  const scale = high ? 1 : 0.1;
  const n = (min: number, max: number) => Math.round(rng.int(min, max) * scale);
  const events: UsageEvent[] = [];
  for (let i = 0; i < count; i++) {
    const model = rng.chance(0.75) ? source.preferredModel : rng.pick(MODELS);
    const serviceTier = rng.weighted([
      ['standard', 80],
      ['batch', 14],
      ['priority', 6],
    ] as const);
    const longContext = model.longContext && rng.chance(0.08);
    events.push({
      at: dayStart + rng.int(0, 1439) * MICROS_PER_MINUTE + rng.int(0, 59_999_999),
      apiKeyId: source.apiKeyId,
      accountId: source.accountId,
      serviceAccountId: source.serviceAccountId,
      workspaceId: source.workspace.isDefault ? null : source.workspace.id,
      model,
      serviceTier,
      contextWindow: longContext ? '200k-1M' : '0-200k',
      inferenceGeo: inferenceGeoFor(rng, model, source.workspace),
      speed:
        model.longContext && serviceTier === 'standard' && rng.chance(0.06) ? 'fast' : 'standard',
      uncachedInputTokens: n(50_000, 2_000_000),
      cacheReadInputTokens: rng.chance(0.7) ? n(100_000, 10_000_000) : 0,
      cacheWrite5mTokens: rng.chance(0.5) ? n(1_000, 60_000) : 0,
      cacheWrite1hTokens: rng.chance(0.3) ? n(1_000, 120_000) : 0,
      outputTokens: n(5_000, 400_000),
      webSearchRequests: rng.chance(0.3) ? rng.int(1, high ? 40 : 5) : 0,
      codeExecutionMinutes: rng.chance(0.1) ? rng.int(1, 120) : 0,
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

/** Events added by hand, per seeded state (a reset forgets them). */
const addedEvents = new WeakMap<object, UsageEvent[]>();

/**
 * Adds one event to the organization's activity, so that the usage and cost reports count it:
 * for what the generator does not produce on its own, such as counts whose sum passes 2^53.
 * Unset fields are those of a Console request (no key, no account) in the Default Workspace.
 */
export function addUsageEvent(
  store: SandboxStore,
  event: Partial<UsageEvent> & { at: Micros },
): UsageEvent {
  const added: UsageEvent = {
    apiKeyId: null,
    accountId: null,
    serviceAccountId: null,
    workspaceId: null,
    model: MODELS[0] as ModelInfo,
    serviceTier: 'standard',
    contextWindow: '0-200k',
    inferenceGeo: 'global',
    speed: 'standard',
    uncachedInputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    webSearchRequests: 0,
    codeExecutionMinutes: 0,
    ...event,
  };
  const events = addedEvents.get(store.organization) ?? [];
  events.push(added);
  addedEvents.set(store.organization, events);
  return added;
}

/** Every event in [from, to) that happened before now, in time order. */
export function usageEvents(store: SandboxStore, from: Micros, to: Micros): UsageEvent[] {
  const now = store.now();
  const start = Math.max(from, store.clock.anchor - HISTORY_DAYS * MICROS_PER_DAY);
  const end = Math.min(to, now);
  if (start >= end) return [];
  const events: UsageEvent[] = [];
  const sources = usageSources(store);
  for (
    let dayStart = Math.floor(start / MICROS_PER_DAY) * MICROS_PER_DAY;
    dayStart < end;
    dayStart += MICROS_PER_DAY
  ) {
    for (const source of sources) {
      if (source.from >= dayStart + MICROS_PER_DAY || source.until <= dayStart) continue;
      for (const event of eventsOfDay(source, dayStart)) {
        if (
          event.at >= start &&
          event.at < end &&
          event.at >= source.from &&
          event.at < source.until
        ) {
          events.push(event);
        }
      }
    }
  }
  for (const event of addedEvents.get(store.organization) ?? []) {
    if (event.at >= start && event.at < end) events.push(event);
  }
  return events.sort((a, b) => a.at - b.at);
}
