import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { post } from './client.js';
import { EVERY_WORKSPACE_MEMBERS, startGrownSandbox, type SizeName } from './scale.js';
import { benchConfig, serveGateway } from './servers.js';

/**
 * Where the time of "every workspace's members with their users" goes at an organization size:
 * `tsx bench/profile-size.ts large /tmp/members.cpuprofile` profiles the gateway process during
 * that one operation (the grown sandbox runs in a process of its own); open the profile in Chrome
 * DevTools or VS Code. It also prints the operation's CPU time and garbage-collection pauses.
 * Run it with NODE_ENV=production, as the size benchmark runs the gateway (graphql-js checks more
 * in development).
 */
const size = (process.argv[2] ?? 'large') as SizeName;
const query = EVERY_WORKSPACE_MEMBERS;
const sandbox = await startGrownSandbox(size);
const served = await serveGateway(
  benchConfig({ url: sandbox.url } as Parameters<typeof benchConfig>[0], {
    upstreamRateLimitPerMinute: 0,
    maxUpstreamRequestsPerOperation: 10_000,
  }),
);
let attempts = 0;
served.gateway.upstream.onAttempt(() => attempts++);
try {
  await post(served.url, '{ organization { users(first: 1) { nodes { id } } } }'); // warm up
  attempts = 0;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const answer = await post(served.url, query);
  const { profile } = await session.post('Profiler.stop');
  const used = process.cpuUsage(cpu);
  await new Promise((resolve) => setImmediate(resolve)); // the last GC entries are delivered
  gc.disconnect();
  await writeFile(process.argv[3] ?? '/tmp/members.cpuprofile', JSON.stringify(profile));
  process.stdout.write(
    `${size}: ${attempts} upstream requests, ${answer.ms.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms (profiler included), GC pauses ${gcMs.toFixed(0)} ms, errors: ${JSON.stringify(answer.body.errors ?? [])}\n`,
  );
} finally {
  await served.close();
  await sandbox.close();
}
