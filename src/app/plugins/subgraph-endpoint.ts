import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Where the federation subgraph schema is served, beside the client schema at /graphql. */
export const SUBGRAPH_PATH = '/subgraph';

/**
 * One deployment for frontends and a federation router: requests to /subgraph are answered by
 * the same yoga instance as /graphql (same auth, limits, cache, budget and metrics), with the
 * subgraph schema (`_service`, `_entities`). With `subgraphEverywhere` (FEDERATION_SUBGRAPH=true)
 * /graphql serves the subgraph schema too, for deployments that want one schema only. The client
 * schema is yoga's static schema. Each request sets its schema when it is enveloped (a request
 * takes the schema current then): the subgraph schema for a routed one, the client schema
 * otherwise, which costs nothing while it is already current (yoga's schema factory cost every
 * request a context copy and a check).
 */
export function subgraphEndpoint(
  client: GraphQLSchema,
  subgraph: () => GraphQLSchema,
  subgraphEverywhere: boolean,
) {
  const routed = new WeakSet<Request>();
  const plugin: Plugin = {
    onRequest({ request, url, setRequest }) {
      if (url.pathname !== SUBGRAPH_PATH && url.pathname !== `${SUBGRAPH_PATH}/`) return;
      const target = new URL(url);
      target.pathname = '/graphql';
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const rewritten = new Request(target, {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
      } as RequestInit);
      routed.add(rewritten);
      setRequest(rewritten);
    },
    onEnveloped({ context, setSchema }) {
      if (subgraphEverywhere) return;
      const request = (context as { request?: Request } | undefined)?.request;
      setSchema(request && routed.has(request) ? subgraph() : client);
    },
  };
  const schema = subgraphEverywhere ? subgraph() : client;
  return { plugin, schema };
}
