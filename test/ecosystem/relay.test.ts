// Relay against the committed client schema: relay-compiler compiles the sample frontend's
// fragments (examples/frontend/src/relay) with its committed relay.config.json, and the operations
// it generates run against a harness gateway.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createLiveSubscribe,
  type RelayResponse,
} from '../../examples/frontend/src/relay/LiveChanges.js';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';
import { direct, subscribed, until } from '../live/helpers.js';
import { postGraphQL, startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const RELAY_COMPILER = join(ROOT, 'node_modules/.bin/relay-compiler');
const FRONTEND = 'examples/frontend';
const COMPILE_TIMEOUT = 60_000;

interface RelayConfig {
  language: string;
  src: string;
  schema: string;
  artifactDirectory: string;
}

interface CompilerRun {
  code: number;
  output: string;
}

/** Runs relay-compiler in `cwd` (where it finds relay.config.json); never throws on failure. */
async function relayCompiler(cwd: string, ...args: string[]): Promise<CompilerRun> {
  try {
    const { stdout, stderr } = await run(RELAY_COMPILER, args, {
      cwd,
      timeout: COMPILE_TIMEOUT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * A copy of the repository's layout with only what Relay reads: schema.graphql at the root and the
 * sample frontend's relay.config.json and Relay sources, with an empty artifact directory. The
 * committed config is used as it is, so its relative paths are checked too.
 */
async function copyRelayProject(): Promise<{
  root: string;
  frontend: string;
  config: RelayConfig;
}> {
  const root = await mkdtemp(join(tmpdir(), 'admin-graph-relay-'));
  const frontend = join(root, FRONTEND);
  const configText = await readFile(join(ROOT, FRONTEND, 'relay.config.json'), 'utf8');
  const config = JSON.parse(configText) as RelayConfig;
  await mkdir(frontend, { recursive: true });
  await writeFile(join(frontend, 'relay.config.json'), configText);
  await cp(join(ROOT, 'schema.graphql'), join(root, 'schema.graphql'));
  await cp(join(ROOT, FRONTEND, config.src), join(frontend, config.src), {
    recursive: true,
    filter: (source) => !source.includes('__generated__'),
  });
  await mkdir(join(frontend, config.artifactDirectory), { recursive: true });
  return { root, frontend, config };
}

/** The operation text relay-compiler put into a request artifact (`params.text`). */
function operationText(artifact: string): string {
  const match = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact);
  if (!match?.[1]) throw new Error('no operation text in the artifact');
  return JSON.parse(match[1]) as string;
}

describe('Relay with the client schema', () => {
  let project: Awaited<ReturnType<typeof copyRelayProject>>;
  let compile: CompilerRun;
  let artifacts: string;
  const artifact = (name: string) => readFile(join(artifacts, `${name}.graphql.ts`), 'utf8');

  beforeAll(async () => {
    project = await copyRelayProject();
    artifacts = join(project.frontend, project.config.artifactDirectory);
    compile = await relayCompiler(project.frontend);
  }, COMPILE_TIMEOUT);

  afterAll(async () => {
    if (project) await rm(project.root, { recursive: true, force: true });
  });

  it('uses TypeScript, the root schema.graphql and an artifact directory that exists', async () => {
    expect(project.config.language).toBe('typescript');
    expect(join(FRONTEND, project.config.schema)).toBe('schema.graphql');
    // relay-compiler refuses a config whose artifact directory is missing; the repo keeps it.
    const committed = await readdir(join(ROOT, FRONTEND, project.config.artifactDirectory));
    expect(committed).toContain('.gitkeep');
  });

  it('compiles the @connection and @refetchable fragments without errors', () => {
    expect(compile.output).not.toMatch(/\[ERROR\]/);
    expect(compile.code).toBe(0);
  });

  it('writes the fragments, the page query and both generated refetch queries', async () => {
    expect((await readdir(artifacts)).sort()).toEqual([
      'AppQuery.graphql.ts',
      'LiveChangesSubscription.graphql.ts',
      'MemberListRefetchQuery.graphql.ts',
      'MemberList_workspace.graphql.ts',
      'ServiceAccountList_organization.graphql.ts',
      'WorkspaceListPaginationQuery.graphql.ts',
      'WorkspaceList_organization.graphql.ts',
    ]);
    const refetch = await artifact('MemberListRefetchQuery');
    expect(refetch).toContain('export type MemberListRefetchQuery$variables');
    expect(operationText(refetch)).toMatch(/node\(id: \$id\)/);
    // @connection became a connection field stored under its key, paged forward, and
    // @refetchable points the fragment at its generated refetch query.
    const fragment = await artifact('MemberList_workspace');
    expect(fragment).toContain('"name": "__MemberList_members_connection"');
    expect(fragment).toContain('"direction": "forward"');
    expect(fragment).toContain('"operation": MemberListRefetchQuery_graphql');
    // Enums of the schema became TypeScript unions, open to future values.
    expect(fragment).toContain('"WORKSPACE_ADMIN"');
    expect(fragment).toContain('"%future added value"');
  });

  it('compiles the live page: a subscription on organizationChanges with its node', async () => {
    const subscription = await artifact('LiveChangesSubscription');
    expect(subscription).toContain('"operationKind": "subscription"');
    expect(subscription).toContain('export type LiveChangesSubscription$variables');
    expect(operationText(subscription)).toMatch(
      /organizationChanges\(filter: \{kinds: \$kinds\}, lastEventId: \$lastEventId\)/,
    );
    // Relay normalizes the node by its id, so that an update reaches every component showing it.
    expect(operationText(subscription)).toMatch(/node \{\s+__typename[\s\S]*\bid\b/);
  });

  it(
    'finds the artifacts it just wrote up to date with --validate',
    async () => {
      const validate = await relayCompiler(project.frontend, '--validate');
      expect(validate.output).not.toMatch(/\[ERROR\]/);
      expect(validate.code).toBe(0);
    },
    COMPILE_TIMEOUT,
  );

  it(
    'finds the committed artifacts of examples/frontend up to date (npm run relay rewrites them)',
    async () => {
      const validate = await relayCompiler(join(ROOT, FRONTEND), '--validate');
      expect(validate.output).not.toMatch(/\[ERROR\]/);
      expect(validate.code).toBe(0);
    },
    COMPILE_TIMEOUT,
  );

  it(
    'rejects a fragment that selects a field the schema does not have',
    async () => {
      await writeFile(
        join(project.frontend, project.config.src, 'Broken.ts'),
        'export const f = graphql`fragment Broken_workspace on Workspace { memberCount }`;\n',
      );
      try {
        const broken = await relayCompiler(project.frontend);
        expect(broken.code).not.toBe(0);
        expect(broken.output).toContain('memberCount');
      } finally {
        await rm(join(project.frontend, project.config.src, 'Broken.ts'));
      }
    },
    COMPILE_TIMEOUT,
  );

  describe('the generated operations against the gateway', () => {
    let harness: Harness;

    beforeAll(async () => {
      harness = await startHarness();
    });

    afterAll(async () => {
      await harness?.close();
    });

    it('delivers the live page subscription through the sample network layer (graphql-ws)', async () => {
      const live = createLiveSubscribe(harness.endpoint.replace(/^http/, 'ws'), {}, WebSocket);
      const received: RelayResponse[] = [];
      const errors: unknown[] = [];
      const subscription = live
        .subscribe(
          {
            name: 'LiveChangesSubscription',
            text: operationText(await artifact('LiveChangesSubscription')),
          },
          { kinds: ['WORKSPACE'] },
        )
        .subscribe({
          next: (response) => received.push(response),
          error: (error) => errors.push(error),
          complete: () => {},
        });
      try {
        await subscribed(harness.gateway, 1);
        await harness.gateway.live!.pollNow(); // the baseline
        await direct(harness.sandbox, 'POST', `/workspaces/${FIXTURE_IDS.productionWorkspace}`, {
          name: 'Renamed for Relay',
        });
        await harness.gateway.live!.pollNow();
        await until(() => received.length > 0 || errors.length > 0);
        expect(errors).toEqual([]);
        expect(received[0]).toMatchObject({
          data: {
            organizationChanges: {
              type: 'UPDATED',
              kind: 'WORKSPACE',
              node: {
                __typename: 'Workspace',
                id: FIXTURE_IDS.productionWorkspace,
                name: 'Renamed for Relay',
              },
            },
          },
        });
      } finally {
        subscription.unsubscribe();
        await live.client.dispose();
      }
    });

    it('serves the page query with the workspaces connection and their members', async () => {
      const { body } = await postGraphQL(harness.endpoint, {
        query: operationText(await artifact('AppQuery')),
        variables: { workspaceCount: 3, memberCount: 2 },
      });
      expect(body.errors).toBeUndefined();
      const organization = body.data?.organization as {
        name: string;
        workspaces: { edges: { cursor: string; node: { __typename: string } }[] };
      };
      expect(organization.name).toBe('Northwind Robotics');
      expect(organization.workspaces.edges).toHaveLength(3);
      expect(organization.workspaces.edges[0]?.node.__typename).toBe('Workspace');
    });

    it('refetches a workspace through node(id:) and pages its members with the cursor', async () => {
      const query = operationText(await artifact('MemberListRefetchQuery'));
      const page = await postGraphQL(harness.endpoint, {
        query: operationText(await artifact('AppQuery')),
        variables: { workspaceCount: 1, memberCount: 1 },
      });
      const workspaceId = (
        page.body.data?.organization as { workspaces: { edges: { node: { id: string } }[] } }
      ).workspaces.edges[0]?.node.id;
      expect(workspaceId).toMatch(/^wrkspc_/);

      type Members = {
        node: {
          __typename: string;
          id: string;
          members: {
            edges: { cursor: string; node: { id: string } }[];
            pageInfo: { endCursor: string | null; hasNextPage: boolean };
          };
        };
      };
      const first = await postGraphQL(harness.endpoint, {
        query,
        variables: { id: workspaceId, count: 2 },
      });
      expect(first.body.errors).toBeUndefined();
      const firstPage = (first.body.data as Members).node;
      expect(firstPage).toMatchObject({ __typename: 'Workspace', id: workspaceId });
      expect(firstPage.members.edges).toHaveLength(2);
      expect(firstPage.members.pageInfo.hasNextPage).toBe(true);

      const next = await postGraphQL(harness.endpoint, {
        query,
        variables: { id: workspaceId, count: 2, cursor: firstPage.members.pageInfo.endCursor },
      });
      expect(next.body.errors).toBeUndefined();
      const nextIds = (next.body.data as Members).node.members.edges.map((edge) => edge.node.id);
      expect(nextIds.length).toBeGreaterThan(0);
      for (const edge of firstPage.members.edges) expect(nextIds).not.toContain(edge.node.id);
    });

    it('refetches the organization through node(id:) for the next page of workspaces', async () => {
      const { body } = await postGraphQL(harness.endpoint, {
        query: 'query { organization { id } }',
      });
      const organizationId = (body.data?.organization as { id: string }).id;
      const pagination = await postGraphQL(harness.endpoint, {
        query: operationText(await artifact('WorkspaceListPaginationQuery')),
        variables: { id: organizationId, count: 2, memberCount: 1 },
      });
      expect(pagination.body.errors).toBeUndefined();
      expect(pagination.body.data?.node).toMatchObject({
        __typename: 'Organization',
        id: organizationId,
        workspaces: { edges: [expect.anything(), expect.anything()] },
      });
    });
  });
});
