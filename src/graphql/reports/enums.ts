import { badUserInput } from '../lib/errors.js';
import { builder } from '../builder.js';
import { UNKNOWN_VALUE, openEnum } from '../lib/open-enum.js';

/** The REST values of an enum list argument; UNKNOWN is refused (it is output only). */
export function knownValues(
  values: readonly string[] | null | undefined,
  argumentName: string,
): string[] | undefined {
  if (values == null) return undefined;
  if (values.includes(UNKNOWN_VALUE)) {
    throw badUserInput(`\`${argumentName}\` cannot contain UNKNOWN.`, { argumentName });
  }
  return [...values];
}

export const ReportBucketWidth = builder.enumType('ReportBucketWidth', {
  description:
    'The size of the time buckets of the Messages usage report; buckets are aligned to the UTC minute, hour or day.',
  values: {
    MINUTE: {
      value: '1m',
      description: 'One-minute buckets ("1m"): 60 per page by default, at most 1440.',
    },
    HOUR: {
      value: '1h',
      description: 'One-hour buckets ("1h"): 24 per page by default, at most 168.',
    },
    DAY: { value: '1d', description: 'One-day buckets ("1d"): 7 per page by default, at most 31.' },
  } as const,
});

export const MessagesUsageGroupBy = builder.enumType('MessagesUsageGroupBy', {
  description:
    'A dimension the Messages usage report can split each bucket by (REST `group_by[]`). Rows carry the values of the grouped dimensions; the others are null.',
  values: {
    ACCOUNT_ID: {
      value: 'account_id',
      description: 'The user account (OAuth) that made the requests.',
    },
    API_KEY_ID: {
      value: 'api_key_id',
      description: 'The API key used. Needs the `api_keys:read` scope.',
    },
    CONTEXT_WINDOW: { value: 'context_window', description: 'The context-window tier.' },
    INFERENCE_GEO: { value: 'inference_geo', description: 'Where inference ran.' },
    MODEL: { value: 'model', description: 'The model.' },
    SERVICE_ACCOUNT_ID: {
      value: 'service_account_id',
      description: 'The service account (OIDC federation) that made the requests.',
    },
    SERVICE_TIER: { value: 'service_tier', description: 'The service tier.' },
    SPEED: {
      value: 'speed',
      description:
        'The inference speed (research preview; the gateway sends the beta header it needs).',
    },
    WORKSPACE_ID: { value: 'workspace_id', description: 'The workspace.' },
  } as const,
});

export const CostReportGroupBy = builder.enumType('CostReportGroupBy', {
  description: 'A dimension the cost report can split each day by (REST `group_by[]`).',
  values: {
    DESCRIPTION: {
      value: 'description',
      description:
        'The cost line (model, token type, service tier…): fills costType, description, model, tokenType, serviceTier, contextWindow and inferenceGeo.',
    },
    WORKSPACE_ID: { value: 'workspace_id', description: 'The workspace.' },
  } as const,
});

export const ContextWindow = openEnum('ContextWindow', 'The context-window tier of requests.', {
  '0-200k': ['UP_TO_200K', 'Requests of up to 200k tokens of context ("0-200k").'],
  '200k-1M': ['FROM_200K_TO_1M', 'Requests of 200k to 1M tokens of context ("200k-1M").'],
});

export const ReportInferenceGeo = openEnum(
  'ReportInferenceGeo',
  'Where inference ran, as reports show it.',
  {
    global: 'Anywhere.',
    not_available: 'A model that takes no inference geo (models released before February 2026).',
    us: 'The United States.',
  },
);

export const ServiceTier = openEnum('ServiceTier', 'The service tier of requests.', {
  batch: 'The Message Batches API.',
  flex: 'Flex processing.',
  flex_discount: 'Flex processing at the discounted rate.',
  priority: 'Priority Tier.',
  priority_on_demand: 'Priority Tier capacity used on demand.',
  standard: 'The standard tier.',
});

export const InferenceSpeed = openEnum(
  'InferenceSpeed',
  'The inference speed of requests (research preview).',
  {
    fast: 'Fast mode.',
    standard: 'Standard speed.',
  },
);

export const CostType = openEnum('CostType', 'The kind of a cost line.', {
  code_execution: 'The code execution tool.',
  session_usage: 'Session usage (an opaque category of the Admin API).',
  tokens: 'Tokens of a model.',
  web_search: 'The web search tool.',
});

export const CostTokenType = openEnum(
  'CostTokenType',
  'The kind of tokens a cost line charges for.',
  {
    'cache_creation.ephemeral_1h_input_tokens': [
      'CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS',
      'Input tokens written to the 1-hour cache.',
    ],
    'cache_creation.ephemeral_5m_input_tokens': [
      'CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS',
      'Input tokens written to the 5-minute cache.',
    ],
    cache_read_input_tokens: ['CACHE_READ_INPUT_TOKENS', 'Input tokens read from the cache.'],
    output_tokens: ['OUTPUT_TOKENS', 'Output tokens.'],
    uncached_input_tokens: ['UNCACHED_INPUT_TOKENS', 'Uncached input tokens.'],
  },
);

export const ClaudeCodeCustomerType = openEnum(
  'ClaudeCodeCustomerType',
  'How the organization pays for Claude Code.',
  {
    api: 'Pay-as-you-go API customer.',
    subscription: 'Subscription customer (Team or Enterprise plan).',
  },
);

export const ClaudeCodeSubscriptionType = openEnum(
  'ClaudeCodeSubscriptionType',
  'The subscription plan of a subscription customer.',
  { enterprise: 'The Enterprise plan.', team: 'The Team plan.' },
);

export const RateLimitGroupType = openEnum(
  'RateLimitGroupType',
  'What a rate-limit group covers: a family of models or an API surface.',
  {
    batch: 'The Message Batches API.',
    files: 'The Files API.',
    model_group: 'A family of models (its models are listed).',
    skills: 'The Skills API.',
    token_count: 'Token counting.',
    web_search: 'The web search tool.',
  },
);
