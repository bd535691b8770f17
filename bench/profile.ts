import { Session } from 'node:inspector/promises';
import { createSchema, createYoga } from 'graphql-yoga';
import { createGateway, createLogger } from './shipped.js';
import type { Sandbox } from '../src/sandbox/index.js';
import type { CanonicalOperation } from './operations.js';
import { benchConfig } from './servers.js';

/**
 * Where a request's CPU time goes on the two hot paths of one operation: a warm hit (the whole
 * result cached) and an executed request (whole results not cached, every read from the warm read
 * cache), next to a bare graphql-yoga answering `{ __typename }`. Each is sent through the
 * gateway's fetch handler in this process (no socket), one request at a time, under the V8
 * sampling profiler; samples are attributed to the gateway's plugins (inclusive: a plugin's hooks
 * and what they call) and to the packages the time is spent in (self time).
 */

export interface PathProfile {
  label: string;
  /** Mean CPU-and-wall time per request, sequential, in microseconds. */
  microsPerRequest: number;
  /** Share of the samples in which each of our plugins (file) is on the stack. */
  plugins: [string, number][];
  /** Share of the samples whose innermost frame is in each package or part. */
  parts: [string, number][];
}

export interface HotPathProfile {
  requests: number;
  bare: number;
  paths: PathProfile[];
}

const REQUESTS = 3000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** The part of the system a frame belongs to (for self time). */
function partOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)' || functionName === '(program)') return 'idle / V8';
    return 'native (microtasks, builtins)';
  }
  const ours = /\/(?:src|dist)\/([a-z-]+)\//.exec(url)?.[1];
  if (ours && !url.includes('node_modules')) return `ours: src/${ours}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node internals (streams, undici, events)';
  return 'other';
}

function attribute(profile: { nodes: ProfileNode[]; samples: number[] }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const plugins = new Map<string, number>();
  const parts = new Map<string, number>();
  let counted = 0;
  for (const sample of profile.samples) {
    const leaf = byId.get(sample)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    counted++;
    const part = partOf(leaf.callFrame);
    parts.set(part, (parts.get(part) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const plugin = /\/(?:src|dist)\/app\/(?:plugins|graphiql)\/([a-z-]+)\.[jt]s$/.exec(
        byId.get(id)!.callFrame.url,
      )?.[1];
      if (plugin && !seen.has(plugin)) {
        seen.add(plugin);
        plugins.set(plugin, (plugins.get(plugin) ?? 0) + 1);
      }
    }
  }
  const shares = (map: Map<string, number>) =>
    [...map]
      .map(([name, count]): [string, number] => [name, count / Math.max(1, counted)])
      .sort((a, b) => b[1] - a[1]);
  return { plugins: shares(plugins), parts: shares(parts) };
}

export async function profileHotPaths(
  sandbox: Sandbox,
  operation: CanonicalOperation,
): Promise<HotPathProfile> {
  const config = benchConfig(sandbox, { upstreamRateLimitPerMinute: 0 });
  const logger = createLogger('silent');
  const hit = createGateway(config, { logger });
  const executed = createGateway(config, { logger, wholeResultCache: false });
  const bare = createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
  });
  const body = JSON.stringify({
    query: operation.query,
    variables: operation.variables,
    operationName: operation.operationName,
  });
  const request = (text: string) =>
    new Request('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        host: '127.0.0.1',
        // As every request over HTTP carries it (the gateway counts a body without one as it
        // reads it).
        'content-length': String(Buffer.byteLength(text)),
      },
      body: text,
    });
  type Handler = { fetch: (request: Request) => Response | Promise<Response> };
  const loop = async (server: Handler, text: string) => {
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) await (await server.fetch(request(text))).text();
    return ((performance.now() - started) / REQUESTS) * 1000;
  };
  const session = new Session();
  session.connect();
  try {
    const bareText = '{"query":"{ __typename }"}';
    for (const server of [hit, executed] as Handler[]) {
      const answer = (await (await server.fetch(request(body))).json()) as { data?: unknown };
      if (!answer.data) throw new Error(`the profiled operation failed: ${JSON.stringify(answer)}`);
    }
    // Warm: JIT, caches (the read cache for both, the whole result for the hit path).
    for (const server of [hit, executed] as Handler[]) await loop(server, body);
    await loop(bare as Handler, bareText);
    const bareMicros = await loop(bare as Handler, bareText);
    const paths: PathProfile[] = [];
    for (const [label, server] of [
      ['warm hit (whole result cached)', hit as Handler],
      ['executed (result cache off, read cache warm)', executed as Handler],
    ] as const) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      await loop(server, body);
      const { profile } = await session.post('Profiler.stop');
      await session.post('Profiler.disable');
      // Timed without the profiler, which slows what it samples.
      const micros = await loop(server, body);
      paths.push({
        label,
        microsPerRequest: micros,
        ...attribute(profile as unknown as { nodes: ProfileNode[]; samples: number[] }),
      });
    }
    return { requests: REQUESTS, bare: bareMicros, paths };
  } finally {
    session.disconnect();
    await hit.close();
    await executed.close();
  }
}
