import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { describe as show, startHarness, type Harness } from '../support/harness.js';
import {
  direct,
  liveConfig,
  sseSubscribe,
  subscribed,
  until,
  wsSubscribe,
  type Received,
} from './helpers.js';

/*
 * 500 subscribers over the real transports of one gateway: 250 over server-sent events (HTTP)
 * and 250 over graphql-ws (WebSocket). Each receives the event of one change made elsewhere, and
 * the polls cost exactly the upstream requests they cost for one subscriber.
 */

const TOKEN = 'transports-token-0000000000000';
const headers = { authorization: `Bearer ${TOKEN}` };
const filter = { kinds: ['WORKSPACE'] };

let h: Harness;
const open: Received[] = [];

beforeAll(async () => {
  h = await startHarness({
    config: {
      live: liveConfig(),
      upstreamTimeoutMs: 60_000,
      auth: { mode: 'token', tokens: [{ name: 'watcher', token: TOKEN, scopes: ['read'] }] },
    },
  });
});
afterAll(async () => {
  for (const received of open.splice(0)) received.close();
  await h?.close();
});

/**
 * A baseline poll, then a rename made straight on the emulator and three polls: the upstream
 * requests of those three polls, and the name every subscriber must receive.
 */
async function renameAndPoll(name: string): Promise<string[]> {
  await h.gateway.live!.pollNow();
  h.resetCounts();
  await direct(h.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, { name });
  for (let poll = 0; poll < 3; poll++) await h.gateway.live!.pollNow();
  return h.upstream().map(show);
}

const renamedTo = (name: string) => (received: Received) =>
  received.waitFor(
    (change) =>
      change.nodeId === FIXTURE_IDS.productionWorkspace &&
      (change.node as { name?: unknown } | null)?.name === name,
  );

describe('organizationChanges with 500 subscribers over HTTP and WebSocket', () => {
  it('every subscriber receives the change, for the upstream requests of one subscriber', async () => {
    const one = await sseSubscribe(h.endpoint, { filter }, headers);
    open.push(one);
    await subscribed(h.gateway, 1);
    const alone = await renameAndPoll('Seen by one');
    await renamedTo('Seen by one')(one);

    const sse = await Promise.all(
      Array.from({ length: 249 }, () => sseSubscribe(h.endpoint, { filter }, headers)),
    );
    const ws = Array.from({ length: 250 }, () => wsSubscribe(h.endpoint, { filter }, headers));
    open.push(...sse, ...ws);
    expect(sse.map((received) => received.status)).toEqual(sse.map(() => 200));
    await until(
      () => h.gateway.live!.subscriberCount >= 500 || ws.some((r) => r.errors.length > 0),
      15_000,
    );
    expect(ws.flatMap((received) => received.errors)).toEqual([]);
    expect(h.gateway.live!.subscriberCount).toBe(500);

    const many = await renameAndPoll('Seen by all');
    const all = [one, ...sse, ...ws];
    await Promise.all(all.map(renamedTo('Seen by all')));
    expect(alone.length).toBeGreaterThan(0);
    expect(many).toEqual(alone);
    expect(all.flatMap((received) => received.errors)).toEqual([]);
  }, 60_000);
});
