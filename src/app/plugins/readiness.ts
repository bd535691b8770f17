import type { Plugin } from 'graphql-yoga';
import type { SharedState } from '../../upstream/state/shared-state.js';
import type { Upstream } from '../../upstream/upstream.js';

export interface ReadinessSources {
  state: SharedState;
  upstream: Upstream;
  /** What keeps callers from authenticating (the JWT signing keys cannot be fetched). */
  authProblems: () => readonly string[];
}

/**
 * GET /ready through yoga's readiness check: 503 `unavailable` while the circuit is open or no
 * caller can authenticate (nothing can be served); 200 `degraded` while the shared state (Redis)
 * fails or failed within 30 s (requests are still served, from upstream with a local budget);
 * 200 `ready` otherwise. The body names each problem. Matched by its path alone, so that every
 * other request pays one comparison (yoga's `useReadinessCheck` tests a URL pattern on each).
 */
export function readinessPlugin({ state, upstream, authProblems }: ReadinessSources): Plugin {
  const check = async (): Promise<Response> => {
    const problems: string[] = [];
    let degraded = false;
    await state.ping().catch(() => {
      degraded = true;
      problems.push(
        'the shared state (Redis) does not answer: reads are served from the Admin API, the budget is counted locally',
      );
    });
    const recent = degraded ? null : state.errors.recent();
    if (recent !== null) {
      degraded = true;
      problems.push(`the shared state (Redis) failed within the last 30 s: ${recent}`);
    }
    const authentication = authProblems();
    const unavailable = upstream.breaker.opened || authentication.length > 0;
    if (upstream.breaker.opened) problems.push('the Admin API is failing (circuit open)');
    problems.push(...authentication);
    return new Response(
      JSON.stringify({
        status: unavailable ? 'unavailable' : degraded ? 'degraded' : 'ready',
        problems,
      }),
      { status: unavailable ? 503 : 200, headers: { 'content-type': 'application/json' } },
    );
  };
  return {
    // Synchronous for every other request: only /ready waits for its check.
    onRequest({ url, endResponse }) {
      if (url.pathname !== READY_PATH) return;
      return check().then(endResponse);
    },
  };
}

/** Where the readiness check answers. */
export const READY_PATH = '/ready';
