import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  getNamedType,
  getOperationAST,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
  type GraphQLNamedType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../../graphql/context.js';
import { codeForUpstream } from '../../graphql/lib/errors.js';
import type { Database } from '../../db/database.js';
import {
  insertAuditEvents,
  pruneAuditEvents,
  type AuditOutcome,
  type AuditUpstreamRequest,
  type NewAuditEvent,
} from '../../db/audit.js';
import { idKindOf } from '../../domain/ids.js';
import type { CallerIdentity } from '../../domain/caller-identity.js';
import { UpstreamError } from '../../upstream/errors.js';
import { DryRunStop } from '../../upstream/dry-run.js';
import { redact } from '../../upstream/redact.js';
import type { UpstreamAttempt } from '../../upstream/upstream.js';
import { dryRunOf } from './dry-run.js';

/*
 * The audit trail: every mutation root field executed through the gateway becomes one row of
 * `audit_events` (who, what, the input with secrets redacted, the upstream requests it made, the
 * outcome, the ids it touched), refused ones included. Rows are queued and written after the
 * response by one writer, in batches; a failed write is logged and counted, retried, and never
 * fails the mutation. `close()` flushes the queue.
 */

export interface AuditTrailOptions {
  database: () => Promise<Database>;
  logger: Logger;
  registry: Registry;
  /** Days rows are kept (AUDIT_RETENTION_DAYS); 0 keeps them forever. */
  retentionDays: number;
  /** This gateway's id in the rows; a host name and a random suffix by default. */
  instanceId?: string;
  /** Whether reads of sensitive fields (API keys, service accounts) are audited (AUDIT_READS). */
  auditReads?: boolean;
  /** The clock (tests). */
  now?: () => Date;
  /**
   * Who sent a request and its id, for a mutation refused by validation (no context is built for
   * it); throws for a request that does not authenticate, which is then not recorded.
   */
  identify?: (request: Request) => Promise<{ identity: CallerIdentity; requestId: string }>;
}

/** The most rows waiting to be written; beyond it new rows are dropped, logged and counted. */
const MAX_QUEUE = 10_000;
/** The most rows one INSERT writes. */
const BATCH = 500;
/** How often old rows are pruned. */
const PRUNE_EVERY_MS = 60 * 60_000;
/** The most ids of touched objects one row keeps. */
const MAX_RESOURCES = 50;
/** The most root fields of one invalid mutation document recorded. */
const MAX_INVALID_FIELDS = 20;

export interface AuditTrail {
  plugin: Plugin<GatewayContext>;
  instanceId: string;
  /** Mutation root fields audited since the gateway started (rows queued or written). */
  audited(): number;
  /** Writes every queued row now. */
  flush(): Promise<void>;
  /** Deletes rows older than the retention; answers how many. */
  prune(): Promise<number>;
  /** Flushes and stops the writer and the pruning. */
  close(): Promise<void>;
}

/** One string to filter on for an identity: `token:<name>`, `jwt:<subject>`, … */
export function actorOf(identity: CallerIdentity): string {
  switch (identity.kind) {
    case 'token':
      return `token:${identity.tokenName ?? ''}`;
    case 'jwt':
      return `jwt:${identity.subject ?? 'unknown'}`;
    case 'forwarded':
      return `forwarded:${identity.fingerprint ?? ''}`;
    case 'none':
      return 'none';
  }
}

/** The ids of Admin API objects in a value (an input or a payload), depth-first, at most 50. */
function idsIn(value: unknown, into: Set<string>, depth = 0): void {
  if (into.size >= MAX_RESOURCES || depth > 6 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (value.length <= 200 && idKindOf(value)) into.add(value);
    return;
  }
  if (typeof value !== 'object') return;
  for (const entry of Array.isArray(value) ? value : Object.values(value)) {
    idsIn(entry, into, depth + 1);
  }
}

/**
 * The ids a payload names at its top: the result's own id (`result.id`), or an id it answers
 * (`deletedId`). The objects a result refers to (its creator, its workspace) were not touched.
 */
function resultIds(payload: unknown, into: Set<string>): void {
  if (!payload || typeof payload !== 'object') return;
  for (const value of Object.values(payload)) {
    const id =
      typeof value === 'string'
        ? value
        : value && typeof value === 'object' && 'id' in value
          ? (value as { id: unknown }).id
          : null;
    if (typeof id === 'string' && into.size < MAX_RESOURCES && idKindOf(id)) into.add(id);
  }
}

/** A database error's message fit for a log line: no secrets, no password of a connection URL. */
function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return String(redact(message)).replace(/\/\/[^/@\s]*@/g, '//[redacted]@');
}

function errorCode(error: unknown): string {
  if (error instanceof GraphQLError) {
    const code = error.extensions?.['code'];
    if (typeof code === 'string') return code;
    if (error.originalError) return errorCode(error.originalError);
  }
  if (error instanceof UpstreamError) return codeForUpstream(error);
  return 'INTERNAL_SERVER_ERROR';
}

function classify(
  error: unknown,
  attempts: readonly UpstreamAttempt[],
): { outcome: AuditOutcome; refusal: string | null; code: string } {
  const code = errorCode(error);
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (code === 'FORBIDDEN' && attempts.length === 0) {
    return { outcome: 'refused', refusal: 'scope', code };
  }
  if (original instanceof UpstreamError && original.kind === 'budget') {
    return { outcome: 'refused', refusal: 'budget', code };
  }
  if (code === 'UPSTREAM_OUTCOME_UNKNOWN')
    return { outcome: 'outcome_unknown', refusal: null, code };
  return { outcome: 'error', refusal: null, code };
}

/** The types whose reads AUDIT_READS records: API keys and service accounts. */
const SENSITIVE_TYPES = new Set(['ApiKey', 'ServiceAccount']);

/**
 * The root fields of a query that read a sensitive type anywhere below them (fragments
 * followed), with their response keys.
 */
function sensitiveRootFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): { name: string; key: string }[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const reads = (type: GraphQLNamedType | undefined, set: SelectionSetNode, seen: Set<string>) => {
    if (!type) return false;
    if (SENSITIVE_TYPES.has(type.name)) return true;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet || !isObjectType(type)) continue;
        const field = type.getFields()[selection.name.value];
        if (field && reads(getNamedType(field.type), selection.selectionSet, seen)) return true;
      } else {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (
          !fragment ||
          (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))
        )
          continue;
        if (selection.kind === Kind.FRAGMENT_SPREAD) seen.add(selection.name.value);
        const condition = fragment.typeCondition
          ? schema.getType(fragment.typeCondition.name.value)
          : type;
        if (reads(condition ?? undefined, fragment.selectionSet, seen)) return true;
      }
    }
    return false;
  };
  const query = schema.getQueryType();
  const found: { name: string; key: string }[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !query) continue;
    const field = query.getFields()[selection.name.value];
    if (!field) continue;
    const type = getNamedType(field.type);
    const sensitive =
      SENSITIVE_TYPES.has(type.name) ||
      (selection.selectionSet !== undefined && reads(type, selection.selectionSet, new Set()));
    if (sensitive) {
      found.push({
        name: selection.name.value,
        key: selection.alias?.value ?? selection.name.value,
      });
    }
  }
  return found;
}

/** What one request's audit needs, kept on its context. */
interface RequestAudit {
  trail: TrailInternals;
  operationName: string | null;
  /** Mutation root fields this request's resolvers ran. */
  executed: number;
}

interface TrailInternals {
  record(context: RecordContext, event: Omit<NewAuditEvent, BaseKeys>): void;
}

/** What a row takes from the request: the caller's identity and the request id. */
type RecordContext = Pick<GatewayContext, 'requestId'> & {
  caller: { identity: CallerIdentity };
  [STATE]?: RequestAudit;
};

type BaseKeys = 'instanceId' | 'requestId' | 'actorKind' | 'actor' | 'identity' | 'operationName';

const STATE = Symbol('audit');
type WithAudit = GatewayContext & { [STATE]?: RequestAudit };

const WRAPPED = Symbol('audited');

/**
 * Wraps each Mutation field's resolver, once per schema (schemas are shared by the gateways of a
 * process; the wrapper finds the gateway's trail on the request's context).
 */
function wrapMutations(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  if (!mutation) return;
  for (const field of Object.values(mutation.getFields())) {
    const marked = field as typeof field & { [WRAPPED]?: true };
    if (marked[WRAPPED]) continue;
    marked[WRAPPED] = true;
    const resolve: GraphQLFieldResolver<unknown, GatewayContext> =
      field.resolve ?? defaultFieldResolver;
    field.resolve = async (root, args, context: GatewayContext, info) => {
      const audit = (context as WithAudit)[STATE];
      if (!audit) return resolve(root, args, context, info);
      audit.executed++;
      const dryRun = dryRunOf(context);
      if (dryRun) dryRun.currentField = info.fieldName;
      const firstCall = dryRun?.calls.length ?? 0;
      const attempts: UpstreamAttempt[] = [];
      const stop = context.api.collectAttempts((attempt) => attempts.push(attempt));
      const occurredAt = new Date();
      const resources = new Set<string>();
      idsIn(args, resources);
      const base = {
        occurredAt,
        field: `Mutation.${info.fieldName}`,
        input: redact(args, [context.api.credential.secret]),
      };
      const upstream = (): AuditUpstreamRequest[] =>
        attempts.map((attempt) => ({
          method: attempt.method,
          path: attempt.path ?? null,
          status: attempt.status,
          upstreamRequestId: attempt.upstreamRequestId,
        }));
      const dryRunCalls = () => (dryRun ? dryRun.calls.slice(firstCall) : null);
      try {
        const payload = (await resolve(root, args, context, info)) as Record<string, unknown>;
        stop();
        const userErrors = Array.isArray(payload?.['userErrors'])
          ? (payload['userErrors'] as { code?: string }[])
          : [];
        if (!dryRun) resultIds(payload, resources);
        audit.trail.record(context, {
          ...base,
          upstream: upstream(),
          outcome: dryRun ? 'dry_run' : userErrors.length ? 'user_errors' : 'ok',
          codes: userErrors.map((error) => String(error.code)),
          refusal: dryRun ? 'dry_run' : null,
          resourceIds: [...resources],
          dryRun: dryRunCalls(),
        });
        return dryRun && payload && 'result' in payload ? { ...payload, result: null } : payload;
      } catch (error) {
        stop();
        if (dryRun && error instanceof DryRunStop) {
          audit.trail.record(context, {
            ...base,
            upstream: [],
            outcome: 'dry_run',
            codes: [],
            refusal: 'dry_run',
            resourceIds: [...resources],
            dryRun: dryRunCalls(),
          });
          return { result: null, userErrors: [] };
        }
        const { outcome, refusal, code } = classify(error, attempts);
        audit.trail.record(context, {
          ...base,
          upstream: upstream(),
          outcome,
          codes: [code],
          refusal,
          resourceIds: [...resources],
          dryRun: dryRunCalls(),
        });
        throw error;
      }
    };
  }
}

/** The audit trail of one gateway: its plugin, its writer and its pruning. */
export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const now = options.now ?? (() => new Date());
  const instanceId =
    options.instanceId ?? `${hostname().slice(0, 40)}-${randomBytes(4).toString('hex')}`;
  const failures = new Counter({
    name: 'admin_graph_audit_write_failures_total',
    help: 'Batches of audit events the database refused (retried).',
    registers: [options.registry],
  });
  const dropped = new Counter({
    name: 'admin_graph_audit_events_dropped_total',
    help: 'Audit events dropped because the queue was full (the database failing for long).',
    registers: [options.registry],
  });
  const queue: NewAuditEvent[] = [];
  /** Invalid mutations whose caller is being identified (flush waits for them). */
  const identifying = new Set<Promise<void>>();
  let audited = 0;
  let writing: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryDelay = 1_000;
  let lastPrune = 0;
  let closed = false;

  const prune = async (): Promise<number> => {
    if (options.retentionDays <= 0) return 0;
    lastPrune = Date.now();
    const before = new Date(now().getTime() - options.retentionDays * 86_400_000);
    return pruneAuditEvents(await options.database(), before);
  };

  const prunePeriodically = async (): Promise<void> => {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    await prune().catch((error: unknown) =>
      options.logger.warn(
        { err: { message: safeMessage(error) } },
        'audit events could not be pruned',
      ),
    );
  };

  const writeQueued = async (): Promise<void> => {
    const wrote = queue.length > 0;
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH);
      try {
        await insertAuditEvents(await options.database(), batch);
      } catch (error) {
        failures.inc();
        options.logger.error(
          {
            rows: batch.length,
            err: { message: safeMessage(error) },
          },
          'audit events could not be written; retrying',
        );
        scheduleRetry();
        return;
      }
      queue.splice(0, batch.length);
      retryDelay = 1_000;
    }
    // Only after a write: a gateway that has written nothing need not open its database.
    if (wrote && !closed) await prunePeriodically();
  };

  function scheduleRetry(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      kick();
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(retryDelay * 2, 30_000);
  }

  const kick = (): Promise<void> => {
    writing ??= (async () => {
      try {
        await writeQueued();
      } finally {
        writing = null;
      }
    })();
    return writing;
  };

  // Pruned hourly even when nothing is written (and after a write when an hour has passed).
  const pruning = setInterval(() => void prunePeriodically(), PRUNE_EVERY_MS);
  pruning.unref();

  const trail: TrailInternals = {
    record(context, event) {
      if (event.outcome !== 'read') audited++;
      if (queue.length >= MAX_QUEUE) {
        dropped.inc();
        options.logger.error({ field: event.field }, 'audit queue full: event dropped');
        return;
      }
      const identity = context.caller.identity;
      queue.push({
        ...event,
        instanceId,
        requestId: context.requestId,
        actorKind: identity.kind,
        actor: actorOf(identity),
        identity: { ...identity },
        operationName: context[STATE]?.operationName ?? null,
      });
      // After the response: the writer starts once the current work has settled.
      setImmediate(() => void kick());
    },
  };

  const plugin: Plugin<GatewayContext> = {
    onSchemaChange({ schema }) {
      wrapMutations(schema);
    },
    onValidate({ params, context }) {
      const initial = context as { request?: Request; params?: { operationName?: string | null } };
      const operationName = initial.params?.operationName ?? null;
      const operation = getOperationAST(params.documentAST, operationName);
      const request = initial.request;
      if (operation?.operation !== 'mutation' || !request || !options.identify) return;
      const identify = options.identify;
      return ({ valid, result }) => {
        if (valid) return;
        const code = String(result[0]?.extensions?.['code'] ?? 'GRAPHQL_VALIDATION_FAILED');
        const fields = operation.selectionSet.selections
          .filter((selection) => selection.kind === Kind.FIELD)
          .map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : ''))
          .filter((name) => !name.startsWith('__'))
          .slice(0, MAX_INVALID_FIELDS);
        const pending = identify(request)
          .then(({ identity, requestId }) => {
            const context: RecordContext = {
              requestId,
              caller: { identity },
              [STATE]: { trail, operationName: operation.name?.value ?? null, executed: 0 },
            };
            for (const field of fields) {
              trail.record(context, {
                occurredAt: new Date(),
                field: `Mutation.${field}`,
                input: null,
                upstream: [],
                outcome: 'refused',
                codes: [code],
                refusal: 'validation',
                resourceIds: [],
                dryRun: null,
              });
            }
          })
          .catch(() => undefined) // not authenticated: not recorded
          .finally(() => identifying.delete(pending));
        identifying.add(pending);
      };
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'query' && options.auditReads) {
        const fields = sensitiveRootFields(args.schema, args.document, operation);
        if (fields.length === 0) return;
        const context = args.contextValue;
        const attempts: UpstreamAttempt[] = [];
        const stop = context.api.collectAttempts((attempt) => attempts.push(attempt));
        const occurredAt = new Date();
        const operationName = args.operationName ?? operation.name?.value ?? null;
        return {
          onExecuteDone({ result }) {
            stop();
            if (Symbol.asyncIterator in result) return;
            const data = result.data as Record<string, unknown> | null | undefined;
            const recordContext: RecordContext = {
              requestId: context.requestId,
              caller: context.caller,
              [STATE]: { trail, operationName, executed: 0 },
            };
            for (const field of fields) {
              const resources = new Set<string>();
              idsIn(data?.[field.key], resources);
              trail.record(recordContext, {
                occurredAt,
                field: `Query.${field.name}`,
                input: redact(args.variableValues ?? {}, [context.api.credential.secret]),
                upstream: attempts.map((attempt) => ({
                  method: attempt.method,
                  path: attempt.path ?? null,
                  status: attempt.status,
                  upstreamRequestId: attempt.upstreamRequestId,
                })),
                outcome: 'read',
                codes: [],
                refusal: null,
                resourceIds: [...resources],
                dryRun: null,
              });
            }
          },
        };
      }
      if (operation?.operation !== 'mutation') return;
      wrapMutations(args.schema);
      const context = args.contextValue as WithAudit;
      const audit: RequestAudit = {
        trail,
        operationName: args.operationName ?? operation.name?.value ?? null,
        executed: 0,
      };
      context[STATE] = audit;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result || audit.executed > 0) return;
          // Refused before any field ran (the cost limit, variables that do not coerce): one row
          // per root field of the operation.
          const first = result.errors?.[0];
          const code = first?.extensions?.['code'] ? errorCode(first) : 'BAD_USER_INPUT';
          const refusal = code === 'OPERATION_TOO_EXPENSIVE' ? 'cost' : 'validation';
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
            trail.record(context, {
              occurredAt: new Date(),
              field: `Mutation.${selection.name.value}`,
              input: redact(args.variableValues ?? {}, [context.api.credential.secret]),
              upstream: [],
              outcome: 'refused',
              codes: [code],
              refusal,
              resourceIds: [],
              dryRun: null,
            });
          }
        },
      };
    },
  };

  return {
    plugin,
    instanceId,
    audited: () => audited,
    flush: async () => {
      await Promise.all(identifying);
      while (queue.length > 0) {
        const before = queue.length;
        await kick();
        if (queue.length >= before) throw new Error('audit events could not be written');
      }
      await writing;
    },
    prune,
    close: async () => {
      closed = true;
      clearInterval(pruning);
      if (retryTimer) clearTimeout(retryTimer);
      if (queue.length > 0) await kick().catch(() => undefined);
      else await writing;
      if (queue.length > 0) {
        options.logger.error({ rows: queue.length }, 'audit events lost at shutdown');
      }
    },
  };
}
