import type { Database } from '../db/database.js';
import type { Loaders } from '../loaders/index.js';
import type { AdminApi } from '../upstream/admin-api.js';
import type { BudgetStatus } from '../upstream/budget.js';

/** What every resolver of one GraphQL request shares. */
export interface GatewayContext {
  /** Who is calling (for logs) and the scopes they hold. */
  caller: { name: string; scopes: ReadonlySet<string> };
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
  /** Whether the operation reads something that changes with every request (`rateLimit`). */
  volatile?: boolean;
  /** Whether the answer came whole from the result cache (for the operation log). */
  fromResultCache?: boolean;
  /** The upstream budget of this request's credential as it stands; null when there is none. */
  budgetStatus: () => Promise<BudgetStatus | null>;
  /** The gateway's database (audit trail, bulk jobs), opened on first use. */
  database: () => Promise<Database>;
}
