import { invalidRequest } from './errors.js';

/** Query string as received: every key exactly as sent (e.g. `roles[]`), every value kept. */
export type Query = Record<string, string[]>;

export function parseQuery(search: string): Query {
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(search)) {
    (query[key] ??= []).push(value);
  }
  return query;
}

/** A scalar query parameter (first value when repeated). */
export function queryValue(query: Query, name: string): string | undefined {
  return query[name]?.[0];
}

/** An array parameter, accepted as `name[]=a&name[]=b` and as `name=a&name=b`. */
export function queryValues(query: Query, name: string): string[] | undefined {
  const values = [...(query[`${name}[]`] ?? []), ...(query[name] ?? [])];
  return values.length > 0 ? values : undefined;
}

export function queryEnumValues<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const values = queryValues(query, name);
  if (!values) return undefined;
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalidRequest(`${name}: '${value}' is not one of ${listOf(allowed)}`);
    }
  }
  return values as T[];
}

export function queryBoolean(query: Query, name: string, fallback: boolean): boolean {
  const value = queryValue(query, name);
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`${name}: expected 'true' or 'false'`);
}

export function queryNonEmpty(query: Query, name: string): string | undefined {
  const value = queryValue(query, name);
  if (value === '') throw invalidRequest(`${name}: must not be empty`);
  return value;
}

export function listOf(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The request body as an object. A missing body counts as `{}` (action and all-optional
 * update endpoints accept none); fields outside `allowed` are rejected by name.
 */
export function objectBody(body: unknown, allowed: readonly string[]): JsonObject {
  if (body === null || body === undefined) return {};
  if (!isObject(body)) throw invalidRequest('Request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalidRequest(`${key}: Extra inputs are not permitted`);
  }
  return body;
}

export function has(body: JsonObject, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, field);
}

interface FieldOptions {
  required?: boolean;
  nullable?: boolean;
}

/** A string field: `undefined` when absent, `null` when sent as null and nullable. */
export function stringField(
  body: JsonObject,
  field: string,
  options: FieldOptions & { minLength?: number; maxLength?: number } = {},
): string | null | undefined {
  const value = fieldValue(body, field, options);
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw invalidRequest(`${field}: Input should be a valid string`);
  const { minLength, maxLength } = options;
  if (minLength !== undefined && value.trim().length < minLength) {
    throw invalidRequest(`${field}: must be at least ${minLength} character(s) long`);
  }
  if (maxLength !== undefined && value.length > maxLength) {
    throw invalidRequest(`${field}: must be at most ${maxLength} characters long`);
  }
  return value;
}

export function enumField<T extends string>(
  body: JsonObject,
  field: string,
  allowed: readonly T[],
  options: FieldOptions = {},
): T | null | undefined {
  const value = fieldValue(body, field, options);
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(`${field}: Input should be ${listOf(allowed)}`);
  }
  return value as T;
}

/** A field after presence and nullability checks (`undefined` when absent). */
export function fieldValue(body: JsonObject, field: string, options: FieldOptions): unknown {
  if (!has(body, field)) {
    if (options.required) throw invalidRequest(`${field}: Field required`);
    return undefined;
  }
  const value = body[field];
  if (value === null && !options.nullable) {
    throw invalidRequest(`${field}: Input should not be null`);
  }
  return value;
}
