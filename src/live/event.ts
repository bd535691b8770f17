import type { LiveFamilyKey } from './families.js';

/** What happened to an object; RESYNC says that events were missed and the client must re-read. */
export type ChangeType = 'CREATED' | 'UPDATED' | 'REMOVED' | 'RESYNC';

/** One change, as it is logged and sent to every replica (plain JSON). */
export interface LiveEventData {
  type: ChangeType;
  /** The family of the object; null for RESYNC. */
  family: LiveFamilyKey | null;
  /** The node id (`node(id:)` takes it); null for RESYNC. */
  nodeId: string | null;
  /** The upstream record as the Admin API returned it; null for REMOVED and RESYNC. */
  node: Record<string, unknown> | null;
  /** For UPDATED: the GraphQL names of the fields that changed (empty when not known). */
  changedFields: string[] | null;
  /** The workspace of the object (the workspace itself for a workspace), for filters. */
  workspaceId: string | null;
  /** The object's status (its last known one for REMOVED), for filters. */
  status: string | null;
  /** When the gateway saw the change (ISO 8601). */
  at: string;
}

/** A logged event: its id is a cursor, `<milliseconds>-<sequence>`, increasing. */
export interface LiveEvent extends LiveEventData {
  id: string;
}

const ID_PATTERN = /^(\d{1,16})-(\d{1,16})$/;

/** An event id as numbers, or null when the string is not one. */
export function parseEventId(id: string): [number, number] | null {
  const match = ID_PATTERN.exec(id);
  if (!match) return null;
  return [Number(match[1]), Number(match[2])];
}

/** Orders two valid event ids: negative when `a` comes first. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = parseEventId(a) ?? [0, 0];
  const [bm, bs] = parseEventId(b) ?? [0, 0];
  return am !== bm ? am - bm : as - bs;
}
