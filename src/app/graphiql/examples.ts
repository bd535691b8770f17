/** The operations GraphiQL opens with: ready to run against the sandbox or a real organization. */
export const EXAMPLE_OPERATIONS = /* GraphQL */ `
  # admin-graph: the Anthropic Admin API as one graph.
  # Pick an operation with the ▶ button; its variables are in the variables pane, and the
  # headers pane holds what this gateway's auth mode expects (fill in your token or key).

  query Dashboard($first: Int = 5) {
    organization {
      name
      users(first: $first) {
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
      workspaces(first: $first) {
        nodes {
          id
          name
          members(first: $first) {
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

  query WeeklyCost($since: DateTime!) {
    organization {
      costReport(startingAt: $since, groupBy: [WORKSPACE_ID], first: 7) {
        nodes {
          startingAt
          totals {
            amount
            currency
          }
          results {
            isDefaultWorkspace
            workspace {
              name
            }
            amount {
              amount
            }
          }
        }
      }
      messagesUsageReport(startingAt: $since, groupBy: [MODEL], first: 7) {
        nodes {
          startingAt
          results {
            model
            totalInputTokens
            outputTokens
          }
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

/**
 * The variables of the example operations: the report covers the week before `now`; the
 * mutation renames `apiKeyId` (a seeded key in sandbox mode, a placeholder to replace otherwise).
 */
export function exampleVariables(now: Date, apiKeyId?: string): Record<string, unknown> {
  const since = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  since.setUTCHours(0, 0, 0, 0);
  return {
    first: 5,
    since: since.toISOString().replace('.000Z', 'Z'),
    apiKeyId: apiKeyId ?? 'apikey_01… (an id from the Dashboard’s apiKeys)',
    name: 'ci-runner',
  };
}
