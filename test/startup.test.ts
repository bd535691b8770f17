import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

const TSX = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
const ENTRY = new URL('../src/main.ts', import.meta.url).pathname;

function start(env: Record<string, string>) {
  const child = spawn(TSX, [ENTRY], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

// Each case starts tsx on the real entry point: tsx compiles the whole gateway and the schema is
// built at start-up, which takes seconds alone and passed 60 s once at a load average of 13 on
// 2 cores (1 run in 26, test/FLAKINESS.md), so these cases get three minutes.
describe('npm start', { timeout: 180_000 }, () => {
  it('without a key starts the sandbox and the gateway, says so, and serves queries', async () => {
    const metricsPort = await freePort();
    const { child, output } = start({
      PORT: '0',
      SANDBOX_PORT: '0',
      METRICS_PORT: String(metricsPort),
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = /GraphiQL:\s+(\S+)/.exec(output().stdout);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`exited early: ${output().stderr}`)));
      });
      expect(output().stdout).toContain('SANDBOX MODE');
      expect(output().stdout).toContain('demo data');
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organization { name } }' }),
      });
      expect(((await response.json()) as { data: unknown }).data).toEqual({
        organization: { name: 'Northwind Robotics' },
      });
      // METRICS_PORT: /metrics on its own listener, not on the gateway's port.
      expect((await fetch(new URL('/metrics', url))).status).not.toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('admin_graph_upstream_circuit_open');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'admin-graph: PORT must be a number\n'],
    [
      { ANTHROPIC_ADMIN_KEY: 'k', ANTHROPIC_BASE_URL: 'nope' },
      'admin-graph: ANTHROPIC_BASE_URL must be an http(s) URL without credentials\n',
    ],
    // The Docker image's defaults without a key: no sandbox demo data on every interface.
    [
      { HOST: '0.0.0.0', NODE_ENV: 'production', PORT: '0', SANDBOX_PORT: '0' },
      'admin-graph: ANTHROPIC_ADMIN_KEY is not set: sandbox demo data without authentication is served only on a loopback HOST outside production (HOST=0.0.0.0, NODE_ENV=production); set the key, or SANDBOX=true to run the sandbox on purpose\n',
    ],
  ])('stops on a bad configuration %o with one line', async (env, line) => {
    const { child, output } = start(env);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(output().stderr).toBe(line);
  });
});
