// Clients were built against the last release's schema: the schema may grow and deprecate, but a
// breaking change (a removed field, a narrowed type, a new required argument…) fails here unless it
// is listed, with its reason, in intended-breaking-changes.ts. Dangerous changes (a new enum value,
// a new optional argument) pass: clients are told to expect them. test/schema.test.ts keeps
// schema.graphql equal to the printed current schema, so both are checked below.
import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  DEFAULT_DEPRECATION_REASON,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { INTENDED_BREAKING_CHANGES } from './intended-breaking-changes.js';

const BASELINE = 'releases/schema-0.1.0.graphql';

function readSchema(path: string): GraphQLSchema {
  return buildSchema(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
}

const describeChange = (change: Change): string =>
  `${change.type} ${change.path ?? ''}: ${change.message}`;

/** Breaking changes from `before` to `after` that the intended list does not name. */
async function unintendedBreakingChanges(
  before: GraphQLSchema,
  after: GraphQLSchema,
  intended = INTENDED_BREAKING_CHANGES,
): Promise<{ unintended: string[]; staleIntended: string[] }> {
  const breaking = (await diff(before, after)).filter(
    (change) => change.criticality.level === CriticalityLevel.Breaking,
  );
  const isIntended = (change: Change) =>
    intended.some((entry) => entry.type === change.type && entry.path === change.path);
  return {
    unintended: breaking.filter((change) => !isIntended(change)).map(describeChange),
    staleIntended: intended
      .filter((entry) => !breaking.some((c) => c.type === entry.type && c.path === entry.path))
      .map((entry) => `${entry.type} ${entry.path}`),
  };
}

/** Deprecated fields, arguments, input fields and enum values whose reason says nothing. */
function deprecationsWithoutReason(target: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, reason: string | null | undefined) => {
    if (reason == null) return;
    if (reason.trim() === '' || reason === DEFAULT_DEPRECATION_REASON) missing.push(coordinate);
  };
  for (const type of Object.values(target.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of 'args' in field ? field.args : []) {
          check(`${type.name}.${field.name}(${arg.name})`, arg.deprecationReason);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        check(`${type.name}.${value.name}`, value.deprecationReason);
      }
    }
  }
  return missing;
}

describe('schema compatibility with the last release', () => {
  const baseline = readSchema(BASELINE);

  it.each([
    ['schema.graphql', () => readSchema('schema.graphql')],
    ['the schema the code builds', () => schema],
  ])('%s has no breaking change against 0.1.0 beyond the intended ones', async (_, current) => {
    const { unintended, staleIntended } = await unintendedBreakingChanges(baseline, current());
    expect(unintended).toEqual([]);
    expect(staleIntended).toEqual([]);
  });

  it('gives every intended breaking change a reason', () => {
    expect(INTENDED_BREAKING_CHANGES.filter((entry) => entry.reason.trim() === '')).toEqual([]);
  });

  it('gives every deprecation a reason', () => {
    expect(deprecationsWithoutReason(schema)).toEqual([]);
    expect(deprecationsWithoutReason(readSchema('schema.graphql'))).toEqual([]);
  });

  // The guards themselves: a removal and a narrowed type are caught, an added enum value and an
  // added field are not, an intended entry lets its change through, and a bare @deprecated is caught.
  it('catches what it is meant to catch', async () => {
    const before = buildSchema(`
      type Query { a: String, b: Int, c: Kind }
      enum Kind { X }
    `);
    const after = buildSchema(`
      type Query { b: Int!, c: Kind, d: String, e: String @deprecated, f: String @deprecated(reason: "Use d.") }
      enum Kind { X, Y }
    `);
    expect((await unintendedBreakingChanges(before, after, [])).unintended).toEqual([
      expect.stringMatching(/^FIELD_REMOVED Query\.a:/),
    ]);
    const intended = [{ type: 'FIELD_REMOVED', path: 'Query.a', reason: 'test' }];
    expect(await unintendedBreakingChanges(before, after, intended)).toEqual({
      unintended: [],
      staleIntended: [],
    });
    const stale = [{ type: 'FIELD_REMOVED', path: 'Query.b', reason: 'test' }];
    expect((await unintendedBreakingChanges(before, after, stale)).staleIntended).toEqual([
      'FIELD_REMOVED Query.b',
    ]);
    const narrowed = buildSchema(`type Query { a: Int, b: Int, c: Kind } enum Kind { X }`);
    expect((await unintendedBreakingChanges(before, narrowed, [])).unintended).toEqual([
      expect.stringMatching(/^FIELD_TYPE_CHANGED Query\.a:/),
    ]);
    expect(deprecationsWithoutReason(after)).toEqual(['Query.e']);
  });
});
