/*
 * Fixed tables behind the generated reports: the models the demo organization uses, an invented
 * price table (the fixtures' one, extended to a third model; real prices are out of scope) and the
 * organization's rate-limit groups.
 */

/** Prices in hundredths of a US dollar per million tokens, so that amounts stay integers. */
export interface ModelPrices {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface ModelInfo {
  id: string;
  displayName: string;
  /** Whether requests may set an inference geo (models released from February 2026 on). */
  takesInferenceGeo: boolean;
  /** Whether the model offers the 1M context window and fast mode. */
  longContext: boolean;
  prices: ModelPrices;
}

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    takesInferenceGeo: true,
    longContext: true,
    prices: { input: 500, output: 2500, cacheRead: 50, cacheWrite5m: 625, cacheWrite1h: 1000 },
  },
  {
    id: 'claude-sonnet-5',
    displayName: 'Claude Sonnet 5',
    takesInferenceGeo: true,
    longContext: true,
    prices: { input: 300, output: 1500, cacheRead: 30, cacheWrite5m: 375, cacheWrite1h: 600 },
  },
  {
    id: 'claude-haiku-4-5',
    displayName: 'Claude Haiku 4.5',
    takesInferenceGeo: false,
    longContext: false,
    prices: { input: 100, output: 500, cacheRead: 10, cacheWrite5m: 125, cacheWrite1h: 200 },
  },
];

export const MODEL_BY_ID = new Map(MODELS.map((model) => [model.id, model]));

/** Web search: 1 cent per request, in millionths of a cent. */
export const WEB_SEARCH_MICROCENTS = 1_000_000;
/** Code execution: 0.1 cent per minute, in millionths of a cent. */
export const CODE_EXECUTION_MICROCENTS_PER_MINUTE = 100_000;

export const BUCKET_WIDTHS = ['1d', '1h', '1m'] as const;
export type BucketWidth = (typeof BUCKET_WIDTHS)[number];

export const USAGE_GROUP_BY = [
  'account_id',
  'api_key_id',
  'context_window',
  'inference_geo',
  'model',
  'service_account_id',
  'service_tier',
  'speed',
  'workspace_id',
] as const;
export type UsageDimension = (typeof USAGE_GROUP_BY)[number];

export const CONTEXT_WINDOWS = ['0-200k', '200k-1M'] as const;
export const REPORT_INFERENCE_GEOS = ['global', 'not_available', 'us'] as const;
export const SERVICE_TIERS = [
  'batch',
  'flex',
  'flex_discount',
  'priority',
  'priority_on_demand',
  'standard',
] as const;
export const SPEEDS = ['fast', 'standard'] as const;
export const COST_GROUP_BY = ['description', 'workspace_id'] as const;

export const RATE_LIMIT_GROUP_TYPES = [
  'batch',
  'files',
  'model_group',
  'skills',
  'token_count',
  'web_search',
] as const;

export interface RateLimitGroup {
  id: string;
  group_type: (typeof RATE_LIMIT_GROUP_TYPES)[number];
  limits: { type: string; value: number }[];
  models: string[] | null;
}

const modelLimits = (rpm: number, itpm: number, otpm: number) => [
  { type: 'requests_per_minute', value: rpm },
  { type: 'input_tokens_per_minute', value: itpm },
  { type: 'output_tokens_per_minute', value: otpm },
];

/** The organization's groups: model groups newest family first, then the others by type. */
export const RATE_LIMIT_GROUPS: readonly RateLimitGroup[] = [
  {
    id: 'rl_grp_opus_5',
    group_type: 'model_group',
    limits: modelLimits(4000, 10_000_000, 800_000),
    models: ['claude-opus-5'],
  },
  {
    id: 'rl_grp_sonnet_5',
    group_type: 'model_group',
    limits: modelLimits(4000, 8_000_000, 800_000),
    models: ['claude-sonnet-5'],
  },
  {
    id: 'rl_grp_opus_4',
    group_type: 'model_group',
    limits: modelLimits(4000, 10_000_000, 800_000),
    models: [
      'claude-opus-4-5',
      'claude-opus-4-5-20251101',
      'claude-opus-4-6',
      'claude-opus-4-7',
      'claude-opus-4-8',
    ],
  },
  {
    id: 'rl_grp_sonnet_4',
    group_type: 'model_group',
    limits: modelLimits(4000, 2_000_000, 400_000),
    models: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-6'],
  },
  {
    id: 'rl_grp_haiku_4',
    group_type: 'model_group',
    limits: modelLimits(4000, 4_000_000, 800_000),
    models: ['claude-haiku-4-5', 'claude-haiku-4-5-20251001'],
  },
  {
    id: 'rl_grp_batch',
    group_type: 'batch',
    limits: [{ type: 'enqueued_batch_requests', value: 500_000 }],
    models: null,
  },
  {
    id: 'rl_grp_files',
    group_type: 'files',
    limits: [{ type: 'requests_per_minute', value: 1000 }],
    models: null,
  },
  {
    id: 'rl_grp_skills',
    group_type: 'skills',
    limits: [{ type: 'requests_per_minute', value: 200 }],
    models: null,
  },
  {
    id: 'rl_grp_token_count',
    group_type: 'token_count',
    limits: [{ type: 'requests_per_minute', value: 2000 }],
    models: null,
  },
  {
    id: 'rl_grp_web_search',
    group_type: 'web_search',
    limits: [{ type: 'requests_per_minute', value: 500 }],
    models: null,
  },
];

/** FNV-1a: a stable 32-bit hash of a string, to seed per-day generators. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
