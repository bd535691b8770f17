/**
 * Removes secrets from text that came from outside (the Admin API's error messages) before it
 * reaches a response, a userError, a log line or a span: the gateway's key and every credential
 * registered as known, plus anything shaped like an Anthropic key or token, a bearer token or a
 * JWT. What remains still says what went wrong (`invalid x-api-key: [redacted]`).
 */

const REDACTED = '[redacted]';

/** Anthropic keys and tokens: sk-ant-admin01-…, sk-ant-api03-…, sk-ant-oat01-…, … */
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]+/g;
/** A bearer credential after its scheme: `Bearer abc…`. */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Three base64url segments, the first a JSON object (`eyJ`): a JWT. */
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** Credentials shorter than this are not searched for verbatim (too likely to match by chance). */
const MIN_SECRET_LENGTH = 8;

const known = new Set<string>();

/** Makes `secret` (the gateway's own key) one the scrubber removes from every text. */
export function registerSecret(secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) known.add(secret);
}

/** `text` without known secrets, `secrets` (the request's own) and secret-shaped strings. */
export function scrub(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let clean = text;
  for (const secret of [...known, ...secrets]) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && clean.includes(secret)) {
      clean = clean.split(secret).join(REDACTED);
    }
  }
  return clean
    .replace(ANTHROPIC_KEY, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`);
}
