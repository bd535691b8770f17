import type { Redis } from 'ioredis';
import { compareEventIds, type LiveEvent, type LiveEventData } from './event.js';

/** Where events are kept for clients that reconnect: the last `maxEvents`, at most `maxAgeMs` old. */
export interface EventLog {
  /** Logs the events in order and gives them their ids. */
  append(events: readonly LiveEventData[]): Promise<LiveEvent[]>;
  /**
   * The events after `id`, oldest first; `resync` (with the newest id, to resume from after
   * reading again) when `id` is older than what the log holds or is not one of its ids.
   */
  since(id: string): Promise<LiveEvent[] | Resync>;
}

/** The client missed events it cannot be given: it must read again what it shows. */
export interface Resync {
  resync: true;
  /** The newest event id, or null when the log is empty. */
  lastId: string | null;
}

export interface EventLogLimits {
  maxEvents: number;
  maxAgeMs: number;
}

/** The log of one process (one replica without Redis). */
export class MemoryEventLog implements EventLog {
  private readonly events: LiveEvent[] = [];
  private lastId: string | null = null;
  private lastMs = 0;
  private sequence = 0;

  constructor(private readonly limits: EventLogLimits) {}

  private nextId(): string {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.sequence = 0;
    } else this.sequence++;
    return `${this.lastMs}-${this.sequence}`;
  }

  private trim(): void {
    const oldest = Date.now() - this.limits.maxAgeMs;
    let drop = Math.max(0, this.events.length - this.limits.maxEvents);
    while (drop < this.events.length && Date.parse(this.events[drop]!.at) < oldest) drop++;
    if (drop > 0) this.events.splice(0, drop);
  }

  async append(events: readonly LiveEventData[]): Promise<LiveEvent[]> {
    const logged = events.map((event) => ({ ...event, id: this.nextId() }));
    this.events.push(...logged);
    if (logged.length > 0) this.lastId = logged.at(-1)!.id;
    this.trim();
    return logged;
  }

  async since(id: string): Promise<LiveEvent[] | Resync> {
    this.trim();
    return replay(id, this.lastId, this.events[0]?.id ?? null, () =>
      this.events.filter((event) => compareEventIds(event.id, id) > 0),
    );
  }
}

/**
 * What a reconnecting client gets: nothing when it saw the last event, the events after its id
 * when the log still holds the one after it, RESYNC otherwise (an id from before the window, or
 * one the log never gave).
 */
async function replay(
  id: string,
  lastId: string | null,
  oldestId: string | null,
  after: () => LiveEvent[] | Promise<LiveEvent[]>,
): Promise<LiveEvent[] | Resync> {
  const resync: Resync = { resync: true, lastId };
  if (lastId === null) return resync;
  const toLast = compareEventIds(id, lastId);
  if (toLast === 0) return [];
  if (toLast > 0 || oldestId === null || compareEventIds(id, oldestId) < 0) return resync;
  return after();
}

/**
 * The log in a Redis stream shared by the replicas: XADD gives the ids (the stream's own,
 * `<ms>-<seq>`), MAXLEN and MINID bound it, XRANGE replays it.
 */
export class RedisEventLog implements EventLog {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly limits: EventLogLimits,
  ) {}

  async append(events: readonly LiveEventData[]): Promise<LiveEvent[]> {
    if (events.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(
        this.key,
        'MAXLEN',
        '=',
        this.limits.maxEvents,
        '*',
        'e',
        JSON.stringify(event),
      );
    }
    pipeline.xtrim(this.key, 'MINID', '=', `${Date.now() - this.limits.maxAgeMs}-0`);
    pipeline.pexpire(this.key, this.limits.maxAgeMs + 60_000);
    const results = (await pipeline.exec()) ?? [];
    return events.map((event, index) => {
      const [error, id] = results[index] ?? [new Error('no answer')];
      if (error) throw error;
      return { ...event, id: String(id) };
    });
  }

  async since(id: string): Promise<LiveEvent[] | Resync> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.key)) as unknown[];
    } catch {
      return { resync: true, lastId: null }; // no stream: nothing logged (or it expired)
    }
    const field = (name: string) => info[info.indexOf(name) + 1];
    const lastId = String(field('last-generated-id'));
    if (lastId === '0-0') return { resync: true, lastId: null };
    const first = field('first-entry') as [string, string[]] | null;
    return replay(id, lastId, first?.[0] ?? null, async () => {
      const entries = await this.redis.xrange(this.key, `(${id}`, '+');
      return entries.map(([entryId, fields]) => ({
        ...(JSON.parse(fields[1] ?? '{}') as LiveEventData),
        id: entryId,
      }));
    });
  }
}
