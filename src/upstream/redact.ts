import { scrub } from './scrub.js';

const REDACTED = '[redacted]';

/**
 * Names of fields that hold a secret, whatever their value looks like: keys, tokens, passwords,
 * signing secrets, credentials, authorization headers. A name ending in `id`, `ids` or `name`
 * (`apiKeyId`, `tokenName`) names something else.
 */
const SECRET_NAME = /(secret|password|passphrase|token|apikey|privatekey|credential|authorization)/;
const NOT_SECRET_NAME = /(id|ids|name|names|count|type|types)$/;

function isSecretName(name: string): boolean {
  const plain = name.toLowerCase().replace(/[^a-z]/g, '');
  return SECRET_NAME.test(plain) && !NOT_SECRET_NAME.test(plain);
}

/** How deep a value is walked; deeper parts are replaced (inputs are never that deep). */
const MAX_DEPTH = 12;

/**
 * A copy of `value` fit to store or show: the values of fields named like secrets replaced, and
 * every string scrubbed of known secrets and anything shaped like a key or token (see scrub.ts).
 */
export function redact(value: unknown, secrets: Iterable<string | null | undefined> = []): unknown {
  const known = [...secrets];
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return scrub(item, known);
    if (item === null || typeof item !== 'object') return item;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1));
    if (item instanceof Date) return item.toISOString();
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item)) {
      copy[key] =
        isSecretName(key) && entry !== null && entry !== undefined
          ? REDACTED
          : walk(entry, depth + 1);
    }
    return copy;
  };
  return walk(value, 0);
}
