/**
 * Timestamps are held as integer microseconds since the Unix epoch (well inside the safe
 * integer range) so that they print with the microsecond precision upstream uses.
 */
export type Micros = number;

export const MICROS_PER_MS = 1000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

export function toMicros(date: Date): Micros {
  return date.getTime() * MICROS_PER_MS;
}

/** Parses an RFC 3339 UTC timestamp with up to microsecond precision. */
export function parseTimestamp(text: string): Micros {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!match) throw new Error(`not a UTC timestamp: ${text}`);
  const seconds = Date.parse(`${match[1]}Z`);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  return seconds * MICROS_PER_MS + fraction;
}

/** RFC 3339 in UTC with six fractional digits and a `Z` suffix. */
export function formatTimestamp(micros: Micros): string {
  const whole = Math.floor(micros / MICROS_PER_SECOND);
  const fraction = micros - whole * MICROS_PER_SECOND;
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return `${base}.${String(fraction).padStart(6, '0')}Z`;
}

export function formatNullableTimestamp(micros: Micros | null): string | null {
  return micros === null ? null : formatTimestamp(micros);
}

/**
 * The sandbox clock. A frozen clock stands at the anchor; a live one follows real time from the
 * anchor on. Each write moves it one millisecond on (so later writes sort after earlier ones),
 * `advance` moves it further, and it never goes backwards.
 */
export class Clock {
  private offset = 0;
  private last = 0;
  private readonly startedAt = Date.now();

  constructor(
    readonly anchor: Micros,
    private readonly live: boolean,
  ) {}

  now(): Micros {
    const elapsed = this.live ? (Date.now() - this.startedAt) * MICROS_PER_MS : 0;
    this.last = Math.max(this.last, this.anchor + elapsed + this.offset);
    return this.last;
  }

  /** Time for a write: strictly later than any earlier reading. */
  tick(): Micros {
    this.last = this.now() + MICROS_PER_MS;
    return this.last;
  }

  advance(ms: number): void {
    this.offset += Math.round(ms * MICROS_PER_MS);
  }

  /** Back to the anchor (plus real elapsed time for a live clock). */
  reset(): void {
    this.offset = 0;
    this.last = 0;
  }
}
