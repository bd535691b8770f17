import { DEFAULT_SANDBOX_OAUTH_TOKEN } from '../src/sandbox/index.js';
import { errorCodes, post } from './client.js';
import { groupCalls } from './measure.js';
import { accessReviewMinimum } from './minimum.js';
import { ACCESS_REVIEW_OPERATION } from './operations.js';
import { framed, writeSection } from './sections.js';
import { LATENCY_MS, benchConfig, serveGateway, startBenchSandbox } from './servers.js';

/** Its section of RESULTS.md. */
export const SECTION = 'access-review';
const COLD_RUNS = 5;

interface AccessReviewResult {
  minimum: number;
  reasoning: string;
  cold: number[];
  coldMs: number[];
  calls: string[];
  warm: number;
  warmMs: number;
  errors: string[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/**
 * The access review (users, service accounts, RBAC groups with members, keys by principal, spend
 * limits) on the emulator with the benchmark's latency: upstream requests and wall time cold
 * (a fresh gateway each run) and warm (the same gateway again, read cache on), against its stated
 * minimum. It has no peer row: the GraphQL Mesh peer's OpenAPI document covers the core six only.
 */
export async function measureAccessReview(): Promise<AccessReviewResult> {
  const sandbox = await startBenchSandbox();
  try {
    const minimum = await accessReviewMinimum(sandbox);
    const config = benchConfig(sandbox, {
      upstreamRateLimitPerMinute: 0,
      oauthToken: { token: DEFAULT_SANDBOX_OAUTH_TOKEN },
    });
    const { query, operationName } = ACCESS_REVIEW_OPERATION;
    const result: AccessReviewResult = {
      minimum: minimum.requests,
      reasoning: minimum.reasoning,
      cold: [],
      coldMs: [],
      calls: [],
      warm: 0,
      warmMs: 0,
      errors: [],
    };
    for (let run = 0; run < COLD_RUNS; run++) {
      const gateway = await serveGateway(config);
      try {
        sandbox.clearRequests();
        const cold = await post(gateway.url, query, {}, operationName);
        result.cold.push(sandbox.requests.length);
        result.coldMs.push(cold.ms);
        if (run === 0) {
          result.calls = groupCalls(sandbox.requests);
          result.errors = errorCodes(cold.body);
          sandbox.clearRequests();
          const warm = await post(gateway.url, query, {}, operationName);
          result.warm = sandbox.requests.length;
          result.warmMs = warm.ms;
          result.errors.push(...errorCodes(warm.body));
        }
      } finally {
        await gateway.close();
      }
    }
    return result;
  } finally {
    await sandbox.close();
  }
}

/** The access-review section of RESULTS.md. */
export function renderAccessReview(result: AccessReviewResult, startedAt: Date): string {
  const cold = median(result.cold);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return framed(SECTION, [
    '## Access review',
    '',
    `Measured ${startedAt.toISOString()} (\`npm run bench -- --access-review\`), emulator latency ${LATENCY_MS} ms, ${COLD_RUNS} cold runs (a fresh gateway each).`,
    '',
    '| | upstream requests | wall time (median) |',
    '| --- | --- | --- |',
    `| stated minimum | ${result.minimum} | |`,
    `| cold | ${cold} (runs: ${result.cold.join(', ')}) | ${Math.round(median(result.coldMs))} ms |`,
    `| warm | ${result.warm} | ${Math.round(result.warmMs)} ms |`,
    '',
    `- Target "cold at its stated minimum": ${met(result.cold.every((n) => n === result.minimum))}.`,
    `- Target "warm at 0": ${met(result.warm === 0)}.`,
    `- GraphQL errors: ${result.errors.length === 0 ? 'none' : result.errors.join(', ')}.`,
    `- Minimum: ${result.reasoning}`,
    `- Cold requests: ${result.calls.join('; ')}.`,
  ]);
}

/** Runs the access review and rewrites only its section of `path`. */
export async function writeAccessReview(path: string): Promise<void> {
  const startedAt = new Date();
  await writeSection(path, SECTION, renderAccessReview(await measureAccessReview(), startedAt));
}
