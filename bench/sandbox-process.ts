import { startSandbox } from '../src/sandbox/index.js';
import { growOrganization, ORGANIZATION_SIZES } from '../src/sandbox/seed.js';
import { LATENCY_MS, SEED_NOW } from './servers.js';

/**
 * The sandbox grown to an organization size, in a process of its own, so that the size mode
 * measures the gateway's event loop and memory, not the emulator's. Prints one JSON line (its
 * URL, the counts and the ids the `nodes` operation picks from), then serves until killed.
 * `tsx bench/sandbox-process.ts medium|large`
 */
const size = process.argv[2] as keyof typeof ORGANIZATION_SIZES;
if (!(size in ORGANIZATION_SIZES)) throw new Error(`unknown size ${size}`);

const sandbox = await startSandbox({ now: SEED_NOW, latencyMs: LATENCY_MS });
const { store } = sandbox;
growOrganization(store, store.clock.anchor, ORGANIZATION_SIZES[size]);
let memberships = 0;
for (const byUser of store.memberships.values()) memberships += byUser.size;
process.stdout.write(
  `${JSON.stringify({
    url: sandbox.url,
    counts: {
      users: store.users.size,
      apiKeys: store.apiKeys.size,
      memberships,
      workspaces: store.workspaces.size,
    },
    ids: {
      users: [...store.users.keys()],
      workspaces: [...store.workspaces.keys()],
      apiKeys: [...store.apiKeys.keys()],
      invites: [...store.invites.keys()],
    },
  })}\n`,
);
process.on('SIGTERM', () => {
  void sandbox.close().finally(() => process.exit(0));
});
