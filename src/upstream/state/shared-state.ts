import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

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

/** One bucket of a `takeTokens` call. */
export interface BucketRef {
  key: string;
  spec: BucketSpec;
}

/** What failed when the shared state did not answer: a cache read, a write, the budget, … */
export type StateOperation =
  'get' | 'set' | 'generation' | 'invalidate' | 'budget' | 'pause' | 'ping';

export type StateErrorListener = (operation: StateOperation, error: unknown) => void;

/**
 * Errors of the shared state (Redis), reported by the code that fell back from it (the cache
 * serving from upstream, the budget counting locally): listeners log and count them, and the
 * readiness check reports the state as degraded while they are recent.
 */
export class StateErrors {
  private readonly listeners = new Set<StateErrorListener>();
  private lastAt = 0;
  private lastMessage = '';

  on(listener: StateErrorListener): void {
    this.listeners.add(listener);
  }

  report(operation: StateOperation, error: unknown): void {
    this.lastAt = Date.now();
    this.lastMessage = error instanceof Error ? error.message : String(error);
    for (const listener of this.listeners) listener(operation, error);
  }

  /** The last error's message if one happened within `windowMs`, else null. */
  recent(windowMs = 30_000): string | null {
    return this.lastAt && Date.now() - this.lastAt < windowMs ? this.lastMessage : null;
  }
}

/**
 * State that several gateway replicas must share: cached upstream reads, cache generations and
 * the upstream budget. In memory for one process; in Redis when REDIS_URL is set. Methods reject
 * when the state cannot be reached; callers fall back (see ReadCache and UpstreamBudget) and
 * report it to `errors`.
 */
export interface SharedState {
  /** A stored value, or undefined. Values are plain JSON data and must not be changed. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Stores several values at once (one round trip in Redis). */
  setMany(entries: readonly (readonly [string, unknown])[], ttlMs: number): Promise<void>;
  /** Current values of counters (0 for a counter never incremented). */
  counters(keys: string[]): Promise<number[]>;
  increment(keys: string[]): Promise<void>;
  /** Sets a counter that does not exist yet (a restarted Redis) to `value`; keeps it otherwise. */
  initCounter(key: string, value: number): Promise<void>;
  /**
   * Takes `take` tokens from every one of `buckets` if all of them have them (0 only reads the
   * buckets), refilling them first; takes nothing otherwise. One atomic step. The states are in
   * the order of `buckets`, each with the wait of the whole call.
   */
  takeTokens(buckets: readonly BucketRef[], take: number): Promise<BucketState[]>;
  /** Pauses the bucket for `forMs` from now, unless it is already paused longer. */
  pause(key: string, forMs: number): Promise<void>;
  /** Resolves when the state can be used; rejects otherwise (for the readiness check). */
  ping(): Promise<void>;
  /**
   * Most entries one `setMany` should carry, so that a large read's entries are written without
   * holding the event loop for long (see ReadCache): Redis serializes every value it is sent,
   * while memory only links them in (a page of 1000 users in about a millisecond).
   */
  readonly writeChunk: number;
  /** Where the state's users report its failures. */
  readonly errors: StateErrors;
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
    // A loop over the keys rather than Object.values: no array made per object (a page of 1000
    // users is thousands of objects).
    for (const key in value) deepFreeze(value[key]);
  }
  return value;
}

/** How much of the memory bound a cached value takes: a list page counts its items. */
function itemsIn(value: unknown): number {
  const data = (value as { data?: unknown } | null)?.data;
  return 1 + (Array.isArray(data) ? data.length : 0);
}

export interface MemoryStateOptions {
  /**
   * Most cached items kept (an entity counts 1, a list page 1 + its items); the least recently
   * used go first. Default 500,000.
   */
  maxItems?: number;
  /** Most budget buckets kept (only buckets that are not full need keeping). Default 100,000. */
  maxBuckets?: number;
  /** Most entries one write carries (see SharedState.writeChunk). Default: no limit. */
  writeChunk?: number;
}

const PRUNE_BUCKETS_EVERY_MS = 60_000;
const clock = { now: () => Date.now() };

/**
 * State of one process. Cached values are kept as frozen objects, not as JSON text, so that a
 * cache hit costs no parsing, in an LRU bounded by items, with a TTL per value: a write never
 * walks the cache. A budget bucket is kept only while it is refilling or paused (a full bucket is
 * the same as none), and idle ones are pruned at most once a minute.
 */
export class MemoryState implements SharedState {
  private readonly values: LRUCache<string, { value: unknown }>;
  private readonly numbers = new Map<string, number>();
  private readonly buckets: LRUCache<string, Bucket>;
  private prunedAt = Date.now();
  readonly errors = new StateErrors();
  readonly writeChunk: number;

  constructor(options: MemoryStateOptions = {}) {
    this.writeChunk = options.writeChunk ?? Infinity;
    this.values = new LRUCache<string, { value: unknown }>({
      maxSize: options.maxItems ?? 500_000,
      sizeCalculation: (entry) => itemsIn(entry.value),
      perf: clock,
      ttlResolution: 0,
    });
    this.buckets = new LRUCache<string, Bucket>({
      max: options.maxBuckets ?? 100_000,
      perf: clock,
      ttlResolution: 0,
    });
  }

  /** Items and buckets held (for tests and the benchmark). */
  size(): { items: number; entries: number; buckets: number } {
    return {
      items: this.values.calculatedSize,
      entries: this.values.size,
      buckets: this.buckets.size,
    };
  }

  async get(key: string): Promise<unknown> {
    return this.values.get(key)?.value;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.values.set(key, { value: deepFreeze(value) }, { ttl: ttlMs });
  }

  async setMany(entries: readonly (readonly [string, unknown])[], ttlMs: number): Promise<void> {
    for (const [key, value] of entries) {
      this.values.set(key, { value: deepFreeze(value) }, { ttl: ttlMs });
    }
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

  /** Keeps a bucket until it is full and unpaused again; forgets it when it already is. */
  private keep(key: string, bucket: Bucket, spec: BucketSpec, now: number): void {
    const untilFull = Math.ceil((spec.capacity - bucket.tokens) / spec.refillPerMs);
    const ttl = Math.max(untilFull, bucket.pausedUntil - now);
    if (ttl > 0) this.buckets.set(key, bucket, { ttl });
    else this.buckets.delete(key);
  }

  private pruneBuckets(now: number): void {
    if (now - this.prunedAt < PRUNE_BUCKETS_EVERY_MS) return;
    this.prunedAt = now;
    this.buckets.purgeStale();
  }

  async takeTokens(buckets: readonly BucketRef[], take: number): Promise<BucketState[]> {
    const now = Date.now();
    this.pruneBuckets(now);
    const current = buckets.map(({ key, spec }) => {
      const bucket = this.buckets.get(key) ?? { tokens: spec.capacity, at: now, pausedUntil: 0 };
      refill(bucket, spec, now);
      return bucket;
    });
    let waitMs = 0;
    current.forEach((bucket, index) => {
      const { spec } = buckets[index]!;
      if (bucket.pausedUntil > now) waitMs = Math.max(waitMs, bucket.pausedUntil - now);
      else if (bucket.tokens < take) {
        waitMs = Math.max(waitMs, Math.ceil((take - bucket.tokens) / spec.refillPerMs));
      }
    });
    return current.map((bucket, index) => {
      const { key, spec } = buckets[index]!;
      if (waitMs === 0) bucket.tokens -= take;
      this.keep(key, bucket, spec, now);
      return {
        waitMs,
        remaining: Math.floor(bucket.tokens),
        pausedUntil: bucket.pausedUntil > now ? bucket.pausedUntil : 0,
      };
    });
  }

  async pause(key: string, forMs: number): Promise<void> {
    const now = Date.now();
    const untilMs = now + forMs;
    const bucket = this.buckets.get(key) ?? { tokens: 0, at: now, pausedUntil: 0 };
    bucket.pausedUntil = Math.max(bucket.pausedUntil, untilMs);
    // Kept at least until the pause ends; the next takeTokens sets its TTL from its spec.
    this.buckets.set(key, bucket, { ttl: Math.max(1, bucket.pausedUntil - now) + 60_000 });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * Token buckets in Redis: refill, pause check and take over every bucket of the call in one
 * atomic step, timed by the Redis server's clock so that replicas with skewed clocks agree.
 * ARGV: take, then capacity and refill rate per key. A bucket expires once it would be full
 * again and unpaused (an idle caller's bucket goes away by itself).
 */
const TAKE_TOKENS = `
local take = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens, paused, caps, rates = {}, {}, {}, {}
local wait = 0
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 * i])
  local rate = tonumber(ARGV[2 * i + 1])
  local data = redis.call('HMGET', KEYS[i], 'tokens', 'at', 'paused')
  local tk = tonumber(data[1]) or capacity
  local at = tonumber(data[2]) or now
  local p = tonumber(data[3]) or 0
  tk = math.min(capacity, tk + math.max(0, now - at) * rate)
  if p > now then
    wait = math.max(wait, p - now)
  elseif tk < take then
    wait = math.max(wait, math.ceil((take - tk) / rate))
  end
  tokens[i] = tk
  paused[i] = p
  caps[i] = capacity
  rates[i] = rate
end
local result = {wait}
for i = 1, #KEYS do
  if wait == 0 then tokens[i] = tokens[i] - take end
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'at', tostring(now), 'paused', tostring(paused[i]))
  local untilFull = math.ceil((caps[i] - tokens[i]) / rates[i])
  redis.call('PEXPIRE', KEYS[i], math.max(1000, untilFull + 1000, paused[i] - now + 60000))
  local shownPause = 0
  if paused[i] > now then shownPause = paused[i] end
  result[#result + 1] = math.floor(tokens[i])
  result[#result + 1] = shownPause
end
return result
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

export interface RedisStateOptions {
  prefix?: string;
  /** A command that takes longer fails (and the caller falls back). Default 500 ms. */
  commandTimeoutMs?: number;
  /** After a failure, commands fail at once for this long instead of waiting on Redis again. */
  retryAfterFailureMs?: number;
}

/** Redis could not be used; the caller falls back. */
export class StateUnavailableError extends Error {
  override name = 'StateUnavailableError';
}

/** How long commands may queue while the first connection is being made. */
const STARTUP_GRACE_MS = 3_000;

/**
 * The shared state in Redis. It never makes a request wait long on a failing Redis: commands time
 * out after `commandTimeoutMs`; while the connection is down (after it was up once, or after the
 * start-up grace) they fail at once; and after any failure they fail at once for
 * `retryAfterFailureMs`, so that a sick Redis costs one timeout per interval, not one per command.
 */
export class RedisState implements SharedState {
  private readonly redis: Redis;
  private readonly createdAt = Date.now();
  private wasReady = false;
  private failingUntil = 0;
  private readonly retryAfterFailureMs: number;
  readonly errors = new StateErrors();
  /** A pipeline of 250 values is serialized in a few milliseconds. */
  readonly writeChunk = 250;

  constructor(url: string, options: RedisStateOptions = {}) {
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 2_000;
    this.redis = new Redis(url, {
      keyPrefix: options.prefix ?? 'admin-graph:',
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    });
    this.redis.on('ready', () => {
      this.wasReady = true;
      this.failingUntil = 0;
    });
    // Connection problems surface as failed commands; keep the client from crashing the process.
    this.redis.on('error', () => {});
  }

  /** Runs a command, or fails at once when Redis is known to be down. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    const now = Date.now();
    if (now < this.failingUntil) throw new StateUnavailableError('Redis failed recently');
    if (
      this.redis.status !== 'ready' &&
      (this.wasReady || now - this.createdAt > STARTUP_GRACE_MS)
    ) {
      throw new StateUnavailableError(`Redis is not connected (${this.redis.status})`);
    }
    try {
      return await command();
    } catch (error) {
      this.failingUntil = Date.now() + this.retryAfterFailureMs;
      throw error;
    }
  }

  async get(key: string): Promise<unknown> {
    const text = await this.run(() => this.redis.get(key));
    return text === null ? undefined : (JSON.parse(text) as unknown);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.run(() => this.redis.set(key, JSON.stringify(value), 'PX', ttlMs));
  }

  async setMany(entries: readonly (readonly [string, unknown])[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, value] of entries) pipeline.set(key, JSON.stringify(value), 'PX', ttlMs);
    const results = await this.run(() => pipeline.exec());
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async counters(keys: string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values = await this.run(() => this.redis.mget(...keys));
    return values.map((value) => Number(value ?? 0));
  }

  async increment(keys: string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.incr(key);
    const results = await this.run(() => pipeline.exec());
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async initCounter(key: string, value: number): Promise<void> {
    await this.run(() => this.redis.set(key, String(value), 'NX'));
  }

  async takeTokens(buckets: readonly BucketRef[], take: number): Promise<BucketState[]> {
    const result = (await this.run(() =>
      this.redis.eval(
        TAKE_TOKENS,
        buckets.length,
        ...buckets.map(({ key }) => key),
        take,
        ...buckets.flatMap(({ spec }) => [spec.capacity, spec.refillPerMs]),
      ),
    )) as number[];
    const waitMs = result[0] ?? 0;
    return buckets.map((_, index) => ({
      waitMs,
      remaining: result[1 + 2 * index] ?? 0,
      pausedUntil: result[2 + 2 * index] ?? 0,
    }));
  }

  async pause(key: string, forMs: number): Promise<void> {
    await this.run(() => this.redis.eval(PAUSE, 1, key, Math.ceil(forMs)));
  }

  /** Asks Redis itself (not the recent-failure shortcut), so that readiness sees a recovery. */
  async ping(): Promise<void> {
    if (this.redis.status !== 'ready' && this.wasReady) {
      throw new StateUnavailableError(`Redis is not connected (${this.redis.status})`);
    }
    await this.redis.ping();
    this.failingUntil = 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
