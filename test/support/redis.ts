import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface TestRedis {
  url: string;
  /** Empties the database: no cache entry, generation or budget left from an earlier test. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

async function flush(url: string): Promise<void> {
  const client = new Redis(url);
  try {
    await client.flushdb();
  } finally {
    await client.quit();
  }
}

/**
 * A real redis-server for the tests: the one CI started (REDIS_TEST_URL, flushed first), or one
 * started here on a free loopback port. Fails loudly when neither is available.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const given = process.env.REDIS_TEST_URL;
  if (given) {
    await flush(given);
    return { url: given, flush: () => flush(given), close: async () => {} };
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'redis-server is not installed: `apt-get install -y redis-server`, or set REDIS_TEST_URL',
    );
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  // Commands queue until the server accepts connections; give it a few seconds to start.
  const client = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
  client.on('error', () => {});
  const timeout = setTimeout(() => client.disconnect(), 10_000);
  try {
    await client.ping();
  } finally {
    clearTimeout(timeout);
    await client.quit().catch(() => {});
  }
  return {
    url,
    flush: () => flush(url),
    close: async () => {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}
