import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../../config/config.js';
import { EXAMPLE_OPERATIONS, exampleVariables } from './examples.js';

/**
 * The headers GraphiQL opens with, as the auth mode wants them: a bearer token in `token` and
 * `jwt` modes (where an `x-api-key` is refused), the caller's own Admin API key in `forward` mode,
 * nothing in `none` mode (the gateway's key is used).
 */
export function graphiqlHeaders(mode: GatewayConfig['auth']['mode']): Record<string, string> {
  switch (mode) {
    case 'token':
      return { Authorization: 'Bearer <a token from GATEWAY_TOKENS>' };
    case 'jwt':
      return { Authorization: 'Bearer <a JWT from your identity provider>' };
    case 'forward':
      return { 'x-api-key': '<your Admin API key, sk-ant-admin01-…>' };
    default:
      return {};
  }
}

/** GraphiQL's options for this gateway: the examples, their variables and the headers. */
export function graphiqlOptions(config: GatewayConfig, apiKeyId?: string) {
  const headers = JSON.stringify(graphiqlHeaders(config.auth.mode), null, 2);
  return () => {
    const variables = JSON.stringify(exampleVariables(new Date(), apiKeyId), null, 2);
    return {
      title: 'admin-graph',
      defaultQuery: EXAMPLE_OPERATIONS,
      headers,
      defaultTabs: [{ query: EXAMPLE_OPERATIONS, variables, headers }],
      defaultEditorToolsVisibility: 'variables' as const,
    };
  };
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Responses smaller than this are sent as they are: compressing them gains nothing. */
export const COMPRESS_MIN_BYTES = 1024;

const COMPRESSIBLE = /^(text\/html|application\/json|application\/graphql-response\+json)\b/;

/** The encoding to use for a request's `accept-encoding`: br, then gzip, or none. */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return null;
}

/**
 * Compresses HTML and JSON answers (GraphiQL's page, GraphQL results) above COMPRESS_MIN_BYTES
 * with brotli or gzip when the client accepts it. Streams (subscriptions, incremental delivery)
 * are left alone. The last GraphiQL page compressed is kept, so that it is not compressed again.
 */
export function compressionPlugin(): Plugin {
  let lastPage: { key: string; body: Uint8Array } | null = null;
  const plugin: Plugin = {
    // Synchronous when there is nothing to compress (most requests): no promise per response.
    onResponse({ request, response, setResponse }) {
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      if (!encoding || request.method === 'HEAD' || response.headers.has('content-encoding'))
        return;
      const type = response.headers.get('content-type') ?? '';
      if (!COMPRESSIBLE.test(type) || !response.body) return;
      const length = response.headers.get('content-length');
      if (length !== null && Number(length) < COMPRESS_MIN_BYTES) return;
      return compress(response, encoding, type, setResponse);
    },
  };
  return plugin;

  async function compress(
    response: Response,
    encoding: 'br' | 'gzip',
    type: string,
    setResponse: (response: Response) => void,
  ): Promise<void> {
    const raw = new Uint8Array(await response.arrayBuffer());
    const headers = new Headers(response.headers);
    headers.append('vary', 'accept-encoding');
    let body: Uint8Array = raw;
    if (raw.byteLength >= COMPRESS_MIN_BYTES) {
      const html = type.startsWith('text/html');
      const key = html ? `${encoding}:${createHash('sha256').update(raw).digest('base64url')}` : '';
      if (html && lastPage?.key === key) body = lastPage.body;
      else {
        body =
          encoding === 'br'
            ? await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
            : await gzipAsync(raw, { level: 6 });
        if (html) lastPage = { key, body };
      }
      headers.set('content-encoding', encoding);
    }
    headers.set('content-length', String(body.byteLength));
    setResponse(
      new Response(body as Uint8Array<ArrayBuffer>, {
        status: response.status,
        statusText: response.statusText,
        headers,
      }),
    );
  }
}
