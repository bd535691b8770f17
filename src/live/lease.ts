import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Which replica runs the poller: the one holding the lease. */
export interface Lease {
  /** Takes the lease, or renews it when held; whether this replica holds it now. */
  hold(): Promise<boolean>;
  /** Gives the lease up (on shutdown), so that another replica takes over at once. */
  release(): Promise<void>;
}

/** One replica: it always holds the lease. */
export class MemoryLease implements Lease {
  async hold(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * A lease in Redis: SET NX PX with a token of this replica, renewed (only while it still holds
 * the token) before it expires. A replica that dies stops renewing, and another takes the lease
 * once it expires, within `leaseMs`.
 */
export class RedisLease implements Lease {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly leaseMs: number,
  ) {}

  async hold(): Promise<boolean> {
    const renewed = await this.redis.eval(RENEW, 1, this.key, this.token, this.leaseMs);
    if (Number(renewed) === 1) return true;
    const taken = await this.redis.set(this.key, this.token, 'PX', this.leaseMs, 'NX');
    return taken === 'OK';
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
