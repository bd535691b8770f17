import { costExtension } from '../cost/estimate.js';
import type { AdminClaudeCodeRecord } from '../../upstream/types.js';
import { builder } from '../builder.js';
import { Organization } from '../nodes/organization.js';
import { DateTime } from '../lib/scalars.js';
import { User } from '../nodes/user.js';
import { ClaudeCodeCustomerType, ClaudeCodeSubscriptionType } from './enums.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { decimalFromNumber, LocalDate, Money, SafeInt, type MoneyShape } from './scalars.js';

/** Page sizes of the Claude Code report (REPORTS.md §3.1). */
export const CLAUDE_CODE_PAGE_SIZES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'record',
};

type CodeRecord = AdminClaudeCodeRecord;

/** Why a 32-bit count of this report gave way to a SafeInt field. */
const intReason = (replacement: string) =>
  `Use ${replacement} (SafeInt): a 32-bit Int holds at most 2^31 − 1, and a larger count fails the whole record.`;
type Breakdown = CodeRecord['model_breakdown'][number];

interface UserActorShape {
  type: 'user_actor';
  email_address: string;
}
interface ApiActorShape {
  type: 'api_actor';
  api_key_name: string;
}
interface OtherActorShape {
  type: string;
}

const ClaudeCodeUserActor = builder.objectRef<UserActorShape>('ClaudeCodeUserActor').implement({
  description: 'A user who signed in to Claude Code with their account (OAuth).',
  fields: (t) => ({
    emailAddress: t.exposeString('email_address', { description: 'The user’s email address.' }),
    user: t.field({
      type: User,
      nullable: true,
      description:
        'The organization member with this email address; null when there is none. The actors of a page share one walk of the users list (a lone actor: a users list filtered by email).',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (actor, _args, ctx) => ctx.loaders.usersByEmail.load(actor.email_address),
    }),
  }),
});

const ClaudeCodeApiActor = builder.objectRef<ApiActorShape>('ClaudeCodeApiActor').implement({
  description: 'Claude Code used through an API key.',
  fields: (t) => ({
    apiKeyName: t.exposeString('api_key_name', {
      authScopes: { apiKeysRead: true },
      description:
        'The API key’s name (the report gives no key id). Needs the `api_keys:read` scope.',
    }),
  }),
});

const ClaudeCodeOtherActor = builder.objectRef<OtherActorShape>('ClaudeCodeOtherActor').implement({
  description: 'An actor of a kind this version of the gateway does not know yet.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'The actor type as the Admin API reports it.' }),
  }),
});

const ClaudeCodeActor = builder.unionType('ClaudeCodeActor', {
  description: 'Who used Claude Code: a signed-in user or an API key.',
  types: [ClaudeCodeUserActor, ClaudeCodeApiActor, ClaudeCodeOtherActor],
  resolveType: (actor) => {
    if (actor.type === 'user_actor') return ClaudeCodeUserActor;
    if (actor.type === 'api_actor') return ClaudeCodeApiActor;
    return ClaudeCodeOtherActor;
  },
});

const LinesOfCode = builder
  .objectRef<CodeRecord['core_metrics']['lines_of_code']>('ClaudeCodeLinesOfCode')
  .implement({
    description: 'Lines of code Claude Code added and removed.',
    fields: (t) => ({
      linesAdded: t.field({
        type: SafeInt,
        description: 'Lines added.',
        resolve: (lines) => lines.added,
      }),
      linesRemoved: t.field({
        type: SafeInt,
        description: 'Lines removed.',
        resolve: (lines) => lines.removed,
      }),
      added: t.exposeInt('added', {
        description: 'Lines added, as a 32-bit Int.',
        deprecationReason: intReason('linesAdded'),
      }),
      removed: t.exposeInt('removed', {
        description: 'Lines removed, as a 32-bit Int.',
        deprecationReason: intReason('linesRemoved'),
      }),
    }),
  });

const CoreMetrics = builder
  .objectRef<CodeRecord['core_metrics']>('ClaudeCodeCoreMetrics')
  .implement({
    description: 'Productivity metrics of one actor and day.',
    fields: (t) => ({
      sessions: t.field({
        type: SafeInt,
        description: 'Sessions started.',
        resolve: (metrics) => metrics.num_sessions,
      }),
      linesOfCode: t.field({
        type: LinesOfCode,
        description: 'Lines added and removed.',
        resolve: (metrics) => metrics.lines_of_code,
      }),
      commits: t.field({
        type: SafeInt,
        description: 'Commits Claude Code made.',
        resolve: (metrics) => metrics.commits_by_claude_code,
      }),
      pullRequests: t.field({
        type: SafeInt,
        description: 'Pull requests Claude Code opened.',
        resolve: (metrics) => metrics.pull_requests_by_claude_code,
      }),
      numSessions: t.exposeInt('num_sessions', {
        description: 'Sessions started, as a 32-bit Int.',
        deprecationReason: intReason('sessions'),
      }),
      commitsByClaudeCode: t.exposeInt('commits_by_claude_code', {
        description: 'Commits Claude Code made, as a 32-bit Int.',
        deprecationReason: intReason('commits'),
      }),
      pullRequestsByClaudeCode: t.exposeInt('pull_requests_by_claude_code', {
        description: 'Pull requests Claude Code opened, as a 32-bit Int.',
        deprecationReason: intReason('pullRequests'),
      }),
    }),
  });

const ModelTokens = builder.objectRef<Breakdown['tokens']>('ClaudeCodeModelTokens').implement({
  description: 'Tokens one model used.',
  fields: (t) => ({
    inputTokens: t.field({
      type: SafeInt,
      description: 'Input tokens.',
      resolve: (tokens) => tokens.input,
    }),
    outputTokens: t.field({
      type: SafeInt,
      description: 'Output tokens.',
      resolve: (tokens) => tokens.output,
    }),
    cacheReadTokens: t.field({
      type: SafeInt,
      description: 'Input tokens read from the cache (a shared key passes 2^31 in a day).',
      resolve: (tokens) => tokens.cache_read,
    }),
    cacheCreationTokens: t.field({
      type: SafeInt,
      description: 'Input tokens written to the cache.',
      resolve: (tokens) => tokens.cache_creation,
    }),
    input: t.exposeInt('input', {
      description: 'Input tokens, as a 32-bit Int.',
      deprecationReason: intReason('inputTokens'),
    }),
    output: t.exposeInt('output', {
      description: 'Output tokens, as a 32-bit Int.',
      deprecationReason: intReason('outputTokens'),
    }),
    cacheRead: t.exposeInt('cache_read', {
      description: 'Input tokens read from the cache, as a 32-bit Int.',
      deprecationReason: intReason('cacheReadTokens'),
    }),
    cacheCreation: t.exposeInt('cache_creation', {
      description: 'Input tokens written to the cache, as a 32-bit Int.',
      deprecationReason: intReason('cacheCreationTokens'),
    }),
  }),
});

const ModelUsage = builder.objectRef<Breakdown>('ClaudeCodeModelUsage').implement({
  description: 'The usage and estimated cost of one model for one actor and day.',
  fields: (t) => ({
    model: t.exposeString('model', { description: 'The model.' }),
    tokens: t.field({
      type: ModelTokens,
      description: 'Tokens used.',
      resolve: (usage) => usage.tokens,
    }),
    estimatedCost: t.field({
      type: Money,
      description: 'The estimated cost, exact (the Admin API reports it in cents).',
      resolve: (usage): MoneyShape => ({
        minorUnits: decimalFromNumber(usage.estimated_cost.amount),
        currency: usage.estimated_cost.currency,
      }),
    }),
  }),
});

interface ToolActionShape {
  tool: string;
  accepted: number;
  rejected: number;
}

const ToolActions = builder.objectRef<ToolActionShape>('ClaudeCodeToolActions').implement({
  description: 'How often the user accepted and rejected one tool’s proposed actions.',
  fields: (t) => ({
    tool: t.exposeString('tool', {
      description: 'The tool, as the Admin API names it (edit_tool, multi_edit_tool, write_tool…).',
    }),
    acceptedCount: t.field({
      type: SafeInt,
      description: 'Actions accepted.',
      resolve: (tool) => tool.accepted,
    }),
    rejectedCount: t.field({
      type: SafeInt,
      description: 'Actions rejected.',
      resolve: (tool) => tool.rejected,
    }),
    accepted: t.exposeInt('accepted', {
      description: 'Actions accepted, as a 32-bit Int.',
      deprecationReason: intReason('acceptedCount'),
    }),
    rejected: t.exposeInt('rejected', {
      description: 'Actions rejected, as a 32-bit Int.',
      deprecationReason: intReason('rejectedCount'),
    }),
    acceptanceRate: t.float({
      nullable: true,
      description: 'accepted / (accepted + rejected); null when there was no action.',
      resolve: (tool) =>
        tool.accepted + tool.rejected === 0
          ? null
          : tool.accepted / (tool.accepted + tool.rejected),
    }),
  }),
});

const ClaudeCodeUsageRecord = builder.objectRef<CodeRecord>('ClaudeCodeUsageRecord').implement({
  description:
    'One actor’s Claude Code activity on one day, in one terminal, local or remote (remote and local usage are separate records).',
  fields: (t) => ({
    date: t.field({
      type: DateTime,
      description: 'The UTC day, as its midnight.',
      resolve: (record) => record.date,
    }),
    actor: t.field({
      type: ClaudeCodeActor,
      description: 'Who used Claude Code.',
      resolve: (record) => record.actor as UserActorShape | ApiActorShape | OtherActorShape,
    }),
    organizationId: t.exposeID('organization_id', { description: 'The organization’s UUID.' }),
    customerType: t.field({
      type: ClaudeCodeCustomerType.ref,
      description: 'How the organization pays for Claude Code.',
      resolve: (record) => ClaudeCodeCustomerType.fromUpstream(record.customer_type) ?? 'api',
    }),
    customerTypeValue: t.exposeString('customer_type', {
      description: 'The customer type exactly as the Admin API reports it.',
    }),
    subscriptionType: t.field({
      type: ClaudeCodeSubscriptionType.ref,
      nullable: true,
      description: 'The subscription plan; null for API customers.',
      resolve: (record) => ClaudeCodeSubscriptionType.fromUpstream(record.subscription_type),
    }),
    subscriptionTypeValue: t.string({
      nullable: true,
      description: 'The subscription type exactly as the Admin API reports it.',
      resolve: (record) => record.subscription_type ?? null,
    }),
    terminalType: t.exposeString('terminal_type', {
      description: 'Where Claude Code ran, such as vscode, iTerm.app or tmux.',
    }),
    isRemote: t.boolean({
      description: 'Whether this is usage of remote sessions (such as Claude Code on the web).',
      resolve: (record) => record.is_remote === true,
    }),
    coreMetrics: t.field({
      type: CoreMetrics,
      description: 'Sessions, lines of code, commits and pull requests.',
      resolve: (record) => record.core_metrics,
    }),
    modelBreakdown: t.field({
      type: [ModelUsage],
      description: 'Tokens and estimated cost per model.',
      resolve: (record) => record.model_breakdown,
    }),
    toolActions: t.field({
      type: [ToolActions],
      description: 'Accepted and rejected actions per tool, sorted by tool name.',
      resolve: (record) =>
        Object.entries(record.tool_actions ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([tool, counts]) => ({ tool, ...counts })),
    }),
  }),
});

export const ClaudeCodeUsageConnection = builder.connectionObject(
  {
    type: ClaudeCodeUsageRecord,
    name: 'ClaudeCodeUsageConnection',
    description: 'A page of Claude Code usage records. Pages forward only (`first`/`after`).',
  },
  { name: 'ClaudeCodeUsageEdge', description: 'A Claude Code usage record and its cursor.' },
);

builder.objectField(Organization, 'claudeCodeUsageReport', (t) =>
  t.connection(
    {
      type: ClaudeCodeUsageRecord,
      description:
        'Claude Code activity of one UTC day, one record per actor, terminal and local/remote (GET /v1/organizations/usage_report/claude_code). Only activity older than about an hour is included. `first` counts records (1–1000, default 20). Forward only: `last` and `before` are refused.',
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        date: t.arg({
          type: LocalDate,
          required: true,
          description:
            'The UTC day (YYYY-MM-DD) to report: metrics of this single day only (REST `starting_at`).',
        }),
      },
      resolve: (_organization, args, ctx) =>
        resolveReportConnection(args, { starting_at: args.date }, CLAUDE_CODE_PAGE_SIZES, (page) =>
          ctx.api.claudeCodeUsageReport(page),
        ),
    },
    ClaudeCodeUsageConnection,
  ),
);
