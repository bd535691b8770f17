import { describe, expect, it } from 'vitest';
import { createSeedState, growOrganization, ORGANIZATION_SIZES } from '../../src/sandbox/seed.js';
import { toMicros } from '../../src/sandbox/time.js';
import { SEED_NOW } from '../support/harness.js';

const anchor = toMicros(SEED_NOW);
const membershipsOf = (state: ReturnType<typeof createSeedState>) =>
  [...state.memberships.values()].reduce((sum, byUser) => sum + byUser.size, 0);

describe('organization sizes of the seed', () => {
  it('grows an organization to exactly the asked size, the same way every time', () => {
    const grown = createSeedState(anchor);
    growOrganization(grown, anchor, ORGANIZATION_SIZES.medium);
    expect(grown.users.size).toBe(2_000);
    expect(grown.apiKeys.size).toBe(2_000);
    expect(membershipsOf(grown)).toBe(3_000);

    const again = createSeedState(anchor);
    growOrganization(again, anchor, ORGANIZATION_SIZES.medium);
    expect([...again.users.keys()]).toEqual([...grown.users.keys()]);
    expect([...again.apiKeys.keys()]).toEqual([...grown.apiKeys.keys()]);
  });

  it('keeps the default seed as it is, and every seeded object in a grown one', () => {
    const seeded = createSeedState(anchor);
    const grown = createSeedState(anchor);
    growOrganization(grown, anchor, ORGANIZATION_SIZES.medium);
    for (const [id, user] of seeded.users) expect(grown.users.get(id)).toEqual(user);
    for (const [id, key] of seeded.apiKeys) expect(grown.apiKeys.get(id)).toEqual(key);
    expect(grown.workspaces).toEqual(seeded.workspaces);
    expect(createSeedState(anchor).users.size).toBe(seeded.users.size);
  });
});
