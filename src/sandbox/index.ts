import type { AddressInfo } from 'node:net';
import { SandboxHttp } from './transport/http.js';
import type { RecordedRequest } from './transport/http.js';
import type { FaultSpec } from './transport/knobs.js';
import { SandboxStore } from './store.js';

export type { RecordedRequest } from './transport/http.js';
export type { FaultSpec, SandboxConfig } from './transport/knobs.js';
export { SandboxStore } from './store.js';
export { EXTERNAL_KEY_IDS, FIXTURE_IDS, FIXTURE_REFERENCE } from './seed.js';

/** The demo Admin API key every sandbox accepts unless told otherwise. */
export const DEFAULT_SANDBOX_KEY =
  'sk-ant-admin01-sandbox-0000000000000000000000000000000000000000';

/**
 * The demo OAuth access token (`org:admin`) every sandbox accepts unless told otherwise: the only
 * credential its service-account routes take (they refuse Admin API keys, as the Admin API does).
 */
export const DEFAULT_SANDBOX_OAUTH_TOKEN =
  'sk-ant-oat01-sandbox-0000000000000000000000000000000000000000';

export interface SandboxOptions {
  /** 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Anchor of the seed data; the same value gives the same data. Default: the current time. */
  now?: Date;
  /**
   * Credential name → secret. Default `{ admin: DEFAULT_SANDBOX_KEY, oauth:
   * DEFAULT_SANDBOX_OAUTH_TOKEN }`.
   */
  credentials?: Record<string, string>;
  latencyMs?: number;
  rateLimitPerMinute?: number | null;
  /** The window the rate limit counts over, in milliseconds; default 60,000 (tests shrink it). */
  rateLimitWindowMs?: number;
}

export interface Sandbox {
  /** Origin, e.g. `http://127.0.0.1:54321`. */
  url: string;
  port: number;
  store: SandboxStore;
  /** Every API request received, oldest first (control routes excluded). */
  requests: RecordedRequest[];
  clearRequests(): void;
  setLatency(ms: number): void;
  setRateLimit(perMinute: number | null): void;
  injectFault(f: FaultSpec): void;
  /** Reseeds the data (same anchor) and drops queued faults and rate-limit windows. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts an emulator of the Admin API's core endpoints on a real HTTP port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const store = new SandboxStore(options.now ?? new Date(), options.now === undefined);
  const credentials = options.credentials ?? {
    admin: DEFAULT_SANDBOX_KEY,
    oauth: DEFAULT_SANDBOX_OAUTH_TOKEN,
  };
  const http = new SandboxHttp(store, credentials, {
    latencyMs: options.latencyMs ?? 0,
    rateLimitPerMinute: options.rateLimitPerMinute ?? null,
    ...(options.rateLimitWindowMs ? { rateLimitWindowMs: options.rateLimitWindowMs } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(options.port ?? 0, host, () => {
      http.server.off('error', reject);
      resolve();
    });
  });
  const { port } = http.server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    requests: http.requests,
    clearRequests: () => {
      http.requests.length = 0;
    },
    setLatency: (ms) => http.setLatency(ms),
    setRateLimit: (perMinute) => http.setRateLimit(perMinute),
    injectFault: (fault) => http.injectFault(fault),
    reset: () => http.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.server.close((error) => (error ? reject(error) : resolve()));
        http.server.closeAllConnections();
      }),
  };
}
