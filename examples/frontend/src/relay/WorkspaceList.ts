import { graphql } from './graphql.js';

/**
 * The organization's workspaces as a Relay connection. `@refetchable` lets the list load further
 * pages (usePaginationFragment) through `Query.node(id:)` with the organization's id.
 */
export const WorkspaceListFragment = graphql`
  fragment WorkspaceList_organization on Organization
  @refetchable(queryName: "WorkspaceListPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 10 }
    cursor: { type: "String" }
    includeArchived: { type: "Boolean", defaultValue: false }
    memberCount: { type: "Int", defaultValue: 5 }
  ) {
    workspaces(first: $count, after: $cursor, includeArchived: $includeArchived)
      @connection(key: "WorkspaceList_workspaces", filters: ["includeArchived"]) {
      edges {
        node {
          id
          name
          displayColor
          isArchived
          ...MemberList_workspace @arguments(count: $memberCount)
        }
      }
    }
  }
`;
