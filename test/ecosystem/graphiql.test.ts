// GraphiQL in a real browser: Debian's Chromium, driven by playwright-core, against a harness
// gateway on loopback. CI installs Chromium (`apt-get install -y chromium`); without it this file
// fails with instructions instead of skipping.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_KEY, startHarness, type Harness } from '../support/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const BROWSER_TEST_TIMEOUT = 60_000;

/** Loopback pages, and the browser-internal URLs GraphiQL uses for its editor workers. */
function staysLocal(url: string): boolean {
  return (
    url.startsWith('http://127.0.0.1:') ||
    url.startsWith('blob:http://127.0.0.1:') ||
    url.startsWith('data:') ||
    url.startsWith('about:')
  );
}

/** The text of GraphiQL's result pane (a Monaco editor renders spaces as no-break spaces). */
async function resultText(page: Page): Promise<string> {
  const text = await page.locator('.graphiql-response').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Runs one of the example operations through the ▶ button and its operation menu. */
async function runExampleOperation(page: Page, harness: Harness, operationName: string) {
  const response = page.waitForResponse(
    (candidate) =>
      candidate.url() === harness.endpoint &&
      candidate.request().method() === 'POST' &&
      (candidate.request().postData() ?? '').includes(`"operationName":"${operationName}"`),
  );
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.graphiql-dropdown-item', { hasText: operationName }).click();
  return response;
}

describe('GraphiQL in Chromium', () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  /** Every URL the browser asked for, and those that would have left the machine. */
  const requested: string[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}. The GraphiQL browser test needs Debian's ` +
          'Chromium: run `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).',
      );
    }
    harness = await startHarness();
    userDataDir = await mkdtemp(join(tmpdir(), 'admin-graph-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (request) => requested.push(request.url()));
    // Anything that is not the gateway on loopback is refused before it leaves the browser, and
    // remembered so that the tests fail on it.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (staysLocal(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(harness.endpoint);
    await page.locator('.graphiql-execute-button').waitFor();
  }, BROWSER_TEST_TIMEOUT);

  afterAll(async () => {
    await context?.close();
    await harness?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it(
    'is served by the gateway itself and opens with the example operations',
    async () => {
      expect(await page.title()).toBe('admin-graph');
      const tabs = page.locator('.graphiql-tab-button');
      await expect.poll(() => tabs.allInnerTexts()).toContain('Dashboard');
      expect(requested[0]).toBe(harness.endpoint);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'runs the Dashboard example and shows the organization name in the result pane',
    async () => {
      harness.resetCounts();
      const response = await runExampleOperation(page, harness, 'Dashboard');
      expect(response.status()).toBe(200);

      await expect.poll(() => resultText(page)).toContain('"name": "Northwind Robotics"');
      // In none mode the headers pane opens empty: the gateway used its own credential.
      expect(harness.upstream().length).toBeGreaterThan(0);
      expect(new Set(harness.upstream().map((request) => request.credential))).toEqual(
        new Set(['admin']),
      );
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'sends the x-api-key typed into the headers editor, so the Admin API sees the caller credential',
    async () => {
      await page.getByRole('button', { name: 'Headers' }).click();
      const headersEditor = page.locator(
        '.graphiql-editor-tool .monaco-editor[data-uri$="headers.json"]',
      );
      await headersEditor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(JSON.stringify({ 'x-api-key': CALLER_KEY }));

      harness.resetCounts();
      const response = await runExampleOperation(page, harness, 'Dashboard');
      expect(response.request().headers()['x-api-key']).toBe(CALLER_KEY);
      await expect.poll(() => resultText(page)).toContain('"name": "Northwind Robotics"');

      const credentials = harness.upstream().map((request) => request.credential);
      expect(credentials.length).toBeGreaterThan(0);
      expect(new Set(credentials)).toEqual(new Set(['caller']));
      // The caller's key reached the Admin API, never a log line.
      expect(harness.logs.join('')).not.toContain(CALLER_KEY);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'runs a query typed into a new tab',
    async () => {
      await page.locator('.graphiql-tab-add').click();
      const queryEditor = page.locator('.graphiql-query-editor .monaco-editor');
      await queryEditor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('query TypedByHand { organization { id name } }');
      // GraphiQL takes the editor's text into its state (and the page URL) after a short
      // debounce; running before that would run the tab's previous, empty query.
      await expect.poll(() => page.url(), { timeout: 20_000 }).toContain('TypedByHand');

      const response = page.waitForResponse(
        (candidate) =>
          candidate.url() === harness.endpoint &&
          (candidate.request().postData() ?? '').includes('TypedByHand'),
      );
      // One operation in the tab: the ▶ button runs it without a menu.
      await page.locator('.graphiql-execute-button').click();
      expect(await (await response).json()).toMatchObject({
        data: { organization: { name: 'Northwind Robotics' } },
      });
      await expect.poll(() => resultText(page)).toContain('"name": "Northwind Robotics"');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it('never made a request that left 127.0.0.1', () => {
    expect(blocked).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !staysLocal(url))).toEqual([]);
  });

  it(
    'has a live network guard: a request to another host is refused and recorded',
    async () => {
      // 127.0.0.2 is loopback too, so nothing could leave the machine even if the guard failed; the
      // guard allows only 127.0.0.1 and must refuse it.
      const outcome = await page.evaluate(() =>
        fetch('http://127.0.0.2:9/probe').then(
          () => 'answered',
          () => 'refused',
        ),
      );
      expect(outcome).toBe('refused');
      expect(blocked).toEqual(['http://127.0.0.2:9/probe']);
    },
    BROWSER_TEST_TIMEOUT,
  );
});
