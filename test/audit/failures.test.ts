import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/app/gateway.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import {
  DEFAULT_SANDBOX_KEY,
  FIXTURE_IDS,
  startSandbox,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { SEED_NOW } from '../support/harness.js';
import { UPDATE_KEY } from './helpers.js';

const PASSWORD = 'db-password-never-logged';

/**
 * A database that refuses every write: the mutation is answered as usual, the failure is logged
 * without secrets and counted in /metrics.
 */
describe('a failing audit write', () => {
  let sandbox: Sandbox;
  let gateway: Gateway;
  const logs: string[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ now: SEED_NOW });
    gateway = createGateway(
      {
        ...loadConfig({}),
        upstreamBaseUrl: sandbox.url,
        adminKey: DEFAULT_SANDBOX_KEY,
        cacheTtlSeconds: 0,
        upstreamRateLimitPerMinute: 0,
      },
      {
        logger: createLogger(
          'debug',
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              logs.push(chunk.toString('utf8'));
              done();
            },
          }),
        ),
        database: () =>
          Promise.reject(
            new Error(
              `connect ECONNREFUSED postgres://admin:${PASSWORD}@db.internal/audit (${DEFAULT_SANDBOX_KEY})`,
            ),
          ),
      },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await sandbox.close();
  });

  it('never fails the mutation; logged without secrets and counted', async () => {
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1' },
      body: JSON.stringify({
        query: UPDATE_KEY,
        variables: { input: { apiKeyId: FIXTURE_IDS.activeApiKey, name: 'still-works' } },
      }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ updateApiKey: { apiKey: { name: 'still-works' } } });
    await expect(gateway.audit.flush()).rejects.toThrow(/could not be written/);
    const metrics = await (
      await gateway.metrics(new Request('http://gateway.test/metrics'))
    ).text();
    expect(metrics).toMatch(/^admin_graph_audit_write_failures_total [1-9]/m);
    const failure = logs.find((line) => line.includes('audit events could not be written'));
    expect(failure).toBeDefined();
    const text = logs.join('\n');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(DEFAULT_SANDBOX_KEY);
  });
});
