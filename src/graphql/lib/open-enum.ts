import { builder } from '../builder.js';

/** The internal value of the UNKNOWN member every open enum has. */
export const UNKNOWN_VALUE = '__unknown__';

/**
 * An enum over values the Admin API may extend at any time (CONTRACT.md §10). Each REST value maps
 * to its SCREAMING_CASE name, or to the GraphQL name given with its description where that would
 * not be a valid name ("0-200k"); a value this gateway does not know yet resolves to UNKNOWN
 * instead of failing the query, and the raw value stays readable through a `…Value` field.
 */
export function openEnum<const V extends string>(
  name: string,
  description: string,
  values: Record<V, string | readonly [graphqlName: string, description: string]>,
) {
  const known = new Set<string>(Object.keys(values));
  const ref = builder.enumType(name, {
    description,
    values: {
      ...Object.fromEntries(
        Object.entries<string | readonly [string, string]>(values).map(([value, spec]) => {
          const [graphqlName, text] = typeof spec === 'string' ? [value.toUpperCase(), spec] : spec;
          return [graphqlName, { value, description: text }];
        }),
      ),
      UNKNOWN: {
        value: UNKNOWN_VALUE,
        description:
          'A value the Admin API reports that this version of the gateway does not know yet; the raw value is in the matching `…Value` field.',
      },
    } as Record<string, { value: V | typeof UNKNOWN_VALUE; description: string }>,
  });
  /** The enum value for a raw value from the Admin API; null stays null. */
  function fromUpstream(raw: string): V | typeof UNKNOWN_VALUE;
  function fromUpstream(raw: string | null | undefined): V | typeof UNKNOWN_VALUE | null;
  function fromUpstream(raw: string | null | undefined): V | typeof UNKNOWN_VALUE | null {
    if (raw == null) return null;
    return known.has(raw) ? (raw as V) : UNKNOWN_VALUE;
  }
  return { ref, fromUpstream };
}

/** Raw values of enum inputs, rejecting UNKNOWN (it is an output-only placeholder). */
export function isKnown<V extends string>(value: V | typeof UNKNOWN_VALUE): value is V {
  return value !== UNKNOWN_VALUE;
}

export type OpenEnum<V extends string> = ReturnType<typeof openEnum<V>>;

/**
 * The two fields an open enum is read through: `name` (the enum, UNKNOWN for a value this gateway
 * does not know yet) and `nameValue` (the raw value as the Admin API reports it). Both are null
 * where the raw value is.
 */
export function enumFieldPair<Parent, const N extends string, V extends string>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, Parent>,
  name: N,
  values: OpenEnum<V>,
  raw: (parent: Parent) => string | null | undefined,
  descriptions: { value: string; raw: string },
) {
  const value = t.field({
    type: values.ref,
    nullable: true,
    description: descriptions.value,
    // The enum's values are V and UNKNOWN by construction; Pothos cannot see that through the
    // generic ref, hence the cast.
    resolve: (parent) => values.fromUpstream(raw(parent)) as never,
  });
  const rawValue = t.string({
    nullable: true,
    description: descriptions.raw,
    resolve: (parent) => raw(parent) ?? null,
  });
  return { [name]: value, [`${name}Value`]: rawValue } as { [K in N]: typeof value } & {
    [K in `${N}Value`]: typeof rawValue;
  };
}
