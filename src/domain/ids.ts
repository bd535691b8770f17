import { ID_KINDS, KINDS, type IdKind } from './kinds.js';

export type { IdKind } from './kinds.js';

/** An id from a caller that is not of the expected kind; no upstream call was made for it. */
export class InvalidIdError extends Error {
  override name = 'InvalidIdError';
  constructor(
    readonly kind: IdKind,
    readonly value: string,
  ) {
    super(`${JSON.stringify(value.slice(0, 100))} is not ${KINDS[kind].label}.`);
  }
}

/**
 * Whether `value` has the shape of an id of `kind` (src/domain/kinds.ts). Every id that came from
 * a caller is checked before it reaches a URL, so that no caller input can name another path.
 */
export function isId(kind: IdKind, value: string): boolean {
  return KINDS[kind].pattern.test(value);
}

/** Returns the id unchanged, or throws InvalidIdError. */
export function checkId(kind: IdKind, value: string): string {
  if (!isId(kind, value)) throw new InvalidIdError(kind, value);
  return value;
}

/** The kind of an Admin API id, told by its shape; null for anything else. */
export function idKindOf(value: string): IdKind | null {
  for (const kind of ID_KINDS) if (KINDS[kind].pattern.test(value)) return kind;
  return null;
}
