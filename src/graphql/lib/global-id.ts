import { isId, idKindOf } from '../../domain/ids.js';
import { KINDS, WORKSPACE_MEMBER_PREFIX, describeNodeIds } from '../../domain/kinds.js';

/**
 * Node ids are the Admin API's own ids, unchanged; their prefix tells the type. A workspace
 * membership has no id upstream, so its id joins the workspace id and the user id.
 */
const MEMBER_PREFIX = WORKSPACE_MEMBER_PREFIX;

/** The typename given to an id that names no known type; resolving it yields a clear error. */
export const INVALID_ID_TYPENAME = '__InvalidId';

export function workspaceMemberId(workspaceId: string, userId: string): string {
  return `${MEMBER_PREFIX}${workspaceId}:${userId}`;
}

export function parseWorkspaceMemberId(id: string): { workspaceId: string; userId: string } | null {
  if (!id.startsWith(MEMBER_PREFIX)) return null;
  const [workspaceId, userId, ...rest] = id.slice(MEMBER_PREFIX.length).split(':');
  if (rest.length || !workspaceId || !userId) return null;
  if (!isId('workspace', workspaceId) || !isId('user', userId)) return null;
  return { workspaceId, userId };
}

export function encodeGlobalId(_typename: string, id: string | number | bigint): string {
  return String(id);
}

/** Never throws: an unknown id decodes to INVALID_ID_TYPENAME so that `nodes` fails per id. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  if (parseWorkspaceMemberId(globalId)) return { typename: 'WorkspaceMember', id: globalId };
  const kind = idKindOf(globalId);
  return { typename: kind ? KINDS[kind].typename : INVALID_ID_TYPENAME, id: globalId };
}

export function invalidNodeIdMessage(id: string): string {
  return `${JSON.stringify(id.slice(0, 100))} is not an id of this graph: expected ${describeNodeIds()}.`;
}
