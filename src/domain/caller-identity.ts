/**
 * Who a caller is, for attribution (the audit trail): how it authenticated, and the name, subject
 * or fingerprint that tells it apart. Never a credential itself.
 */
export interface CallerIdentity {
  /** `token` (a gateway token), `jwt`, `forwarded` (its own Admin credential), or `none`. */
  kind: 'token' | 'jwt' | 'forwarded' | 'none';
  /** The gateway token's configured name (`token`). */
  tokenName?: string;
  /** The JWT's `sub` and `iss` claims (`jwt`). */
  subject?: string | null;
  issuer?: string | null;
  /** The forwarded credential's fingerprint (a truncated SHA-256), never the credential. */
  fingerprint?: string;
}
