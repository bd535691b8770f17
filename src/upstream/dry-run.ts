import type { CapturedRequest } from './upstream.js';

/** One upstream request a dry run would have made, captured unsent. */
export interface DryRunCall extends CapturedRequest {
  /** The operation's stable name (`api_keys.update`). */
  operation: string;
  /** Whether it is a write (a read is one the shared cache could not answer). */
  write: boolean;
}

/** Where an AdminApi in dry-run mode reports the requests it would make. */
export interface DryRunRecorder {
  record(call: DryRunCall): void;
}

/**
 * Thrown by an AdminApi in dry-run mode in place of an upstream answer: the request was captured,
 * not sent, so the resolver cannot go on. The dry-run plugin turns it into a payload with a null
 * result; it never reaches a caller as an error.
 */
export class DryRunStop extends Error {
  constructor(readonly operation: string) {
    super(`dry run: ${operation} was not sent`);
    this.name = 'DryRunStop';
  }
}
