import { print, type DocumentNode } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { expect } from 'vitest';
import { DEFAULT_SANDBOX_KEY } from '../../src/sandbox/index.js';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import {
  CALLER_KEY,
  postGraphQL,
  startHarness,
  type GraphQLBody,
  type Harness,
  type HarnessOptions,
} from '../support/harness.js';

/** A well-formed Admin API key that no sandbox accepts: a caller's revoked or mistyped key. */
export const UNKNOWN_KEY = 'sk-ant-admin01-unknown-Zq8Wp3Lm7Xv2Rt9Kc4Hn6Bd1Fy5Gs0JaUe';

/** Every secret that must never appear in a response or a log line. */
export const SECRETS = [DEFAULT_SANDBOX_KEY, CALLER_KEY, UNKNOWN_KEY];

/** Well-formed ids that name nothing in the sandbox. */
export const MISSING = {
  user: 'user_01ZZZZZZZZZZZZZZZZZZZZZZ',
  invite: 'invite_01ZZZZZZZZZZZZZZZZZZZZZZ',
  workspace: 'wrkspc_01ZZZZZZZZZZZZZZZZZZZZZZ',
  apiKey: 'apikey_01ZZZZZZZZZZZZZZZZZZZZZZ',
} as const;

/** What the gateway sent back over HTTP: every body as text and every header. */
export interface Recorded {
  url: string;
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * A harness whose every gateway response is recorded (typed client and raw posts alike), so that
 * a test file can check at its end that no credential ever left the gateway.
 */
export interface Gateway {
  h: Harness;
  client: GraphQLClient;
  responses: Recorded[];
  /** A raw POST of a GraphQL operation; the response is recorded. */
  post(
    document: string | DocumentNode,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody; headers: Headers }>;
  /** The write requests (anything but GET) the sandbox received since the last reset. */
  writes(): RecordedRequest[];
  /** Method, path and body of every request the sandbox received since the last reset. */
  calls(): { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startGateway(options: HarnessOptions = {}): Promise<Gateway> {
  const h = await startHarness(options);
  const responses: Recorded[] = [];
  const record = async (response: Response): Promise<void> => {
    const copy = response.clone();
    responses.push({
      url: copy.url,
      status: copy.status,
      headers: [...copy.headers.entries()],
      body: await copy.text(),
    });
  };
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    await record(response);
    return response;
  };
  const client = new GraphQLClient(h.endpoint, { fetch: recordingFetch });
  return {
    h,
    client,
    responses,
    async post(document, variables, headers = {}) {
      const query = typeof document === 'string' ? document : print(document);
      // postGraphQL has already read the body: record what it parsed, with the headers.
      const result = await postGraphQL(h.endpoint, { query, variables: variables ?? {} }, headers);
      responses.push({
        url: h.endpoint,
        status: result.status,
        headers: [...result.headers.entries()],
        body: JSON.stringify(result.body),
      });
      return result;
    },
    writes: () => h.upstream().filter((request) => request.method !== 'GET'),
    calls: () => h.upstream().map(({ method, path, body }) => ({ method, path, body })),
    close: () => h.close(),
  };
}

/** A distinctive 16-character slice of a secret: it starts after the common `sk-ant-` prefix. */
export function sliceOf(secret: string): string {
  return secret.slice(7, 23);
}

/** Asserts that neither a secret nor a distinctive slice of it appears in any text given. */
export function expectNoSecrets(texts: string[], secrets: string[] = SECRETS): void {
  expect(texts.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    const slice = sliceOf(secret);
    expect(slice).toHaveLength(16);
    for (const text of texts) {
      expect(text, `a response or log line contains the secret ${slice}…`).not.toContain(secret);
      expect(text, `a response or log line contains ${slice}`).not.toContain(slice);
    }
  }
}

/** Everything a test file's gateway emitted: response bodies, response headers and log lines. */
export function emittedTexts(gateway: Gateway): string[] {
  return [
    ...gateway.responses.flatMap((response) => [
      response.body,
      ...response.headers.map(([name, value]) => `${name}: ${value}`),
    ]),
    ...gateway.h.logs,
  ];
}
