import { DEFAULT_SANDBOX_KEY } from './index.js';

/**
 * "Another admin" for sandbox mode: every `everyMs` it changes something in the emulator directly
 * (as an admin in the Console would, not through the gateway), so that the live graph's
 * subscriptions show changes offline. In turn: invites someone, renames a workspace, renames an
 * API key, withdraws the invite it sent. Returns a function that stops it.
 */
export function startAnotherAdmin(
  sandboxUrl: string,
  everyMs: number,
  onError: (error: unknown) => void = () => {},
): () => void {
  let step = 0;
  let invited: string[] = [];
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(`${sandboxUrl}/v1/organizations${path}`, {
      method,
      headers: {
        'x-api-key': DEFAULT_SANDBOX_KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok)
      throw new Error(`another admin: ${method} ${path} answered ${response.status}`);
    return (await response.json()) as { data?: { id: string; name?: string }[]; id?: string };
  };
  const stamp = () => new Date().toISOString().slice(11, 19);
  const actions = [
    async () => {
      const invite = await call('POST', '/invites', {
        email: `another-admin-${Date.now()}@example.com`,
        role: 'user',
      });
      if (invite.id) invited.push(invite.id);
    },
    async () => {
      const workspaces = (await call('GET', '/workspaces?limit=20')).data ?? [];
      const workspace = workspaces[step % Math.max(1, workspaces.length)];
      if (workspace) {
        const base = (workspace.name ?? 'Workspace').replace(/ \(renamed [0-9:]+\)$/, '');
        await call('POST', `/workspaces/${workspace.id}`, { name: `${base} (renamed ${stamp()})` });
      }
    },
    async () => {
      const keys = (await call('GET', '/api_keys?limit=20&status=active')).data ?? [];
      const key = keys[step % Math.max(1, keys.length)];
      if (key) {
        const base = (key.name ?? 'key').replace(/ \(renamed [0-9:]+\)$/, '');
        await call('POST', `/api_keys/${key.id}`, { name: `${base} (renamed ${stamp()})` });
      }
    },
    async () => {
      const [id, ...rest] = invited;
      invited = rest;
      if (id) await call('DELETE', `/invites/${id}`);
    },
  ];
  const timer = setInterval(() => {
    const action = actions[step % actions.length]!;
    step++;
    action().catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
