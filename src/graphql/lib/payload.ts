import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { builder } from '../builder.js';
import { userErrorsField, type UserErrorShape } from './user-error.js';

type Types =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** What a mutation's resolver answers: the object it made or changed, or why nothing changed. */
export interface Outcome<Result> {
  result: Result | null;
  userErrors: UserErrorShape[];
}

/**
 * The payload of a mutation that answers one object: a nullable field named `field` holding the
 * result, and `userErrors`. Passed as the third argument of `builder.relayMutationField`.
 */
export function resultPayload<Result>(
  mutation: string,
  field: string,
  type: ObjectRef<Types, Result>,
  description: string,
) {
  // Widened to `unknown` here only: Pothos cannot work out its result type for an unbound
  // `Result`, and callers are held to the object type by the signature above.
  const ref: ObjectRef<Types, unknown> = type;
  return {
    description: `The result of ${mutation}.`,
    outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Outcome<Result>>) => ({
      [field]: t.field({
        type: ref,
        nullable: true,
        description,
        resolve: (payload) => payload.result,
      }),
      userErrors: userErrorsField(t),
    }),
  };
}
