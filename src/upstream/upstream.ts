import Anthropic from '@anthropic-ai/sdk';
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import { type UpstreamCredential, credentialHeaders } from './credentials.js';
import type { BudgetCaller, UpstreamBudget } from './budget.js';
import { UpstreamError, toUpstreamError } from './errors.js';
import type { ReadCache } from './read-cache.js';
import { CollectionSizes } from './collection-sizes.js';

/**
 * The Admin API version the gateway speaks (CONTRACT.md §1.2): 2026-10-21, the version the SDK
 * (1.x) types its objects after and sends by default. Kept explicit so that the value on the wire
 * is the one the gateway reads its answers as, whatever the SDK's default becomes.
 */
export const ADMIN_API_VERSION = '2026-10-21';

export type SdkOrganization = Anthropic['beta']['organization'];
/** What every SDK call takes as its options: here, the credential headers of the request. */
export interface RequestOptions {
  headers: Record<string, string | null>;
}

/** What every upstream endpoint is to the gateway: a name, an HTTP method, read or write. */
export interface UpstreamOperation {
  /** Stable name such as `users.list`, for logs and metrics. */
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Writes are never retried automatically. */
  write: boolean;
  /**
   * The credential the endpoint accepts: `oauth` for the endpoints that take only an OAuth access
   * token with the `org:admin` scope (service accounts, federation issuers and rules); an Admin
   * API key otherwise.
   */
  credential?: 'oauth';
  /**
   * The feature an organization must be enabled for (a beta): a 404 from an operation that names
   * no object then means "not enabled", not "not found".
   */
  gate?: string;
  /**
   * The endpoint has a rate limit of its own, narrower than the organization's (a telemetry
   * destination's test: one per 10 s): its 429 refuses this call alone and does not pause the
   * credential's other upstream calls.
   */
  ownRateLimit?: boolean;
}

/** One HTTP attempt against the Admin API, reported to every listener. */
export interface UpstreamAttempt {
  operation: string;
  method: string;
  /** 0 for the first attempt, then 1, 2, … for retries. */
  attempt: number;
  /** HTTP status, or null when no answer arrived. */
  status: number | null;
  upstreamRequestId: string | null;
  durationMs: number;
  credential: UpstreamCredential['fingerprint'];
  credentialSource: UpstreamCredential['source'];
  /** The request's path and query as sent (`/v1/organizations/users/user_…`), when one was sent. */
  path?: string | null;
}

/** A REST request an SDK call would send, captured instead of sent (a dry run). */
export interface CapturedRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The query parameters, each with its values. */
  query: Record<string, string[]>;
  /** The JSON body, parsed; null when there is none. */
  body: unknown;
}

/**
 * What the SDK's fetch is doing for the call around it: it notes the path it sends, or, when
 * `capture` is set, records the request and answers it itself without sending anything.
 */
/** The header by which an SDK call's request names its FetchSlot; never sent upstream. */
const SLOT_HEADER = 'x-admin-graph-fetch-slot';

interface FetchSlot {
  path: string | null;
  capture?: (request: CapturedRequest) => void;
}

export interface UpstreamOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Retries of a failed read; writes are never retried. */
  maxRetries: number;
  /** Longest a retry may wait for; a longer `retry-after` fails the call at once instead. */
  maxRetryWaitMs?: number;
  /** The budget every attempt takes a token from; none means unlimited. */
  budget?: UpstreamBudget;
  /** The shared cache of reads; none means no caching. */
  cache?: ReadCache;
  /** A read and its retries must finish within this; no retry starts that would end later. */
  readDeadlineMs?: number;
  /**
   * After a run of upstream failures, calls fail fast for this long before one is tried again;
   * 0 turns the circuit breaker off.
   */
  circuitResetMs?: number;
}

/** Whether a failure says the Admin API itself is in trouble (what the circuit breaker counts). */
function isOutage(error: UpstreamError): boolean {
  if (error.kind === 'timeout' || error.kind === 'connection') return true;
  return error.kind === 'http' && (error.status ?? 0) >= 500;
}

/**
 * One SDK call: a method of the organization resources, or (for the report paths the SDK has no
 * method for) the client's public generic `get`. Its result is read as the SDK types it.
 */
export type SdkCall<T> = (
  organization: SdkOrganization,
  options: RequestOptions,
  client: Anthropic,
) => { withResponse(): Promise<{ data: T; request_id: string | null | undefined }> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The single place every Admin API request passes through. It owns the SDK client, applies the
 * caller's credential, the timeout and the retry policy, turns failures into UpstreamErrors, and
 * reports every attempt to its listeners (counting, logging, and later budget and metrics).
 */
export class Upstream {
  private readonly client: Anthropic;
  private readonly organization: SdkOrganization;
  private readonly listeners = new Set<(attempt: UpstreamAttempt) => void>();
  private readonly maxRetryWaitMs: number;
  readonly budget: UpstreamBudget | undefined;
  readonly cache: ReadCache | undefined;
  /** Collection sizes seen in list pages, per credential, for the cost estimate. */
  readonly sizes = new CollectionSizes();
  /**
   * Opens when at least half of the recent attempts (five or more within ten seconds) failed with
   * an outage: calls then fail at once with UPSTREAM_UNAVAILABLE instead of piling onto a failing
   * Admin API, until one trial call after `circuitResetMs` succeeds.
   */
  readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly circuitResetMs: number;
  /** Taken from the global tracer provider when the gateway is built, as the yoga plugin does. */
  private readonly tracer: Tracer = trace.getTracer('admin-graph');
  /**
   * The slots of the SDK calls in progress, by the id their request carries in SLOT_HEADER (which
   * the client's fetch removes before sending): no AsyncLocalStorage, whose promise hooks would
   * slow every promise of the process on Node 20.
   */
  private readonly fetchSlots = new Map<string, FetchSlot>();
  private lastSlot = 0;

  constructor(private readonly options: UpstreamOptions) {
    this.budget = options.budget;
    this.cache = options.cache;
    this.circuitResetMs = options.circuitResetMs ?? 10_000;
    this.breaker = new CircuitBreaker((attempt: () => Promise<unknown>) => attempt(), {
      timeout: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 5,
      rollingCountTimeout: 10_000,
      resetTimeout: this.circuitResetMs,
      enabled: this.circuitResetMs > 0,
      // Only outages count: a 404 or a 429 says nothing about the Admin API's health.
      errorFilter: (error: unknown) => !isOutage(toUpstreamError(error)),
    });
    this.client = new Anthropic({
      baseURL: options.baseUrl,
      // Every request carries its own credential header (see call()); this placeholder only keeps
      // the SDK from looking for credentials in the environment or in files.
      apiKey: 'credential-set-per-request',
      timeout: options.timeoutMs,
      maxRetries: 0,
      logLevel: 'off',
      defaultHeaders: { 'anthropic-version': ADMIN_API_VERSION },
      fetch: (url, init) => this.fetchThrough(url, init),
    });
    this.organization = this.client.beta.organization;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 5_000;
  }

  /** The SDK's fetch: notes the path sent, or captures the request of a dry run unsent. */
  private async fetchThrough(url: string | URL | Request, init?: RequestInit): Promise<Response> {
    const headers = new Headers(init?.headers);
    const slotId = headers.get(SLOT_HEADER);
    const slot = slotId === null ? undefined : this.fetchSlots.get(slotId);
    if (slotId !== null) {
      headers.delete(SLOT_HEADER);
      init = { ...init, headers };
    }
    const target = new URL(url instanceof Request ? url.url : url);
    if (slot) slot.path = `${target.pathname}${target.search}`;
    if (!slot?.capture) return fetch(url, init);
    const query: Record<string, string[]> = {};
    for (const [key, value] of target.searchParams) (query[key] ??= []).push(value);
    let body: unknown = null;
    if (typeof init?.body === 'string' && init.body) {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    slot.capture({ method: init?.method ?? 'GET', path: target.pathname, query, body });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }

  /**
   * Makes an SDK call against a fetch that records the REST request it would send and sends
   * nothing (a dry run): no budget token, no attempt reported. Answers the request captured.
   */
  async capture<T>(credential: UpstreamCredential, run: SdkCall<T>): Promise<CapturedRequest> {
    let captured: CapturedRequest | null = null;
    const slot: FetchSlot = { path: null, capture: (request) => (captured ??= request) };
    await this.inSlot(slot, credential, run).catch(() => undefined); // the stand-in answer may not parse as the call expects
    if (!captured) throw new Error('the SDK call sent no request');
    return captured;
  }

  /** Runs one SDK call whose request carries `slot`'s id to the client's fetch. */
  private async inSlot<T>(slot: FetchSlot, credential: UpstreamCredential, run: SdkCall<T>) {
    const id = String(++this.lastSlot);
    this.fetchSlots.set(id, slot);
    try {
      return await run(
        this.organization,
        { headers: { ...credentialHeaders(credential), [SLOT_HEADER]: id } },
        this.client,
      ).withResponse();
    } finally {
      this.fetchSlots.delete(id);
    }
  }

  /** Registers a listener for every HTTP attempt; returns a function that removes it. */
  onAttempt(listener: (attempt: UpstreamAttempt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one Admin API operation with the given credential. `observe` hears this call's attempts
   * only (a request's own count); the listeners hear every attempt.
   */
  async call<T>(
    credential: UpstreamCredential,
    operation: UpstreamOperation,
    run: SdkCall<T>,
    observe?: (attempt: UpstreamAttempt) => void,
    caller?: BudgetCaller,
  ): Promise<T> {
    const slot: FetchSlot = { path: null };
    const report = (attempt: number, started: number, status: number | null, id: string | null) => {
      const event: UpstreamAttempt = {
        path: slot.path,
        operation: operation.name,
        method: operation.method,
        attempt,
        status,
        upstreamRequestId: id,
        durationMs: Math.round(performance.now() - started),
        credential: credential.fingerprint,
        credentialSource: credential.source,
      };
      observe?.(event);
      for (const listener of this.listeners) listener(event);
    };
    const retries = operation.write ? 0 : this.options.maxRetries;
    const deadline = Date.now() + (this.options.readDeadlineMs ?? 20_000);
    for (let attempt = 0; ; attempt++) {
      if (this.breaker.opened) {
        throw new UpstreamError({
          kind: 'circuit',
          status: null,
          errorType: 'circuit_open',
          message:
            'The Admin API has been failing; the gateway is not sending requests for a moment.',
          retryAfterSeconds: Math.ceil(this.circuitResetMs / 1000),
        });
      }
      try {
        await this.budget?.acquire(credential.fingerprint, caller);
      } catch (caught) {
        throw toUpstreamError(caught);
      }
      const started = performance.now();
      const span = this.tracer.startSpan(`Admin API ${operation.name}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': operation.method,
          'admin_graph.upstream.operation': operation.name,
          'admin_graph.upstream.attempt': attempt,
        },
      });
      try {
        // The breaker hands back no type; the answer is kept here as the SDK call typed it.
        const box: { answer?: { data: T; request_id: string | null | undefined } } = {};
        slot.path = null;
        await this.breaker.fire(async () => {
          box.answer = await this.inSlot(slot, credential, run);
        });
        if (!box.answer) throw new Error(`Admin API ${operation.name}: the call returned nothing`);
        const { data, request_id } = box.answer;
        report(attempt, started, 200, request_id ?? null);
        span.setAttributes({
          'http.response.status_code': 200,
          'admin_graph.upstream.request_id': request_id ?? '',
        });
        span.end();
        return data;
      } catch (caught) {
        const error = toUpstreamError(caught, [credential.secret]);
        span.setAttributes({
          'http.response.status_code': error.status ?? 0,
          'admin_graph.upstream.request_id': error.upstreamRequestId ?? '',
          'error.type': error.errorType,
        });
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.errorType });
        span.end();
        if (error.kind === 'circuit') throw error; // nothing was sent
        report(attempt, started, error.status, error.upstreamRequestId);
        if (error.status === 429 && !operation.ownRateLimit) {
          await this.budget?.pause(credential.fingerprint, error.retryAfterSeconds ?? 1);
        }
        const wait = this.retryDelay(error, attempt);
        if (attempt >= retries || wait === null || Date.now() + wait > deadline) throw error;
        await sleep(wait);
      }
    }
  }

  /** How long to wait before retrying after `error`, or null when it must not be retried. */
  private retryDelay(error: UpstreamError, attempt: number): number | null {
    if (!error.retryable) return null;
    if (error.retryAfterSeconds !== null) {
      const wait = error.retryAfterSeconds * 1000;
      return wait <= this.maxRetryWaitMs ? wait : null;
    }
    const base = Math.min(this.maxRetryWaitMs, 200 * 2 ** attempt);
    return base / 2 + Math.random() * (base / 2);
  }
}
