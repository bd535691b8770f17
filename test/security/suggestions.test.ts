import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { gql } from '../hardening/helpers.js';

/** Each request draws an error graphql-js would end with a "Did you mean …" suggestion. */
const CASES: [string, { query: string; variables?: Record<string, unknown> }, string][] = [
  [
    'an enum value in the document',
    { query: '{ organization { users(first: 2, roles: [DEVELOPR]) { nodes { id } } } }' },
    'DEVELOPER',
  ],
  [
    'an input field in the document',
    { query: 'mutation { createWorkspace(input: { nmae: "x" }) { workspace { id } } }' },
    '"name"',
  ],
  [
    'an enum value in variables',
    {
      query:
        'query Q($r: [OrganizationRole!]) { organization { users(first: 2, roles: $r) { nodes { id } } } }',
      variables: { r: ['DEVELOPR'] },
    },
    'DEVELOPER',
  ],
  [
    'an input field in variables',
    {
      query:
        'mutation M($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { workspace { id } } }',
      variables: { i: { name: 'x', nmae: 'y' } },
    },
    '"name"',
  ],
  ['an argument', { query: '{ organization { users(frist: 2) { nodes { id } } } }' }, '"first"'],
  [
    'a type of a variable',
    {
      query:
        'query Q($r: [OrganizationRol!]) { organization { users(first: 2, roles: $r) { nodes { id } } } }',
    },
    '"OrganizationRole"',
  ],
  ['a field', { query: '{ organizaton { id } }' }, '"organization"'],
];

describe('no suggestions while introspection is off', () => {
  let h: Harness;
  let open: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { introspection: false } });
    open = await startHarness({ config: { introspection: true } });
  });
  afterAll(async () => {
    await h.close();
    await open.close();
  });

  it.each(CASES)(
    '%s: the error says what is wrong, suggests nothing',
    async (_case, body, hidden) => {
      h.resetCounts();
      const answer = await gql(h.endpoint, body);
      expect(answer.body.errors?.length, answer.text).toBeGreaterThan(0);
      expect(answer.text).not.toMatch(/did you mean/i);
      expect(answer.text).not.toContain(hidden);
      expect(h.upstream()).toEqual([]);
    },
  );

  it.each(CASES)('%s: suggested with introspection on', async (_case, body) => {
    const answer = await gql(open.endpoint, body);
    expect(answer.text).toMatch(/did you mean/i);
  });
});
