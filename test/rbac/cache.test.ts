import { describe, expect, it } from 'vitest';
import { API, RBAC, calls, gql, useHarness } from './helpers.js';

describe('with the shared read cache on', () => {
  const harness = useHarness({ cacheTtlSeconds: 30 });

  it('serves repeated reads from the cache, and a write drops the groups it touched', async () => {
    const h = harness();
    const read = `{ rbacGroup(id: "${RBAC.supportGroup}") { name members(first: 5) { nodes { userId } } } }`;
    const first = await gql(h, read);
    expect(first.errors).toBeUndefined();
    expect(calls(h)).toHaveLength(2);
    h.resetCounts();
    expect((await gql(h, read)).data).toEqual(first.data);
    expect(calls(h)).toEqual([]);

    const renamed = await gql(
      h,
      `mutation { updateRbacGroup(input: { rbacGroupId: "${RBAC.supportGroup}", name: "Customer support" }) { userErrors { code } } }`,
    );
    expect(renamed.errors).toBeUndefined();
    h.resetCounts();
    const after = await gql(h, read);
    expect((after.data?.rbacGroup as { name: string }).name).toBe('Customer support');
    // The group came from the write's answer; its members page was read anew.
    expect(calls(h)).toEqual([`GET ${API}/rbac_groups/${RBAC.supportGroup}/members?limit=5`]);
  });
});
