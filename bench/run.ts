import { LIVE_SECTION, writeLive } from './live.js';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { calibrate } from './calibrate.js';
import { computeMinimums } from './minimum.js';
import { canonicalOperations } from './operations.js';
import { measureOperation, warmUpProcess, type OperationMeasurement } from './measure.js';
import { DEFAULT_LOAD, runLoad } from './load.js';
import { machine, renderReport } from './report.js';
import {
  benchConfig,
  productionNodeFlags,
  serveBareYoga,
  serveGateway,
  servePeer,
  startBenchSandbox,
} from './servers.js';
import { pairedThroughput, type ThroughputResult } from './throughput.js';
import { profileHotPaths, type HotPathProfile } from './profile.js';
import { SECTION as ACCESS_REVIEW_SECTION, writeAccessReview } from './access-review.js';
import { BULK_SECTION, writeBulk } from './bulk.js';
import { SIZES_SECTION, measureSize, renderSizes } from './scale.js';
import { sectionOf, withSection, writeSection } from './sections.js';

/**
 * `npm run bench` (full: 10 s autocannon runs, 2-minute load) or `npm run bench -- --quick`
 * (short runs, for development). Writes bench/RESULTS.md. `npm run bench -- --sizes` runs the
 * organization-size mode only (2,000 and 20,000 users) and `-- --access-review` the access review
 * only, and `-- --bulk` a 300-item bulk job at the real limit (about six minutes; `--items N`
 * for a shorter run that writes nothing); each rewrites its own section of RESULTS.md, and a full
 * run keeps those sections.
 */
const quick = process.argv.includes('--quick');
const AUTOCANNON_SECONDS = quick ? 2 : 5;
const BASELINE_SECONDS = quick ? 2 : 3;
/** Runs of the 20,000-user organization in the size mode; the targets take their medians. */
const SIZE_RUNS = 3;
/** Paired runs (bare yoga, then ours) per operation; the median pair is reported. */
const PAIRS = quick ? 1 : 3;
const LOAD_SECONDS = quick ? 15 : 120;
const RESULTS_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function sizes(): Promise<void> {
  const startedAt = new Date();
  const calibration = calibrate();
  const medium = await measureSize('medium');
  // The large organization three times: a stall or a peak varies between runs on a shared machine.
  const largeRuns = [];
  for (let run = 0; run < SIZE_RUNS; run++) largeRuns.push(await measureSize('large'));
  const byDelay = [...largeRuns].sort((a, b) => a.loopDelay.max - b.loopDelay.max);
  const representative = byDelay[Math.floor(byDelay.length / 2)]!;
  await writeSection(
    RESULTS_PATH,
    SIZES_SECTION,
    renderSizes([medium, representative], startedAt, largeRuns, calibration),
  );
  process.stdout.write(`Wrote the organization-size section of ${RESULTS_PATH}\n`);
}

async function main(): Promise<void> {
  // Every mode measures the gateway as the container image runs it, with NODE_ENV=production
  // (graphql-js and yoga skip their development checks) and the image's node flags: read as the
  // process and its modules load, so the script runs again with them.
  if (process.env.NODE_ENV !== 'production') {
    const flags = [...process.execArgv, ...productionNodeFlags()];
    const again = spawnSync(process.execPath, [...flags, ...process.argv.slice(1)], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
    if (again.status !== 0) throw new Error(`the benchmark failed (${again.status})`);
    return;
  }
  if (process.argv.includes('--sizes')) return sizes();
  if (process.argv.includes('--bulk')) return writeBulk(RESULTS_PATH, process.argv);
  if (process.argv.includes('--live')) return writeLive(RESULTS_PATH);
  if (process.argv.includes('--access-review')) {
    await writeAccessReview(RESULTS_PATH);
    process.stdout.write(`Wrote the access-review section of ${RESULTS_PATH}\n`);
    return;
  }
  const startedAt = new Date();
  // Before anything else runs: the fixed work that tells how fast this machine is today.
  const calibration = calibrate();
  const loadBefore = loadavg();
  const sandbox = await startBenchSandbox();
  const peer = await servePeer(sandbox);
  const { store } = sandbox;
  const data = {
    users: store.users.size,
    workspaces: store.workspaces.size,
    apiKeys: store.apiKeys.size,
    invites: store.invites.size,
  };
  const measurements: OperationMeasurement[] = [];
  const throughput: ThroughputResult[] = [];
  const executed: ThroughputResult[] = [];
  let profile: HotPathProfile | null;
  try {
    const operations = canonicalOperations(sandbox.store);
    const minimums = await computeMinimums(sandbox, operations);
    sandbox.clearRequests();

    log('warming up the process (JIT) …');
    await warmUpProcess(sandbox, peer, operations);

    for (const operation of operations) {
      log(`upstream counts and wall times: ${operation.title}`);
      measurements.push(await measureOperation(sandbox, peer, operation, minimums[operation.key]));
    }

    // Each operation is paired with a bare-yoga run just before it, so that both see the same
    // machine load (the 2 cores may be shared with other work).
    const bare = await serveBareYoga();
    const config = benchConfig(sandbox, { upstreamRateLimitPerMinute: 0 });
    const gateway = await serveGateway(config);
    // The executed path: whole results not cached, every read from the (warm) read cache.
    const executing = await serveGateway(config, false, { wholeResultCache: false });
    const pairing = { pairs: PAIRS, bareSeconds: BASELINE_SECONDS, seconds: AUTOCANNON_SECONDS };
    try {
      for (const operation of operations) {
        log(`throughput (warm): ${operation.title}, ${PAIRS} × (bare yoga, ours)`);
        throughput.push(await pairedThroughput(bare, gateway, sandbox, operation, pairing));
      }
      const users = operations.find((operation) => operation.key === 'users')!;
      log(`throughput (executed): ${users.title}, ${PAIRS} × (bare yoga, ours)`);
      executed.push(
        await pairedThroughput(bare, executing, sandbox, users, {
          ...pairing,
          label: `${users.title} (executed)`,
        }),
      );
      log('profile of the warm hit and the executed path');
      profile = await profileHotPaths(sandbox, users);
    } finally {
      await executing.close();
      await gateway.close();
      await bare.close();
    }
  } finally {
    await peer.close();
    await sandbox.close();
  }

  log(`simulated frontend load: ${DEFAULT_LOAD.virtualUsers} users, ${LOAD_SECONDS} s`);
  const load = await runLoad({ ...DEFAULT_LOAD, durationSeconds: LOAD_SECONDS });

  const report = renderReport({
    quick,
    startedAt,
    finishedAt: new Date(),
    machine: machine(calibration),
    loadAverage: { before: loadBefore, after: loadavg() },
    autocannonSeconds: AUTOCANNON_SECONDS,
    baselineSeconds: BASELINE_SECONDS,
    measurements,
    throughput,
    executed,
    profile,
    load,
    data,
  });
  const previous = await readFile(RESULTS_PATH, 'utf8').catch(() => '');
  let markdown = report.markdown;
  for (const section of [SIZES_SECTION, ACCESS_REVIEW_SECTION, BULK_SECTION, LIVE_SECTION]) {
    markdown = withSection(markdown, section, sectionOf(previous, section));
  }
  await writeFile(RESULTS_PATH, markdown);
  process.stdout.write(`${report.summary}\nWrote ${RESULTS_PATH}\n`);
}

main().then(
  // Keep-alive sockets of fetch may linger for a few seconds; nothing is left to do.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
