import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { startHarness, type Harness } from '../support/harness.js';
import { run } from './helpers.js';

const USERS = '{ organization { users(first: 5) { nodes { id email } } } }';

describe('a whole-result cache hit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { cacheTtlSeconds: 60, upstreamRateLimitPerMinute: 100 } });
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    return h.close();
  });

  it('reports the caller budget read by the last executed operation, without reading the budget again', async () => {
    // The clock stands still, so that the status read just before is always recent enough.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T12:00:00Z') });
    const status = vi.spyOn(UpstreamBudget.prototype, 'status');
    const executed = await run(h.endpoint, USERS);
    expect(executed.errors).toBeUndefined();
    expect(executed.cost.upstreamRequests).toBe(1);
    expect(status).toHaveBeenCalledTimes(1);

    const hit = await run(h.endpoint, USERS);
    expect(hit.data).toEqual(executed.data);
    expect(hit.cost.upstreamRequests).toBe(0);
    expect(hit.cost.cacheHits).toBe(1);
    expect(status).toHaveBeenCalledTimes(1);
    expect(hit.cost.budget).toEqual(executed.cost.budget);
    expect(hit.cost.budget?.remaining).toBe(99);

    // An executed operation reads the budget again.
    await run(h.endpoint, '{ organization { users(first: 6) { nodes { id } } } }');
    expect(status).toHaveBeenCalledTimes(2);
  });
});
