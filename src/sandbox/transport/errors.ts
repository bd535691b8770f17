/** Error types of the Admin API error envelope, keyed by the HTTP status that carries them. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The documented `error.type` for a status; unlisted 4xx map to invalid_request_error, 5xx to api_error. */
export function errorTypeForStatus(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** An error answered with the documented envelope. Thrown by handlers, caught by the server. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  /** Seconds for the `retry-after` header, when the answer carries one. */
  readonly retryAfter: number | undefined;
  /** `error.details` of the envelope (`{ error_code }`), for refusals the Admin API names. */
  readonly details: { error_code: string } | undefined;

  constructor(
    status: number,
    message: string,
    options: { type?: string; retryAfter?: number; details?: { error_code: string } } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = options.type ?? errorTypeForStatus(status);
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }
}

export function invalidRequest(message: string): ApiError {
  return new ApiError(400, message);
}

export function notFound(message = 'The requested resource could not be found.'): ApiError {
  return new ApiError(404, message);
}

export function errorBody(error: ApiError, requestId: string): unknown {
  return {
    type: 'error',
    error: {
      type: error.type,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
    request_id: requestId,
  };
}
