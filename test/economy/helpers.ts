import { expect } from 'vitest';
import type { Collection } from '../../src/upstream/read-cache.js';
import { postGraphQL, type GraphQLBody } from '../support/harness.js';

export const ALL_COLLECTIONS: Collection[] = [
  'organization',
  'users',
  'invites',
  'workspaces',
  'members',
  'apiKeys',
];

export interface CostExtension {
  estimatedUpstreamRequests: number;
  upstreamRequests: number;
  cacheHits: number;
  budget: {
    limit: number;
    remaining: number;
    resetAt: string;
    /** The caller's own share (its token, subject or credential). */
    caller?: { limit: number; remaining: number; resetAt: string; whole: boolean } | null;
  } | null;
}

/** Sends an operation and returns its data, errors and `extensions.cost`. */
export async function run(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLBody & { cost: CostExtension }> {
  const { body } = await postGraphQL(endpoint, { query, variables }, headers);
  const cost = (body as { extensions?: { cost?: CostExtension } }).extensions?.cost;
  expect(cost, JSON.stringify(body)).toBeDefined();
  return { ...body, cost: cost! };
}

export const DASHBOARD = /* GraphQL */ `
  query Dashboard {
    organization {
      name
      users(first: 10) {
        nodes {
          id
          name
          role
        }
      }
      workspaces(first: 5) {
        nodes {
          id
          name
          members(first: 10) {
            nodes {
              role
              user {
                id
                name
              }
            }
          }
          apiKeys(first: 5) {
            nodes {
              id
              name
              status
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
