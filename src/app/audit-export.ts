import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.js';
import { exportAuditEvents, type AuditEventRow, type AuditKey } from '../db/audit.js';
import { SCOPES } from '../domain/scopes.js';
import type { Authenticator } from './auth/authenticate.js';

/*
 * `GET /audit/export?since=…&until=…`: the audit events of a time range as JSON lines (one event
 * a line, oldest first), behind the gateway's authentication and the `audit:read` scope. Read
 * from the database a page of EXPORT_PAGE rows at a time and streamed, so that a long range never
 * sits in memory.
 */

export const AUDIT_EXPORT_PATH = '/audit/export';
const EXPORT_PAGE = 500;

/** An event as exported (and as `AuditEvent` shows it). */
export function exportedEvent(row: AuditEventRow) {
  return {
    id: `auditevent_${row.id}`,
    occurredAt: row.occurredAt.toISOString(),
    instanceId: row.instanceId,
    requestId: row.requestId,
    actor: row.actor,
    identity: row.identity,
    operationName: row.operationName,
    field: row.field,
    input: row.input,
    upstreamRequests: row.upstream,
    outcome: row.outcome,
    codes: row.codes,
    refusal: row.refusal,
    resourceIds: row.resourceIds,
    dryRunCalls: row.dryRun,
  };
}

function problem(status: number, code: string, message: string, headers: HeadersInit = {}) {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function timeParameter(url: URL, name: string): Date | null | 'invalid' {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? 'invalid' : time;
}

export function auditExportPlugin(options: {
  authenticate: Authenticator;
  database: () => Promise<Database>;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== AUDIT_EXPORT_PATH) return;
      if (request.method !== 'GET') {
        endResponse(problem(405, 'METHOD_NOT_ALLOWED', 'Use GET.', { allow: 'GET' }));
        return;
      }
      let scopes: ReadonlySet<string>;
      try {
        ({ scopes } = await options.authenticate(request));
      } catch (error) {
        if (error instanceof GraphQLError) {
          const http = error.extensions?.['http'] as
            { headers?: Record<string, string> } | undefined;
          endResponse(problem(401, 'UNAUTHENTICATED', error.message, http?.headers ?? {}));
          return;
        }
        throw error;
      }
      if (!scopes.has(SCOPES.auditRead)) {
        endResponse(
          problem(403, 'FORBIDDEN', 'Not permitted: the export needs the scope `audit:read`.'),
        );
        return;
      }
      const since = timeParameter(url, 'since');
      const until = timeParameter(url, 'until');
      if (since === 'invalid' || until === 'invalid') {
        endResponse(
          problem(400, 'BAD_USER_INPUT', '`since` and `until` must be ISO 8601 date-times.'),
        );
        return;
      }
      const database = await options.database();
      const encoder = new TextEncoder();
      let after: AuditKey | null = null;
      let done = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (done) return;
          const rows = await exportAuditEvents(database, { since, until }, after, EXPORT_PAGE);
          if (rows.length > 0) {
            const last = rows[rows.length - 1]!;
            after = { occurredAt: last.occurredAt, id: last.id };
            const text = rows.map((row) => `${JSON.stringify(exportedEvent(row))}\n`).join('');
            controller.enqueue(encoder.encode(text));
          }
          if (rows.length < EXPORT_PAGE) {
            done = true;
            controller.close();
          }
        },
      });
      endResponse(
        new Response(body, {
          status: 200,
          headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
