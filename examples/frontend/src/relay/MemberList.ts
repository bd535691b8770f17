import { graphql } from './graphql.js';

/**
 * A workspace's members as a Relay connection. Workspace implements Node, so `@refetchable`
 * generates `MemberListRefetchQuery`, which loads more members through `node(id:)`.
 */
export const MemberListFragment = graphql`
  fragment MemberList_workspace on Workspace
  @refetchable(queryName: "MemberListRefetchQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 5 }, cursor: { type: "String" }) {
    id
    members(first: $count, after: $cursor) @connection(key: "MemberList_members") {
      edges {
        node {
          id
          role
          user {
            id
            name
            email
          }
        }
      }
    }
  }
`;
