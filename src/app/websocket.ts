import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GatewayConfig } from '../config/config.js';
import { schema } from '../graphql/schema.js';
import type { Gateway } from './gateway.js';
import { hostAllowed, hostNameOf } from './plugins/host-check.js';

/** Credential headers a client may send in the `connection_init` payload instead of the upgrade. */
const PAYLOAD_HEADERS = ['authorization', 'x-api-key'] as const;

/**
 * Whether a browser page from `origin` may open a socket: no Origin (not a browser), the
 * gateway's own origin (GraphiQL), or one of CORS_ORIGINS (`*` for any), as for HTTP.
 */
function originAllowed(origin: string | undefined, host: string | undefined, cors: string[]) {
  if (!origin) return true;
  if (cors.includes('*') || cors.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** The credential headers of a connection: the upgrade's, or those of the `connection_init` payload. */
function credentialHeaders(upgrade: IncomingMessage, payload: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PAYLOAD_HEADERS) {
    const value = upgrade.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const given = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const nested = (
    given.headers && typeof given.headers === 'object' ? given.headers : {}
  ) as Record<string, unknown>;
  for (const source of [given, nested]) {
    for (const [name, value] of Object.entries(source)) {
      const lower = name.toLowerCase();
      if ((PAYLOAD_HEADERS as readonly string[]).includes(lower) && typeof value === 'string') {
        headers[lower] = value;
      }
    }
  }
  return headers;
}

/**
 * Runs one operation through the gateway's own HTTP pipeline (Host check, authentication, limits,
 * scopes, cost, logs: all of it), as a server-sent-events request made in process, and yields its
 * results. Ending the iteration (the client unsubscribed or left) cancels the response stream,
 * which ends the subscription at once.
 */
function throughGateway(
  gateway: Gateway,
  upgrade: IncomingMessage,
  payload: unknown,
  body: Record<string, unknown>,
): AsyncIterableIterator<ExecutionResult> {
  const abort = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const headers: Record<string, string> = {
    ...credentialHeaders(upgrade, payload),
    host: upgrade.headers.host ?? 'localhost',
    'content-type': 'application/json',
    accept: 'text/event-stream',
  };
  if (typeof upgrade.headers.origin === 'string') headers.origin = upgrade.headers.origin;
  const results = (async function* (): AsyncGenerator<ExecutionResult> {
    const response = await gateway.fetch(`http://${headers.host}${gateway.graphqlEndpoint}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // Refused before it ran (authentication, limits): one result with the errors.
      const text = await response.text();
      try {
        yield JSON.parse(text) as ExecutionResult;
      } catch {
        yield { errors: [new GraphQLError(`The gateway answered ${response.status}.`)] };
      }
      return;
    }
    if (!response.body || abort.signal.aborted) return;
    reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const lines = block.split('\n');
        const event = lines
          .find((line) => line.startsWith('event:'))
          ?.slice(6)
          .trim();
        if (event === 'complete') return;
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (event === 'next' && data) yield JSON.parse(data) as ExecutionResult;
      }
    }
  })();
  return {
    next: () => results.next(),
    return: async () => {
      abort.abort();
      await (reader as ReadableStreamDefaultReader<Uint8Array> | null)?.cancel().catch(() => {});
      return results.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Serves GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on the
 * gateway's HTTP server and path, beside yoga's server-sent events. The Host check and the origin
 * rules of HTTP apply to the upgrade; the caller is authenticated by the gateway's own
 * authenticator, from the upgrade's headers or the `connection_init` payload (`authorization`,
 * `x-api-key`), before the connection is acknowledged; each operation runs through the gateway's
 * whole HTTP pipeline (limits, scopes, cost, logs) with those credentials.
 */
export function attachWebSocket(
  server: Server,
  gateway: Gateway,
  config: Pick<GatewayConfig, 'host' | 'allowedHosts' | 'corsOrigins' | 'limits'>,
): { close(): Promise<void> } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxBodyBytes });
  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== gateway.graphqlEndpoint) return refuse(socket, '404 Not Found');
    const name = hostNameOf(request.headers.host ?? null);
    if (name === null || !hostAllowed(name, config.host, config.allowedHosts)) {
      return refuse(socket, '421 Misdirected Request');
    }
    if (!originAllowed(request.headers.origin, request.headers.host, config.corsOrigins)) {
      return refuse(socket, '403 Forbidden');
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  const disposable = useServer(
    {
      // Both run the operation through the gateway's HTTP pipeline (see throughGateway).
      execute: async (args) => {
        const { run } = args.rootValue as { run: () => AsyncIterableIterator<ExecutionResult> };
        for await (const result of run()) return result;
        return { errors: [new GraphQLError('The gateway gave no result.')] };
      },
      subscribe: (args) =>
        (args.rootValue as { run: () => AsyncIterableIterator<ExecutionResult> }).run() as never,
      // Authenticated before the acknowledgement, as HTTP requests are: a refused caller is
      // closed with 4403.
      onConnect: async (ctx) => {
        for await (const result of throughGateway(
          gateway,
          ctx.extra.request,
          ctx.connectionParams,
          {
            query: '{ __typename }',
          },
        )) {
          return !result.errors?.length;
        }
        return false;
      },
      onSubscribe: (ctx, _id, params) => {
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        const body = {
          query: params.query,
          ...(params.operationName ? { operationName: params.operationName } : {}),
          ...(params.variables ? { variables: params.variables } : {}),
          ...(params.extensions ? { extensions: params.extensions } : {}),
        };
        return {
          schema,
          document,
          operationName: params.operationName ?? null,
          variableValues: params.variables ?? null,
          rootValue: {
            run: () => throughGateway(gateway, ctx.extra.request, ctx.connectionParams, body),
          },
        };
      },
    },
    sockets,
  );

  return {
    close: async () => {
      server.off('upgrade', onUpgrade);
      for (const client of sockets.clients) client.terminate();
      await disposable.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
