/**
 * The shapes of Admin API ids. Every id that came from a caller is checked against these before it
 * reaches a URL, so that no caller input can name another upstream path.
 */
export const ID_PATTERNS = {
  user: /^user_[A-Za-z0-9]{1,64}$/,
  invite: /^invite_[A-Za-z0-9]{1,64}$/,
  workspace: /^wrkspc_[A-Za-z0-9]{1,64}$/,
  apiKey: /^apikey_[A-Za-z0-9]{1,64}$/,
  organization: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
} as const;

export type IdKind = keyof typeof ID_PATTERNS;

const KIND_LABEL: Record<IdKind, string> = {
  user: 'a user id (user_…)',
  invite: 'an invite id (invite_…)',
  workspace: 'a workspace id (wrkspc_…)',
  apiKey: 'an API key id (apikey_…)',
  organization: 'an organization id (a UUID)',
};

/** An id from a caller that is not of the expected kind; no upstream call was made for it. */
export class InvalidIdError extends Error {
  override name = 'InvalidIdError';
  constructor(
    readonly kind: IdKind,
    readonly value: string,
  ) {
    super(`${JSON.stringify(value.slice(0, 100))} is not ${KIND_LABEL[kind]}.`);
  }
}

export function isId(kind: IdKind, value: string): boolean {
  return ID_PATTERNS[kind].test(value);
}

/** Returns the id unchanged, or throws InvalidIdError. */
export function checkId(kind: IdKind, value: string): string {
  if (!isId(kind, value)) throw new InvalidIdError(kind, value);
  return value;
}

/** The kind of an Admin API id, told by its prefix; null for anything else. */
export function idKindOf(value: string): IdKind | null {
  for (const kind of Object.keys(ID_PATTERNS) as IdKind[]) {
    if (ID_PATTERNS[kind].test(value)) return kind;
  }
  return null;
}
