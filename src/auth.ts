import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from './config.js';
import { callerCredential, type UpstreamCredential } from './upstream/credentials.js';

/**
 * The scopes a caller can hold. `read` and `write` cover queries and mutations; the others guard
 * what an organization may want to hand out separately. `admin` grants every scope.
 */
export const SCOPES = {
  read: 'read',
  write: 'write',
  apiKeysRead: 'api_keys:read',
  apiKeysWrite: 'api_keys:write',
  membersWrite: 'members:write',
  workspacesWrite: 'workspaces:write',
} as const;

export type ScopeName = keyof typeof SCOPES;
export const ALL_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPES));

/** Who is calling, what they may do, and the credential their upstream requests use. */
export interface Caller {
  /** A name for logs: the token's name, the JWT subject, or the kind of credential. */
  name: string;
  scopes: ReadonlySet<string>;
  credential: UpstreamCredential;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

function grant(scopes: Iterable<string>): ReadonlySet<string> {
  const granted = new Set(scopes);
  return granted.has('admin') ? ALL_SCOPES : granted;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function bearer(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('The Authorization header must be `Bearer <token>`.');
  return match[1];
}

function scopesFromClaim(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export type Authenticator = (request: Request) => Promise<Caller>;

/**
 * Builds the check every request passes before it reaches the schema, for the configured mode:
 * - `none`: anyone; a caller's own Admin credential is used when it sends one.
 * - `forward`: every caller brings its own Admin credential, used upstream; the gateway has none.
 * - `token`: a static bearer token from the configuration, mapped to scopes.
 * - `jwt`: a bearer JWT verified against a JWKS, issuer and audience; scopes from a claim.
 * With `token` and `jwt` the upstream requests use the gateway's own key.
 */
export function createAuthenticator(
  config: AuthConfig,
  gatewayCredential: UpstreamCredential | null,
): Authenticator {
  const ownKey = () => {
    if (!gatewayCredential) throw new Error('this auth mode needs the gateway’s own key');
    return gatewayCredential;
  };
  switch (config.mode) {
    case 'none':
      return async (request) => {
        bearer(request); // a malformed Authorization header is refused, not ignored
        const own = callerCredential(request.headers);
        const credential = own ?? gatewayCredential;
        if (!credential) {
          throw unauthenticated(
            'Send an Admin API credential: `x-api-key: sk-ant-admin…` or `Authorization: Bearer …`.',
          );
        }
        return { name: own ? 'caller-credential' : 'anonymous', scopes: ALL_SCOPES, credential };
      };
    case 'forward':
      return async (request) => {
        bearer(request);
        const credential = callerCredential(request.headers);
        if (!credential) {
          throw unauthenticated(
            'This gateway acts with your own Admin API credential: send `x-api-key: sk-ant-admin…` or `Authorization: Bearer <OAuth token>`.',
          );
        }
        return { name: 'caller-credential', scopes: ALL_SCOPES, credential };
      };
    case 'token': {
      const tokens = (config.tokens ?? []).map((token) => ({
        ...token,
        digest: digest(token.token),
      }));
      return async (request) => {
        refuseForwarding(request);
        const presented = bearer(request);
        if (!presented) throw unauthenticated('Send `Authorization: Bearer <gateway token>`.');
        const presentedDigest = digest(presented);
        // Compare every token in constant time, so timing tells nothing about which one is close.
        let match: (typeof tokens)[number] | undefined;
        for (const token of tokens) {
          if (timingSafeEqual(token.digest, presentedDigest)) match ??= token;
        }
        if (!match) throw unauthenticated('The gateway token is not valid.');
        return { name: `token:${match.name}`, scopes: grant(match.scopes), credential: ownKey() };
      };
    }
    case 'jwt': {
      const jwt = config.jwt!;
      const keys = createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5_000 });
      return async (request) => {
        refuseForwarding(request);
        const presented = bearer(request);
        if (!presented) throw unauthenticated('Send `Authorization: Bearer <JWT>`.');
        let payload: JWTPayload;
        try {
          ({ payload } = await jwtVerify(presented, keys, {
            issuer: jwt.issuer,
            audience: jwt.audience,
          }));
        } catch (error) {
          throw unauthenticated(`The token was refused: ${jwtReason(error)}.`);
        }
        return {
          name: `jwt:${payload.sub ?? 'unknown'}`,
          scopes: grant(scopesFromClaim(payload, jwt.scopesClaim)),
          credential: ownKey(),
        };
      };
    }
  }
}

/** With gateway tokens or JWTs, a caller cannot slip its own Admin credential past the scopes. */
function refuseForwarding(request: Request): void {
  if (request.headers.get('x-api-key')) {
    throw unauthenticated(
      'This gateway does not forward caller Admin API keys: authenticate with `Authorization: Bearer …` only.',
    );
  }
}

function jwtReason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim ${error.claim} is not as required`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'the signature does not verify';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no signing key matches it';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return 'it is not a well-formed JWT';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  return 'it could not be verified';
}
