import type { BudgetCaller } from './budget.js';
import type { UpstreamCredential } from './credentials.js';
import { CredentialMissingError, NOT_ENABLED_ERROR_TYPE, UpstreamError } from './errors.js';
import { checkId } from '../domain/ids.js';
import type {
  AdminClaudeCodeRecord,
  AdminCostResult,
  AdminMessagesUsageResult,
  AdminRateLimit,
  AdminRateLimitPage,
  AdminReportBucket,
  AdminReportPage,
  AdminWorkspaceRateLimit,
  WorkspaceRateLimitQuery,
  ClaudeCodeUsageQuery,
  CostReportQuery,
  MessagesUsageQuery,
  RateLimitQuery,
  AdminApiKey,
  AdminInvite,
  AdminOrganization,
  AdminPage,
  AdminUser,
  AdminWorkspace,
  AdminWorkspaceMember,
  ApiKeyListQuery,
  DataResidencyInput,
  ApiKeyUpdateBody,
  InviteListQuery,
  PageQuery,
  UserListQuery,
  WorkspaceCreateBody,
  WorkspaceListQuery,
  WorkspaceUpdateBody,
} from './types.js';
import { readKey, type Collection } from './read-cache.js';
import {
  CLAUDE_CODE_USAGE_PATH,
  COST_REPORT_PATH,
  FAST_MODE_BETA,
  MESSAGES_USAGE_PATH,
  needsFastModeBeta,
  reportGet,
  toReportPage,
} from './reports.js';
import {
  ADDABLE_WORKSPACE_ROLES,
  API_KEY_STATUSES,
  ASSIGNABLE_ROLES,
  INFERENCE_GEOS,
  INVITE_STATUSES,
  RATE_LIMIT_GROUP_TYPES,
  SETTABLE_API_KEY_STATUSES,
  WORKSPACE_GEOS,
  WORKSPACE_ROLES,
  allOf,
  oneOf,
} from './narrow.js';
import type { SdkCall, Upstream, UpstreamAttempt, UpstreamOperation } from './upstream.js';
import { DryRunStop, type DryRunRecorder } from './dry-run.js';
import { nextTurn } from './turns.js';

const read = (name: string): UpstreamOperation => ({ name, method: 'GET', write: false });
const post = (name: string): UpstreamOperation => ({ name, method: 'POST', write: true });
const remove = (name: string): UpstreamOperation => ({ name, method: 'DELETE', write: true });

/**
 * A 404 from an operation of a gated feature that names no object: the organization is not
 * enabled for the feature.
 */
function notEnabled(error: unknown, feature: string): unknown {
  if (!(error instanceof UpstreamError) || error.status !== 404) return error;
  return new UpstreamError({
    kind: 'http',
    status: 404,
    errorType: NOT_ENABLED_ERROR_TYPE,
    message: `The organization is not enabled for ${feature} (the Admin API answered 404: ${error.message})`,
    upstreamRequestId: error.upstreamRequestId,
  });
}

/** A cached read: what the Admin API returned, or that it answered 404. */
type CachedRead<T> =
  | { found: T }
  | {
      notFound: {
        message: string;
        requestId: string | null;
        /** `not_enabled` for a gated feature the organization lacks (absent in older entries). */
        errorType?: string;
      };
    };

/** The cache key of one entity, shared by its GET and by the list pages that contain it. */
const entity = (id: string) => `entity:${id}`;
/** Pages fetched with at least this many items are worked through in a turn of their own. */
const TURN_PAGE_ITEMS = 100;
const memberEntity = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;

/** How a caller reads a list page. */
export interface PageReadOptions {
  /**
   * The caller asks for the next page with this page's cursor as soon as it has it (a walk): the
   * page is handed over as it arrives, not after a turn of its own (turns.ts), and the caller
   * takes turns itself for working through it, once its next request is on its way.
   */
  urgent?: boolean;
}

/** A list page as plain data (the SDK's page object also holds its client and request). */
function toPage<T>(page: AdminPage<T>): AdminPage<T> {
  return {
    data: page.data,
    first_id: page.first_id ?? null,
    last_id: page.last_id ?? null,
    has_more: page.has_more,
  };
}

/** A write made through the gateway, as the gateway-wide write listeners hear it. */
export interface GatewayWrite {
  /** The upstream operation (`invites.create`, `workspace_members.remove`, …). */
  operation: string;
  /** The read-cache collections it touched. */
  touches: readonly Collection[];
  /** Whether it succeeded; `value` is what it returned then. */
  ok: boolean;
  value: unknown;
  /** The fingerprint of the credential it was made with. */
  credential: string;
}

type GatewayWriteListener = (write: GatewayWrite) => void;
const gatewayWriteListeners = new WeakMap<Upstream, Set<GatewayWriteListener>>();

/**
 * Hears every write made through any AdminApi over `upstream` (the whole gateway, every request),
 * after it returned: the live graph publishes its change at once. Returns a function that stops
 * listening. A listener must not throw.
 */
export function onGatewayWrite(upstream: Upstream, listener: GatewayWriteListener): () => void {
  const listeners = gatewayWriteListeners.get(upstream) ?? new Set<GatewayWriteListener>();
  listeners.add(listener);
  gatewayWriteListeners.set(upstream, listeners);
  return () => listeners.delete(listener);
}

/** A report item is any object; its fields are read as REPORTS.md documents them. */
const reportItem = <T>(item: unknown): item is T => typeof item === 'object' && item !== null;

/** What the gateway sends for a data residency input, checked against the SDK's values. */
function residency(input: DataResidencyInput | undefined) {
  if (!input) return undefined;
  const allowed = input.allowed_inference_geos;
  return {
    ...(allowed === undefined
      ? {}
      : {
          allowed_inference_geos:
            allowed === 'unrestricted'
              ? ('unrestricted' as const)
              : allOf(INFERENCE_GEOS, allowed, 'data_residency.allowed_inference_geos'),
        }),
    ...(input.default_inference_geo === undefined
      ? {}
      : {
          default_inference_geo: oneOf(
            INFERENCE_GEOS,
            input.default_inference_geo,
            'data_residency.default_inference_geo',
          ),
        }),
    ...(input.workspace_geo === undefined
      ? {}
      : {
          workspace_geo: oneOf(WORKSPACE_GEOS, input.workspace_geo, 'data_residency.workspace_geo'),
        }),
  };
}

/**
 * The 22 core Admin API endpoints (CONTRACT.md §3–8), bound to one credential. Ids are checked
 * against their expected shape before any request is made; path segments are URL-encoded by the
 * SDK as well. Counts every upstream attempt it makes, so that an operation knows its cost.
 */
export class AdminApi {
  /** Upstream HTTP attempts made through this instance (retries included). */
  attempts = 0;
  /** Reads served from the shared cache. */
  cacheHits = 0;
  private readonly observe = (attempt: UpstreamAttempt) => {
    this.attempts++;
    this.onAttempt?.(attempt);
    for (const collector of this.attemptCollectors) collector(attempt);
  };
  private readonly attemptCollectors = new Set<(attempt: UpstreamAttempt) => void>();

  /**
   * Hears this instance's attempts from now on, besides `onAttempt` (the audit trail collects a
   * mutation's upstream requests); returns a function that stops listening.
   */
  collectAttempts(collector: (attempt: UpstreamAttempt) => void): () => void {
    this.attemptCollectors.add(collector);
    return () => this.attemptCollectors.delete(collector);
  }

  /**
   * Set for a dry run: every upstream request is captured (see Upstream.capture) and reported
   * here instead of being sent, and the call throws DryRunStop. Reads the shared cache holds are
   * still answered from it.
   */
  dryRun: DryRunRecorder | null = null;
  private readonly observeCache = (hit: boolean) => {
    if (hit) this.cacheHits++;
  };

  constructor(
    private readonly upstream: Upstream,
    readonly credential: UpstreamCredential,
    /** Hears this instance's attempts only: the request's own upstream log. */
    private readonly onAttempt?: (attempt: UpstreamAttempt) => void,
    /**
     * The gateway's OAuth token (ANTHROPIC_OAUTH_TOKEN), for the endpoints that accept nothing
     * else; used only when this instance acts with the gateway's own credential.
     */
    private readonly gatewayOAuth?: () => UpstreamCredential | null,
  ) {}

  /**
   * The credential an operation goes upstream with: the request's, except for the endpoints that
   * take only an OAuth token (`credential: 'oauth'`), where it is the caller's own bearer token,
   * or the gateway's token when the request acts with the gateway's credential. Throws
   * CredentialMissingError (no request made) when there is none.
   */
  credentialFor(operation: UpstreamOperation): UpstreamCredential {
    if (operation.credential !== 'oauth' || this.credential.header === 'authorization') {
      return this.credential;
    }
    const oauth = this.credential.source === 'gateway' ? this.gatewayOAuth?.() : null;
    if (!oauth) throw new CredentialMissingError(operation.name);
    return oauth;
  }

  /**
   * Whose share of the upstream budget this instance's requests take (the request's caller, set
   * before the operation runs; a bulk job's background caller); none: the organization's bucket.
   */
  budgetCaller: BudgetCaller | undefined;

  private readonly writeListeners = new Set<(collections: readonly Collection[]) => void>();

  /**
   * Hears every write made through this instance, with the collections it touched, whatever its
   * outcome: the one path by which the request's own state (its loaders) is invalidated, as the
   * shared cache is. Returns a function that stops listening.
   */
  onWrite(listener: (collections: readonly Collection[]) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /**
   * A dry run's reads take what the cache holds and otherwise capture their request on their own:
   * never joined to (or joined by) another request's read of the same entry.
   */
  private get readAlone(): { alone: boolean } | undefined {
    return this.dryRun ? { alone: true } : undefined;
  }

  /** Whether reads are served from the shared cache (so that re-reading a page is free). */
  get cachesReads(): boolean {
    return this.upstream.cache?.enabled ?? false;
  }

  private async call<T>(operation: UpstreamOperation, run: SdkCall<T>): Promise<T> {
    const credential = this.credentialFor(operation);
    if (this.dryRun) {
      const captured = await this.upstream.capture(credential, run);
      this.dryRun.record({ operation: operation.name, write: operation.write, ...captured });
      throw new DryRunStop(operation.name);
    }
    try {
      return await this.upstream.call(credential, operation, run, this.observe, this.budgetCaller);
    } catch (error) {
      throw operation.gate ? notEnabled(error, operation.gate) : error;
    }
  }

  /**
   * A read, served from the shared cache when it holds it. A 404 is cached too (as "not found"),
   * so that looking up something that does not exist is not repeated within the TTL either.
   */
  read<T>(
    collection: Collection,
    key: string,
    operation: UpstreamOperation,
    run: SdkCall<T>,
  ): Promise<T>;
  async read<T>(
    collection: Collection,
    key: string,
    operation: UpstreamOperation,
    run: SdkCall<T>,
  ): Promise<T> {
    const cache = this.upstream.cache;
    if (!cache) return this.call(operation, run);
    const outcome = await cache.read<CachedRead<T>>(
      this.credentialFor(operation),
      collection,
      key,
      async () => {
        try {
          return { found: await this.call(operation, run) };
        } catch (error) {
          if (error instanceof UpstreamError && error.status === 404) {
            return {
              notFound: {
                message: error.message,
                requestId: error.upstreamRequestId,
                errorType: error.errorType,
              },
            };
          }
          throw error;
        }
      },
      this.observeCache,
      undefined,
      this.readAlone,
    );
    if ('found' in outcome) return outcome.found;
    throw new UpstreamError({
      kind: 'http',
      status: 404,
      errorType: outcome.notFound.errorType ?? 'not_found_error',
      message: outcome.notFound.message,
      upstreamRequestId: outcome.notFound.requestId,
    });
  }

  /** A list page, cached with each of its items as an entity of `collection`. */
  async readPage<T>(
    collection: Collection,
    params: unknown,
    operation: UpstreamOperation,
    run: SdkCall<AdminPage<T>>,
    idOf: (item: T) => string,
    options: PageReadOptions = {},
  ): Promise<AdminPage<T>> {
    const fetch = async () => {
      const page = toPage(await this.call(operation, run));
      // What the caller does with a large page (complete its objects, cache its items) waits for
      // a turn of the event loop of its own, so that pages arriving together are not worked
      // through in one stall (turns.ts); an urgent caller takes the turn itself.
      if (page.data.length >= TURN_PAGE_ITEMS && !options.urgent) await nextTurn();
      return page;
    };
    const cache = this.upstream.cache;
    const page = cache
      ? await cache.read(
          this.credentialFor(operation),
          collection,
          readKey(operation.name, params),
          fetch,
          this.observeCache,
          (page) =>
            page.data.map((item) => [entity(idOf(item)), { found: item } satisfies CachedRead<T>]),
          this.readAlone,
        )
      : await fetch();
    // Pages read to the end (from upstream or the shared cache) tell the cost estimate how large
    // the collections are.
    return this.upstream.sizes.observe(this.credential.fingerprint, collection, params, page);
  }

  /**
   * A write. Whatever its outcome (a failed write may still have been applied), the cached reads
   * of the collections it touches are dropped and the write listeners hear of it (see onWrite);
   * what it returned is written through to the shared cache.
   */
  write<T>(
    operation: UpstreamOperation,
    run: SdkCall<T>,
    touches: Collection[],
    writeThrough?: (value: T) => [Collection, string] | null,
  ): Promise<T>;
  async write<T>(
    operation: UpstreamOperation,
    run: SdkCall<T>,
    touches: Collection[],
    writeThrough?: (value: T) => [Collection, string] | null,
  ): Promise<T> {
    // A dry run captures the request and stops (DryRunStop): nothing was written, so nothing is
    // invalidated and no listener hears of it.
    if (this.dryRun) return this.call(operation, run);
    const cache = this.upstream.cache;
    let value: T;
    const heard: GatewayWrite = {
      operation: operation.name,
      touches,
      ok: false,
      value: undefined,
      credential: this.credential.fingerprint,
    };
    try {
      value = await this.call(operation, run);
      heard.ok = true;
      heard.value = value;
    } finally {
      await cache?.invalidate(touches);
      this.upstream.sizes.forget(this.credential.fingerprint, touches);
      for (const listener of this.writeListeners) listener(touches);
      for (const listener of gatewayWriteListeners.get(this.upstream) ?? []) listener(heard);
    }
    const target = writeThrough?.(value);
    if (cache && target) {
      const cached: CachedRead<T> = { found: value };
      await cache.store(this.credentialFor(operation), target[0], entity(target[1]), cached);
    }
    return value;
  }

  // Organization (§3)

  getOrganization(): Promise<AdminOrganization> {
    return this.read('organization', entity('me'), read('organization.get'), (org, opts) =>
      org.retrieve(opts),
    );
  }

  // Users (§4)

  listUsers(query: UserListQuery, options?: PageReadOptions): Promise<AdminPage<AdminUser>> {
    return this.readPage<AdminUser>(
      'users',
      query,
      read('users.list'),
      (org, opts) => org.users.list(query, opts),
      (user) => user.id,
      options,
    );
  }

  getUser(userId: string): Promise<AdminUser> {
    checkId('user', userId);
    return this.read('users', entity(userId), read('users.get'), (org, opts) =>
      org.users.retrieve(userId, opts),
    );
  }

  updateUser(userId: string, body: { role: string }): Promise<AdminUser> {
    checkId('user', userId);
    const role = oneOf(ASSIGNABLE_ROLES, body.role, 'role');
    // A role change moves inherited workspace memberships too.
    return this.write(
      post('users.update'),
      (org, opts) => org.users.update(userId, { role }, opts),
      ['users', 'members'],
      (user) => ['users', user.id],
    );
  }

  removeUser(userId: string): Promise<{ id: string }> {
    checkId('user', userId);
    return this.write(remove('users.remove'), (org, opts) => org.users.remove(userId, opts), [
      'users',
      'members',
    ]);
  }

  // Invites (§5)

  createInvite(body: {
    email: string;
    role: string;
    rbacGroupIds?: readonly string[];
  }): Promise<AdminInvite> {
    const role = oneOf(ASSIGNABLE_ROLES, body.role, 'role');
    const groups = body.rbacGroupIds?.map((id) => checkId('rbacGroup', id));
    return this.write(
      post('invites.create'),
      (org, opts) =>
        org.invites.create(
          { email: body.email, role, ...(groups?.length ? { rbac_group_ids: groups } : {}) },
          opts,
        ),
      ['invites'],
      (invite) => ['invites', invite.id],
    );
  }

  listInvites(query: InviteListQuery, options?: PageReadOptions): Promise<AdminPage<AdminInvite>> {
    const { statuses, ...rest } = query;
    const sent = {
      ...rest,
      ...(statuses ? { statuses: allOf(INVITE_STATUSES, statuses, 'statuses') } : {}),
    };
    return this.readPage<AdminInvite>(
      'invites',
      query,
      read('invites.list'),
      (org, opts) => org.invites.list(sent, opts),
      (invite) => invite.id,
      options,
    );
  }

  getInvite(inviteId: string): Promise<AdminInvite> {
    checkId('invite', inviteId);
    return this.read('invites', entity(inviteId), read('invites.get'), (org, opts) =>
      org.invites.retrieve(inviteId, opts),
    );
  }

  deleteInvite(inviteId: string): Promise<{ id: string }> {
    checkId('invite', inviteId);
    return this.write(remove('invites.delete'), (org, opts) => org.invites.delete(inviteId, opts), [
      'invites',
    ]);
  }

  // Workspaces (§6)

  createWorkspace(body: WorkspaceCreateBody): Promise<AdminWorkspace> {
    const dataResidency = residency(body.data_residency);
    const sent = {
      name: body.name,
      ...(body.tags ? { tags: body.tags } : {}),
      ...(dataResidency ? { data_residency: dataResidency } : {}),
    };
    return this.write(
      post('workspaces.create'),
      (org, opts) => org.workspaces.create(sent, opts),
      ['workspaces'],
      (workspace) => ['workspaces', workspace.id],
    );
  }

  /**
   * A page of workspaces. `include_default` lists the Default Workspace too (with its real id; no
   * field marks it); `ids` keeps only those workspaces.
   */
  listWorkspaces(
    query: WorkspaceListQuery,
    options?: PageReadOptions,
  ): Promise<AdminPage<AdminWorkspace>> {
    for (const id of query.ids ?? []) checkId('workspace', id);
    return this.readPage<AdminWorkspace>(
      'workspaces',
      query,
      read('workspaces.list'),
      (org, opts) => org.workspaces.list(query, opts),
      (workspace) => workspace.id,
      options,
    );
  }

  getWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return this.read('workspaces', entity(workspaceId), read('workspaces.get'), (org, opts) =>
      org.workspaces.retrieve(workspaceId, {}, opts),
    );
  }

  updateWorkspace(workspaceId: string, body: WorkspaceUpdateBody): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    const dataResidency = residency(body.data_residency);
    const sent = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.tags ? { tags: body.tags } : {}),
      ...(dataResidency ? { data_residency: dataResidency } : {}),
    };
    return this.write(
      post('workspaces.update'),
      (org, opts) => org.workspaces.update(workspaceId, sent, opts),
      ['workspaces'],
      (workspace) => ['workspaces', workspace.id],
    );
  }

  archiveWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    // Archiving revokes the workspace's keys and closes its membership to writes.
    return this.write(
      post('workspaces.archive'),
      (org, opts) => org.workspaces.archive(workspaceId, {}, opts),
      ['workspaces', 'apiKeys', 'members'],
      (workspace) => ['workspaces', workspace.id],
    );
  }

  // Workspace members (§7)

  addWorkspaceMember(
    workspaceId: string,
    body: { user_id: string; workspace_role: string },
  ): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', body.user_id);
    const role = oneOf(ADDABLE_WORKSPACE_ROLES, body.workspace_role, 'workspace_role');
    return this.write(
      post('workspace_members.add'),
      (org, opts) =>
        org.workspaces.members.add(
          workspaceId,
          { user_id: body.user_id, workspace_role: role },
          opts,
        ),
      ['members'],
      (member) => ['members', memberEntity(member.workspace_id, member.user_id)],
    );
  }

  listWorkspaceMembers(
    workspaceId: string,
    query: PageQuery,
    options?: PageReadOptions,
  ): Promise<AdminPage<AdminWorkspaceMember>> {
    checkId('workspace', workspaceId);
    return this.readPage<AdminWorkspaceMember>(
      'members',
      { workspaceId, ...query },
      read('workspace_members.list'),
      (org, opts) => org.workspaces.members.list(workspaceId, query, opts),
      (member) => memberEntity(member.workspace_id, member.user_id),
      options,
    );
  }

  getWorkspaceMember(workspaceId: string, userId: string): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return this.read(
      'members',
      entity(memberEntity(workspaceId, userId)),
      read('workspace_members.get'),
      (org, opts) => org.workspaces.members.retrieve(userId, { workspace_id: workspaceId }, opts),
    );
  }

  updateWorkspaceMember(
    workspaceId: string,
    userId: string,
    body: { workspace_role: string },
  ): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    const role = oneOf(WORKSPACE_ROLES, body.workspace_role, 'workspace_role');
    return this.write(
      post('workspace_members.update'),
      (org, opts) =>
        org.workspaces.members.update(
          userId,
          { workspace_id: workspaceId, workspace_role: role },
          opts,
        ),
      ['members'],
      (member) => ['members', memberEntity(member.workspace_id, member.user_id)],
    );
  }

  removeWorkspaceMember(
    workspaceId: string,
    userId: string,
  ): Promise<{ user_id: string; workspace_id: string }> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return this.write(
      remove('workspace_members.remove'),
      (org, opts) => org.workspaces.members.remove(userId, { workspace_id: workspaceId }, opts),
      ['members'],
    );
  }

  // API keys (§8)

  /**
   * A page of API keys. `workspace_id` selects a workspace's keys, the Default Workspace's by its
   * real id; organization-scoped keys belong to no workspace and are selected by none.
   */
  listApiKeys(query: ApiKeyListQuery, options?: PageReadOptions): Promise<AdminPage<AdminApiKey>> {
    const { status, ...rest } = query;
    const sent = {
      ...rest,
      ...(status ? { status: oneOf(API_KEY_STATUSES, status, 'status') } : {}),
    };
    return this.readPage<AdminApiKey>(
      'apiKeys',
      query,
      read('api_keys.list'),
      (org, opts) => org.apiKeys.list(sent, opts),
      (key) => key.id,
      options,
    );
  }

  getApiKey(apiKeyId: string): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    return this.read('apiKeys', entity(apiKeyId), read('api_keys.get'), (org, opts) =>
      org.apiKeys.retrieve(apiKeyId, opts),
    );
  }

  updateApiKey(apiKeyId: string, body: ApiKeyUpdateBody): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    const sent = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.status !== undefined
        ? { status: oneOf(SETTABLE_API_KEY_STATUSES, body.status, 'status') }
        : {}),
    };
    return this.write(
      post('api_keys.update'),
      (org, opts) => org.apiKeys.update(apiKeyId, sent, opts),
      ['apiKeys'],
      (key) => ['apiKeys', key.id],
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Reports (REPORTS.md): reads only, cached in the `reports` collection and keyed by their query.
  // What is cached is the normalized plain page, never the SDK's page object.

  private readReport<R, T>(
    operation: UpstreamOperation,
    params: unknown,
    run: SdkCall<R>,
    normalize: (raw: R) => T,
  ): Promise<T> {
    const fetch = async () => normalize(await this.call(operation, run));
    const cache = this.upstream.cache;
    if (!cache) return fetch();
    const key = readKey(operation.name, params);
    return cache.read(
      this.credential,
      'reports',
      key,
      fetch,
      this.observeCache,
      undefined,
      this.readAlone,
    );
  }

  messagesUsageReport(
    query: MessagesUsageQuery,
  ): Promise<AdminReportPage<AdminReportBucket<AdminMessagesUsageResult>>> {
    const betas = needsFastModeBeta(query) ? [FAST_MODE_BETA] : [];
    return this.readReport(
      read('reports.messages_usage'),
      query,
      (_org, opts, client) => reportGet(client, opts, MESSAGES_USAGE_PATH, query, betas),
      (body) => toReportPage(body, reportItem<AdminReportBucket<AdminMessagesUsageResult>>),
    );
  }

  costReport(query: CostReportQuery): Promise<AdminReportPage<AdminReportBucket<AdminCostResult>>> {
    return this.readReport(
      read('reports.cost'),
      query,
      (_org, opts, client) => reportGet(client, opts, COST_REPORT_PATH, query),
      (body) => toReportPage(body, reportItem<AdminReportBucket<AdminCostResult>>),
    );
  }

  claudeCodeUsageReport(
    query: ClaudeCodeUsageQuery,
  ): Promise<AdminReportPage<AdminClaudeCodeRecord>> {
    return this.readReport(
      read('reports.claude_code_usage'),
      query,
      (_org, opts, client) => reportGet(client, opts, CLAUDE_CODE_USAGE_PATH, query),
      (body) => toReportPage(body, reportItem<AdminClaudeCodeRecord>),
    );
  }

  organizationRateLimits(query: RateLimitQuery): Promise<AdminRateLimitPage<AdminRateLimit>> {
    const { group_type, ...rest } = query;
    const sent = {
      ...rest,
      ...(group_type
        ? { group_type: oneOf(RATE_LIMIT_GROUP_TYPES, group_type, 'group_type') }
        : {}),
    };
    return this.readReport(
      read('rate_limits.list'),
      query,
      (org, opts) => org.rateLimits.list(sent, opts),
      (page) => ({ data: page.data, next_page: page.next_page ?? null }),
    );
  }

  /**
   * A workspace's rate limits: its overrides, or with `include_inherited` every group and limit,
   * each value saying whether it is the workspace's or the organization's.
   */
  workspaceRateLimits(
    workspaceId: string,
    query: WorkspaceRateLimitQuery,
  ): Promise<AdminRateLimitPage<AdminWorkspaceRateLimit>> {
    checkId('workspace', workspaceId);
    const { group_type, ...rest } = query;
    const sent = {
      ...rest,
      ...(group_type
        ? { group_type: oneOf(RATE_LIMIT_GROUP_TYPES, group_type, 'group_type') }
        : {}),
    };
    return this.readReport(
      read('workspace_rate_limits.list'),
      { workspaceId, ...query },
      (org, opts) => org.workspaces.rateLimits.list(workspaceId, sent, opts),
      (page) => ({ data: page.data, next_page: page.next_page ?? null }),
    );
  }
}
