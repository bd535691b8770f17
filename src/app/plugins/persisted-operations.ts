import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The allow-list of persisted operations, as the tools send them:
 * - `extensions.persistedQuery.sha256Hash` (Apollo's form; codegen's client preset);
 * - `documentId` in a POST body or a GET query string (GraphQL over HTTP; Relay's `id`);
 * each with or without the `sha256:` prefix that codegen writes in persisted-documents.json and
 * in `__meta__.hash`. Only operations of the list run; a body's `query` is never run.
 */

const ONLY = 'PERSISTED_QUERY_ONLY';
const NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

function refusal(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** The id a request names, without its `sha256:` prefix; null when it names none. */
export function persistedOperationId(params: {
  documentId?: unknown;
  extensions?: unknown;
}): string | null {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | null)
    ?.persistedQuery;
  const id = typeof params.documentId === 'string' ? params.documentId : persisted?.sha256Hash;
  return typeof id === 'string' && id.length > 0 ? id.replace(/^sha256:/, '') : null;
}

export function persistedOperationsPlugin(operations: Map<string, string>): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    // `documentId` is not a parameter graphql-yoga knows: it is taken off before yoga checks them.
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          const fromUrl =
            request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null;
          const strip = (params: Record<string, unknown>) => {
            const { documentId, ...rest } = params;
            const id = persistedOperationId({ documentId: documentId ?? fromUrl ?? undefined });
            if (id !== null) ids.set(request, id);
            return rest;
          };
          if (Array.isArray(requestParserResult)) return;
          setRequestParserResult(strip(requestParserResult as Record<string, unknown>) as never);
        },
      };
    },
    onParams({ params, request, setParams }) {
      const id = ids.get(request) ?? persistedOperationId(params);
      if (id === null) {
        throw refusal(
          ONLY,
          'This gateway runs persisted operations only: send the operation’s id as `documentId` or `extensions.persistedQuery.sha256Hash` (with or without `sha256:`), not its text.',
        );
      }
      const query = operations.get(id);
      if (query === undefined) {
        throw refusal(
          NOT_FOUND,
          `The persisted operation ${id} is not in this gateway's allow-list (PERSISTED_OPERATIONS_FILE).`,
        );
      }
      setParams({
        query,
        ...(params.operationName ? { operationName: params.operationName } : {}),
        ...(params.variables ? { variables: params.variables } : {}),
        ...(params.extensions ? { extensions: params.extensions } : {}),
      });
    },
  };
}
