import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateOperation } from '../../src/graphql/cost/estimate.js';
import { EstimateMemo } from '../../src/graphql/cost/estimate-memo.js';
import { schema } from '../../src/graphql/schema.js';
import { CollectionSizes } from '../../src/upstream/collection-sizes.js';

const MEMBERS = parse(/* GraphQL */ `
  query Members($first: Int!) {
    organization {
      workspaces(first: $first) {
        nodes {
          members(first: 100) {
            nodes {
              user {
                email
              }
            }
          }
        }
      }
    }
  }
`);

const page = (n: number) => ({
  data: Array.from({ length: n }, (_, i) => ({ id: `x${i}` })),
  last_id: n ? `x${n - 1}` : null,
  has_more: false,
});

describe('the estimate, remembered per document and variables', () => {
  it('answers the plan it computed while the sizes it read are unchanged, and recomputes when one changes', () => {
    const sizes = new CollectionSizes();
    const memo = new EstimateMemo();
    const first = memo.estimate(schema, MEMBERS, 'Members', { first: 50 }, sizes.known('k'));
    const again = memo.estimate(schema, MEMBERS, 'Members', { first: 50 }, sizes.known('k'));
    expect(again).toBe(first);

    // Other variables: another plan.
    const fewer = memo.estimate(schema, MEMBERS, 'Members', { first: 2 }, sizes.known('k'));
    expect(fewer).not.toBe(first);
    expect(fewer.upstreamRequests).toBeLessThan(first.upstreamRequests);

    // The workspaces are now known to be 3: the remembered plan no longer holds.
    sizes.observe('k', 'workspaces', { limit: 1000 }, page(3));
    const known = memo.estimate(schema, MEMBERS, 'Members', { first: 50 }, sizes.known('k'));
    expect(known).not.toBe(first);
    expect(known).toEqual(
      estimateOperation(schema, MEMBERS, 'Members', { first: 50 }, { sizes: sizes.known('k') }),
    );
    expect(known.upstreamRequests).toBeLessThan(first.upstreamRequests);
    expect(memo.estimate(schema, MEMBERS, 'Members', { first: 50 }, sizes.known('k'))).toBe(known);

    // Forgotten again (a write): back to the plan without sizes, equal to a fresh estimate.
    sizes.forget('k', ['workspaces']);
    const cold = memo.estimate(schema, MEMBERS, 'Members', { first: 50 }, sizes.known('k'));
    expect(cold.upstreamRequests).toBe(first.upstreamRequests);
  });
});
