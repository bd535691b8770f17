import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';

/**
 * The credential rule of the routes marked `accepts: 'oauth'` (service accounts, federation): an
 * OAuth access token in `Authorization: Bearer`, not shaped like an Admin API key or an API key.
 * An Admin API key (in `x-api-key`, or as a bearer value) is refused with 403
 * `permission_error`, as the Admin API says: "Admin API keys are not accepted".
 */
export function requireOAuthToken(headers: IncomingHttpHeaders): void {
  const apiKey = headers['x-api-key'];
  const authorization = headers['authorization'];
  const bearer =
    typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  const token = bearer?.[1];
  if ((apiKey !== undefined && apiKey !== '') || !token || /^sk-ant-(admin|api)/i.test(token)) {
    throw new ApiError(
      403,
      'This endpoint requires an OAuth access token with the org:admin scope; Admin API keys are not accepted.',
    );
  }
}
