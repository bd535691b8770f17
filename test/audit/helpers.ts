import type { Database } from '../../src/db/database.js';
import type { Harness } from '../support/harness.js';
import { postGraphQL } from '../support/harness.js';

/** Gateway tokens of the audit tests: one with every scope, one without `api_keys:write`. */
export const ADMIN_TOKEN = 'audit-admin-token-0123456789abcdef';
export const WRITER_TOKEN = 'audit-writer-token-0123456789abcdef';

export const TOKEN_AUTH = {
  mode: 'token' as const,
  tokens: [
    { name: 'ops', token: ADMIN_TOKEN, scopes: ['admin'] },
    { name: 'writer', token: WRITER_TOKEN, scopes: ['read', 'write'] },
  ],
};

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const UPDATE_KEY = `mutation Rename($input: UpdateApiKeyInput!) {
  updateApiKey(input: $input) { apiKey { id name } userErrors { code field } }
}`;

/** Every audit row of one gateway, oldest first, as stored (the raw row, all columns). */
export async function rowsOf(h: Harness): Promise<Record<string, unknown>[]> {
  await h.gateway.audit.flush();
  const database: Database = await h.gateway.database();
  return database.query(
    'SELECT * FROM audit_events WHERE instance_id = $1 ORDER BY occurred_at, id',
    [h.gateway.audit.instanceId],
  );
}

/** Posts a GraphQL operation to the harness's gateway. */
export function post(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = bearer(ADMIN_TOKEN),
) {
  return postGraphQL(h.endpoint, { query, variables }, headers);
}
