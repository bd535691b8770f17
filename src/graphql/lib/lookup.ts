import { badUserInput } from './errors.js';
import { isId } from '../../domain/ids.js';
import { KINDS, type IdKind } from '../../domain/kinds.js';

/**
 * Checks an id argument before it goes anywhere near the Admin API: a malformed id is a clear
 * BAD_USER_INPUT error naming the argument, and costs no upstream request.
 */
export function checkIdArgument(kind: IdKind, value: string, argumentName: string): string {
  if (!isId(kind, value)) {
    throw badUserInput(
      `\`${argumentName}\` must be ${KINDS[kind].label}; got ${JSON.stringify(value.slice(0, 100))}.`,
      { argumentName },
    );
  }
  return value;
}
