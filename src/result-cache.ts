import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { ReadCache } from './upstream/read-cache.js';

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

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
  }

  private documentKey(document: DocumentNode): string {
    let key = this.documents.get(document);
    if (key === undefined) {
      key = print(document);
      this.documents.set(document, key);
    }
    return key;
  }

  /** The key of one operation for one caller, at the current cache generation. */
  async key(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<string> {
    const generation = await this.reads.generationOfAll();
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

  /** Keeps a result if it is complete: results with errors are never reused. */
  set(key: string, result: ExecutionResult): void {
    if (result.errors?.length || !result.data) return;
    this.results.set(key, { data: result.data, [SERIALIZED_DATA]: JSON.stringify(result.data) });
  }
}

/**
 * Answers a result that came from the cache with its data already serialized: only the small
 * `extensions` are turned into JSON for each request.
 */
export function serializedResultPlugin(): Plugin {
  return {
    onResultProcess({ result, acceptableMediaTypes, setResultProcessor }) {
      if (Array.isArray(result) || !result || typeof result !== 'object') return;
      const data = (result as Partial<CachedResult>)[SERIALIZED_DATA];
      if (data === undefined || (result as ExecutionResult).errors?.length) return;
      const mediaType =
        acceptableMediaTypes.find((type) => type === 'application/graphql-response+json') ??
        acceptableMediaTypes.find((type) => type === 'application/json');
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
