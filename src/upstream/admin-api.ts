import type { UpstreamCredential } from './credentials.js';
import { checkId } from './ids.js';
import type {
  AdminApiKey,
  AdminInvite,
  AdminOrganization,
  AdminPage,
  AdminUser,
  AdminWorkspace,
  AdminWorkspaceMember,
  ApiKeyListQuery,
  ApiKeyUpdateBody,
  InviteListQuery,
  PageQuery,
  UserListQuery,
  WorkspaceCreateBody,
  WorkspaceListQuery,
  WorkspaceUpdateBody,
} from './types.js';
import { readKey, type Collection } from './read-cache.js';
import type { Upstream, UpstreamAttempt, UpstreamOperation } from './upstream.js';

const read = (name: string): UpstreamOperation => ({ name, method: 'GET', write: false });
const post = (name: string): UpstreamOperation => ({ name, method: 'POST', write: true });
const remove = (name: string): UpstreamOperation => ({ name, method: 'DELETE', write: true });

/** The SDK types its results after a newer API revision; the gateway reads them as CONTRACT.md. */
const as = <T>(value: unknown): T => value as T;

/** The cache key of one entity, shared by its GET and by the list pages that contain it. */
const entity = (id: string) => `entity:${id}`;
const memberEntity = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;

/** What a list call returns, before it is read as an AdminPage. */
interface SdkPage {
  data: unknown[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

function toPage<T>(page: SdkPage): AdminPage<T> {
  return {
    data: page.data as T[],
    first_id: page.first_id ?? null,
    last_id: page.last_id ?? null,
    has_more: page.has_more,
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
  private readonly observe = (_attempt: UpstreamAttempt) => {
    this.attempts++;
  };
  private readonly observeCache = (hit: boolean) => {
    if (hit) this.cacheHits++;
  };

  constructor(
    private readonly upstream: Upstream,
    readonly credential: UpstreamCredential,
  ) {}

  private call<T>(operation: UpstreamOperation, run: Parameters<Upstream['call']>[2]) {
    return this.upstream.call(this.credential, operation, run, this.observe) as Promise<T>;
  }

  /** A read, served from the shared cache when it holds it. */
  private read<T>(
    collection: Collection,
    key: string,
    operation: UpstreamOperation,
    run: Parameters<Upstream['call']>[2],
  ): Promise<T> {
    const fetch = () => this.call<T>(operation, run);
    const cache = this.upstream.cache;
    return cache ? cache.read(this.credential, collection, key, fetch, this.observeCache) : fetch();
  }

  /** A list page, cached with each of its items as an entity of `collection`. */
  private async readPage<T>(
    collection: Collection,
    params: unknown,
    operation: UpstreamOperation,
    run: Parameters<Upstream['call']>[2],
    idOf: (item: T) => string,
  ): Promise<AdminPage<T>> {
    const fetch = async () => toPage<T>(await this.call<SdkPage>(operation, run));
    const cache = this.upstream.cache;
    if (!cache) return fetch();
    return cache.read(
      this.credential,
      collection,
      readKey(operation.name, params),
      fetch,
      this.observeCache,
      (page) => page.data.map((item) => [entity(idOf(item)), item]),
    );
  }

  /**
   * A write. Whatever its outcome (a failed write may still have been applied), the cached reads
   * of the collections it touches are dropped; what it returned is written through.
   */
  private async write<T>(
    operation: UpstreamOperation,
    run: Parameters<Upstream['call']>[2],
    touches: Collection[],
    writeThrough?: (value: T) => [Collection, string] | null,
  ): Promise<T> {
    const cache = this.upstream.cache;
    let value: T;
    try {
      value = await this.call<T>(operation, run);
    } finally {
      await cache?.invalidate(touches);
    }
    const target = writeThrough?.(value);
    if (cache && target) await cache.store(this.credential, target[0], entity(target[1]), value);
    return value;
  }

  // Organization (§3)

  async getOrganization(): Promise<AdminOrganization> {
    return as(
      await this.read('organization', entity('me'), read('organization.get'), (org, opts) =>
        org.retrieve(opts),
      ),
    );
  }

  // Users (§4)

  listUsers(query: UserListQuery): Promise<AdminPage<AdminUser>> {
    return this.readPage<AdminUser>(
      'users',
      query,
      read('users.list'),
      (org, opts) => org.users.list(query, opts),
      (user) => user.id,
    );
  }

  async getUser(userId: string): Promise<AdminUser> {
    checkId('user', userId);
    return as(
      await this.read('users', entity(userId), read('users.get'), (org, opts) =>
        org.users.retrieve(userId, opts),
      ),
    );
  }

  updateUser(userId: string, body: { role: string }): Promise<AdminUser> {
    checkId('user', userId);
    // A role change moves inherited workspace memberships too.
    return this.write<AdminUser>(
      post('users.update'),
      (org, opts) => org.users.update(userId, as(body), opts),
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

  createInvite(body: { email: string; role: string }): Promise<AdminInvite> {
    return this.write<AdminInvite>(
      post('invites.create'),
      (org, opts) => org.invites.create(as(body), opts),
      ['invites'],
      (invite) => ['invites', invite.id],
    );
  }

  listInvites(query: InviteListQuery): Promise<AdminPage<AdminInvite>> {
    return this.readPage<AdminInvite>(
      'invites',
      query,
      read('invites.list'),
      (org, opts) => org.invites.list(as(query), opts),
      (invite) => invite.id,
    );
  }

  async getInvite(inviteId: string): Promise<AdminInvite> {
    checkId('invite', inviteId);
    return as(
      await this.read('invites', entity(inviteId), read('invites.get'), (org, opts) =>
        org.invites.retrieve(inviteId, opts),
      ),
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
    return this.write<AdminWorkspace>(
      post('workspaces.create'),
      (org, opts) => org.workspaces.create(as(body), opts),
      ['workspaces'],
      (workspace) => ['workspaces', workspace.id],
    );
  }

  listWorkspaces(query: WorkspaceListQuery): Promise<AdminPage<AdminWorkspace>> {
    return this.readPage<AdminWorkspace>(
      'workspaces',
      query,
      read('workspaces.list'),
      (org, opts) => org.workspaces.list(query, opts),
      (workspace) => workspace.id,
    );
  }

  async getWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return as(
      await this.read('workspaces', entity(workspaceId), read('workspaces.get'), (org, opts) =>
        org.workspaces.retrieve(workspaceId, {}, opts),
      ),
    );
  }

  updateWorkspace(workspaceId: string, body: WorkspaceUpdateBody): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return this.write<AdminWorkspace>(
      post('workspaces.update'),
      (org, opts) => org.workspaces.update(workspaceId, as(body), opts),
      ['workspaces'],
      (workspace) => ['workspaces', workspace.id],
    );
  }

  archiveWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    // Archiving revokes the workspace's keys and closes its membership to writes.
    return this.write<AdminWorkspace>(
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
    return this.write<AdminWorkspaceMember>(
      post('workspace_members.add'),
      (org, opts) => org.workspaces.members.add(workspaceId, as(body), opts),
      ['members'],
      (member) => ['members', memberEntity(member.workspace_id, member.user_id)],
    );
  }

  listWorkspaceMembers(
    workspaceId: string,
    query: PageQuery,
  ): Promise<AdminPage<AdminWorkspaceMember>> {
    checkId('workspace', workspaceId);
    return this.readPage<AdminWorkspaceMember>(
      'members',
      { workspaceId, ...query },
      read('workspace_members.list'),
      (org, opts) => org.workspaces.members.list(workspaceId, query, opts),
      (member) => memberEntity(member.workspace_id, member.user_id),
    );
  }

  async getWorkspaceMember(workspaceId: string, userId: string): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return as(
      await this.read(
        'members',
        entity(memberEntity(workspaceId, userId)),
        read('workspace_members.get'),
        (org, opts) => org.workspaces.members.retrieve(userId, { workspace_id: workspaceId }, opts),
      ),
    );
  }

  updateWorkspaceMember(
    workspaceId: string,
    userId: string,
    body: { workspace_role: string },
  ): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return this.write<AdminWorkspaceMember>(
      post('workspace_members.update'),
      (org, opts) =>
        org.workspaces.members.update(
          userId,
          as({ workspace_id: workspaceId, workspace_role: body.workspace_role }),
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

  listApiKeys(query: ApiKeyListQuery): Promise<AdminPage<AdminApiKey>> {
    return this.readPage<AdminApiKey>(
      'apiKeys',
      query,
      read('api_keys.list'),
      (org, opts) => org.apiKeys.list(as(query), opts),
      (key) => key.id,
    );
  }

  async getApiKey(apiKeyId: string): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    return as(
      await this.read('apiKeys', entity(apiKeyId), read('api_keys.get'), (org, opts) =>
        org.apiKeys.retrieve(apiKeyId, opts),
      ),
    );
  }

  updateApiKey(apiKeyId: string, body: ApiKeyUpdateBody): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    return this.write<AdminApiKey>(
      post('api_keys.update'),
      (org, opts) => org.apiKeys.update(apiKeyId, as(body), opts),
      ['apiKeys'],
      (key) => ['apiKeys', key.id],
    );
  }
}
