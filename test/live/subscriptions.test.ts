import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/domain/scopes.js';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS } from '../../src/sandbox/index.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { describe as show, postGraphQL, startHarness, type Harness } from '../support/harness.js';
import {
  direct,
  liveConfig,
  sseSubscribe,
  subscribed,
  until,
  wsSubscribe,
  type Received,
} from './helpers.js';

const READER = 'reader-token-0000000000000000';
const KEYS_READER = 'keys-reader-token-000000000000';

let h: Harness;
const open: Received[] = [];

beforeAll(async () => {
  h = await startHarness({
    config: {
      live: liveConfig(),
      // Opening the shared test database (audit trail) holds this process for seconds.
      upstreamTimeoutMs: 60_000,
      auth: {
        mode: 'token',
        tokens: [
          { name: 'reader', token: READER, scopes: ['read'] },
          {
            name: 'keys',
            token: KEYS_READER,
            scopes: ['read', 'write', 'members:write', 'api_keys:read'],
          },
        ],
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  for (const received of open.splice(0)) received.close();
  await until(() => h.gateway.live!.subscriberCount === 0);
  h.sandbox.reset();
});

const asReader = { authorization: `Bearer ${READER}` };
const asKeys = { authorization: `Bearer ${KEYS_READER}` };

async function sse(variables: Record<string, unknown>, headers = asKeys) {
  const received = await sseSubscribe(h.endpoint, variables, headers);
  open.push(received);
  return received;
}

describe('organizationChanges', () => {
  it('an out-of-band change reaches an SSE and a graphql-ws subscriber after a poll', async () => {
    const viaSse = await sse({ filter: { kinds: ['WORKSPACE'] } });
    const viaWs = wsSubscribe(h.endpoint, { filter: { kinds: ['WORKSPACE'] } }, asKeys);
    open.push(viaWs);
    await subscribed(h.gateway, 2);
    await h.gateway.live!.pollNow(); // the baseline
    await direct(h.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'Renamed elsewhere',
    });
    await h.gateway.live!.pollNow();
    for (const received of [viaSse, viaWs]) {
      const change = await received.waitFor((c) => c.nodeId === FIXTURE_IDS.productionWorkspace);
      expect(change).toMatchObject({
        type: 'UPDATED',
        kind: 'WORKSPACE',
        changedFields: ['name'],
        workspaceId: FIXTURE_IDS.productionWorkspace,
        node: { id: FIXTURE_IDS.productionWorkspace, name: 'Renamed elsewhere' },
      });
    }
  });

  it('a write through the gateway reaches subscribers at once, without a poll', async () => {
    const received = await sse({ filter: { kinds: ['INVITE'] } });
    await subscribed(h.gateway);
    await h.gateway.live!.pollNow();
    h.resetCounts();
    const created = await postGraphQL(
      h.endpoint,
      {
        query: `mutation { createInvite(input: { email: "live@example.com", role: USER }) { invite { id } userErrors { code } } }`,
      },
      asKeys,
    );
    const inviteId = (created.body.data as { createInvite: { invite: { id: string } } })
      .createInvite.invite.id;
    const change = await received.waitFor((c) => c.nodeId === inviteId);
    expect(change).toMatchObject({
      type: 'CREATED',
      kind: 'INVITE',
      node: { email: 'live@example.com', status: 'PENDING' },
    });
    // The write itself, and no list read: the event did not wait for a poll.
    expect(h.upstream().map(show)).toEqual(['POST /v1/organizations/invites']);
  });

  it('costs the same upstream requests for 1 and for 500 subscribers', async () => {
    const requestsPerPolls = async () => {
      await h.gateway.live!.pollNow(); // baseline of what the subscribers watch
      h.resetCounts();
      for (let poll = 0; poll < 3; poll++) await h.gateway.live!.pollNow();
      return h.upstream().map(show);
    };
    await sse({});
    await subscribed(h.gateway, 1);
    const one = await requestsPerPolls();
    // 499 more, straight on the hub (the transports have their own tests; 500 sockets through
    // the whole HTTP pipeline would only measure this machine).
    const live = h.gateway.live!;
    const credential = gatewayCredential(DEFAULT_SANDBOX_KEY);
    const more = await Promise.all(
      Array.from({ length: 499 }, () =>
        live.subscribe({ scopes: ALL_SCOPES, credential }, {}, null),
      ),
    );
    expect(live.subscriberCount).toBe(500);
    const many = await requestsPerPolls();
    expect(one.length).toBeGreaterThan(0);
    expect(many).toEqual(one);
    for (const iterator of more) await iterator.return?.();
  }, 60_000);

  it('resumes after lastEventId, and answers RESYNC for an id the log no longer holds', async () => {
    const first = await sse({ filter: { kinds: ['WORKSPACE'] } });
    await subscribed(h.gateway);
    await h.gateway.live!.pollNow();
    await direct(h.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'One',
    });
    await h.gateway.live!.pollNow();
    const seen = await first.waitFor((c) => c.type === 'UPDATED');
    first.close();
    await until(() => h.gateway.live!.subscriberCount === 0);
    // Missed while away: the second rename is polled with nobody listening … (the interest
    // outlives the subscriber for its expiry, so the poller still walks the list).
    await direct(h.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'Two',
    });
    await h.gateway.live!.pollNow();
    const resumed = await sse({ filter: { kinds: ['WORKSPACE'] }, lastEventId: seen.id });
    const missed = await resumed.waitFor((c) => c.type === 'UPDATED');
    expect(missed.node).toMatchObject({ name: 'Two' });
    expect(missed.id > seen.id).toBe(true);

    const stale = await sse({ filter: { kinds: ['WORKSPACE'] }, lastEventId: '1-0' });
    expect(await stale.waitFor(() => true)).toMatchObject({ type: 'RESYNC', node: null });
  });

  it('sends API key events only to callers holding api_keys:read', async () => {
    const reader = await sse({}, asReader);
    const keys = await sse({});
    await subscribed(h.gateway, 2);
    await h.gateway.live!.pollNow();
    await direct(h.sandbox, 'POST', `/api_keys/${FIXTURE_IDS.activeApiKey}`, { name: 'renamed' });
    await direct(h.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
      name: 'Seen by both',
    });
    await h.gateway.live!.pollNow();
    await keys.waitFor((c) => c.kind === 'API_KEY');
    await keys.waitFor((c) => c.kind === 'WORKSPACE');
    await reader.waitFor((c) => c.kind === 'WORKSPACE');
    expect(reader.changes.map((c) => c.kind)).not.toContain('API_KEY');
    expect(reader.errors).toEqual([]);
  });

  it('closes a WebSocket whose caller does not authenticate, and refuses foreign origins and hosts', async () => {
    const refused = wsSubscribe(h.endpoint, {}, { authorization: 'Bearer not-a-token' });
    open.push(refused);
    await until(() => refused.errors.length > 0);
    expect((refused.errors[0] as { code?: number }).code).toBe(4403);

    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(h.endpoint.replace(/^http/, 'ws'), 'graphql-transport-ws', {
          headers,
        });
        socket.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('open', () => {
          socket.close();
          reject(new Error('the upgrade was accepted'));
        });
        socket.on('error', () => {});
      });
    expect(await upgrade({ origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade({ host: 'rebind.evil.example' })).toBe(421);
  });

  it('refuses an unknown filter workspace id and a malformed lastEventId', async () => {
    const badId = await sse({ filter: { workspaceId: 'user_123' } });
    const badEvent = await sse({ lastEventId: 'not-an-id' });
    await until(() => badId.errors.length > 0 && badEvent.errors.length > 0);
    expect(JSON.stringify(badId.errors)).toContain('BAD_USER_INPUT');
    expect(JSON.stringify(badEvent.errors)).toContain('BAD_USER_INPUT');
  });
});
