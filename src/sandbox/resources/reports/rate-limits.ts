import { invalidRequest, notFound } from '../../transport/errors.js';
import { listOf, queryBoolean, queryValue } from '../../transport/params.js';
import { speaks2026, type ApiVersion } from '../../transport/version.js';
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

/** The `rlg_` id of a group: the same in every organization, derived from the catalog's id. */
function groupIdOf(group: RateLimitGroup): string {
  const rng = new Rng(hash32(`rate-limit-group:${group.id}`));
  return `rlg_01${rng.token(22)}`;
}

/** Display names of the catalog's model groups (2026-10-21 `group.display_name`). */
const MODEL_GROUP_NAMES: Record<string, string> = {
  rl_grp_opus_5: 'Claude Opus 5',
  rl_grp_sonnet_5: 'Claude Sonnet 5',
  rl_grp_opus_4: 'Claude Opus 4.x',
  rl_grp_sonnet_4: 'Claude Sonnet 4.x',
  rl_grp_haiku_4: 'Claude Haiku 4.x',
};

/**
 * A group as the request's version names it: 2023-06-01 `group_type`; 2026-10-21
 * `group { id, type, display_name }` (`display_name` only on model groups).
 */
function renderGroup(group: RateLimitGroup, version: ApiVersion): Record<string, unknown> {
  if (!speaks2026(version)) return { group_type: group.group_type };
  return {
    group: {
      id: groupIdOf(group),
      type: group.group_type,
      ...(group.group_type === 'model_group'
        ? { display_name: MODEL_GROUP_NAMES[group.id] ?? group.id }
        : {}),
    },
  };
}

export function organizationRateLimits(query: Query, version: ApiVersion = '2023-06-01'): unknown {
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
      ...renderGroup(group, version),
      limits: group.limits.map((limit) => ({ ...limit })),
      models: group.models ? [...group.models] : null,
      type: 'rate_limit',
    })),
    next_page: null,
  };
}

interface Override {
  group: RateLimitGroup;
  /** `inherited`: the organization's limit, listed by `include_inherited`. */
  limits: { type: string; value: number; org_limit: number | null; inherited?: boolean }[];
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

/**
 * With `include_inherited` (2026-10-21): every group, each limiter either the workspace's
 * override (`source: workspace`) or the organization's limit (`source: organization`, value equal
 * to org_limit).
 */
function withInherited(overrides: Override[]): Override[] {
  return RATE_LIMIT_GROUPS.map((group) => {
    const own = overrides.find((override) => override.group.id === group.id);
    return {
      group,
      limits: group.limits.map(
        (limit) =>
          own?.limits.find((value) => value.type === limit.type) ?? {
            org_limit: limit.value,
            type: limit.type,
            value: limit.value,
            inherited: true,
          },
      ),
    };
  });
}

export function workspaceRateLimits(
  store: SandboxStore,
  workspaceId: string,
  query: Query,
  version: ApiVersion = '2023-06-01',
) {
  const workspace = store.workspaces.get(workspaceId);
  if (!workspace) throw notFound('No workspace with the given ID exists in this organization.');
  const groupType = groupTypeFilter(query);
  if (!speaks2026(version) && query['include_inherited'] !== undefined) {
    throw invalidRequest(
      `include_inherited: not a parameter of API version ${version}; it needs anthropic-version 2026-10-21.`,
    );
  }
  const inherited = queryBoolean(query, 'include_inherited', false);
  const overrides: Override[] = applyRateLimitEdits(store, workspace.id, overridesOf(workspace));
  return {
    data: (inherited ? withInherited(overrides) : overrides)
      .filter(({ group }) => groupType === undefined || group.group_type === groupType)
      .map(({ group, limits }) => ({
        ...renderGroup(group, version),
        limits: limits.map((limit) => ({
          org_limit: limit.org_limit,
          type: limit.type,
          value: limit.value,
          ...(speaks2026(version)
            ? { source: { type: limit.inherited ? 'organization' : 'workspace' } }
            : {}),
        })),
        models: group.models ? [...group.models] : null,
        rate_limit_id: group.id,
        type: 'workspace_rate_limit',
        workspace_id: workspace.id,
      })),
    next_page: null,
  };
}
