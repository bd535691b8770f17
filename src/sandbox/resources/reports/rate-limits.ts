import { invalidRequest, notFound } from '../../transport/errors.js';
import { listOf, queryValue } from '../../transport/params.js';
import type { Query } from '../../transport/params.js';
import { Rng } from '../../random.js';
import { FIXTURE_IDS } from '../../seed.js';
import type { SandboxStore, WorkspaceRecord } from '../../store.js';
import { RATE_LIMIT_GROUPS, RATE_LIMIT_GROUP_TYPES, hash32 } from './catalog.js';
import type { RateLimitGroup } from './catalog.js';
import { applyRateLimitEdits } from '../rate-limit-edits.js';

/**
 * GET /v1/organizations/rate_limits and GET /v1/organizations/workspaces/{id}/rate_limits
 * (REPORTS.md §4, §5). The organization's groups are the catalog's; a workspace's overrides are
 * derived from its id (Production has the fixtures' override), always lower than the
 * organization's limit; the Default Workspace has none. Both lists are one page.
 */

function groupTypeFilter(query: Query): string | undefined {
  const value = queryValue(query, 'group_type');
  if (value !== undefined && !(RATE_LIMIT_GROUP_TYPES as readonly string[]).includes(value)) {
    throw invalidRequest(`group_type: Input should be ${listOf(RATE_LIMIT_GROUP_TYPES)}`);
  }
  return value;
}

export function organizationRateLimits(query: Query): unknown {
  const groupType = groupTypeFilter(query);
  const model = queryValue(query, 'model');
  let groups = RATE_LIMIT_GROUPS.filter(
    (group) => groupType === undefined || group.group_type === groupType,
  );
  if (model !== undefined) {
    groups = groups.filter((group) => group.models?.includes(model));
    if (groups.length === 0) {
      throw notFound(`No rate limits found for model '${model}' in this organization.`);
    }
  }
  return {
    data: groups.map((group) => ({
      id: group.id,
      group_type: group.group_type,
      limits: group.limits.map((limit) => ({ ...limit })),
      models: group.models ? [...group.models] : null,
      type: 'rate_limit',
    })),
    next_page: null,
  };
}

interface Override {
  group: RateLimitGroup;
  limits: { type: string; value: number; org_limit: number | null }[];
}

function overridesOf(workspace: WorkspaceRecord): Override[] {
  if (workspace.isDefault) return [];
  if (workspace.id === FIXTURE_IDS.productionWorkspace) {
    const group = RATE_LIMIT_GROUPS.find((g) => g.id === 'rl_grp_opus_4')!;
    return [
      {
        group,
        limits: [
          { org_limit: 4000, type: 'requests_per_minute', value: 1000 },
          { org_limit: 10_000_000, type: 'input_tokens_per_minute', value: 500_000 },
        ],
      },
    ];
  }
  const rng = new Rng(hash32(`rate-limits:${workspace.id}`));
  if (!rng.chance(0.4)) return [];
  const chosen = new Set(rng.sample(RATE_LIMIT_GROUPS, rng.int(1, 2)).map((g) => g.id));
  return RATE_LIMIT_GROUPS.filter((group) => chosen.has(group.id)).map((group) => ({
    group,
    limits: rng.sample(group.limits, rng.int(1, group.limits.length)).map((limit) => ({
      org_limit: limit.value,
      type: limit.type,
      value: Math.max(1, Math.floor(limit.value / rng.pick([2, 4, 10]))),
    })),
  }));
}

export function workspaceRateLimits(store: SandboxStore, workspaceId: string, query: Query) {
  const workspace = store.workspaces.get(workspaceId);
  if (!workspace) throw notFound('No workspace with the given ID exists in this organization.');
  const groupType = groupTypeFilter(query);
  return {
    data: applyRateLimitEdits(store, workspace.id, overridesOf(workspace))
      .filter(({ group }) => groupType === undefined || group.group_type === groupType)
      .map(({ group, limits }) => ({
        group_type: group.group_type,
        limits,
        models: group.models ? [...group.models] : null,
        rate_limit_id: group.id,
        type: 'workspace_rate_limit',
        workspace_id: workspace.id,
      })),
    next_page: null,
  };
}
