import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

export interface TestPostgres {
  /** A connection string to a database of its own, empty, on a real PostgreSQL server. */
  url: string;
  close(): Promise<void>;
}

/** Debian installs the server's programs under /usr/lib/postgresql/<version>/bin, off the PATH. */
function serverBin(program: string): string | null {
  if (spawnSync(program, ['--version']).status === 0) return program;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const path = join(root, version, 'bin', program);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Runs a server program, as the `postgres` user when this process is root (initdb refuses root). */
function runServerProgram(program: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, args];
  // pg_ctl's server inherits stdout and stderr: piping them would wait for the server to exit.
  const run = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${program} failed: ${run.stderr}`);
}

let cluster: Promise<{ adminUrl: string }> | undefined;

/** The server CI started (POSTGRES_TEST_URL), or one cluster started here once per process. */
function server(): Promise<{ adminUrl: string }> {
  const given = process.env.POSTGRES_TEST_URL;
  if (given) return Promise.resolve({ adminUrl: given });
  cluster ??= (async () => {
    const initdb = serverBin('initdb');
    const pgCtl = serverBin('pg_ctl');
    if (!initdb || !pgCtl) {
      throw new Error(
        'PostgreSQL is not installed: `apt-get install -y postgresql`, or set POSTGRES_TEST_URL',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'admin-graph-pg-'));
    if (process.getuid?.() === 0) {
      const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(user.stdout.trim()), Number(group.stdout.trim()));
    }
    const port = await freePort();
    runServerProgram(initdb, ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust']);
    runServerProgram(pgCtl, [
      '-D',
      join(dir, 'data'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      '-l',
      join(dir, 'server.log'),
      '-w',
      'start',
    ]);
    // Stopped when this process ends, however it ends (vitest does not always run exit handlers
    // in its workers): a detached watcher waits for this process, then stops the server.
    const stopCommand = [pgCtl, '-D', join(dir, 'data'), '-m', 'immediate', 'stop']
      .map((part) => `'${part}'`)
      .join(' ');
    const asUser = process.getuid?.() === 0 ? 'runuser -u postgres -- ' : '';
    spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${asUser}${stopCommand}; rm -rf '${dir}'`,
      ],
      { detached: true, stdio: 'ignore' },
    ).unref();
    return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres` };
  })();
  return cluster;
}

let databases = 0;

/** A new empty database on a real PostgreSQL server, dropped by `close()`. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const { adminUrl } = await server();
  const name = `admin_graph_test_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
