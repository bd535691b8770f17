import { invalidRequest } from '../transport/errors.js';
import { listOf, queryValue, queryValues, type Query } from '../transport/params.js';
import { route, type Route } from '../transport/router.js';
import type { SandboxStore } from '../store.js';
import { MICROS_PER_DAY, type Micros } from '../time.js';
import { RBAC_FIXTURE_IDS } from './rbac.js';
import { boundPageToken, issuePageToken } from './reports/page-tokens.js';
import { analyticsState, dateParam, formatDate, latestDay, type UsageRecord } from './analytics.js';

/*
 * Claude Enterprise engagement lists (GET /v1/organizations/analytics/users, /apps/chat/projects,
 * /artifacts) over the same generated usage as the usage and cost analytics (analytics.ts): a
 * member is active on a day they have usage of a claude.ai surface; chat usage is spread over
 * three seeded chat projects; each record of the day creates a few artifacts. Strict like the
 * Admin API: `date` or `starting_date` (not both; `/artifacts` takes `date` alone), dates from
 * 2026-01-01 up to the latest day with data (a day's lag), `limit` 1–1000 (default 100), only the
 * documented `group_by[]` and `filter[]` dimensions, page tokens bound to their query.
 */

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** The seeded chat projects (ids fixed for tests and docs). */
export const ANALYTICS_PROJECTS = [
  { id: 'claude_proj_01LaunchPlanning0000001', name: 'Launch planning' },
  { id: 'claude_proj_01SupportPlaybook000002', name: 'Support playbook' },
  { id: 'claude_proj_01ResearchNotes00000003', name: 'Research notes' },
] as const;

const ARTIFACT_TYPES = [
  'text/markdown',
  'text/html',
  'application/vnd.ant.react',
  'image/svg+xml',
] as const;

interface Period {
  start: Micros;
  end: Micros;
  /** Range rollup (`starting_date`) rather than one `date`. */
  range: boolean;
}

function period(store: SandboxStore, query: Query, dateOnly: boolean): Period {
  const latest = latestDay(store);
  const date = dateParam(query, 'date');
  const startingDate = dateOnly ? undefined : dateParam(query, 'starting_date');
  const endingDate = dateOnly ? undefined : dateParam(query, 'ending_date');
  if (dateOnly && queryValue(query, 'starting_date') !== undefined) {
    throw invalidRequest('starting_date: not supported here; use date');
  }
  if (date !== undefined && startingDate !== undefined) {
    throw invalidRequest('date: use either date or starting_date, not both');
  }
  if (endingDate !== undefined && startingDate === undefined) {
    throw invalidRequest('ending_date: only valid with starting_date');
  }
  if (date !== undefined) {
    if (date > latest) {
      throw invalidRequest(`date: data is available up to ${formatDate(latest)}`);
    }
    return { start: date, end: date + MICROS_PER_DAY, range: false };
  }
  if (startingDate === undefined) {
    throw invalidRequest(dateOnly ? 'date: Field required' : 'date: give date or starting_date');
  }
  const end = endingDate ?? latest + MICROS_PER_DAY;
  if (end > latest + MICROS_PER_DAY) {
    throw invalidRequest(
      `ending_date: data is available up to ${formatDate(latest)}; ending_date may be at most ${formatDate(latest + MICROS_PER_DAY)}`,
    );
  }
  if (end <= startingDate) throw invalidRequest('ending_date: must be after starting_date');
  if (end - startingDate > 366 * MICROS_PER_DAY) {
    throw invalidRequest('ending_date: at most 366 days after starting_date');
  }
  return { start: startingDate, end, range: true };
}

function limitOf(query: Query): number {
  const text = queryValue(query, 'limit');
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit: must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

function groupByOf(query: Query, allowed: readonly string[]): string[] {
  const values = queryValues(query, 'group_by') ?? [];
  for (const value of values) {
    if (!allowed.includes(value)) {
      throw invalidRequest(`group_by: '${value}' is not supported here; use ${listOf(allowed)}`);
    }
  }
  return values;
}

/** `filter[]` entries per dimension, each dimension one of `allowed`. */
function filtersOf(query: Query, allowed: readonly string[]): Map<string, Set<string>> {
  const entries = queryValues(query, 'filter') ?? [];
  if (entries.length > 100) throw invalidRequest('filter: at most 100 entries');
  const filters = new Map<string, Set<string>>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const dimension = colon > 0 ? entry.slice(0, colon) : '';
    const value = colon > 0 ? entry.slice(colon + 1) : '';
    if (!allowed.includes(dimension) || value === '') {
      throw invalidRequest(
        `filter: '${entry}' is not supported here; use dimension:value with ${listOf(allowed)}`,
      );
    }
    let values = filters.get(dimension);
    if (!values) filters.set(dimension, (values = new Set()));
    values.add(value);
  }
  return filters;
}

const matches = (filters: Map<string, Set<string>>, dimension: string, value: string | null) =>
  !filters.has(dimension) || (value !== null && filters.get(dimension)!.has(value));

function order(query: Query, columns: readonly string[], defaultColumn: string) {
  const orderBy = queryValue(query, 'order_by') ?? defaultColumn;
  if (!columns.includes(orderBy)) {
    throw invalidRequest(`order_by: '${orderBy}' is not one of ${listOf(columns)}`);
  }
  const direction = queryValue(query, 'order') ?? (orderBy === defaultColumn ? 'asc' : 'desc');
  if (direction !== 'asc' && direction !== 'desc') {
    throw invalidRequest(`order: '${direction}' is not one of 'asc', 'desc'`);
  }
  return { orderBy, sign: direction === 'asc' ? 1 : -1 };
}

function paged<T>(store: SandboxStore, list: string, query: Query, rows: T[]) {
  const limit = limitOf(query);
  const token = boundPageToken(store, list, query);
  const offset =
    token === undefined
      ? 0
      : Number(Buffer.from(token.slice('page_'.length), 'base64url').toString('utf8')) || 0;
  const end = Math.min(rows.length, offset + limit);
  const next =
    end < rows.length
      ? issuePageToken(
          store,
          list,
          query,
          `page_${Buffer.from(String(end), 'utf8').toString('base64url')}`,
        )
      : null;
  return { data: rows.slice(offset, end), next_page: next };
}

const CLAUDE_AI = new Set(['chat', 'claude_code', 'cowork']);

function userRecords(store: SandboxStore, p: Period): UsageRecord[] {
  return analyticsState(store).records.filter(
    (r) =>
      r.actor.type === 'user_actor' && CLAUDE_AI.has(r.product) && r.at >= p.start && r.at < p.end,
  );
}

const userIdOf = (r: UsageRecord) => (r.actor.type === 'user_actor' ? r.actor.user_id : '');
const projectOf = (r: UsageRecord) =>
  ANALYTICS_PROJECTS[(r.uncached + r.output) % ANALYTICS_PROJECTS.length]!;
const groupName = (id: string | null) =>
  id === RBAC_FIXTURE_IDS.engineeringGroup
    ? 'Engineering'
    : id === RBAC_FIXTURE_IDS.supportGroup
      ? 'Support'
      : null;

// ---------------------------------------------------------------------------------------------
// /users

function userActivity(records: UsageRecord[], distinctUsers: number | null) {
  const sum = (product: string, pick: (r: UsageRecord) => number) =>
    records.filter((r) => r.product === product).reduce((total, r) => total + pick(r), 0);
  const chatMessages = sum('chat', (r) => r.requests);
  const codeSessions = sum('claude_code', () => 1);
  const coworkMessages = sum('cowork', (r) => r.requests);
  const toolCounts = (share: number) => ({
    accepted_count: Math.round(sum('claude_code', (r) => r.requests) * share),
    rejected_count: Math.round(sum('claude_code', (r) => r.requests) * share * 0.1),
  });
  const office = { excel: {}, outlook: {}, powerpoint: {}, word: {} };
  return {
    distinct_user_count: distinctUsers,
    web_search_count: records.reduce((total, r) => total + r.webSearches, 0),
    last_activity_date:
      records.length > 0
        ? formatDate(
            Math.max(...records.map((r) => r.at)) -
              (Math.max(...records.map((r) => r.at)) % MICROS_PER_DAY),
          )
        : null,
    chat_metrics: {
      message_count: chatMessages,
      thinking_message_count: Math.floor(chatMessages / 4),
      distinct_conversation_count: Math.ceil(chatMessages / 6),
      distinct_projects_created_count: 0,
      distinct_projects_used_count: new Set(
        records.filter((r) => r.product === 'chat').map((r) => projectOf(r).id),
      ).size,
      distinct_artifacts_created_count: Math.floor(chatMessages / 20),
      distinct_shared_artifacts_viewed_count: 0,
      shared_conversations_viewed_count: 0,
      distinct_files_uploaded_count: Math.floor(chatMessages / 30),
      connectors_used_count: 0,
      distinct_connectors_used_count: 0,
      distinct_skills_used_count: 0,
    },
    claude_code_metrics: {
      core_metrics: {
        commit_count: Math.floor(sum('claude_code', (r) => r.requests) / 10),
        pull_request_count: Math.floor(sum('claude_code', (r) => r.requests) / 40),
        distinct_session_count: codeSessions,
        artifacts_created_count: 0,
        lines_of_code: {
          added_count: sum('claude_code', (r) => Math.floor(r.output / 20)),
          removed_count: sum('claude_code', (r) => Math.floor(r.output / 60)),
        },
      },
      tool_actions: {
        edit_tool: toolCounts(0.5),
        multi_edit_tool: toolCounts(0.2),
        notebook_edit_tool: toolCounts(0),
        write_tool: toolCounts(0.3),
      },
    },
    cowork_metrics: {
      message_count: coworkMessages,
      action_count: coworkMessages * 3,
      dispatch_turn_count: 0,
      distinct_session_count: sum('cowork', () => 1),
      artifacts_created_count: Math.floor(coworkMessages / 25),
      file_edit_count: Math.floor(coworkMessages / 2),
      sessions_with_file_edits_count: sum('cowork', () => 1),
      skills_used_count: 0,
      distinct_skills_used_count: 0,
      plugins_used_count: 0,
      distinct_plugins_used_count: 0,
      connectors_used_count: 0,
      distinct_connectors_used_count: 0,
      edit_tool_count: null,
      multi_edit_tool_count: null,
      notebook_edit_tool_count: null,
      write_tool_count: null,
    },
    design_metrics: {
      message_count: 0,
      distinct_session_count: 0,
      distinct_projects_created_count: 0,
      distinct_projects_used_count: 0,
    },
    office_metrics: office,
    science_metrics: {
      message_count: 0,
      distinct_session_count: 0,
      delegation_count: 0,
      remote_compute_job_count: 0,
      skills_used_count: 0,
    },
  };
}

export function analyticsUsers(store: SandboxStore, query: Query): unknown {
  const p = period(store, query, false);
  const groupBy = groupByOf(query, ['rbac_group_id']);
  const filters = filtersOf(query, ['project_id', 'rbac_group_id', 'user_id']);
  if (filters.has('project_id') && (groupBy.length > 0 || filters.has('rbac_group_id'))) {
    throw invalidRequest('filter: project_id cannot be combined with group_by[] or rbac_group_id');
  }
  const { orderBy, sign } = order(query, ['email', 'message_count', 'web_search_count'], 'email');
  const records = userRecords(store, p).filter(
    (r) =>
      matches(filters, 'user_id', userIdOf(r)) &&
      matches(filters, 'rbac_group_id', r.rbacGroupId) &&
      (!filters.has('project_id') ||
        (r.product === 'chat' && filters.get('project_id')!.has(projectOf(r).id))),
  );
  const byKey = new Map<string, UsageRecord[]>();
  for (const r of records) {
    const key = groupBy.length > 0 ? (r.rbacGroupId ?? '') : userIdOf(r);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const rows = [...byKey].map(([key, list]) => {
    const first = list[0]!;
    const activity = userActivity(
      list,
      groupBy.length > 0 ? new Set(list.map(userIdOf)).size : null,
    );
    const user =
      groupBy.length > 0 || first.actor.type !== 'user_actor'
        ? null
        : {
            id: first.actor.user_id,
            email_address: first.actor.email_address ?? '',
            type: 'user' as const,
          };
    return {
      user,
      ...activity,
      ...(groupBy.length > 0
        ? { rbac_group_id: key || null, rbac_group_name: groupName(key || null) }
        : {}),
    };
  });
  const sortKey = (row: (typeof rows)[number]): string | number =>
    orderBy === 'message_count'
      ? row.chat_metrics.message_count
      : orderBy === 'web_search_count'
        ? row.web_search_count
        : (row.user?.email_address ?? row.rbac_group_id ?? '');
  rows.sort((a, b) => {
    const x = sortKey(a);
    const y = sortKey(b);
    const difference =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (
      sign * difference ||
      String(a.user?.id ?? a.rbac_group_id).localeCompare(String(b.user?.id ?? b.rbac_group_id))
    );
  });
  return paged(store, 'analytics.users', query, rows);
}

// ---------------------------------------------------------------------------------------------
// /apps/chat/projects

export function analyticsProjects(store: SandboxStore, query: Query): unknown {
  const p = period(store, query, false);
  const groupBy = groupByOf(query, ['rbac_group_id', 'user_id']);
  const filters = filtersOf(query, ['project_id', 'rbac_group_id', 'user_id']);
  const { orderBy, sign } = order(query, ['project_name', 'message_count'], 'project_name');
  const users = [...store.users.values()].sort((a, b) => a.id.localeCompare(b.id));
  const rows = new Map<
    string,
    {
      project: (typeof ANALYTICS_PROJECTS)[number];
      records: UsageRecord[];
      user: string | null;
      group: string | null;
    }
  >();
  for (const r of userRecords(store, p)) {
    if (r.product !== 'chat') continue;
    const project = projectOf(r);
    if (
      !matches(filters, 'project_id', project.id) ||
      !matches(filters, 'user_id', userIdOf(r)) ||
      !matches(filters, 'rbac_group_id', r.rbacGroupId)
    )
      continue;
    const user = groupBy.includes('user_id') ? userIdOf(r) : null;
    const group = groupBy.includes('rbac_group_id') ? r.rbacGroupId : null;
    const key = JSON.stringify([project.id, user, group]);
    const row = rows.get(key);
    if (row) row.records.push(r);
    else rows.set(key, { project, records: [r], user, group });
  }
  const data = [...rows.values()].map(({ project, records, user, group }, index) => {
    const creator = users[ANALYTICS_PROJECTS.indexOf(project) % Math.max(users.length, 1)];
    const messages = records.reduce((total, r) => total + r.requests, 0);
    void index;
    return {
      project_id: project.id,
      project_name: project.name,
      created_at: `2026-0${ANALYTICS_PROJECTS.indexOf(project) + 3}-15T09:00:00Z`,
      created_by: creator
        ? { id: creator.id, email_address: creator.email, type: 'user' as const }
        : null,
      message_count: messages,
      distinct_user_count: new Set(records.map(userIdOf)).size,
      distinct_conversation_count: Math.ceil(messages / 6),
      ...(groupBy.includes('user_id') ? { user_id: user } : {}),
      ...(groupBy.includes('rbac_group_id')
        ? { rbac_group_id: group, rbac_group_name: groupName(group) }
        : {}),
    };
  });
  data.sort((a, b) => {
    const difference =
      orderBy === 'message_count'
        ? a.message_count - b.message_count
        : a.project_name.localeCompare(b.project_name);
    return (
      sign * difference ||
      JSON.stringify([a.user_id, a.rbac_group_id]).localeCompare(
        JSON.stringify([b.user_id, b.rbac_group_id]),
      )
    );
  });
  return paged(store, 'analytics.apps.chat.projects', query, data);
}

// ---------------------------------------------------------------------------------------------
// /artifacts

export function analyticsArtifacts(store: SandboxStore, query: Query): unknown {
  const p = period(store, query, true);
  const groupBy = groupByOf(query, ['product', 'rbac_group_id', 'user_id']);
  const filters = filtersOf(query, [
    'artifact_type',
    'is_shared',
    'product',
    'rbac_group_id',
    'user_id',
  ]);
  const rows = new Map<
    string,
    {
      type: string;
      shared: boolean;
      product: string | null;
      user: string | null;
      group: string | null;
      created: number;
      published: number;
      users: Set<string>;
    }
  >();
  for (const r of userRecords(store, p)) {
    const type =
      r.product === 'chat' ? ARTIFACT_TYPES[r.output % ARTIFACT_TYPES.length]! : 'text/html';
    const shared = r.uncached % 3 === 0;
    if (
      !matches(filters, 'artifact_type', type) ||
      !matches(filters, 'is_shared', String(shared)) ||
      !matches(filters, 'product', r.product) ||
      !matches(filters, 'user_id', userIdOf(r)) ||
      !matches(filters, 'rbac_group_id', r.rbacGroupId)
    ) {
      continue;
    }
    const product = groupBy.includes('product') ? r.product : null;
    const user = groupBy.includes('user_id') ? userIdOf(r) : null;
    const group = groupBy.includes('rbac_group_id') ? r.rbacGroupId : null;
    const key = JSON.stringify([type, shared, product, user, group]);
    let row = rows.get(key);
    if (!row)
      rows.set(
        key,
        (row = { type, shared, product, user, group, created: 0, published: 0, users: new Set() }),
      );
    const created = 1 + (r.requests % 4);
    row.created += created;
    row.published += shared ? Math.floor(created / 2) : 0;
    row.users.add(userIdOf(r));
  }
  const data = [...rows.values()]
    .sort((a, b) =>
      JSON.stringify([a.type, a.shared, a.product, a.user, a.group]).localeCompare(
        JSON.stringify([b.type, b.shared, b.product, b.user, b.group]),
      ),
    )
    .map((row) => ({
      artifact_type: row.type,
      is_shared: row.shared,
      artifacts_created_count: row.created,
      published_artifacts_created_count: row.published,
      distinct_user_count: row.users.size,
      ...(groupBy.includes('product') ? { product: row.product } : {}),
      ...(groupBy.includes('user_id') ? { user_id: row.user } : {}),
      ...(groupBy.includes('rbac_group_id')
        ? { rbac_group_id: row.group, rbac_group_name: groupName(row.group) }
        : {}),
    }));
  return paged(store, 'analytics.artifacts', query, data);
}

const listRoutes: Route[] = [
  route('GET', '/v1/organizations/analytics/users', ({ store, query }) =>
    analyticsUsers(store, query),
  ),
  route('GET', '/v1/organizations/analytics/apps/chat/projects', ({ store, query }) =>
    analyticsProjects(store, query),
  ),
  route('GET', '/v1/organizations/analytics/artifacts', ({ store, query }) =>
    analyticsArtifacts(store, query),
  ),
];

// ---------------------------------------------------------------------------------------------
// /connectors, /plugins, /skills

interface Tool {
  name: string;
  display: string;
  /** Skills only. */
  shareStatus?: 'organization' | 'private' | 'public';
}

const CONNECTORS: readonly Tool[] = [
  { name: 'github', display: 'GitHub MCP' },
  { name: 'google-drive', display: 'Google Drive' },
  { name: 'jira', display: 'Jira' },
];
const PLUGINS: readonly Tool[] = [
  { name: 'code-review', display: 'Code review' },
  { name: 'release-notes', display: 'Release notes' },
];
const SKILLS: readonly Tool[] = [
  { name: 'brand-guidelines', display: 'Brand guidelines', shareStatus: 'organization' },
  { name: 'pdf', display: 'PDF', shareStatus: 'public' },
  { name: 'xlsx', display: 'Excel', shareStatus: 'private' },
];

interface ToolList {
  list: string;
  tools: readonly Tool[];
  nameDimension: string;
  products: readonly string[];
  extraFilters: readonly string[];
  row: (tool: Tool, records: UsageRecord[], range: boolean) => Record<string, unknown>;
  metric: string;
  metricOf: (row: Record<string, unknown>) => number;
}

function toolList(store: SandboxStore, query: Query, spec: ToolList): unknown {
  const p = period(store, query, false);
  const groupBy = groupByOf(query, ['product', 'rbac_group_id', 'user_id']);
  const filters = filtersOf(query, [
    spec.nameDimension,
    'product',
    'rbac_group_id',
    'user_id',
    ...spec.extraFilters,
  ]);
  for (const product of filters.get('product') ?? []) {
    if (!spec.products.includes(product)) {
      throw invalidRequest(`filter: product '${product}' is not one of ${listOf(spec.products)}`);
    }
  }
  const { orderBy, sign } = order(query, [spec.nameDimension, spec.metric], spec.nameDimension);
  const rows = new Map<
    string,
    { tool: Tool; records: UsageRecord[]; key: Record<string, unknown> }
  >();
  for (const r of userRecords(store, p)) {
    if (!spec.products.includes(r.product)) continue;
    const tool = spec.tools[(r.output + r.requests) % spec.tools.length]!;
    if (
      !(filters.get(spec.nameDimension)?.has(tool.name) ?? true) &&
      !(filters.get(spec.nameDimension)?.has(tool.display.toLowerCase()) ?? true)
    ) {
      continue;
    }
    if (
      !matches(filters, 'product', r.product) ||
      !matches(filters, 'user_id', userIdOf(r)) ||
      !matches(filters, 'rbac_group_id', r.rbacGroupId) ||
      !matches(filters, 'share_status', tool.shareStatus ?? null)
    ) {
      continue;
    }
    const key: Record<string, unknown> = {};
    if (groupBy.includes('product')) key['product'] = r.product;
    if (groupBy.includes('user_id')) key['user_id'] = userIdOf(r);
    if (groupBy.includes('rbac_group_id')) {
      key['rbac_group_id'] = r.rbacGroupId;
      key['rbac_group_name'] = groupName(r.rbacGroupId);
    }
    const id = JSON.stringify([tool.name, key]);
    const row = rows.get(id);
    if (row) row.records.push(r);
    else rows.set(id, { tool, records: [r], key });
  }
  const data = [...rows.values()].map(({ tool, records, key }) => ({
    ...spec.row(tool, records, p.range),
    ...key,
  }));
  data.sort((a, b) => {
    const difference =
      orderBy === spec.metric
        ? spec.metricOf(a) - spec.metricOf(b)
        : String(a[spec.nameDimension]).localeCompare(String(b[spec.nameDimension]));
    return sign * difference || JSON.stringify(a).localeCompare(JSON.stringify(b));
  });
  return paged(store, spec.list, query, data);
}

const distinctUsers = (records: UsageRecord[]) => new Set(records.map(userIdOf)).size;
const sessionsOf = (records: UsageRecord[], product: string) =>
  records.filter((r) => r.product === product).length;

export function analyticsConnectors(store: SandboxStore, query: Query): unknown {
  return toolList(store, query, {
    list: 'analytics.connectors',
    tools: CONNECTORS,
    nameDimension: 'connector_name',
    products: ['chat', 'chat_cowork_unified', 'claude_code', 'cowork', 'office_agent'],
    extraFilters: [],
    metric: 'distinct_user_count',
    metricOf: (row) => Number(row['distinct_user_count']),
    row: (tool, records) => {
      const calls = records.reduce((total, r) => total + r.requests, 0);
      const users = distinctUsers(records);
      return {
        connector_name: tool.name,
        connector_display_name: tool.display,
        distinct_user_count: users,
        individual_auth_distinct_user_count: users,
        managed_auth_distinct_user_count: 0,
        read_call_count: Math.ceil(calls * 0.7),
        write_call_count: Math.floor(calls * 0.3),
        unclassified_call_count: 0,
        chat_metrics: { distinct_conversation_connector_used_count: sessionsOf(records, 'chat') },
        claude_code_metrics: {
          distinct_session_connector_used_count: sessionsOf(records, 'claude_code'),
        },
        cowork_metrics: { distinct_session_connector_used_count: sessionsOf(records, 'cowork') },
        office_metrics: { excel: {}, outlook: {}, powerpoint: {}, word: {} },
      };
    },
  });
}

export function analyticsPlugins(store: SandboxStore, query: Query): unknown {
  return toolList(store, query, {
    list: 'analytics.plugins',
    tools: PLUGINS,
    nameDimension: 'plugin_name',
    products: ['chat_cowork_unified', 'claude_code', 'cowork'],
    extraFilters: [],
    metric: 'invocation_count',
    metricOf: (row) => Number(row['invocation_count']),
    row: (tool, records) => ({
      plugin_id: `plugin_01${tool.name
        .replace(/[^a-z]/g, '')
        .padEnd(22, '0')
        .slice(0, 22)}`,
      plugin_name: tool.name,
      distinct_user_count: distinctUsers(records),
      install_count: distinctUsers(records),
      invocation_count: records.reduce((total, r) => total + (r.requests % 7) + 1, 0),
      claude_code_metrics: {
        distinct_session_plugin_used_count: sessionsOf(records, 'claude_code'),
      },
      cowork_metrics: { distinct_session_plugin_used_count: sessionsOf(records, 'cowork') },
    }),
  });
}

export function analyticsSkills(store: SandboxStore, query: Query): unknown {
  return toolList(store, query, {
    list: 'analytics.skills',
    tools: SKILLS,
    nameDimension: 'skill_name',
    products: ['chat', 'chat_cowork_unified', 'claude_code', 'cowork', 'office_agent'],
    extraFilters: ['share_status'],
    metric: 'invocation_count',
    metricOf: (row) => Number(row['invocation_count']),
    row: (tool, records) => {
      const attributed = records.filter((r) => r.product !== 'chat');
      const value = attributed.reduce((total, r) => total + r.output / 1000, 0);
      return {
        skill_name: tool.name,
        skill_display_name: tool.display,
        share_status: tool.shareStatus ?? null,
        distinct_user_count: distinctUsers(records),
        enable_count: distinctUsers(records),
        invocation_count: records.reduce((total, r) => total + (r.requests % 5) + 1, 0),
        attributed_list_price: attributed.length > 0 ? value.toFixed(4) : null,
        estimated_overage_spend: attributed.length > 0 ? (value / 10).toFixed(4) : null,
        currency: 'USD',
        chat_metrics: { distinct_conversation_skill_used_count: sessionsOf(records, 'chat') },
        claude_code_metrics: {
          distinct_session_skill_used_count: sessionsOf(records, 'claude_code'),
        },
        cowork_metrics: { distinct_session_skill_used_count: sessionsOf(records, 'cowork') },
        office_metrics: { excel: {}, outlook: {}, powerpoint: {}, word: {} },
      };
    },
  });
}

export const analyticsToolRoutes: Route[] = [
  route('GET', '/v1/organizations/analytics/connectors', ({ store, query }) =>
    analyticsConnectors(store, query),
  ),
  route('GET', '/v1/organizations/analytics/plugins', ({ store, query }) =>
    analyticsPlugins(store, query),
  ),
  route('GET', '/v1/organizations/analytics/skills', ({ store, query }) =>
    analyticsSkills(store, query),
  ),
];

export const analyticsEngagementRoutes: Route[] = [...listRoutes, ...analyticsToolRoutes];
