import { framed, writeSection } from './sections.js';
import { ADMIN_KEY, benchConfig, serveGateway, startBenchSandbox } from './servers.js';
import { ALL_SCOPES } from '../src/domain/scopes.js';
import { gatewayCredential } from '../src/upstream/credentials.js';

export const LIVE_SECTION = 'live';

/** How long the live run watches, and how often "another admin" renames a workspace. */
const RUN_MS = 60_000;
const CHANGE_EVERY_MS = 4_000;
const HUB_SUBSCRIBERS = 200;
const SSE_SUBSCRIBERS = 5;

interface LiveResult {
  seconds: number;
  subscribers: number;
  changes: number;
  eventsDelivered: number;
  pollerRequests: number;
  latencyMs: { p50: number; p95: number; max: number; seen: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Reads `organizationChanges` over SSE, calling `onName` with each workspace name it receives. */
async function sse(url: string, onName: (name: string) => void, signal: AbortSignal) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      query:
        'subscription { organizationChanges(filter: { kinds: [WORKSPACE, INVITE, API_KEY] }) { type node { ... on Workspace { name } } } }',
    }),
    signal,
  });
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        for (const match of text.matchAll(/"name":"([^"]+)"/g)) onName(match[1]!);
        text = text.slice(text.lastIndexOf('\n'));
      }
    } catch {
      // aborted
    }
  })();
}

async function measureLive(): Promise<LiveResult> {
  const sandbox = await startBenchSandbox();
  // The production defaults: budget 100/min, LIVE_POLL_INTERVAL_MS 10 s, LIVE_BUDGET_SHARE 0.2.
  const served = await serveGateway(benchConfig(sandbox));
  const live = served.gateway.live!;
  const abort = new AbortController();
  const changedAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  for (let i = 0; i < SSE_SUBSCRIBERS; i++) {
    await sse(
      served.url,
      (name) => {
        delivered++;
        const at = changedAt.get(name);
        if (at !== undefined && i === 0) latencies.push(Date.now() - at);
      },
      abort.signal,
    );
  }
  const credential = gatewayCredential(ADMIN_KEY);
  const iterators = await Promise.all(
    Array.from({ length: HUB_SUBSCRIBERS }, () =>
      live.subscribe(
        { scopes: ALL_SCOPES, credential },
        { families: ['workspace', 'invite', 'apiKey'] },
        null,
      ),
    ),
  );
  for (const iterator of iterators) {
    void (async () => {
      for await (const _event of iterator) delivered++;
    })();
  }
  while (live.subscriberCount < HUB_SUBSCRIBERS + SSE_SUBSCRIBERS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const headers = {
    'x-api-key': ADMIN_KEY,
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
  };
  const listed = (await (
    await fetch(`${sandbox.url}/v1/organizations/workspaces?limit=20`, { headers })
  ).json()) as { data: { id: string }[] };
  const workspaces = listed.data;
  await live.pollNow(); // the baseline
  sandbox.clearRequests();
  const started = Date.now();
  let changes = 0;
  while (Date.now() - started < RUN_MS) {
    const workspace = workspaces[changes % workspaces.length]!;
    const name = `bench-live-${changes}`;
    changedAt.set(name, Date.now());
    await fetch(`${sandbox.url}/v1/organizations/workspaces/${workspace.id}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name }),
    });
    changes++;
    await new Promise((resolve) => setTimeout(resolve, CHANGE_EVERY_MS));
  }
  const pollerRequests = sandbox.requests.filter((request) => request.method === 'GET').length;
  abort.abort();
  for (const iterator of iterators) await iterator.return?.();
  await served.close();
  await sandbox.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    seconds: RUN_MS / 1000,
    subscribers: HUB_SUBSCRIBERS + SSE_SUBSCRIBERS,
    changes,
    eventsDelivered: delivered,
    pollerRequests,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      max: sorted.at(-1) ?? 0,
      seen: sorted.length,
    },
  };
}

function renderLive(result: LiveResult, startedAt: Date): string {
  return framed(LIVE_SECTION, [
    '## Live graph (`npm run bench -- --live`)',
    '',
    `Run ${startedAt.toISOString()}: ${result.subscribers} subscribers (${SSE_SUBSCRIBERS} over SSE) watching workspaces, invites and API keys with the default settings (budget 100/min, \`LIVE_BUDGET_SHARE\` 0.2, \`LIVE_POLL_INTERVAL_MS\` 10 s); "another admin" renames a workspace in the emulator every ${CHANGE_EVERY_MS / 1000} s for ${result.seconds} s.`,
    '',
    '| changes | events delivered | poller upstream requests | events per upstream request | change-to-event p50 | p95 | max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.changes} | ${result.eventsDelivered} | ${result.pollerRequests} | ${(result.eventsDelivered / Math.max(1, result.pollerRequests)).toFixed(1)} | ${(result.latencyMs.p50 / 1000).toFixed(1)} s | ${(result.latencyMs.p95 / 1000).toFixed(1)} s | ${(result.latencyMs.max / 1000).toFixed(1)} s |`,
    '',
    'Latency is measured on one SSE subscriber, from the rename to the event; it is bounded by the poll interval (the poller walks three lists, three requests, well within its share).',
  ]);
}

/** `npm run bench -- --live`: about a minute. */
export async function writeLive(resultsPath: string): Promise<void> {
  const startedAt = new Date();
  const result = await measureLive();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await writeSection(resultsPath, LIVE_SECTION, renderLive(result, startedAt));
  process.stdout.write(`Wrote the live section of ${resultsPath}\n`);
}
