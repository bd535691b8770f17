import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_KEY, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { CALLER_KEY, SEED_NOW, postGraphQL, startGateway } from '../support/harness.js';
import { recordingProxy, type RecordingProxy } from './helpers.js';

const USERS = '{ organization { users(first: 2) { nodes { id } } } }';
const OAUTH_TOKEN = 'oauth-access-token-abcdefghijklmnopqrstuvwxyz';

describe('the header a credential travels in upstream', () => {
  let sandbox: Sandbox;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    sandbox = await startSandbox({
      now: SEED_NOW,
      credentials: { admin: DEFAULT_SANDBOX_KEY, caller: CALLER_KEY },
    });
    proxy = await recordingProxy(sandbox.url);
  });
  afterAll(async () => {
    await proxy.close();
    await sandbox.close();
  });

  it.each(['forward', 'none'] as const)(
    '%s mode: an Admin key sent as Authorization: Bearer goes upstream in x-api-key only',
    async (mode) => {
      const gateway = await startGateway(sandbox, {
        upstreamBaseUrl: proxy.url,
        auth: { mode },
        ...(mode === 'forward' ? { adminKey: undefined } : {}),
      });
      try {
        proxy.requests.length = 0;
        sandbox.clearRequests();
        const { body } = await postGraphQL(
          gateway.endpoint,
          { query: USERS },
          { authorization: `Bearer ${CALLER_KEY}` },
        );
        expect(body.errors).toBeUndefined();
        expect(proxy.requests).toHaveLength(1);
        const headers = proxy.requests[0]!.headers;
        expect(headers['x-api-key']).toBe(CALLER_KEY);
        expect(headers['authorization']).toBeUndefined();
        expect(sandbox.requests.map((request) => request.credential)).toEqual(['caller']);
      } finally {
        await gateway.close();
      }
    },
  );

  it('an OAuth token (not shaped like an Admin key) stays a bearer token', async () => {
    const gateway = await startGateway(sandbox, {
      upstreamBaseUrl: proxy.url,
      adminKey: undefined,
      auth: { mode: 'forward' },
    });
    try {
      proxy.requests.length = 0;
      await postGraphQL(
        gateway.endpoint,
        { query: USERS },
        { authorization: `Bearer ${OAUTH_TOKEN}` },
      );
      expect(proxy.requests).toHaveLength(1);
      const headers = proxy.requests[0]!.headers;
      expect(headers['authorization']).toBe(`Bearer ${OAUTH_TOKEN}`);
      expect(headers['x-api-key']).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });
});
