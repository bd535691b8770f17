import { GraphQLError } from 'graphql';
import {
  AUDIT_OUTCOMES,
  getAuditEvent,
  listAuditEvents,
  type AuditEventRow,
  type AuditKey,
  type AuditOutcome,
} from '../../db/audit.js';
import { idKindOf } from '../../domain/ids.js';
import { SCOPES } from '../../domain/scopes.js';
import { MAX_PAGE_SIZE } from '../../domain/limits.js';
import { builder } from '../builder.js';
import { costExtension } from '../cost/estimate.js';
import type { GatewayContext } from '../context.js';
import { badUserInput } from '../lib/errors.js';
import { loadKind } from '../lib/kind-lookup.js';
import { DateTime } from '../lib/scalars.js';
import { JSONObject } from '../lib/json-object.js';

/*
 * The audit trail in the graph: `Query.auditEvents`, newest first, keyset-paginated in SQL, behind
 * the `audit:read` scope. Rows are written by the audit plugin (src/app/plugins/audit.ts).
 */

const ID_PREFIX = 'auditevent_';
const DEFAULT_AUDIT_PAGE = 50;

const AuditOutcomeEnum = builder.enumType('AuditOutcome', {
  description: 'How an audited mutation field ended.',
  values: {
    OK: { value: 'ok', description: 'It did what was asked.' },
    USER_ERRORS: { value: 'user_errors', description: 'It answered userErrors: nothing changed.' },
    ERROR: { value: 'error', description: 'It failed with an error (`codes` has its code).' },
    REFUSED: {
      value: 'refused',
      description:
        'The gateway refused it before any upstream write: a missing scope, the cost limit, the budget, or input that does not validate (`refusal` says which).',
    },
    OUTCOME_UNKNOWN: {
      value: 'outcome_unknown',
      description: 'The write was sent and its answer lost: it may have been applied.',
    },
    DRY_RUN: { value: 'dry_run', description: 'A dry run: nothing was sent upstream.' },
    READ: { value: 'read', description: 'A read of a sensitive field.' },
  } as const satisfies Record<string, { value: AuditOutcome; description: string }>,
});

const AuditActorKind = builder.enumType('AuditActorKind', {
  description: 'How the caller of an audited operation authenticated.',
  values: {
    TOKEN: { value: 'token', description: 'A gateway token (`tokenName`).' },
    JWT: { value: 'jwt', description: 'A JWT (`subject`, `issuer`).' },
    FORWARDED: {
      value: 'forwarded',
      description: 'Its own Admin API credential, forwarded (`credentialFingerprint`).',
    },
    NONE: { value: 'none', description: 'No authentication (AUTH_MODE=none, the gateway’s key).' },
  } as const,
});

const AuditUpstreamRequest = builder
  .objectRef<{
    method: string;
    path: string | null;
    status: number | null;
    upstreamRequestId: string | null;
  }>('AuditUpstreamRequest')
  .implement({
    description: 'One HTTP request an audited field made to the Admin API.',
    fields: (t) => ({
      method: t.exposeString('method', { description: 'GET, POST or DELETE.' }),
      path: t.exposeString('path', {
        nullable: true,
        description: 'The path and query sent; null when no request left the gateway.',
      }),
      status: t.exposeInt('status', {
        nullable: true,
        description: 'The HTTP status; null when no answer arrived.',
      }),
      upstreamRequestId: t.exposeString('upstreamRequestId', {
        nullable: true,
        description: 'The Admin API’s request id (`request-id`), for its support.',
      }),
    }),
  });

const identityField = (row: AuditEventRow, name: string): string | null => {
  const value = row.identity[name];
  return typeof value === 'string' ? value : null;
};

export const AuditEvent = builder.objectRef<AuditEventRow>('AuditEvent');

builder.node(AuditEvent, {
  description:
    'One mutation field executed through the gateway (or refused by it), or one read of a sensitive field: who, what, with which input (secrets redacted), the upstream requests made, and the outcome.',
  id: { resolve: (row) => `${ID_PREFIX}${row.id}` },
  isTypeOf: (value) => typeof (value as { instanceId?: unknown }).instanceId === 'string',
  fields: (t) => ({
    occurredAt: t.field({
      type: DateTime,
      description: 'When the field started.',
      resolve: (row) => row.occurredAt,
    }),
    instanceId: t.exposeString('instanceId', {
      description: 'The gateway replica that executed it.',
    }),
    requestId: t.exposeString('requestId', {
      description: 'The gateway’s request id (`x-request-id`), as in its logs.',
    }),
    actor: t.exposeString('actor', {
      description:
        'Who, as one string to filter on: `token:<name>`, `jwt:<subject>`, `forwarded:<fingerprint>` or `none`.',
    }),
    actorKind: t.field({
      type: AuditActorKind,
      description: 'How the caller authenticated.',
      resolve: (row) => row.actorKind as 'token' | 'jwt' | 'forwarded' | 'none',
    }),
    tokenName: t.string({
      nullable: true,
      description: 'The gateway token’s name (TOKEN).',
      resolve: (row) => identityField(row, 'tokenName'),
    }),
    subject: t.string({
      nullable: true,
      description: 'The JWT’s subject (`sub`) (JWT).',
      resolve: (row) => identityField(row, 'subject'),
    }),
    issuer: t.string({
      nullable: true,
      description: 'The JWT’s issuer (`iss`) (JWT).',
      resolve: (row) => identityField(row, 'issuer'),
    }),
    credentialFingerprint: t.string({
      nullable: true,
      description:
        'A fingerprint (truncated SHA-256) of the forwarded credential, never the credential (FORWARDED).',
      resolve: (row) => identityField(row, 'fingerprint'),
    }),
    operationName: t.exposeString('operationName', {
      nullable: true,
      description: 'The GraphQL operation’s name, when it had one.',
    }),
    field: t.exposeString('field', { description: 'The field, such as `Mutation.updateApiKey`.' }),
    input: t.field({
      type: JSONObject,
      nullable: true,
      description:
        'The field’s arguments, with secrets redacted (values of fields named like secrets, and anything shaped like a key or token).',
      resolve: (row) =>
        row.input && typeof row.input === 'object' ? (row.input as Record<string, unknown>) : null,
    }),
    upstreamRequests: t.field({
      type: [AuditUpstreamRequest],
      description: 'The Admin API requests it made, in order (retries included).',
      resolve: (row) => row.upstream,
    }),
    outcome: t.field({
      type: AuditOutcomeEnum,
      description: 'How it ended.',
      resolve: (row) => row.outcome,
    }),
    codes: t.stringList({
      description: 'The userError codes (USER_ERRORS) or the error code (ERROR, REFUSED, …).',
      resolve: (row) => row.codes,
    }),
    refusal: t.exposeString('refusal', {
      nullable: true,
      description: 'Why it was refused: `scope`, `cost`, `budget`, `validation`, or `dry_run`.',
    }),
    resourceIds: t.stringList({
      description: 'The ids of the objects it touched, from its input and its result.',
      resolve: (row) => row.resourceIds,
    }),
    dryRunCalls: t.field({
      type: [JSONObject],
      nullable: true,
      description:
        'For a dry run: the REST calls it would have made (`method`, `path`, `query`, `body` with secrets redacted, `write`).',
      resolve: (row) =>
        Array.isArray(row.dryRun) ? (row.dryRun as Record<string, unknown>[]) : null,
    }),
    targets: t.field({
      type: [builder.nodeInterfaceRef()],
      description:
        'The objects it touched that still exist, looked up now (upstream requests; the cost estimate counts one per event). Objects the caller may not read are left out.',
      extensions: costExtension({ kind: 'request' }),
      resolve: async (row, _args, ctx) => {
        const found = await Promise.all(
          row.resourceIds.map(async (id) => {
            const kind = idKindOf(id);
            if (!kind) return null;
            try {
              return await loadKind(kind, id, ctx);
            } catch {
              return null;
            }
          }),
        );
        return found.filter((node): node is object => node !== null && node !== undefined);
      },
    }),
  }),
});

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  description: 'Which audit events to list; every condition given must hold.',
  fields: (t) => ({
    actor: t.string({
      description: 'Events of this actor (`token:<name>`, `jwt:<subject>`, `forwarded:<fp>`).',
    }),
    resourceId: t.string({ description: 'Events that touched the object with this id.' }),
    field: t.string({ description: 'Events of this field, such as `Mutation.updateApiKey`.' }),
    outcome: t.field({ type: AuditOutcomeEnum, description: 'Events with this outcome.' }),
    since: t.field({ type: DateTime, description: 'Events at or after this time.' }),
    until: t.field({ type: DateTime, description: 'Events before this time.' }),
  }),
});

const CURSOR_PREFIX = 'audit:';

function encodeKey(row: AuditEventRow): string {
  return Buffer.from(`${CURSOR_PREFIX}${row.occurredAt.toISOString()}|${row.id}`, 'utf8').toString(
    'base64url',
  );
}

function decodeKey(cursor: string, argument: 'after' | 'before'): AuditKey {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [time = '', id = ''] = text.startsWith(CURSOR_PREFIX)
    ? text.slice(CURSOR_PREFIX.length).split('|')
    : [];
  const occurredAt = new Date(time);
  if (!/^[0-9]{1,19}$/.test(id) || Number.isNaN(occurredAt.getTime())) {
    throw badUserInput(`\`${argument}\` is not a cursor of this connection.`, {
      argumentName: argument,
    });
  }
  return { occurredAt, id };
}

function pageSize(value: number | null | undefined, argument: string): number {
  if (value === null || value === undefined) return DEFAULT_AUDIT_PAGE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argument}\` must be between 1 and ${MAX_PAGE_SIZE}.`, {
      argumentName: argument,
    });
  }
  return value;
}

builder.queryFields((t) => ({
  auditEvents: t.connection(
    {
      type: AuditEvent,
      authScopes: { auditRead: true },
      description:
        'The audit trail: mutations executed through the gateway (refused and dry-run ones too), newest first. Needs the scope `audit:read`. Events are written just after each response, so the latest may take a moment to appear. Kept AUDIT_RETENTION_DAYS days.',
      args: {
        filter: t.arg({ type: AuditEventFilter, description: 'Which events to list.' }),
      },
      resolve: async (_root, args, ctx: GatewayContext) => {
        if (args.last != null && !args.before) {
          throw badUserInput('`last` needs `before`.', { argumentName: 'last' });
        }
        const backwards = !args.after && !!args.before && args.last != null;
        const limit = backwards ? pageSize(args.last, 'last') : pageSize(args.first, 'first');
        const after = args.after ? decodeKey(args.after, 'after') : null;
        const before = !after && args.before ? decodeKey(args.before, 'before') : null;
        const filter = args.filter ?? {};
        if (filter.outcome && !AUDIT_OUTCOMES.includes(filter.outcome)) {
          throw new GraphQLError('unknown outcome');
        }
        const { rows, more } = await listAuditEvents(
          await ctx.database(),
          {
            actor: filter.actor,
            resourceId: filter.resourceId,
            field: filter.field,
            outcome: filter.outcome,
            since: filter.since instanceof Date ? filter.since : null,
            until: filter.until instanceof Date ? filter.until : null,
          },
          { limit, after, before },
        );
        const edges = rows.map((row) => ({ cursor: encodeKey(row), node: row }));
        return {
          edges,
          pageInfo: {
            hasNextPage: backwards ? !!before : more,
            hasPreviousPage: backwards ? more : !!after,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    { description: 'A page of audit events, newest first.' },
    { description: 'An audit event and its cursor.' },
  ),
}));

/** The ids of audit events: `auditevent_` and the row's number. */
export const AUDIT_EVENT_ID = /^auditevent_[1-9][0-9]{0,17}$/;

/**
 * One audit event by its id, for `node` and `nodes` (events live in the gateway's database, not
 * upstream); null when there is none. Needs `audit:read`, as `auditEvents` does.
 */
export async function loadAuditEvent(
  ctx: GatewayContext,
  id: string,
): Promise<AuditEventRow | null> {
  if (!ctx.caller.scopes.has(SCOPES.auditRead)) {
    throw new GraphQLError(`Not permitted: audit events need the scope ${SCOPES.auditRead}.`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  if (!AUDIT_EVENT_ID.test(id)) return null;
  return getAuditEvent(await ctx.database(), id.slice(ID_PREFIX.length));
}
