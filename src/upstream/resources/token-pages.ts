import type { SdkCall } from '../upstream.js';

/** An SDK call as AdminApi's cached read takes it, answering `T`. */
export type SdkRun<T = unknown> = SdkCall<T>;
export type Organization = Parameters<SdkRun>[0];
export type Options = Parameters<SdkRun>[1];

/**
 * Runs an SDK list call that pages with tokens (`PageCursor`) and keeps only its page's data and
 * `next_page` (null at the end), so that what the read cache stores is plain data.
 */
export function plainPage<T>(
  list: (
    org: Organization,
    opts: Options,
  ) => {
    withResponse(): Promise<{
      data: { data: T[]; next_page: string | null };
      request_id: string | null | undefined;
    }>;
  },
): SdkRun<{ data: T[]; next_page: string | null }> {
  return (org, opts) => ({
    withResponse: async () => {
      const { data, request_id } = await list(org, opts).withResponse();
      return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
    },
  });
}
