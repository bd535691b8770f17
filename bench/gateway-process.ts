import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { COLLECTIONS } from '../src/domain/kinds.js';
import type { RunRequest } from './replay.js';
import { benchConfig, serveGateway } from './servers.js';

/**
 * The gateway of the size mode, in a process of its own (as it runs in production), so that its
 * event loop, CPU time and memory are measured without the benchmark's client: the client that
 * sends the operations and parses their answers (a members answer is over a megabyte) runs in the
 * parent. Started by `startGatewayProcess` (bench/scale.ts) with the sandbox's URL; prints
 * `{"url": …}` once listening, then answers the parent's requests over the IPC channel:
 *
 * - `cold`: every collection's cache generation moved on and pending cache writes settled, and
 *   the upstream attempts recorded so far forgotten;
 * - `usage`: CPU time of this process and garbage-collection pauses so far;
 * - `attempts`: the upstream requests since `cold` (operation names, and each request's path and
 *   query, status and interval, for a replay: bench/replay.ts) and how long at least one was in
 *   flight;
 * - `monitor-start` / `monitor-stop`: the event-loop delay, the same delays cut to this process's
 *   own CPU time, and the peak RSS between the two. With `BENCH_PROFILE=<file>` in the
 *   environment, a CPU profile of this process between the two is written there (open it in
 *   Chrome DevTools).
 */

const url = process.argv[2];
if (!url) throw new Error('usage: gateway-process.ts <sandbox url>');

const served = await serveGateway(
  benchConfig({ url } as Parameters<typeof benchConfig>[0], {
    upstreamRateLimitPerMinute: 0,
    maxUpstreamRequestsPerOperation: 10_000,
  }),
);
const cache = served.gateway.upstream.cache;

const attempts: string[] = [];
const requests: RunRequest[] = [];
served.gateway.upstream.onAttempt((attempt) => {
  attempts.push(attempt.operation);
  const answeredAt = performance.now();
  requests.push({
    path: attempt.path ?? '',
    status: attempt.status ?? 0,
    sentAt: answeredAt - attempt.durationMs,
    answeredAt,
  });
});
/** How long at least one upstream request was in flight (the union of their intervals). */
const busy = () => {
  const sorted = requests
    .map(({ sentAt, answeredAt }) => [sentAt, answeredAt] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = sorted[0] ?? [0, 0];
  for (const [from, to] of sorted.slice(1)) {
    if (from > end) {
      total += end - start;
      [start, end] = [from, to];
    } else end = Math.max(end, to);
  }
  return total + (end - start);
};

let gcTotal = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTotal += entry.duration;
}).observe({ entryTypes: ['gc'] });

const histogram = monitorEventLoopDelay({ resolution: 10 });
// A 10 ms tick: how late it fired, and how much CPU this process used since the last one.
let ownStalls: number[] = [];
let ticker: NodeJS.Timeout | undefined;
let rssMax = 0;
let rssTimer: NodeJS.Timeout | undefined;
const profileTo = process.env.BENCH_PROFILE;
const profiler = profileTo ? new Session() : undefined;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

const commands: Record<string, () => unknown> = {
  async cold() {
    await cache?.invalidate([...COLLECTIONS]);
    await cache?.settled();
    attempts.length = 0;
    requests.length = 0;
    return null;
  },
  usage() {
    const cpu = process.cpuUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000, gcMs: gcTotal };
  },
  attempts() {
    return { attempts: [...attempts], requests: [...requests], busyMs: busy() };
  },
  async 'monitor-start'() {
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    histogram.reset();
    histogram.enable();
    ownStalls = [];
    rssMax = process.memoryUsage().rss;
    rssTimer = setInterval(() => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }, 100);
    let tickAt = performance.now();
    let tickCpu = process.cpuUsage();
    ticker = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage(tickCpu);
      const late = now - tickAt - 10;
      if (late > 0) ownStalls.push(Math.min(late, (cpu.user + cpu.system) / 1000));
      tickAt = now;
      tickCpu = process.cpuUsage();
    }, 10);
    return null;
  },
  async 'monitor-stop'() {
    histogram.disable();
    clearInterval(ticker);
    clearInterval(rssTimer);
    if (profiler && profileTo) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(profileTo, JSON.stringify(profile));
    }
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    return {
      loopDelay: { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6 },
      ownStall: { max: Math.max(0, ...ownStalls), p99: percentile(ownStalls, 99) },
      rssMaxMiB: rssMax / 2 ** 20,
    };
  },
};

process.on('message', (message: { id: number; command: string }) => {
  const run = commands[message.command];
  void Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown command ${message.command}`);
      return run();
    })
    .then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
});
process.on('SIGTERM', () => {
  void served.close().finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ url: served.url })}\n`);
