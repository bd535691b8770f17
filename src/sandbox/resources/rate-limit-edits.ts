import type { SandboxStore } from '../store.js';
import { RATE_LIMIT_GROUPS, type RateLimitGroup } from './reports/catalog.js';
import { spendState } from './spend-limits.js';

/*
 * A workspace's rate-limit overrides as changed through POST /workspaces/{id}/rate_limits/{group}
 * (organization-controls.ts): reports/rate-limits.ts derives each workspace's overrides from its
 * id and applies these edits on top, so that the list shows what was set or cleared.
 */

/** A workspace's overrides of one group, as reports/rate-limits.ts derives them. */
export interface Override {
  group: RateLimitGroup;
  limits: { type: string; value: number; org_limit: number | null }[];
}

/**
 * The overrides a workspace has once the edits made through the API are applied: a value set
 * replaces or adds the limiter, a value cleared removes it, a group left without limiters goes.
 */
export function applyRateLimitEdits<T extends Override>(
  store: SandboxStore,
  workspaceId: string,
  overrides: T[],
): Override[] {
  const edits = spendState(store).rateLimitEdits.get(workspaceId);
  if (!edits) return overrides;
  const result: Override[] = [];
  const seen = new Set<string>();
  for (const override of overrides) {
    seen.add(override.group.id);
    result.push(edited(override.group, override.limits, edits.get(override.group.id)));
  }
  for (const [groupId, changes] of edits) {
    if (seen.has(groupId)) continue;
    const group = RATE_LIMIT_GROUPS.find((candidate) => candidate.id === groupId);
    if (group) result.push(edited(group, [], changes));
  }
  return result.filter((override) => override.limits.length > 0);
}

function edited(
  group: RateLimitGroup,
  limits: Override['limits'],
  changes: Map<string, number | null> | undefined,
): Override {
  if (!changes) return { group, limits };
  const byType = new Map(limits.map((limit) => [limit.type, { ...limit }]));
  for (const [type, value] of changes) {
    if (value === null) {
      byType.delete(type);
      continue;
    }
    const orgLimit = group.limits.find((limit) => limit.type === type)?.value ?? null;
    byType.set(type, { type, value, org_limit: orgLimit });
  }
  return { group, limits: [...byType.values()] };
}
