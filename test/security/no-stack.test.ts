import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const JSON_POST = { 'content-type': 'application/json' };
const CSRF = { 'x-graphql-yoga-csrf': '1' };

/** Odd requests to every endpoint: none may answer with a stack trace. */
const REQUESTS: [string, RequestInit][] = [
  ['/metrics', {}],
  ['/metrics', { headers: { authorization: 'Bearer wrong' } }],
  ['/ready', {}],
  ['/health', {}],
  ['/nope', {}],
  ['/graphql?query=%7B', { headers: CSRF }],
  ['/graphql?query={__typename}&variables=%7Bbad', { headers: CSRF }],
  ['/graphql?query={__typename}&extensions=%7Bbad', { headers: CSRF }],
  ['/graphql', { method: 'POST', headers: JSON_POST, body: '{bad' }],
  ['/graphql', { method: 'POST', headers: JSON_POST, body: '[1,2]' }],
  ['/graphql', { method: 'POST', headers: JSON_POST, body: '{"query": 5}' }],
  ['/graphql', { method: 'POST', headers: JSON_POST, body: '{"query":"{x}","variables":"x"}' }],
  ['/graphql', { method: 'PUT', headers: JSON_POST, body: '{}' }],
];

describe('no stack trace from any endpoint', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { metricsToken: 'no-stack-metrics-token-0001' } });
  });
  afterAll(() => h.close());

  it.each(REQUESTS)('%s %o', async (path, init) => {
    const response = await fetch(new URL(path, h.endpoint), init);
    const text = await response.text();
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toMatch(/"stack"/);
    expect(text).not.toContain('node_modules');
  });
});
