import type { Database } from '../db/database.js';
import type { PrefetchRead } from './cost/estimate.js';
import type { CallerIdentity } from '../domain/caller-identity.js';
import type { LiveHub } from '../live/hub.js';
import type { Loaders } from '../loaders/index.js';
import type { AdminApi } from '../upstream/admin-api.js';
import type { BudgetStatus } from '../upstream/budget.js';
import type { BulkService } from '../upstream/bulk/runner.js';

/** What every resolver of one GraphQL request shares. */
export interface GatewayContext {
  /** Who is calling (for logs), the scopes they hold, and their identity (for the audit trail). */
  caller: { name: string; scopes: ReadonlySet<string>; identity: CallerIdentity };
  /** The Admin API, bound to the credential this request acts with. */
  api: AdminApi;
  /** This request's loaders. */
  loaders: Loaders;
  /** The gateway's id for this request, also sent back as `x-request-id`. */
  requestId: string;
  /** The operation's estimated upstream requests, set before it runs. */
  estimatedUpstreamRequests?: number;
  /**
   * Collections the operation looks objects up in by id, set before it runs: a connection over
   * one of them fetches a full page of 1000, so that the lookups find their objects in it.
   */
  lookups?: ReadonlySet<string>;
  /**
   * The list pages the loaders will ask for first, set before the operation runs: asked for as
   * it starts (the prefetch plugin).
   */
  prefetch?: readonly PrefetchRead[];
  /** Whether the operation reads something that changes with every request (`rateLimit`). */
  volatile?: boolean;
  /** Whether the answer came whole from the result cache (for the operation log). */
  fromResultCache?: boolean;
  /** The upstream budget of this request's credential as it stands; null when there is none. */
  budgetStatus: (options?: BudgetStatusOptions) => Promise<BudgetStatus | null>;
  /** The gateway's database (audit trail, bulk jobs), opened on first use. */
  database: () => Promise<Database>;
  /** The live graph (subscriptions) of this replica; absent when the gateway runs none. */
  live?: LiveHub;
  /**
   * Whether this operation is a dry run (`@dryRun` on the mutation, or `x-dry-run: 1`): checked
   * as usual, but no upstream request is sent; writes are captured instead (see the dry-run plugin).
   */
  dryRun?: boolean;
  /** The bulk job runner; absent when the gateway has no credential of its own. */
  bulk?: BulkService;
}

export interface BudgetStatusOptions {
  /**
   * A status read at most this long ago (in this process) will do: a whole-result cache hit
   * reports the budget without a round trip to the shared state.
   */
  maxAgeMs?: number;
}
