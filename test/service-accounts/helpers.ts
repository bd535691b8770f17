import { afterAll, beforeAll, beforeEach } from 'vitest';
import { serviceAccountIdByName } from '../../src/sandbox/resources/service-accounts.js';
import type { GatewayConfig } from '../../src/config/config.js';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
} from '../support/harness.js';

export const API = '/v1/organizations';

/** The seeded service accounts' ids, by name. */
export function seeded(h: Harness) {
  const id = (name: string) => serviceAccountIdByName(h.sandbox.store, name);
  return {
    deploy: id('ci-deploy-bot'),
    pipeline: id('data-pipeline'),
    evals: id('eval-runner'),
    platform: id('platform-admin-bot'),
    archived: id('legacy-importer'),
  };
}

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

/** Upstream calls since the last reset, as `GET /v1/organizations/users?limit=20`. */
export const calls = (h: Harness) => h.upstream().map(describeRequest);

export async function gql(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLBody> {
  return (await postGraphQL(h.endpoint, { query, variables }, headers)).body;
}
