import { graphqlNames, outcomeUnknownError, writeMayHaveApplied } from './errors.js';
import { UpstreamError } from '../../upstream/errors.js';
import { InvalidIdError, type IdKind } from '../../domain/ids.js';
import { builder } from '../builder.js';

export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation could not do what was asked.',
  values: {
    INVALID_INPUT: { description: 'A value in the input is not acceptable.' },
    ALREADY_EXISTS: {
      description:
        'What the mutation would create already exists: the address already has a pending invite or belongs to a member, the user is already a member of the workspace.',
    },
    NOT_FOUND: { description: 'An object the input names does not exist.' },
    CONFLICT: { description: 'The change conflicts with the current state of the object.' },
    NOT_PERMITTED: { description: 'The credential in use may not make this change.' },
  } as const,
});

export interface UserErrorShape {
  message: string;
  code: 'INVALID_INPUT' | 'ALREADY_EXISTS' | 'NOT_FOUND' | 'CONFLICT' | 'NOT_PERMITTED';
  field: string[] | null;
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description:
    'An expected failure of a mutation that the caller can fix: the mutation changed nothing.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for a person to read.' }),
    code: t.field({
      type: UserErrorCode,
      description: 'What went wrong, for a program to act on.',
      resolve: (error) => error.code,
    }),
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'The path of the input field at fault, such as ["input", "role"], when known.',
    }),
  }),
});

/** Where a mutation's input fields are, to point a user error at the right one. */
export interface InputPaths {
  /** Input path of each kind of id the mutation takes. */
  ids?: Partial<Record<IdKind, string[]>>;
  /** Input path to blame when the Admin API answers 404, or a choice made from its message. */
  notFound?: string[] | ((message: string) => string[]);
  /** Input path of each REST body field, found in the Admin API's 400 messages. */
  body?: Record<string, string[]>;
}

/**
 * The input field a 400 message names: the first one it mentions, where a name followed by a dot
 * (`data_residency.default_inference_geo`) is only the prefix of a more specific one.
 */
function blame(message: string, body: InputPaths['body']): string[] | null {
  let best: { index: number; path: string[] } | null = null;
  for (const [name, path] of Object.entries(body ?? {})) {
    const index = message.search(new RegExp(`\\b${name}\\b(?!\\.)`));
    if (index >= 0 && (!best || index < best.index)) best = { index, path };
  }
  return best?.path ?? null;
}

/** An Admin API message naming REST body fields, with the GraphQL input names instead. */
function inGraphQLTerms(message: string, body: InputPaths['body']): string {
  const names = Object.entries(body ?? {}).sort(([a], [b]) => b.length - a.length);
  let renamed = message;
  for (const [name, path] of names) {
    renamed = renamed.replace(new RegExp(`\\b${name}\\b(?!\\.)`, 'g'), path.slice(1).join('.'));
  }
  return graphqlNames(renamed);
}

/** The 400 messages of a duplicate: an invite or membership that already exists. */
const DUPLICATE = /\balready (exists|belongs to|a member)\b/i;

/** The input path of the object a mutation acts on, blamed for a refusal that names no field. */
function subjectOf(paths: InputPaths, message: string): string[] | null {
  return typeof paths.notFound === 'function' ? paths.notFound(message) : (paths.notFound ?? null);
}

function toUserError(error: unknown, paths: InputPaths): UserErrorShape | null {
  if (error instanceof InvalidIdError) {
    return {
      message: error.message,
      code: 'INVALID_INPUT',
      field: paths.ids?.[error.kind] ?? null,
    };
  }
  if (!(error instanceof UpstreamError) || error.kind !== 'http') return null;
  switch (error.status) {
    case 400:
    case 413:
    case 422:
      return {
        message: inGraphQLTerms(error.message, paths.body),
        code: DUPLICATE.test(error.message) ? 'ALREADY_EXISTS' : 'INVALID_INPUT',
        field: blame(error.message, paths.body) ?? subjectOf(paths, error.message),
      };
    case 403:
      return { message: graphqlNames(error.message), code: 'NOT_PERMITTED', field: null };
    case 404:
      return {
        message: inGraphQLTerms(error.message, paths.body),
        code: 'NOT_FOUND',
        field: subjectOf(paths, error.message),
      };
    case 409:
      return { message: inGraphQLTerms(error.message, paths.body), code: 'CONFLICT', field: null };
    default:
      return null;
  }
}

export interface MutationOptions<T> {
  /**
   * Reads back, once, whether a write whose answer was lost took effect: the result as the write
   * would have returned it, or null when the read does not show the change.
   * `startedAt` is when the write was sent (ms since the epoch).
   */
  settle?: (startedAt: number) => Promise<T | null>;
}

/** How far the Admin API's clock may be behind ours when a settle read compares timestamps. */
export const SETTLE_CLOCK_SKEW_MS = 5 * 60_000;

/** Whether an Admin API timestamp is no earlier than `startedAt`, give or take clock skew. */
export function createdSince(timestamp: string | null | undefined, startedAt: number): boolean {
  const time = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isFinite(time) && time >= startedAt - SETTLE_CLOCK_SKEW_MS;
}

/** Whether an upstream error is a 404 (for settle reads of deletions). */
export function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'http' && error.status === 404;
}

/**
 * Runs a mutation's upstream write. Failures the caller can fix (invalid input, unknown id,
 * conflict, not permitted) become `userErrors`; anything else (authentication, rate limit,
 * upstream down) is thrown on as a GraphQL error. A write that was sent and whose answer was
 * lost may have been applied: `settle` reads back once; when it cannot tell, the error is
 * `UPSTREAM_OUTCOME_UNKNOWN` (never `UPSTREAM_UNAVAILABLE`, which a client may retry blindly).
 */
export async function runMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
  options: MutationOptions<T> = {},
): Promise<{ result: T | null; userErrors: UserErrorShape[] }> {
  const startedAt = Date.now();
  try {
    return { result: await write(), userErrors: [] };
  } catch (error) {
    if (error instanceof UpstreamError && writeMayHaveApplied(error)) {
      const settled = options.settle ? await options.settle(startedAt).catch(() => null) : null;
      if (settled !== null) return { result: settled, userErrors: [] };
      throw outcomeUnknownError(error);
    }
    const userError = toUserError(error, paths);
    if (!userError) throw error;
    return { result: null, userErrors: [userError] };
  }
}

/** A user error found before any upstream call. */
export function inputError(
  message: string,
  field: string[],
): { result: null; userErrors: UserErrorShape[] } {
  return { result: null, userErrors: [{ message, code: 'INVALID_INPUT', field }] };
}

/** The `userErrors` field every mutation payload has. */
export function userErrorsField<Payload extends { userErrors: UserErrorShape[] }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, Payload>,
) {
  return t.field({
    type: [UserError],
    description: 'Why nothing changed; empty on success.',
    resolve: (payload) => payload.userErrors,
  });
}
