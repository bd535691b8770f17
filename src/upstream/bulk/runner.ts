import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import {
  applyingBulkItems,
  claimBulkOperation,
  finishBulkOperation,
  releaseBulkLease,
  renewBulkLease,
  settleBulkItem,
  startNextBulkItem,
  type BulkItemRow,
  type BulkOperationRow,
} from '../../db/bulk.js';
import { AdminApi } from '../admin-api.js';
import type { BudgetCaller, UpstreamBudget } from '../budget.js';
import type { UpstreamCredential } from '../credentials.js';
import { UpstreamError, toUpstreamError } from '../errors.js';
import type { Upstream } from '../upstream.js';
import { BULK_ITEM_KINDS, itemError, mayHaveApplied } from './items.js';

export interface BulkRunnerOptions {
  database: () => Promise<Database>;
  upstream: Upstream;
  budget: UpstreamBudget;
  /** The gateway's own credential: jobs run with it (and only jobs created with it). */
  credential: UpstreamCredential;
  /** The fraction of the upstream budget jobs may spend (BULK_BUDGET_SHARE). */
  share: number;
  /** A lease not renewed for this long may be taken over (default 30 s). */
  leaseMs?: number;
  /** How often an idle runner looks for jobs (default 5 s); `wake()` looks at once. */
  pollMs?: number;
  /** Hears what the runner could not do (a failing database, say); it keeps going. */
  onError?: (error: unknown) => void;
}

/** What the graph needs of the runner. */
export interface BulkService {
  /** The credential fingerprint jobs run with: a job must be created with it. */
  readonly credential: string;
  /** Items per second a job is paced to (Infinity without a budget). */
  readonly itemsPerSecond: number;
  /** Starts the runner if it is not running, and has it look for jobs now. */
  wake(): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs bulk jobs from the database, one item at a time, paced within the upstream budget at the
 * bulk share (see UpstreamBudget's background callers). A job is claimed with a lease that is
 * renewed while it runs, so that exactly one replica runs it and another takes it over once the
 * lease expires. An item is marked APPLYING and committed before its write is sent; an item found
 * APPLYING when a job is taken over is settled by a read, never sent blindly a second time.
 */
export class BulkRunner implements BulkService {
  readonly id = `runner-${randomUUID()}`;
  readonly credential: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly stopping = new AbortController();
  private wakeUp = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: BulkRunnerOptions) {
    this.credential = options.credential.fingerprint;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 5_000;
  }

  get itemsPerSecond(): number {
    return this.options.budget.backgroundRate(this.options.share);
  }

  wake(): void {
    if (this.stopping.signal.aborted) return;
    this.loop ??= this.run();
    this.wakeUp.abort();
  }

  /** Stops after the item in flight (its write finishes and is recorded); releases the lease. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp.abort();
    await this.loop;
  }

  private get stopped() {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.wakeUp = new AbortController();
      let job: BulkOperationRow | null = null;
      try {
        const database = await this.options.database();
        job = await claimBulkOperation(database, {
          id: this.id,
          credential: this.credential,
          leaseMs: this.leaseMs,
        });
        if (job) await this.runJob(database, job);
      } catch (error) {
        this.options.onError?.(error);
        if (job) {
          const database = await this.options.database().catch(() => null);
          await (database && releaseBulkLease(database, job.id, this.id).catch(() => undefined));
        }
      }
      if (!job && !this.stopped) {
        await sleep(this.pollMs, AbortSignal.any([this.wakeUp.signal, this.stopping.signal]));
      }
    }
  }

  private async runJob(database: Database, job: BulkOperationRow): Promise<void> {
    // The lease is renewed while the job runs, whatever the item in flight waits for.
    let lost = false;
    const renew = setInterval(
      () => {
        renewBulkLease(database, job.id, { id: this.id, leaseMs: this.leaseMs })
          .then((held) => {
            if (!held) lost = true;
          })
          .catch((error: unknown) => this.options.onError?.(error));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    try {
      // Items a runner before this one marked APPLYING: a read tells whether they were applied.
      for (const item of await applyingBulkItems(database, job.id)) {
        if (this.stopped || lost) return;
        await this.settleByRead(database, job, item);
      }
      while (!this.stopped && !lost) {
        const item = await startNextBulkItem(database, job.id, this.id);
        if (item === 'lost') return;
        if (item === null) {
          await finishBulkOperation(database, job.id, this.id);
          return;
        }
        await this.applyItem(database, job, item);
      }
    } finally {
      clearInterval(renew);
      if (this.stopped || lost) await releaseBulkLease(database, job.id, this.id);
    }
  }

  /** Budget for the job's requests: the bulk share, waiting as long as needed, until stopped. */
  private caller(): BudgetCaller {
    return {
      id: 'bulk',
      whole: true,
      background: { share: this.options.share, signal: this.stopping.signal },
    };
  }

  /** An AdminApi for one item, noting the upstream request id of its write. */
  private apiFor(): { api: AdminApi; requestId: () => string | null } {
    let requestId: string | null = null;
    const api = new AdminApi(this.options.upstream, this.options.credential, (attempt) => {
      if (attempt.method !== 'GET') requestId = attempt.upstreamRequestId;
    });
    api.budgetCaller = this.caller();
    return { api, requestId: () => requestId };
  }

  private async applyItem(
    database: Database,
    job: BulkOperationRow,
    item: BulkItemRow,
  ): Promise<void> {
    const kind = BULK_ITEM_KINDS[job.kind];
    const { api, requestId } = this.apiFor();
    try {
      await kind.apply(api, item.target);
      await settleBulkItem(database, job.id, item.index, {
        status: 'DONE',
        upstreamRequestId: requestId(),
      });
    } catch (caught) {
      const error = toUpstreamError(caught);
      if (error.kind === 'budget' || error.kind === 'circuit' || !mayHaveSent(error)) {
        // Nothing was sent (stopping, the budget, an open circuit, a refused connection, a 429):
        // the item goes back to PENDING, and the runner waits before the next one.
        await settleBulkItem(database, job.id, item.index, { status: 'PENDING', unsent: true });
        if (!this.stopped) {
          await sleep((error.retryAfterSeconds ?? 1) * 1000, this.stopping.signal);
        }
        return;
      }
      if (mayHaveApplied(error)) {
        await this.settleByRead(database, job, item);
        return;
      }
      if (error.kind === 'http' && (error.status ?? 0) >= 500) {
        // The Admin API answered that it failed: not applied; the item is tried again later.
        await settleBulkItem(database, job.id, item.index, { status: 'PENDING' });
        await sleep((error.retryAfterSeconds ?? 1) * 1000, this.stopping.signal);
        return;
      }
      if (kind.duplicate?.(error)) {
        await settleBulkItem(database, job.id, item.index, {
          status: 'DONE',
          upstreamRequestId: error.upstreamRequestId,
        });
        return;
      }
      const userError = itemError(kind, error) ?? {
        message: `The Admin API answered ${error.status ?? error.kind}: ${error.message}`,
        code: 'CONFLICT' as const,
        field: null,
      };
      await settleBulkItem(database, job.id, item.index, {
        status: 'FAILED',
        userErrors: [userError],
        upstreamRequestId: error.upstreamRequestId,
      });
    }
  }

  /**
   * Settles an item whose write may have been sent by reading whether its change is in place:
   * DONE when it is, PENDING (sent again later: the read shows it never took effect) when it is
   * not, UNKNOWN only when the read itself fails.
   */
  private async settleByRead(
    database: Database,
    job: BulkOperationRow,
    item: BulkItemRow,
  ): Promise<void> {
    const kind = BULK_ITEM_KINDS[job.kind];
    const { api } = this.apiFor();
    try {
      const applied = await kind.applied(api, item.target);
      await settleBulkItem(database, job.id, item.index, {
        status: applied ? 'DONE' : 'PENDING',
      });
    } catch (caught) {
      const error = toUpstreamError(caught);
      if (this.stopped && error.kind === 'budget') return; // still APPLYING: the next runner reads
      await settleBulkItem(database, job.id, item.index, {
        status: 'UNKNOWN',
        userErrors: [
          {
            message: `The change may have been made: its answer was lost and reading it back failed (${error.message.replace(/\.$/, '')}). Read the object to know.`,
            code: 'CONFLICT',
            field: null,
          },
        ],
      });
    }
  }
}

/** Whether a failed write reached the Admin API at all (an answer, or an answer lost). */
function mayHaveSent(error: UpstreamError): boolean {
  if (error.kind === 'http') return error.status !== 429;
  return mayHaveApplied(error);
}
