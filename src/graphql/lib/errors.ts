import { GraphQLError } from 'graphql';
import { InvalidIdError } from '../../domain/ids.js';
import {
  CredentialMissingError,
  NOT_ENABLED_ERROR_TYPE,
  UpstreamError,
} from '../../upstream/errors.js';
import { scrub } from '../../upstream/scrub.js';

/** `extensions.code` values this gateway uses. */
export type GatewayErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PAYMENT_REQUIRED'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_OUTCOME_UNKNOWN'
  | 'UPSTREAM_ERROR'
  | 'NOT_ENABLED'
  | 'CREDENTIAL_MISSING'
  | 'INTERNAL_SERVER_ERROR';

export function badUserInput(message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}

/** The `extensions.code` for an upstream failure. */
export function codeForUpstream(error: UpstreamError): GatewayErrorCode {
  if (error.kind === 'budget') return 'RATE_LIMITED';
  if (error.kind !== 'http') return 'UPSTREAM_UNAVAILABLE';
  if (error.errorType === NOT_ENABLED_ERROR_TYPE) return 'NOT_ENABLED';
  switch (error.status) {
    case 400:
    case 413:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 402:
      return 'PAYMENT_REQUIRED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504:
    case 529:
      return 'UPSTREAM_UNAVAILABLE';
    default:
      return 'UPSTREAM_ERROR';
  }
}

/**
 * Whether a failed write may still have been carried out: the request was sent and its answer
 * was lost (timeout, connection reset) or unreadable. Not when nothing was sent (the gateway's
 * budget, an open circuit, a connection refused) nor when the Admin API answered with an error.
 */
export function writeMayHaveApplied(error: UpstreamError): boolean {
  if (error.kind === 'timeout') return true;
  return error.kind === 'connection' && error.errorType !== 'connection_refused';
}

/** The error of a write that may or may not have been carried out. */
export function outcomeUnknownError(error: UpstreamError): GraphQLError {
  return new GraphQLError(
    `The change may have been made: the request was sent to the Admin API, but its answer was lost (${error.message.replace(/\.$/, '')}). Read the object before retrying.`,
    {
      extensions: {
        code: 'UPSTREAM_OUTCOME_UNKNOWN' satisfies GatewayErrorCode,
        upstreamStatus: error.status,
        upstreamErrorType: error.errorType,
        upstreamRequestId: error.upstreamRequestId,
      },
    },
  );
}

/** The extensions a client sees for an upstream failure. */
export function upstreamExtensions(error: UpstreamError): Record<string, unknown> {
  return {
    code: codeForUpstream(error),
    upstreamStatus: error.status,
    upstreamErrorType: error.errorType,
    upstreamRequestId: error.upstreamRequestId,
    ...(error.retryAfterSeconds !== null ? { retryAfter: error.retryAfterSeconds } : {}),
  };
}

function messageFor(error: UpstreamError): string {
  switch (codeForUpstream(error)) {
    case 'UNAUTHENTICATED':
      return `The Admin API refused the credential: ${error.message}`;
    case 'RATE_LIMITED':
      if (error.kind === 'budget') {
        return `The gateway's Admin API budget is spent; retry after ${error.retryAfterSeconds} s.`;
      }
      return error.retryAfterSeconds !== null
        ? `The Admin API rate limit is reached; retry after ${error.retryAfterSeconds} s.`
        : 'The Admin API rate limit is reached.';
    case 'UPSTREAM_UNAVAILABLE':
      return `The Admin API is unavailable: ${error.message}`;
    case 'UPSTREAM_ERROR':
      return `The Admin API failed: ${error.message}`;
    case 'BAD_USER_INPUT':
      return graphqlNames(error.message);
    default:
      return error.message;
  }
}

/** REST parameters the Admin API's refusals name, and the GraphQL arguments a client sent. */
const REST_TO_GRAPHQL: Record<string, string> = {
  starting_at: 'startingAt',
  ending_at: 'endingAt',
  bucket_width: 'bucketWidth',
  group_by: 'groupBy',
  group_type: 'groupType',
  api_key_ids: 'apiKeyIds',
  workspace_ids: 'workspaceIds',
  service_tiers: 'serviceTiers',
  context_window: 'contextWindow',
  inference_geos: 'inferenceGeos',
  user_id: 'userId',
  workspace_id: 'workspaceId',
  api_key_id: 'apiKeyId',
  workspace_role: 'role',
  created_by_user_id: 'createdByUserId',
  include_archived: 'includeArchived',
};

/** A message of the Admin API with the REST names it uses replaced by the GraphQL ones. */
export function graphqlNames(message: string, names: Record<string, string> = REST_TO_GRAPHQL) {
  return message.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (word) => names[word] ?? word);
}

/**
 * Turns an error a resolver threw into what the client may see: upstream failures and invalid ids
 * become GraphQL errors with `extensions.code`; anything else is left to the server's masking.
 */
export function toClientError(error: GraphQLError): GraphQLError | null {
  const original = error.originalError;
  const at = {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
  };
  if (original instanceof UpstreamError) {
    // Scrubbed where it was built (UpstreamError); scrubbed again here, the last step out.
    return new GraphQLError(scrub(messageFor(original)), {
      ...at,
      extensions: upstreamExtensions(original),
    });
  }
  if (original instanceof InvalidIdError) {
    return new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (original instanceof CredentialMissingError) {
    return new GraphQLError(original.message, {
      ...at,
      extensions: { code: 'CREDENTIAL_MISSING' satisfies GatewayErrorCode, credential: 'oauth' },
    });
  }
  return null;
}
