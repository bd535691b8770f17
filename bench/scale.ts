import { calibrationText, type Calibration } from './calibrate.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import type { SandboxStore } from '../src/sandbox/index.js';
import { ORGANIZATION_SIZES } from '../src/sandbox/seed.js';
import { errorCodes, post } from './client.js';
import { canonicalOperations } from './operations.js';
import { replayUpstream, type RunRequest } from './replay.js';
import { LATENCY_MS, productionModeText, productionNodeFlags } from './servers.js';
import { framed } from './sections.js';

/**
 * The organization-size mode (`npm run bench -- --sizes`): the sandbox grown to 2,000 and to
 * 20,000 users, and for each size the event-loop delay while large pages are cached, the peak
 * RSS, and upstream requests and wall time of the canonical operations plus two that grow with
 * the organization: every workspace's members with their users, and a full walk of the users.
 * Writes its section of bench/RESULTS.md (between markers), leaving the other sections alone.
 */

export type SizeName = keyof typeof ORGANIZATION_SIZES;

/** Every workspace with up to 1000 of its members and each member's user. */
export const EVERY_WORKSPACE_MEMBERS = /* GraphQL */ `
  query EveryWorkspaceMembers {
    organization {
      workspaces(first: 100) {
        nodes {
          id
          members(first: 1000) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
        }
      }
    }
  }
`;

const USERS_PAGE = /* GraphQL */ `
  query UsersWalk($after: String) {
    organization {
      users(first: 1000, after: $after) {
        nodes {
          id
          email
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface ScaleOperation {
  title: string;
  upstreamRequests: number;
  wallMs: number;
  /** Sequential upstream round trips of the operation's shortest plan, or null when not modelled. */
  rounds: number | null;
  errors: string[];
  /** Of the wall time, how long at least one upstream request was in flight (the rest is the gateway's own). */
  upstreamBusyMs: number;
  /** CPU time of this process meanwhile (all its threads), and garbage-collection pauses in it. */
  cpuMs: number;
  gcMs: number;
  /** For the full walk: users.list requests made, and the expected ceil(n / 1000). */
  listRequests?: { made: number; expected: number };
  /**
   * For the members operation: the same upstream requests sent straight to the sandbox in the
   * order the run needed them (bench/replay.ts), median wall time of three replays.
   */
  upstreamAloneMs?: number;
}

export interface ScaleResult {
  size: SizeName;
  users: number;
  apiKeys: number;
  memberships: number;
  workspaces: number;
  /** Event-loop delay over the cold phase (large pages cached), in ms. */
  loopDelay: { max: number; p99: number };
  /**
   * The same delays, each cut to the CPU time this process used meanwhile: the part of a stall
   * that is the gateway's own work rather than the machine's other load (ms).
   */
  ownStall: { max: number; p99: number };
  /** Round trips of a `{ __typename }` ping every 100 ms during the cold phase, in ms. */
  ping: { max: number; p99: number; count: number };
  rssMaxMiB: number;
  operations: ScaleOperation[];
  /** Wall time of the members operation again, from the caches. */
  warmMembersMs: number;
  durationMs: number;
  /** 1-minute load average of the machine before and after (other work shares the cores). */
  loadAverage: [number, number];
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

const log = (message: string) => process.stderr.write(`[bench:sizes] ${message}\n`);

interface GrownSandbox {
  url: string;
  counts: { users: number; apiKeys: number; memberships: number; workspaces: number };
  ids: { users: string[]; workspaces: string[]; apiKeys: string[]; invites: string[] };
  close(): Promise<void>;
}

/**
 * Starts a bench script in a process of its own and reads the JSON line it prints once ready;
 * `stop` ends it.
 */
async function startScript<T>(
  name: string,
  args: string[],
  options: { ipc?: boolean; env?: NodeJS.ProcessEnv; nodeFlags?: string[] } = {},
): Promise<{ child: ChildProcess; info: T; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const nodeArgs = [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    stdio: ['ignore', 'pipe', 'inherit', ...(options.ipc ? (['ipc'] as const) : [])],
    ...(options.env ? { env: options.env } : {}),
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code})`)));
  });
  return {
    child,
    info: JSON.parse(line) as T,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Starts bench/sandbox-process.ts for `size` and reads what it prints. */
export async function startGrownSandbox(size: SizeName): Promise<GrownSandbox> {
  const { info, stop } = await startScript<Omit<GrownSandbox, 'close'>>('sandbox-process.ts', [
    size,
  ]);
  return { ...info, close: stop };
}

/** Enough of a SandboxStore for canonicalOperations (the ids `nodes` picks from). */
function idStore(ids: GrownSandbox['ids']): SandboxStore {
  const map = (list: string[]) => new Map(list.map((id) => [id, null]));
  return {
    users: map(ids.users),
    workspaces: map(ids.workspaces),
    apiKeys: map(ids.apiKeys),
    invites: map(ids.invites),
  } as unknown as SandboxStore;
}

interface GatewayProcess {
  url: string;
  /** Sends one command to bench/gateway-process.ts and waits for its answer. */
  ask<T>(command: string): Promise<T>;
  close(): Promise<void>;
}

/** Starts bench/gateway-process.ts against the sandbox at `sandboxUrl`, as production runs it. */
async function startGatewayProcess(sandboxUrl: string): Promise<GatewayProcess> {
  const { child, info, stop } = await startScript<{ url: string }>(
    'gateway-process.ts',
    [sandboxUrl],
    {
      ipc: true,
      env: { ...process.env, NODE_ENV: 'production' },
      nodeFlags: productionNodeFlags(),
    },
  );
  let nextId = 0;
  const waiting = new Map<number, (answer: { result?: unknown; error?: string }) => void>();
  child.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  return {
    url: info.url,
    ask: <T>(command: string) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (answer) =>
          answer.error === undefined
            ? resolve(answer.result as T)
            : reject(new Error(answer.error)),
        );
        child.send({ id, command });
      }),
    close: stop,
  };
}

interface Usage {
  cpuMs: number;
  gcMs: number;
}

export async function measureSize(size: SizeName): Promise<ScaleResult> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const sandbox = await startGrownSandbox(size);
  const { counts } = sandbox;
  log(`${size}: ${counts.users} users, ${counts.apiKeys} keys, ${counts.memberships} memberships`);
  const gateway = await startGatewayProcess(sandbox.url);
  const operations: ScaleOperation[] = [];
  const pings: number[] = [];
  let pinging = true;
  const pinger = (async () => {
    while (pinging) {
      const ping = await post(gateway.url, '{ __typename }');
      pings.push(ping.ms);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  /** The gateway's upstream requests, CPU time and GC pauses since `before`. */
  const spent = async (before: Usage) => {
    const [after, { attempts, requests, busyMs }] = await Promise.all([
      gateway.ask<Usage>('usage'),
      gateway.ask<{ attempts: string[]; requests: RunRequest[]; busyMs: number }>('attempts'),
    ]);
    return {
      attempts,
      requests,
      upstreamBusyMs: busyMs,
      cpuMs: after.cpuMs - before.cpuMs,
      gcMs: after.gcMs - before.gcMs,
    };
  };

  const measure = async (
    title: string,
    query: string,
    rounds: number | null,
    variables?: Record<string, unknown>,
  ) => {
    await gateway.ask('cold'); // nothing from an earlier operation, its pages written
    const before = await gateway.ask<Usage>('usage');
    const answer = await post(gateway.url, query, variables);
    const { attempts, requests, ...usage } = await spent(before);
    const operation: ScaleOperation = {
      title,
      upstreamRequests: attempts.length,
      wallMs: answer.ms,
      ...usage,
      rounds,
      errors: errorCodes(answer.body),
    };
    operations.push(operation);
    log(`${size}: ${title}: ${operation.upstreamRequests} requests, ${answer.ms.toFixed(0)} ms`);
    return { answer, operation, requests };
  };

  try {
    // Compile and warm the process on a small operation first, outside the measured phase.
    await post(gateway.url, '{ organization { users(first: 1) { nodes { id } } } }');
    await gateway.ask('monitor-start');
    const pages = Math.ceil(counts.users / 1000);
    const members = await measure(
      'Every workspace’s members with their users',
      EVERY_WORKSPACE_MEMBERS,
      // workspaces, then members pages in parallel, then the users list walked page by page
      2 + pages,
    );
    const replays: number[] = [];
    for (let replay = 0; replay < 3; replay++) {
      replays.push(await replayUpstream(sandbox.url, members.requests));
    }
    members.operation.upstreamAloneMs = [...replays].sort((a, b) => a - b)[1];

    await gateway.ask('cold');
    const before = await gateway.ask<Usage>('usage');
    const walkStarted = performance.now();
    let after: string | null = null;
    const walkErrors: string[] = [];
    for (;;) {
      const page = await post(gateway.url, USERS_PAGE, after ? { after } : {});
      walkErrors.push(...errorCodes(page.body));
      const users = (
        page.body.data as {
          organization?: {
            users?: { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
          };
        } | null
      )?.organization?.users;
      if (!users?.pageInfo.hasNextPage || !users.pageInfo.endCursor) break;
      after = users.pageInfo.endCursor;
    }
    const wallMs = performance.now() - walkStarted;
    const { attempts, requests: _requests, ...usage } = await spent(before);
    const listRequests = attempts.filter((operation) => operation === 'users.list').length;
    operations.push({
      title: 'Full walk of users (1000 a page)',
      upstreamRequests: attempts.length,
      wallMs,
      ...usage,
      rounds: pages,
      errors: walkErrors,
      listRequests: { made: listRequests, expected: pages },
    });
    log(`${size}: full walk: ${listRequests} list requests (expected ${pages})`);

    for (const operation of canonicalOperations(idStore(sandbox.ids))) {
      await measure(operation.title, operation.query, operation.rounds, operation.variables);
    }
    const monitored =
      await gateway.ask<Pick<ScaleResult, 'loopDelay' | 'ownStall' | 'rssMaxMiB'>>('monitor-stop');

    // The members operation once more, from the caches (no invalidation).
    await post(gateway.url, EVERY_WORKSPACE_MEMBERS);
    const warm = await post(gateway.url, EVERY_WORKSPACE_MEMBERS);
    return {
      size,
      ...counts,
      ...monitored,
      ping: { max: Math.max(0, ...pings), p99: percentile(pings, 99), count: pings.length },
      operations,
      warmMembersMs: warm.ms,
      durationMs: performance.now() - started,
      loadAverage: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    pinging = false;
    await pinger;
    await gateway.close();
    await sandbox.close();
  }
}

/** Its section of RESULTS.md (bench/sections.ts). */
export const SIZES_SECTION = 'organization-size';

const TARGETS = { loopDelayMaxMs: 50, rssMiB: 600, membersCriticalPathFactor: 2 };

const mark = (met: boolean) => (met ? '✅ met' : '❌ missed');
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** The size section of RESULTS.md, 2,000 and 20,000 users side by side. */
export function renderSizes(
  results: ScaleResult[],
  startedAt: Date,
  largeRuns: ScaleResult[] = results.slice(1),
  calibration?: Calibration,
): string {
  const [small, large] = results;
  const cols = results.map((r) => `${r.users.toLocaleString('en-US')} users`);
  const row = (label: string, cell: (r: ScaleResult) => string) =>
    `| ${label} | ${results.map(cell).join(' | ')} |`;
  const lines: string[] = [
    '## Organization size (2,000 vs 20,000 users)',
    '',
    `Generated by \`npm run bench -- --sizes\` on ${startedAt.toISOString()} (do not edit by hand).`,
    `The sandbox (${LATENCY_MS} ms latency) grown with \`growOrganization\` (src/sandbox/seed.ts); the`,
    `gateway, in its own process, with ${productionModeText()} (as in the image) and its production defaults (cache TTL 30 s, in-memory state) but no budget, so that`,
    'every operation runs; each operation cold (cache generations moved on before it).',
    ...(calibration ? [`Machine ${calibrationText(calibration)}.`] : []),
    '',
    `| | ${cols.join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    row('users / API keys / memberships / workspaces', (r) =>
      [r.users, r.apiKeys, r.memberships, r.workspaces]
        .map((n) => n.toLocaleString('en-US'))
        .join(' / '),
    ),
    row(
      'event-loop delay while caching: worst / p99',
      (r) => `${ms(r.loopDelay.max)} / ${ms(r.loopDelay.p99)}`,
    ),
    row(
      'the same, cut to this process’s own CPU time (worst / p99)',
      (r) => `${ms(r.ownStall.max)} / ${ms(r.ownStall.p99)}`,
    ),
    row(
      '`{ __typename }` ping every 100 ms: worst / p99',
      (r) => `${ms(r.ping.max)} / ${ms(r.ping.p99)} (${r.ping.count} pings)`,
    ),
    row('peak RSS of the gateway process', (r) => `${r.rssMaxMiB.toFixed(0)} MiB`),
    row(
      'every workspace’s members (cold): CPU time of the process / garbage-collection pauses',
      (r) => (r.operations[0] ? `${ms(r.operations[0].cpuMs)} / ${ms(r.operations[0].gcMs)}` : '–'),
    ),
    row(
      'every workspace’s members (cold): wall time / its upstream requests sent straight to the sandbox (no gateway)',
      (r) => {
        const op = r.operations[0];
        if (!op?.upstreamAloneMs) return '–';
        return `${ms(op.wallMs)} / ${ms(op.upstreamAloneMs)} (${(op.wallMs / op.upstreamAloneMs).toFixed(2)}×)`;
      },
    ),
    row('whole phase', (r) => `${(r.durationMs / 1000).toFixed(1)} s`),
    row(
      `machine load (1-min average, before → after; ${cpus().length} cores)`,
      (r) => `${r.loadAverage[0].toFixed(1)} → ${r.loadAverage[1].toFixed(1)}`,
    ),
    '',
    '### Operations (cold): upstream requests, wall time, critical path',
    '',
    `| operation | ${results.map((r) => `${r.users.toLocaleString('en-US')}: requests / wall (upstream in flight) / critical path`).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
  ];
  const titles = small?.operations.map((operation) => operation.title) ?? [];
  for (const title of titles) {
    const cells = results.map((r) => {
      const op = r.operations.find((operation) => operation.title === title);
      if (!op) return '–';
      const path = op.rounds === null ? '–' : ms(op.rounds * LATENCY_MS);
      const walk = op.listRequests
        ? ` (${op.listRequests.made} list requests, ceil(n/1000) = ${op.listRequests.expected})`
        : '';
      const errors = op.errors.length ? ` ⚠️ ${[...new Set(op.errors)].join(', ')}` : '';
      return `${op.upstreamRequests} / ${ms(op.wallMs)} (${ms(op.upstreamBusyMs)}) / ${path}${walk}${errors}`;
    });
    lines.push(`| ${title} | ${cells.join(' | ')} |`);
  }
  lines.push(
    row('Every workspace’s members, warm (from the caches)', (r) => ms(r.warmMembersMs)).replace(
      /^\| /,
      '| ',
    ),
  );
  if (large) {
    const members = large.operations[0];
    const walk = large.operations.find((op) => op.listRequests);
    const path = (members?.rounds ?? 0) * LATENCY_MS;
    // Each target's figure is the median of the runs at this size, every run listed.
    const across = (pick: (run: ScaleResult) => number, unit: (value: number) => string) => {
      const values = largeRuns.map(pick);
      const sorted = [...values].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      const text =
        values.length > 1
          ? `${unit(median)} (median of ${values.map(unit).join(', ')})`
          : unit(median);
      return { median, text };
    };
    const delay = across((run) => run.loopDelay.max, ms);
    const rss = across(
      (run) => run.rssMaxMiB,
      (value) => `${value.toFixed(0)} MiB`,
    );
    const membersWall = across((run) => run.operations[0]?.wallMs ?? Infinity, ms);
    const upstreamAlone = across((run) => run.operations[0]?.upstreamAloneMs ?? 0, ms);
    const targets: [string, string, boolean][] = [
      [
        `worst event-loop delay while caching ≤ ${TARGETS.loopDelayMaxMs} ms`,
        delay.text,
        delay.median <= TARGETS.loopDelayMaxMs,
      ],
      [`peak RSS ≤ ${TARGETS.rssMiB} MB`, rss.text, rss.median <= TARGETS.rssMiB],
      [
        `every workspace’s members within ${TARGETS.membersCriticalPathFactor}× its critical path (${members?.rounds} round trips × ${LATENCY_MS} ms = ${ms(path)})`,
        `${membersWall.text}; its upstream requests alone, sent straight to the sandbox: ${upstreamAlone.text}`,
        membersWall.median <= TARGETS.membersCriticalPathFactor * path,
      ],
      [
        'full walk of users in ceil(n/1000) list requests',
        `${walk?.listRequests?.made} (expected ${walk?.listRequests?.expected})`,
        walk?.listRequests?.made === walk?.listRequests?.expected,
      ],
    ];
    lines.push(
      '',
      `### Targets at ${large.users.toLocaleString('en-US')} users`,
      '',
      ...(largeRuns.length > 1
        ? [
            `${largeRuns.length} runs at this size, each with a fresh sandbox and gateway process; the column above is the run with the median worst delay.`,
            '',
          ]
        : []),
      '| target | result | |',
      '| --- | --- | --- |',
      ...targets.map(([target, result, met]) => `| ${target} | ${result} | ${mark(met)} |`),
    );
  }
  lines.push(
    '',
    'Critical path: the sequential upstream round trips of the shortest plan the Admin API allows',
    'within the budget (no batch-get: workspaces, then the members pages in parallel, then the users',
    'list walked page by page, ceil(n/1000) pages) times the sandbox latency. The members',
    'operation’s upstream requests are also sent straight to the sandbox without the gateway, each',
    'once those answered before the gateway sent it are answered (median of three; each answer',
    'read and parsed; bench/replay.ts): a floor that adds to the latency what',
    'this upstream takes to serve a 1000-item page and any client to parse it. The sandbox serves',
    'each list a few times before it is measured, so that its code is compiled. The event-loop delay is',
    '`perf_hooks.monitorEventLoopDelay` (10 ms resolution) over the cold operations, while their',
    'pages are cached, measured inside the gateway’s process (bench/gateway-process.ts), which runs',
    'apart from both the sandbox and the benchmark’s client (the client that sends the operations and',
    'parses their answers, over a megabyte for the members operation, would otherwise be counted as',
    'the gateway’s work and memory); the RSS is that process’s.',
    'A delay cut to the process’s own CPU time (process.cpuUsage over each 10 ms tick, all threads',
    'of the process, GC included) is the part of a stall the gateway’s own work can explain; the',
    'rest is the machine’s other load (see the load average).',
    '"Upstream in flight" is how much of the wall time at least one Admin API request was',
    'outstanding: the rest is the gateway’s own work (a request counts as in flight until its answer',
    'is parsed, so a loop held by other work stretches it). The emulator serves one request at a time;',
    'it keeps its lists and each workspace’s member list sorted between writes, finds a cursor by',
    'bisection, and answers a read on arrival, sending it once the latency has passed. The users list',
    'walked page by page is sequential: 20 pages at 20,000 users. The gateway asks for the next page',
    'before it works through the current one and answers the lookups each page found while the next',
    'is in flight. Pages that arrive together (the members pages of every workspace) are worked',
    'through one per turn of the event loop (src/upstream/turns.ts), each cached at once in memory',
    '(about a millisecond a page), so that a stall is one page’s work rather than the sum of all',
    'that arrived at once.',
  );
  const members = large?.operations[0];
  if (large && members) {
    lines.push(
      '',
      `Where the members operation’s ${ms(members.wallMs)} at 20,000 users went in this run: ${ms(members.upstreamBusyMs)} with`,
      `an upstream request in flight; ${ms(members.cpuMs)} of CPU time in the gateway’s process and ${ms(members.gcMs)} of`,
      'garbage-collection pauses (wall time: a pause also waits for its helper threads to get a core),',
      `on 2 cores shared with other work (load ${large.loadAverage[0].toFixed(1)} → ${large.loadAverage[1].toFixed(1)}).`,
      '`BENCH_PROFILE=/tmp/gateway.cpuprofile npm run bench -- --sizes` writes a CPU profile of the',
      'gateway process over the measured phase.',
    );
  }
  return framed(SIZES_SECTION, lines);
}
