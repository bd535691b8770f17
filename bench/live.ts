import { framed, writeSection } from './sections.js';
import { ADMIN_KEY, benchConfig, serveGateway, startBenchSandbox } from './servers.js';
import { ALL_SCOPES } from '../src/domain/scopes.js';
import { LIVE_FAMILY_KEYS, type LiveFamilyKey } from '../src/live/families.js';
import { FIXTURE_IDS } from '../src/sandbox/index.js';
import { gatewayCredential } from '../src/upstream/credentials.js';

export const LIVE_SECTION = 'live';

/**
 * The mixed load: for RUN_MS, subscribers watch every family while "another admin" changes
 * something every CHANGE_EVERY_MS and interactive callers use most of what the poller leaves of
 * the budget, against an emulator that enforces the Admin API's real 100 requests a minute.
 */
const RUN_MS = Number(process.env.BENCH_LIVE_MS ?? 120_000);
const CHANGE_EVERY_MS = 4_000;
const HUB_SUBSCRIBERS = 200;
const SSE_SUBSCRIBERS = 5;
/** The Admin API's limit, which the emulator enforces and the gateway's default budget matches. */
const UPSTREAM_LIMIT = 100;
/** Interactive upstream requests a minute the callers aim at: most of the 80 the poller leaves. */
const INTERACTIVE_TARGET = 65;
const INTERACTIVE_CONCURRENCY = 4;
/** One operation in this many is a mutation. */
const MUTATION_EVERY = 10;
/**
 * Lists only an OAuth token reads (service accounts, federation issuers and rules): the
 * benchmark's gateway has none, so the poller skips them.
 */
const OAUTH_ONLY_LISTS = 3;

export interface LiveResult {
  seconds: number;
  subscribers: number;
  changes: number;
  eventsDelivered: number;
  pollerRequests: number;
  interactive: {
    operations: number;
    mutations: number;
    upstreamRequests: number;
    rateLimited: number;
    otherErrors: number;
  };
  upstream429: number;
  upstreamTotal: number;
  /** Lists a poll walks: one per family, and for every kind the members of each active workspace. */
  lists: number;
  /** What the subscribers watch. */
  watch: string;
  latencyMs: { p50: number; p95: number; max: number; seen: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** The subscription every subscriber holds: every kind, or only `kinds`. */
const watch = (kinds: readonly string[] | null) => /* GraphQL */ `
  subscription {
    organizationChanges${kinds ? `(filter: { kinds: [${kinds.join(', ')}] })` : ''} {
      type
      kind
      node {
        id
        ... on Workspace {
          name
        }
        ... on ApiKey {
          name
        }
      }
    }
  }
`;

/** Reads `organizationChanges` over SSE, calling `onName` with each name it receives. */
async function sse(
  url: string,
  query: string,
  onEvent: (name: string | null) => void,
  signal: AbortSignal,
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal,
  });
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('');
          if (!data) continue;
          const body = JSON.parse(data) as {
            data?: { organizationChanges: { node: { name?: string } | null } };
          };
          if (body.data) onEvent(body.data.organizationChanges.node?.name ?? null);
        }
      }
    } catch {
      // aborted
    }
  })();
}

const DASHBOARD = /* GraphQL */ `
  query Dashboard($first: Int!) {
    organization {
      name
      users(first: $first) {
        nodes {
          id
          email
          role
        }
      }
      workspaces(first: $first) {
        nodes {
          id
          name
          members(first: $first) {
            nodes {
              role
            }
          }
        }
      }
    }
  }
`;
const INVITES = /* GraphQL */ `
  query PendingInvites($first: Int!) {
    organization {
      invites(first: $first, statuses: [PENDING]) {
        nodes {
          id
          email
        }
      }
    }
  }
`;
const RENAME_KEY = /* GraphQL */ `
  mutation RenameApiKey($apiKeyId: ID!, $name: String!) {
    updateApiKey(input: { apiKeyId: $apiKeyId, name: $name }) {
      apiKey {
        id
      }
      userErrors {
        code
      }
    }
  }
`;

/** A watch the benchmark measures: its GraphQL kinds and the hub's families (null: every kind). */
interface Watch {
  kinds: readonly string[] | null;
  families: readonly LiveFamilyKey[] | null;
}

const WATCH_EVERY_KIND: Watch = { kinds: null, families: null };
/** What a console page of workspaces and keys watches: the two lists the emulator's admin changes. */
const WATCH_WORKSPACES_AND_KEYS: Watch = {
  kinds: ['WORKSPACE', 'API_KEY'],
  families: ['workspace', 'apiKey'],
};

async function measureLive(watched: Watch): Promise<LiveResult> {
  const sandbox = await startBenchSandbox(UPSTREAM_LIMIT);
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
      watch(watched.kinds),
      (name) => {
        delivered++;
        const at = name === null ? undefined : changedAt.get(name);
        if (at !== undefined && i === 0) {
          latencies.push(Date.now() - at);
          changedAt.delete(name!);
        }
      },
      abort.signal,
    );
  }
  const credential = gatewayCredential(ADMIN_KEY);
  const iterators = await Promise.all(
    Array.from({ length: HUB_SUBSCRIBERS }, () =>
      live.subscribe(
        { scopes: ALL_SCOPES, credential },
        watched.families ? { families: watched.families } : {},
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

  // Interactive callers: a dashboard-like mix with varied page sizes (so that the cache does not
  // answer everything) and now and then a rename, paced to use INTERACTIVE_TARGET a minute.
  const interactive = {
    operations: 0,
    mutations: 0,
    upstreamRequests: 0,
    rateLimited: 0,
    otherErrors: 0,
  };
  const spentAt: number[] = [];
  const interactiveLastMinute = () => {
    const since = Date.now() - 60_000;
    while (spentAt.length > 0 && spentAt[0]! < since) spentAt.shift();
    return spentAt.length;
  };
  let operation = 0;
  const runOne = async () => {
    const n = operation++;
    const mutation = n % MUTATION_EVERY === MUTATION_EVERY - 1;
    const first = 1 + ((n * 7) % 40);
    const body = mutation
      ? { query: RENAME_KEY, variables: { apiKeyId: FIXTURE_IDS.activeApiKey, name: `ui-${n}` } }
      : n % 3 === 0
        ? { query: INVITES, variables: { first } }
        : { query: DASHBOARD, variables: { first } };
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as {
      errors?: { extensions?: { code?: string } }[];
      extensions?: { cost?: { upstreamRequests?: number } };
    };
    interactive.operations++;
    if (mutation) interactive.mutations++;
    const upstream = answer.extensions?.cost?.upstreamRequests ?? 0;
    interactive.upstreamRequests += upstream;
    for (let i = 0; i < upstream; i++) spentAt.push(Date.now());
    const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
    if (response.status === 429 || codes.includes('RATE_LIMITED')) interactive.rateLimited++;
    else if (codes.length > 0) interactive.otherErrors++;
  };

  // The first walk (the baseline) is part of the run: it takes the first minute's share.
  sandbox.clearRequests();
  const started = Date.now();
  await live.pollNow();
  const running = new Set<Promise<void>>();
  const callers = (async () => {
    while (Date.now() - started < RUN_MS) {
      if (running.size < INTERACTIVE_CONCURRENCY && interactiveLastMinute() < INTERACTIVE_TARGET) {
        const run: Promise<void> = runOne()
          .catch(() => void interactive.otherErrors++)
          .finally(() => running.delete(run));
        running.add(run);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await Promise.all(running);
  })();

  // Another admin, in the Console (not through the Admin API, so not within its rate limit):
  // renames a workspace or an API key every CHANGE_EVERY_MS.
  const workspaces = [...sandbox.store.workspaces.values()].filter((w) => w.archivedAt === null);
  const keys = [...sandbox.store.apiKeys.values()].slice(0, 20);
  let changes = 0;
  while (Date.now() - started < RUN_MS) {
    const name = `bench-live-${changes}`;
    changedAt.set(name, Date.now());
    if (changes % 2 === 0) workspaces[(changes / 2) % workspaces.length]!.name = name;
    else keys[((changes - 1) / 2) % keys.length]!.name = name;
    changes++;
    await new Promise((resolve) => setTimeout(resolve, CHANGE_EVERY_MS));
  }
  await callers;
  const pollerRequests = (await live.status()).spentLastMinute; // only for the log
  const upstreamTotal = sandbox.requests.length;
  const upstream429 = sandbox.requests.filter((request) => request.status === 429).length;
  abort.abort();
  for (const iterator of iterators) await iterator.return?.();
  await served.close();
  await sandbox.close();
  void pollerRequests;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    seconds: RUN_MS / 1000,
    subscribers: HUB_SUBSCRIBERS + SSE_SUBSCRIBERS,
    changes,
    eventsDelivered: delivered,
    pollerRequests: upstreamTotal - interactive.upstreamRequests,
    interactive,
    upstream429,
    upstreamTotal,
    lists: watched.families
      ? watched.families.length
      : LIVE_FAMILY_KEYS.length - 1 - OAUTH_ONLY_LISTS + workspaces.length,
    watch: watched.kinds ? `kinds: [${watched.kinds.join(', ')}]` : 'every kind',
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      max: sorted.at(-1) ?? 0,
      seen: sorted.length,
    },
  };
}

export function renderLive(results: LiveResult[], startedAt: Date): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const first = results[0]!;
  const perMinute = (result: LiveResult, count: number) =>
    ((count * 60) / result.seconds).toFixed(0);
  const row = (result: LiveResult) => {
    const i = result.interactive;
    return `| ${result.watch} (${result.lists} lists) | ${i.operations} (${i.mutations} mutations) | ${i.upstreamRequests} (${perMinute(result, i.upstreamRequests)}/min) | **${i.rateLimited}** | ${i.otherErrors} | ${result.upstream429} | ${result.pollerRequests} | ${result.eventsDelivered} | ${(result.eventsDelivered / Math.max(1, result.pollerRequests)).toFixed(1)} | ${seconds(result.latencyMs.p50)} | **${seconds(result.latencyMs.p95)}** | ${seconds(result.latencyMs.max)} | ${result.latencyMs.seen} of ${result.changes} |`;
  };
  const rateLimited = results.reduce((sum, result) => sum + result.interactive.rateLimited, 0);
  return framed(LIVE_SECTION, [
    '## Live graph (`npm run bench -- --live`)',
    '',
    `Run ${startedAt.toISOString()}: for each watch, a ${first.seconds / 60}-minute mixed load against an emulator that enforces the Admin API's ${UPSTREAM_LIMIT} requests a minute, with the gateway's defaults (budget ${UPSTREAM_LIMIT}/min, \`LIVE_BUDGET_SHARE\` 0.2, \`LIVE_POLL_INTERVAL_MS\` 10 s). ${first.subscribers} subscribers (${SSE_SUBSCRIBERS} over SSE) hold the same watch: every kind (${LIVE_FAMILY_KEYS.length} families: one list per family and the members of each active workspace; the ${OAUTH_ONLY_LISTS} lists only an OAuth token reads are skipped, the gateway has none here), or the workspaces and API keys a console page shows. "Another admin" renames a workspace or an API key in the Console every ${CHANGE_EVERY_MS / 1000} s; interactive callers (a dashboard query and pending invites with varied page sizes, one operation in ${MUTATION_EVERY} an API key rename) are paced to use ${INTERACTIVE_TARGET} upstream requests a minute of the ${UPSTREAM_LIMIT * 0.8} the poller leaves.`,
    '',
    '| watch | interactive operations | interactive upstream requests | interactive RATE_LIMITED | other errors | upstream 429s | poller upstream requests (all but the interactive) | events delivered | events per poller request | change-to-event p50 | p95 | max | changes seen |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(row),
    '',
    `Targets: zero interactive RATE_LIMITED caused by the poller (measured: ${rateLimited}); change-to-event latency at most the poll interval + 1 s = 11 s at the default share (p95 in bold). Latency is measured on one SSE subscriber, from the change in the emulator to its event. A change that a later one overwrote before a poll read it (the same workspace or key renamed again) is reported in its later state and has no latency of its own, nor has a change the run ended before reporting: hence fewer changes seen than made.`,
    '',
    ...results.map((result) => `- **${result.watch}**: ${latencyNote(result)}`),
  ]);
}

/** Why the latency is what it is, from the numbers of the run. */
function latencyNote(result: LiveResult): string {
  const share = UPSTREAM_LIMIT * 0.2;
  if (result.latencyMs.p95 <= 11_000) {
    return `the latency target is met: the poller's ${share} requests a minute cover the whole watch (${result.lists} lists) within the poll interval.`;
  }
  const roundMinutes = result.lists / share;
  return [
    `the latency target is missed at the default share, by arithmetic. A watch of every kind is ${result.lists} list requests, and the poller may spend at most ${share} in any minute (0.2 of ${UPSTREAM_LIMIT}, the first walk, which sets the baseline, included; a poll also takes at most 0.2 of what the bucket holds), so a round of every list takes at least ${roundMinutes.toFixed(1)} minutes and a change waits for its list's turn: p50 about half a round, p95 and max up to a round.`,
    `The measured latencies understate the wait: a change overwritten before its list was read is not counted, and those are the ones that waited longest. The target holds for a watch of at most ${Math.floor(share / 6)} lists (a poll every 10 s within ${share} requests a minute), for example \`kinds: [WORKSPACE, API_KEY]\`, not for every kind at once. Changes made through the gateway are published at once and do not wait for a poll; a larger \`LIVE_BUDGET_SHARE\` shortens the round at the interactive callers' expense.`,
  ].join(' ');
}

/** `npm run bench -- --live`: two watches of two minutes each, about five minutes. */
export async function writeLive(resultsPath: string): Promise<void> {
  const startedAt = new Date();
  const results: LiveResult[] = [];
  for (const watched of [WATCH_WORKSPACES_AND_KEYS, WATCH_EVERY_KIND]) {
    const result = await measureLive(watched);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  await writeSection(resultsPath, LIVE_SECTION, renderLive(results, startedAt));
  process.stdout.write(`Wrote the live section of ${resultsPath}\n`);
}
