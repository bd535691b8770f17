import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { TOKEN_AUTH, UPDATE_KEY, WRITER_TOKEN, bearer, post } from './helpers.js';

describe('an audit event by its id (node, nodes)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { auth: TOKEN_AUTH }, freshDatabase: true });
  }, 60_000);
  afterAll(() => h.close());

  it('is the event auditEvents lists; null for an unknown id; FORBIDDEN without audit:read', async () => {
    const renamed = await post(h, UPDATE_KEY, {
      input: { apiKeyId: FIXTURE_IDS.activeApiKey, name: 'looked up by id' },
    });
    expect(renamed.body.errors).toBeUndefined();
    await h.gateway.audit.flush();
    const listed = await post(h, '{ auditEvents(first: 1) { nodes { id field outcome } } }');
    const event = (listed.body.data as { auditEvents: { nodes: { id: string }[] } }).auditEvents
      .nodes[0]!;
    expect(event).toMatchObject({ field: 'Mutation.updateApiKey', outcome: 'OK' });

    const found = await post(
      h,
      `query ($id: ID!, $ids: [ID!]!) {
        node(id: $id) { __typename id ... on AuditEvent { field } }
        nodes(ids: $ids) { id }
      }`,
      { id: event.id, ids: [event.id, 'auditevent_999999999'] },
    );
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data).toEqual({
      node: { __typename: 'AuditEvent', id: event.id, field: 'Mutation.updateApiKey' },
      nodes: [{ id: event.id }, null],
    });

    const forbidden = await post(
      h,
      'query ($id: ID!) { node(id: $id) { id } }',
      { id: event.id },
      bearer(WRITER_TOKEN),
    );
    expect(forbidden.body.data).toEqual({ node: null });
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
