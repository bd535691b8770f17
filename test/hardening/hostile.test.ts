import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { USERS_QUERY, originOf, query, send, seededRandom, type Answer } from './helpers.js';
import { doublingFragments, hostileCases, type HostileCase } from './hostile-cases.js';

const SEED = 0x5eed_2026;
const CASES = hostileCases(seededRandom(SEED));

/** Why an answer is not a clear refusal; null when it is one. */
function unclear(answer: Answer): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (/\bat .+\.(js|ts|mjs|cjs):\d+/.test(answer.text)) return 'a stack trace';
  if (answer.status >= 400 && answer.status < 500) return null;
  const errors = answer.body.errors ?? [];
  const userErrors = Object.values(answer.body.data ?? {}).flatMap(
    (payload) => (payload as { userErrors?: unknown[] } | null)?.userErrors ?? [],
  );
  if (errors.length === 0 && userErrors.length === 0) return `HTTP ${answer.status} without errors`;
  for (const error of errors) {
    if (error.message === 'Unexpected error.') return 'a masked unexpected error';
    if (!error.extensions?.['code'] && !(error.message?.length > 10)) return 'an unclear error';
  }
  return null;
}

async function post(endpoint: string, item: HostileCase): Promise<Answer> {
  return send(endpoint, {
    method: 'POST',
    headers: { 'content-type': item.contentType ?? 'application/json', accept: 'application/json' },
    body: typeof item.body === 'string' ? item.body : JSON.stringify(item.body),
    timeoutMs: 10_000,
  });
}

describe(`a generated suite of ${CASES.length} hostile operations (seed ${SEED})`, () => {
  let h: Harness;
  const outcomes: { item: HostileCase; problem: string | null }[] = [];
  let heapBefore = 0;

  beforeAll(async () => {
    h = await startHarness();
    // Warm up, so that lazy initialisation does not count as growth.
    for (let i = 0; i < 5; i++) await query(h.endpoint, USERS_QUERY);
    global.gc?.();
    heapBefore = process.memoryUsage().heapUsed;
    h.resetCounts();
  });
  afterAll(() => h.close());

  it('has hundreds of cases over every family', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(300);
    expect(new Set(CASES.map((c) => c.family)).size).toBe(11);
  });

  it('refuses every one clearly: 4xx or GraphQL errors, never a 500, a hang or a stack', async () => {
    for (const item of CASES) {
      let problem: string | null;
      try {
        problem = unclear(await post(h.endpoint, item));
      } catch (error) {
        problem = `no answer (${(error as Error).name})`;
      }
      outcomes.push({ item, problem });
    }
    const failures = outcomes
      .filter((o) => o.problem)
      .map((o) => `${o.item.family} / ${o.item.name}: ${o.problem}`);
    expect(failures).toEqual([]);
  }, 60_000);

  it('made few upstream requests: nearly everything was refused before any call', () => {
    expect(outcomes.length).toBe(CASES.length);
    // Only the lists of well-formed ids reach the Admin API, one list page each.
    expect(h.upstream().length).toBeLessThanOrEqual(10);
  });

  it('stays up, and its memory stays bounded', async () => {
    const health = await send(`${originOf(h.endpoint)}/health`);
    expect(health.status).toBe(200);
    const normal = await query(h.endpoint, USERS_QUERY);
    expect(normal.body.errors, normal.text).toBeUndefined();
    global.gc?.();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    expect(growth).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('a fragment bomb without aliases (it passes every validation rule)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers a 2^48-leaf bomb at once: no step of parse, validation, estimate or execution follows every spread', async () => {
    // 48 doubling levels name 2^48 leaves in 4 KB. Work per fragment is linear in the document;
    // work per expanded leaf would not end within the test's timeout (20 levels already take
    // seconds when the growth is exponential), so this fails by timing out, never by a close call.
    const answer = await query(h.endpoint, doublingFragments(48, 'rateLimit { cost }'));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.errors, answer.text).toBeUndefined();
    expect(answer.body.data?.rateLimit).toBeDefined();
  });
});
