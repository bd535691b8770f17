/** The operations GraphiQL opens with: ready to run against the sandbox or a real organization. */
export const EXAMPLE_OPERATIONS = /* GraphQL */ `
  # admin-graph: the Anthropic Admin API as one graph.
  # Pick an operation with the ▶ button. Send your own Admin API key in the headers
  # pane (x-api-key) to act with it instead of the gateway's key.

  query Dashboard {
    organization {
      name
      users(first: 5) {
        nodes {
          id
          name
          email
          role
          addedAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      workspaces(first: 5) {
        nodes {
          id
          name
          members(first: 5) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
          apiKeys(first: 3, status: ACTIVE) {
            nodes {
              name
              partialKeyHint
              createdBy {
                user {
                  name
                }
              }
            }
          }
        }
      }
    }
  }

  query PendingInvites {
    organization {
      invites(first: 10, statuses: [PENDING]) {
        nodes {
          id
          email
          role
          expiresAt
        }
      }
    }
  }

  mutation RenameApiKey($apiKeyId: ID!, $name: String!) {
    updateApiKey(input: { apiKeyId: $apiKeyId, name: $name }) {
      apiKey {
        id
        name
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
