import { GraphQLScalarType } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { builder } from '../builder.js';

/*
 * graphql-scalars' JSONObject, for documents the Admin API stores and returns as free-form JSON
 * objects (Claude Code managed settings). Inputs must be JSON objects (not arrays, strings or
 * numbers); outputs are the Admin API's object as it came.
 */
export const JSONObject = builder.addScalarType(
  'JSONObject',
  new GraphQLScalarType({
    ...JSONObjectResolver.toConfig(),
    description:
      'A JSON object, such as a settings document: keys are strings, values any JSON. Outputs are exactly what the Admin API returned; inputs must be objects (an array, string or number is refused).',
  }),
);
