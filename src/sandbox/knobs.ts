import { ApiError, errorTypeForStatus } from './errors.js';

/** Run-time settings that shape how the sandbox answers. */
export interface SandboxConfig {
  latencyMs: number;
  rateLimitPerMinute: number | null;
}

/** A scripted failure: the next `times` matching requests get this error. */
export interface FaultSpec {
  method?: string;
  /** Exact decoded path, or a pattern tested against it. */
  path?: string | RegExp;
  status: number;
  errorType?: string;
  message?: string;
  /** Seconds for `retry-after`; 429 faults default to 1. */
  retryAfter?: number;
  /** How many requests the fault answers (default 1). */
  times?: number;
}

export function checkLatency(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error('latencyMs must be a non-negative number');
  }
  return value;
}

export function checkRateLimit(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error('rateLimitPerMinute must be a positive integer or null');
  }
  return value;
}

const WINDOW_MS = 60_000;

/** Sliding 60-second window of accepted requests per organization. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  /** Counts the request, or throws a 429 when the window is full. */
  take(key: string, perMinute: number, nowMs = Date.now()): void {
    const window = (this.windows.get(key) ?? []).filter((t) => t > nowMs - WINDOW_MS);
    this.windows.set(key, window);
    const oldest = window[0];
    if (window.length >= perMinute && oldest !== undefined) {
      const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - nowMs) / 1000));
      throw new ApiError(429, `Rate limit of ${perMinute} requests per minute exceeded.`, {
        retryAfter,
      });
    }
    window.push(nowMs);
  }

  clear(): void {
    this.windows.clear();
  }
}

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

/** One-shot (or n-shot) scripted failures, consumed in the order they were queued. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new Error('fault status must be an HTTP error status (400-599)');
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('fault times must be >= 1');
    this.queue.push({ spec, remaining: times });
  }

  /** The error for this request if a queued fault matches it (consuming one use). */
  take(method: string, path: string): ApiError | undefined {
    const index = this.queue.findIndex(({ spec }) => matches(spec, method, path));
    const entry = this.queue[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queue.splice(index, 1);
    const { spec } = entry;
    const type = spec.errorType ?? errorTypeForStatus(spec.status);
    const retryAfter = spec.retryAfter ?? (spec.status === 429 ? 1 : undefined);
    return new ApiError(spec.status, spec.message ?? `Injected ${type}.`, {
      type,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }

  clear(): void {
    this.queue = [];
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method) return false;
  if (spec.path === undefined) return true;
  if (typeof spec.path === 'string') return spec.path === path;
  spec.path.lastIndex = 0;
  return spec.path.test(path);
}
