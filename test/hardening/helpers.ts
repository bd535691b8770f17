import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import type { GraphQLBody, Harness } from '../support/harness.js';

export const ORG = '/v1/organizations';
export const USERS_PATH = `${ORG}/users`;
export const WORKSPACES_PATH = `${ORG}/workspaces`;

/** One read: GET /v1/organizations/users?limit=2. */
export const USERS_QUERY = '{ organization { users(first: 2) { nodes { id } } } }';

/** Two branches over two endpoints, for partial failures. */
export const TWO_BRANCHES =
  '{ organization { users(first: 2) { nodes { id } } workspaces(first: 2) { nodes { id } } } }';

/** What the gateway answered over HTTP, whether or not the body was JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; `{}` when it was not JSON. */
  body: GraphQLBody;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: GraphQLBody = {};
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    // not JSON: the caller looks at status and text
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** A raw request to the gateway, bounded in time so that a hang fails the test. */
export async function send(
  url: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<Answer> {
  const { timeoutMs = 10_000, ...rest } = init;
  return answerOf(await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) }));
}

/** POSTs a GraphQL request (any JSON body) to the gateway. */
export function gql(
  endpoint: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POSTs `{ query }`. */
export const query = (endpoint: string, text: string, headers: Record<string, string> = {}) =>
  gql(endpoint, { query: text }, headers);

/** The `extensions.code` of every error of a response. */
export const codes = (body: GraphQLBody): unknown[] =>
  (body.errors ?? []).map((error) => error.extensions?.['code']);

/** The single error of a response, checked to carry `code`. */
export function onlyError(answer: Answer, code: string) {
  expect(answer.body.errors, answer.text).toHaveLength(1);
  const [error] = answer.body.errors ?? [];
  expect(error?.extensions?.['code'], answer.text).toBe(code);
  return error!;
}

/** The write requests (POST, DELETE, …) the sandbox received. */
export const writes = (h: Harness): RecordedRequest[] =>
  h.upstream().filter((request) => request.method !== 'GET');

/** `[method, path, status]` of every request the sandbox received. */
export const calls = (h: Harness) => h.upstream().map((r) => [r.method, r.path, r.status]);

/** The gateway's origin (its endpoint without /graphql). */
export const originOf = (endpoint: string) => new URL(endpoint).origin;

/** Polls `check` every `everyMs` until it returns true, failing after `withinMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  withinMs: number,
  what: string,
  everyMs = 50,
): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Every JSON log line the gateway wrote, parsed. */
export function logRecords(h: { logs: string[] }): Record<string, unknown>[] {
  return h.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Sends a body with `transfer-encoding: chunked` and no content-length (fetch cannot be made to
 * do that reliably), returning the status and body text.
 */
export function postChunked(
  endpoint: string,
  chunks: string[],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer to a chunked request')));
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** mulberry32: a small seeded PRNG, so that generated suites are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The 16-character slice of a secret with the most distinct characters: long runs such as
 * `0000…` could occur by chance, a slice like `admin01-sandbox-` cannot.
 */
export function distinctiveSlice(secret: string): string {
  let best = secret.slice(0, 16);
  let bestScore = -1;
  for (let start = 0; start + 16 <= secret.length; start++) {
    const slice = secret.slice(start, start + 16);
    const score = new Set(slice).size;
    if (score > bestScore) [best, bestScore] = [slice, score];
  }
  return best;
}

/** Where a secret (whole, or its distinctive slice) occurs in the texts: `label: …context…`. */
export function findSecrets(texts: { label: string; text: string }[], secrets: string[]): string[] {
  const hits: string[] = [];
  for (const secret of secrets) {
    for (const needle of new Set([secret, distinctiveSlice(secret)])) {
      for (const { label, text } of texts) {
        const at = text.indexOf(needle);
        if (at >= 0) hits.push(`${label}: …${needle.slice(0, 4)}… at ${at}`);
      }
    }
  }
  return hits;
}
