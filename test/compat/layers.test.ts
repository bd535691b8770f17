import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The house holds: imports run one way, app → graphql → live/loaders → upstream → db, everything
 * may read domain/ and config/, production code never imports the emulator (except src/main.ts, which
 * starts it in sandbox mode), and no module imports itself back through others. Type-only
 * imports count: a type that runs back up a layer is a dependency too.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => {
      const target = path.resolve(path.dirname(file), specifier);
      if (target.endsWith('.js')) return `${target.slice(0, -3)}.ts`;
      return existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
    });
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, importsOf(file)]));
const relative = (file: string) => path.relative(SRC, file);
/** The top folder of a file under src/ (`main.ts` for the entry point). */
const layerOf = (file: string) => relative(file).split(path.sep)[0]!;

/** The layers each layer may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'main.ts': ['app', 'config', 'sandbox', 'domain'],
  app: ['graphql', 'live', 'loaders', 'upstream', 'db', 'domain', 'config'],
  graphql: ['live', 'loaders', 'upstream', 'db', 'domain', 'config'],
  // The live graph's poller and bus: beside the loaders, over the upstream layer.
  live: ['upstream', 'domain', 'config'],
  loaders: ['upstream', 'domain', 'config'],
  upstream: ['db', 'domain', 'config'],
  // The database (audit trail, bulk jobs): read by every layer, reading none.
  db: ['domain', 'config'],
  config: ['domain'],
  domain: [],
  sandbox: [],
};

describe('the layers', () => {
  it('reads every source file', () => {
    expect(graph.size).toBeGreaterThan(80);
    for (const layer of Object.keys(MAY_IMPORT).filter((name) => name !== 'main.ts')) {
      expect(
        [...graph.keys()].some((file) => layerOf(file) === layer),
        layer,
      ).toBe(true);
    }
  });

  it('imports run one way only', () => {
    const backwards: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file);
      const allowed = MAY_IMPORT[from];
      expect(allowed, `${relative(file)} is in no known layer`).toBeDefined();
      for (const target of imports) {
        const to = layerOf(target);
        if (to !== from && !allowed!.includes(to)) {
          backwards.push(`${relative(file)} → ${relative(target)}`);
        }
      }
    }
    expect(backwards).toEqual([]);
  });

  it('has no import cycle', () => {
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (file: string) => {
      index.set(file, next);
      low.set(file, next);
      next++;
      stack.push(file);
      onStack.add(file);
      for (const target of graph.get(file) ?? []) {
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file)!, low.get(target)!));
        } else if (onStack.has(target)) {
          low.set(file, Math.min(low.get(file)!, index.get(target)!));
        }
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(relative(member));
        } while (member !== file);
        if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
          cycles.push(component.sort());
        }
      }
    };
    for (const file of graph.keys()) if (!index.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('resolves every relative import to a file', () => {
    const missing = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((target) => !existsSync(target))
        .map((target) => `${relative(file)} → ${target}`),
    );
    expect(missing).toEqual([]);
  });
});
