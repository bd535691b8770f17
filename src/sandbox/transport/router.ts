import type { Query } from './params.js';
import type { SandboxStore } from '../store.js';
import type { ApiVersion } from './version.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RouteContext {
  store: SandboxStore;
  /** Path parameters, URL-decoded. */
  params: Record<string, string>;
  query: Query;
  /** Parsed JSON body, `null` when none was sent. */
  body: unknown;
  /** The API version the request names (`anthropic-version`); answers take its shapes. */
  version: ApiVersion;
}

/** Returns the JSON body of a 200 answer, or throws an ApiError. */
export type Handler = (ctx: RouteContext) => unknown;

export interface Route {
  method: Method;
  /** Pattern such as `/v1/organizations/users/:user_id`. */
  path: string;
  handler: Handler;
  /**
   * The credential the endpoint takes, when not every configured one: `oauth` for the endpoints
   * that accept only an OAuth access token (service accounts, federation).
   */
  accepts?: 'oauth';
}

export function route(method: Method, path: string, handler: Handler): Route {
  return { method, path, handler };
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed' }
  | { kind: 'not_found' };

/**
 * Matches decoded path segments against the table. Literal segments must be equal; `:name`
 * segments take any non-empty value.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: string[],
): RouteMatch {
  let pathMatched = false;
  for (const candidate of routes) {
    const params = matchPattern(candidate.path, segments);
    if (!params) continue;
    if (candidate.method === method) return { kind: 'found', route: candidate, params };
    pathMatched = true;
  }
  return pathMatched ? { kind: 'method_not_allowed' } : { kind: 'not_found' };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      params[part.slice(1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
