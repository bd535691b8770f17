import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startGateway, type Gateway } from './helpers.js';

/**
 * Every error a client can get carries `extensions.code`, and the message says what to send
 * instead: variable coercion, the graphql-armor limits, the CSRF refusal, parse and validation
 * errors, and upstream refusals that name REST parameters.
 */

interface ErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

const limits = { ...loadConfig({}).limits, maxDepth: 4, maxAliases: 3, maxDirectives: 3 };

let g: Gateway;
beforeAll(async () => {
  g = await startGateway({ config: { limits } });
});
afterAll(() => g.close());

async function errorsOf(
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  method = 'POST',
): Promise<{ status: number; errors: ErrorBody[] }> {
  const response = await fetch(g.h.endpoint, {
    method,
    headers,
    ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as { errors?: ErrorBody[] };
  return { status: response.status, errors: json.errors ?? [] };
}

describe('GraphQL errors carry a code', () => {
  it('a variable of the wrong type: BAD_USER_INPUT', async () => {
    const { errors } = await errorsOf({
      query: 'query ($n: Int!) { organization { users(first: $n) { nodes { id } } } }',
      variables: { n: 'ten' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(errors[0]?.message).toContain('$n');
  });

  it('a missing required variable: BAD_USER_INPUT', async () => {
    const { errors } = await errorsOf({
      query: 'query ($n: Int!) { organization { users(first: $n) { nodes { id } } } }',
    });
    expect(errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('too deep: QUERY_TOO_DEEP, without the misleading "Syntax Error"', async () => {
    const { errors } = await errorsOf({
      query:
        '{ organization { workspaces(first: 1) { nodes { members(first: 1) { nodes { user { id } } } } } } }',
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions?.['code']).toBe('QUERY_TOO_DEEP');
    expect(errors[0]?.message).not.toMatch(/Syntax Error/);
    expect(errors[0]?.message).toMatch(/depth limit of 4/);
  });

  it('too many aliases: TOO_MANY_ALIASES', async () => {
    const { errors } = await errorsOf({
      query:
        '{ a: rateLimit { remaining } b: rateLimit { remaining } c: rateLimit { remaining } d: rateLimit { remaining } }',
    });
    expect(errors[0]?.extensions?.['code']).toBe('TOO_MANY_ALIASES');
    expect(errors[0]?.message).toMatch(/^Aliases limit of 3/);
  });

  it('too many directives: TOO_MANY_DIRECTIVES', async () => {
    const { errors } = await errorsOf({
      query:
        '{ rateLimit @include(if: true) @include(if: true) @include(if: true) @include(if: true) { remaining } }',
    });
    expect(errors[0]?.extensions?.['code']).toBe('TOO_MANY_DIRECTIVES');
  });

  it('a syntax error: GRAPHQL_PARSE_FAILED', async () => {
    const { errors } = await errorsOf({ query: '{ organization { ' });
    expect(errors[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field: GRAPHQL_VALIDATION_FAILED', async () => {
    const { errors } = await errorsOf({ query: '{ organization { nope } }' });
    expect(errors[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a form post without the CSRF header: CSRF_HEADER_REQUIRED, naming what to send', async () => {
    const { status, errors } = await errorsOf('query=%7BrateLimit%7Bremaining%7D%7D', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(status).toBe(403);
    expect(errors[0]?.extensions?.['code']).toBe('CSRF_HEADER_REQUIRED');
    expect(errors[0]?.message).toContain('x-graphql-yoga-csrf');
    expect(errors[0]?.message).toContain('application/json');
  });

  it('a GET without the CSRF header: CSRF_HEADER_REQUIRED; with it, an answer', async () => {
    const url = `${g.h.endpoint}?query=${encodeURIComponent('{ rateLimit { remaining } }')}`;
    const refused = await fetch(url);
    const body = (await refused.json()) as { errors: ErrorBody[] };
    expect(refused.status).toBe(403);
    expect(body.errors[0]?.extensions?.['code']).toBe('CSRF_HEADER_REQUIRED');
    const accepted = await fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(accepted.status).toBe(200);
  });

  it('an upstream 400 on a report names the GraphQL arguments, not the REST parameters', async () => {
    const { errors } = await errorsOf({
      query:
        '{ organization { messagesUsageReport(startingAt: "2026-10-10T00:00:00Z", endingAt: "2026-10-01T00:00:00Z", first: 1) { nodes { startingAt } } } }',
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(errors[0]?.message).toContain('endingAt');
    expect(errors[0]?.message).not.toMatch(/ending_at|starting_at/);
  });
});
