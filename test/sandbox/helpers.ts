import { DEFAULT_SANDBOX_KEY, startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';

/** The instant the shared fixtures were written against: with it the fixture objects match exactly. */
export const NOW = new Date('2026-08-22T00:00:00Z');

export const HEADERS = { 'x-api-key': DEFAULT_SANDBOX_KEY, 'anthropic-version': '2023-06-01' };

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ now: NOW, ...options });
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience
  body: any;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Replaces the default credential and version headers. */
  rawHeaders?: Record<string, string>;
}

export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = options.rawHeaders ?? { ...HEADERS, ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(sandbox.url + path, { method, headers, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export const get = (sandbox: Sandbox, path: string): Promise<Answer> => call(sandbox, 'GET', path);
export const post = (sandbox: Sandbox, path: string, body?: unknown): Promise<Answer> =>
  call(sandbox, 'POST', path, body === undefined ? {} : { body });
export const del = (sandbox: Sandbox, path: string): Promise<Answer> =>
  call(sandbox, 'DELETE', path);

function withParams(path: string, params: string): string {
  if (params === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${params}`;
}

/** Walks a list forward with after_id; returns every item's cursor value and the pages seen. */
export async function walkForward(
  sandbox: Sandbox,
  path: string,
  limit: number,
  idOf: (item: { id?: string; user_id?: string }) => string = (i) => i.id ?? '',
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await get(
      sandbox,
      withParams(path, `limit=${limit}${cursor ? `&after_id=${cursor}` : ''}`),
    );
    if (page.status !== 200) throw new Error(JSON.stringify(page.body));
    ids.push(...page.body.data.map(idOf));
    if (!page.body.has_more) return ids;
    cursor = page.body.last_id;
  }
}

/** Walks a list backward from `beforeId` with before_id; returns items in list order. */
export async function walkBackward(
  sandbox: Sandbox,
  path: string,
  limit: number,
  beforeId: string,
  idOf: (item: { id?: string; user_id?: string }) => string = (i) => i.id ?? '',
): Promise<string[]> {
  const pages: string[][] = [];
  let cursor = beforeId;
  for (;;) {
    const page = await get(sandbox, withParams(path, `limit=${limit}&before_id=${cursor}`));
    if (page.status !== 200) throw new Error(JSON.stringify(page.body));
    pages.unshift(page.body.data.map(idOf));
    if (!page.body.has_more) return pages.flat();
    cursor = page.body.first_id;
  }
}
