import { createHash } from 'node:crypto';
import type { LiveEventData } from './event.js';
import { graphqlFieldName, liveFamily, type LiveFamilyKey } from './families.js';
import { stableJson } from '../upstream/read-cache.js';

/**
 * What the poller remembers of one object: a hash of its fields and the record itself (null when
 * the entry came from another replica's snapshot, which shares hashes only).
 */
interface Seen {
  hash: string;
  record: Record<string, unknown> | null;
}

/** A snapshot as replicas share it: per list, each object's id and field hash. */
export type SharedSnapshot = Record<string, [string, string][]>;

const hashOf = (record: Record<string, unknown>) =>
  createHash('sha1').update(stableJson(record)).digest('base64url');

/** The GraphQL names of the top-level fields that differ between two records. */
function changedFields(
  family: LiveFamilyKey,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => stableJson(before[name]) !== stableJson(after[name]))
    .map((name) => graphqlFieldName(liveFamily(family), name))
    .sort();
}

/**
 * The last known state of the lists the poller walks: per list (`user`,
 * `workspaceMember:wrkspc_…`), each object's id → field hash and record. A poll diffs a whole
 * list against it; a write through the gateway updates one entry (no scan).
 */
export class Snapshots {
  private readonly lists = new Map<string, Map<string, Seen>>();

  /** Every list's ids and hashes, for the replica that takes the poller over. */
  export(): SharedSnapshot {
    return Object.fromEntries(
      [...this.lists].map(([list, seen]) => [
        list,
        [...seen].map(([id, entry]) => [id, entry.hash] as [string, string]),
      ]),
    );
  }

  /** Takes over another replica's snapshot (for lists this one has not walked yet). */
  import(shared: SharedSnapshot): void {
    for (const [list, entries] of Object.entries(shared)) {
      if (this.lists.has(list) || !Array.isArray(entries)) continue;
      this.lists.set(list, new Map(entries.map(([id, hash]) => [id, { hash, record: null }])));
    }
  }

  /** Whether any list is known. */
  get empty(): boolean {
    return this.lists.size === 0;
  }

  /** Whether the list was walked before (its first walk is the baseline: no events). */
  has(list: string): boolean {
    return this.lists.has(list);
  }

  /** Forgets lists nobody watches any more. */
  keepOnly(lists: ReadonlySet<string>): void {
    for (const list of this.lists.keys()) if (!lists.has(list)) this.lists.delete(list);
  }

  /** Replaces a list with what a walk found; the events of the difference (none on a baseline). */
  diff(
    list: string,
    family: LiveFamilyKey,
    records: readonly unknown[],
    at: string,
  ): LiveEventData[] {
    const spec = liveFamily(family);
    const previous = this.lists.get(list);
    const next = new Map<string, Seen>();
    const events: LiveEventData[] = [];
    for (const item of records) {
      const record = item as Record<string, unknown>;
      const id = spec.nodeId(record);
      const seen: Seen = { hash: hashOf(record), record };
      next.set(id, seen);
      if (!previous) continue;
      const before = previous.get(id);
      if (!before) events.push(this.event('CREATED', family, record, null, at));
      else if (before.hash !== seen.hash) {
        const changed = before.record ? changedFields(family, before.record, record) : [];
        events.push(this.event('UPDATED', family, record, changed, at));
      }
    }
    if (previous) {
      for (const [id, before] of previous) {
        if (!next.has(id)) {
          const workspaceId = list.includes(':') ? (list.split(':')[1] ?? null) : null;
          events.push(this.removed(family, id, before.record, at, workspaceId));
        }
      }
    }
    this.lists.set(list, next);
    return events;
  }

  /**
   * A write through the gateway returned `record` (or removed the object `nodeId`): the event it
   * makes, with the list updated when it is known; null when nothing changed.
   */
  apply(
    list: string,
    family: LiveFamilyKey,
    change:
      | { record: Record<string, unknown>; created: boolean }
      | { removedId: string; workspaceId: string | null },
    at: string,
  ): LiveEventData | null {
    const spec = liveFamily(family);
    const known = this.lists.get(list);
    if ('removedId' in change) {
      const before = known?.get(change.removedId);
      if (known && !before) return null; // already gone
      known?.delete(change.removedId);
      return this.removed(family, change.removedId, before?.record ?? null, at, change.workspaceId);
    }
    const { record } = change;
    const id = spec.nodeId(record);
    const before = known?.get(id);
    const hash = hashOf(record);
    if (before?.hash === hash) return null;
    known?.set(id, { hash, record });
    if (before) {
      const changed = before.record ? changedFields(family, before.record, record) : [];
      return this.event('UPDATED', family, record, changed, at);
    }
    if (known || change.created) return this.event('CREATED', family, record, null, at);
    return this.event('UPDATED', family, record, [], at);
  }

  private event(
    type: 'CREATED' | 'UPDATED',
    family: LiveFamilyKey,
    record: Record<string, unknown>,
    changed: string[] | null,
    at: string,
  ): LiveEventData {
    const spec = liveFamily(family);
    return {
      type,
      family,
      nodeId: spec.nodeId(record),
      node: record,
      changedFields: type === 'UPDATED' ? (changed ?? []) : null,
      workspaceId: spec.workspaceOf(record),
      status: spec.statusOf(record),
      at,
    };
  }

  private removed(
    family: LiveFamilyKey,
    nodeId: string,
    before: Record<string, unknown> | null,
    at: string,
    workspaceId: string | null = null,
  ): LiveEventData {
    const spec = liveFamily(family);
    return {
      type: 'REMOVED',
      family,
      nodeId,
      node: null,
      changedFields: null,
      workspaceId: before ? spec.workspaceOf(before) : workspaceId,
      status: before ? spec.statusOf(before) : null,
      at,
    };
  }
}
