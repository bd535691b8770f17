import { productionModeText } from './servers.js';
import { calibrationText, type Calibration } from './calibrate.js';
import { cpus, platform, arch, totalmem, release } from 'node:os';
import { MAX_ITERATIONS_PER_USER, type LoadResult } from './load.js';
import type { OperationMeasurement } from './measure.js';
import { LATENCY_MS, SEED_NOW } from './servers.js';
import type { HotPathProfile } from './profile.js';
import { CONNECTIONS, type ThroughputResult } from './throughput.js';

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  os: string;
  memoryGiB: number;
  /** The fixed work timed before the run (bench/calibrate.ts). */
  calibration: Calibration;
}

export function machine(calibration: Calibration): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${platform()} ${release()} (${arch()})`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    calibration,
  };
}

export interface ReportInput {
  quick: boolean;
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  autocannonSeconds: number;
  baselineSeconds: number;
  /** 1/5/15-minute load averages when the run started and ended (other work shares the cores). */
  loadAverage: { before: number[]; after: number[] };
  measurements: OperationMeasurement[];
  throughput: ThroughputResult[];
  /** The users page executed on every request (whole results not cached, read cache warm). */
  executed: ThroughputResult[];
  /** Where a request's time goes on the hot paths (bench/profile.ts); null in quick mode. */
  profile: HotPathProfile | null;
  load: LoadResult;
  /** Sizes of the sandbox's seed data. */
  data: { users: number; workspaces: number; apiKeys: number; invites: number };
}

interface Target {
  target: string;
  result: string;
  met: boolean | 'equal';
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (a: number, b: number) => (b === 0 ? '∞' : `${(a / b).toFixed(1)}×`);
const mark = (met: Target['met']) =>
  met === 'equal' ? '➖ equal (at the minimum)' : met ? '✅ met' : '❌ missed';
const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
const coldOf = (m: OperationMeasurement) => m.cold.upstreamRuns[0] ?? 0;
const errorNote = (codes: string[]) => (codes.length ? ` ⚠️ ${codes.join(', ')}` : '');

function targets(input: ReportInput): Target[] {
  const { measurements, throughput, load } = input;
  const out: Target[] = [];
  const failing = measurements.filter(
    (m) => m.cold.errors.length + m.warm.errors.length + m.naive.errors.length > 0,
  );
  out.push({
    target: 'Every canonical operation answers without GraphQL errors (ours cold, warm; naive)',
    result:
      failing.length === 0
        ? 'no errors'
        : failing
            .map((m) => `${m.operation.title}: ${[...m.cold.errors, ...m.warm.errors].join(', ')}`)
            .join('; '),
    met: failing.length === 0,
  });
  const warmLeaks = measurements.filter((m) => m.warm.upstream > 0);
  out.push({
    target: 'Warm run of every operation costs 0 upstream requests',
    result:
      warmLeaks.length === 0
        ? 'all 0'
        : warmLeaks.map((m) => `${m.operation.title}: ${m.warm.upstream}`).join('; '),
    met: warmLeaks.length === 0,
  });
  const shareOf = (run: ThroughputResult, floor: number, what: string) => {
    const bare = run.baseline;
    const share = bare ? run.requestsPerSecond / bare.requestsPerSecond : 0;
    const pairs = run.shares && run.shares.length > 1;
    out.push({
      target: `${what} ≥ ${floor * 100} % of bare yoga: ${run.label}`,
      result: `${run.requestsPerSecond.toFixed(0)} req/s = ${(share * 100).toFixed(0)} % of ${bare?.requestsPerSecond.toFixed(0) ?? '?'}${pairs ? ` (median of ${run.shares!.map((value) => `${(value * 100).toFixed(0)} %`).join(', ')})` : ''}`,
      met: share >= floor && run.failures + run.graphqlErrors === 0,
    });
  };
  for (const run of throughput) shareOf(run, 0.8, 'Warm throughput');
  for (const run of input.executed) shareOf(run, 0.5, 'Executed throughput');
  for (const m of measurements) {
    out.push({
      target: `Cold wall time ≤ 1.2× the critical path: ${m.operation.title}`,
      result: `${ms(m.cold.ms)} vs ${ms(m.criticalPathMs)} = ${(m.cold.ms / m.criticalPathMs).toFixed(2)}×${m.cold.upstreamAloneMs === null ? '' : ` (its upstream requests alone: ${ms(m.cold.upstreamAloneMs)})`}`,
      met: m.cold.ms <= 1.2 * m.criticalPathMs,
    });
  }
  for (const m of measurements.filter((item) => item.operation.nested)) {
    out.push({
      target: `Naive ≥ 20× our cold requests: ${m.operation.title}`,
      result: `${m.naive.upstream} vs ${coldOf(m)} = ${ratio(m.naive.upstream, coldOf(m))}`,
      met: m.naive.upstream >= 20 * coldOf(m),
    });
  }
  for (const m of measurements) {
    const atMinimum = m.peer.upstream === coldOf(m) && coldOf(m) === m.minimum.requests;
    out.push({
      target: `Fewer upstream requests than the peer: ${m.operation.title}`,
      result: `ours ${coldOf(m)} vs peer ${m.peer.upstream}${atMinimum ? ' (both at the minimum: cannot be fewer)' : ''}`,
      met: coldOf(m) < m.peer.upstream ? true : atMinimum ? 'equal' : false,
    });
  }
  const upstream429 = load.upstreamByStatus['429'] ?? 0;
  out.push({
    target: 'Simulated frontend load: 0 upstream 429s',
    result: `${upstream429} × 429 of ${load.upstreamRequests} upstream requests`,
    met: upstream429 === 0,
  });
  out.push({
    target: 'Simulated frontend load: every dashboard served',
    result: `${load.served} of ${load.operations} served`,
    met: load.served === load.operations,
  });
  return out;
}

/** Known ways our cold count exceeds the minimum, recognised from the upstream calls made. */
function excessCauses(m: OperationMeasurement): string[] {
  const causes: string[] = [];
  const calls = m.cold.calls.join('\n');
  const count = (pattern: RegExp) =>
    m.cold.calls
      .filter((line) => pattern.test(line))
      .reduce((sum, line) => sum + Number(line.split(' × ')[0]), 0);
  const perWorkspaceKeys = count(/GET \/api_keys\?.*workspace_id=/);
  if (perWorkspaceKeys > 1) {
    causes.push(
      `${perWorkspaceKeys} \`GET /api_keys?…workspace_id=…&status=active\` pages, one per workspace: the per-workspace \`apiKeys\` connection is not answered from one org-wide \`GET /api_keys?status=active&limit=1000\` (${perWorkspaceKeys - 1} extra).`,
    );
  }
  if (/GET \/users\?limit=50\b/.test(calls) && /GET \/users\?limit=1000/.test(calls)) {
    causes.push(
      'The users page (`GET /users?limit=50`) and the users walk for member lookups (`GET /users?limit=1000`) are two calls; the walk alone holds the page (1 extra).',
    );
  }
  const singleGets = count(/GET \/(users|workspaces|invites|api_keys)\/\{[a-z]+\}( |$)/);
  if (singleGets > 0 && m.operation.key !== 'nodes') {
    causes.push(`${singleGets} single GET(s) by id beside list calls.`);
  }
  return causes;
}

function operationDetails(m: OperationMeasurement): string {
  const excess = coldOf(m) - m.minimum.requests;
  const lines = [
    `### ${m.operation.title}`,
    '',
    `- **Minimum: ${m.minimum.requests}.** ${m.minimum.reasoning}`,
    `- Ours cold: ${m.cold.upstreamRuns.join(' / ')} upstream requests over ${m.cold.upstreamRuns.length} fresh gateways (gateway estimate before execution: ${m.estimate ?? 'n/a'}). Calls: ${m.cold.calls.map((call) => `\`${call}\``).join(', ') || 'none'}.`,
  ];
  if (excess > 0) {
    const causes = excessCauses(m);
    lines.push(
      `- **${excess} above the minimum.** ${causes.length ? causes.join(' ') : 'See the calls above.'}`,
    );
  } else if (excess < 0) {
    lines.push(`- Below the computed minimum by ${-excess}: the minimum's reasoning needs review.`);
  } else {
    lines.push('- At the minimum.');
  }
  lines.push(
    `- Naive: ${m.naive.upstream} requests; same data as ours: ${m.naive.sameData ? 'yes' : '**no**'}.`,
    `- Peer: ${m.peer.upstream} requests in ${m.peer.note}; ${m.peer.errors} error result(s). Calls: ${m.peer.calls.map((call) => `\`${call}\``).join(', ')}.`,
  );
  return lines.join('\n');
}

function profileSection(profile: HotPathProfile): string {
  const pct = (value: number) => `${(value * 100).toFixed(0)} %`;
  const lines = [
    "## Where a request's time goes (profile)",
    '',
    `${profile.requests} requests of the users page, one at a time, through the gateway's fetch handler in the benchmark's process (no socket), under the V8 sampling profiler (bench/profile.ts); timed again without it. A bare graphql-yoga answering \`{ __typename }\` the same way takes ${profile.bare.toFixed(0)} µs a request.`,
    '',
  ];
  for (const path of profile.paths) {
    lines.push(
      `### ${path.label}: ${path.microsPerRequest.toFixed(0)} µs a request (bare yoga ÷ this: ${pct(profile.bare / path.microsPerRequest)})`,
      '',
      table(
        ['Our plugin (inclusive: its hooks and what they call)', 'Share of samples'],
        path.plugins
          .filter(([, share]) => share >= 0.005)
          .map(([name, share]) => [`\`${name}\``, pct(share)]),
      ),
      '',
      table(
        ['Where the time is spent (self time, by package or part)', 'Share of samples'],
        path.parts.filter(([, share]) => share >= 0.01).map(([name, share]) => [name, pct(share)]),
      ),
      '',
    );
  }
  return lines.join('\n');
}

export function renderReport(input: ReportInput): { markdown: string; summary: string } {
  const { measurements, throughput, load, machine: host } = input;
  const goals = targets(input);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(' / ');

  const upstreamTable = table(
    [
      'Operation',
      'Minimum',
      'Ours cold',
      'Ours warm',
      'Naive cold',
      'Naive ÷ ours',
      'Peer',
      'Peer ÷ ours',
    ],
    measurements.map((m) => [
      m.operation.title,
      String(m.minimum.requests),
      `${coldOf(m)}${errorNote(m.cold.errors)}`,
      `${m.warm.upstream}${errorNote(m.warm.errors)}`,
      `${m.naive.upstream}${errorNote(m.naive.errors)}`,
      ratio(m.naive.upstream, coldOf(m)),
      String(m.peer.upstream),
      ratio(m.peer.upstream, coldOf(m)),
    ]),
  );

  const timeTable = table(
    [
      'Operation',
      'Rounds',
      'Critical path',
      'Ours cold (median)',
      '÷ critical path',
      'Upstream alone',
      '÷ upstream alone',
      'Ours cold runs',
      'Fresh gateway (median)',
      'Ours warm',
      'Naive cold',
      'Peer (client requests)',
    ],
    measurements.map((m) => [
      m.operation.title,
      String(m.operation.rounds),
      ms(m.criticalPathMs),
      ms(m.cold.ms),
      `${(m.cold.ms / m.criticalPathMs).toFixed(2)}×`,
      m.cold.upstreamAloneMs === null ? '–' : ms(m.cold.upstreamAloneMs),
      m.cold.upstreamAloneMs === null ? '–' : `${(m.cold.ms / m.cold.upstreamAloneMs).toFixed(2)}×`,
      m.cold.msRuns.map((value) => value.toFixed(0)).join(' / '),
      ms(m.cold.freshMs),
      ms(m.warm.ms),
      ms(m.naive.ms),
      `${ms(m.peer.ms)} (${m.peer.clientRequests})`,
    ]),
  );

  const throughputTable = table(
    [
      'Operation (warm)',
      'req/s',
      'p50',
      'p99',
      'Bare yoga req/s (p50 / p99)',
      '÷ bare yoga',
      'Answer',
      'Failures',
      'Upstream during run',
    ],
    [...throughput, ...input.executed].map((run) => [
      run.label,
      run.requestsPerSecond.toFixed(0),
      ms(run.p50Ms),
      ms(run.p99Ms),
      run.baseline
        ? `${run.baseline.requestsPerSecond.toFixed(0)} (${ms(run.baseline.p50Ms)} / ${ms(run.baseline.p99Ms)})`
        : '—',
      run.baseline
        ? `${((run.requestsPerSecond / run.baseline.requestsPerSecond) * 100).toFixed(0)} %`
        : '—',
      `${kb(run.responseBytes)}, ${run.leafValues} values`,
      String(run.failures + run.graphqlErrors),
      run.upstreamDuringRun === null ? '—' : String(run.upstreamDuringRun),
    ]),
  );

  const slowerThanPeer = measurements.filter((m) => m.cold.ms > m.peer.ms);
  const wallNote = slowerThanPeer
    .map((m) => {
      const gets = m.cold.calls.filter((call) => /\/\{[a-z]+\}( |$)/.test(call));
      const cause =
        m.operation.key === 'nodes' && gets.length > 0
          ? ` The gateway first walks the lists (${m.cold.calls.filter((call) => call.includes('limit=1000')).length} whole-collection pages) and only then GETs the ids no list showed (${gets.join(', ')}), which is 2 sequential rounds where the peer's ${m.peer.upstream} parallel GETs take 1: ${ratio(m.peer.upstream, coldOf(m))} fewer requests for one more round trip.`
          : '';
      return `- **${m.operation.title}**: ours ${ms(m.cold.ms)} cold vs peer ${ms(m.peer.ms)}.${cause}`;
    })
    .join('\n');

  const byCode = Object.entries(load.errorsByCode)
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ');
  const loadTable = table(
    ['Measure', 'Value'],
    [
      ['Virtual users', String(load.options.virtualUsers)],
      [
        'Duration (planned / actual)',
        `${load.options.durationSeconds} s / ${(load.elapsedMs / 1000).toFixed(1)} s`,
      ],
      [
        'Think time',
        `${load.options.thinkMs[0]}–${load.options.thinkMs[1]} ms (seeded PRNG), start ramp ${load.options.rampMs} ms`,
      ],
      ['Dashboard operations sent', String(load.operations)],
      ['Served (data, no error)', String(load.served)],
      ['Operations with errors', String(load.failedOperations)],
      ['Errors by code', byCode || 'none'],
      [
        'HTTP statuses',
        Object.entries(load.httpStatuses)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', '),
      ],
      ['Latency p50 / p99', `${ms(load.p50Ms)} / ${ms(load.p99Ms)}`],
      ['Upstream requests (all)', String(load.upstreamRequests)],
      [
        'Upstream by status',
        Object.entries(load.upstreamByStatus)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ') || 'none',
      ],
      ['Upstream 429s', String(load.upstreamByStatus['429'] ?? 0)],
      ['Peak upstream requests in any 60 s', String(load.peakUpstreamPerMinute)],
    ],
  );

  const goalsTable = table(
    ['Target', 'Result', 'Status'],
    goals.map((goal) => [goal.target, goal.result, mark(goal.met)]),
  );

  const markdown = `# admin-graph benchmark results

Generated by \`npm run bench${input.quick ? ' -- --quick' : ''}\` — do not edit by hand.${input.quick ? '\n\n> **Quick mode**: shortened autocannon and load runs; run `npm run bench` for the reference numbers.' : ''}

- **Date:** ${input.startedAt.toISOString()} (took ${((input.finishedAt.getTime() - input.startedAt.getTime()) / 1000).toFixed(0)} s)
- **Machine:** ${host.cores} cores (${host.cpu}), ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}; load average (1/5/15 min) ${loads(input.loadAverage.before)} at the start, ${loads(input.loadAverage.after)} at the end — a load above ${host.cores} means other processes competed for the cores, which inflates wall times and lowers throughput; ${calibrationText(host.calibration)}
- **Upstream:** the Admin API sandbox (\`src/sandbox\`) on loopback, seed anchor ${SEED_NOW.toISOString()}, **${LATENCY_MS} ms injected latency** per request, no rate limit except in the load test (100/min there)
- **Gateway:** \`createGateway\` with the production defaults of \`loadConfig\` (cache TTL 30 s, in-memory state), in a process run with ${productionModeText()} as the container image runs it (bare yoga and the peer too); the upstream budget is off while counting and in the throughput runs, on (100/min) in the load test. Counts are exact: every request the sandbox received (\`sandbox.requests\`).

## Targets

${goalsTable}

## Upstream requests per operation

${upstreamTable}

- **Minimum**: the fewest Admin API requests the data allows (reasoning per operation below), computed from the sandbox's data at run time.
- **Ours cold**: a fresh gateway (empty cache) serving the operation once. **Ours warm**: the same operation again on the same gateway, within the cache TTL.
- **Naive cold**: \`createGateway(config, { naive: true })\` — no loaders, no batching, no cache: one upstream request per resolver lookup.
- **Peer**: a GraphQL Mesh gateway generated by \`@omnigraph/openapi\` from \`bench/peer/admin-api.openapi.yaml\` (the 22 core endpoints), served by graphql-yoga against the same sandbox, running the equivalent data need (see the peer notes below).
- **÷ ours**: how many times more upstream requests than our cold run.

## Wall time (cold)

${timeTable}

- **Rounds**: sequential upstream round trips the operation's nesting needs (a level of nesting waits for the level above). **Critical path** = rounds × ${LATENCY_MS} ms, the floor for a gateway that asks for each level's data once the level above has answered. Ours can go below it: where the operation shows before it runs which list its lookups will walk (the users of every member, the keys of every workspace), it asks for that list's first page beside the first level (src/app/plugins/prefetch.ts).
- **Upstream alone**: the upstream requests of the last timed cold run sent straight to the sandbox by a plain client, with no gateway: each once every request answered before it arrived in the run is answered, the others in parallel; each answer read and parsed (median of 3, bench/replay.ts). It is the floor this upstream sets for the gateway's own plan: the latency plus transferring and parsing the pages it asks for (1000 items a page, so that later pages and lookups cost nothing). **÷ upstream alone** is the gateway's own share of the cold time.
- **Ours cold**: client-side wall time of one request with every cache empty, median of ${measurements[0]?.cold.msRuns.length ?? 0} runs (each run listed): a running gateway whose cached reads and results were all invalidated before each run (the same upstream requests as a fresh gateway's, checked), as the naive gateway and the peer are timed on running servers. **Fresh gateway**: the first request to a brand-new gateway (also opening its connections to the client and the sandbox), median of the counted runs. **Ours warm**: the following request on the same fresh gateway, served from the cache (median of the counted runs; its upstream requests are the most any run made).
- **Naive cold** and **Peer**: the same operation through the naive gateway and through the peer, median of 3 runs each (neither caches); the peer's time is the sum of the client's staged requests, their number in parentheses.
- With a load average above the core count (see the machine line), differences of a few tens of milliseconds between single runs are within noise; the upstream counts are exact and do not vary.
${wallNote ? `\nSlower than the peer in wall time:\n\n${wallNote}\n` : ''}
## Warm throughput (autocannon)

${throughputTable}

- autocannon programmatic API, ${CONNECTIONS} connections, load generated from a worker thread, loopback only; each operation is warmed just before its runs. Each operation runs ${input.throughput[0]?.shares?.length ?? 1} time(s) ${input.autocannonSeconds} s, each run just after a ${input.baselineSeconds} s run of a **bare graphql-yoga answering \`{ __typename }\`** in the same process, so that both see the same machine load; the row is the pair whose share is the median.
- **req/s**: mean requests per second; **p50 / p99**: latency percentiles; **÷ bare yoga**: our throughput as a share of the paired bare-yoga run (targets: ≥ 80 % warm, ≥ 50 % executed).
- **(executed)**: the same operation on a gateway that does not cache whole results (\`createGateway(config, { wholeResultCache: false })\`): parsed, validated and executed on every request, each read served by the warm read cache. A warm hit is answered from the request's parameters before parsing (src/app/plugins/fast-hit.ts).
- **Answer**: size of one response and the number of leaf values in it — the execution and serialisation work each request does even with every upstream read cached (bare yoga's answer is 1 value).
- **Failures**: non-2xx answers, socket errors and timeouts, plus GraphQL errors in a check request after the run. **Upstream during run**: Admin API requests the gateway made during the run (target 0: everything from the cache).

${input.profile ? profileSection(input.profile) : ''}
## Simulated frontend load

${loadTable}

${load.options.virtualUsers} virtual users each loop: send the dashboard operation, think for a random time, until the duration ends (bounded by time and by ${MAX_ITERATIONS_PER_USER} iterations per user). The sandbox enforces **${load.options.sandboxRateLimitPerMinute} requests per minute** like the Admin API; the gateway runs its production defaults (cache TTL ${load.gatewaySettings.cacheTtlSeconds} s, budget ${load.gatewaySettings.upstreamRateLimitPerMinute}/min, budget wait ≤ ${load.gatewaySettings.upstreamBudgetMaxWaitMs} ms, ${load.gatewaySettings.upstreamMaxRetries} retries). **Served** = answered with data and no GraphQL error; **errors by code** = \`extensions.code\` of every error returned; **upstream 429s** = Admin API answers the sandbox refused for the rate limit.

## Per operation: minimum, calls and peer

${measurements.map(operationDetails).join('\n\n')}

## Method notes

- The sandbox is one process-local server with fixed seed data (${input.data.users} users, ${input.data.workspaces} workspaces including the Default one and archived ones, ${input.data.apiKeys} API keys, ${input.data.invites} invites); the \`nodes\` ids are drawn from its store with a fixed seed and include the Default Workspace (never listed, needs its own GET) and a withdrawn invite (never listed, needs its own GET).
- Before measuring, every operation runs once on throwaway gateways and the peer so that wall times exclude JIT warm-up; each cold run then uses a brand-new gateway (empty cache, empty budget state).
- The peer has no nested fields: its operations run as a client would run them against a REST-shaped schema — one GraphQL request per level, each with one aliased root field per REST call, ids de-duplicated and already-fetched users reused (which favours the peer). REST errors come back as \`Error\` results of the response unions.
- Everything listens on 127.0.0.1; load loops are bounded in count and time.
`;

  const summary = [
    upstreamTable,
    '',
    timeTable,
    '',
    throughputTable,
    '',
    loadTable,
    '',
    goalsTable,
  ].join('\n');
  return { markdown, summary };
}
