import { errorCodes, post } from './client.js';
import { framed, writeSection } from './sections.js';
import { benchConfig, serveGateway, startBenchSandbox } from './servers.js';

/** Its section of RESULTS.md. */
export const BULK_SECTION = 'bulk';
/** The target: a 300-item job at the Admin API's real limit. */
export const BULK_ITEMS = 300;

const START = `mutation($emails: [EmailAddress!]!) {
  bulkCreateInvites(input: { emails: $emails, role: USER }) {
    bulkOperation { id estimatedSecondsLeft } userErrors { message }
  }
}`;
const FOLLOW = `query($id: ID!) { bulkOperation(id: $id) { status done failed left } }`;
const INTERACTIVE = '{ organization { name } }';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BulkBenchResult {
  items: number;
  seconds: number;
  estimatedSeconds: number | null;
  status: string;
  done: number;
  failed: number;
  upstream429s: number;
  duplicates: number;
  interactiveQueries: number;
  interactiveRateLimited: number;
}

/**
 * A bulk job of `items` invitations against the emulator at the Admin API's real limit (100
 * requests a minute, then 429), with the gateway's defaults (budget 100 a minute, bulk share 0.5),
 * while an interactive query runs every 5 s: wall time, upstream 429s, items sent twice and
 * interactive RATE_LIMITED answers.
 */
export async function measureBulk(items: number): Promise<BulkBenchResult> {
  const sandbox = await startBenchSandbox(100);
  const gateway = await serveGateway(benchConfig(sandbox, { cacheTtlSeconds: 0 }));
  try {
    const emails = Array.from({ length: items }, (_, i) => `bench-${i}@bulk.example.com`);
    const started = performance.now();
    const { body } = await post(gateway.url, START, { emails });
    const payload = body.data?.['bulkCreateInvites'] as
      { bulkOperation: { id: string; estimatedSecondsLeft: number | null } | null } | undefined;
    const operation = payload?.bulkOperation;
    if (!operation) throw new Error(`the job did not start: ${JSON.stringify(body)}`);
    let interactiveQueries = 0;
    let interactiveRateLimited = 0;
    for (;;) {
      const probe = await post(gateway.url, INTERACTIVE);
      interactiveQueries++;
      if (errorCodes(probe.body).includes('RATE_LIMITED')) interactiveRateLimited++;
      const followed = (await post(gateway.url, FOLLOW, { id: operation.id })).body.data?.[
        'bulkOperation'
      ] as { status: string; done: number; failed: number; left: number };
      log(`bulk: ${followed.status}, ${followed.done} done, ${followed.left} left`);
      if (!['QUEUED', 'RUNNING'].includes(followed.status)) {
        const counts = new Map<string, number>();
        for (const request of sandbox.requests) {
          if (request.method !== 'POST' || request.path !== '/v1/organizations/invites') continue;
          const email = (request.body as { email?: string } | null)?.email ?? '';
          counts.set(email, (counts.get(email) ?? 0) + 1);
        }
        return {
          items,
          seconds: Math.round((performance.now() - started) / 1000),
          estimatedSeconds: operation.estimatedSecondsLeft,
          status: followed.status,
          done: followed.done,
          failed: followed.failed,
          upstream429s: sandbox.requests.filter((request) => request.status === 429).length,
          duplicates: [...counts.values()].filter((n) => n > 1).length,
          interactiveQueries,
          interactiveRateLimited,
        };
      }
      await sleep(5_000);
    }
  } finally {
    await gateway.close();
    await sandbox.close();
  }
}

export function renderBulk(result: BulkBenchResult, at: Date): string {
  return framed(BULK_SECTION, [
    '## Bulk operations at the real limit',
    '',
    `Measured ${at.toISOString()}: \`npm run bench -- --bulk\`. A bulkCreateInvites job of ${result.items} addresses against the emulator limited to 100 requests a minute (then 429), the gateway at its defaults (budget 100 a minute, BULK_BUDGET_SHARE 0.5), an interactive query every 5 s.`,
    '',
    '| items | status | done | failed | wall time | estimated at start | upstream 429s | items sent twice | interactive queries | interactive RATE_LIMITED |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.items} | ${result.status} | ${result.done} | ${result.failed} | ${result.seconds} s | ${result.estimatedSeconds ?? '–'} s | ${result.upstream429s} | ${result.duplicates} | ${result.interactiveQueries} | ${result.interactiveRateLimited} |`,
  ]);
}

/**
 * `npm run bench -- --bulk [--items N]`: the section is written for the full 300-item job only
 * (about six minutes); a smaller N prints its result without writing it.
 */
export async function writeBulk(resultsPath: string, argv: readonly string[]): Promise<void> {
  const at = argv.indexOf('--items');
  const items = at >= 0 ? Number(argv[at + 1]) : BULK_ITEMS;
  if (!Number.isInteger(items) || items < 1 || items > 5_000) {
    throw new Error('--items takes a number of items from 1 to 5000');
  }
  const startedAt = new Date();
  const result = await measureBulk(items);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (items === BULK_ITEMS) {
    await writeSection(resultsPath, BULK_SECTION, renderBulk(result, startedAt));
    process.stdout.write(`Wrote the bulk section of ${resultsPath}\n`);
  }
}
