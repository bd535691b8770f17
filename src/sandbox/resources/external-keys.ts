import { ApiError, invalidRequest, notFound } from '../transport/errors.js';
import { newestFirst } from '../transport/pagination.js';
import {
  enumField,
  fieldValue,
  has,
  isObject,
  objectBody,
  stringField,
  type JsonObject,
} from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import { Rng } from '../random.js';
import { EXTERNAL_KEY_IDS } from '../seed.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, formatTimestamp, type Micros } from '../time.js';
import { externalTokenPage, nestedField } from './external-pages.js';

/*
 * External keys (CMEK key configurations, EXTENDED.md §5). Stateful: creates, updates and deletes
 * change what lists and gets return, and the store's set of key ids that workspaces may reference
 * (`external_key_id`) follows them. Strict: unknown ids 404, bad fields 400 naming the field,
 * `geo` and `provider_config` frozen while a workspace references the key, a Google Cloud key's
 * provider and `key_name` frozen always, delete refused (400 `external_key_in_workspace_policy`)
 * while a workspace references the key, page tokens bound to their query. `validate` answers at
 * once (the real one waits up to 30 s for the KMS): `failure` for a key whose name or ARN contains
 * `unreachable`, `success` otherwise. State lives here, per store, reseeded after a reset.
 */

const SEED = 0x0e4e7ce1;
const PROVIDERS = ['aws', 'gcp', 'azure'] as const;
type ProviderConfig =
  | { type: 'aws'; kms_arn: string; region: string | null; role_arn: string | null }
  | { type: 'gcp'; key_name: string }
  | {
      type: 'azure';
      key_name: string;
      tenant_id: string;
      vault_uri: string;
      client_id: string | null;
    };

interface KeyRecord {
  id: string;
  displayName: string | null;
  geo: string;
  providerConfig: ProviderConfig;
  userProfileId: string | null;
  createdAt: Micros;
  updatedAt: Micros;
}

interface KeyState {
  seededFor: object;
  rng: Rng;
  keys: Map<string, KeyRecord>;
}

const states = new WeakMap<SandboxStore, KeyState>();

function seed(store: SandboxStore): KeyState {
  const anchor = store.clock.anchor;
  const at = (daysAgo: number) => anchor - daysAgo * MICROS_PER_DAY;
  const configs: [string | null, ProviderConfig, number][] = [
    [
      'Production CMK (AWS KMS)',
      {
        type: 'aws',
        kms_arn: 'arn:aws:kms:us-east-1:111122223333:key/abcd1234-5678-90ab-cdef-000011112222',
        region: 'us-east-1',
        role_arn: 'arn:aws:iam::111122223333:role/anthropic-cmek',
      },
      120,
    ],
    [
      'Research key (Cloud KMS)',
      {
        type: 'gcp',
        key_name: 'projects/northwind-research/locations/us/keyRings/claude/cryptoKeys/research',
      },
      60,
    ],
    [
      null,
      {
        type: 'azure',
        key_name: 'claude-cmek',
        tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        vault_uri: 'https://northwind.vault.azure.net',
        client_id: null,
      },
      7,
    ],
  ];
  const keys = new Map<string, KeyRecord>();
  EXTERNAL_KEY_IDS.forEach((id, index) => {
    const [displayName, providerConfig, daysAgo] = configs[index] as (typeof configs)[number];
    keys.set(id, {
      id,
      displayName,
      geo: 'us',
      providerConfig,
      userProfileId: null,
      createdAt: at(daysAgo),
      updatedAt: at(daysAgo),
    });
  });
  return { seededFor: store.organization, rng: new Rng(SEED), keys };
}

function stateOf(store: SandboxStore): KeyState {
  let state = states.get(store);
  if (!state || state.seededFor !== store.organization) {
    state = seed(store);
    states.set(store, state);
  }
  return state;
}

/** The workspaces (archived ones included) whose `external_key_id` names the key. */
function referencing(store: SandboxStore, id: string): string[] {
  return [...store.workspaces.values()].filter((ws) => ws.externalKeyId === id).map((ws) => ws.id);
}

function render(store: SandboxStore, key: KeyRecord): unknown {
  return {
    id: key.id,
    attachment: { type: referencing(store, key.id).length > 0 ? 'attached' : 'unattached' },
    created_at: formatTimestamp(key.createdAt),
    display_name: key.displayName,
    geo: key.geo,
    provider_config: key.providerConfig,
    type: 'external_key',
    updated_at: formatTimestamp(key.updatedAt),
    user_profile_id: key.userProfileId,
  };
}

function requireKey(state: KeyState, id: string | undefined): KeyRecord {
  const key = id === undefined ? undefined : state.keys.get(id);
  if (!key) throw notFound('No external key with the given ID exists in this organization.');
  return key;
}

const optionalString = (body: JsonObject, field: string) =>
  stringField(body, field, { nullable: true, minLength: 1, maxLength: 2048 }) ?? null;

function providerConfigParam(value: unknown): ProviderConfig {
  if (!isObject(value)) throw invalidRequest('provider_config: Input should be an object');
  return nestedField('provider_config', () => {
    const type = enumField(value, 'type', PROVIDERS, {
      required: true,
    }) as (typeof PROVIDERS)[number];
    if (type === 'aws') {
      const body = objectBody(value, ['type', 'kms_arn', 'region', 'role_arn']);
      const kmsArn = stringField(body, 'kms_arn', { required: true }) as string;
      if (!/^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(kmsArn)) {
        throw invalidRequest('kms_arn: must be the ARN of a KMS key or alias');
      }
      const roleArn = optionalString(body, 'role_arn');
      if (roleArn !== null && !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+$/.test(roleArn)) {
        throw invalidRequest('role_arn: must be the ARN of an IAM role');
      }
      return { type, kms_arn: kmsArn, region: optionalString(body, 'region'), role_arn: roleArn };
    }
    if (type === 'gcp') {
      const body = objectBody(value, ['type', 'key_name']);
      const keyName = stringField(body, 'key_name', { required: true }) as string;
      if (
        !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(keyName)
      ) {
        throw invalidRequest(
          'key_name: must be projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}',
        );
      }
      return { type, key_name: keyName };
    }
    const body = objectBody(value, ['type', 'key_name', 'tenant_id', 'vault_uri', 'client_id']);
    const vaultUri = stringField(body, 'vault_uri', { required: true }) as string;
    if (!/^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/?$/.test(vaultUri)) {
      throw invalidRequest('vault_uri: must be https://{vault}.vault.azure.net');
    }
    return {
      type,
      key_name: stringField(body, 'key_name', { required: true, minLength: 1 }) as string,
      tenant_id: stringField(body, 'tenant_id', { required: true, minLength: 1 }) as string,
      vault_uri: vaultUri,
      client_id: optionalString(body, 'client_id'),
    };
  });
}

const byCreated = newestFirst<KeyRecord>(
  (key) => key.createdAt,
  (key) => key.id,
);

const ROOT = '/v1/organizations/external_keys';

/** A refusal because workspaces reference the key, named as the Admin API names it. */
function inUse(ids: string[], action: string): ApiError {
  return new ApiError(
    400,
    `This external key is referenced by ${ids.length} workspace(s) (${ids.join(', ')}); ${action}`,
    { details: { error_code: 'external_key_in_workspace_policy' } },
  );
}

export const externalKeyRoutes: Route[] = [
  route('POST', ROOT, ({ store, body }) => {
    const state = stateOf(store);
    const input = objectBody(body, ['provider_config', 'display_name', 'geo', 'user_profile_id']);
    const providerConfig = providerConfigParam(
      fieldValue(input, 'provider_config', { required: true }),
    );
    const displayName =
      stringField(input, 'display_name', { nullable: true, maxLength: 255 }) ?? null;
    const geo = enumField(input, 'geo', ['us'] as const) ?? 'us';
    const userProfileId = stringField(input, 'user_profile_id', { nullable: true }) ?? null;
    if (userProfileId !== null) throw notFound(`user_profile_id: no user profile ${userProfileId}`);
    const at = store.tick();
    const key: KeyRecord = {
      id: state.rng.id('ekey_'),
      displayName,
      geo,
      providerConfig,
      userProfileId,
      createdAt: at,
      updatedAt: at,
    };
    state.keys.set(key.id, key);
    store.externalKeyIds.add(key.id);
    return render(store, key);
  }),

  route('GET', ROOT, ({ store, query }) => {
    const state = stateOf(store);
    const items = [...state.keys.values()].sort(byCreated);
    return externalTokenPage(
      store,
      'external_keys',
      query,
      items,
      (key) => key.id,
      (key) => render(store, key),
    );
  }),

  route('GET', `${ROOT}/:external_key_id`, ({ store, params }) =>
    render(store, requireKey(stateOf(store), params['external_key_id'])),
  ),

  route('POST', `${ROOT}/:external_key_id`, ({ store, params, body }) => {
    const key = requireKey(stateOf(store), params['external_key_id']);
    const input = objectBody(body, ['display_name', 'geo', 'provider_config']);
    const providerConfig =
      has(input, 'provider_config') && input['provider_config'] !== null
        ? providerConfigParam(input['provider_config'])
        : undefined;
    const geo = enumField(input, 'geo', ['us'] as const, { nullable: true });
    const frozen = referencing(store, key.id);
    if ((providerConfig !== undefined || geo != null) && frozen.length > 0) {
      throw inUse(frozen, 'geo and provider_config cannot change while a workspace references it.');
    }
    if (providerConfig !== undefined && key.providerConfig.type === 'gcp') {
      const same =
        providerConfig.type === 'gcp' && providerConfig.key_name === key.providerConfig.key_name;
      if (!same) {
        throw invalidRequest(
          "provider_config: a Google Cloud key's provider and key_name cannot be changed",
        );
      }
    }
    if (has(input, 'display_name')) {
      key.displayName =
        stringField(input, 'display_name', { nullable: true, maxLength: 255 }) ?? null;
    }
    if (geo != null) key.geo = geo;
    if (providerConfig !== undefined) key.providerConfig = providerConfig;
    key.updatedAt = store.tick();
    return render(store, key);
  }),

  route('DELETE', `${ROOT}/:external_key_id`, ({ store, params }) => {
    const state = stateOf(store);
    const key = requireKey(state, params['external_key_id']);
    const used = referencing(store, key.id);
    if (used.length > 0) {
      throw inUse(used, 'set those workspaces to another key before deleting this one.');
    }
    state.keys.delete(key.id);
    store.externalKeyIds.delete(key.id);
    return { id: key.id, type: 'external_key_deleted' };
  }),

  route('POST', `${ROOT}/:external_key_id/validate`, ({ store, params, body }) => {
    const key = requireKey(stateOf(store), params['external_key_id']);
    objectBody(body, []);
    const name =
      key.providerConfig.type === 'aws' ? key.providerConfig.kms_arn : key.providerConfig.key_name;
    const failed = name.includes('unreachable');
    return {
      error: failed ? 'The KMS did not answer the encrypt request within 30 seconds.' : null,
      status: failed ? 'failure' : 'success',
      type: 'external_key_validation',
    };
  }),
];

/** The provider of a key configuration of the emulated organization (`gcp`, …), or null. */
export function externalKeyProvider(store: SandboxStore, id: string): string | null {
  return stateOf(store).keys.get(id)?.providerConfig.type ?? null;
}
