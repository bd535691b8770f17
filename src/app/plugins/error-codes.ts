import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from './security.js';

/**
 * Errors raised before execution by graphql-js, graphql-armor and the CSRF plugin come without
 * `extensions.code`, and some with a misleading message (armor's limits start with "Syntax
 * Error:"). This plugin gives each a code a client can act on, and says what to send instead.
 */
const RULES: { match: RegExp; code: string; message?: (text: string) => string }[] = [
  { match: /^(Syntax Error: )?Query depth limit of/, code: 'QUERY_TOO_DEEP' },
  { match: /^(Syntax Error: )?Aliases limit of/, code: 'TOO_MANY_ALIASES' },
  { match: /^(Syntax Error: )?Directives limit of/, code: 'TOO_MANY_DIRECTIVES' },
  { match: /^(Syntax Error: )?Token limit of/, code: 'TOO_MANY_TOKENS' },
  {
    match: /^Required CSRF header\(s\) not present/,
    code: 'CSRF_HEADER_REQUIRED',
    message: () =>
      `Requests a browser could send cross-site without a preflight are refused: send the \`${CSRF_HEADER}\` header (any value), or POST with \`content-type: application/json\`.`,
  },
  { match: /^Variable "\$[^"]*" /, code: 'BAD_USER_INPUT' },
];

const LIMIT_PREFIX = /^Syntax Error: (?=(Query depth|Aliases|Directives|Token) limit of)/;

/** The error with a code, or the same error when it has one or none applies. */
export function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.['code'] !== undefined) return error;
  const rule = RULES.find(({ match }) => match.test(error.message));
  if (!rule) return error;
  const message = rule.message?.(error.message) ?? error.message.replace(LIMIT_PREFIX, '');
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: rule.code },
  });
}

type ResultLike = { errors?: readonly unknown[] } & Record<PropertyKey, unknown>;

function recode(result: ResultLike): ResultLike {
  if (!result.errors?.length) return result;
  let changed = false;
  const errors = result.errors.map((error) => {
    if (!(error instanceof GraphQLError)) return error;
    const coded = withCode(error);
    changed ||= coded !== error;
    return coded;
  });
  return changed ? { ...result, errors } : result;
}

/** Gives every pre-execution error an `extensions.code` (see RULES). */
export function errorCodesPlugin(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) {
        setResult(result.map((item) => recode(item as ResultLike)) as typeof result);
      } else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) {
        const recoded = recode(result as ResultLike);
        if (recoded !== result) setResult(recoded as typeof result);
      }
    },
  };
}
