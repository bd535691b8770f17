import { GraphQLError } from 'graphql';
import { maskError, type YogaMaskedErrorOpts } from 'graphql-yoga';
import type { Logger } from 'pino';
import { toClientError } from '../../graphql/lib/errors.js';

/**
 * What a client sees of an error: the gateway's own coded errors as they are (upstream messages
 * scrubbed), anything unexpected masked and logged by name and message only.
 */
export function clientErrorMasking(logger: Logger): YogaMaskedErrorOpts['maskError'] {
  return (error, message, isDev) => {
    if (error instanceof GraphQLError) {
      const clientError = toClientError(error);
      if (clientError) return clientError;
      if (!error.originalError || error.originalError instanceof GraphQLError) return error;
      logger.error(
        { err: { name: error.originalError.name, message: error.originalError.message } },
        'unexpected resolver error',
      );
    }
    return maskError(error, message, isDev);
  };
}
