import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';

const ENTRY = new URL('../../src/main.ts', import.meta.url).pathname;

/**
 * SIGTERM (Kubernetes, Docker, compose) drains: the server stops accepting connections, a request
 * in flight still gets its answer, then the process closes what it holds and exits 0.
 */
describe('graceful shutdown', () => {
  it('on SIGTERM answers the request in flight, refuses new connections, exits 0', async () => {
    // node itself (not the tsx wrapper, which does not pass SIGTERM on), as `node dist/main.js`.
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'info',
        PORT: '0',
        SANDBOX_PORT: '0',
        SHUTDOWN_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      const [endpoint, emulator] = await new Promise<[string, string]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up: ${stdout}`)), 30_000);
        child.stdout.on('data', () => {
          const graphiql = /GraphiQL:\s+(\S+)/.exec(stdout)?.[1];
          const sandbox = /Emulator:\s+(\S+)/.exec(stdout)?.[1];
          if (graphiql && sandbox) {
            clearTimeout(timer);
            resolve([graphiql, sandbox]);
          }
        });
      });
      // The organization read takes 1.5 s upstream: SIGTERM arrives while it is in flight.
      await fetch(`${emulator}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'latency',
          delayMs: 1500,
          method: 'GET',
          path: '/v1/organizations/me',
        }),
      });
      const inFlight = fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organization { name } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      child.kill('SIGTERM');
      while (!stdout.includes('shutting down')) await new Promise((r) => setTimeout(r, 50));
      // A new connection (no pooled keep-alive one) once the shutdown began: refused.
      const refused = await new Promise<string>((resolve) => {
        const probe = request(endpoint, { agent: false, method: 'GET' }, (response) => {
          response.resume();
          resolve('answered');
        });
        probe.on('error', () => resolve('refused'));
        probe.end();
      });
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({
        data: { organization: { name: 'Northwind Robotics' } },
      });
      expect(refused).toBe('refused');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(stdout).toContain('shutting down');
      expect(stdout).toContain('"msg":"shut down"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
