import { afterAll, beforeAll, beforeEach, describe as group, expect, it } from 'vitest';
import { WorkspacesMembersUsersDocument } from './generated/graphql.js';
import { describe, startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

group('loaders', () => {
  it('workspaces → members → user costs one list per level, not one GET per user', async () => {
    const data = await h.client.request(WorkspacesMembersUsersDocument, {
      workspaces: 5,
      members: 10,
    });
    const workspaces = data.organization.workspaces!.nodes;
    expect(workspaces).toHaveLength(5);
    const members = workspaces.flatMap((workspace) => workspace.members!.nodes);
    const distinctUsers = new Set(members.map((member) => member.user.id));
    expect(distinctUsers.size).toBeGreaterThan(5);

    const calls = h.upstream().map(describe).sort();
    // The workspaces page, one members page per workspace, and one users page that resolves
    // every member's user at once.
    expect(calls).toEqual(
      [
        'GET /v1/organizations/workspaces?limit=5&include_archived=false',
        ...workspaces.map(
          (workspace) => `GET /v1/organizations/workspaces/${workspace.id}/members?limit=10`,
        ),
        'GET /v1/organizations/users?limit=1000',
      ].sort(),
    );
  });
});
