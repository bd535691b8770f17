import { DEFAULT_SANDBOX_KEY, DEFAULT_SANDBOX_OAUTH_TOKEN, startSandbox } from './index.js';

/** Reads an optional non-negative integer from the environment; `undefined` when unset. */
function envInteger(name: string, min: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  let port: number;
  let latencyMs: number;
  let rateLimitPerMinute: number | null;
  try {
    port = envInteger('SANDBOX_PORT', 0) ?? 4010;
    if (port > 65535) throw new Error(`SANDBOX_PORT must be at most 65535, got '${port}'`);
    latencyMs = envInteger('SANDBOX_LATENCY_MS', 0) ?? 0;
    rateLimitPerMinute = envInteger('SANDBOX_RATE_LIMIT_PER_MINUTE', 1) ?? null;
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}`);
    process.exit(1);
  }
  const host = process.env['SANDBOX_HOST']?.trim() || '127.0.0.1';

  const sandbox = await startSandbox({ port, host, latencyMs, rateLimitPerMinute });
  console.log(`Admin API sandbox listening on ${sandbox.url}`);
  console.log(`Demo Admin API key: ${DEFAULT_SANDBOX_KEY}`);
  console.log(`Demo OAuth token (service-account routes): ${DEFAULT_SANDBOX_OAUTH_TOKEN}`);
  console.log('All data served here is generated demo data, not a real organization.');
  if (latencyMs > 0) console.log(`Injected latency: ${latencyMs} ms`);
  if (rateLimitPerMinute !== null) console.log(`Rate limit: ${rateLimitPerMinute} requests/minute`);

  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
