import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The gateway reads the Admin API's answers as the SDK types them (src/upstream/types.ts aliases
 * the SDK's types): nothing in src/upstream/*.ts may cast to a gateway type, or through `never`,
 * or keep an `as` helper that casts anything to anything.
 */

const UPSTREAM = join(import.meta.dirname, '../../src/upstream');

/** The type names src/upstream/types.ts exports: the gateway's names for upstream shapes. */
function gatewayTypeNames(): string[] {
  const source = readFileSync(join(UPSTREAM, 'types.ts'), 'utf8');
  return [...source.matchAll(/export (?:type|interface) (\w+)/g)].map((m) => m[1]!);
}

/** The casts of `source` that the rule forbids, as `line: text`. */
export function forbiddenCasts(source: string, typeNames: readonly string[]): string[] {
  const names = typeNames.join('|');
  const cast = new RegExp(`\\bas\\s+(?:unknown\\s+as\\s+)?(?:${names}|never)\\b`);
  const helper = /\bconst\s+as\s*=|\bas\s*\(/;
  return source
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => !/^\s*(\*|\/\/)/.test(line))
    .filter(({ line }) => cast.test(line) || helper.test(line))
    .map(({ line, index }) => `${index + 1}: ${line.trim()}`);
}

describe('src/upstream reads the SDK’s types without casts', () => {
  const names = gatewayTypeNames();

  it('knows the gateway’s type names', () => {
    expect(names).toEqual(expect.arrayContaining(['AdminApiKey', 'AdminWorkspace', 'AdminPage']));
  });

  it('finds the casts it forbids (the shapes the gateway used to have)', () => {
    const old = [
      'const as = <T>(value: unknown): T => value as T;',
      '    return as(await this.read("users", key, op, run));',
      '      const raw = item as AdminRateLimit & RawGroup;',
      '    const fetch = async () => normalize((await this.call<unknown>(op, run)) as never);',
      '  data: page.data as unknown as AdminApiKey[],',
    ].join('\n');
    expect(forbiddenCasts(old, names)).toHaveLength(5);
    expect(forbiddenCasts("const x = ['a'] as const;\n// as AdminApiKey", names)).toEqual([]);
  });

  it('no file of src/upstream casts to a gateway type', () => {
    const files = readdirSync(UPSTREAM).filter((file) => file.endsWith('.ts'));
    expect(files).toContain('admin-api.ts');
    const found = files.flatMap((file) =>
      forbiddenCasts(readFileSync(join(UPSTREAM, file), 'utf8'), names).map(
        (hit) => `${file}:${hit}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it('no file of src/upstream or its resource modules types anything as `any`', () => {
    const files = readdirSync(UPSTREAM, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files).toContain(join('resources', 'token-pages.ts'));
    const found = files.flatMap((file) =>
      readFileSync(join(UPSTREAM, file), 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          /(?::|<|\bas)\s*any\b|no-explicit-any/.test(line) ? [`${file}:${index + 1}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });
});
