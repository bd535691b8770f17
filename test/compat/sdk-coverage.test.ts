// The SDK coverage table (src/upstream/coverage.ts) against the installed SDK and the schema: every
// Admin method the SDK has is in the table and nothing else, each entry's route, HTTP method and
// beta header are what the SDK sends, every GraphQL coordinate it names exists, and README's copy
// of the table is current (`npm run coverage:print`).
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withCoverage } from '../../scripts/print-coverage.js';
import { schema } from '../../src/graphql/schema.js';
import { ID_KINDS, KINDS } from '../../src/domain/kinds.js';
import { ADMIN_API_COVERAGE, claimedCoordinates } from '../../src/upstream/coverage.js';

type Resource = Record<string, unknown>;

/**
 * The dotted paths of every method under `client.beta.organization`: resources are class
 * instances held in own properties, methods are functions on their prototypes; `_`-prefixed
 * helpers (`_client`) and constructors are not methods.
 */
function sdkAdminMethods(root: object): string[] {
  const methods: string[] = [];
  const seen = new Set<object>();
  const walk = (resource: object, path: string[]) => {
    if (seen.has(resource)) return;
    seen.add(resource);
    for (const [key, value] of Object.entries(resource)) {
      if (key.startsWith('_') || value === null || typeof value !== 'object') continue;
      if (Object.getPrototypeOf(value) === Object.prototype) continue;
      walk(value, [...path, key]);
    }
    for (
      let proto = Object.getPrototypeOf(resource);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || name.startsWith('_')) continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (typeof descriptor?.value === 'function') methods.push([...path, name].join('.'));
      }
    }
  };
  walk(root, []);
  return [...new Set(methods)].sort();
}

describe('SDK coverage table', () => {
  it('names exactly the Admin methods of the installed SDK', () => {
    const sdk = sdkAdminMethods(new Anthropic({ apiKey: 'x' }).beta.organization);
    const table = Object.keys(ADMIN_API_COVERAGE).sort();
    expect(sdk.length).toBeGreaterThan(100);
    expect(sdk.filter((method) => !table.includes(method))).toEqual([]); // new in the SDK
    expect(table.filter((method) => !sdk.includes(method))).toEqual([]); // gone from the SDK
  });

  it('records the route, HTTP method and beta header each method sends', async () => {
    const requests: { method: string; url: URL; beta: string | null }[] = [];
    const client = new Anthropic({
      apiKey: 'x',
      baseURL: 'http://sdk.test',
      maxRetries: 0,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        // The SDK probes `data:` URLs to learn how to build multipart bodies; not a request.
        if (url.host === 'sdk.test') {
          const beta = new Headers(init?.headers).get('anthropic-beta');
          requests.push({ method: init?.method ?? 'GET', url, beta });
        }
        const page = { data: [], has_more: false, first_id: null, last_id: null };
        return new Response(JSON.stringify(page), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    const mismatches: string[] = [];
    for (const [name, entry] of Object.entries(ADMIN_API_COVERAGE)) {
      // Path parameters get a recognizable value: the last one positional, every one in params
      // (the SDK takes parent ids from params; extra keys end up in the query or body, unread).
      const names = [...entry.route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n) => [n, `__${n}__`]));
      const args = names.length > 0 ? [`__${names.at(-1)!}__`, params] : [{}];
      const segments = name.split('.');
      let owner = client.beta.organization as unknown as Resource;
      for (const segment of segments.slice(0, -1)) owner = owner?.[segment] as Resource;
      const method = owner?.[segments.at(-1)!] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof method !== 'function') continue; // not in the SDK: the test above says so
      requests.length = 0;
      await method.apply(owner, args);
      const sent = requests[0];
      if (requests.length !== 1 || !sent) {
        mismatches.push(`${name}: sent ${requests.length} requests`);
        continue;
      }
      const route = decodeURIComponent(sent.url.pathname).replace(/__(\w+?)__/g, '{$1}');
      const http = sent.method === 'GET' && entry.http === 'GET list' ? 'GET list' : sent.method;
      if (route !== entry.route || http !== entry.http || sent.beta !== entry.beta) {
        mismatches.push(`${name}: SDK sends ${sent.method} ${route} beta=${sent.beta}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('names only GraphQL fields the schema has', () => {
    const missing = claimedCoordinates().filter(({ coordinate }) => {
      const [typeName, fieldName, ...rest] = coordinate.split('.');
      const type = schema.getType(typeName ?? '');
      if (rest.length > 0 || !fieldName) return true;
      if (!isObjectType(type) && !isInterfaceType(type)) return true;
      return !(fieldName in type.getFields());
    });
    expect(missing).toEqual([]);
  });

  it('gives every left-out method a reason', () => {
    const bare = Object.entries(ADMIN_API_COVERAGE).filter(
      ([, { served }]) => !Array.isArray(served) && 'leftOut' in served && !served.leftOut.trim(),
    );
    expect(bare).toEqual([]);
  });

  it('README shows the current table (npm run coverage:print)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withCoverage(readme));
  });

  it('names, in the registry of resource kinds, SDK methods that read each kind', () => {
    for (const kind of ID_KINDS) {
      const { get, list } = KINDS[kind].calls;
      expect(ADMIN_API_COVERAGE[get], `${kind}: ${get}`).toBeDefined();
      expect(ADMIN_API_COVERAGE[list], `${kind}: ${list}`).toBeDefined();
      expect(ADMIN_API_COVERAGE[get]!.http.startsWith('GET'), get).toBe(true);
      expect(ADMIN_API_COVERAGE[list]!.http.startsWith('GET'), list).toBe(true);
    }
  });
});
