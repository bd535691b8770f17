import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { checkId } from '../domain/ids.js';
import { SCOPES } from '../domain/scopes.js';
import { onGatewayWrite, type GatewayWrite } from '../upstream/admin-api.js';
import type { UpstreamBudget } from '../upstream/budget.js';
import type { UpstreamCredential } from '../upstream/credentials.js';
import type { Upstream } from '../upstream/upstream.js';
import { MemoryBus, RedisBus, type LiveBus } from './bus.js';
import {
  compareEventIds,
  parseEventId,
  type ChangeType,
  type LiveEvent,
  type LiveEventData,
} from './event.js';
import { MemoryEventLog, RedisEventLog, type EventLog } from './event-log.js';
import {
  LIVE_FAMILY_KEYS,
  familyOfRecord,
  familyRemovedBy,
  liveFamily,
  withoutSecrets,
  type LiveFamilyKey,
} from './families.js';
import { MemoryInterest, RedisInterest, type InterestRegistry } from './interest.js';
import { MemoryLease, RedisLease, type Lease } from './lease.js';
import { Poller } from './poller.js';
import type { SharedSnapshot } from './snapshot.js';

export interface LiveSettings {
  /** Shortest time between two polls. */
  pollIntervalMs: number;
  /** Share of the budget interactive traffic leaves that polls may spend. */
  budgetShare: number;
  /** The poller's lease: another replica takes over this long after the holder died. */
  leaseMs: number;
  /** The event log keeps this many events, at most `logMaxAgeMs` old. */
  logMaxEvents: number;
  logMaxAgeMs: number;
  /** Redis shared by the replicas; in memory (one replica) when unset. */
  redisUrl: string | undefined;
  /** Prefix of the live graph's Redis keys and channels. */
  keyPrefix: string;
}

/** What a subscriber asks for; every part narrows. */
export interface LiveFilter {
  families?: readonly LiveFamilyKey[] | null;
  workspaceId?: string | null;
  /** The Admin API's status value (`active`, `pending`, `archived`, …). */
  status?: string | null;
  types?: readonly ChangeType[] | null;
}

/** Who subscribes: the scopes events are authorised by, the credential they act with. */
export interface LiveCaller {
  scopes: ReadonlySet<string>;
  credential: UpstreamCredential;
}

/** The poller's spending, for `rateLimit.livePoller`. */
export interface LivePollerStatus {
  share: number;
  minIntervalMs: number;
  spentLastMinute: number;
  lastPollAt: string | null;
  nextPollAt: string | null;
  subscribers: number;
}

/** The live graph refuses a subscription (its message is for the caller). */
export class LiveUnavailableError extends Error {
  override name = 'LiveUnavailableError';
  constructor(
    message: string,
    /** The GraphQL error code it is reported with. */
    readonly code: 'CREDENTIAL_MISSING' | 'FORBIDDEN' | 'BAD_USER_INPUT',
  ) {
    super(message);
  }
}

/** Most events queued for one slow subscriber; more replace its queue with RESYNC. */
const MAX_QUEUED = 1_000;
/** How long a replica's interest lasts unless it refreshes it (every third of it). */
const INTEREST_TTL_MS = 60_000;

const resyncEvent = (lastId: string | null): LiveEvent => ({
  id: lastId ?? '0-0',
  type: 'RESYNC',
  family: null,
  nodeId: null,
  node: null,
  changedFields: null,
  workspaceId: null,
  status: null,
  at: new Date().toISOString(),
});

class Subscriber {
  private readonly queue: LiveEvent[] = [];
  private buffer: LiveEvent[] | null = [];
  private waiting: ((result: IteratorResult<LiveEvent>) => void) | null = null;
  private lastId: string | null = null;
  closed = false;

  constructor(
    private readonly filter: LiveFilter,
    private readonly caller: LiveCaller,
    private readonly onClose: () => void,
  ) {}

  /** Whether the caller may see events of the family (the scopes its queries need). */
  static allowed(family: LiveFamilyKey, scopes: ReadonlySet<string>): boolean {
    return liveFamily(family).readScopes.every((scope) => scopes.has(SCOPES[scope]));
  }

  matches(event: LiveEvent): boolean {
    if (event.type === 'RESYNC') return true;
    const { families, workspaceId, status, types } = this.filter;
    if (!event.family || !Subscriber.allowed(event.family, this.caller.scopes)) return false;
    if (families && !families.includes(event.family)) return false;
    if (types && !types.includes(event.type)) return false;
    if (workspaceId && event.workspaceId !== workspaceId) return false;
    if (status && event.status?.toLowerCase() !== status.toLowerCase()) return false;
    return true;
  }

  push(event: LiveEvent): void {
    if (this.closed || !this.matches(event)) return;
    if (this.buffer) this.buffer.push(event);
    else this.deliver(event);
  }

  /** Ends replay: events heard meanwhile follow, without those the replay already gave. */
  flush(): void {
    const buffered = this.buffer ?? [];
    this.buffer = null;
    for (const event of buffered) this.deliver(event);
  }

  deliver(event: LiveEvent): void {
    if (this.closed) return;
    if (event.type !== 'RESYNC' && this.lastId && compareEventIds(event.id, this.lastId) <= 0)
      return;
    if (event.type !== 'RESYNC') this.lastId = event.id;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
      return;
    }
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED)
      this.queue.splice(0, this.queue.length, resyncEvent(event.id));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose();
  }

  iterator(): AsyncIterableIterator<LiveEvent> {
    return {
      next: () => {
        const next = this.queue.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

/**
 * The live graph of one gateway replica: its subscribers, and (while it holds the lease) the
 * organization's one poller. Events are logged (for resuming) and sent to every replica over the
 * bus; each replica hands them to its own subscribers, filtered and authorised per event. Writes
 * made through any replica are sent to the poller at once and published without a poll.
 */
export class LiveHub {
  private readonly bus: LiveBus;
  private readonly log: EventLog;
  private readonly lease: Lease;
  private readonly interest: InterestRegistry;
  private readonly poller: Poller | null;
  private readonly redis: Redis[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly localInterest = new Map<string, number>();
  private readonly stopListening: () => void;
  private timer: NodeJS.Timeout | null = null;
  private interestTimer: NodeJS.Timeout | null = null;
  private work: Promise<unknown> = Promise.resolve();
  private nextPollAt = 0;
  /** The list failures already logged (each is logged once, until it changes). */
  private reportedFailures = new Map<string, string>();
  private leader = false;
  private started = false;
  private closed = false;

  constructor(
    upstream: Upstream,
    private readonly budget: UpstreamBudget,
    /** The gateway's own credential: the poller's; none (forward mode) turns the graph off. */
    private readonly credential: UpstreamCredential | null,
    private readonly settings: LiveSettings,
    private readonly logger: Logger,
    /** The gateway's OAuth token (ANTHROPIC_OAUTH_TOKEN): lists that take nothing else need it. */
    gatewayOAuth?: () => UpstreamCredential | null,
  ) {
    const prefix = settings.keyPrefix;
    const limits = { maxEvents: settings.logMaxEvents, maxAgeMs: settings.logMaxAgeMs };
    if (settings.redisUrl) {
      const connect = () => {
        const client = new Redis(settings.redisUrl!, {
          // Connected on first use: a replica nobody subscribes to and that makes no write
          // opens no connection.
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          retryStrategy: (times) => Math.min(100 * times, 2_000),
        });
        client.on('error', () => {});
        this.redis.push(client);
        return client;
      };
      const commands = connect();
      this.bus = new RedisBus(commands, connect(), prefix);
      this.log = new RedisEventLog(commands, `${prefix}log`, limits);
      this.lease = new RedisLease(commands, `${prefix}lease`, settings.leaseMs);
      this.interest = new RedisInterest(commands, `${prefix}interest`);
    } else {
      this.bus = new MemoryBus();
      this.log = new MemoryEventLog(limits);
      this.lease = new MemoryLease();
      this.interest = new MemoryInterest();
    }
    this.poller = credential
      ? new Poller(
          upstream,
          budget,
          credential,
          { minIntervalMs: settings.pollIntervalMs, budgetShare: settings.budgetShare },
          gatewayOAuth,
        )
      : null;
    this.bus.on('events', (message) => {
      for (const event of message as LiveEvent[]) {
        for (const subscriber of this.subscribers) subscriber.push(event);
      }
    });
    this.bus.on('writes', (message) => {
      if (this.leader) void this.enqueue(() => this.applyWrite(message as GatewayWrite));
    });
    this.stopListening = onGatewayWrite(upstream, (write) => this.heardWrite(write));
  }

  /**
   * Starts hearing the other replicas, campaigning for the lease and polling while it is held:
   * on the first subscription (a replica nobody subscribes to does none of it).
   */
  private async start(): Promise<void> {
    if (!this.poller || this.started || this.closed) return;
    this.started = true;
    const tickMs = Math.max(
      20,
      Math.min(this.settings.leaseMs / 3, this.settings.pollIntervalMs, 1_000),
    );
    const loop = () => {
      void this.tick().finally(() => {
        if (!this.closed) this.timer = setTimeout(loop, tickMs).unref();
      });
    };
    loop();
    this.interestTimer = setInterval(
      () => void this.refreshInterest([...this.localInterest.keys()]),
      INTEREST_TTL_MS / 3,
    ).unref();
    if (this.bus instanceof RedisBus) await this.bus.subscribed();
  }

  /** Whether this replica holds the lease (runs the poller). */
  get isPoller(): boolean {
    return this.leader;
  }

  /** Subscribers on this replica. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Takes or renews the lease. A replica that just took it over starts from the snapshot the
   * last poller shared (Redis), so that changes made meanwhile are still reported.
   */
  private async holdLease(): Promise<boolean> {
    const was = this.leader;
    this.leader = await this.lease.hold();
    const commands = this.redis[0];
    if (this.leader && !was && commands && this.poller?.snapshots.empty) {
      const shared = await commands.get(`${this.settings.keyPrefix}snapshot`).catch(() => null);
      if (shared) this.poller.snapshots.import(JSON.parse(shared) as SharedSnapshot);
    }
    return this.leader;
  }

  /** After a poll that changed something, the snapshot is shared for a successor (Redis). */
  private async shareSnapshot(): Promise<void> {
    const commands = this.redis[0];
    if (!commands || !this.poller) return;
    await commands
      .set(
        `${this.settings.keyPrefix}snapshot`,
        JSON.stringify(this.poller.snapshots.export()),
        'PX',
        this.settings.logMaxAgeMs,
      )
      .catch(() => {});
  }

  private async tick(): Promise<void> {
    try {
      await this.holdLease();
    } catch (error) {
      this.leader = false;
      this.logger.warn({ err: { message: String(error) } }, 'live graph: lease not renewed');
      return;
    }
    // Checked again when its turn comes: a poll just made (pollNow) moves the next one on.
    const due = () => this.leader && Date.now() >= this.nextPollAt;
    if (due()) await this.enqueue(() => (due() ? this.poll() : Promise.resolve()));
  }

  /** Runs one poll now, on the replica holding the lease; false elsewhere. */
  async pollNow(): Promise<boolean> {
    if (!this.poller) return false;
    await this.start();
    if (!(await this.holdLease())) return false;
    await this.enqueue(() => this.poll());
    return true;
  }

  /** Polls and write notices change the snapshots one at a time. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task, task);
    this.work = run.catch((error: unknown) =>
      this.logger.warn({ err: { message: String(error) } }, 'live graph: poll failed'),
    );
    return run;
  }

  private async poll(): Promise<void> {
    if (!this.poller || this.closed) return;
    const entries = await this.interest.current();
    let outcome;
    try {
      outcome = await this.poller.poll(entries);
    } catch (error) {
      this.nextPollAt = Date.now() + this.settings.pollIntervalMs;
      throw error;
    }
    this.nextPollAt = Date.now() + outcome.nextInMs;
    for (const [list, message] of this.poller.failures) {
      if (this.reportedFailures.get(list) === message) continue;
      this.logger.warn({ list, err: { message } }, 'live graph: a watched list cannot be read');
    }
    this.reportedFailures = new Map(this.poller.failures);
    if (outcome.status === 'postponed') {
      this.logger.debug(
        { cost: outcome.cost, retryInMs: outcome.nextInMs },
        'live graph: poll postponed (budget)',
      );
    }
    await this.publish(outcome.events);
    await this.shareStatus();
    if (outcome.status === 'done' && (outcome.events.length > 0 || outcome.listsChanged)) {
      await this.shareSnapshot();
    }
  }

  private async publish(events: readonly LiveEventData[]): Promise<void> {
    if (events.length === 0) return;
    const logged = await this.log.append(events);
    await this.bus.publish('events', logged);
  }

  /** A write through this replica: sent to the poller (wherever it runs) when it succeeded. */
  private heardWrite(write: GatewayWrite): void {
    if (!write.ok || !this.credential || write.credential !== this.credential.fingerprint) return;
    const family = familyOfRecord(write.value) ?? familyRemovedBy(write.operation);
    if (!family) return;
    // Secrets a write answered once (a new webhook's signing secret) stay out of the event.
    const notice: GatewayWrite = {
      ...write,
      value: withoutSecrets(write.value),
      touches: [...write.touches],
    };
    this.bus
      .publish('writes', notice)
      .catch((error: unknown) =>
        this.logger.warn({ err: { message: String(error) } }, 'live graph: write not published'),
      );
  }

  /** On the poller: the event of a write, published at once; the snapshot follows it. */
  private async applyWrite(write: GatewayWrite): Promise<void> {
    if (!this.poller) return;
    const value = (write.value ?? {}) as Record<string, unknown>;
    const removed = familyRemovedBy(write.operation);
    const family = removed ?? familyOfRecord(value);
    if (!family) return;
    const entries = await this.interest.current();
    const spec = liveFamily(family);
    const workspaceId = spec.workspaceOf(value);
    const watched = entries.some(
      (entry) => entry === family || (spec.perWorkspace && entry === `${family}:${workspaceId}`),
    );
    if (!watched) return;
    const list = spec.perWorkspace ? `${family}:${workspaceId}` : family;
    const at = new Date().toISOString();
    const event = removed
      ? this.poller.snapshots.apply(
          list,
          family,
          { removedId: spec.nodeId(value), workspaceId },
          at,
        )
      : this.poller.snapshots.apply(
          list,
          family,
          { record: value, created: /\.(create|add)$/.test(write.operation) },
          at,
        );
    if (event) {
      await this.publish([event]);
      await this.shareSnapshot();
    }
  }

  private async refreshInterest(entries: readonly string[]): Promise<void> {
    try {
      await this.interest.refresh(entries, INTEREST_TTL_MS);
    } catch (error) {
      this.logger.warn({ err: { message: String(error) } }, 'live graph: interest not refreshed');
    }
  }

  /** The interest entries a subscription adds: the families it may and wants to see. */
  private entriesOf(filter: LiveFilter, scopes: ReadonlySet<string>): string[] {
    const families = (filter.families?.length ? filter.families : LIVE_FAMILY_KEYS).filter(
      (family) => Subscriber.allowed(family, scopes),
    );
    return [...new Set(families)].map((family) =>
      liveFamily(family).perWorkspace && filter.workspaceId
        ? `${family}:${filter.workspaceId}`
        : family,
    );
  }

  /**
   * A subscriber's events: after `lastEventId` first (what it missed, or one RESYNC when the log
   * no longer holds it), then every new event its filter and scopes let through.
   */
  async subscribe(
    caller: LiveCaller,
    filter: LiveFilter,
    lastEventId: string | null,
  ): Promise<AsyncIterableIterator<LiveEvent>> {
    if (!this.credential || this.closed) {
      throw new LiveUnavailableError(
        'Subscriptions need the gateway’s own Admin API key (ANTHROPIC_ADMIN_KEY): the live graph polls with it.',
        'CREDENTIAL_MISSING',
      );
    }
    if (caller.credential.fingerprint !== this.credential.fingerprint) {
      throw new LiveUnavailableError(
        'Subscriptions show the gateway’s own organization: subscribe without a credential of your own.',
        'FORBIDDEN',
      );
    }
    if (filter.workspaceId) checkId('workspace', filter.workspaceId);
    if (lastEventId !== null && !parseEventId(lastEventId)) {
      throw new LiveUnavailableError(
        '`lastEventId` is not an event id (the `id` of an earlier event).',
        'BAD_USER_INPUT',
      );
    }
    const entries = this.entriesOf(filter, caller.scopes);
    const subscriber = new Subscriber(filter, caller, () => {
      this.subscribers.delete(subscriber);
      for (const entry of entries) {
        const count = (this.localInterest.get(entry) ?? 1) - 1;
        if (count > 0) this.localInterest.set(entry, count);
        else this.localInterest.delete(entry);
      }
    });
    this.subscribers.add(subscriber);
    for (const entry of entries)
      this.localInterest.set(entry, (this.localInterest.get(entry) ?? 0) + 1);
    await this.refreshInterest(entries);
    await this.start();
    if (lastEventId !== null) {
      const missed = await this.log.since(lastEventId);
      if (Array.isArray(missed)) {
        for (const event of missed) if (subscriber.matches(event)) subscriber.deliver(event);
      } else subscriber.deliver(resyncEvent(missed.lastId));
    }
    subscriber.flush();
    return subscriber.iterator();
  }

  /** The poller's spending and cadence, as the replica running it counts them. */
  private ownStatus(): Omit<LivePollerStatus, 'subscribers'> {
    return {
      share: this.settings.budgetShare,
      minIntervalMs: this.settings.pollIntervalMs,
      spentLastMinute: this.poller?.spentLastMinute() ?? 0,
      lastPollAt: this.poller?.lastPollAt ? new Date(this.poller.lastPollAt).toISOString() : null,
      nextPollAt: this.leader && this.nextPollAt ? new Date(this.nextPollAt).toISOString() : null,
    };
  }

  /** After a poll, the poller tells the other replicas what it spends (Redis; 2 minutes). */
  private async shareStatus(): Promise<void> {
    const commands = this.redis[0];
    if (!commands) return;
    await commands
      .set(`${this.settings.keyPrefix}status`, JSON.stringify(this.ownStatus()), 'PX', 120_000)
      .catch(() => {});
  }

  /**
   * The poller's spending and cadence: this replica's when it runs the poller, otherwise what
   * the poller last shared; `subscribers` counts this replica's.
   */
  async status(): Promise<LivePollerStatus> {
    const commands = this.redis[0];
    let status = this.ownStatus();
    if (commands && !this.leader) {
      const shared = await commands.get(`${this.settings.keyPrefix}status`).catch(() => null);
      if (shared) status = { ...status, ...(JSON.parse(shared) as Partial<LivePollerStatus>) };
    }
    return { ...status, subscribers: this.subscribers.size };
  }

  /**
   * Stops: subscribers end, the lease is given up (unless `release` is false, as when a replica
   * dies), the Redis connections close.
   */
  async close(options: { release?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
    if (this.interestTimer) clearInterval(this.interestTimer);
    for (const subscriber of [...this.subscribers]) subscriber.close();
    await this.work.catch(() => {});
    if (this.leader && options.release !== false) await this.lease.release().catch(() => {});
    this.leader = false;
    await this.bus.close();
    await Promise.all(this.redis.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
