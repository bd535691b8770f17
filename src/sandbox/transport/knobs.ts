import { ApiError, errorTypeForStatus } from './errors.js';

/** Run-time settings that shape how the sandbox answers. */
export interface SandboxConfig {
  latencyMs: number;
  rateLimitPerMinute: number | null;
  /** The window the rate limit counts over, in milliseconds; default 60,000 (tests shrink it). */
  rateLimitWindowMs?: number;
}

/**
 * How an injected fault plays out:
 * - `status`: an error answer with the given HTTP status (and `retry-after` when asked);
 * - `latency`: waits `delayMs`, then answers normally;
 * - `timeout`: never answers, holding the socket until the client gives up;
 * - `reset`: destroys the connection without an answer;
 * - `malformed`: answers 200 with a body that is not valid JSON.
 */
export type FaultKind = 'status' | 'latency' | 'timeout' | 'reset' | 'malformed';

export const FAULT_KINDS: readonly FaultKind[] = [
  'status',
  'latency',
  'timeout',
  'reset',
  'malformed',
];

/** A scripted failure: the next `times` matching requests get this fault. */
export interface FaultSpec {
  /** Default `status`. */
  kind?: FaultKind;
  method?: string;
  /** Exact decoded path, or a pattern tested against it. */
  path?: string | RegExp;
  /** HTTP error status (400-599); required for `status` faults, ignored by the other kinds. */
  status?: number;
  errorType?: string;
  message?: string;
  /** Seconds for `retry-after`; 429 faults default to 1; `null` sends no `retry-after` at all. */
  retryAfter?: number | null;
  /** For `latency`: how long to wait before answering. */
  delayMs?: number;
  /**
   * Whether the request is still carried out (its change to the data made) although the answer
   * is lost or mangled (`timeout`, `reset`, `malformed` only). Default: true for `malformed`,
   * false for `timeout` and `reset`.
   */
  handle?: boolean;
  /** How many requests the fault answers (default 1). */
  times?: number;
}

/** What the sandbox does with a request a fault matched. */
export type FaultAction =
  | { kind: 'status'; error: ApiError }
  | { kind: 'latency'; delayMs: number }
  | { kind: 'timeout' | 'reset' | 'malformed'; handle: boolean };

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

/** Sliding window (60 seconds unless given) of accepted requests per organization. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly windowMs = WINDOW_MS) {}

  /** Counts the request, or throws a 429 when the window is full. */
  take(key: string, perMinute: number, nowMs = Date.now()): void {
    const window = (this.windows.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    this.windows.set(key, window);
    const oldest = window[0];
    if (window.length >= perMinute && oldest !== undefined) {
      const retryAfter = Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
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
    const kind = spec.kind ?? 'status';
    if (!FAULT_KINDS.includes(kind)) {
      throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    if (kind === 'status') {
      if (!Number.isInteger(spec.status) || spec.status! < 400 || spec.status! > 599) {
        throw new Error('fault status must be an HTTP error status (400-599)');
      }
    }
    if (spec.retryAfter !== undefined && spec.retryAfter !== null) {
      if (!Number.isInteger(spec.retryAfter) || spec.retryAfter < 0) {
        throw new Error('fault retryAfter must be a whole number of seconds >= 0, or null');
      }
    }
    if (kind === 'latency') {
      const delay = spec.delayMs;
      if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
        throw new Error('a latency fault needs delayMs >= 0');
      }
    }
    if (spec.handle !== undefined && typeof spec.handle !== 'boolean') {
      throw new Error('fault handle must be true or false');
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('fault times must be >= 1');
    this.queue.push({ spec: { ...spec, kind }, remaining: times });
  }

  /** What to do with this request if a queued fault matches it (consuming one use). */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.queue.findIndex(({ spec }) => matches(spec, method, path));
    const entry = this.queue[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queue.splice(index, 1);
    const { spec } = entry;
    switch (spec.kind) {
      case 'latency':
        return { kind: 'latency', delayMs: spec.delayMs ?? 0 };
      case 'malformed':
        return { kind: 'malformed', handle: spec.handle ?? true };
      case 'timeout':
      case 'reset':
        return { kind: spec.kind, handle: spec.handle ?? false };
      default:
        return { kind: 'status', error: statusError(spec) };
    }
  }

  /** The faults still queued, with how many requests each will still answer. */
  list(): { spec: FaultSpec; remaining: number }[] {
    return this.queue.map(({ spec, remaining }) => ({ spec: { ...spec }, remaining }));
  }

  clear(): void {
    this.queue = [];
  }
}

function statusError(spec: FaultSpec): ApiError {
  const status = spec.status ?? 500;
  const type = spec.errorType ?? errorTypeForStatus(status);
  const retryAfter =
    spec.retryAfter === null ? undefined : (spec.retryAfter ?? (status === 429 ? 1 : undefined));
  return new ApiError(status, spec.message ?? `Injected ${type}.`, {
    type,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method) return false;
  if (spec.path === undefined) return true;
  if (typeof spec.path === 'string') return spec.path === path;
  spec.path.lastIndex = 0;
  return spec.path.test(path);
}

const SPEC_KEYS = new Set([
  'kind',
  'method',
  'path',
  'status',
  'errorType',
  'message',
  'retryAfter',
  'delayMs',
  'handle',
  'times',
]);

/**
 * A FaultSpec from JSON (the body of `POST /_sandbox/faults`): `path` is a string, or
 * `{ "regex": "…", "flags": "…" }` for a pattern. Throws an Error whose message says what is wrong.
 */
export function faultSpecFromJson(input: unknown): FaultSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('a fault must be a JSON object');
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!SPEC_KEYS.has(key)) throw new Error(`unknown fault field '${key}'`);
  }
  const optional = <T>(key: string, type: string): T | undefined => {
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value !== type) throw new Error(`fault ${key} must be a ${type}`);
    return value as T;
  };
  const spec: FaultSpec = {};
  const kind = optional<string>('kind', 'string');
  if (kind !== undefined) spec.kind = kind as FaultKind;
  const method = optional<string>('method', 'string');
  if (method !== undefined) spec.method = method;
  const path = record['path'];
  if (typeof path === 'string') spec.path = path;
  else if (path !== undefined) spec.path = patternFromJson(path);
  const status = optional<number>('status', 'number');
  if (status !== undefined) spec.status = status;
  const errorType = optional<string>('errorType', 'string');
  if (errorType !== undefined) spec.errorType = errorType;
  const message = optional<string>('message', 'string');
  if (message !== undefined) spec.message = message;
  if (record['retryAfter'] === null) spec.retryAfter = null;
  else {
    const retryAfter = optional<number>('retryAfter', 'number');
    if (retryAfter !== undefined) spec.retryAfter = retryAfter;
  }
  const delayMs = optional<number>('delayMs', 'number');
  if (delayMs !== undefined) spec.delayMs = delayMs;
  const handle = optional<boolean>('handle', 'boolean');
  if (handle !== undefined) spec.handle = handle;
  const times = optional<number>('times', 'number');
  if (times !== undefined) spec.times = times;
  return spec;
}

function patternFromJson(path: unknown): RegExp {
  const { regex, flags } = (path ?? {}) as { regex?: unknown; flags?: unknown };
  if (typeof regex !== 'string' || (flags !== undefined && typeof flags !== 'string')) {
    throw new Error('fault path must be a string or { "regex": "…" }');
  }
  try {
    return new RegExp(regex, flags);
  } catch {
    throw new Error('fault path regex is not a valid regular expression');
  }
}

/** A fault as JSON, for `GET /_sandbox/faults`: a pattern path becomes `{ regex, flags }`. */
export function faultSpecToJson(spec: FaultSpec): Record<string, unknown> {
  const { path, ...rest } = spec;
  if (path === undefined) return rest;
  return {
    ...rest,
    path: typeof path === 'string' ? path : { regex: path.source, flags: path.flags },
  };
}

/** The placeholder a fault's `message` may hold for the credential the request sent. */
export const CREDENTIAL_PLACEHOLDER = '{credential}';

/**
 * A fault's error with `{credential}` in its message replaced by the credential the request
 * carried (its `x-api-key`, or its bearer token): an upstream that echoes credentials in its
 * errors, as some do (`invalid x-api-key: sk-ant-…`), for testing that the gateway scrubs them.
 */
export function echoCredential(
  error: ApiError,
  headers: Record<string, string | string[] | undefined>,
): ApiError {
  if (!error.message.includes(CREDENTIAL_PLACEHOLDER)) return error;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const apiKey = first(headers['x-api-key'])?.trim();
  const bearer = /^Bearer\s+(\S+)/i.exec(first(headers['authorization'])?.trim() ?? '')?.[1];
  return new ApiError(
    error.status,
    error.message.split(CREDENTIAL_PLACEHOLDER).join(apiKey || bearer || ''),
    {
      type: error.type,
      ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    },
  );
}
