import { APIError } from '@anthropic-ai/sdk';
import { NOT_ENABLED_ERROR_TYPE, UpstreamError, toUpstreamError } from '../errors.js';
import type { Options, Organization } from './token-pages.js';

/*
 * The Admin API names the cause of some refusals in `error.details.error_code` (the SDK's
 * `errorCode`): `cannot_sign_out_owner`, `organization_not_enrolled_in_beta`, … The gateway's
 * UpstreamError keeps only `error.type`, so the calls of the families that branch on a code run
 * through `coded`, which keeps the code as the error's `errorType`. A beta the organization is not
 * enrolled in (`organization_not_enrolled_in_beta`, a 400 rather than a 404) becomes the same
 * NOT_ENABLED error as a gated 404.
 */

/** The `error_code` of an organization that has not been enrolled in a beta. */
export const NOT_ENROLLED_ERROR_CODE = 'organization_not_enrolled_in_beta';

type SdkPromise<T> = {
  withResponse(): Promise<{ data: T; request_id: string | null | undefined }>;
};
/** An SDK call as AdminApi's primitives run it, answering `R`. */
export type Run<R> = (org: Organization, opts: Options) => SdkPromise<R>;

/** The error an SDK failure is reported as, with its `error_code` kept (see above). */
function codedError(caught: unknown, feature: string | undefined): unknown {
  if (!(caught instanceof APIError) || typeof caught.errorCode !== 'string') return caught;
  const base = toUpstreamError(caught);
  const notEnrolled = caught.errorCode === NOT_ENROLLED_ERROR_CODE;
  return new UpstreamError({
    kind: base.kind,
    status: base.status,
    errorType: notEnrolled ? NOT_ENABLED_ERROR_TYPE : caught.errorCode,
    message: notEnrolled
      ? `The organization is not enabled for ${feature ?? 'this beta'} (the Admin API answered ${base.status ?? 400}: ${base.message})`
      : base.message,
    upstreamRequestId: base.upstreamRequestId,
    retryAfterSeconds: base.retryAfterSeconds,
  });
}

/**
 * An SDK call whose result is mapped to plain data (never an SDK page object, which the shared
 * cache must not hold) and whose refusals keep their `error_code`; `feature` names the beta a
 * not-enrolled refusal is about.
 */
export function coded<T>(
  call: (org: Organization, opts: Options) => SdkPromise<T>,
  map?: undefined,
  feature?: string,
): Run<T>;
export function coded<T, R>(
  call: (org: Organization, opts: Options) => SdkPromise<T>,
  map: (data: T) => R,
  feature?: string,
): Run<R>;
export function coded<T, R>(
  call: (org: Organization, opts: Options) => SdkPromise<T>,
  map?: (data: T) => R,
  feature?: string,
): Run<T | R> {
  return (org, opts) => ({
    withResponse: async () => {
      try {
        const { data, request_id } = await call(org, opts).withResponse();
        return { data: map ? map(data) : data, request_id };
      } catch (caught) {
        throw codedError(caught, feature);
      }
    },
  });
}

/** One page of a token-paged list as plain data. */
export interface PlainPage<T> {
  data: T[];
  next_page: string | null;
}

/** Keeps a `PageCursor` page's items and `next_page` only. */
export const plainPage = <T>(page: { data: T[]; next_page?: string | null }): PlainPage<T> => ({
  data: page.data,
  next_page: page.next_page ?? null,
});
