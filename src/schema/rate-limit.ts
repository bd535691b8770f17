import { volatileExtension } from '../cost.js';
import { builder } from './builder.js';
import { DateTime } from './scalars.js';

interface RateLimitShape {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
  pausedUntil: string | null;
  cost: number;
}

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
      };
    },
  }),
);
