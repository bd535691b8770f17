import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEFAULT_SANDBOX_KEY, type Sandbox } from '../../src/sandbox/index.js';
import type { Gateway } from '../../src/app/gateway.js';

export interface Change {
  id: string;
  type: string;
  kind: string | null;
  nodeId: string | null;
  node: Record<string, unknown> | null;
  changedFields: string[] | null;
  workspaceId: string | null;
}

export interface Received {
  changes: Change[];
  errors: unknown[];
  /** Resolves with the first change (counting those received already) that `matches`. */
  waitFor(matches: (change: Change) => boolean): Promise<Change>;
  close(): void;
}

export const CHANGES = /* GraphQL */ `
  subscription Changes($filter: OrganizationChangesFilter, $lastEventId: String) {
    organizationChanges(filter: $filter, lastEventId: $lastEventId) {
      id
      type
      kind
      nodeId
      changedFields
      workspaceId
      node {
        id
        ... on Workspace {
          name
        }
        ... on Invite {
          email
          status
        }
        ... on ApiKey {
          name
        }
      }
    }
  }
`;

function collector(): Received & { push(change: Change): void; fail(error: unknown): void } {
  const changes: Change[] = [];
  const errors: unknown[] = [];
  const waiters: {
    matches: (change: Change) => boolean;
    resolve: (change: Change) => void;
    reject: (e: unknown) => void;
  }[] = [];
  return {
    changes,
    errors,
    push(change) {
      changes.push(change);
      for (const waiter of [...waiters]) {
        if (waiter.matches(change)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(change);
        }
      }
    },
    fail(error) {
      errors.push(error);
      for (const waiter of waiters.splice(0)) waiter.reject(error);
    },
    waitFor(matches) {
      const seen = changes.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ matches, resolve, reject }));
    },
    close() {},
  };
}

/** Subscribes over server-sent events (yoga's transport, as GraphiQL uses it). */
/** The data of one server-sent event (its `data:` lines joined); empty for none. */
export function sseData(block: string): string {
  return block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .join('');
}

export async function sseSubscribe(
  endpoint: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  query = CHANGES,
): Promise<Received & { status: number }> {
  const received = collector();
  const abort = new AbortController();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const data = sseData(text.slice(0, end));
          text = text.slice(end + 2);
          if (!data) continue;
          const body = JSON.parse(data) as {
            data?: { organizationChanges: Change };
            errors?: unknown[];
          };
          if (body.errors) received.fail(body.errors);
          else if (body.data) received.push(body.data.organizationChanges);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { ...received, status: response.status, close: () => abort.abort() };
}

/** Subscribes over graphql-ws. */
export function wsSubscribe(
  endpoint: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, unknown> = {},
): Received & { client: Client } {
  const received = collector();
  const client = createClient({
    url: endpoint.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: (error) => received.fail(error),
  });
  client.subscribe<{ organizationChanges: Change }>(
    { query: CHANGES, variables },
    {
      next: (result) => {
        if (result.errors) received.fail(result.errors);
        else if (result.data) received.push(result.data.organizationChanges);
      },
      error: (error) => received.fail(error),
      complete: () => {},
    },
  );
  return { ...received, client, close: () => void client.dispose() };
}

/** Waits until `condition` holds (checked every 10 ms), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the gateway's live graph has `count` subscribers. */
export function subscribed(gateway: Gateway, count = 1): Promise<void> {
  return until(() => (gateway.live?.subscriberCount ?? 0) >= count);
}

/** Another admin: a request made directly to the emulator with its key, not through the gateway. */
export async function direct(
  sandbox: Sandbox,
  method: 'POST' | 'DELETE',
  path: string,
  body?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.url}/v1/organizations${path}`, {
    method,
    headers: {
      'x-api-key': DEFAULT_SANDBOX_KEY,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Live settings for tests: polls only when a test asks (pollNow), unless it shortens them. */
export function liveConfig(pollIntervalMs = 3_600_000, overrides = {}) {
  return {
    pollIntervalMs,
    budgetShare: 0.2,
    leaseMs: 1_000,
    logMaxEvents: 100,
    logMaxAgeSeconds: 600,
    keyPrefix: 'test-live:',
    ...overrides,
  };
}
