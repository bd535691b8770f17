import { readFileSync } from 'node:fs';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  type ASTVisitor,
  type ValidationContext,
} from 'graphql';
import type { CORSOptions, Plugin } from 'graphql-yoga';

type CORSOptionsFactory = (request: Request) => CORSOptions;
import type { GatewayConfig } from '../../config/config.js';
import { ConfigError } from '../../config/config.js';
import { persistedOperationsPlugin } from './persisted-operations.js';

/** The header browsers must send with requests that skip the CORS preflight (CSRF defence). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

function jsonError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * GET requests carry `variables` and `extensions` as JSON in the query string; yoga parses them
 * without a guard, so malformed JSON would surface as an unexpected 500. It is the caller's
 * mistake: refused here with a 400 that names the parameter.
 */
function getParamsJson(): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      for (const name of ['variables', 'extensions']) {
        const value = url.searchParams.get(name);
        if (!value) continue;
        try {
          JSON.parse(value);
        } catch {
          endResponse(
            jsonError(400, 'BAD_REQUEST', `The \`${name}\` parameter must be a JSON object.`),
          );
          return;
        }
      }
    },
  };
}

/**
 * Refuses bodies over the limit before they are read: by their length, or for lacking one. A body
 * sent over HTTP with a Content-Length is exactly that long (the HTTP server frames it so), so it is
 * read as it is; only a body without one (a request handed to the fetch handler in process) is
 * counted as it is read. This stands in for yoga's own limit (`maxRequestBodySize: false`), which
 * counts every body through a stream pipeline, at a cost on every request.
 */
function bodyLimit(maxBytes: number): Plugin {
  const tooLarge = () =>
    new GraphQLError(`The request body is over the limit of ${maxBytes} bytes.`, {
      extensions: { code: 'REQUEST_TOO_LARGE', http: { status: 413 } },
    });
  return {
    onRequest({ request, endResponse }) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
        return;
      }
      const length = request.headers.get('content-length');
      if (length === null) {
        if (request.headers.get('transfer-encoding')) {
          endResponse(
            jsonError(
              411,
              'LENGTH_REQUIRED',
              'Send a Content-Length: bodies of unknown length are refused.',
            ),
          );
        }
        return;
      }
      if (!/^\d+$/.test(length)) {
        endResponse(jsonError(400, 'BAD_REQUEST', 'The Content-Length header is not a length.'));
        return;
      }
      if (Number(length) > maxBytes) {
        endResponse(
          jsonError(
            413,
            'REQUEST_TOO_LARGE',
            `The request body is over the limit of ${maxBytes} bytes.`,
          ),
        );
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || !request.body || request.headers.get('content-length') !== null) {
        return;
      }
      const parse = requestParser;
      setRequestParser((unmeasured) => {
        let read = 0;
        const body = unmeasured.body!;
        // A body of the runtime's own stream type is piped through a transform of the same type.
        const Transform =
          body instanceof globalThis.ReadableStream
            ? globalThis.TransformStream
            : fetchAPI.TransformStream;
        const counted = body.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > maxBytes) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(unmeasured.url, {
            method: unmeasured.method,
            headers: unmeasured.headers,
            signal: unmeasured.signal,
            body: counted,
            duplex: 'half',
          } as RequestInit),
        );
      });
    },
  };
}

/**
 * With introspection off, a federation router's `_service { sdl }` would still print the schema:
 * it is refused with introspection (routers compose from the committed subgraph.graphql instead).
 */
function NoServiceSdlRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '_service') {
        context.reportError(
          new GraphQLError('`_service` is not allowed while introspection is off.', {
            nodes: node,
          }),
        );
      }
    },
  };
}

/** graphql-js's suggestions: ` Did you mean "x"?`, `… the enum value "X"?`, `… to use an inline fragment on "T"?`. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** `message` without its "Did you mean …" suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * With introspection off, no error may hint at the schema: the suggestions graphql-js appends to
 * validation and coercion errors (fields, arguments, types, enum values, input fields, variables)
 * are cut from every error of every result, whatever phase produced it.
 */
function noSuggestions(): Plugin {
  const clean = (result: unknown) => {
    const errors = (result as { errors?: readonly { message: string }[] } | null)?.errors;
    for (const error of errors ?? []) {
      if (SUGGESTION.test(error.message)) error.message = withoutSuggestions(error.message);
      SUGGESTION.lastIndex = 0;
    }
  };
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result)) result.forEach(clean);
      else if (!(Symbol.asyncIterator in (result as object))) clean(result);
    },
  };
}

/** Refuses introspection queries when introspection is off. */
function noIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
      addValidationRule(NoServiceSdlRule);
    },
  };
}

/**
 * The allow-list of persisted operations: a JSON object of operation id (hash) → document, such as
 * the persisted-documents.json that GraphQL Code Generator's client preset writes. An id may carry
 * its algorithm as a prefix (`sha256:…`); clients send the bare hash.
 */
export function loadPersistedOperations(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${path} is not a readable JSON file`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${path} must map operation ids to documents`);
  }
  return new Map(
    Object.entries(parsed as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([id, document]) => [id.replace(/^sha256:/, ''), document]),
  );
}

/** The plugins that bound what one request may ask of the gateway, in the order they apply. */
export function securityPlugins(config: GatewayConfig): Plugin[] {
  const { limits, introspection } = config;
  const plugins: Plugin[] = [
    bodyLimit(limits.maxBodyBytes),
    getParamsJson(),
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
      maxAliases: { n: limits.maxAliases },
      maxDirectives: { n: limits.maxDirectives },
      maxTokens: { n: limits.maxTokens },
      // The gateway's own estimate of upstream requests (cost.ts) is the cost limit that matters.
      costLimit: { enabled: false },
      // Suggestions ("did you mean …") would reveal the schema that introspection hides.
      blockFieldSuggestion: { enabled: !introspection },
    }) as Plugin,
  ];
  if (!introspection) plugins.push(noIntrospection(), noSuggestions());
  if (config.persistedOperationsFile) {
    const operations = loadPersistedOperations(config.persistedOperationsFile);
    plugins.push(persistedOperationsPlugin(operations));
  }
  return plugins;
}

/**
 * CORS: off unless origins are configured; `*` allows any origin. Decided per request, so that an
 * origin that is not allowed gets no CORS headers at all (not even the name of one that is).
 */
export function corsOptions(origins: string[]): CORSOptionsFactory | false {
  if (origins.length === 0) return false;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || (!any && !allowed.has(origin))) return false as unknown as CORSOptions;
    return {
      origin,
      credentials: false,
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', CSRF_HEADER, 'x-request-id'],
      methods: ['GET', 'POST', 'OPTIONS'],
    };
  };
}
