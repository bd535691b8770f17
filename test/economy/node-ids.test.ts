import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { SCOPES } from '../../src/domain/scopes.js';

/**
 * A node's id is answered without a promise (src/graphql/lib/sync-node-ids.ts): the relay plugin's
 * own id resolver is async, which cost every id in an answer a promise and its object a wait for
 * all of its fields.
 */
describe('node ids', () => {
  // A caller holding every scope: types with scopes of their own still answer.
  const context = { caller: { scopes: new Set(Object.values(SCOPES)) } };

  const parents: Record<string, Record<string, unknown>> = {
    User: { id: 'user_01AbCdEfGhIjKlMnOpQrStUv' },
    Workspace: { id: 'wrkspc_01AbCdEfGhIjKlMnOpQrStUv' },
    ApiKey: { id: 'apikey_01AbCdEfGhIjKlMnOpQrStUv' },
    Invite: { id: 'invite_01AbCdEfGhIjKlMnOpQrStUv' },
  };

  it.each(Object.keys(parents))('%s.id is answered synchronously, unchanged', (typename) => {
    const type = schema.getType(typename);
    if (!isObjectType(type)) throw new Error(`${typename} is not an object type`);
    const resolve = type.getFields()['id']?.resolve;
    expect(resolve).toBeTypeOf('function');
    const info = { parentType: type, fieldName: 'id' } as unknown as GraphQLResolveInfo;
    const answer = resolve!(parents[typename], {}, context, info);
    expect(answer).toBe(parents[typename]!['id']);
  });

  it('every node type answers its id without a promise', () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
    );
    expect(nodeTypes.length).toBeGreaterThan(20);
    // Any field of this parent is a string, so that every id resolver finds what it reads; a bulk
    // operation's id is its stored row's.
    const parent = new Proxy(
      { row: { id: 'bulkop_01AbCdEfGhIjKlMnOpQrStUv' } },
      {
        get: (target, key) =>
          key === 'row'
            ? target.row
            : typeof key === 'string'
              ? `${key}_01AbCdEfGhIjKlMnOpQrStUv`
              : undefined,
      },
    );
    const async = nodeTypes.filter((type) => {
      if (!isObjectType(type)) return false;
      const info = { parentType: type, fieldName: 'id' } as unknown as GraphQLResolveInfo;
      const answer: unknown = type.getFields()['id']!.resolve!(parent, {}, context, info);
      return typeof (answer as { then?: unknown } | null)?.then === 'function';
    });
    // The organization's id may need the organization read first: its resolver is async.
    expect(async.map((type) => type.name)).toEqual(['Organization']);
  });
});
