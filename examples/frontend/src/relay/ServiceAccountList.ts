import { graphql } from './graphql.js';

/**
 * The organization's service accounts (the non-human principals API keys can act as), newest
 * first. The field needs an OAuth access token with org:admin: without one it alone fails with
 * CREDENTIAL_MISSING and the rest of the page still renders.
 */
export const ServiceAccountListFragment = graphql`
  fragment ServiceAccountList_organization on Organization
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 10 }
    includeArchived: { type: "Boolean", defaultValue: false }
  ) {
    serviceAccounts(first: $count, includeArchived: $includeArchived) {
      nodes {
        id
        name
        description
        organizationRole
        isArchived
        createdAt
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;
