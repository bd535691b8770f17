import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { run } from './helpers.js';

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('no async context on the request path', () => {
  it('the gateway uses no AsyncLocalStorage (its promise hooks slow every promise on Node 20)', () => {
    const users = sources('src').filter((path) =>
      /from 'node:async_hooks'|new AsyncLocalStorage\b/.test(readFileSync(path, 'utf8')),
    );
    expect(users).toEqual([]);
  });
});

describe('the budget caller and the fetch slot, passed explicitly', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        upstreamRateLimitPerMinute: 100,
        upstreamCallerShare: 0.1,
        auth: {
          mode: 'token',
          tokens: [{ name: 'dashboard', token: 'reader-token-0123456789abcdef', scopes: ['read'] }],
        },
      },
    });
  });
  afterAll(() => h.close());

  it('charges a reader its own share, and no slot header reaches the Admin API', async () => {
    const answer = await run(
      h.endpoint,
      '{ organization { users(first: 5) { nodes { id } } } }',
      {},
      { authorization: 'Bearer reader-token-0123456789abcdef' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.cost.upstreamRequests).toBe(1);
    // The reader's own bucket (10 % of 100) lost the token its request took.
    expect(answer.cost.budget?.caller).toMatchObject({ limit: 10, remaining: 9, whole: false });
    expect(answer.cost.budget?.remaining).toBe(99);
    const sent = h.upstream();
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]!.headers).filter((name) => name.includes('slot'))).toEqual([]);
  });
});
