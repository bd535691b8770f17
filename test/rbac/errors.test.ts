import { APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { codeForUpstream } from '../../src/graphql/lib/errors.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { UpstreamError } from '../../src/upstream/errors.js';
import { rbacFailure } from '../../src/upstream/resources/rbac.js';
import { API, RBAC, calls, gql, useHarness } from './helpers.js';

/** An SDK error as the SDK builds it from an Admin API answer with `error.details.error_code`. */
const sdkError = (status: number, errorCode: string, message: string) =>
  APIError.generate(
    status,
    {
      type: 'error',
      error: { type: 'invalid_request_error', message, details: { error_code: errorCode } },
    },
    message,
    new Headers({ 'request-id': 'req_01test' }),
  );

describe('error codes of the RBAC family', () => {
  it('an organization that is not Claude Enterprise makes the field NOT_ENABLED', () => {
    for (const code of ['organization_type_not_supported', 'parent_organization_required']) {
      const error = rbacFailure(sdkError(400, code, 'Not available for this organization type.'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(codeForUpstream(error as UpstreamError)).toBe('NOT_ENABLED');
      expect((error as UpstreamError).message).toContain('Claude Enterprise');
      expect((error as UpstreamError).upstreamRequestId).toBe('req_01test');
    }
  });

  it('other codes are kept as the error type; errors without a code pass unchanged', () => {
    const owner = rbacFailure(sdkError(400, 'rbac_group_grants_owner_access', 'Owner access.'));
    expect(owner).toMatchObject({ status: 400, errorType: 'rbac_group_grants_owner_access' });
    expect(codeForUpstream(owner as UpstreamError)).toBe('BAD_USER_INPUT');
    const plain = new Error('boom');
    expect(rbacFailure(plain)).toBe(plain);
  });
});

describe('writes whose answer was lost', () => {
  const harness = useHarness();

  it('a delete that was carried out is read back as done', async () => {
    const h = harness();
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'DELETE' });
    const body = await gql(
      h,
      `mutation { deleteRbacGroup(input: { rbacGroupId: "${RBAC.supportGroup}" }) { deletedRbacGroupId userErrors { code } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      deleteRbacGroup: { deletedRbacGroupId: RBAC.supportGroup, userErrors: [] },
    });
    expect(calls(h)).toEqual([
      `DELETE ${API}/rbac_groups/${RBAC.supportGroup}`,
      `GET ${API}/rbac_groups/${RBAC.supportGroup}`,
    ]);
  });

  it('a member add that was carried out is read back; one that was not is UPSTREAM_OUTCOME_UNKNOWN', async () => {
    const h = harness();
    const add = `mutation { addRbacGroupMember(input: { rbacGroupId: "${RBAC.supportGroup}", userId: "${FIXTURE_IDS.developerUser}" }) { rbacGroupMember { userId } userErrors { code } } }`;
    h.sandbox.injectFault({ kind: 'reset', handle: true, method: 'POST' });
    const done = await gql(h, add);
    expect(done.data).toEqual({
      addRbacGroupMember: {
        rbacGroupMember: { userId: FIXTURE_IDS.developerUser },
        userErrors: [],
      },
    });
    h.sandbox.reset();
    h.sandbox.injectFault({ kind: 'reset', handle: false, method: 'POST' });
    const lost = await gql(h, add);
    expect(lost.errors?.[0]?.extensions?.code).toBe('UPSTREAM_OUTCOME_UNKNOWN');
  });
});
