import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema.js';

/** The client schema as SDL, sorted so that diffs of schema.graphql stay small and readable. */
export function printClientSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
