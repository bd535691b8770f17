import { parse, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

/**
 * A response lists each object's fields in the order the operation selects them, whatever order
 * their resolvers finish in (GraphQL spec, CollectFields). The executor under graphql-yoga got this
 * wrong in @graphql-tools/executor 2.0.1 and earlier (fields landed in completion order), so this
 * guards the dependency pins in package.json (README "Node.js").
 */
const QUERY = /* GraphQL */ `
  query ResponseOrder {
    organization {
      name
      users(first: 5) {
        nodes {
          id
          name
          email
          role
          addedAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      id
      workspaces(first: 5) {
        nodes {
          id
          name
          members(first: 5) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
        }
      }
    }
  }
`;

/** The response keys of `data` at every level, checked against the selection's field order. */
function expectSelectionOrder(
  selectionSet: SelectionSetNode,
  value: unknown,
  path: string,
): number {
  if (value === null) return 0;
  if (Array.isArray(value)) {
    return value.reduce<number>(
      (n, item, i) => n + expectSelectionOrder(selectionSet, item, `${path}[${i}]`),
      0,
    );
  }
  const fields = selectionSet.selections.map((selection) => {
    if (selection.kind !== 'Field') throw new Error(`${path}: only plain fields in this query`);
    return selection;
  });
  const object = value as Record<string, unknown>;
  expect(Object.keys(object), path).toEqual(
    fields.map((field) => field.alias?.value ?? field.name.value),
  );
  let checked = 1;
  for (const field of fields) {
    const key = field.alias?.value ?? field.name.value;
    if (field.selectionSet)
      checked += expectSelectionOrder(field.selectionSet, object[key], `${path}.${key}`);
  }
  return checked;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('response field order', () => {
  it('follows the selection at every level, also where an earlier field waits on the Admin API', async () => {
    const { status, body } = await postGraphQL(h.endpoint, { query: QUERY });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const operation = parse(QUERY).definitions[0] as OperationDefinitionNode;
    const checked = expectSelectionOrder(operation.selectionSet, body.data, 'data');
    // The walk reached the nested lists (users, workspaces and their members), not just the top.
    expect(checked).toBeGreaterThan(10);
    expect(h.upstream().length).toBeGreaterThan(1);
  });
});
