import { post } from './client.js';
import { startGrownSandbox, type SizeName } from './scale.js';
import { benchConfig, serveGateway } from './servers.js';

/**
 * Where the time of "every workspace's members with their users" goes at an organization size:
 * `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-size.ts large` profiles
 * the gateway process only (the grown sandbox runs in a process of its own).
 */
const size = (process.argv[2] ?? 'large') as SizeName;
const query = /* GraphQL */ `
  {
    organization {
      workspaces(first: 100) {
        nodes {
          id
          members(first: 1000) {
            nodes {
              role
              user {
                name
                email
              }
            }
          }
        }
      }
    }
  }
`;
const sandbox = await startGrownSandbox(size);
const served = await serveGateway(
  benchConfig({ url: sandbox.url } as Parameters<typeof benchConfig>[0], {
    upstreamRateLimitPerMinute: 0,
    maxUpstreamRequestsPerOperation: 10_000,
  }),
);
let attempts = 0;
served.gateway.upstream.onAttempt(() => attempts++);
try {
  const answer = await post(served.url, query);
  process.stdout.write(
    `${size}: ${attempts} upstream requests, ${answer.ms.toFixed(0)} ms, errors: ${JSON.stringify(answer.body.errors ?? [])}\n`,
  );
} finally {
  await served.close();
  await sandbox.close();
}
