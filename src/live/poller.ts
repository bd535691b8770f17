import { AdminApi } from '../upstream/admin-api.js';
import { BudgetExhaustedError, type UpstreamBudget } from '../upstream/budget.js';
import type { UpstreamCredential } from '../upstream/credentials.js';
import type { ReadCache } from '../upstream/read-cache.js';
import type { Upstream } from '../upstream/upstream.js';
import type { LiveEventData } from './event.js';
import { LIVE_FAMILY_KEYS, liveFamily, type LiveFamilyKey } from './families.js';
import { Snapshots } from './snapshot.js';

/** One list the poller walks: a family's list, or one workspace's members. */
interface WatchedList {
  key: string;
  family: LiveFamilyKey;
  workspaceId: string | null;
}

export interface PollOutcome {
  /** `done`: walked; `idle`: nobody watches anything; `postponed`: the budget is short. */
  status: 'done' | 'idle' | 'postponed';
  events: LiveEventData[];
  /** Upstream requests the poll was estimated to need. */
  cost: number;
  /** When the next poll may start, from now. */
  nextInMs: number;
  /** Whether the poll walked a list for the first time (a new baseline). */
  listsChanged?: boolean;
}

export interface PollerSettings {
  /** The shortest time between two polls. */
  minIntervalMs: number;
  /** The share of the budget interactive traffic leaves that polls may spend (0–1). */
  budgetShare: number;
}

const MINUTE_MS = 60_000;
/** How long a list that failed is left alone before the poller asks for it again. */
const FAILED_LIST_RETRY_MS = 5 * MINUTE_MS;

/**
 * An Upstream whose reads always go upstream and write what they fetched through to the shared
 * cache (queries then get the fresher data), and whose every request first checks that the
 * organization's bucket keeps `reserve()` tokens after it: the poller never waits for budget and
 * never takes what interactive callers are about to need.
 */
function pollingUpstream(
  upstream: Upstream,
  budget: UpstreamBudget,
  credential: UpstreamCredential,
  reserve: () => number,
): Upstream {
  const cache = upstream.cache;
  const refreshing =
    cache && cache.enabled
      ? ({
          enabled: true,
          read: async <T>(
            readCredential: UpstreamCredential,
            collection: Parameters<ReadCache['read']>[1],
            key: string,
            fetch: () => Promise<T>,
            _observe: unknown,
            related?: (value: T) => [string, unknown][],
          ): Promise<T> => {
            const value = await fetch();
            const entries: [string, unknown][] = [[key, value], ...(related?.(value) ?? [])];
            await Promise.all(
              entries.map(([entryKey, entry]) =>
                cache.store(readCredential, collection, entryKey, entry),
              ),
            );
            return value;
          },
          invalidate: (collections: Parameters<ReadCache['invalidate']>[0]) =>
            cache.invalidate(collections),
          store: (...args: Parameters<ReadCache['store']>) => cache.store(...args),
        } as unknown as ReadCache)
      : undefined;
  const view = Object.create(upstream) as Upstream;
  Object.defineProperty(view, 'cache', { value: refreshing });
  Object.defineProperty(view, 'call', {
    value: async (...args: Parameters<Upstream['call']>) => {
      if (budget.enabled) {
        const status = await budget.status(credential.fingerprint);
        const remaining = status?.pausedUntil ? 0 : (status?.remaining ?? 0);
        if (remaining - 1 < reserve()) throw new BudgetExhaustedError(1);
      }
      return upstream.call(...args);
    },
  });
  return view;
}

/**
 * Walks the lists somebody watches and diffs them against the last walk. It spends only
 * `budgetShare` of what the budget holds when a poll starts (a poll whose estimated cost is more
 * is postponed until the bucket has refilled), and paces itself so that over a minute it spends
 * at most `budgetShare` of the budget: polls come every `minIntervalMs` while the budget is idle,
 * less often as the walk grows or the budget is short.
 */
export class Poller {
  readonly snapshots = new Snapshots();
  private readonly api: AdminApi;
  private readonly pages = new Map<string, number>();
  private readonly spentAt: number[] = [];
  private reserve = 0;
  /** Active workspaces as the last walk of the workspace list showed them. */
  private activeWorkspaceIds: string[] = [];
  /** Where the next partial poll starts in the list of lists. */
  private rotation = 0;
  lastPollAt: number | null = null;
  postponed = 0;

  /** Lists that failed (a beta the organization lacks, no OAuth token): skipped until then. */
  private readonly failedUntil = new Map<string, number>();

  constructor(
    upstream: Upstream,
    private readonly budget: UpstreamBudget,
    private readonly credential: UpstreamCredential,
    private readonly settings: PollerSettings,
    /** The gateway's OAuth token, for the lists that take nothing else (service accounts, …). */
    gatewayOAuth?: () => UpstreamCredential | null,
  ) {
    this.api = new AdminApi(
      pollingUpstream(upstream, budget, credential, () => this.reserve),
      credential,
      () => this.spentAt.push(Date.now()),
      gatewayOAuth,
    );
  }

  /** Lists whose last walk failed, with why (for the log); cleared by a walk that succeeds. */
  readonly failures = new Map<string, string>();

  /** Upstream requests polls made in the last minute (on this replica). */
  spentLastMinute(): number {
    const since = Date.now() - MINUTE_MS;
    while (this.spentAt.length > 0 && this.spentAt[0]! < since) this.spentAt.shift();
    return this.spentAt.length;
  }

  /** The lists to walk for the interest entries (`user`, `workspaceMember:wrkspc_…`, …). */
  private lists(entries: readonly string[]): { lists: WatchedList[]; allMembers: boolean } {
    const lists = new Map<string, WatchedList>();
    let allMembers = false;
    for (const entry of entries) {
      const [family, workspaceId] = entry.split(':', 2) as [string, string | undefined];
      if (!(LIVE_FAMILY_KEYS as string[]).includes(family)) continue;
      const key = family as LiveFamilyKey;
      if (!liveFamily(key).perWorkspace) lists.set(key, { key, family: key, workspaceId: null });
      else if (workspaceId) lists.set(entry, { key: entry, family: key, workspaceId });
      else allMembers = true;
    }
    return { lists: [...lists.values()], allMembers };
  }

  /**
   * The lists a poll of `entries` walks, sorted by key (the interest comes in no fixed order, and
   * partial polls take the lists in turn): the lists named, and for members of every workspace the
   * workspace list and the members of each active workspace known from its last walk.
   */
  private plan(entries: readonly string[]): { units: WatchedList[]; allMembers: boolean } {
    const { lists, allMembers } = this.lists(entries);
    const units = [...lists];
    if (allMembers) {
      if (!units.some((list) => list.key === 'workspace')) {
        units.push({ key: 'workspace', family: 'workspace', workspaceId: null });
      }
      for (const workspaceId of this.activeWorkspaceIds) {
        const key = `workspaceMember:${workspaceId}`;
        if (!units.some((list) => list.key === key)) {
          units.push({ key, family: 'workspaceMember', workspaceId });
        }
      }
    }
    units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { units, allMembers };
  }

  /**
   * One poll of what `entries` ask for; the events of what changed since the last one. A poll
   * walks every list when its share of the budget allows it; otherwise (many lists, a short
   * budget) it walks as many as the share allows, taking up where the last partial poll stopped,
   * so that every list is walked in turn and none waits for a whole walk to fit.
   */
  async poll(entries: readonly string[]): Promise<PollOutcome> {
    const { units, allMembers } = this.plan(entries);
    if (units.length === 0) {
      this.snapshots.keepOnly(new Set());
      return { status: 'idle', events: [], cost: 0, nextInMs: this.settings.minIntervalMs };
    }
    const costOf = (list: WatchedList) => this.pages.get(list.key) ?? 1;
    const cost = units.reduce((sum, list) => sum + costOf(list), 0);
    const gate = await this.gate(cost);
    if (gate.postponeMs !== null) {
      this.postponed++;
      return { status: 'postponed', events: [], cost, nextInMs: gate.postponeMs };
    }
    // The lists of this poll: all of them, or those the allowance covers, in turn.
    let turn = units;
    if (cost > gate.allowance) {
      const start = this.rotation % units.length;
      const ordered = [...units.slice(start), ...units.slice(0, start)];
      turn = [];
      let spend = 0;
      for (const list of ordered) {
        if (turn.length > 0 && spend + costOf(list) > gate.allowance) break;
        turn.push(list);
        spend += costOf(list);
      }
      this.rotation = start + turn.length;
    } else this.rotation = 0;
    this.reserve = gate.reserve;
    const at = new Date().toISOString();
    const events: LiveEventData[] = [];
    const walked = new Set<string>();
    let listsChanged = false;
    let spent = 0;
    const walkOne = async (list: WatchedList) => {
      // What it knew of a list that fails stays as it was: no event until it reads again.
      walked.add(list.key);
      const records = await this.walkOrSkip(list);
      spent += this.pages.get(list.key) ?? 0;
      if (!records) return;
      listsChanged ||= !this.snapshots.has(list.key);
      if (list.family === 'workspace') this.learnWorkspaces(records);
      events.push(...this.snapshots.diff(list.key, list.family, records, at));
    };
    try {
      for (const list of turn) await walkOne(list);
      // Members of workspaces the workspace list just showed for the first time, in a whole poll.
      if (allMembers && turn === units) {
        for (const workspaceId of this.activeWorkspaceIds) {
          const key = `workspaceMember:${workspaceId}`;
          if (walked.has(key)) continue;
          await walkOne({ key, family: 'workspaceMember', workspaceId });
        }
      }
    } catch (error) {
      // The budget ran short mid-walk (interactive traffic came): what was walked stands.
      if (!(error instanceof BudgetExhaustedError) && !isRateLimited(error)) throw error;
      this.postponed++;
      return { status: 'postponed', events, cost, nextInMs: this.settings.minIntervalMs };
    } finally {
      this.reserve = 0;
    }
    // Lists still watched but not walked this time keep what was known of them.
    const { units: watched } = this.plan(entries);
    for (const list of watched) walked.add(list.key);
    this.snapshots.keepOnly(walked);
    this.lastPollAt = Date.now();
    return {
      status: 'done',
      events,
      cost: spent,
      nextInMs: await this.pace(Math.max(1, spent)),
      listsChanged,
    };
  }

  /** The active workspaces a walk of the workspace list showed (their members are walked). */
  private learnWorkspaces(records: readonly Record<string, unknown>[]): void {
    this.activeWorkspaceIds = records
      .filter((workspace) => !workspace.archived_at)
      .map((workspace) => String(workspace.id));
  }

  private async walk(list: WatchedList): Promise<Record<string, unknown>[]> {
    const spec = liveFamily(list.family);
    const records: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await spec.listPage(this.api, cursor, list.workspaceId);
      pages++;
      records.push(...(page.data as Record<string, unknown>[]));
      if (!page.next) break;
      cursor = page.next;
    }
    this.pages.set(list.key, pages);
    return records;
  }

  /**
   * Walks a list of a family that may not be there for this organization: a list that fails for
   * another reason than the budget (a beta it is not enrolled in, no OAuth token for service
   * accounts, an upstream error) is skipped, and not asked again for `FAILED_LIST_RETRY_MS`, so
   * that one family cannot stop the others' events nor spend the budget on refusals.
   */
  private async walkOrSkip(list: WatchedList): Promise<Record<string, unknown>[] | null> {
    if ((this.failedUntil.get(list.key) ?? 0) > Date.now()) return null;
    try {
      const records = await this.walk(list);
      this.failedUntil.delete(list.key);
      this.failures.delete(list.key);
      return records;
    } catch (error) {
      if (error instanceof BudgetExhaustedError || isRateLimited(error)) throw error;
      this.failedUntil.set(list.key, Date.now() + FAILED_LIST_RETRY_MS);
      this.failures.set(list.key, error instanceof Error ? error.message : String(error));
      this.pages.set(list.key, 0);
      return null;
    }
  }

  /**
   * Whether a poll may start now, and how many requests it may make: the polls of the last
   * minute and this one stay within `budgetShare` of the budget, and a poll takes at most
   * `budgetShare` of the tokens the bucket holds; its requests then keep `1 - budgetShare` of
   * them for the others. A poll of `cost` requests that does not fit walks part of its lists.
   */
  private async gate(
    cost: number,
  ): Promise<{ postponeMs: number | null; reserve: number; allowance: number }> {
    const unlimited = { postponeMs: null, reserve: 0, allowance: Number.POSITIVE_INFINITY };
    if (!this.budget.enabled) return unlimited;
    const status = await this.budget.status(this.credential.fingerprint);
    if (!status) return unlimited;
    const now = Date.now();
    if (status.pausedUntil && Date.parse(status.pausedUntil) > now) {
      return { postponeMs: Date.parse(status.pausedUntil) - now, reserve: 0, allowance: 0 };
    }
    const share = this.settings.budgetShare;
    // Over any minute, polls spend at most `share` of the budget (pollNow included).
    const spent = this.spentLastMinute();
    const allowance = Math.floor(
      Math.min(share * status.limit - spent, share * status.remaining, cost),
    );
    if (allowance < 1) {
      const perMinute = share * status.limit;
      if (spent + 1 > perMinute) {
        const oldest = this.spentAt[0] ?? now;
        return {
          postponeMs: Math.max(this.settings.minIntervalMs, oldest + MINUTE_MS - now),
          reserve: 0,
          allowance: 0,
        };
      }
      const needed = 1 / share - status.remaining;
      const refillMs = (needed * MINUTE_MS) / status.limit;
      return {
        postponeMs: Math.max(this.settings.minIntervalMs, Math.ceil(refillMs)),
        reserve: 0,
        allowance: 0,
      };
    }
    return {
      postponeMs: null,
      reserve: Math.ceil(status.remaining * (1 - share)),
      allowance,
    };
  }

  /** The time to the next poll: the minimum interval, or longer so that polls spend their share. */
  private async pace(cost: number): Promise<number> {
    const status = this.budget.enabled
      ? await this.budget.status(this.credential.fingerprint)
      : null;
    if (!status) return this.settings.minIntervalMs;
    const perMinute = status.limit * this.settings.budgetShare;
    return Math.max(this.settings.minIntervalMs, Math.ceil((cost * MINUTE_MS) / perMinute));
  }
}

/** The budget (or the Admin API's own limit) refused a request of the walk. */
function isRateLimited(error: unknown): boolean {
  const { errorType, status } = (error ?? {}) as { errorType?: unknown; status?: unknown };
  return errorType === 'budget_exhausted' || status === 429;
}
