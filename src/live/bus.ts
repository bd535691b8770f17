import type { Redis } from 'ioredis';

/** What replicas tell each other: logged events, and writes made through a replica. */
export type BusChannel = 'events' | 'writes';
export type BusListener = (message: unknown) => void;

/** Carries messages to every replica (this one included). */
export interface LiveBus {
  publish(channel: BusChannel, message: unknown): Promise<void>;
  on(channel: BusChannel, listener: BusListener): void;
  close(): Promise<void>;
}

/** One process: messages go to this process's listeners, after the current task. */
export class MemoryBus implements LiveBus {
  private readonly listeners = new Map<BusChannel, Set<BusListener>>();

  async publish(channel: BusChannel, message: unknown): Promise<void> {
    const copy: unknown = JSON.parse(JSON.stringify(message));
    queueMicrotask(() => {
      for (const listener of this.listeners.get(channel) ?? []) listener(copy);
    });
  }

  on(channel: BusChannel, listener: BusListener): void {
    const set = this.listeners.get(channel) ?? new Set<BusListener>();
    set.add(listener);
    this.listeners.set(channel, set);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/**
 * Redis pub/sub: `publisher` is the replica's command connection, `subscriber` a connection of its
 * own (a subscribed connection can do nothing else). Channels carry the key prefix, so that
 * gateways on one Redis with different prefixes do not hear each other.
 */
export class RedisBus implements LiveBus {
  private readonly local = new MemoryBus();
  private ready: Promise<unknown> | null = null;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    this.subscriber.on('message', (channel: string, text: string) => {
      const name = channel.slice(this.prefix.length) as BusChannel;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      void this.local.publish(name, message);
    });
  }

  /** Starts hearing the other replicas (a replica with no subscriber and no poller need not). */
  start(): Promise<unknown> {
    this.ready ??= this.subscriber.subscribe(`${this.prefix}events`, `${this.prefix}writes`);
    return this.ready;
  }

  async publish(channel: BusChannel, message: unknown): Promise<void> {
    await this.publisher.publish(`${this.prefix}${channel}`, JSON.stringify(message));
  }

  on(channel: BusChannel, listener: BusListener): void {
    this.local.on(channel, listener);
  }

  /** Resolves once the subscriptions are in place (messages published before are not heard). */
  async subscribed(): Promise<void> {
    await this.start();
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
