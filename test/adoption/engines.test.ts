import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * One supported Node line across `engines`, the Dockerfile and the tools, and an exact account of
 * the packages whose own `engines` exclude it (the EBADENGINE warnings of `npm ci`, README
 * "Node.js").
 */
const ROOT = new URL('../../', import.meta.url).pathname;
// npm's own range semantics (semver, in the tree through npm's tools; no types of its own here).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
};
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const SUPPORTED = '20.19.0';

/** What the README names: package@version → the Node range it declares. */
const DECLARED_NODE_22 = [
  '@whatwg-node/disposablestack@0.1.0',
  '@whatwg-node/fetch@0.12.1',
  '@whatwg-node/node-fetch@0.9.3',
  '@whatwg-node/promise-helpers@2.0.2',
  'listr2@10.2.2',
  'sync-fetch@0.7.1',
];

describe('Node line', () => {
  it('engines, the Dockerfile and this runtime agree on Node 20', () => {
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(SUPPORTED);
    const froms = [...readFileSync(`${ROOT}Dockerfile`, 'utf8').matchAll(/^FROM node:(\d+)/gm)];
    expect(froms.length).toBeGreaterThan(0);
    expect(new Set(froms.map((m) => m[1]))).toEqual(new Set(['20']));
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    expect(semver.major(process.version)).toBe(20);
  });

  it('the packages that declare a later Node are exactly those the README names', () => {
    const excluding = new Set<string>();
    for (const [path, info] of Object.entries(lock.packages)) {
      const range = !Array.isArray(info.engines) ? info.engines?.node : undefined;
      if (!path || !range || semver.satisfies(SUPPORTED, range)) continue;
      excluding.add(`${path.replace(/.*node_modules\//, '')}@${info.version}`);
    }
    expect([...excluding].sort()).toEqual(DECLARED_NODE_22);
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    for (const name of DECLARED_NODE_22) expect(readme).toContain(`\`${name}\``);
  });
});
