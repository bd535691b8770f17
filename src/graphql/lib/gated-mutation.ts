import { NOT_ENABLED_ERROR_TYPE, UpstreamError } from '../../upstream/errors.js';
import {
  runMutation,
  type InputPaths,
  type MutationOptions,
  type UserErrorShape,
} from './user-error.js';

/**
 * runMutation for the mutations of a beta-gated family: an organization not enabled for the beta
 * fails the field with NOT_ENABLED (thrown, never a userError), and the Admin API's refusal, when
 * there was one, is handed back beside the userErrors (`failure`, with the `error_code` that
 * `coded` keeps as its `errorType`) so that the mutation can say more about it.
 */
export async function runGatedMutation<T>(
  paths: InputPaths,
  write: () => Promise<T>,
  options: MutationOptions<T> = {},
): Promise<{ result: T | null; userErrors: UserErrorShape[]; failure: UpstreamError | null }> {
  const seen: { failure: UpstreamError | null } = { failure: null };
  const outcome = await runMutation(
    paths,
    async () => {
      try {
        return await write();
      } catch (error) {
        if (error instanceof UpstreamError) seen.failure = error;
        throw error;
      }
    },
    options,
  );
  if (seen.failure?.errorType === NOT_ENABLED_ERROR_TYPE) throw seen.failure;
  return { ...outcome, failure: outcome.result === null ? seen.failure : null };
}
