import { GraphQLClient } from 'graphql-request';
import {
  OrganizationOverviewDocument,
  RenameWorkspaceDocument,
  WorkspaceMembersDocument,
} from './generated/graphql.js';

export interface AdminGraphClientOptions {
  /**
   * The caller's own Admin API key, sent as `x-api-key`; the gateway then acts with it instead of
   * its own key. Leave it out to use the gateway's key (or the sandbox).
   */
  apiKey?: string;
  /** A custom fetch, for example one that adds tracing headers. */
  fetch?: typeof fetch;
}

/**
 * A typed admin-graph client for a frontend: graphql-request with the documents graphql-codegen
 * generated from `src/operations/*.graphql`. Variables and results are typed by the documents, so
 * a renamed field or a missing variable fails the type check, not the page.
 */
export function createAdminGraphClient(endpoint: string, options: AdminGraphClientOptions = {}) {
  const client = new GraphQLClient(endpoint, {
    headers: options.apiKey ? { 'x-api-key': options.apiKey } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    /** The organization's name and its first workspaces. */
    organizationOverview: (workspaceCount = 10) =>
      client.request(OrganizationOverviewDocument, { workspaceCount }),

    /** One workspace with a page of its members; `after` is the previous page's `endCursor`. */
    workspaceMembers: (workspaceId: string, first = 20, after?: string | null) =>
      client.request(WorkspaceMembersDocument, { workspaceId, first, after: after ?? null }),

    /** Renames a workspace; expected failures come back in `userErrors`. */
    renameWorkspace: (workspaceId: string, name: string) =>
      client.request(RenameWorkspaceDocument, { workspaceId, name }),
  };
}

export type AdminGraphClient = ReturnType<typeof createAdminGraphClient>;
