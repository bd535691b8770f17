// SLOW (about 20–60 s, bounded at 90 s): the Dockerfile's steps without a Docker engine.
//
// The Dockerfile is parsed and its stages are replayed in a clean temporary folder, one folder per
// stage: the same COPY instructions (from the repository, or from an earlier stage's folder), and
// the same RUN steps with two stand-ins, because the image build itself cannot run here:
// - the build stage's full `npm ci` is the repository's own node_modules (the same lockfile, so the
//   same packages), linked into the build folder; its `npm run build` runs as written;
// - the production `npm ci --omit=dev` runs as written plus `--prefer-offline` (the local npm cache
//   serves it); `npm cache clean --force` is skipped, since it would empty this machine's cache.
// Then the image's CMD starts from the runtime folder with the image's ENV, in sandbox mode, and
// the image's HEALTHCHECK command runs against it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
/** The longest one replayed step (npm ci, tsc, the image's start) may take. */
const BUDGET_MS = 90_000;
/**
 * The whole replay: several steps of up to BUDGET_MS each. On a busy 2-core machine the steps
 * together passed 90 s (a CI run with other work on the machine), so the hook gets their sum.
 */
const REPLAY_MS = 4 * BUDGET_MS;
const IMAGE_WORKDIR = '/app';

interface Instruction {
  keyword: string;
  /** The arguments after the keyword, continuation lines joined. */
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Parses a Dockerfile into stages (comments and parser directives dropped, `\` lines joined). */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      stages.push({ from: match?.[1] ?? '', name: match?.[2], instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

function instructions(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((entry) => entry.keyword === keyword).map((entry) => entry.args);
}

/** `ENV A=1 B=2` pairs of a stage. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instructions(stage, 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

interface Copy {
  from: string | undefined;
  chown: string | undefined;
  sources: string[];
  destination: string;
}

function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith('--')) {
    const [flag = '', value = ''] = (words.shift() ?? '').slice(2).split('=');
    flags.set(flag, value);
  }
  const destination = words.pop() ?? '';
  return { from: flags.get('from'), chown: flags.get('chown'), sources: words, destination };
}

/** The exec form `["node", "…"]` at the end of a CMD or HEALTHCHECK. */
function execForm(args: string): string[] {
  const start = args.indexOf('[');
  if (start < 0) throw new Error(`not in exec form: ${args}`);
  return JSON.parse(args.slice(start)) as string[];
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  await exec(command, args, {
    cwd,
    timeout: BUDGET_MS,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
  });
}

/**
 * Replays the stages in `workspace/<stage>` folders. Returns the folder of the last stage.
 * Unknown RUN steps fail: a new step in the Dockerfile needs a decision here.
 */
async function replay(stages: Stage[], workspace: string): Promise<string> {
  const folders = new Map<string, string>();
  let folder = '';
  for (const [index, stage] of stages.entries()) {
    folder = join(workspace, stage.name ?? `stage-${index}`);
    await mkdir(folder, { recursive: true });
    folders.set(stage.name ?? String(index), folder);
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'WORKDIR') {
        if (args !== IMAGE_WORKDIR)
          throw new Error(`WORKDIR ${args}: the test expects ${IMAGE_WORKDIR}`);
      } else if (keyword === 'COPY') {
        const copy = parseCopy(args);
        const origin = copy.from ? folders.get(copy.from) : ROOT;
        if (!origin) throw new Error(`COPY --from=${copy.from}: no such stage`);
        for (const source of copy.sources) {
          const from = join(origin, copy.from ? relative(IMAGE_WORKDIR, source) : source);
          const name = source.split('/').at(-1) ?? source;
          const into = copy.destination.endsWith('/')
            ? join(folder, copy.destination, name)
            : join(folder, copy.destination);
          // From the build context: a copy. From an earlier stage: a move, which is instant for
          // a whole node_modules; no stage here reads another stage's folder twice.
          if (copy.from) await rename(from, into);
          else await cp(from, into, { recursive: true });
        }
      } else if (keyword === 'RUN') {
        for (const step of args.split('&&').map((part) => part.trim())) {
          const words = step.split(/\s+/);
          if (step.startsWith('npm ci') && words.includes('--omit=dev')) {
            await run('npm', [...words.slice(1), '--prefer-offline'], folder);
          } else if (step.startsWith('npm ci')) {
            await symlink(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
          } else if (step === 'npm run build') {
            await run('npm', ['run', 'build'], folder);
          } else if (step === 'npm cache clean --force') {
            continue;
          } else {
            throw new Error(`the container test does not know the RUN step "${step}"`);
          }
        }
      }
    }
  }
  return folder;
}

/** Starts the image's CMD in `cwd`; resolves with the GraphiQL URL it prints. */
async function startImage(
  command: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const [executable = '', ...args] = command;
  const child = spawn(executable, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /GraphiQL:\s+(\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('the Dockerfile, replayed without a Docker engine (slow: npm ci and tsc)', () => {
  let stages: Stage[];
  let runtime: Stage;
  let workspace: string;
  let runtimeFolder: string;
  let server: { child: ChildProcess; url: string; output: () => string } | undefined;
  let origin: string;

  beforeAll(async () => {
    stages = parseDockerfile(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    const last = stages.at(-1);
    if (!last) throw new Error('the Dockerfile has no stage');
    runtime = last;
    workspace = await mkdtemp(join(tmpdir(), 'admin-graph-container-'));
    runtimeFolder = await replay(stages, workspace);
    server = await startImage(execForm(instructions(runtime, 'CMD')[0] ?? ''), runtimeFolder, {
      PATH: process.env.PATH ?? '',
      ...envOf(runtime),
      // The image binds every interface; the test stays on loopback. Free ports, and sandbox mode
      // asked for explicitly, as a production image without a key refuses to start otherwise.
      HOST: '127.0.0.1',
      PORT: '0',
      SANDBOX_PORT: '0',
      SANDBOX: 'true',
      LOG_LEVEL: 'warn',
    });
    origin = new URL(server.url).origin;
  }, REPLAY_MS);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  describe('its instructions', () => {
    it('builds in several stages and copies only compiled code and dependencies into the last', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      const copies = instructions(runtime, 'COPY').map(parseCopy);
      expect(
        copies
          .map((copy) => copy.from)
          .filter(Boolean)
          .sort(),
      ).toEqual(['build', 'deps']);
      expect(copies.flatMap((copy) => copy.sources)).not.toContain('src');
      expect(instructions(runtime, 'RUN')).toEqual([]);
    });

    it('installs production dependencies only for the runtime', () => {
      const deps = stages.find((stage) => stage.name === 'deps');
      expect(deps && instructions(deps, 'RUN').join(' ')).toMatch(/npm ci --omit=dev/);
    });

    it('runs as the unprivileged node user, owning the files it gets', () => {
      expect(instructions(runtime, 'USER')).toEqual(['node']);
      for (const copy of instructions(runtime, 'COPY').map(parseCopy)) {
        expect(copy.chown).toBe('node:node');
      }
    });

    it('listens on every interface on the exposed port', () => {
      const env = envOf(runtime);
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.NODE_ENV).toBe('production');
      expect(instructions(runtime, 'EXPOSE')).toEqual([env.PORT]);
    });

    it('has a HEALTHCHECK on /health and starts node dist/main.js with the flags of `npm run serve`', async () => {
      const [healthcheck] = instructions(runtime, 'HEALTHCHECK');
      expect(healthcheck).toMatch(/--interval=\S+/);
      expect(execForm(healthcheck ?? '').join(' ')).toContain('/health');
      const { scripts } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      const serve = scripts['serve']!.split(' ');
      expect(serve[0]).toBe('node');
      expect(serve.at(-1)).toBe('dist/main.js');
      expect(execForm(instructions(runtime, 'CMD')[0] ?? '')).toEqual(serve);
      // `npm start` runs the sources with the same node flags.
      expect(scripts['start']).toBe(['tsx', ...serve.slice(1, -1), 'src/main.ts'].join(' '));
    });

    it('copies nothing from the build context that .dockerignore leaves out', async () => {
      const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8'))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'));
      const sources = stages
        .flatMap((stage) => instructions(stage, 'COPY').map(parseCopy))
        .filter((copy) => !copy.from)
        .flatMap((copy) => copy.sources);
      for (const source of sources) {
        const top = source.replace(/^\.\//, '').split('/')[0];
        expect(ignored, source).not.toContain(top);
      }
    });
  });

  describe('its steps, replayed in a temporary folder', () => {
    it('leaves the runtime folder with dist, package.json and production dependencies only', async () => {
      expect((await readdir(runtimeFolder)).sort()).toEqual([
        'dist',
        'node_modules',
        'package.json',
      ]);
      expect(existsSync(join(runtimeFolder, 'dist/main.js'))).toBe(true);
      expect(existsSync(join(runtimeFolder, 'dist/sandbox/index.js'))).toBe(true);
      const installed = await readdir(join(runtimeFolder, 'node_modules'));
      expect(installed).toContain('graphql-yoga');
      for (const devOnly of ['typescript', 'vitest', 'playwright-core', 'relay-compiler', 'tsx']) {
        expect(installed).not.toContain(devOnly);
      }
    });

    it('starts in sandbox mode from the runtime folder and says so', () => {
      expect(server?.output()).toContain('SANDBOX MODE');
    });

    it('refuses to start without a key unless sandbox mode is asked for', async () => {
      const [executable = '', ...args] = execForm(instructions(runtime, 'CMD')[0] ?? '');
      const child = spawn(executable, args, {
        cwd: runtimeFolder,
        env: { PATH: process.env.PATH ?? '', ...envOf(runtime), PORT: '0', SANDBOX_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(1);
      expect(stderr).toMatch(/^admin-graph: ANTHROPIC_ADMIN_KEY is not set.*SANDBOX=true/);
    });

    it('answers /health', async () => {
      const response = await fetch(`${origin}/health`);
      expect(response.status).toBe(200);
    });

    it('serves GraphQL on /graphql', async () => {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organization { name } }' }),
      });
      expect(await response.json()).toMatchObject({
        data: { organization: { name: 'Northwind Robotics' } },
      });
    });

    it('passes its own HEALTHCHECK command', async () => {
      const [executable = '', ...args] = execForm(instructions(runtime, 'HEALTHCHECK')[0] ?? '');
      const check = spawn(executable, args, {
        cwd: runtimeFolder,
        env: { PATH: process.env.PATH ?? '', PORT: new URL(origin).port },
        stdio: 'ignore',
      });
      const [code] = (await once(check, 'exit')) as [number];
      expect(code).toBe(0);
    });
  });
});
