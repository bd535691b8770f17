import { FIXTURE_IDS, type SandboxStore } from '../src/sandbox/index.js';
import { Prng } from './prng.js';
import { ACCESS_REVIEW_EXAMPLE } from '../src/app/graphiql/examples.js';

/** One of the benchmark's canonical operations against our gateway. */
export interface CanonicalOperation {
  key: OperationKey;
  title: string;
  /** Nested operations fan out per item; the naive-baseline target (≥20×) applies to them. */
  nested: boolean;
  /** Sequential upstream round trips the nesting implies (the critical path at 20 ms each). */
  rounds: number;
  operationName: string;
  query: string;
  variables?: Record<string, unknown>;
}

export type OperationKey = 'users' | 'members' | 'apiKeys' | 'nodes' | 'dashboard';

const USERS_PAGE = /* GraphQL */ `
  query UsersPage {
    organization {
      users(first: 50) {
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
    }
  }
`;

const WORKSPACE_MEMBERS = /* GraphQL */ `
  query WorkspaceMembers {
    organization {
      workspaces(first: 10) {
        nodes {
          id
          name
          members(first: 50) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
        }
      }
    }
  }
`;

const API_KEYS = /* GraphQL */ `
  query ApiKeys {
    organization {
      apiKeys(first: 100) {
        nodes {
          id
          name
          status
          createdBy {
            user {
              name
            }
          }
          workspace {
            name
          }
        }
      }
    }
  }
`;

const MIXED_NODES = /* GraphQL */ `
  query MixedNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on User {
        name
        email
      }
      ... on Workspace {
        name
      }
      ... on ApiKey {
        name
        keyStatus: status
      }
      ... on Invite {
        email
        inviteStatus: status
      }
    }
  }
`;

export const DASHBOARD = /* GraphQL */ `
  query Dashboard {
    organization {
      name
      users(first: 50) {
        nodes {
          id
          name
          email
          role
        }
      }
      workspaces(first: 10) {
        nodes {
          id
          name
          members(first: 50) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
          apiKeys(first: 5, status: ACTIVE) {
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
`;

/** The access review, as GraphiQL shows it among its examples. */
export const ACCESS_REVIEW = ACCESS_REVIEW_EXAMPLE;

/** How many ids of each kind the `nodes` operation asks for (50 in all). */
export const NODE_MIX = { user: 16, workspace: 10, apiKey: 14, invite: 10 } as const;

const NODE_SEED = 0x0b_e7c4;

/**
 * 50 mixed ids taken from the sandbox store, in a seeded shuffled order: users, workspaces (the
 * Default Workspace and an archived one included), API keys and invites (a withdrawn one
 * included, which no list shows).
 */
export function mixedNodeIds(store: SandboxStore): string[] {
  const prng = new Prng(NODE_SEED);
  const pick = (ids: string[], count: number, required: string[] = []) => [
    ...required,
    ...prng
      .shuffle(ids.filter((id) => !required.includes(id)).sort())
      .slice(0, count - required.length),
  ];
  const users = pick([...store.users.keys()], NODE_MIX.user);
  const workspaces = pick([...store.workspaces.keys()], NODE_MIX.workspace, [
    FIXTURE_IDS.defaultWorkspace,
    FIXTURE_IDS.archivedWorkspace,
  ]);
  const apiKeys = pick([...store.apiKeys.keys()], NODE_MIX.apiKey);
  const invites = pick([...store.invites.keys()], NODE_MIX.invite, [
    FIXTURE_IDS.deletedInvite,
    FIXTURE_IDS.pendingInvite,
  ]);
  return prng.shuffle([...users, ...workspaces, ...apiKeys, ...invites]);
}

/** The five canonical operations, the `nodes` one with ids from this store. */
export function canonicalOperations(store: SandboxStore): CanonicalOperation[] {
  return [
    {
      key: 'users',
      title: 'Users page',
      nested: false,
      rounds: 1,
      operationName: 'UsersPage',
      query: USERS_PAGE,
    },
    {
      key: 'members',
      title: 'Workspaces → members → user',
      nested: true,
      rounds: 3,
      operationName: 'WorkspaceMembers',
      query: WORKSPACE_MEMBERS,
    },
    {
      key: 'apiKeys',
      title: 'API keys → creator, workspace',
      nested: true,
      rounds: 2,
      operationName: 'ApiKeys',
      query: API_KEYS,
    },
    {
      key: 'nodes',
      title: '`nodes` over 50 mixed ids',
      nested: false,
      rounds: 1,
      operationName: 'MixedNodes',
      query: MIXED_NODES,
      variables: { ids: mixedNodeIds(store) },
    },
    {
      key: 'dashboard',
      title: 'Dashboard',
      nested: true,
      rounds: 3,
      operationName: 'Dashboard',
      query: DASHBOARD,
    },
  ];
}

/**
 * The canonical access review (issue 11), over our gateway only: the GraphQL Mesh peer's OpenAPI
 * description has no service-account, RBAC or spend-limit paths, so it is not in
 * `canonicalOperations` (whose every entry the peer runs too). Its minimum is
 * `accessReviewMinimum` in bench/minimum.ts; test/economy/access-review.test.ts holds the gateway
 * to it. The service accounts need the OAuth token (`oauthToken`) besides the Admin key.
 */
export const ACCESS_REVIEW_OPERATION = {
  key: 'accessReview',
  title: 'Access review',
  nested: true,
  /** RBAC groups → members (the members' users, keys' principals and limits' users come from lists of round 1). */
  rounds: 2,
  operationName: 'AccessReview',
  query: ACCESS_REVIEW,
} as const satisfies Omit<CanonicalOperation, 'key'> & { key: string };
