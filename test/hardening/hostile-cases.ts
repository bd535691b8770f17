import { FIXTURE_IDS } from '../../src/sandbox/index.js';

/** One hostile request: a JSON body (or raw text) posted to /graphql. */
export interface HostileCase {
  family: string;
  name: string;
  /** Sent as JSON unless it is a string, which is sent as is. */
  body: unknown;
  contentType?: string;
}

type Random = () => number;

const int = (random: Random, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[int(random, 0, items.length - 1)]!;

const PRODUCTION = FIXTURE_IDS.productionWorkspace;

function deepNesting(random: Random, i: number): HostileCase {
  const depth = int(random, 13, i % 3 === 0 ? 3_000 : 60);
  const shape = i % 3;
  let text: string;
  if (shape === 0) {
    text = `{ ${'a { '.repeat(depth)}b${' }'.repeat(depth)} }`;
  } else {
    let inner = 'id';
    for (let level = 0; level < depth / 4; level++) {
      inner = `members(first: 1) { nodes { workspace { ${inner} } } }`;
    }
    text =
      shape === 1
        ? `{ workspace(id: "${PRODUCTION}") { ${inner} } }`
        : `{ organization { workspaces(first: 1) { nodes { ${inner} } } } }`;
  }
  return { family: 'deep nesting', name: `depth ${depth}`, body: { query: text } };
}

function aliasBomb(random: Random, i: number): HostileCase {
  const count = int(random, 31, i % 4 === 0 ? 5_000 : 400);
  const field = pick(random, [
    'rateLimit { cost }',
    'organization { id }',
    `workspace(id: "${PRODUCTION}") { name }`,
  ]);
  const text = `{ ${Array.from({ length: count }, (_, n) => `x${n}: ${field}`).join(' ')} }`;
  return { family: 'alias bomb', name: `${count} aliases`, body: { query: text } };
}

function fragmentCycle(random: Random): HostileCase {
  const length = int(random, 1, 12);
  const fragments = Array.from(
    { length },
    (_, n) => `fragment F${n} on Query { rateLimit { cost } ...F${(n + 1) % length} }`,
  );
  return {
    family: 'fragment cycle',
    name: `cycle of ${length}`,
    body: { query: `{ ...F0 } ${fragments.join(' ')}` },
  };
}

/**
 * Fragments that double at every level: `F{n}a` and `F{n}b` each spread both fragments of the
 * level below, so that `levels` levels name 2^levels leaves in a few hundred characters.
 */
export function doublingFragments(levels: number, leaf: string): string {
  const fragments = [`fragment F0a on Query { ${leaf} }`, `fragment F0b on Query { ${leaf} }`];
  for (let n = 1; n <= levels; n++) {
    for (const side of ['a', 'b']) {
      fragments.push(`fragment F${n}${side} on Query { ...F${n - 1}a ...F${n - 1}b }`);
    }
  }
  return `{ ...F${levels}a ...F${levels}b } ${fragments.join(' ')}`;
}

function fragmentBomb(random: Random, i: number): HostileCase {
  const levels = int(random, 8, 40);
  const leaf = i % 2 === 0 ? 'x: rateLimit { cost }' : `x: workspace(id: "${PRODUCTION}") { id }`;
  return {
    family: 'fragment bomb',
    name: `2^${levels} aliased leaves`,
    body: { query: doublingFragments(levels, leaf) },
  };
}

const junkId = (random: Random, length: number) =>
  Array.from({ length }, () => String.fromCharCode(int(random, 33, 126))).join('');

function hugeVariables(random: Random, i: number): HostileCase {
  switch (i % 3) {
    case 0: {
      const size = int(random, 10_000, 300_000);
      return {
        family: 'huge variables',
        name: `a ${size}-character id`,
        body: {
          query: 'query ($id: ID!) { user(id: $id) { id } }',
          variables: { id: 'x'.repeat(size) },
        },
      };
    }
    case 1: {
      const count = int(random, 200, 20_000);
      // Well-formed ids name nothing (null each); one malformed id gets its own error.
      const ids = Array.from({ length: count }, (_, n) => `user_01${String(n).padStart(22, 'Z')}`);
      ids[int(random, 0, count - 1)] = '../users';
      return {
        family: 'huge variables',
        name: `nodes of ${count} ids, one malformed`,
        body: { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } },
      };
    }
    default: {
      const count = int(random, 100, 5_000);
      const ids = Array.from({ length: count }, () => junkId(random, int(random, 1, 40)));
      return {
        family: 'huge variables',
        name: `nodes of ${count} junk ids`,
        body: { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } },
      };
    }
  }
}

const BAD_IDS = [
  '../../../etc/passwd',
  'user_01/../../api_keys',
  'user_01%2F..%2F..%2Fapi_keys',
  '..%2f..%2fworkspaces',
  'wrkspc_01/members',
  'user_01?limit=1000',
  'user_01#fragment',
  'user_01\u0000',
  'user_01\r\nx-api-key: injected',
  'user_01\u202eevil',
  'user_01ÄÖÜ',
  'user_01😀',
  'ｕｓｅｒ_01ABC',
  '',
  ' ',
  'user_',
  'user_01' + 'A'.repeat(100_000 / 10),
  'apikey_01abc;DROP TABLE',
  'wrkspc_01<script>',
  'invite_01${jndi:ldap://x}',
];

const ID_FIELDS = [
  'user(id: $id) { id }',
  'workspace(id: $id) { id }',
  'apiKey(id: $id) { id }',
  'invite(id: $id) { id }',
  'node(id: $id) { id }',
  'nodes(ids: [$id]) { id }',
];

function badId(random: Random, i: number): HostileCase {
  const id = BAD_IDS[i % BAD_IDS.length]!;
  if (i % 5 === 4) {
    return {
      family: 'bad id',
      name: `updateWorkspace(${JSON.stringify(id.slice(0, 20))})`,
      body: {
        query:
          'mutation ($id: ID!) { updateWorkspace(input: { workspaceId: $id, name: "x" }) { userErrors { code message } } }',
        variables: { id },
      },
    };
  }
  const field = pick(random, ID_FIELDS);
  return {
    family: 'bad id',
    name: `${field.split('(')[0]}(${JSON.stringify(id.slice(0, 20))})`,
    body: { query: `query ($id: ID!) { ${field} }`, variables: { id } },
  };
}

const WRONG_TYPES: { query: string; variables?: unknown }[] = [
  { query: '{ organization { users(first: "ten") { nodes { id } } } }' },
  { query: '{ organization { users(first: -1) { nodes { id } } } }' },
  { query: '{ organization { users(first: 0) { nodes { id } } } }' },
  { query: '{ organization { users(first: 100000000000) { nodes { id } } } }' },
  { query: '{ organization { users(first: 1.5) { nodes { id } } } }' },
  { query: '{ organization { users(first: 1001) { nodes { id } } } }' },
  { query: '{ organization { users(last: 5) { nodes { id } } } }' },
  { query: '{ organization { users(after: "not-a-cursor") { nodes { id } } } }' },
  { query: '{ user(id: 123) { id } }' },
  { query: '{ user(id: null) { id } }' },
  { query: '{ user { id } }' },
  { query: '{ nodes(ids: { id: "user_01" }) { id } }' },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: { $gt: '' } } },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: ['a', 'b'] } },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: true } },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: {} },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: null } },
  {
    query: 'query ($n: Int) { organization { users(first: $n) { nodes { id } } } }',
    variables: { n: 2 ** 40 },
  },
  {
    query: 'query ($n: Int) { organization { users(first: $n) { nodes { id } } } }',
    variables: { n: '5' },
  },
  { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: [null] } },
  {
    query:
      'mutation { updateWorkspace(input: { workspaceId: 5, name: "x" }) { userErrors { code } } }',
  },
  {
    query: `mutation { updateWorkspace(input: { workspaceId: ["${PRODUCTION}"], name: "x" }) { userErrors { code } } }`,
  },
  {
    query: `mutation { updateWorkspace(input: { workspaceId: "${PRODUCTION}", name: "x", evil: 1 }) { userErrors { code } } }`,
  },
  {
    query:
      'mutation { updateUser(input: { userId: "user_01", role: SUPREME_LEADER }) { userErrors { code } } }',
  },
  {
    query:
      'mutation { createInvite(input: { email: "not-an-email", role: USER }) { userErrors { code } } }',
  },
  {
    query:
      'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { userErrors { code } } }',
    variables: { input: 'x' },
  },
  {
    query:
      'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { userErrors { code } } }',
    variables: { input: { name: 7 } },
  },
  { query: '{ rateLimit { cost(extra: 1) } }' },
  { query: '{ rateLimit }' },
  { query: '{ organization { users(first: 1) { nodes } } }' },
];

function wrongType(_random: Random, i: number): HostileCase {
  const entry = WRONG_TYPES[i % WRONG_TYPES.length]!;
  return { family: 'wrong type', name: entry.query.slice(0, 60), body: entry };
}

const BAD_BODIES: { name: string; body: string; contentType?: string }[] = [
  { name: 'truncated JSON', body: '{"query": "{ rateLimit { cost } }"' },
  { name: 'null', body: 'null' },
  { name: 'a string', body: '"{ rateLimit { cost } }"' },
  { name: 'a number', body: '42' },
  { name: 'an empty object', body: '{}' },
  { name: 'an empty body', body: '' },
  { name: 'query is a number', body: '{"query": 123}' },
  { name: 'query is null', body: '{"query": null}' },
  { name: 'query is an object', body: '{"query": {"a": 1}}' },
  { name: 'variables is a string', body: '{"query": "{ rateLimit { cost } }", "variables": "x"}' },
  { name: 'variables is an array', body: '{"query": "{ rateLimit { cost } }", "variables": [1]}' },
  {
    name: 'operationName is a number',
    body: '{"query": "{ rateLimit { cost } }", "operationName": 5}',
  },
  {
    name: 'extensions is a string',
    body: '{"query": "{ rateLimit { cost } }", "extensions": "x"}',
  },
  { name: 'a byte-order mark', body: '\ufeff{"query": "{ rateLimit { cost } }"' },
  {
    name: 'deeply nested JSON',
    body: `{"query": "query ($a: ID) { user(id: $a) { id } }", "variables": {"a": ${'['.repeat(5_000)}${']'.repeat(5_000)}}}`,
  },
  { name: 'JSON with trailing garbage', body: '{"query": "{ rateLimit { cost } }"} trailing' },
  { name: 'duplicate keys', body: '{"query": 1, "query": {"x": 1}}' },
  {
    name: 'proto pollution',
    body: '{"query": "{ rateLimit { cost } }", "__proto__": {"polluted": 1}, "variables": {"constructor": {"prototype": {"x": 1}}}}',
  },
  {
    name: 'text/plain body',
    body: '{"query": "{ rateLimit { cost } }"}',
    contentType: 'text/plain',
  },
  { name: 'a form body', body: 'query=%7B%7D', contentType: 'application/x-www-form-urlencoded' },
  { name: 'XML', body: '<query>{ rateLimit { cost } }</query>', contentType: 'application/xml' },
  {
    name: 'a multipart body without boundary',
    body: '--x\r\n\r\n{}',
    contentType: 'multipart/form-data',
  },
];

function badBody(_random: Random, i: number): HostileCase {
  const entry = BAD_BODIES[i % BAD_BODIES.length]!;
  return {
    family: 'invalid body',
    name: entry.name,
    body: entry.body,
    contentType: entry.contentType ?? 'application/json',
  };
}

const UNKNOWN_OPERATIONS: { query: string; operationName?: string }[] = [
  { query: 'query A { rateLimit { cost } }', operationName: 'B' },
  { query: 'query A { rateLimit { cost } } query B { rateLimit { cost } }' },
  { query: '{ rateLimit { cost } } { rateLimit { cost } }' },
  { query: 'subscription { rateLimit { cost } }' },
  { query: 'mutation { doesNotExist }' },
  { query: '{ doesNotExist }' },
  { query: '' },
  { query: '   ' },
  { query: '# only a comment' },
  { query: 'fragment F on Query { rateLimit { cost } }' },
  { query: 'query A { rateLimit { cost } } query A { rateLimit { cost } }', operationName: 'A' },
  { query: '{ __typename }', operationName: '__proto__' },
  { query: 'type Query { x: Int }' },
  { query: 'schema { query: Query }' },
  { query: '{ organization { users(first: 2) { nodes { id password } } } }' },
];

function unknownOperation(_random: Random, i: number): HostileCase {
  const entry = UNKNOWN_OPERATIONS[i % UNKNOWN_OPERATIONS.length]!;
  return { family: 'unknown operation', name: JSON.stringify(entry).slice(0, 60), body: entry };
}

function batched(random: Random): HostileCase {
  const count = int(random, 2, 2_000);
  return {
    family: 'batched array',
    name: `${count} operations`,
    body: Array.from({ length: count }, () => ({ query: '{ organization { id } }' })),
  };
}

function garbage(random: Random): HostileCase {
  const alphabet = '{}()[]:$@!.…"\\#,=|&-_abcxyz019 \n\t\u0000\u00ff\ud83d';
  const length = int(random, 1, 3_000);
  const text = Array.from({ length }, () => pick(random, [...alphabet])).join('');
  return { family: 'syntax garbage', name: `${length} characters`, body: { query: text } };
}

const FAMILIES: [number, (random: Random, i: number) => HostileCase][] = [
  [30, deepNesting],
  [30, aliasBomb],
  [20, fragmentCycle],
  [20, fragmentBomb],
  [30, hugeVariables],
  [60, badId],
  [40, wrongType],
  [30, badBody],
  [20, unknownOperation],
  [20, batched],
  [40, garbage],
];

/** The whole suite, the same for a given seed. */
export function hostileCases(random: Random): HostileCase[] {
  return FAMILIES.flatMap(([count, make]) =>
    Array.from({ length: count }, (_, i) => make(random, i)),
  );
}
