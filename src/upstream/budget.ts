import type { SharedState } from './shared-state.js';

export interface BudgetOptions {
  /** Upstream requests allowed per minute; 0 turns the budget off. */
  perMinute: number;
  /** Longest a request may wait for budget before it fails. */
  maxWaitMs: number;
}

/** The budget could not cover a request within the allowed wait. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`The upstream budget is spent; retry after ${retryAfterSeconds} s.`);
  }
}

export interface BudgetStatus {
  limit: number;
  remaining: number;
  /** When the bucket is full again (ISO 8601), or when an upstream 429 pause ends. */
  resetAt: string;
  /** When upstream calls may resume after a 429, or null. */
  pausedUntil: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket in front of every upstream request: `perMinute` tokens that refill continuously,
 * one bucket per credential (the Admin API limits each organization), shared across replicas when
 * the state is Redis. The gateway never sends a request it knows the Admin API would refuse: it
 * waits a bounded time for a token, or fails with a retry-after. An upstream 429 pauses the
 * bucket for the `retry-after` it gave.
 */
export class UpstreamBudget {
  private readonly spec: { capacity: number; refillPerMs: number };

  constructor(
    private readonly state: SharedState,
    private readonly options: BudgetOptions,
  ) {
    this.spec = { capacity: options.perMinute, refillPerMs: options.perMinute / 60_000 };
  }

  get enabled(): boolean {
    return this.options.perMinute > 0;
  }

  private key(credential: string) {
    return `budget:${credential}`;
  }

  /** Takes one request's worth of budget, waiting up to maxWaitMs; throws BudgetExhaustedError. */
  async acquire(credential: string): Promise<void> {
    if (!this.enabled) return;
    const deadline = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const { waitMs } = await this.state.takeTokens(this.key(credential), this.spec, 1);
      if (waitMs === 0) return;
      if (Date.now() + waitMs > deadline) {
        throw new BudgetExhaustedError(Math.max(1, Math.ceil(waitMs / 1000)));
      }
      await sleep(waitMs);
    }
  }

  /** Pauses all upstream calls of this credential after an upstream 429. */
  async pause(credential: string, seconds: number): Promise<void> {
    if (!this.enabled) return;
    await this.state.pause(this.key(credential), seconds * 1000);
  }

  /** The budget as it stands, without spending any. */
  async status(credential: string): Promise<BudgetStatus | null> {
    if (!this.enabled) return null;
    const state = await this.state.takeTokens(this.key(credential), this.spec, 0);
    const now = Date.now();
    const refillMs = (this.spec.capacity - state.remaining) / this.spec.refillPerMs;
    const resetAt = Math.max(now + refillMs, state.pausedUntil);
    return {
      limit: this.options.perMinute,
      remaining: state.pausedUntil > now ? 0 : state.remaining,
      resetAt: new Date(Math.ceil(resetAt / 1000) * 1000).toISOString(),
      pausedUntil: state.pausedUntil ? new Date(state.pausedUntil).toISOString() : null,
    };
  }
}
