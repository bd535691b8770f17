/**
 * Heavy pieces of work, one per turn of the event loop.
 *
 * Upstream answers that arrive together (thirteen workspaces' member pages, say) are read in one
 * poll phase of the event loop, and everything their callers do with them (completing a
 * thousand GraphQL objects each, caching a thousand entries each) would then run back to back
 * before any timer or socket is served: one stall of their sum. `nextTurn()` queues a piece of
 * work instead: the queue releases one waiter per turn (a `setImmediate` that re-arms itself,
 * which Node runs in the next turn, after timers and I/O), and the waiter's continuation runs
 * fully before the next is released. The work is the same; the longest stall is one piece.
 *
 * One queue per process, because there is one event loop per process.
 */
/** Released waiters are cleared (undefined) until the queue empties and starts again. */
const waiting: ((() => void) | undefined)[] = [];
let head = 0;
let armed = false;

function release(): void {
  armed = false;
  const next = waiting[head];
  if (next === undefined) return;
  waiting[head++] = undefined;
  if (head === waiting.length) {
    waiting.length = 0;
    head = 0;
  } else arm();
  next();
}

function arm(): void {
  if (armed) return;
  armed = true;
  setImmediate(release);
}

/** Resolves in a turn of the event loop of its own, after every waiter queued before it. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    arm();
  });
}

/** Waiters not yet released (for tests). */
export function turnsWaiting(): number {
  return waiting.length - head;
}
