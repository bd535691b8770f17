import { startSandbox } from '../src/sandbox/index.js';
import { growOrganization, ORGANIZATION_SIZES } from '../src/sandbox/seed.js';
import { ADMIN_KEY, LATENCY_MS, SEED_NOW } from './servers.js';

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
await warmUp(sandbox.url, [...store.workspaces.keys()]);
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

/**
 * Serves each list the size mode reads a few times before the sandbox reports ready, so that the
 * measured operations meet an upstream whose code is compiled, as the real API's servers are,
 * rather than charging the sandbox's own warm-up (the first walks of 1000-item pages run several
 * times slower) to the gateway. Reads only: the organization is left as it was.
 */
async function warmUp(url: string, workspaceIds: string[]): Promise<void> {
  const headers = { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2023-06-01' };
  const list = async (path: string) => {
    const answer = await fetch(`${url}/v1/organizations/${path}`, { headers });
    if (!answer.ok) throw new Error(`warm-up: ${path} answered ${answer.status}`);
    return (await answer.json()) as { has_more: boolean; last_id: string | null };
  };
  for (let round = 0; round < 3; round++) {
    await list('workspaces?limit=1000');
    await Promise.all(workspaceIds.map((id) => list(`workspaces/${id}/members?limit=1000`)));
    for (const collection of ['users', 'api_keys', 'invites']) {
      let page = await list(`${collection}?limit=1000`);
      for (let more = 0; more < 3 && page.has_more && page.last_id; more++) {
        page = await list(`${collection}?limit=1000&after_id=${page.last_id}`);
      }
    }
  }
}
