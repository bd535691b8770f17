import { volatileExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { DateTime } from '../lib/scalars.js';
import type { LivePollerStatus } from '../../live/hub.js';

interface CallerRateLimitShape {
  limit: number;
  remaining: number;
  resetAt: string;
  whole: boolean;
}

interface RateLimitShape {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
  pausedUntil: string | null;
  cost: number;
  caller: CallerRateLimitShape | null;
}

const CallerRateLimit = builder.objectRef<CallerRateLimitShape>('CallerRateLimit').implement({
  description:
    'The share of the upstream budget the calling gateway token, JWT subject or credential may spend. Queries of callers without the `admin` scope take each upstream request from their share as well as from the organization’s budget, so that one caller cannot spend it all; mutations and `admin` callers may use the whole budget.',
  fields: (t) => ({
    limit: t.exposeInt('limit', {
      description:
        'Upstream requests this caller may spend per minute (the whole budget when `wholeBudget`).',
    }),
    remaining: t.exposeInt('remaining', {
      description: 'Upstream requests this caller can make now without waiting.',
    }),
    resetAt: t.field({
      type: DateTime,
      description: 'When this caller’s share is full again.',
      resolve: (share) => share.resetAt,
    }),
    wholeBudget: t.exposeBoolean('whole', {
      description:
        'Whether this operation may use the whole budget (a mutation, or a caller holding `admin`) rather than a share of it.',
    }),
  }),
});

const LivePollerBudget = builder.objectRef<LivePollerStatus>('LivePollerBudget').implement({
  description:
    'What the live graph’s poller (the one per organization that feeds `organizationChanges`) spends of the upstream budget. It spends at most `share` of what interactive traffic leaves, polls no more often than every `minIntervalMs`, and postpones a poll rather than take budget a query is about to need.',
  fields: (t) => ({
    share: t.exposeFloat('share', {
      description:
        'The share (0–1) of the budget left by interactive traffic that polls may spend (LIVE_BUDGET_SHARE).',
    }),
    minIntervalMs: t.exposeInt('minIntervalMs', {
      description: 'The shortest time between two polls, in milliseconds (LIVE_POLL_INTERVAL_MS).',
    }),
    spentLastMinute: t.exposeInt('spentLastMinute', {
      description: 'Upstream requests the poller made in the last minute.',
    }),
    lastPollAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the last poll completed; null before the first.',
      resolve: (status) => status.lastPollAt,
    }),
    nextPollAt: t.field({
      type: DateTime,
      nullable: true,
      description:
        'When the next poll is due (later while the budget is short); null when no poll is planned.',
      resolve: (status) => status.nextPollAt,
    }),
    subscribers: t.exposeInt('subscribers', {
      description: 'Subscriptions open on the replica that answered.',
    }),
  }),
});

const RateLimit = builder.objectRef<RateLimitShape>('RateLimit').implement({
  description:
    'The gateway’s budget of Admin API requests for the credential in use, and what this operation is estimated to cost. Reading it spends no budget.',
  fields: (t) => ({
    limit: t.exposeInt('limit', {
      nullable: true,
      description: 'Upstream requests allowed per minute; null when the gateway sets no budget.',
    }),
    remaining: t.exposeInt('remaining', {
      nullable: true,
      description: 'Upstream requests that can be made now without waiting; null without a budget.',
    }),
    resetAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the budget is full again; null without a budget.',
      resolve: (limit) => limit.resetAt,
    }),
    pausedUntil: t.field({
      type: DateTime,
      nullable: true,
      description:
        'When upstream requests may resume after the Admin API answered 429; null when not paused.',
      resolve: (limit) => limit.pausedUntil,
    }),
    cost: t.exposeInt('cost', {
      description:
        'The upstream requests this operation was estimated to need, before the cache (the same as extensions.cost.estimatedUpstreamRequests).',
    }),
    livePoller: t.field({
      type: LivePollerBudget,
      nullable: true,
      description:
        'The live graph poller’s share of the budget and its cadence; null when the gateway runs no poller (no credential of its own).',
      resolve: (_limit, _args, ctx) => ctx.live?.status() ?? null,
    }),
    caller: t.expose('caller', {
      type: CallerRateLimit,
      nullable: true,
      description:
        'The calling token’s, subject’s or credential’s own share of the budget (limit, remaining, resetAt above are the organization’s); null when the gateway sets no budget.',
    }),
  }),
});

builder.queryField('rateLimit', (t) =>
  t.field({
    type: RateLimit,
    extensions: volatileExtension,
    description:
      'The upstream budget for the credential in use and this operation’s estimated cost, in the spirit of GitHub’s rateLimit. Costs no upstream request.',
    resolve: async (_root, _args, ctx) => {
      const status = await ctx.budgetStatus();
      return {
        limit: status?.limit ?? null,
        remaining: status?.remaining ?? null,
        resetAt: status?.resetAt ?? null,
        pausedUntil: status?.pausedUntil ?? null,
        cost: ctx.estimatedUpstreamRequests ?? 0,
        caller: status?.caller ?? null,
      };
    },
  }),
);
