import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The gateway as it ships: the JavaScript `npm run build` compiles into dist/, which the container
 * image and `npm run serve` run, rather than the TypeScript sources as the benchmark's own runner
 * (tsx) would load them. tsx's transform names every function it makes (esbuild's `keepNames`), a
 * cost per closure that the compiled gateway does not pay: measured on the executed users page,
 * about a tenth of the request's CPU time. The build is made here when dist/ is missing or older
 * than a source file, so that every mode of `npm run bench` measures the sources as they are.
 *
 * Only the gateway and its logger come from dist/; the sandbox, the peer and the client are the
 * benchmark's own and stay as they are. A process loads the gateway from one place only (its
 * schema builder's plugins register once per process).
 */

// Tests import the sources (a process that loaded both would register the builder's plugins twice).
if (process.env['VITEST']) throw new Error('bench/shipped.ts is for the benchmark, not for tests');

const root = fileURLToPath(new URL('..', import.meta.url));
const BUILT = `${root}dist/app/gateway.js`;

/** The newest modification time of the files under `dir` (0 when there are none). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    latest = Math.max(latest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return statSync(BUILT).mtimeMs;
  } catch {
    return 0;
  }
}

if (builtAt() < newest(`${root}src`)) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
  if (builtAt() < newest(`${root}src`))
    throw new Error('bench: dist/ is older than src/ after tsc');
}

const gatewayModule = (await import(BUILT)) as typeof import('../src/app/gateway.js');
const loggerModule = (await import(
  `${root}dist/app/logger.js`
)) as typeof import('../src/app/logger.js');

export const { createGateway } = gatewayModule;
export const { createLogger } = loggerModule;
