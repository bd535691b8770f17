import { Redis } from 'ioredis';

/** The outcome of asking a token bucket for tokens. */
export interface BucketState {
  /** Milliseconds until the request may go; 0 when the tokens were taken. */
  waitMs: number;
  /** Tokens left after this call. */
  remaining: number;
  /** Epoch milliseconds until which all calls are paused after an upstream 429; 0 for none. */
  pausedUntil: number;
}

export interface BucketSpec {
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

/**
 * State that several gateway replicas must share: cached upstream reads, cache generations and
 * the upstream budget. In memory for one process; in Redis when REDIS_URL is set.
 */
export interface SharedState {
  /** A stored value, or undefined. Values are plain JSON data and must not be changed. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Current values of counters (0 for a counter never incremented). */
  counters(keys: string[]): Promise<number[]>;
  increment(keys: string[]): Promise<void>;
  /** Sets a counter that does not exist yet (a restarted Redis) to `value`; keeps it otherwise. */
  initCounter(key: string, value: number): Promise<void>;
  /** Takes `take` tokens if it can (0 only reads the bucket), refilling it first. */
  takeTokens(key: string, spec: BucketSpec, take: number): Promise<BucketState>;
  /** Pauses the bucket for `forMs` from now, unless it is already paused longer. */
  pause(key: string, forMs: number): Promise<void>;
  /** Resolves when the state can be used; rejects otherwise (for the readiness check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
  pausedUntil: number;
}

function refill(bucket: Bucket, spec: BucketSpec, now: number): void {
  bucket.tokens = Math.min(spec.capacity, bucket.tokens + (now - bucket.at) * spec.refillPerMs);
  bucket.at = now;
}

/** Freezes a JSON value all the way down, so that a cached object shared by requests stays intact. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * State of one process. Cached values are kept as objects (frozen), not as JSON text, so that a
 * cache hit costs no parsing.
 */
export class MemoryState implements SharedState {
  private readonly values = new Map<string, { value: unknown; expires: number }>();
  private readonly numbers = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();

  async get(key: string): Promise<unknown> {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.values.set(key, { value: deepFreeze(value), expires: Date.now() + ttlMs });
    if (this.values.size > 50_000) this.sweep();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.values) if (entry.expires <= now) this.values.delete(key);
  }

  async counters(keys: string[]): Promise<number[]> {
    return keys.map((key) => this.numbers.get(key) ?? 0);
  }

  async increment(keys: string[]): Promise<void> {
    for (const key of keys) this.numbers.set(key, (this.numbers.get(key) ?? 0) + 1);
  }

  async initCounter(key: string, value: number): Promise<void> {
    if (!this.numbers.has(key)) this.numbers.set(key, value);
  }

  async takeTokens(key: string, spec: BucketSpec, take: number): Promise<BucketState> {
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: spec.capacity, at: now, pausedUntil: 0 };
      this.buckets.set(key, bucket);
    }
    refill(bucket, spec, now);
    let waitMs = 0;
    if (bucket.pausedUntil > now) waitMs = bucket.pausedUntil - now;
    else if (bucket.tokens >= take) bucket.tokens -= take;
    else waitMs = Math.ceil((take - bucket.tokens) / spec.refillPerMs);
    return {
      waitMs,
      remaining: Math.floor(bucket.tokens),
      pausedUntil: bucket.pausedUntil > now ? bucket.pausedUntil : 0,
    };
  }

  async pause(key: string, forMs: number): Promise<void> {
    const untilMs = Date.now() + forMs;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.pausedUntil = Math.max(bucket.pausedUntil, untilMs);
    else this.buckets.set(key, { tokens: 0, at: Date.now(), pausedUntil: untilMs });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * The token bucket in Redis: refill, pause and take in one atomic step, timed by the Redis
 * server's clock so that replicas with skewed clocks agree.
 */
const TAKE_TOKENS = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local take = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local data = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'paused')
local tokens = tonumber(data[1]) or capacity
local at = tonumber(data[2]) or now
local paused = tonumber(data[3]) or 0
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if paused > now then
  wait = paused - now
elseif tokens >= take then
  tokens = tokens - take
else
  wait = math.ceil((take - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now), 'paused', tostring(paused))
redis.call('PEXPIRE', KEYS[1], math.max(120000, paused - now + 60000))
local shownPause = 0
if paused > now then shownPause = paused end
return {wait, math.floor(tokens), shownPause}
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
local untilMs = now + tonumber(ARGV[1])
if untilMs > paused then
  redis.call('HSET', KEYS[1], 'paused', tostring(untilMs))
  if redis.call('HEXISTS', KEYS[1], 'tokens') == 0 then
    redis.call('HSET', KEYS[1], 'tokens', '0')
  end
  redis.call('PEXPIRE', KEYS[1], 3600000)
end
return 1
`;

export class RedisState implements SharedState {
  private readonly redis: Redis;

  constructor(url: string, prefix = 'admin-graph:') {
    this.redis = new Redis(url, {
      keyPrefix: prefix,
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    // Connection problems surface as failed commands; keep the client from crashing the process.
    this.redis.on('error', () => {});
  }

  async get(key: string): Promise<unknown> {
    const text = await this.redis.get(key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), 'PX', ttlMs);
  }

  async counters(keys: string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.map((value) => Number(value ?? 0));
  }

  async increment(keys: string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.incr(key);
    await pipeline.exec();
  }

  async initCounter(key: string, value: number): Promise<void> {
    await this.redis.set(key, String(value), 'NX');
  }

  async takeTokens(key: string, spec: BucketSpec, take: number): Promise<BucketState> {
    const [waitMs, remaining, pausedUntil] = (await this.redis.eval(
      TAKE_TOKENS,
      1,
      key,
      spec.capacity,
      spec.refillPerMs,
      take,
    )) as [number, number, number];
    return { waitMs, remaining, pausedUntil };
  }

  async pause(key: string, forMs: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, key, Math.ceil(forMs));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
