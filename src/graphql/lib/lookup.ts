import { badUserInput } from './errors.js';
import { isId, type IdKind } from '../../domain/ids.js';

const EXPECTED: Record<IdKind, string> = {
  user: 'a user id (user_…)',
  invite: 'an invite id (invite_…)',
  workspace: 'a workspace id (wrkspc_…)',
  apiKey: 'an API key id (apikey_…)',
  organization: 'the organization id (a UUID)',
};

/**
 * Checks an id argument before it goes anywhere near the Admin API: a malformed id is a clear
 * BAD_USER_INPUT error naming the argument, and costs no upstream request.
 */
export function checkIdArgument(kind: IdKind, value: string, argumentName: string): string {
  if (!isId(kind, value)) {
    throw badUserInput(
      `\`${argumentName}\` must be ${EXPECTED[kind]}; got ${JSON.stringify(value.slice(0, 100))}.`,
      { argumentName },
    );
  }
  return value;
}
