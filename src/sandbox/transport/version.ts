import { invalidRequest } from './errors.js';

/**
 * The Admin API versions the emulator answers, as the real API does: each request names one in
 * `anthropic-version`, and the answer takes that version's shapes. 2023-06-01 is the original
 * shape (API keys with `workspace_id`, null for the Default Workspace; principals `{id, type}`;
 * rate-limit `group_type`); 2026-10-21 is the one the SDK 1.x sends (keys with `scope` and
 * `*_actor` principals, workspaces with `user_profile_id`, `include_default` and `ids[]` on the
 * workspace list, rate-limit `group` and `source`, `include_inherited`). Any other value is a 400.
 */
export const API_VERSIONS = ['2023-06-01', '2026-10-21'] as const;

export type ApiVersion = (typeof API_VERSIONS)[number];

/** The version of a request, from its `anthropic-version` header; a 400 for an unknown one. */
export function apiVersionOf(header: string | undefined): ApiVersion {
  if (!header) throw invalidRequest('anthropic-version: header is required');
  const version = API_VERSIONS.find((known) => known === header);
  if (!version) {
    throw invalidRequest(
      `anthropic-version: '${header}' is not a valid version; use one of ${API_VERSIONS.join(', ')}.`,
    );
  }
  return version;
}

/** Whether a request speaks 2026-10-21 or later. */
export const speaks2026 = (version: ApiVersion) => version >= '2026-10-21';
