import { createHash } from 'node:crypto';
import {
  MemoryState,
  type BucketRef,
  type BucketSpec,
  type BucketState,
  type SharedState,
} from './state/shared-state.js';

export interface BudgetOptions {
  /** Upstream requests allowed per minute; 0 turns the budget off. */
  perMinute: number;
  /** Longest a request may wait for budget before it fails. */
  maxWaitMs: number;
  /**
   * The fraction of `perMinute` one caller may spend per minute unless it may use the whole
   * bucket (see BudgetCaller.whole); 1 sets no per-caller limit. Default 0.5.
   */
  callerShare?: number;
  /**
   * Replicas expected to share the state: while it fails, each replica counts a local budget of
   * `perMinute / expectedReplicas`, so that together they stay within the limit. Default 1.
   */
  expectedReplicas?: number;
  /** The window `perMinute` counts over, in milliseconds; default 60,000 (tests shrink it). */
  windowMs?: number;
}

/**
 * Who spends budget: handed to every call explicitly (AdminApi.budgetCaller), never through an
 * AsyncLocalStorage, whose promise hooks would slow every promise of the process on Node 20.
 */
export interface BudgetCaller {
  /** A stable identity: gateway token name, JWT subject or credential fingerprint. */
  id: string;
  /** Writes and callers holding `admin` may use the whole bucket; others only their share. */
  whole: boolean;
  /**
   * A background caller (bulk jobs): it also takes from a bucket of its own that refills at
   * `share` of the budget and holds one token (so that it is paced evenly, never in bursts), and
   * only while the organization's bucket keeps `1 - share` of its capacity for the others. It
   * waits as long as that takes, until `signal` aborts (then BudgetExhaustedError: nothing sent).
   */
  background?: { share: number; signal?: AbortSignal };
}

/** The budget could not cover a request within the allowed wait. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
  constructor(
    readonly retryAfterSeconds: number,
    /** Whether the caller's own share ran out (rather than the organization's bucket). */
    readonly callerShare = false,
  ) {
    super(
      callerShare
        ? `This caller's share of the upstream budget is spent; retry after ${retryAfterSeconds} s.`
        : `The upstream budget is spent; retry after ${retryAfterSeconds} s.`,
    );
  }
}

export interface CallerBudgetStatus {
  /** Upstream requests this caller may spend per minute. */
  limit: number;
  remaining: number;
  /** When the caller's share is full again (ISO 8601). */
  resetAt: string;
  /** Whether the caller may use the whole bucket (writes, `admin`). */
  whole: boolean;
}

export interface BudgetStatus {
  limit: number;
  remaining: number;
  /** When the bucket is full again (ISO 8601), or when an upstream 429 pause ends. */
  resetAt: string;
  /** When upstream calls may resume after a 429, or null. */
  pausedUntil: string | null;
  /** The share of the caller in the current context, or null when none is known. */
  caller: CallerBudgetStatus | null;
  /** True while the shared state fails and this replica counts a local share of the budget. */
  local: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps `ms`, or less when `signal` aborts first. */
const sleepUnless = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const spec = (perMinute: number, windowMs = 60_000): BucketSpec => {
  const capacity = Math.max(1, Math.floor(perMinute));
  return { capacity, refillPerMs: capacity / windowMs };
};

/** A bucket of one token refilling at `perWindow` per window: evenly spaced requests. */
const paced = (perWindow: number, windowMs: number): BucketSpec => ({
  capacity: 1,
  refillPerMs: Math.max(perWindow, 1e-9) / windowMs,
});

const isoSecond = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000).toISOString();

/**
 * A token bucket in front of every upstream request: `perMinute` tokens that refill continuously,
 * one bucket per credential (the Admin API limits each organization), shared across replicas when
 * the state is Redis. The gateway never sends a request it knows the Admin API would refuse: it
 * waits a bounded time for a token, or fails with a retry-after. An upstream 429 pauses the
 * bucket for the `retry-after` it gave.
 *
 * Callers share the bucket fairly: a caller that may not use the whole bucket (see BudgetCaller)
 * also takes each token from a bucket of its own holding `callerShare` of the budget, atomically
 * with the organization's, so that one reader cannot starve the others. When the shared state
 * fails, the budget is counted in this process with `perMinute / expectedReplicas`.
 */
export class UpstreamBudget {
  private readonly organization: BucketSpec;
  private readonly share: BucketSpec;
  private readonly fallback: { organization: BucketSpec; share: BucketSpec };
  private readonly local = new MemoryState({ maxItems: 1 });

  constructor(
    private readonly state: SharedState,
    private readonly options: BudgetOptions,
  ) {
    const share = options.callerShare ?? 0.5;
    const replicas = Math.max(1, options.expectedReplicas ?? 1);
    const windowMs = options.windowMs ?? 60_000;
    this.organization = spec(options.perMinute, windowMs);
    this.share = spec(options.perMinute * share, windowMs);
    this.fallback = {
      organization: spec(options.perMinute / replicas, windowMs),
      share: spec((options.perMinute * share) / replicas, windowMs),
    };
  }

  get enabled(): boolean {
    return this.options.perMinute > 0;
  }

  private key(credential: string) {
    return `budget:${credential}`;
  }

  private callerKey(credential: string, callerId: string) {
    const id = createHash('sha256').update(callerId).digest('base64url').slice(0, 22);
    return `budget:${credential}:caller:${id}`;
  }

  /** The buckets a request of `caller` takes from: the organization's, then its own. */
  private buckets(
    credential: string,
    local: boolean,
    caller: BudgetCaller | undefined,
  ): BucketRef[] {
    const specs = local ? this.fallback : { organization: this.organization, share: this.share };
    const buckets: BucketRef[] = [{ key: this.key(credential), spec: specs.organization }];
    if (caller?.background) {
      const replicas = local ? Math.max(1, this.options.expectedReplicas ?? 1) : 1;
      buckets.push({
        key: `budget:${credential}:background`,
        spec: paced(
          (this.options.perMinute * caller.background.share) / replicas,
          this.options.windowMs ?? 60_000,
        ),
      });
    } else if (caller && !caller.whole && specs.share.capacity < specs.organization.capacity) {
      buckets.push({ key: this.callerKey(credential, caller.id), spec: specs.share });
    }
    return buckets;
  }

  /** Takes from the shared buckets, or from this process's share of them while the state fails. */
  private async take(
    credential: string,
    take: number,
    caller: BudgetCaller | undefined,
  ): Promise<[BucketState[], boolean]> {
    try {
      return [await this.state.takeTokens(this.buckets(credential, false, caller), take), false];
    } catch (error) {
      this.state.errors.report('budget', error);
      return [await this.local.takeTokens(this.buckets(credential, true, caller), take), true];
    }
  }

  /**
   * Takes one request's worth of budget for `caller` (none: the organization's bucket only),
   * waiting up to maxWaitMs; throws BudgetExhaustedError.
   */
  async acquire(credential: string, caller?: BudgetCaller): Promise<void> {
    if (!this.enabled) return;
    const background = caller?.background;
    if (background) return this.acquireBackground(credential, caller, background);
    const deadline = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const [states] = await this.take(credential, 1, caller);
      const waitMs = states[0]?.waitMs ?? 0;
      if (waitMs === 0) return;
      if (Date.now() + waitMs > deadline) {
        const [organization, own] = states;
        const ownShortOnly =
          own !== undefined && own.remaining < 1 && (organization?.remaining ?? 0) >= 1;
        throw new BudgetExhaustedError(Math.max(1, Math.ceil(waitMs / 1000)), ownShortOnly);
      }
      await sleep(waitMs);
    }
  }

  /**
   * Takes one token for a background caller: waits (without limit, until `signal` aborts) for
   * its paced bucket and for the organization's bucket to hold more than what the background
   * leaves to the others, and for any pause after a 429 to end.
   */
  private async acquireBackground(
    credential: string,
    caller: BudgetCaller,
    background: NonNullable<BudgetCaller['background']>,
  ): Promise<void> {
    const reserve = Math.ceil(this.organization.capacity * (1 - background.share));
    for (;;) {
      if (background.signal?.aborted) throw new BudgetExhaustedError(1);
      // Look without taking: the organization's bucket must keep the others' room after us.
      const [[organization], local] = await this.take(credential, 0, {
        id: 'background',
        whole: true,
      });
      const spec = local ? this.fallback.organization : this.organization;
      const localReserve = local ? Math.ceil(spec.capacity * (1 - background.share)) : reserve;
      let waitMs = organization?.waitMs ?? 0;
      if (waitMs === 0 && (organization?.remaining ?? 0) < localReserve + 1) {
        waitMs = Math.ceil((localReserve + 1 - (organization?.remaining ?? 0)) / spec.refillPerMs);
      }
      if (waitMs === 0) {
        const [states] = await this.take(credential, 1, caller);
        waitMs = Math.max(...states.map((state) => state.waitMs));
        if (waitMs === 0) return;
      }
      await sleepUnless(waitMs, background.signal);
    }
  }

  /** Upstream requests per second a background caller with `share` is paced to. */
  backgroundRate(share: number): number {
    if (!this.enabled) return Number.POSITIVE_INFINITY;
    return (this.options.perMinute * share * 1000) / (this.options.windowMs ?? 60_000);
  }

  /** Pauses all upstream calls of this credential after an upstream 429. */
  async pause(credential: string, seconds: number): Promise<void> {
    if (!this.enabled) return;
    await this.local.pause(this.key(credential), seconds * 1000);
    try {
      await this.state.pause(this.key(credential), seconds * 1000);
    } catch (error) {
      this.state.errors.report('pause', error);
    }
  }

  /** The budget as it stands for the caller of the current context, without spending any. */
  async status(credential: string, caller?: BudgetCaller): Promise<BudgetStatus | null> {
    if (!this.enabled) return null;
    const [states, local] = await this.take(credential, 0, caller);
    const specs = local ? this.fallback : { organization: this.organization, share: this.share };
    const now = Date.now();
    const [organization, own] = states as [BucketState, BucketState | undefined];
    const refillMs =
      (specs.organization.capacity - organization.remaining) / specs.organization.refillPerMs;
    const resetAt = Math.max(now + refillMs, organization.pausedUntil);
    const paused = organization.pausedUntil > now;
    const status: BudgetStatus = {
      limit: specs.organization.capacity,
      remaining: paused ? 0 : organization.remaining,
      resetAt: isoSecond(resetAt),
      pausedUntil: organization.pausedUntil
        ? new Date(organization.pausedUntil).toISOString()
        : null,
      caller: null,
      local,
    };
    if (caller) {
      status.caller = own
        ? {
            limit: specs.share.capacity,
            remaining: paused ? 0 : own.remaining,
            resetAt: isoSecond(
              Math.max(
                now + (specs.share.capacity - own.remaining) / specs.share.refillPerMs,
                organization.pausedUntil,
              ),
            ),
            whole: false,
          }
        : {
            limit: status.limit,
            remaining: status.remaining,
            resetAt: status.resetAt,
            whole: true,
          };
    }
    return status;
  }
}
