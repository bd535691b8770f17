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
import type { Upstream, UpstreamAttempt, UpstreamOperation } from './upstream.js';

const read = (name: string): UpstreamOperation => ({ name, method: 'GET', write: false });
const post = (name: string): UpstreamOperation => ({ name, method: 'POST', write: true });
const remove = (name: string): UpstreamOperation => ({ name, method: 'DELETE', write: true });

/** The SDK types its results after a newer API revision; the gateway reads them as CONTRACT.md. */
const as = <T>(value: unknown): T => value as T;

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
  private readonly observe = (_attempt: UpstreamAttempt) => {
    this.attempts++;
  };

  constructor(
    private readonly upstream: Upstream,
    readonly credential: UpstreamCredential,
  ) {}

  private call<T>(operation: UpstreamOperation, run: Parameters<Upstream['call']>[2]) {
    return this.upstream.call(this.credential, operation, run, this.observe) as Promise<T>;
  }

  // Organization (§3)

  async getOrganization(): Promise<AdminOrganization> {
    return as(await this.call(read('organization.get'), (org, opts) => org.retrieve(opts)));
  }

  // Users (§4)

  async listUsers(query: UserListQuery): Promise<AdminPage<AdminUser>> {
    const page = await this.call<SdkPage>(read('users.list'), (org, opts) =>
      org.users.list(query, opts),
    );
    return toPage(page);
  }

  async getUser(userId: string): Promise<AdminUser> {
    checkId('user', userId);
    return as(await this.call(read('users.get'), (org, opts) => org.users.retrieve(userId, opts)));
  }

  async updateUser(userId: string, body: { role: string }): Promise<AdminUser> {
    checkId('user', userId);
    return as(
      await this.call(post('users.update'), (org, opts) =>
        org.users.update(userId, as(body), opts),
      ),
    );
  }

  async removeUser(userId: string): Promise<{ id: string }> {
    checkId('user', userId);
    return as(
      await this.call(remove('users.remove'), (org, opts) => org.users.remove(userId, opts)),
    );
  }

  // Invites (§5)

  async createInvite(body: { email: string; role: string }): Promise<AdminInvite> {
    return as(
      await this.call(post('invites.create'), (org, opts) => org.invites.create(as(body), opts)),
    );
  }

  async listInvites(query: InviteListQuery): Promise<AdminPage<AdminInvite>> {
    const page = await this.call<SdkPage>(read('invites.list'), (org, opts) =>
      org.invites.list(as(query), opts),
    );
    return toPage(page);
  }

  async getInvite(inviteId: string): Promise<AdminInvite> {
    checkId('invite', inviteId);
    return as(
      await this.call(read('invites.get'), (org, opts) => org.invites.retrieve(inviteId, opts)),
    );
  }

  async deleteInvite(inviteId: string): Promise<{ id: string }> {
    checkId('invite', inviteId);
    return as(
      await this.call(remove('invites.delete'), (org, opts) => org.invites.delete(inviteId, opts)),
    );
  }

  // Workspaces (§6)

  async createWorkspace(body: WorkspaceCreateBody): Promise<AdminWorkspace> {
    return as(
      await this.call(post('workspaces.create'), (org, opts) =>
        org.workspaces.create(as(body), opts),
      ),
    );
  }

  async listWorkspaces(query: WorkspaceListQuery): Promise<AdminPage<AdminWorkspace>> {
    const page = await this.call<SdkPage>(read('workspaces.list'), (org, opts) =>
      org.workspaces.list(query, opts),
    );
    return toPage(page);
  }

  async getWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return as(
      await this.call(read('workspaces.get'), (org, opts) =>
        org.workspaces.retrieve(workspaceId, {}, opts),
      ),
    );
  }

  async updateWorkspace(workspaceId: string, body: WorkspaceUpdateBody): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return as(
      await this.call(post('workspaces.update'), (org, opts) =>
        org.workspaces.update(workspaceId, as(body), opts),
      ),
    );
  }

  async archiveWorkspace(workspaceId: string): Promise<AdminWorkspace> {
    checkId('workspace', workspaceId);
    return as(
      await this.call(post('workspaces.archive'), (org, opts) =>
        org.workspaces.archive(workspaceId, {}, opts),
      ),
    );
  }

  // Workspace members (§7)

  async addWorkspaceMember(
    workspaceId: string,
    body: { user_id: string; workspace_role: string },
  ): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', body.user_id);
    return as(
      await this.call(post('workspace_members.add'), (org, opts) =>
        org.workspaces.members.add(workspaceId, as(body), opts),
      ),
    );
  }

  async listWorkspaceMembers(
    workspaceId: string,
    query: PageQuery,
  ): Promise<AdminPage<AdminWorkspaceMember>> {
    checkId('workspace', workspaceId);
    const page = await this.call<SdkPage>(read('workspace_members.list'), (org, opts) =>
      org.workspaces.members.list(workspaceId, query, opts),
    );
    return toPage(page);
  }

  async getWorkspaceMember(workspaceId: string, userId: string): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return as(
      await this.call(read('workspace_members.get'), (org, opts) =>
        org.workspaces.members.retrieve(userId, { workspace_id: workspaceId }, opts),
      ),
    );
  }

  async updateWorkspaceMember(
    workspaceId: string,
    userId: string,
    body: { workspace_role: string },
  ): Promise<AdminWorkspaceMember> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return as(
      await this.call(post('workspace_members.update'), (org, opts) =>
        org.workspaces.members.update(
          userId,
          as({ workspace_id: workspaceId, workspace_role: body.workspace_role }),
          opts,
        ),
      ),
    );
  }

  async removeWorkspaceMember(
    workspaceId: string,
    userId: string,
  ): Promise<{ user_id: string; workspace_id: string }> {
    checkId('workspace', workspaceId);
    checkId('user', userId);
    return as(
      await this.call(remove('workspace_members.remove'), (org, opts) =>
        org.workspaces.members.remove(userId, { workspace_id: workspaceId }, opts),
      ),
    );
  }

  // API keys (§8)

  async listApiKeys(query: ApiKeyListQuery): Promise<AdminPage<AdminApiKey>> {
    const page = await this.call<SdkPage>(read('api_keys.list'), (org, opts) =>
      org.apiKeys.list(as(query), opts),
    );
    return toPage(page);
  }

  async getApiKey(apiKeyId: string): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    return as(
      await this.call(read('api_keys.get'), (org, opts) => org.apiKeys.retrieve(apiKeyId, opts)),
    );
  }

  async updateApiKey(apiKeyId: string, body: ApiKeyUpdateBody): Promise<AdminApiKey> {
    checkId('apiKey', apiKeyId);
    return as(
      await this.call(post('api_keys.update'), (org, opts) =>
        org.apiKeys.update(apiKeyId, as(body), opts),
      ),
    );
  }
}
