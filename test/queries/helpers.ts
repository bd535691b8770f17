import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { formatTimestamp } from '../../src/sandbox/time.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';

export { formatTimestamp };

/** The Admin API's path prefix. */
export const API = '/v1/organizations';

/**
 * Starts one harness for the file and clears the sandbox's request log before every test.
 * Returns a getter, since the harness only exists once `beforeAll` ran.
 */
export function useHarness(): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(() => {
    harness?.resetCounts();
  });
  return () => {
    if (!harness) throw new Error('the harness is not started');
    return harness;
  };
}

/** Upstream calls since the last reset, as `GET /v1/organizations/users?limit=20`. */
export function calls(h: Harness): string[] {
  return h.upstream().map(describeRequest);
}

/** The upstream calls that went to exactly this path. */
export function callsTo(h: Harness, path: string): RecordedRequest[] {
  return h.upstream().filter((request) => request.path === path);
}

/** Sends a typed document as a raw request, to look at `errors`. */
export async function post<TResult, TVariables>(
  h: Harness,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables & Record<string, unknown>,
): Promise<GraphQLBody> {
  return (await postGraphQL(h.endpoint, { query: print(document), variables })).body;
}

export function errorCodes(body: GraphQLBody): unknown[] {
  return (body.errors ?? []).map((error) => error.extensions?.['code']);
}

/**
 * Asserts that a request was refused with BAD_USER_INPUT only, and that the gateway sent nothing
 * upstream for it.
 */
export function expectRefusedWithoutUpstream(h: Harness, body: GraphQLBody): void {
  const codes = errorCodes(body);
  expect(codes.length, JSON.stringify(body)).toBeGreaterThan(0);
  expect(new Set(codes)).toEqual(new Set(['BAD_USER_INPUT']));
  expect(calls(h)).toEqual([]);
}

/** `workspace_member:<wrkspc_…>:<user_…>` → its parts. */
export function parseMemberId(id: string): { workspaceId: string; userId: string } {
  const match = /^workspace_member:(wrkspc_[A-Za-z0-9]+):(user_[A-Za-z0-9]+)$/.exec(id);
  if (!match?.[1] || !match[2]) throw new Error(`not a workspace member id: ${id}`);
  return { workspaceId: match[1], userId: match[2] };
}

export const memberId = (workspaceId: string, userId: string) =>
  `workspace_member:${workspaceId}:${userId}`;

/** A cursor in the gateway's format holding an arbitrary payload (for forged-cursor tests). */
export const forgedCursor = (payload: string) =>
  Buffer.from(`cursor:${payload}`, 'utf8').toString('base64url');

/** A well-formed id of the given prefix that no object has. */
export const unknownId = (prefix: string) => `${prefix}01NoSuchObjectAnywhere0000`;

/** Relay page arguments. */
export interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

export interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: PageInfoShape;
}

export function expectNoDuplicates(ids: readonly string[]): void {
  const seen = new Set<string>();
  const repeated = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  expect(repeated).toEqual([]);
}
