import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from '../../config/config.js';
import { ALL_SCOPES } from '../../domain/scopes.js';
import { callerCredential, type UpstreamCredential } from '../../upstream/credentials.js';
import type { CallerIdentity } from '../../domain/caller-identity.js';

export type { CallerIdentity };

/** Who is calling, what they may do, and the credential their upstream requests use. */
export interface Caller {
  /** A name for logs: the token's name, the JWT subject, or the kind of credential. */
  name: string;
  scopes: ReadonlySet<string>;
  credential: UpstreamCredential;
  /** Who the caller is, for attribution. */
  identity: CallerIdentity;
}

/**
 * A 401 with `WWW-Authenticate: Bearer` (RFC 6750); `invalidToken` adds `error="invalid_token"`
 * for a token that was presented and refused.
 */
export function unauthenticated(message: string, invalidToken = false): GraphQLError {
  const challenge = `Bearer realm="admin-graph"${invalidToken ? ', error="invalid_token"' : ''}`;
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': challenge } },
    },
  });
}

/** Where the authenticator reports what operators should know (a pino logger fits). */
export interface AuthLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** A token that verified but breaks a rule of the gateway's own (lifetime, iat). */
class TokenRuleError extends Error {}

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

export type Authenticator = ((request: Request) => Promise<Caller>) & {
  /** Problems /ready reports (the JWKS could not be fetched); empty when all is well. */
  problems?: () => string[];
};

/** Verification failures that say the signing keys could not be had, not that a token is bad. */
function isJwksFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return true;
  }
  if (error instanceof joseErrors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return error instanceof TypeError || (error as { name?: string } | null)?.name === 'AbortError';
}

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
  logger?: AuthLogger,
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
        return {
          name: own ? 'caller-credential' : 'anonymous',
          scopes: ALL_SCOPES,
          credential,
          identity: own ? { kind: 'forwarded', fingerprint: own.fingerprint } : { kind: 'none' },
        };
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
        return {
          name: 'caller-credential',
          scopes: ALL_SCOPES,
          credential,
          identity: { kind: 'forwarded', fingerprint: credential.fingerprint },
        };
      };
    case 'token': {
      const tokens = (config.tokens ?? []).map((token) => ({
        ...token,
        digest: digest(token.token),
        // One set per token, shared by its requests (what it allows is worked out once per set).
        granted: grant(token.scopes),
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
        if (!match) throw unauthenticated('The gateway token is not valid.', true);
        return {
          name: `token:${match.name}`,
          scopes: match.granted,
          credential: ownKey(),
          identity: { kind: 'token', tokenName: match.name },
        };
      };
    }
    case 'jwt':
      return jwtAuthenticator(config.jwt!, ownKey, logger);
  }
}

/**
 * `jwt` mode: a bearer JWT verified against the JWKS, issuer, audience and (when configured) `typ`;
 * `exp` is required, the lifetime bounded, `iat` and `nbf` may be ahead of the clock by the skew
 * only. Scopes come from a claim; scopes the gateway does not know are ignored (logged at debug).
 * A JWKS that cannot be fetched is logged and reported by /ready until keys are fetched again.
 */
function jwtAuthenticator(
  jwt: NonNullable<AuthConfig['jwt']>,
  ownKey: () => UpstreamCredential,
  logger: AuthLogger | undefined,
): Authenticator {
  const keys = createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5_000 });
  const skew = jwt.clockSkewSeconds ?? 60;
  const maxLifetime = jwt.maxLifetimeSeconds ?? 86_400;
  let jwksFailure: string | null = null;
  const authenticate: Authenticator = async (request) => {
    refuseForwarding(request);
    const presented = bearer(request);
    if (!presented) throw unauthenticated('Send `Authorization: Bearer <JWT>`.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(presented, keys, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        requiredClaims: ['exp'],
        clockTolerance: skew,
        ...(jwt.type ? { typ: jwt.type } : {}),
      }));
      jwksFailure = null;
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.iat === 'number' && payload.iat > now + skew) {
        throw new TokenRuleError('claim iat is in the future');
      }
      const lifetime = payload.exp! - (typeof payload.iat === 'number' ? payload.iat : now);
      if (lifetime > maxLifetime) {
        throw new TokenRuleError(`its lifetime is over the limit of ${maxLifetime} s`);
      }
    } catch (error) {
      if (isJwksFailure(error)) {
        jwksFailure = error instanceof joseErrors.JWKSTimeout ? 'timed out' : 'failed';
        logger?.warn(
          { jwksHost: new URL(jwt.jwksUrl).host, reason: jwksFailure },
          'JWKS could not be fetched',
        );
      }
      throw unauthenticated(`The token was refused: ${jwtReason(error)}.`, true);
    }
    const claimed = scopesFromClaim(payload, jwt.scopesClaim);
    const unknown = claimed.filter((scope) => scope !== 'admin' && !ALL_SCOPES.has(scope));
    if (unknown.length > 0) {
      logger?.debug(
        {
          subject: payload.sub ?? null,
          unknownScopes: unknown.slice(0, 10).map((s) => s.slice(0, 64)),
        },
        'unknown scopes in a JWT ignored',
      );
    }
    return {
      name: `jwt:${payload.sub ?? 'unknown'}`,
      scopes: grant(claimed.filter((scope) => !unknown.includes(scope))),
      credential: ownKey(),
      identity: {
        kind: 'jwt',
        subject: typeof payload.sub === 'string' ? payload.sub : null,
        issuer: typeof payload.iss === 'string' ? payload.iss : null,
      },
    };
  };
  authenticate.problems = () =>
    jwksFailure ? [`the JWT signing keys (JWKS) could not be fetched (${jwksFailure})`] : [];
  return authenticate;
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
  if (error instanceof TokenRuleError) return error.message;
  if (isJwksFailure(error)) return 'the signing keys could not be fetched';
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
