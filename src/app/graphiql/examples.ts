/**
 * The access review: who can reach the organization and how. Every user, the service accounts,
 * the RBAC groups with their members, every API key with the principal it acts as, and the
 * configured spend limits with the user each one caps (also the benchmark's operation).
 */
export const ACCESS_REVIEW_EXAMPLE = /* GraphQL */ `
  query AccessReview {
    organization {
      users(first: 100) {
        nodes {
          id
          name
          email
          role
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      serviceAccounts(first: 100) {
        nodes {
          id
          name
          organizationRole
          isArchived
        }
      }
      rbacGroups(first: 20) {
        nodes {
          id
          name
          members(first: 100) {
            nodes {
              userId
              email
              user {
                name
              }
            }
          }
        }
      }
      apiKeys(first: 100) {
        nodes {
          id
          name
          status
          principal {
            kind
            user {
              name
              email
            }
            serviceAccount {
              name
            }
          }
        }
      }
      spendLimits(first: 100) {
        nodes {
          id
          isEnabled
          period
          amount {
            amount
            currency
          }
          scope {
            type
            ... on UserSpendLimitScope {
              user {
                name
              }
            }
          }
        }
      }
    }
  }
`;

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

  # Live changes (server-sent events; keep it running). Change something in another tab, or
  # wait for sandbox mode's "another admin"; pass the last event id as lastEventId to resume.
  subscription WatchOrganization {
    organizationChanges(filter: { kinds: [USER, INVITE, WORKSPACE, API_KEY] }) {
      id
      type
      kind
      nodeId
      changedFields
      at
      node {
        id
        ... on Workspace {
          name
        }
        ... on Invite {
          email
          inviteStatus: status
        }
        ... on ApiKey {
          name
          keyStatus: status
        }
        ... on User {
          name
          role
        }
      }
    }
  }

  # Who and what may act in the organization, as it changes: service accounts, RBAC groups,
  # federation rules and webhooks (every kind the Admin API lists can be watched: ResourceKind).
  subscription WatchAccessControl {
    organizationChanges(
      filter: { kinds: [SERVICE_ACCOUNT, RBAC_GROUP, FEDERATION_RULE, WEBHOOK] }
    ) {
      id
      type
      kind
      changedFields
      node {
        id
        ... on ServiceAccount {
          name
          isArchived
        }
        ... on RbacGroup {
          name
        }
        ... on FederationRule {
          name
          isArchived
        }
        ... on Webhook {
          name
          state
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

  # Who can reach the organization and how: users, service accounts, RBAC groups and their
  # members, API keys with the principal they act as, spend limits.${ACCESS_REVIEW_EXAMPLE}
  # Service accounts need an OAuth access token (org:admin); sandbox mode has one.
  mutation CreateServiceAccount($serviceAccountName: String!) {
    createServiceAccount(
      input: {
        name: $serviceAccountName
        description: "Runs the nightly evals"
        organizationRole: DEVELOPER
      }
    ) {
      serviceAccount {
        id
        name
        organizationRole
        createdAt
      }
      userErrors {
        code
        field
        message
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

  # The same rename as a dry run: nothing is sent to the Admin API; extensions.dryRun lists the
  # REST call it would make. The header x-dry-run: 1 does the same for any mutation.
  mutation RenameApiKeyDryRun($apiKeyId: ID!, $name: String!) @dryRun {
    updateApiKey(input: { apiKeyId: $apiKeyId, name: $name }) {
      apiKey {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }

  # A bulk job: invites every address in the variables at once. The answer comes at once; the
  # gateway sends the invitations paced within BULK_BUDGET_SHARE of the upstream budget (in sandbox
  # mode the emulator allows 100 requests a minute, so the job takes a few minutes). Try it as a
  # dry run first: add @dryRun after the operation name.
  mutation StartBulkInvites($bulkEmails: [EmailAddress!]!) {
    bulkCreateInvites(input: { emails: $bulkEmails, role: USER }) {
      bulkOperation {
        id
        status
        total
        estimatedSecondsLeft
      }
      userErrors {
        field
        message
      }
    }
  }

  # Follow bulk jobs, newest first: run it again to watch done and left move.
  query FollowBulkOperations {
    bulkOperations(first: 3) {
      nodes {
        id
        kind
        status
        createdBy
        total
        done
        failed
        left
        estimatedSecondsLeft
        items(first: 10, status: FAILED) {
          nodes {
            index
            email
            userErrors {
              code
              message
            }
          }
        }
      }
    }
  }

  # Who changed what: the audit trail, newest first (needs the scope audit:read).
  query AuditTrail($first: Int) {
    auditEvents(first: $first, filter: { field: "Mutation.updateApiKey" }) {
      nodes {
        occurredAt
        actor
        field
        outcome
        codes
        input
        upstreamRequests {
          method
          path
          status
          upstreamRequestId
        }
        targets {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * The variables of the example operations: the report covers the week before `now`; the
 * mutation renames `apiKeyId` (a seeded key in sandbox mode, a placeholder to replace otherwise);
 * CreateServiceAccount creates `serviceAccountName` (a slug, unique in the organization); StartBulkInvites invites
 * the 120 addresses of `bulkEmails`.
 */
export function exampleVariables(now: Date, apiKeyId?: string): Record<string, unknown> {
  const since = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  since.setUTCHours(0, 0, 0, 0);
  return {
    first: 5,
    since: since.toISOString().replace('.000Z', 'Z'),
    apiKeyId: apiKeyId ?? 'apikey_01… (an id from the Dashboard’s apiKeys)',
    name: 'ci-runner',
    serviceAccountName: 'nightly-evals',
    bulkEmails: Array.from({ length: 120 }, (_, i) => `new-hire-${i + 1}@example.com`),
  };
}
