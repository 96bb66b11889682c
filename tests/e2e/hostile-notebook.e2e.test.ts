import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mimeType } from '@convlab/display';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostilePayloads, MARKUP } from '../../packages/jupyterlab/test/helpers/hostile-payloads.js';
import { launchChromium, recordingPage } from './browser.js';
import { shutDownSessions, startLab, type LabServer } from './lab-server.js';

/**
 * Untrusted notebooks whose saved outputs are the worst convlab payloads under each size cap
 * (24,000-segment layer names, 8,000 layers, million-character strings, 4,096 channels, 150,000
 * tensor values) with markup in every string field. Opening one renders every output without
 * running anything: the tab must stay responsive (a click handled within 1 s) and nothing may be
 * injected. Two notebooks, each opened in a workspace of its own after the previous kernels are shut
 * down, so the second never shares the page with the first (the selectors only see the visible panel).
 */
const REPO = resolve(__dirname, '../..');
const WORK = join(REPO, 'tests/e2e/output-hostile');
const SCREENSHOTS = join(REPO, 'tests/e2e/screenshots');

let lab: LabServer;
let browser: Browser;
let page: Page | undefined;
let state = '';
const problems: string[] = [];
const payloads = hostilePayloads();
const NOTEBOOKS = {
  'hostile-summaries.ipynb': payloads.filter((p) => p.kind === 'summary'),
  'hostile-others.ipynb': payloads.filter((p) => p.kind !== 'summary'),
};

/** The notebook in the visible tab. */
const panel = (): Locator => page!.locator('.jp-NotebookPanel:visible');

/** A notebook whose cells hold no code, only one saved display of each payload (with markup as its text/plain). */
function hostileNotebook(cells: typeof payloads): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (convlab)', language: 'typescript' } },
    cells: cells.map(({ label, kind, data }, i) => ({
      cell_type: 'code', id: `hostile-${i}`, execution_count: null, metadata: {}, source: `// ${label}`,
      outputs: [{ output_type: 'display_data', metadata: {}, data: { [mimeType(kind)]: data, 'text/plain': MARKUP } }],
    })),
  });
}

/** A tab that records console errors, uncaught exceptions and HTTP errors in `problems`. */
function newPage(): Promise<Page> {
  return recordingPage(browser, problems, { width: 1400, height: 1000 });
}

/** Opens `name` in a fresh tab and a workspace of its own once every earlier kernel is shut down; resolves with the milliseconds until its first cell showed. */
async function openNotebook(name: string): Promise<number> {
  await page?.close();
  await shutDownSessions(lab);
  page = await newPage();
  const opened = Date.now();
  await page.goto(`${lab.url}/lab/workspaces/${name.replace(/\W+/g, '-')}/tree/${name}?token=${lab.token}`);
  await panel().locator('.jp-Cell').first().waitFor({ timeout: 60_000 });
  return Date.now() - opened;
}

/**
 * Waits until the notebook has its `count` cells, then brings each into view in turn and waits for
 * its convlab output: JupyterLab attaches the cells of a notebook in steps and draws outputs as they
 * come into view, so counting outputs right after opening sees only some of them.
 */
async function waitForEveryOutput(count: number): Promise<void> {
  await expect.poll(() => panel().locator('.jp-Cell').count(), { timeout: 60_000 }).toBe(count);
  for (let n = 0; n < count; n++) {
    const cell = panel().locator('.jp-Cell').nth(n);
    await cell.scrollIntoViewIfNeeded();
    await cell.locator('.jp-convlab').waitFor({ timeout: 60_000 });
  }
}

/**
 * Milliseconds the page's main thread kept a click on `target` waiting: from the event's creation
 * (`event.timeStamp`, when the browser handed the input to the page) to a capturing listener on the
 * document. Playwright's own checks before clicking (visible, stable, not covered) do not count.
 */
async function clickHandledIn(target: Locator): Promise<number> {
  await page!.evaluate(() => {
    const w = window as unknown as { clicked?: Promise<number> };
    w.clicked = new Promise((done) => document.addEventListener('click', (event) => done(performance.now() - event.timeStamp), { once: true, capture: true }));
  });
  await target.click();
  return page!.evaluate(() => (window as unknown as { clicked: Promise<number> }).clicked);
}

/** What script or markup got into the page: a global set by an injected handler, or elements from the payloads' markup. */
function injected(): Promise<{ pwned: unknown; elements: number }> {
  return page!.evaluate(() => ({
    pwned: (globalThis as { pwned?: unknown }).pwned ?? null,
    elements: document.querySelectorAll('.jp-convlab img[src="x"], .jp-convlab script, .jp-OutputArea img[src="x"], .jp-OutputArea script').length,
  }));
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [name, cells] of Object.entries(NOTEBOOKS)) writeFileSync(join(WORK, name), hostileNotebook(cells));
  state = mkdtempSync(join(tmpdir(), 'convlab-e2e-hostile-'));
  lab = await startLab(REPO, WORK, state);
  browser = await launchChromium();
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page !== undefined) await page.screenshot({ path: join(SCREENSHOTS, `failed-hostile-${task.name.replace(/\W+/g, '-')}.png`) });
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  if (lab !== undefined) writeFileSync(join(WORK, 'server.log'), lab.log());
  if (state !== '') rmSync(state, { recursive: true, force: true });
});

describe('hostile notebooks in Chromium (deep names, markup in every string, oversized arrays)', () => {
  it(`summaries (${NOTEBOOKS['hostile-summaries.ipynb'].length} outputs): all render, a click is handled within 1 s, sorting works, nothing is injected`, async () => {
    const cells = NOTEBOOKS['hostile-summaries.ipynb'];
    const shown = await openNotebook('hostile-summaries.ipynb');
    await waitForEveryOutput(cells.length);
    await panel().locator('.jp-Cell').first().scrollIntoViewIfNeeded();
    expect(await clickHandledIn(panel().locator('.jp-Cell').first().locator('.jp-InputPrompt'))).toBeLessThan(1000);
    const sort = panel().locator('.jp-convlab-summary-output .jp-convlab-sort').nth(3);
    expect(await clickHandledIn(sort)).toBeLessThan(1000);
    await expect.poll(() => sort.textContent()).toContain('▼');
    // Markup in the model names and layer types shows as text (the payloads over the size cap show an error box instead).
    expect(await panel().locator('.jp-convlab-summary-output').filter({ hasText: '<script>globalThis.pwned=2</script>' }).count()).toBeGreaterThan(0);
    expect(await injected()).toEqual({ pwned: null, elements: 0 });
    expect(shown).toBeLessThan(60_000);
    await page!.screenshot({ path: join(SCREENSHOTS, 'hostile-summaries.png') });
  });

  it(`feature maps, history, tensors, checks (${NOTEBOOKS['hostile-others.ipynb'].length} outputs), opened ` +
    `after the first: all render in the visible tab, a click is handled within 1 s, nothing is injected`, async () => {
    const cells = NOTEBOOKS['hostile-others.ipynb'];
    await openNotebook('hostile-others.ipynb');
    await waitForEveryOutput(cells.length);
    await expect.poll(() => page!.locator('.jp-NotebookPanel').count()).toBe(1);
    for (const n of [0, cells.length - 1]) {
      // Scrolled to first: JupyterLab draws the outputs of cells coming into view, which the click must not wait for.
      const prompt = panel().locator('.jp-Cell').nth(n).locator('.jp-InputPrompt');
      await prompt.scrollIntoViewIfNeeded();
      await panel().locator('.jp-Cell').nth(n).locator('.jp-convlab').waitFor();
      const waited = await clickHandledIn(prompt);
      expect(waited, `cell ${n}: the click waited ${waited.toFixed(0)} ms`).toBeLessThan(1000);
      console.info(`hostile notebook, cell ${n}: a click waited ${waited.toFixed(0)} ms`);
    }
    expect(await injected()).toEqual({ pwned: null, elements: 0 });
    await page!.screenshot({ path: join(SCREENSHOTS, 'hostile-others.png') });
  });

  it('logged no browser console errors and no HTTP errors', () => {
    expect(problems).toEqual([]);
  });
});
