import type { Redis } from 'ioredis';

/**
 * What subscribers watch, across replicas: entries such as `user` or `workspaceMember:wrkspc_…`,
 * each kept until its expiry unless a replica with such a subscriber refreshes it.
 */
export interface InterestRegistry {
  /** Marks the entries as watched until `ttlMs` from now. */
  refresh(entries: readonly string[], ttlMs: number): Promise<void>;
  /** The entries somebody watches now. */
  current(): Promise<string[]>;
}

export class MemoryInterest implements InterestRegistry {
  private readonly until = new Map<string, number>();

  async refresh(entries: readonly string[], ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    for (const entry of entries) this.until.set(entry, Math.max(this.until.get(entry) ?? 0, until));
  }

  async current(): Promise<string[]> {
    const now = Date.now();
    for (const [entry, until] of this.until) if (until <= now) this.until.delete(entry);
    return [...this.until.keys()];
  }
}

/** A sorted set scored by expiry: ZADD GT refreshes, ZRANGEBYSCORE reads what has not expired. */
export class RedisInterest implements InterestRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async refresh(entries: readonly string[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return;
    const until = Date.now() + ttlMs;
    await this.redis
      .pipeline()
      .zadd(this.key, 'GT', ...entries.flatMap((entry) => [until, entry]))
      .pexpire(this.key, ttlMs + 60_000)
      .exec();
  }

  async current(): Promise<string[]> {
    const now = Date.now();
    const [, [, entries]] = ((await this.redis
      .pipeline()
      .zremrangebyscore(this.key, '-inf', now)
      .zrangebyscore(this.key, now, '+inf')
      .exec()) ?? [[], [null, []]]) as [unknown, [unknown, string[]]];
    return entries ?? [];
  }
}
