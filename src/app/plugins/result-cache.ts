import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
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
/** A cached result also keeps its data serialized, so that a hit is not serialized again. */
export const SERIALIZED_DATA = Symbol('serialized data');

export interface CachedResult extends ExecutionResult {
  [SERIALIZED_DATA]: string;
}

export class ResultCache {
  private readonly results: LRUCache<string, CachedResult>;
  private readonly documents = new WeakMap<DocumentNode, string>();
  private readonly listeners = new Set<(hit: boolean) => void>();

  constructor(
    private readonly reads: ReadCache,
    ttlMs: number,
    maxEntries = 2_000,
  ) {
    this.results = new LRUCache({ max: maxEntries, ttl: ttlMs });
    // A write whose invalidation did not reach the shared state did not move the generation on:
    // forget every result, so that none from before the write is served after it.
    reads.onLostInvalidation(() => this.results.clear());
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
    const generation = await this.reads.generationOfAll();
    if (generation === null) return undefined;
    return `${generation}\u0000${caller}\u0000${operationName ?? ''}\u0000${stableJson(variables ?? {})}\u0000${this.documentKey(document)}`;
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
   * Keeps a result if it is complete: results with errors are never reused. Returns its data
   * serialized (undefined when not kept), so that the response to this very request is not
   * serialized a second time.
   */
  set(key: string, result: ExecutionResult): string | undefined {
    if (result.errors?.length || !result.data) return undefined;
    const serialized = JSON.stringify(result.data);
    this.results.set(key, { data: result.data, [SERIALIZED_DATA]: serialized });
    return serialized;
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
      if (
        context.volatile ||
        getOperationAST(args.document, args.operationName)?.operation !== 'query'
      ) {
        return;
      }
      const key = await cache.key(
        args.document,
        args.operationName,
        args.variableValues ?? undefined,
        `${context.api.credential.fingerprint}:${[...context.caller.scopes].sort().join(' ')}`,
      );
      if (key === undefined) return;
      const cached = cache.get(key);
      if (cached) {
        context.api.cacheHits++;
        context.fromResultCache = true;
        setResultAndStopExecution({
          ...cached,
          [SERIALIZED_DATA]: cached[SERIALIZED_DATA],
        } as ExecutionResult);
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const serialized = cache.set(key, result);
          // A result just cached is answered from its serialized data, as a hit is.
          if (serialized !== undefined)
            setResult({ ...result, [SERIALIZED_DATA]: serialized } as ExecutionResult);
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
 * Answers a result that came from the cache with its data already serialized: only the small
 * `extensions` are turned into JSON for each request.
 */
export function serializedResultPlugin(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (Array.isArray(result) || !result || typeof result !== 'object') return;
      const data = (result as Partial<CachedResult>)[SERIALIZED_DATA];
      if (data === undefined || (result as ExecutionResult).errors?.length) return;
      const mediaType = negotiatedMediaType(request);
      if (!mediaType) return;
      setResultProcessor(
        (processed, fetchAPI) =>
          new fetchAPI.Response(
            `{"data":${data},"extensions":${JSON.stringify((processed as ExecutionResult).extensions ?? {})}}`,
            { status: 200, headers: { 'Content-Type': `${mediaType}; charset=utf-8` } },
          ),
        mediaType,
      );
    },
  };
}
