// The sample frontend's typed client (examples/frontend/src/client.ts): graphql-request with the
// documents graphql-codegen generates from examples/frontend/src/operations/*.graphql (the second
// output of codegen.ts), run against a harness gateway.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createAdminGraphClient,
  type AdminGraphClient,
} from '../../examples/frontend/src/client.js';
import * as generated from '../../examples/frontend/src/generated/graphql.js';
import type {
  UserErrorCode,
  WorkspaceRole,
} from '../../examples/frontend/src/generated/graphql.js';
import { CALLER_KEY, startHarness, type Harness } from '../support/harness.js';

const OPERATIONS = new URL('../../examples/frontend/src/operations/', import.meta.url).pathname;

describe('the sample frontend client (graphql-request + generated typed documents)', () => {
  let harness: Harness;
  let client: AdminGraphClient;

  beforeAll(async () => {
    harness = await startHarness();
    client = createAdminGraphClient(harness.endpoint);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('has a generated document for every operation in src/operations, matching its source', async () => {
    const files = (await readdir(OPERATIONS)).filter((file) => file.endsWith('.graphql'));
    expect(files.length).toBeGreaterThan(0);
    const operations = (
      await Promise.all(
        files.map(async (file) => parse(await readFile(join(OPERATIONS, file), 'utf8'))),
      )
    )
      .flatMap((document) => document.definitions)
      .filter(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION,
      );
    expect(operations.map((operation) => operation.name?.value).sort()).toEqual([
      'OrganizationOverview',
      'RenameWorkspace',
      'WorkspaceMembers',
    ]);
    const exports = generated as unknown as Record<string, DocumentNode | undefined>;
    for (const operation of operations) {
      const document = exports[`${operation.name?.value}Document`];
      expect(document, `${operation.name?.value}Document`).toBeDefined();
      const definition = document?.definitions.find(
        (node) => node.kind === Kind.OPERATION_DEFINITION,
      );
      expect(definition && print(definition)).toBe(print(operation));
    }
  });

  it('loads the organization overview with typed workspaces', async () => {
    const overview = await client.organizationOverview(3);
    expectTypeOf(overview.organization.name).toEqualTypeOf<string>();
    expectTypeOf(overview.organization.workspaces!.pageInfo.endCursor).toEqualTypeOf<
      string | null
    >();

    expect(overview.organization.name).toBe('Northwind Robotics');
    const workspaces = overview.organization.workspaces!.nodes;
    expect(workspaces).toHaveLength(3);
    for (const workspace of workspaces) {
      expect(workspace.id).toMatch(/^wrkspc_/);
      expect(workspace.isArchived).toBe(false);
      expect(new Date(workspace.createdAt).toISOString()).toBe(
        workspace.createdAt.replace(/(\.\d{3})\d*Z$/, '$1Z'),
      );
    }
    expect(overview.organization.workspaces!.pageInfo.hasNextPage).toBe(true);
  });

  it('pages a workspace’s members forward with typed roles and users', async () => {
    const overview = await client.organizationOverview(1);
    const workspaceId = overview.organization.workspaces!.nodes[0]?.id ?? '';

    const first = await client.workspaceMembers(workspaceId, 2);
    const member = first.workspace?.members!.nodes[0];
    expectTypeOf(member?.role).toEqualTypeOf<WorkspaceRole | undefined>();
    expectTypeOf(member?.user.email).toEqualTypeOf<string | undefined>();

    expect(first.workspace?.id).toBe(workspaceId);
    const firstIds = first.workspace?.members!.nodes.map((node) => node.id) ?? [];
    expect(firstIds).toHaveLength(2);
    expect(member?.role).toMatch(/^WORKSPACE_/);
    expect(member?.user.email).toContain('@');

    const next = await client.workspaceMembers(
      workspaceId,
      2,
      first.workspace?.members!.pageInfo.endCursor,
    );
    const nextIds = next.workspace?.members!.nodes.map((node) => node.id) ?? [];
    expect(nextIds.length).toBeGreaterThan(0);
    expect(nextIds.filter((id) => firstIds.includes(id))).toEqual([]);
  });

  it('returns null for a workspace that does not exist', async () => {
    const missing = await client.workspaceMembers('wrkspc_01DoesNotExist00000000', 1);
    expect(missing.workspace).toBeNull();
  });

  it('renames a workspace, and gets typed userErrors for an unknown one', async () => {
    const overview = await client.organizationOverview(1);
    const workspaceId = overview.organization.workspaces!.nodes[0]?.id ?? '';

    const renamed = await client.renameWorkspace(workspaceId, 'Frontend sample');
    expect(renamed.updateWorkspace.userErrors).toEqual([]);
    expect(renamed.updateWorkspace.workspace).toMatchObject({
      id: workspaceId,
      name: 'Frontend sample',
    });

    const unknown = await client.renameWorkspace('wrkspc_01DoesNotExist00000000', 'Nope');
    expectTypeOf(unknown.updateWorkspace.userErrors[0]?.code).toEqualTypeOf<
      UserErrorCode | undefined
    >();
    expect(unknown.updateWorkspace.workspace).toBeNull();
    expect(unknown.updateWorkspace.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
  });

  it('sends the caller’s own key as x-api-key when given one', async () => {
    const callerClient = createAdminGraphClient(harness.endpoint, { apiKey: CALLER_KEY });
    harness.resetCounts();
    const overview = await callerClient.organizationOverview(1);
    expect(overview.organization.name).toBe('Northwind Robotics');
    const credentials = harness.upstream().map((request) => request.credential);
    expect(credentials.length).toBeGreaterThan(0);
    expect(new Set(credentials)).toEqual(new Set(['caller']));
  });

  it('surfaces a malformed id as a ClientError carrying BAD_USER_INPUT', async () => {
    const rejected = await client
      .workspaceMembers('not-a-workspace-id', 1)
      .catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(ClientError);
    const codes = (rejected as ClientError).response.errors?.map((error) => error.extensions?.code);
    expect(codes).toEqual(['BAD_USER_INPUT']);
  });
});
