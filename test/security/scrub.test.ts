import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_PLACEHOLDER } from '../../src/sandbox/transport/knobs.js';
import { DEFAULT_SANDBOX_KEY, FIXTURE_IDS, startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { CALLER_KEY, SEED_NOW, startGateway, type RunningGateway } from '../support/harness.js';
import { findSecrets, gql, type Answer } from '../hardening/helpers.js';

// Spans are captured in memory: the provider must be global before the gateways are built.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

/** An opaque OAuth token: nothing in its shape says it is a secret. */
const OAUTH = 'opaque0Qx7Lm2Vb9Ns4Kd8Wz3Tf6Hj1Rp5';
/** Secrets of nobody here, shaped like what the scrubber must recognise anyway. */
const OTHER_KEY = 'sk-ant-api03-Zq8Xw2Cv7Bn4Mk1Lj6Hg3Fd9Sa5Pq0-Wer';
const JWT =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzY3J1YmJlZCIsImV4cCI6MTc5OTk5OTk5OX0.c2lnbmF0dXJlLXRoYXQtbG9va3MtcmVhbA';
const BEARER = 'b3ArErTokenVv8Nn2Mm5Qq7Ww1Ee4Rr9Tt';

const USERS = '{ organization { users(first: 2) { nodes { id } } } }';
const RENAME = `mutation { updateWorkspace(input: { workspaceId: "${FIXTURE_IDS.productionWorkspace}", name: "Scrubbed" }) { workspace { name } userErrors { code message field } } }`;

/**
 * An upstream that echoes the credential of the request (the sandbox fills in `{credential}`) and
 * token-shaped strings in its error messages.
 */
const ECHO = `invalid x-api-key: ${CREDENTIAL_PLACEHOLDER}; also saw ${OTHER_KEY}, Authorization: Bearer ${BEARER} and ${JWT}`;

describe('secrets in upstream messages never reach a response, a userError, a log or a span', () => {
  let sandbox: Sandbox;
  let none: RunningGateway;
  let forward: RunningGateway;
  const answers: { label: string; text: string }[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({
      now: SEED_NOW,
      credentials: { admin: DEFAULT_SANDBOX_KEY, caller: CALLER_KEY, oauth: OAUTH },
    });
    none = await startGateway(sandbox, { auth: { mode: 'none' } });
    forward = await startGateway(sandbox, { adminKey: undefined, auth: { mode: 'forward' } });
  });
  afterAll(async () => {
    await none.close();
    await forward.close();
    await sandbox.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const cases: [string, () => RunningGateway, Record<string, string>][] = [
    ['gateway key', () => none, {}],
    ['caller key', () => none, { 'x-api-key': CALLER_KEY }],
    ['caller OAuth token', () => forward, { authorization: `Bearer ${OAUTH}` }],
  ];

  it('the sandbox does echo the credential of the request', async () => {
    sandbox.injectFault({ method: 'GET', status: 401, message: ECHO });
    const response = await fetch(`${sandbox.url}/v1/organizations/users`, {
      headers: { 'x-api-key': CALLER_KEY, 'anthropic-version': '2023-06-01' },
    });
    expect(await response.text()).toContain(`invalid x-api-key: ${CALLER_KEY}`);
  });

  it.each(cases)('%s echoed in errors of reads and writes', async (label, gateway, headers) => {
    const run = async (name: string, query: string) => {
      const answer: Answer = await gql(gateway().endpoint, { query }, headers);
      answers.push({ label: `${label} ${name}`, text: answer.text });
      return answer;
    };
    for (const status of [401, 403, 500, 400]) {
      sandbox.injectFault({ method: 'GET', status, message: ECHO, retryAfter: null });
      const read = await run(`read ${status}`, USERS);
      expect(read.body.errors?.length, read.text).toBeGreaterThan(0);
    }
    for (const status of [400, 404, 409, 403]) {
      sandbox.injectFault({ method: 'POST', status, message: ECHO, retryAfter: null });
      const write = await run(`write ${status}`, RENAME);
      expect(write.text).toMatch(/userErrors|errors/);
    }
    // The messages still say what went wrong, without the secrets.
    expect(answers.at(-1)!.text).toContain('invalid x-api-key');
  });

  it('leaves no secret anywhere', async () => {
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans().map((span) => ({
      label: `span ${span.name}`,
      text: JSON.stringify({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
      }),
    }));
    expect(spans.length).toBeGreaterThan(0);
    const logs = [...none.logs, ...forward.logs].map((text, i) => ({ label: `log ${i}`, text }));
    const texts = [...answers, ...logs, ...spans];
    expect(answers.length).toBe(24);
    const hits = findSecrets(texts, [
      DEFAULT_SANDBOX_KEY,
      CALLER_KEY,
      OAUTH,
      OTHER_KEY,
      BEARER,
      JWT,
    ]);
    expect(hits).toEqual([]);
  });
});
