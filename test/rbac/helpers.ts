import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { GatewayConfig } from '../../src/config/config.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';

export { RBAC_FIXTURE_IDS as RBAC } from '../../src/sandbox/resources/rbac.js';

export const API = '/v1/organizations';

/** Well-formed ids that name nothing in the sandbox. */
export const MISSING_GROUP = 'rbac_group_01ZZZZZZZZZZZZZZZZZZZZZZ';
export const MISSING_ROLE = 'rbac_role_01ZZZZZZZZZZZZZZZZZZZZZZ';

/**
 * One harness for the file; the sandbox is reseeded and its request log cleared before every
 * test, so that writes of one test are not seen by the next.
 */
export function useHarness(config: Partial<GatewayConfig> = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness({ config });
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(() => {
    harness?.sandbox.reset();
    harness?.resetCounts();
  });
  return () => {
    if (!harness) throw new Error('the harness is not started');
    return harness;
  };
}

/** Upstream calls since the last reset, as `GET /v1/organizations/rbac_groups?limit=20`. */
export const calls = (h: Harness) => h.upstream().map(describeRequest);

export async function gql(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLBody> {
  return (await postGraphQL(h.endpoint, { query, variables }, headers)).body;
}
