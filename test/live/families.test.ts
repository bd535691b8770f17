import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/domain/scopes.js';
import { LIVE_FAMILIES, LIVE_FAMILY_KEYS, type LiveFamilyKey } from '../../src/live/families.js';
import {
  DEFAULT_SANDBOX_KEY,
  DEFAULT_SANDBOX_OAUTH_TOKEN,
  FIXTURE_IDS,
  type Sandbox,
} from '../../src/sandbox/index.js';
import { rbacState } from '../../src/sandbox/resources/rbac.js';
import { gatewayCredential } from '../../src/upstream/credentials.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';
import { liveConfig, sseSubscribe, subscribed, type Change, type Received } from './helpers.js';

/*
 * Every family the live graph watches, in one table: an out-of-band change (another admin, the
 * Console) reaches a subscriber as a typed event of the family's kind carrying its node, and a
 * caller without the family's scopes receives none of its events.
 */

const READER = 'families-reader-token-00000000';
const ADMIN = 'families-admin-token-000000000';

/** The query of this test: the node's own type, to prove that the node resolves as its type. */
const TYPED_CHANGES = /* GraphQL */ `
  subscription TypedChanges($filter: OrganizationChangesFilter) {
    organizationChanges(filter: $filter) {
      id
      type
      kind
      nodeId
      changedFields
      workspaceId
      node {
        __typename
        id
      }
    }
  }
`;

/** A request made directly to the emulator (not through the gateway). */
async function direct(
  sandbox: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: Record<string, unknown>; oauth?: boolean } = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.url}/v1/organizations${path}`, {
    method,
    headers: {
      ...(options.oauth
        ? { authorization: `Bearer ${DEFAULT_SANDBOX_OAUTH_TOKEN}` }
        : { 'x-api-key': DEFAULT_SANDBOX_KEY }),
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

/** The first object a list shows that `pick` accepts (the first one when none is given). */
async function first(
  sandbox: Sandbox,
  path: string,
  options: { oauth?: boolean; pick?: (record: Record<string, unknown>) => boolean } = {},
): Promise<Record<string, unknown>> {
  const page = await direct(sandbox, 'GET', path, options);
  const found = (page.data as Record<string, unknown>[]).find(options.pick ?? (() => true));
  if (!found) throw new Error(`sandbox GET ${path}: nothing to change`);
  return found;
}

const notArchived = (record: Record<string, unknown>) => !record.archived_at;
const idOf = (record: Record<string, unknown>) => String(record.id);

/**
 * For each family: one change made elsewhere, answering the id of the object it changed (or
 * created). A new family fails this test until it has a row.
 */
const CHANGES: Record<LiveFamilyKey, (sandbox: Sandbox) => Promise<string>> = {
  user: async (s) =>
    idOf(
      await direct(s, 'POST', `/users/${FIXTURE_IDS.userUser}`, { body: { role: 'developer' } }),
    ),
  invite: async (s) =>
    idOf(
      await direct(s, 'POST', '/invites', {
        body: { email: 'families@example.com', role: 'user' },
      }),
    ),
  workspace: async (s) =>
    idOf(
      await direct(s, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
        body: { name: 'Renamed by another admin' },
      }),
    ),
  workspaceMember: async (s) => {
    const members = `/workspaces/${FIXTURE_IDS.productionWorkspace}/members`;
    const member = await first(s, members, {
      pick: (m) => m.workspace_role === 'workspace_user' && m.user_id !== FIXTURE_IDS.userUser,
    });
    await direct(s, 'POST', `${members}/${String(member.user_id)}`, {
      body: { workspace_role: 'workspace_developer' },
    });
    return `workspace_member:${FIXTURE_IDS.productionWorkspace}:${String(member.user_id)}`;
  },
  apiKey: async (s) =>
    idOf(
      await direct(s, 'POST', `/api_keys/${FIXTURE_IDS.activeApiKey}`, {
        body: { name: 'renamed elsewhere' },
      }),
    ),
  serviceAccount: async (s) =>
    idOf(
      await direct(s, 'POST', '/service_accounts', {
        body: { name: 'created-elsewhere' },
        oauth: true,
      }),
    ),
  federationIssuer: async (s) => {
    const issuer = await first(s, '/federation_issuers', { oauth: true, pick: notArchived });
    return idOf(
      await direct(s, 'POST', `/federation_issuers/${idOf(issuer)}`, {
        body: { name: 'renamed-elsewhere' },
        oauth: true,
      }),
    );
  },
  federationRule: async (s) => {
    const rule = await first(s, '/federation_rules', { oauth: true, pick: notArchived });
    return idOf(
      await direct(s, 'POST', `/federation_rules/${idOf(rule)}`, {
        body: { description: 'Changed by another admin' },
        oauth: true,
      }),
    );
  },
  webhook: async (s) => {
    const webhook = await first(s, '/webhooks');
    return idOf(
      await direct(s, 'POST', `/webhooks/${idOf(webhook)}`, {
        body: { description: 'Changed by another admin' },
      }),
    );
  },
  rbacGroup: async (s) =>
    idOf(await direct(s, 'POST', '/rbac_groups', { body: { name: 'Created elsewhere' } })),
  rbacRole: async (s) => {
    // Roles are read-only through the Admin API: a custom role edited in the Console.
    const role = [...rbacState(s.store).roles.values()].find((r) => r.source === 'custom')!;
    role.displayName = 'Edited in the Console';
    role.updatedAt = s.store.tick();
    return role.id;
  },
  spendLimit: async (s) =>
    idOf(
      await direct(s, 'POST', '/spend_limits', {
        body: {
          scope: { type: 'workspace', workspace_id: FIXTURE_IDS.defaultWorkspace },
          amount: '123400',
        },
      }),
    ),
  telemetryDestination: async (s) => {
    const destination = await first(s, '/telemetry_destinations');
    return idOf(
      await direct(s, 'POST', `/telemetry_destinations/${idOf(destination)}`, {
        body: { display_name: 'Changed by another admin' },
      }),
    );
  },
  plugin: async (s) => {
    // Another admin changes the organization's installation preference of a plugin it owns.
    const plugin = await first(s, '/plugins', {
      pick: (p) => (p.owner as { type?: unknown }).type === 'organization',
    });
    const preference =
      plugin.organization_installation_preference === 'required' ? 'available' : 'required';
    await direct(s, 'POST', `/plugins/${idOf(plugin)}/installation_settings/organization`, {
      body: { installation_preference: preference },
    });
    return idOf(plugin);
  },
  pluginMarketplace: async (s) => {
    const marketplace = await first(s, '/plugin_marketplaces', {
      pick: (m) => (m.owner as { type?: unknown }).type === 'organization',
    });
    const preference =
      marketplace.default_installation_preference === 'available' ? 'not_available' : 'available';
    return idOf(
      await direct(s, 'POST', `/plugin_marketplaces/${idOf(marketplace)}`, {
        body: { default_installation_preference: preference },
      }),
    );
  },
  claudeTagSlackWorkspace: async (s) => {
    const workspace = await first(s, '/claude_tag/slack_workspaces');
    return idOf(
      await direct(s, 'POST', `/claude_tag/slack_workspaces/${idOf(workspace)}`, {
        body: { settings: { instructions: 'Changed by another admin' } },
      }),
    );
  },
  claudeTagBundle: async (s) => {
    // Some bundles can be edited in claude.ai only: the first one this API may edit.
    const bundles = (await direct(s, 'GET', '/claude_tag/bundles')).data as Record<
      string,
      unknown
    >[];
    for (const bundle of bundles) {
      const answer = await direct(s, 'POST', `/claude_tag/bundles/${idOf(bundle)}`, {
        body: { instructions: 'Changed by another admin' },
      }).catch(() => null);
      if (answer) return idOf(answer);
    }
    throw new Error('no bundle this API may edit');
  },
  externalKey: async (s) =>
    idOf(
      await direct(s, 'POST', `/external_keys/${FIXTURE_IDS.externalKey}`, {
        body: { display_name: 'Changed by another admin' },
      }),
    ),
  externalStorage: async (s) => {
    const storage = await first(s, '/external_storage');
    return idOf(
      await direct(s, 'POST', `/external_storage/${idOf(storage)}`, {
        body: { display_name: 'Changed by another admin' },
      }),
    );
  },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    config: {
      live: liveConfig(),
      upstreamTimeoutMs: 60_000,
      auth: {
        mode: 'token',
        tokens: [
          { name: 'reader', token: READER, scopes: ['read'] },
          { name: 'admin', token: ADMIN, scopes: ['admin'] },
        ],
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('organizationChanges watches every family', () => {
  it('an out-of-band change of each family reaches a subscriber as a typed event, and only callers with its scopes', async () => {
    const subscribe = (token: string): Promise<Received> =>
      sseSubscribe(h.endpoint, {}, { authorization: `Bearer ${token}` }, TYPED_CHANGES);
    const admin = await subscribe(ADMIN);
    const reader = await subscribe(READER);
    try {
      await subscribed(h.gateway, 2);
      await h.gateway.live!.pollNow(); // the baseline of every list
      const changed = new Map<LiveFamilyKey, string>();
      for (const family of LIVE_FAMILY_KEYS) changed.set(family, await CHANGES[family](h.sandbox));
      await h.gateway.live!.pollNow();

      for (const family of LIVE_FAMILY_KEYS) {
        const spec = LIVE_FAMILIES[family];
        const nodeId = changed.get(family)!;
        const event = await admin.waitFor(
          (change: Change) => change.kind === spec.name && change.nodeId === nodeId,
        );
        expect(['CREATED', 'UPDATED'], family).toContain(event.type);
        expect(event.node, family).toEqual({ __typename: spec.typename, id: nodeId });
      }
      // Events reach every subscriber in the same order: once the reader has the last event it
      // may see, it has had every earlier one.
      const readable = admin.changes.filter(
        (change) =>
          LIVE_FAMILIES[familyOfKind(change.kind)].readScopes.length === 0 && change.kind !== null,
      );
      await reader.waitFor((change) => change.id === readable.at(-1)!.id);
      for (const family of LIVE_FAMILY_KEYS) {
        const spec = LIVE_FAMILIES[family];
        const seen = reader.changes.filter((change) => change.kind === spec.name);
        if (spec.readScopes.length > 0) expect(seen, family).toEqual([]);
        else
          expect(
            seen.map((change) => change.nodeId),
            family,
          ).toContain(changed.get(family));
      }
      expect(admin.errors).toEqual([]);
      expect(reader.errors).toEqual([]);
    } finally {
      admin.close();
      reader.close();
    }
  }, 60_000);
});

function familyOfKind(kind: string | null): LiveFamilyKey {
  return LIVE_FAMILY_KEYS.find((key) => LIVE_FAMILIES[key].name === kind)!;
}

describe('a write through the gateway that answers a secret once', () => {
  it('publishes the new webhook at once, without its signing secret', async () => {
    const iterator = await h.gateway.live!.subscribe(
      { scopes: ALL_SCOPES, credential: gatewayCredential(DEFAULT_SANDBOX_KEY) },
      { families: ['webhook'] },
      null,
    );
    try {
      await h.gateway.live!.pollNow();
      const created = await postGraphQL(
        h.endpoint,
        {
          query: `mutation { createWebhook(input: { url: "https://hooks.example.com/live", enabledEvents: [EXTERNAL_STORAGE_FAILED], name: "live" }) { webhook { id } signingSecret } }`,
        },
        { authorization: `Bearer ${ADMIN}` },
      );
      const answer = (created.body.data as { createWebhook: { signingSecret: string } })
        .createWebhook;
      expect(answer.signingSecret).toMatch(/^whsec_/);
      const { value: event } = await iterator.next();
      expect(event).toMatchObject({ type: 'CREATED', family: 'webhook' });
      // The event (as it is logged and sent to every replica) holds no trace of the secret.
      expect(JSON.stringify(event)).not.toContain(answer.signingSecret);
      expect(event.node).not.toHaveProperty('signing_secret');
    } finally {
      await iterator.return?.();
    }
  });
});
