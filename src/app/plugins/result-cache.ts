import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../../graphql/context.js';
import { stableJson, type ReadCache } from '../../upstream/read-cache.js';

/**
 * Whole results of read-only operations, kept in this process for the cache TTL: a warm operation
 * then costs neither upstream requests nor resolver work. A result is keyed by the operation, its
 * variables, the credential it was fetched with and the caller's scopes, and by the generation of
 * the shared read cache, which every mutation (through any replica) moves on: a query after a
 * mutation never gets a result from before it.
 */
/**
 * A cached result also keeps the head of its response encoded (`{"data":…,"extensions":`, UTF-8),
 * so that a hit is neither serialized nor encoded again: only its small extensions are.
 */
export const ENCODED_HEAD = Symbol('encoded head');

/** What a hit reports without executing: the operation's estimate and its name. */
export const HIT_INFO = Symbol('hit info');

export interface HitInfo {
  /** The operation's estimated upstream requests when it was executed. */
  estimatedUpstreamRequests: number;
  /** The name of the operation that ran (for metrics and the operation log). */
  operationName: string | undefined;
}

export interface CachedResult extends ExecutionResult {
  [ENCODED_HEAD]: Buffer;
  [HIT_INFO]?: HitInfo;
}

/** The caller part of a result's key: the credential's fingerprint and the scopes held. */
export function callerKey(fingerprint: string, scopes: ReadonlySet<string>): string {
  return `${fingerprint}:${[...scopes].sort().join(' ')}`;
}

/** Most characters of query texts remembered for the fast hit path (see ResultCache.alias). */
const ALIAS_CHARS = 8_000_000;

export class ResultCache {
  private readonly results: LRUCache<string, CachedResult>;
  private readonly documents = new WeakMap<DocumentNode, string>();
  /**
   * Query texts of cached results, each with its document as the key prints it: a request with
   * the same text finds its result without being parsed (the fast hit path). Bounded by size.
   */
  private readonly texts = new LRUCache<string, string>({
    maxSize: ALIAS_CHARS,
    sizeCalculation: (printed, text) => printed.length + text.length,
  });
  private readonly listeners = new Set<(hit: boolean) => void>();

  private readonly reads: ReadCache;

  constructor(reads: ReadCache, ttlMs: number, maxEntries = 2_000) {
    this.results = new LRUCache({ max: maxEntries, ttl: ttlMs });
    // A write whose invalidation did not reach the shared state did not move the generation on:
    // forget every result, so that none from before the write is served after it.
    reads.onLostInvalidation(() => this.results.clear());
    this.reads = reads;
  }

  private documentKey(document: DocumentNode): string {
    let key = this.documents.get(document);
    if (key === undefined) {
      key = print(document);
      this.documents.set(document, key);
    }
    return key;
  }

  /**
   * The key of one operation for one caller, at the current cache generation; undefined when the
   * generation cannot be read (the shared state fails): the operation is then executed.
   */
  async key(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<string | undefined> {
    return this.keyOf(this.documentKey(document), operationName, variables, caller);
  }

  private async keyOf(
    printed: string,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<string | undefined> {
    const generation = await this.reads.generationOfAll();
    if (generation === null) return undefined;
    return `${generation}\u0000${caller}\u0000${operationName ?? ''}\u0000${stableJson(variables ?? {})}\u0000${printed}`;
  }

  /** Remembers that `text` is the query text of `document` (see `texts`). */
  alias(text: string, document: DocumentNode): void {
    if (!this.texts.has(text)) this.texts.set(text, this.documentKey(document));
  }

  /** Whether a result was ever cached for this query text (a cheap first test for the fast path). */
  knowsText(text: string): boolean {
    return this.texts.has(text);
  }

  /**
   * The cached result of a query sent as `text`, found without parsing it; undefined when there is
   * none (the request then takes the usual path, which counts the lookup).
   */
  async getByText(
    text: string,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<CachedResult | undefined> {
    const printed = this.texts.get(text);
    if (printed === undefined) return undefined;
    const key = await this.keyOf(printed, operationName, variables, caller);
    const result = key === undefined ? undefined : this.results.get(key);
    if (result) for (const listener of this.listeners) listener(true);
    return result;
  }

  get(key: string): CachedResult | undefined {
    const result = this.results.get(key);
    for (const listener of this.listeners) listener(result !== undefined);
    return result;
  }

  /** Registers a listener that hears every lookup (hit or miss), for metrics. */
  onLookup(listener: (hit: boolean) => void): void {
    this.listeners.add(listener);
  }

  /**
   * Keeps a result if it is complete: results with errors are never reused. Returns its encoded
   * head (undefined when not kept), so that the response to this very request is not serialized
   * a second time.
   */
  set(key: string, result: ExecutionResult, info?: HitInfo): Buffer | undefined {
    if (result.errors?.length || !result.data) return undefined;
    const head = Buffer.from(`{"data":${JSON.stringify(result.data)},"extensions":`);
    this.results.set(key, { data: result.data, [ENCODED_HEAD]: head, [HIT_INFO]: info });
    return head;
  }
}

/**
 * Serves a query whose whole result is cached (same document, variables, credential and scopes,
 * at the read cache's current generation) without executing it, and keeps complete results of
 * queries that read nothing volatile. Runs after the cost limit, which marks volatile operations.
 */
export function resultCachePlugin(cache: ResultCache): Plugin<GatewayContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue;
      const operation = getOperationAST(args.document, args.operationName);
      if (context.volatile || operation?.operation !== 'query') return;
      const key = await cache.key(
        args.document,
        args.operationName,
        args.variableValues ?? undefined,
        callerKey(context.api.credential.fingerprint, context.caller.scopes),
      );
      if (key === undefined) return;
      const cached = cache.get(key);
      if (cached) {
        context.api.cacheHits++;
        context.fromResultCache = true;
        setResultAndStopExecution({
          ...cached,
          [ENCODED_HEAD]: cached[ENCODED_HEAD],
        } as ExecutionResult);
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const head = cache.set(key, result, {
            estimatedUpstreamRequests: context.estimatedUpstreamRequests ?? 0,
            operationName: operation.name?.value,
          });
          if (head === undefined) return;
          // The same text, sent again, may find this result before it is parsed (fast-hit.ts).
          const text = (context as Partial<YogaInitialContext>).params?.query;
          if (typeof text === 'string') cache.alias(text, args.document);
          // A result just cached is answered from its encoded head, as a hit is.
          setResult({ ...result, [ENCODED_HEAD]: head } as ExecutionResult);
        },
      };
    },
  };
}

const JSON_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;

/**
 * The media type of a single result for this request's `Accept`, chosen as graphql-yoga chooses
 * it for an executed result (the first acceptable type the client lists wins; utf-8 only), so that
 * a cache hit is answered exactly as the same request executed would be; null when neither JSON
 * type is acceptable (yoga then answers 406).
 */
export function negotiatedMediaType(request: Request): string | null {
  const accepted = (request.headers.get('accept') || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',');
  let chosen: string | null = null;
  for (const entry of accepted.reverse()) {
    const [mediaType, ...params] = entry.split(';');
    if (!mediaType) continue;
    const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8') continue;
    const [type, subtype] = mediaType.split('/');
    for (const candidate of JSON_MEDIA_TYPES) {
      const [candidateType, candidateSubtype] = candidate.split('/');
      if (
        (type === '*' || type === candidateType) &&
        (subtype === '*' || subtype === candidateSubtype)
      ) {
        chosen = candidate;
      }
    }
  }
  return chosen;
}

/**
 * Answers a result that came from the cache with its head already serialized and encoded: only the
 * small `extensions` are turned into JSON and bytes for each request, and the body is handed over
 * as bytes (no string of the whole answer is built or encoded again).
 */
export function serializedResultPlugin(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (Array.isArray(result) || !result || typeof result !== 'object') return;
      const head = (result as Partial<CachedResult>)[ENCODED_HEAD];
      if (head === undefined || (result as ExecutionResult).errors?.length) return;
      const mediaType = negotiatedMediaType(request);
      if (!mediaType) return;
      setResultProcessor(
        (processed, fetchAPI) =>
          new fetchAPI.Response(
            Buffer.concat([
              head,
              Buffer.from(`${JSON.stringify((processed as ExecutionResult).extensions ?? {})}}`),
            ]),
            { status: 200, headers: { 'Content-Type': `${mediaType}; charset=utf-8` } },
          ),
        mediaType,
      );
    },
  };
}
