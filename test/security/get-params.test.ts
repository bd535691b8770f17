import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** GET requests whose `variables` or `extensions` are not JSON are the caller's mistake: 400. */
describe('GET parameters that are not JSON', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const get = (params: string) =>
    fetch(`${h.endpoint}?query=${encodeURIComponent('{ __typename }')}&${params}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });

  it.each(['variables', 'extensions'])('refuses malformed %s with 400 naming it', async (name) => {
    const response = await get(`${name}=${encodeURIComponent('{bad')}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toContain(`\`${name}\``);
    expect(h.upstream()).toEqual([]);
  });

  it('still answers well-formed GET parameters', async () => {
    const response = await get(`variables=${encodeURIComponent('{}')}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { __typename: 'Query' } });
  });
});
