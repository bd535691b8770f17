import type { AdminApi } from '../admin-api.js';

/** An SDK call as AdminApi's cached read takes it. */
export type SdkRun = Parameters<AdminApi['read']>[3];
type Organization = Parameters<SdkRun>[0];
type Options = Parameters<SdkRun>[1];

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
): SdkRun {
  return (org, opts) => ({
    withResponse: async () => {
      const { data, request_id } = await list(org, opts).withResponse();
      return { data: { data: data.data, next_page: data.next_page ?? null }, request_id };
    },
  });
}
