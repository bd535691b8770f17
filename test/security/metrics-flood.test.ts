import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const TOKEN = 'metrics-test-reader-0000000000001';
const METRICS_TOKEN = 'metrics-scraper-token-000000000002';
const REQUESTS = 20_000;

// A full collection before each RSS reading, so that garbage not yet collected does not count.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const rss = () => {
  collect();
  return process.memoryUsage().rss;
};
const CONCURRENCY = 32;
const PAD = 1024;

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

// A load test of its own (minutes on a busy machine), apart from the quick /metrics checks in
// metrics.test.ts, so that those can be run, and repeated, without it.
describe('/metrics under a flood of unique URLs', () => {
  let h: Harness;
  let origin: URL;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
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

  it('keeps memory and /metrics bounded: no URL or free-text labels', async () => {
    const pad = randomBytes(PAD / 2).toString('hex');
    // Each URL is unique (its padding and a token-shaped parameter); every request is refused 401.
    const url = (i: number) =>
      `/graphql?query=${encodeURIComponent('query Probe { __typename }')}&pad=${i}${pad}&token=sk-ant-api03-${i}`;
    const run = async (from: number, to: number) => {
      let next = from;
      const worker = async () => {
        while (next < to) {
          const i = next++;
          const answer = await get(agent, origin, url(i), { 'x-graphql-yoga-csrf': '1' });
          if (answer.status !== 401) throw new Error(`request ${i} answered ${answer.status}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    await run(0, 500); // warm up: code paths compiled, sockets open
    const startRss = rss();
    for (let done = 500; done < REQUESTS; done += 2_500) {
      await run(done, Math.min(REQUESTS, done + 2_500));
      // Fail as soon as a limit is crossed, rather than letting the process grow for minutes.
      const answer = await metrics();
      expect(answer.status).toBe(200);
      expect(answer.text.length, `/metrics after ${done + 2_500} requests`).toBeLessThan(1_000_000);
      const grown = rss() - startRss;
      expect(grown, `RSS growth after ${done + 2_500} requests`).toBeLessThan(50 * 1024 * 1024);
    }
    const text = (await metrics()).text;
    expect(text).not.toContain('pad=');
    expect(text).not.toContain('sk-ant-');
    expect(text).not.toContain('Probe');
    expect(text).toMatch(/^graphql_yoga_http_duration_bucket\{/m);
    // 20,000 requests served by the gateway in this same process: generous for a busy machine.
  }, 300_000);
});
