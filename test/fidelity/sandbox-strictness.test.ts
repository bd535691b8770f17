import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { get, start } from '../sandbox/helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

const API = '/v1/organizations';
const production = FIXTURE_IDS.productionWorkspace;

group('the emulator is as strict as the Admin API can plausibly be', () => {
  it.each([
    ['after_id', `${API}/users`, 'user_01NoSuchObjectAnywhere0000'],
    ['before_id', `${API}/api_keys`, 'apikey_01NoSuchObjectAnywhere0000'],
    ['after_id', `${API}/workspaces/${production}/members`, 'user_01NoSuchObjectAnywhere0000'],
  ])(
    'an unknown %s on %s is a 400 naming the parameter and echoing the value',
    async (parameter, path, id) => {
      const answer = await get(sandbox, `${path}?limit=5&${parameter}=${id}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.type).toBe('invalid_request_error');
      expect(answer.body.error.message).toContain(parameter);
      expect(answer.body.error.message).toContain(id);
    },
  );

  it('a removed item is refused as a cursor like an unknown one', async () => {
    const page = await get(sandbox, `${API}/users?limit=3`);
    const removed = page.body.data[2].id as string;
    sandbox.store.users.delete(removed);
    const answer = await get(sandbox, `${API}/users?limit=3&after_id=${removed}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain(`after_id`);
    expect(answer.body.error.message).toContain(removed);
    sandbox.reset();
  });

  it('the Default Workspace’s keys report workspace_id null, also when selected by its id', async () => {
    const answer = await get(
      sandbox,
      `${API}/api_keys?limit=1000&workspace_id=${FIXTURE_IDS.defaultWorkspace}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data.length).toBeGreaterThan(0);
    for (const key of answer.body.data) expect(key.workspace_id).toBeNull();
  });

  it.each([
    `${API}/users?email=nobody-at-all@nowhere.example`,
    `${API}/api_keys?created_by_user_id=user_01NoSuchObjectAnywhere0000`,
    `${API}/api_keys?workspace_id=wrkspc_01NoSuchObjectAnywhere000`,
    `${API}/invites?email=nobody-at-all@nowhere.example`,
  ])('a filter that selects nothing is an empty page: %s', async (path) => {
    const answer = await get(sandbox, path);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
  });

  it('hiddenFromLists leaves an item out of lists while GET still finds it', async () => {
    sandbox.store.hiddenFromLists.add(FIXTURE_IDS.activeApiKey);
    const list = await get(sandbox, `${API}/api_keys?limit=1000`);
    expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(FIXTURE_IDS.activeApiKey);
    const one = await get(sandbox, `${API}/api_keys/${FIXTURE_IDS.activeApiKey}`);
    expect(one.status).toBe(200);
    sandbox.reset();
    expect(sandbox.store.hiddenFromLists.size).toBe(0);
  });
});
