import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * One supported Node line across `engines`, the Dockerfile and the tools, and a dependency tree in
 * which nothing declares an engine that excludes it: `npm ci` on Node 20 prints no EBADENGINE
 * warning (README "Node.js"). Each npm override that holds a package back is named, with its
 * reason, in the README.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
// npm's own range semantics (semver, in the tree through npm's tools; no types of its own here).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
};
type Overrides = { [key: string]: string | Overrides };
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  engines: { node: string };
  overrides?: Overrides;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
  packages: Record<
    string,
    { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean }
  >;
};
const SUPPORTED = '20.19.0';

/** The README's "Node.js" paragraph and the list of overrides after it. */
function nodeSection(): string {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const start = readme.indexOf('**Node.js.**');
  expect(start).toBeGreaterThan(-1);
  const end = /\n\n(?![-\s])/.exec(readme.slice(start));
  return readme.slice(start, end ? start + end.index : undefined);
}

/** Every override as `name@version` (nested ones included), e.g. `listr2@9.0.5`. */
function overridePins(overrides: Overrides): string[] {
  return Object.entries(overrides).flatMap(([key, value]) => {
    if (typeof value !== 'string') return overridePins(value);
    const name = key.startsWith('@') ? `@${key.slice(1).split('@')[0]}` : key.split('@')[0];
    return [`${name}@${value}`];
  });
}

describe('Node line', () => {
  it('engines, the Dockerfile and this runtime agree on Node 20', () => {
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(SUPPORTED);
    const froms = [...readFileSync(`${ROOT}Dockerfile`, 'utf8').matchAll(/^FROM node:(\d+)/gm)];
    expect(froms.length).toBeGreaterThan(0);
    expect(new Set(froms.map((m) => m[1]))).toEqual(new Set(['20']));
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    expect(semver.major(process.version)).toBe(20);
  });

  it('no installed package declares an engine that excludes Node 20.19 (npm ci prints no EBADENGINE)', () => {
    const excluding: string[] = [];
    for (const [path, info] of Object.entries(lock.packages)) {
      const range = !Array.isArray(info.engines) ? info.engines?.node : undefined;
      if (!path || !range || semver.satisfies(SUPPORTED, range)) continue;
      excluding.push(`${path}@${info.version} (node ${range})`);
    }
    expect(excluding).toEqual([]);
  });

  it('every override pins an exact version and is named in the README with its reason', () => {
    const pins = overridePins(pkg.overrides ?? {});
    const section = nodeSection();
    expect(section).toContain('EBADENGINE');
    for (const pin of pins) {
      expect(pin).toMatch(/@\d+\.\d+\.\d+$/);
      expect(section).toContain(`\`${pin}\``);
    }
    // The lockfile was resolved with these overrides: each pinned package is installed at its pin.
    const installed = new Set(
      Object.entries(lock.packages).map(
        ([path, info]) => `${path.replace(/.*node_modules\//, '')}@${info.version}`,
      ),
    );
    for (const pin of pins) expect(installed).toContain(pin);
  });

  it('every package with an install script is reviewed in allowScripts (npm ci prints no advisory)', () => {
    const withScripts = new Set(
      Object.entries(lock.packages)
        .filter(([path, info]) => path && info.hasInstallScript)
        .map(([path]) => path.replace(/.*node_modules\//, '')),
    );
    expect(withScripts.size).toBeGreaterThan(0);
    const reviewed = new Set(
      Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1')),
    );
    expect([...withScripts].filter((name) => !reviewed.has(name))).toEqual([]);
    // Nothing is reviewed that is not installed.
    expect([...reviewed].filter((name) => !withScripts.has(name))).toEqual([]);
    expect(readFileSync(`${ROOT}README.md`, 'utf8')).toContain('`allowScripts`');
  });
});
