import type { Server } from 'node:http';
import type { Logger } from 'pino';

export interface ShutdownSteps {
  server: Server;
  /** Longest wait for in-flight requests before their connections are cut. */
  drainTimeoutMs: number;
  /** Run in order once the requests have drained: Redis, span export, the sandbox, … */
  closers: { name: string; close: () => Promise<void> }[];
  logger: Logger;
}

/** How long each closer may take (a Redis or a collector that hangs must not block the exit). */
const CLOSER_TIMEOUT_MS = 5_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
      timer.unref();
    }),
  ]);
}

/**
 * Graceful shutdown (SIGTERM from Kubernetes, Docker or compose): stop accepting connections,
 * let in-flight requests finish within `drainTimeoutMs` (idle keep-alive connections are closed at
 * once, the rest when their response is sent), then cut what is left, and run the closers: the
 * gateway (its Redis connection), the span exporter (flushing what it holds), the sandbox.
 */
export async function shutDown({ server, drainTimeoutMs, closers, logger }: ShutdownSteps) {
  const started = performance.now();
  logger.info({ drainTimeoutMs }, 'shutting down: draining in-flight requests');
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Keep-alive connections that finish a response are closed as they become idle.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  idle.unref();
  const outcome = await within(drained, drainTimeoutMs);
  clearInterval(idle);
  if (outcome === 'timeout') {
    logger.warn({ drainTimeoutMs }, 'requests still in flight after the drain timeout: cut');
    server.closeAllConnections();
  }
  for (const { name, close } of closers) {
    const result = await within(
      close().catch((error: unknown) => {
        logger.warn({ closer: name, err: { message: String(error) } }, 'closing failed');
      }),
      CLOSER_TIMEOUT_MS,
    );
    if (result === 'timeout') logger.warn({ closer: name }, 'closing timed out');
  }
  logger.info({ durationMs: Math.round(performance.now() - started) }, 'shut down');
}
