import { ADMIN_KEY } from './servers.js';

/** An upstream request of a measured run, as the replay sends it again. */
export interface RunRequest {
  /** Path and query, as sent. */
  path: string;
  /** The status it was answered with (the replay expects the same). */
  status: number;
  /** `anthropic-version` and `anthropic-beta`, when the run recorded them. */
  headers?: Record<string, string>;
  /** When it was sent and when its answer came, on one clock (milliseconds). */
  sentAt: number;
  answeredAt: number;
}

/**
 * Sends a run's upstream requests (reads only) straight to the upstream at `baseUrl` again, with
 * no gateway in between, and returns the wall time in milliseconds: the floor this upstream sets
 * for the gateway's own plan (its latency, plus transferring and parsing the answers, which any
 * client pays). A request is sent once every request answered before it was sent in the run is
 * answered again (what the gateway may have needed to know first); the others go in parallel.
 */
export async function replayUpstream(
  baseUrl: string,
  requests: readonly RunRequest[],
): Promise<number> {
  const ordered = [...requests].sort((a, b) => a.sentAt - b.sentAt);
  const send = async (request: RunRequest) => {
    const headers: Record<string, string> = {
      'anthropic-version': '2023-06-01',
      ...request.headers,
      'x-api-key': ADMIN_KEY,
    };
    const answer = await fetch(new URL(request.path, baseUrl), { headers });
    if (answer.status !== request.status) {
      throw new Error(
        `replay: ${request.path} answered ${answer.status}, ${request.status} before`,
      );
    }
    await answer.json();
  };
  const started = performance.now();
  const done: Promise<void>[] = [];
  for (const request of ordered) {
    const before = ordered.flatMap((other, index) =>
      other.answeredAt <= request.sentAt ? [done[index]!] : [],
    );
    done.push(Promise.all(before).then(() => send(request)));
  }
  await Promise.all(done);
  return performance.now() - started;
}
