import { describe, expect, it } from 'vitest';
import { API, MISSING_GROUP, RBAC, calls, gql, useHarness } from './helpers.js';

describe('RBAC groups and roles as federation entities', () => {
  const harness = useHarness({ federationSubgraph: true });

  it('resolves representations through the loaders: several groups share one list page', async () => {
    const h = harness();
    const body = await gql(
      h,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on RbacGroup { id name } ... on RbacRole { id displayName } } }`,
      {
        representations: [
          { __typename: 'RbacGroup', id: RBAC.supportGroup },
          { __typename: 'RbacGroup', id: RBAC.ownersGroup },
          { __typename: 'RbacRole', id: RBAC.supportRole },
          { __typename: 'RbacGroup', id: 'rbac_role_01wrongkind' },
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.['_entities']).toEqual([
      { __typename: 'RbacGroup', id: RBAC.supportGroup, name: 'Support' },
      { __typename: 'RbacGroup', id: RBAC.ownersGroup, name: 'Owners' },
      { __typename: 'RbacRole', id: RBAC.supportRole, displayName: 'Support agent' },
      null,
    ]);
    expect(calls(h).sort()).toEqual(
      [`GET ${API}/rbac_groups?limit=1000`, `GET ${API}/rbac_roles/${RBAC.supportRole}`].sort(),
    );
  });

  it('an unknown group is null', async () => {
    const h = harness();
    const body = await gql(
      h,
      `{ _entities(representations: [{ __typename: "RbacGroup", id: "${MISSING_GROUP}" }]) { __typename } }`,
    );
    expect(body.data?.['_entities']).toEqual([null]);
  });
});
