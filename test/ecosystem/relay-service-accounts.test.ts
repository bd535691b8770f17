// The Relay sample's service-account fragment (examples/frontend/src/relay/ServiceAccountList.ts):
// the committed AppQuery artifact, as relay-compiler wrote it, runs against a harness gateway and
// brings the service accounts with one upstream list call sent with the OAuth token.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describe as describeRequest,
  postGraphQL,
  startHarness,
  type Harness,
} from '../support/harness.js';

const ARTIFACTS = new URL('../../examples/frontend/src/relay/__generated__/', import.meta.url);

/** The operation text relay-compiler put into a request artifact (`params.text`). */
function operationText(artifact: string): string {
  const match = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact);
  if (!match?.[1]) throw new Error('no operation text in the artifact');
  return JSON.parse(match[1]) as string;
}

interface ServiceAccountPage {
  serviceAccounts: {
    nodes: { id: string; name: string; organizationRole: string; isArchived: boolean }[];
    pageInfo: { hasNextPage: boolean };
  };
}

describe('the Relay sample’s ServiceAccountList_organization fragment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('is typed by its committed artifact, with the schema’s roles as a union', async () => {
    const fragment = await readFile(
      new URL('ServiceAccountList_organization.graphql.ts', ARTIFACTS),
      'utf8',
    );
    expect(fragment).toContain('export type ServiceAccountList_organization$data');
    expect(fragment).toContain('"DEVELOPER"');
    const page = await readFile(new URL('AppQuery.graphql.ts', ARTIFACTS), 'utf8');
    expect(page).toContain(
      'FragmentRefs<"ServiceAccountList_organization" | "WorkspaceList_organization">',
    );
  });

  it('runs in the committed AppQuery: the service accounts with one OAuth list call', async () => {
    const query = operationText(await readFile(new URL('AppQuery.graphql.ts', ARTIFACTS), 'utf8'));
    h.resetCounts();
    const { body } = await postGraphQL(h.endpoint, {
      query,
      variables: { workspaceCount: 1, memberCount: 1, serviceAccountCount: 2 },
    });
    expect(body.errors).toBeUndefined();
    const organization = body.data?.organization as ServiceAccountPage;
    expect(organization.serviceAccounts.nodes.map((account) => account.name)).toEqual([
      'platform-admin-bot',
      'eval-runner',
    ]);
    expect(organization.serviceAccounts.pageInfo.hasNextPage).toBe(true);
    const calls = h.upstream().filter((request) => request.path.includes('/service_accounts'));
    expect(calls.map(describeRequest)).toEqual([
      'GET /v1/organizations/service_accounts?include_archived=false&limit=2',
    ]);
    expect(calls.map((request) => request.credential)).toEqual(['oauth']);
  });
});
