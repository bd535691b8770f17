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

  it('an id that needs a read runs its resolver once, and a failed read fails only the field', async () => {
    const type = schema.getType('Organization');
    if (!isObjectType(type)) throw new Error('Organization is not an object type');
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      let reads = 0;
      const failing = {
        ...context,
        loaders: {
          organization: () => {
            reads++;
            return Promise.reject(new Error('the organization read failed'));
          },
        },
      };
      const info = { parentType: type, fieldName: 'id' } as unknown as GraphQLResolveInfo;
      await expect(
        Promise.resolve(type.getFields()['id']!.resolve!({}, {}, failing, info)),
      ).rejects.toThrow('the organization read failed');
      // A second, unawaited read would reject after the answer, unhandled.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(reads).toBe(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
