import { graphql } from './graphql.js';

/**
 * The page query: the organization with its first workspaces and their first members, and its
 * first service accounts.
 */
export const AppQuery = graphql`
  query AppQuery($workspaceCount: Int = 10, $memberCount: Int = 5, $serviceAccountCount: Int = 10) {
    organization {
      id
      name
      ...WorkspaceList_organization @arguments(count: $workspaceCount, memberCount: $memberCount)
      ...ServiceAccountList_organization @arguments(count: $serviceAccountCount)
    }
  }
`;
