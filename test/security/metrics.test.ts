import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// The flood of 20,000 unique URLs (bounded memory and labels) is in metrics-flood.test.ts.
const TOKEN = 'metrics-test-reader-0000000000001';
const METRICS_TOKEN = 'metrics-scraper-token-000000000002';

/** GETs `path` on the gateway over a keep-alive agent, returning status and body length. */
function get(
  agent: Agent,
  origin: URL,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: origin.hostname, port: origin.port, path, method: 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer for ${path.slice(0, 40)}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('/metrics access and labels', () => {
  let h: Harness;
  let origin: URL;
  const agent = new Agent({ keepAlive: true });
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: { mode: 'token', tokens: [{ name: 'reader', token: TOKEN, scopes: ['read'] }] },
        metricsToken: METRICS_TOKEN,
      },
    });
    origin = new URL(h.endpoint);
  });
  afterAll(async () => {
    agent.destroy();
    await h.close();
  });

  const metrics = () =>
    get(agent, origin, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });

  it('answers /metrics only with the metrics token', async () => {
    expect((await get(agent, origin, '/metrics')).status).toBe(401);
    expect(
      (await get(agent, origin, '/metrics', { authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(401);
    const allowed = await metrics();
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('admin_graph_upstream_circuit_open');
  });

  it('labels operations by name only when the name is known, else other or anonymous', async () => {
    const post = (body: unknown) =>
      fetch(h.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(body),
      });
    await post({
      query: 'query KnownDashboard { organization { users(first: 1) { nodes { id } } } }',
    });
    await post({ query: '{ __typename }' });
    // Past the cap of distinct names, further names are labelled `other`.
    for (let i = 0; i < 120; i++) await post({ query: `query Unique${i} { __typename }` });
    const text = (await metrics()).text;
    expect(text).not.toContain('Unique119');
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="other"/);
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="KnownDashboard"/);
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="anonymous"/);
    expect(text).toMatch(/graphql_yoga_http_duration_count\{[^}]*operationName="other"/);
  }, 60_000);
});
