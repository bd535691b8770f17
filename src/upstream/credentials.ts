import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { registerSecret } from './scrub.js';

/** An Admin API credential and the header it travels in. */
export interface UpstreamCredential {
  /** `x-api-key` for Admin API keys, `authorization` for OAuth bearer tokens. */
  header: 'x-api-key' | 'authorization';
  secret: string;
  /** Whose credential it is: the gateway's own, or one the caller sent with its request. */
  source: 'gateway' | 'caller';
  /**
   * A stable, non-reversible name for the credential (a truncated SHA-256), for cache keys and
   * logs. It never reveals the secret.
   */
  fingerprint: string;
}

function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

export function gatewayCredential(secret: string): UpstreamCredential {
  registerSecret(secret); // never shown, whatever an upstream message echoes
  return { header: 'x-api-key', secret, source: 'gateway', fingerprint: fingerprintOf(secret) };
}

/** Admin API keys (`sk-ant-admin…`) travel in `x-api-key`, whatever header the caller used. */
export function isAdminKeyShaped(secret: string): boolean {
  return /^sk-ant-admin/i.test(secret);
}

/**
 * The caller's own credential, if its request carries one: `x-api-key: <key>` or
 * `Authorization: Bearer <token>`. Returns null when neither header is present. A bearer value
 * shaped like an Admin key goes upstream in `x-api-key`; only OAuth tokens travel as Bearer.
 */
export function callerCredential(headers: Headers): UpstreamCredential | null {
  const apiKey = headers.get('x-api-key')?.trim();
  if (apiKey) {
    return {
      header: 'x-api-key',
      secret: apiKey,
      source: 'caller',
      fingerprint: fingerprintOf(apiKey),
    };
  }
  const authorization = headers.get('authorization')?.trim();
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (match?.[1]) {
    const token = match[1];
    return {
      header: isAdminKeyShaped(token) ? 'x-api-key' : 'authorization',
      secret: token,
      source: 'caller',
      fingerprint: fingerprintOf(token),
    };
  }
  return null;
}

/** The request headers that carry a credential to the Admin API. */
export function credentialHeaders(credential: UpstreamCredential): Record<string, string | null> {
  return credential.header === 'x-api-key'
    ? { 'x-api-key': credential.secret, authorization: null }
    : { authorization: `Bearer ${credential.secret}`, 'x-api-key': null };
}

/** The gateway's OAuth access token, for the endpoints that take no Admin API key. */
export function gatewayOAuthCredential(secret: string): UpstreamCredential {
  registerSecret(secret);
  return { header: 'authorization', secret, source: 'gateway', fingerprint: fingerprintOf(secret) };
}

/** How often a token file is checked for a renewed token. */
const TOKEN_FILE_CHECK_MS = 5_000;

/**
 * The gateway's OAuth token as configured: a fixed token, or a file that another process renews
 * (checked at most every 5 s; a changed file is read again). Null when none is configured or the
 * file cannot be read (the fields that need it then fail with CREDENTIAL_MISSING).
 */
export function oauthTokenSource(
  setting: { token: string } | { file: string } | undefined,
): () => UpstreamCredential | null {
  if (!setting) return () => null;
  if ('token' in setting) {
    const credential = gatewayOAuthCredential(setting.token);
    return () => credential;
  }
  let credential: UpstreamCredential | null = null;
  let modified = -1;
  let checked = 0;
  return () => {
    const now = Date.now();
    if (now - checked < TOKEN_FILE_CHECK_MS) return credential;
    checked = now;
    try {
      const mtime = statSync(setting.file).mtimeMs;
      if (mtime !== modified) {
        const token = readFileSync(setting.file, 'utf8').trim();
        credential = token ? gatewayOAuthCredential(token) : null;
        modified = mtime;
      }
    } catch {
      credential = null;
      modified = -1;
    }
    return credential;
  };
}
