import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { BudgetExhaustedError } from './budget.js';
import { scrub } from './scrub.js';

/** How an upstream call failed, as far as the gateway's callers need to know. */
/**
 * `budget`: the gateway's own upstream budget refused the request before it was sent.
 * `circuit`: the circuit breaker is open after repeated upstream failures; nothing was sent.
 */
export type UpstreamFailureKind = 'http' | 'timeout' | 'connection' | 'budget' | 'circuit';

/**
 * Every failure of an upstream call becomes one of these: the HTTP status, the Admin API's
 * `error.type`, its `request-id`, and a message that never carries a credential: the message is
 * scrubbed here, where it is built (the gateway's key, the request's credential given as
 * `secrets`, and anything shaped like a key or token), so that no response, userError, log line
 * or span made from it can carry one.
 */
/** The `errorType` of a 404 from an endpoint the organization is not enabled for. */
export const NOT_ENABLED_ERROR_TYPE = 'not_enabled';

/**
 * An endpoint that accepts only a credential the gateway does not hold for this request (an OAuth
 * token with `org:admin` for service accounts and federation). No request was made.
 */
export class CredentialMissingError extends Error {
  override name = 'CredentialMissingError';
  constructor(readonly operation: string) {
    super(
      `\`${operation}\` needs an OAuth access token with the org:admin scope (the Admin API accepts no Admin API key there): set ANTHROPIC_OAUTH_TOKEN or ANTHROPIC_OAUTH_TOKEN_FILE, or, in forward mode, send the token as \`Authorization: Bearer\`.`,
    );
  }
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly kind: UpstreamFailureKind;
  /** HTTP status the Admin API answered with; null when no answer arrived. */
  readonly status: number | null;
  /** The Admin API's `error.type` (e.g. `not_found_error`); the kind for failures without answer. */
  readonly errorType: string;
  /** The Admin API's `request-id`, when it answered. */
  readonly upstreamRequestId: string | null;
  /** Seconds the Admin API asked us to wait (`retry-after`), when it said. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    kind: UpstreamFailureKind;
    status: number | null;
    errorType: string;
    message: string;
    upstreamRequestId?: string | null;
    retryAfterSeconds?: number | null;
    /** Credentials of the request, removed from the message. */
    secrets?: Iterable<string | null | undefined>;
  }) {
    super(scrub(init.message, init.secrets));
    this.kind = init.kind;
    this.status = init.status;
    this.errorType = init.errorType;
    this.upstreamRequestId = init.upstreamRequestId ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  /** Whether retrying the same read could succeed. */
  get retryable(): boolean {
    if (this.kind === 'budget' || this.kind === 'circuit') return false;
    if (this.kind !== 'http') return true;
    const status = this.status ?? 0;
    return status === 408 || status === 429 || status >= 500;
  }
}

/** Parses `retry-after` (delta seconds or an HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function apiErrorType(error: APIError): string {
  const body = error.error as { error?: { type?: unknown } } | undefined;
  const type = body?.error?.type;
  return typeof type === 'string' ? type : `http_${error.status ?? 'unknown'}`;
}

function apiErrorMessage(error: APIError): string {
  const body = error.error as { error?: { message?: unknown } } | undefined;
  const message = body?.error?.message;
  return typeof message === 'string' && message.length > 0
    ? message
    : `The Admin API answered with HTTP ${error.status ?? 'error'}.`;
}

/** Socket errors raised before a connection existed: the request cannot have been sent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether a connection error happened before any byte of the request could leave. */
function neverConnected(error: unknown): boolean {
  const causes: unknown[] = [error];
  for (let i = 0; i < causes.length && i < 20; i++) {
    const cause = causes[i] as { code?: unknown; cause?: unknown; errors?: unknown } | null;
    if (!cause || typeof cause !== 'object') continue;
    if (typeof cause.code === 'string' && NOT_CONNECTED.has(cause.code)) return true;
    if (cause.cause) causes.push(cause.cause);
    if (Array.isArray(cause.errors)) causes.push(...(cause.errors as unknown[]));
  }
  return false;
}

/**
 * Converts anything an SDK call throws into an UpstreamError; `secrets` (the credential the call
 * used) are removed from its message.
 */
export function toUpstreamError(
  error: unknown,
  secrets: Iterable<string | null | undefined> = [],
): UpstreamError {
  if (error instanceof UpstreamError) {
    const clean = scrub(error.message, secrets);
    if (clean === error.message) return error;
    return new UpstreamError({
      kind: error.kind,
      status: error.status,
      errorType: error.errorType,
      message: clean,
      upstreamRequestId: error.upstreamRequestId,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  if (error instanceof BudgetExhaustedError) {
    return new UpstreamError({
      kind: 'budget',
      status: null,
      errorType: 'budget_exhausted',
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  if ((error as { code?: unknown } | null)?.code === 'EOPENBREAKER') {
    return new UpstreamError({
      kind: 'circuit',
      status: null,
      errorType: 'circuit_open',
      message: 'The Admin API has been failing; the gateway is not sending requests for a moment.',
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new UpstreamError({
      kind: 'timeout',
      status: null,
      errorType: 'timeout',
      message: 'The Admin API did not answer in time.',
    });
  }
  if (error instanceof APIConnectionError) {
    return new UpstreamError({
      kind: 'connection',
      status: null,
      errorType: neverConnected(error) ? 'connection_refused' : 'connection_error',
      message: 'The Admin API could not be reached.',
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return new UpstreamError({
      kind: 'http',
      status: error.status,
      errorType: scrub(apiErrorType(error), secrets),
      message: apiErrorMessage(error),
      secrets,
      upstreamRequestId: error.requestID ?? null,
      retryAfterSeconds: parseRetryAfter(error.headers?.get('retry-after')),
    });
  }
  // Anything else (a malformed body, an SDK bug) is reported without its internal message.
  return new UpstreamError({
    kind: 'connection',
    status: null,
    errorType: 'invalid_response',
    message: 'The Admin API gave a response the gateway could not read.',
  });
}
