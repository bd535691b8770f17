import { builder } from '../builder.js';
import { openEnum } from '../lib/open-enum.js';

/*
 * Enums of the analytics reports (GET /v1/organizations/analytics/...). Values the Admin API may
 * extend (actor types, products, Claude Tag categories) are open enums; the arguments that name
 * a fixed set of dimensions or sort keys are plain enums.
 */

const GROUP_DIMENSIONS = {
  ACTOR: {
    value: 'actor',
    description:
      'The identity the usage is attributed to: the user if any, else the service account, else the federated identity, else the API key (fills `actor`).',
  },
  ACTOR_TYPE: { value: 'actor_type', description: 'The kind of that identity.' },
  AGENT_ID: { value: 'agent_id', description: 'The Claude Managed Agents agent of the session.' },
  API_KEY_ID: {
    value: 'api_key_id',
    description: 'The API key that authenticated the requests. Needs the `api_keys:read` scope.',
  },
  CLAUDE_TAG_CATEGORY: {
    value: 'claude_tag_category',
    description: 'The Claude Tag (Claude in Slack) spend category.',
  },
  CLAUDE_TAG_USER_ID: {
    value: 'claude_tag_user_id',
    description: 'The Slack user a Claude Tag usage is attributed to.',
  },
  CONTEXT_WINDOW: { value: 'context_window', description: 'The context-window pricing tier.' },
  DEPLOYMENT_ID: {
    value: 'deployment_id',
    description: 'The deployment that started the Claude Managed Agents session.',
  },
  ENVIRONMENT_ID: {
    value: 'environment_id',
    description: 'The Claude Managed Agents environment the session ran in.',
  },
  INFERENCE_GEO: { value: 'inference_geo', description: 'The inference region.' },
  MODEL: { value: 'model', description: 'The model.' },
  ORGANIZATION_ID: {
    value: 'organization_id',
    description: 'The child organization, on a parent organization’s report.',
  },
  PRODUCT: { value: 'product', description: 'The product surface (chat, Claude Code…).' },
  RBAC_GROUP_ID: {
    value: 'rbac_group_id',
    description:
      'The RBAC group (team); a user in several groups counts in each, so rows can sum above the total.',
  },
  SERVICE_TIER: { value: 'service_tier', description: 'The service tier.' },
  SESSION_ID: { value: 'session_id', description: 'The Claude Managed Agents session.' },
  SLACK_CHANNEL_ID: { value: 'slack_channel_id', description: 'The Slack channel.' },
  SPEED: { value: 'speed', description: 'The inference speed mode.' },
  USER_PROFILE_ID: { value: 'user_profile_id', description: 'The user profile (uprof_…).' },
  WORKSPACE_ID: { value: 'workspace_id', description: 'The workspace.' },
} as const;

export const AnalyticsUsageGroupBy = builder.enumType('AnalyticsUsageGroupBy', {
  description:
    'A dimension the analytics usage report can break rows out by (REST `group_by[]`, at most 5). Rows carry the values of the grouped dimensions; the others are null.',
  values: GROUP_DIMENSIONS,
});

export const AnalyticsCostGroupBy = builder.enumType('AnalyticsCostGroupBy', {
  description:
    'A dimension the analytics cost report can break rows out by (REST `group_by[]`, at most 5). Rows carry the values of the grouped dimensions; the others are null.',
  values: {
    ...GROUP_DIMENSIONS,
    COST_TYPE: {
      value: 'cost_type',
      description:
        'The kind of cost (tokens, web search…); fan-out rows that do not count toward `first`, and `requests` is null.',
    },
    TOKEN_TYPE: {
      value: 'token_type',
      description:
        'The kind of tokens of a token cost; fan-out rows that do not count toward `first`, and `requests` is null.',
    },
  } as const,
});

export const AnalyticsTimeBucketWidth = builder.enumType('AnalyticsTimeBucketWidth', {
  description:
    'The time buckets of an analytics usage or cost report (REST `time_bucket_width`); buckets are aligned to the UTC minute, hour or day.',
  values: {
    MINUTE: { value: '1m', description: 'One-minute buckets ("1m"): the range may span 24 hours.' },
    HOUR: { value: '1h', description: 'One-hour buckets ("1h").' },
    DAY: { value: '1d', description: 'One-day buckets ("1d").' },
  } as const,
});

export const AnalyticsUsageOrderBy = builder.enumType('AnalyticsUsageOrderBy', {
  description: 'How the rows of the analytics usage report are ranked (REST `order_by`).',
  values: {
    TOTAL_TOKENS: { value: 'total_tokens', description: 'By total tokens (the default).' },
    OUTPUT_TOKENS: { value: 'output_tokens', description: 'By output tokens.' },
    UNCACHED_INPUT_TOKENS: {
      value: 'uncached_input_tokens',
      description: 'By uncached input tokens.',
    },
    REQUESTS: { value: 'requests', description: 'By request count.' },
    TIME: {
      value: 'time',
      description:
        'By time bucket, then by total tokens within a bucket; the same as TOTAL_TOKENS without timeBucketWidth.',
    },
  } as const,
});

export const AnalyticsCostOrderBy = builder.enumType('AnalyticsCostOrderBy', {
  description: 'How the rows of the analytics cost report are ranked (REST `order_by`).',
  values: {
    AMOUNT: { value: 'amount', description: 'By amount after discounts (the default).' },
    LIST_AMOUNT: { value: 'list_amount', description: 'By list-price amount.' },
    TIME: {
      value: 'time',
      description:
        'By time bucket, then by amount within a bucket; the same as AMOUNT without timeBucketWidth.',
    },
  } as const,
});

export const AnalyticsSortOrder = builder.enumType('AnalyticsSortOrder', {
  description: 'The direction of an analytics report’s ranking (REST `order`).',
  values: {
    DESCENDING: { value: 'desc', description: 'Highest (or newest) first.' },
    ASCENDING: { value: 'asc', description: 'Lowest (or oldest) first.' },
  } as const,
});

export const AnalyticsActorType = openEnum(
  'AnalyticsActorType',
  'The kind of identity analytics usage or cost is attributed to.',
  {
    user_actor: 'A user (seat) of the organization.',
    service_account_actor: 'A service account.',
    federated_actor: 'A federated (cloud-platform or OIDC) identity.',
    api_actor: 'An API key, when no user, service account or federated identity is attributed.',
  },
);

export const AnalyticsProduct = openEnum(
  'AnalyticsProduct',
  'A product surface analytics usage or cost comes from.',
  {
    chat: 'Claude chat (claude.ai).',
    claude_code: 'Claude Code.',
    cowork: 'Cowork.',
    office_agent: 'Claude in Office (Excel, PowerPoint, Word, Outlook).',
    claude_in_chrome: 'Claude in Chrome.',
    claude_design: 'Claude Design.',
    claude_tag: 'Claude Tag, Claude in Slack.',
    chat_cowork_unified: [
      'CHAT_COWORK_UNIFIED',
      'Chat and Cowork unified: chat and Cowork usage of a member who has it turned on.',
    ],
    claude_console: 'The Claude Console (Workbench).',
    messages_api: 'The Messages API.',
    message_batches_api: 'The Message Batches API.',
    managed_agents_api: 'The Claude Managed Agents API.',
    cc_security_autopatch: 'Work Claude Security runs for the organization (output only).',
    other: 'Usage the Admin API cannot attribute to a known surface (output only).',
  },
);

export const AnalyticsClaudeTagCategory = openEnum(
  'AnalyticsClaudeTagCategory',
  'A Claude Tag (Claude in Slack) spend category.',
  {
    engaged: 'A person addressed Claude in a channel or thread.',
    proactive: 'Claude responded without being addressed.',
    scheduled: 'A scheduled routine ran.',
    monitoring: 'Claude watched a channel it was asked to monitor.',
    dm: 'Direct messages with Claude.',
  },
);
