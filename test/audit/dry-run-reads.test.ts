import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { ReadCache } from '../../src/upstream/read-cache.js';
import { MemoryState } from '../../src/upstream/state/shared-state.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ADMIN_TOKEN, TOKEN_AUTH, UPDATE_KEY, bearer, post } from './helpers.js';

const credential = gatewayCredential('sk-ant-admin01-dry-run-reads-test-key-000000000000');

/** A fetch that waits until `release` is called, counting its calls. */
function gated<T>(value: T) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const calls = { count: 0 };
  const fetch = async () => {
    calls.count++;
    await gate;
    return value;
  };
  return { fetch, release, calls };
}

describe("a dry run's read of an entry another request is fetching", () => {
  it('neither joins that fetch nor lends its own stand-in to a real read', async () => {
    const cache = new ReadCache(new MemoryState(), 30_000);
    const real = gated('from upstream');
    const first = cache.read(credential, 'users', 'u1', real.fetch);
    // The dry run's fetch stops at once (it captures, never sends): it must not reach `first`.
    const dry = cache.read(
      credential,
      'users',
      'u1',
      () => Promise.reject(new Error('dry run: not sent')),
      undefined,
      undefined,
      { alone: true },
    );
    await expect(dry).rejects.toThrow('dry run: not sent');
    // A real read after it joins the real fetch in flight, not the dry run's.
    const second = cache.read(credential, 'users', 'u1', () => Promise.resolve('a second fetch'));
    real.release();
    expect(await first).toBe('from upstream');
    expect(await second).toBe('from upstream');
    expect(real.calls.count).toBe(1);
    // And once cached, a dry run's read is answered from the cache.
    expect(
      await cache.read(
        credential,
        'users',
        'u1',
        () => Promise.reject(new Error('dry run: not sent')),
        undefined,
        undefined,
        { alone: true },
      ),
    ).toBe('from upstream');
  });

  it('a real read started after a dry run does not join the dry run (which would fail it)', async () => {
    const cache = new ReadCache(new MemoryState(), 30_000);
    const stand = gated<string>('never used');
    const dry = cache.read(
      credential,
      'users',
      'u2',
      async () => {
        await stand.fetch();
        throw new Error('dry run: not sent');
      },
      undefined,
      undefined,
      { alone: true },
    );
    const real = cache.read(credential, 'users', 'u2', () => Promise.resolve('from upstream'));
    stand.release();
    await expect(dry).rejects.toThrow('dry run: not sent');
    expect(await real).toBe('from upstream');
  });
});

describe('a dry-run write', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { auth: TOKEN_AUTH, cacheTtlSeconds: 3600 } });
  });
  afterAll(() => h.close());

  it('leaves the cached reads of what it would change in place (nothing was written)', async () => {
    const keys = '{ organization { apiKeys(first: 20) { nodes { id name } } } }';
    const before = await post(h, keys);
    expect(before.body.errors).toBeUndefined();
    const dry = await post(
      h,
      UPDATE_KEY,
      { input: { apiKeyId: FIXTURE_IDS.activeApiKey, name: 'renamed in a dry run' } },
      { ...bearer(ADMIN_TOKEN), 'x-dry-run': '1' },
    );
    expect(dry.body.errors).toBeUndefined();
    h.resetCounts();
    const after = await post(h, keys);
    expect(after.body.data).toEqual(before.body.data);
    expect(h.upstream()).toEqual([]);
  });
});
