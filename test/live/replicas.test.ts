import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_KEY,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import {
  CALLER_KEY,
  SEED_NOW,
  postGraphQL,
  startGateway,
  type RunningGateway,
} from '../support/harness.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { direct, sseSubscribe, until, type Received } from './helpers.js';

/** Three gateway replicas sharing one Redis, in front of one sandbox. */
let redis: TestRedis;
let sandbox: Sandbox;
let replicas: RunningGateway[] = [];
const open: Received[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await startSandbox({
    now: SEED_NOW,
    credentials: { admin: DEFAULT_SANDBOX_KEY, caller: CALLER_KEY },
  });
  const live = {
    // Polls only when a test asks (pollNow); a short lease, so that takeover is quick.
    pollIntervalMs: 3_600_000,
    budgetShare: 0.2,
    leaseMs: 600,
    logMaxEvents: 100,
    logMaxAgeSeconds: 600,
    keyPrefix: `test-live-${process.pid}-${Date.now()}:`,
  };
  replicas = await Promise.all(
    [0, 1, 2].map(() => startGateway(sandbox, { redisUrl: redis.url, live })),
  );
});
afterAll(async () => {
  for (const received of open) received.close();
  await Promise.all(replicas.map((replica) => replica.close()));
  await sandbox?.close();
  await redis?.close();
});

const hubs = () => replicas.map((replica) => replica.gateway.live!);
const pollers = () => hubs().filter((hub) => hub.isPoller);

async function subscribeEverywhere(): Promise<Received[]> {
  const received = await Promise.all(
    replicas.map((replica) => sseSubscribe(replica.endpoint, { filter: { kinds: ['WORKSPACE'] } })),
  );
  open.push(...received);
  await until(() => replicas.every((replica) => replica.gateway.live!.subscriberCount >= 1));
  return received;
}

/** Polls on whichever replica holds the lease; exactly one does. */
async function pollOnce(): Promise<void> {
  const polled = await Promise.all(hubs().map((hub) => hub.pollNow()));
  expect(polled.filter(Boolean)).toHaveLength(1);
}

describe('the live graph across replicas (Redis)', () => {
  it('runs exactly one poller, and every replica’s subscribers get every event', async () => {
    const received = await subscribeEverywhere();
    await until(() => pollers().length === 1);
    await pollOnce(); // the baseline
    await direct(sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'Renamed elsewhere',
    });
    await pollOnce();
    for (const subscriber of received) {
      await subscriber.waitFor((c) => c.node?.name === 'Renamed elsewhere');
    }
    // A write through a replica that does not poll reaches all of them, without a poll.
    const writer = replicas.find((replica) => !replica.gateway.live!.isPoller)!;
    const renamed = await postGraphQL(writer.endpoint, {
      query: `mutation { updateWorkspace(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", name: "Renamed here" }) { userErrors { code } } }`,
    });
    expect(renamed.body.errors).toBeUndefined();
    for (const subscriber of received) {
      const change = await subscriber.waitFor((c) => c.node?.name === 'Renamed here');
      expect(change).toMatchObject({ type: 'UPDATED', changedFields: ['name'] });
    }
    expect(pollers()).toHaveLength(1);
  });

  it('another replica takes over within the lease when the poller dies, and misses nothing', async () => {
    await until(() => pollers().length === 1);
    const received = await subscribeEverywhere();
    const dead = replicas.find((replica) => replica.gateway.live!.isPoller)!;
    const survivors = received.filter((_, index) => replicas[index] !== dead);
    // Dies: stops renewing without giving the lease up.
    await dead.gateway.live!.close({ release: false });
    await dead.close();
    replicas = replicas.filter((replica) => replica !== dead);
    // Changed while nobody polls: the successor starts from the snapshot its predecessor shared.
    await direct(sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'During takeover',
    });
    await until(() => pollers().length === 1, 5_000);
    await pollOnce();
    for (const subscriber of survivors) {
      await subscriber.waitFor((c) => c.node?.name === 'During takeover');
    }
  });
});
