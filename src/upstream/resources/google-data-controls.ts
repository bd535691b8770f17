import type {
  BetaGoogleManagedProjectDataControls,
  DataControlUpdateParams,
} from '@anthropic-ai/sdk/resources/beta/organization/providers/google/projects/data-controls';
import type { AdminApi } from '../admin-api.js';
import { coded } from './coded-errors.js';
import type { UpstreamOperation } from '../upstream.js';

/*
 * Google data controls (beta `google-managed-data-controls-2026-09-01`, which the SDK sends
 * itself): the encryption keys and storage buckets set per region for a Google Cloud project
 * whose ownership the organization proved, for Claude on Google Cloud's Agent Platform. Keyed by
 * the project number, checked as decimal digits before it reaches a URL. The read takes the
 * gateway's Admin API key. The update refuses an Admin API key (403): it needs a credential that
 * identifies a user or a service account, so it is an OAuth operation (`credential: 'oauth'`,
 * the caller's bearer token or ANTHROPIC_OAUTH_TOKEN; CREDENTIAL_MISSING without one).
 */

export type GoogleDataControls = BetaGoogleManagedProjectDataControls;
export type GoogleDataControlsUpdateBody = Omit<DataControlUpdateParams, 'betas'>;

/** The beta the endpoints belong to. */
export const GOOGLE_DATA_CONTROLS_BETA = 'google-managed-data-controls-2026-09-01';

/** A Google Cloud project number: decimal digits (Google's are 12 today). */
export const PROJECT_NUMBER = /^[0-9]{1,20}$/;

/** A project number that is not one; no upstream call was made for it. */
export class InvalidProjectNumberError extends Error {
  override name = 'InvalidProjectNumberError';
  constructor(readonly value: string) {
    super(
      `${JSON.stringify(value.slice(0, 100))} is not a Google Cloud project number (decimal digits).`,
    );
  }
}

/** Returns the project number unchanged, or throws InvalidProjectNumberError. */
export function checkProjectNumber(value: string): string {
  if (!PROJECT_NUMBER.test(value)) throw new InvalidProjectNumberError(value);
  return value;
}

const COLLECTION = 'googleDataControls' as const;
const entity = (projectNumber: string) => `entity:${projectNumber}`;

const RETRIEVE: UpstreamOperation = {
  name: 'google_data_controls.get',
  method: 'GET',
  write: false,
};
const UPDATE: UpstreamOperation = {
  name: 'google_data_controls.update',
  method: 'POST',
  write: true,
  credential: 'oauth',
};

export function getGoogleDataControls(
  api: AdminApi,
  projectNumber: string,
): Promise<GoogleDataControls> {
  checkProjectNumber(projectNumber);
  return api.read<GoogleDataControls>(COLLECTION, entity(projectNumber), RETRIEVE, (org, opts) =>
    org.providers.google.projects.dataControls.retrieve(projectNumber, {}, opts),
  );
}

/**
 * Changes a project's controls; what is left out stays. Refusals keep their `error_code`
 * (`gcp_project_not_verified`, `external_key_not_found`, …) as the error type.
 */
export function updateGoogleDataControls(
  api: AdminApi,
  projectNumber: string,
  body: GoogleDataControlsUpdateBody,
): Promise<GoogleDataControls> {
  checkProjectNumber(projectNumber);
  return api.write<GoogleDataControls>(
    UPDATE,
    coded((org, opts) =>
      org.providers.google.projects.dataControls.update(projectNumber, body, opts),
    ),
    [COLLECTION],
    (controls) => [COLLECTION, controls.project_number],
  );
}
