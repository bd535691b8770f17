import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id: the caller's `x-request-id` when it is a sane token, otherwise a new one. */
function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Gives every request an id (the caller's `x-request-id` when sane) and sends it back as
 * `x-request-id`; `idOf` tells the context factory the id of a request.
 */
export function requestIdPlugin(): { plugin: Plugin; idOf(request: Request): string } {
  const ids = new WeakMap<Request, string>();
  return {
    plugin: {
      onRequest({ request }) {
        ids.set(request, requestIdFor(request));
      },
      onResponse({ request, response }) {
        const id = ids.get(request);
        if (id) response.headers.set('x-request-id', id);
      },
    },
    idOf: (request) => ids.get(request) ?? randomUUID(),
  };
}
