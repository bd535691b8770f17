import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, errorBody, invalidRequest, notFound } from './errors.js';
import {
  FaultQueue,
  RateLimiter,
  checkLatency,
  checkRateLimit,
  echoCredential,
  faultSpecFromJson,
  faultSpecToJson,
} from './knobs.js';
import type { FaultAction, FaultKind, FaultSpec, SandboxConfig } from './knobs.js';
import { isObject, parseQuery } from './params.js';
import type { Query } from './params.js';
import { Rng } from '../random.js';
import { matchRoute } from './router.js';
import { apiVersionOf } from './version.js';
import { ROUTES } from './routes.js';
import { requireOAuthToken } from './oauth.js';
import type { SandboxStore } from '../store.js';

/** What the sandbox saw of one API request (control routes are not recorded). */
export interface RecordedRequest {
  method: string;
  /** Decoded pathname. */
  path: string;
  /** Query parameters with their keys exactly as sent, e.g. `roles[]`. */
  query: Query;
  /** Parsed JSON body, `null` when there was none or it was not JSON. */
  body: unknown;
  /** HTTP status answered; 0 when an injected fault kept the answer from being sent. */
  status: number;
  requestId: string;
  /** The kind of injected fault that played on this request, if any. */
  fault?: FaultKind;
  /** Name of the configured credential that authenticated the call; `null` if none did. */
  credential: string | null;
  /** Request headers, credential headers removed. */
  headers: Record<string, string>;
  /** When the request arrived and when its answer was sent (`performance.now()` of this process). */
  arrivedAt: number;
  answeredAt: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const CONTROL_PREFIX = '/_sandbox/';
const REQUEST_ID_SEED = 0x7265_7131;
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);
/** What a `malformed` fault answers: the start of a JSON document, cut off. */
const MALFORMED_BODY = '{"data": [{"id": "user_01';

interface Reply {
  status: number;
  body: unknown;
  retryAfter?: number | undefined;
  /** `body` already encoded as JSON (see handle). */
  encoded?: Buffer;
}

interface Incoming {
  method: string;
  rawPath: string;
  path: string;
  query: Query;
  headers: IncomingHttpHeaders;
  text: string;
  tooLarge: boolean;
}

function errorReply(error: unknown, requestId: string): Reply {
  const apiError = error instanceof ApiError ? error : new ApiError(500, 'Internal server error.');
  return {
    status: apiError.status,
    body: errorBody(apiError, requestId),
    retryAfter: apiError.retryAfter,
  };
}

/** The HTTP face of the sandbox: auth, knobs, faults, routing and recording. */
export class SandboxHttp {
  readonly server: Server;
  readonly requests: RecordedRequest[] = [];
  readonly config: SandboxConfig;
  private readonly faults = new FaultQueue();
  private readonly limiter: RateLimiter;
  private readonly requestIds = new Rng(REQUEST_ID_SEED);
  /** secret → credential name. */
  private readonly secrets: Map<string, string>;

  constructor(
    private readonly store: SandboxStore,
    credentials: Record<string, string>,
    config: SandboxConfig,
  ) {
    this.secrets = new Map();
    for (const [name, secret] of Object.entries(credentials)) {
      if (secret.length === 0) throw new Error(`credential '${name}' is empty`);
      this.secrets.set(secret, name);
    }
    if (this.secrets.size === 0) throw new Error('at least one credential is required');
    this.limiter = new RateLimiter(config.rateLimitWindowMs);
    this.config = {
      latencyMs: checkLatency(config.latencyMs),
      rateLimitPerMinute: checkRateLimit(config.rateLimitPerMinute),
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    // Idle connections stay open longer than a client keeps them (undici: 4 s), so that the client
    // always closes first: with Node's default 5 s, a request sent on a connection the server is
    // closing just then fails with ECONNRESET.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  setLatency(ms: number): void {
    this.config.latencyMs = checkLatency(ms);
  }

  setRateLimit(perMinute: number | null): void {
    this.config.rateLimitPerMinute = checkRateLimit(perMinute);
    this.limiter.clear();
  }

  injectFault(fault: FaultSpec): void {
    this.faults.add(fault);
  }

  /** Reseeds the data and forgets faults and rate-limit windows; settings stay. */
  reset(): void {
    this.store.reset();
    this.faults.clear();
    this.limiter.clear();
  }

  private nextRequestId(): string {
    return this.requestIds.id('req_');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.nextRequestId();
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const incoming: Incoming = {
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath,
      path: safeDecode(rawPath) ?? rawPath,
      query: parseQuery(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1)),
      headers: req.headers,
      ...(await readBody(req)),
    };

    if (rawPath.startsWith(CONTROL_PREFIX)) {
      this.send(res, requestId, this.control(incoming, requestId));
      return;
    }

    // The latency stands for the whole time upstream takes to answer, its own work included. A
    // read changes nothing, so it is answered (and encoded) on arrival and sent once the latency
    // has passed: a 1000-item page costs its latency, not its latency plus its rendering. A write
    // takes effect after the latency, as before.
    const arrived = performance.now();
    const readOnly = incoming.method === 'GET';
    if (!readOnly && this.config.latencyMs > 0) await sleep(this.config.latencyMs);
    const credential = this.authenticate(req.headers);
    let reply: Reply;
    let action: FaultAction | undefined;
    let faultDelay = 0;
    try {
      this.checkAccess(incoming, credential);
      action = this.faults.take(incoming.method, incoming.path);
      if (action?.kind === 'status') throw echoCredential(action.error, req.headers);
      if (action?.kind === 'latency') {
        await sleep(action.delayMs);
        faultDelay = action.delayMs;
      }
      reply =
        action && 'handle' in action && !action.handle
          ? { status: 0, body: null }
          : { status: 200, body: this.dispatch(incoming) };
    } catch (error) {
      reply = errorReply(error, requestId);
    }
    if (readOnly) {
      reply.encoded = Buffer.from(JSON.stringify(reply.body), 'utf8');
      // An injected delay comes on top of the latency, as for a write.
      const left = this.config.latencyMs - (performance.now() - arrived - faultDelay);
      if (left > 0) await sleep(left);
    }
    const transport = action?.kind === 'status' || action?.kind === 'latency' ? undefined : action;
    this.requests.push({
      method: incoming.method,
      path: incoming.path,
      query: incoming.query,
      body: tryParseJson(incoming.text),
      // What went over the wire: nothing for a timeout or a reset, 200 for a mangled answer.
      status: transport ? (transport.kind === 'malformed' ? 200 : 0) : reply.status,
      requestId,
      credential: typeof credential === 'string' ? credential : null,
      headers: publicHeaders(req.headers),
      arrivedAt: arrived,
      answeredAt: performance.now(),
      ...(action ? { fault: action.kind } : {}),
    });
    switch (transport?.kind) {
      case undefined:
        this.send(res, requestId, reply);
        return;
      case 'timeout':
        // No answer: the socket stays open until the client gives up (or the server closes).
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'malformed':
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(MALFORMED_BODY)),
            'request-id': requestId,
            'anthropic-organization-id': this.store.organization.id,
          })
          .end(MALFORMED_BODY);
        return;
    }
  }

  /** The credential and the version header every API request needs. */
  private checkAccess(incoming: Incoming, credential: string | ApiError): void {
    if (credential instanceof ApiError) throw credential;
    apiVersionOf(headerValue(incoming.headers, 'anthropic-version'));
  }

  /** Rate limit, body, then the route handler (auth and faults are checked before). */
  private dispatch(incoming: Incoming): unknown {
    const { method, path } = incoming;
    if (this.config.rateLimitPerMinute !== null) {
      this.limiter.take(this.store.organization.id, this.config.rateLimitPerMinute);
    }
    const segments = incoming.rawPath.split('/').slice(1).map(safeDecode);
    if (segments.some((s) => s === undefined)) throw notFound();
    const match = matchRoute(ROUTES, method, segments as string[]);
    if (match.kind === 'not_found') throw notFound(`No route for ${method} ${path}.`);
    if (match.kind === 'method_not_allowed') {
      throw new ApiError(405, `Method ${method} is not allowed for ${path}.`);
    }
    if (match.route.accepts === 'oauth') requireOAuthToken(incoming.headers);
    if (incoming.tooLarge) throw new ApiError(413, 'Request body is too large.');
    const body = method === 'POST' ? parseJson(incoming.text) : null;
    return match.route.handler({
      store: this.store,
      params: match.params,
      query: incoming.query,
      body,
      version: apiVersionOf(headerValue(incoming.headers, 'anthropic-version')),
    });
  }

  /** The name of the credential sent, or the 401 to answer. */
  private authenticate(headers: IncomingHttpHeaders): string | ApiError {
    const apiKey = headerValue(headers, 'x-api-key');
    const authorization = headerValue(headers, 'authorization');
    let secret: string | undefined;
    if (apiKey) {
      secret = apiKey;
    } else if (authorization) {
      secret = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? '';
    }
    if (secret === undefined) {
      return new ApiError(
        401,
        'Missing credentials: send an Admin API key in x-api-key or a token in Authorization: Bearer.',
      );
    }
    return this.secrets.get(secret) ?? new ApiError(401, 'Invalid authentication credentials.');
  }

  /** `/_sandbox/` routes: no credential, no latency, not recorded. */
  private control(incoming: Incoming, requestId: string): Reply {
    try {
      const route = `${incoming.method} ${incoming.rawPath}`;
      if (route === 'GET /_sandbox/config') return { status: 200, body: { ...this.config } };
      if (route === 'POST /_sandbox/config') {
        const input = parseJson(incoming.text) ?? {};
        if (!isObject(input)) throw invalidRequest('Request body must be a JSON object');
        try {
          if ('latencyMs' in input) this.setLatency(input['latencyMs'] as number);
          if ('rateLimitPerMinute' in input) {
            this.setRateLimit(input['rateLimitPerMinute'] as number | null);
          }
        } catch (error) {
          throw invalidRequest((error as Error).message);
        }
        return { status: 200, body: { ...this.config } };
      }
      if (incoming.rawPath === '/_sandbox/faults') return this.faultControl(incoming);
      if (route === 'POST /_sandbox/reset') {
        this.reset();
        return { status: 200, body: { type: 'sandbox_reset' } };
      }
      throw notFound(`No sandbox control route ${route}.`);
    } catch (error) {
      return errorReply(error, requestId);
    }
  }

  /** `POST /_sandbox/faults` queues one fault or an array of them; DELETE drops them all. */
  private faultControl(incoming: Incoming): Reply {
    const listing = (): Reply => ({
      status: 200,
      body: {
        type: 'sandbox_faults',
        faults: this.faults
          .list()
          .map(({ spec, remaining }) => ({ ...faultSpecToJson(spec), remaining })),
      },
    });
    switch (incoming.method) {
      case 'GET':
        return listing();
      case 'DELETE':
        this.faults.clear();
        return listing();
      case 'POST': {
        const input = parseJson(incoming.text);
        const items = Array.isArray(input) ? input : [input];
        let specs: FaultSpec[];
        try {
          specs = items.map(faultSpecFromJson);
          // Check them all before queuing any, so that a bad one queues nothing.
          const probe = new FaultQueue();
          for (const spec of specs) probe.add(spec);
        } catch (error) {
          throw invalidRequest((error as Error).message);
        }
        for (const spec of specs) this.faults.add(spec);
        return listing();
      }
      default:
        throw new ApiError(405, `Method ${incoming.method} is not allowed for /_sandbox/faults.`);
    }
  }

  private send(res: ServerResponse, requestId: string, reply: Reply): void {
    // Encoded once: its length is the buffer's, instead of measuring the text and encoding it again.
    const body = reply.encoded ?? Buffer.from(JSON.stringify(reply.body), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'request-id': requestId,
      'anthropic-organization-id': this.store.organization.id,
    };
    if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    res.writeHead(reply.status, headers).end(body);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

function publicHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name) || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function tryParseJson(text: string): unknown {
  try {
    return text.trim() === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** `null` for an empty body; 400 for text that is not JSON. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('Request body is not valid JSON.');
  }
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}
