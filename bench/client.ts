/** A GraphQL response as the benchmark reads it. */
export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface Posted {
  status: number;
  body: GraphQLResponse;
  /** Client-side wall time of the HTTP round trip, in milliseconds. */
  ms: number;
}

/** Posts one GraphQL operation over loopback HTTP. */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
  init: { signal?: AbortSignal } = {},
): Promise<Posted> {
  const started = performance.now();
  const response = await fetch(url, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: GraphQLResponse;
  try {
    body = JSON.parse(text) as GraphQLResponse;
  } catch {
    body = { errors: [{ message: `not JSON (HTTP ${response.status})` }] };
  }
  return { status: response.status, body, ms };
}

/** The request body autocannon sends for an operation. */
export function requestBody(
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
): string {
  return JSON.stringify({ query, variables, operationName });
}

/** `extensions.code` of each error (or `NO_CODE`), for tallies. */
export function errorCodes(body: GraphQLResponse): string[] {
  return (body.errors ?? []).map((error) => {
    const code = error.extensions?.['code'];
    return typeof code === 'string' ? code : 'NO_CODE';
  });
}
