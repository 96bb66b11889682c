import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notebookOf, writeReadmeNotebook } from '../../packages/notebook/src/tools/readme-notebook.js';
import { launchChromium, recordingPage } from './browser.js';
import { shutDownSessions, startLab, type LabServer } from './lab-server.js';

/**
 * A newcomer's first contact with convlab's JupyterLab: the launcher, the notebooks' README rendered,
 * MathJax, and the README's own example run to the end. Screenshots reviewed by people are kept in
 * tests/e2e/reviewed/ (committed); this run writes fresh ones to tests/e2e/screenshots/.
 */
const REPO = resolve(__dirname, '../..');
const WORK = join(REPO, 'tests/e2e/output-first-contact');
const SCREENSHOTS = join(REPO, 'tests/e2e/screenshots');

let lab: LabServer;
let browser: Browser;
let page: Page;
let state = '';
const problems: string[] = [];

async function screenshot(name: string, target?: Locator): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  if (target === undefined) await page.screenshot({ path });
  else await target.screenshot({ path });
}

/** The open notebook's n-th cell (0-based, markdown included). */
const cell = (n: number): Locator => page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(n);

/** The kernel status shown in the status bar, and the end of the server's log: what a failed wait reports. */
async function diagnostics(): Promise<string> {
  const status = await page.locator('.jp-StatusBar-Widget').allTextContents().catch(() => []);
  return `status bar: ${status.join(' | ')}\nserver log (end):\n${lab.log().slice(-4000)}`;
}

/**
 * Runs cell `n` and waits until it has finished (its prompt shows a number); returns its output area.
 * A run-button click that JupyterLab drops (the prompt still `[ ]:` 15 s later, nothing queued) is
 * repeated once and said so; a wait that fails reports the kernel status and the server's log.
 */
async function runCell(n: number, timeout = 60_000): Promise<Locator> {
  const target = cell(n);
  const prompt = target.locator('.jp-InputPrompt');
  const press = async (): Promise<void> => {
    await prompt.click();
    await expect.poll(async () => (await target.getAttribute('class')) ?? '').toContain('jp-mod-active');
    await page.locator('.jp-NotebookPanel:visible .jp-NotebookPanel-toolbar [data-command="notebook:run-cell-and-select-next"]').click();
  };
  await press();
  try {
    await expect.poll(() => prompt.textContent(), { timeout: 15_000 }).toMatch(/^\[(\*|\d+)\]:$/);
  } catch {
    console.warn(`cell ${n}: not queued 15 s after the run button was pressed; pressing it again\n${await diagnostics()}`);
    await press();
  }
  try {
    await expect.poll(() => prompt.textContent(), { timeout }).toMatch(/^\[\d+\]:$/);
  } catch (error) {
    throw new Error(`cell ${n} did not finish within ${timeout / 1000} s (prompt ${await prompt.textContent()})\n${await diagnostics()}`, { cause: error });
  }
  return target.locator('.jp-OutputArea');
}

/**
 * Opens `name` from the work folder in a fresh tab, in a workspace of its own (the previous notebook's
 * kernel is shut down, and no restored tab starts a second one) and waits for its kernel to be idle.
 */
async function openNotebook(name: string): Promise<void> {
  await page.close();
  await shutDownSessions(lab);
  page = await newPage();
  await page.goto(`${lab.url}/lab/workspaces/${name.replace(/\W+/g, '-')}/tree/${name}?token=${lab.token}`);
  await page.locator('.jp-NotebookPanel:visible .jp-Cell').first().waitFor({ timeout: 60_000 });
  await page.locator('.jp-StatusBar-Widget').getByText(/TypeScript \(convlab(, tslab)?\) \| Idle/).waitFor({ timeout: 60_000 });
  await expect.poll(async () => ((await (await fetch(`${lab.url}/api/sessions?token=${lab.token}`)).json()) as unknown[]).length).toBe(1);
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  copyFileSync(join(REPO, 'notebooks/README.md'), join(WORK, 'README.md'));
  copyFileSync(join(REPO, 'notebooks/07-backprop-by-hand.ipynb'), join(WORK, '07-backprop-by-hand.ipynb'));
  writeReadmeNotebook(REPO, WORK);
  writeFileSync(join(WORK, 'failure.ipynb'), JSON.stringify(notebookOf('# Training on the wrong image size', [
    "import { fashionMnist, zoo, DataLoader, SGD, fitAsync } from '@convlab/core';\nimport { liveTraining } from '@convlab/notebook';\nconst { train } = fashionMnist();\nconst model = zoo.lenet5();",
    'await fitAsync(model, { train: new DataLoader(train.slice(0, 640), { batchSize: 64 }), optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 2, callbacks: [liveTraining()] });',
  ])));
  writeFileSync(join(WORK, 'checks.ipynb'), JSON.stringify(notebookOf('# Checks', [
    "import { check, checkSummary } from '@convlab/notebook';\ncheck('VGG-16 parameters', 138_357_544, 138_357_544);",
    "check('B1 cross-correlation', [[4, 3, 4], [2, 4, 3], [2, 3, 5]], [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);",
    'checkSummary();',
  ])));
  state = mkdtempSync(join(tmpdir(), 'convlab-e2e-first-'));
  lab = await startLab(REPO, WORK, state);
  browser = await launchChromium();
  page = await newPage();
});

/** A 1440×900 tab that records console errors, uncaught exceptions and HTTP errors in `problems`. */
function newPage(): Promise<Page> {
  return recordingPage(browser, problems, { width: 1440, height: 900 });
}

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page !== undefined) await screenshot(`failed-first-contact-${task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  if (lab !== undefined) writeFileSync(join(WORK, 'server.log'), lab.log());
  if (state !== '') rmSync(state, { recursive: true, force: true });
});

describe('first contact with convlab\'s JupyterLab', () => {
  it('lands on the launcher with a "convlab notebooks" section', async () => {
    await page.goto(`${lab.url}/lab?token=${lab.token}`);
    const section = page.locator('.jp-Launcher-section').filter({ hasText: 'convlab notebooks' });
    await section.waitFor({ timeout: 60_000 });
    await expect.poll(() => section.locator('.jp-LauncherCard-label').allTextContents()).toEqual(['Read me first', '07 · Backprop by hand', 'checks', 'failure', 'README']);
    const headers = await page.locator('.jp-Launcher-sectionTitle').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Notebook', 'Console', 'Other', 'convlab notebooks']));
    await screenshot('launcher');
  });

  it('opens README.md rendered from the launcher', async () => {
    await page.locator('.jp-LauncherCard').filter({ hasText: 'Read me first' }).click();
    const rendered = page.locator('.jp-MarkdownViewer .jp-RenderedMarkdown');
    await rendered.locator('h1').first().waitFor({ timeout: 30_000 });
    await screenshot('readme-rendered');
  });

  it('renders the notebooks\' LaTeX with MathJax', async () => {
    await page.goto(`${lab.url}/lab/tree/07-backprop-by-hand.ipynb?token=${lab.token}`);
    const markdown = page.locator('.jp-MarkdownCell .jp-RenderedMarkdown').nth(1);
    await markdown.locator('mjx-container').first().waitFor({ timeout: 60_000 });
    // $$w_{ij} \\leftarrow …$$ is a display formula; nothing of the TeX source is left as text.
    await expect.poll(() => markdown.locator('mjx-container[display="true"]').count()).toBe(1);
    expect(await markdown.textContent()).not.toContain('\\mathrm');
    await markdown.scrollIntoViewIfNeeded();
    await screenshot('mathjax');
  });

  it('serves terminals (Debian\'s terminado) and lists running kernels', async () => {
    const terminals = await fetch(`${lab.url}/api/terminals?token=${lab.token}`);
    expect(terminals.status).toBe(200);
    await page.locator('.jp-SideBar [data-id="jp-running-sessions"]').click();
    const panel = page.locator('.jp-RunningSessions');
    await panel.waitFor();
    const sections = await panel.locator('.jp-AccordionPanel-title, .lm-AccordionPanel-title').allTextContents();
    expect(sections.join(' | ')).toMatch(/Kernels.*Terminals/);
  });

  it('runs the README\'s notebook code to the end', async () => {
    await openNotebook('README.ipynb');
    const images = await runCell(1);
    await expect.poll(() => images.locator('.jp-convlab-samples img').count()).toBe(10);
    const box = await images.locator('.jp-convlab-samples img').first().boundingBox();
    expect([box!.width, box!.height]).toEqual([112, 112]);
    const model = await runCell(2);
    await model.locator('.jp-convlab-summary').waitFor();
    await expect.poll(() => model.locator('.jp-convlab-check').textContent()).toContain('LeNet-5 parameters');
    const training = await runCell(3, 240_000);
    await expect.poll(() => training.locator('.jp-convlab-progress-text').textContent()).toMatch(/^done: 2 epochs in /);
    // Log scale: every loss tick is labelled in full (1, 2 or 5 times a power of ten), none a bare minor digit.
    await training.locator('.jp-convlab-log-toggle').click();
    await expect.poll(async () => (await training.locator('.ytick text').allTextContents()).length).toBeGreaterThan(1);
    for (const label of await training.locator('.ytick text').allTextContents()) expect(label).toMatch(/^(0\.0*[125]|[125]0*)$/);
    await screenshot('readme-training-log-scale', training);
    await training.locator('.jp-convlab-log-toggle').click();
    const last = await runCell(4, 120_000);
    await last.locator('.jp-convlab-featuremaps').waitFor();
    // The input panel stays in view while the layers scroll past it (sticky), and its caption is readable.
    const scroller = page.locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer');
    const panel = last.locator('.jp-convlab-fm-input');
    await last.locator('.jp-convlab-fm-layer').first().scrollIntoViewIfNeeded();
    const top = (await scroller.boundingBox())!.y;
    const outputTop = (await last.boundingBox())!.y;
    await scroller.evaluate((element, by) => { element.scrollTop += by; }, outputTop - top + 150);
    await expect.poll(async () => (await last.boundingBox())!.y).toBeLessThan(top - 100);
    // Scrolled with its output the panel would sit at the output's top; sticky, it stays in view below it.
    await expect.poll(async () => (await panel.boundingBox())!.y - (await last.boundingBox())!.y).toBeGreaterThan(100);
    expect((await panel.boundingBox())!.y).toBeGreaterThan(top - 60);
    await screenshot('feature-maps-sticky-input', page.locator('.jp-NotebookPanel:visible'));
    await expect.poll(() => last.locator('.jp-convlab-check').textContent()).toContain('test accuracy after 2 epochs');
    expect(await page.locator('.jp-NotebookPanel:visible .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).toBe(0);
    await screenshot('readme-samples', images);
    await screenshot('readme-training', training);
    await screenshot('readme-feature-maps', last);
  }, 600_000);

  it('shows a failed live view and one error, convlab\'s message first, after a shape error', async () => {
    await openNotebook('failure.ipynb');
    await runCell(1);
    const output = await runCell(2, 120_000);
    await expect.poll(() => output.locator('.jp-convlab-progress-text').textContent()).toBe('training failed · before the first batch completed');
    // A message panel, no empty axes.
    expect(await output.locator('.jp-convlab-history-empty-title').textContent()).toBe('Training failed before the first batch completed');
    expect(await output.locator('.jp-convlab-history-error').textContent()).toBe('LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit');
    expect(await output.locator('.jp-convlab-plot').isVisible()).toBe(false);
    expect(await output.locator('.jp-convlab-toolbar').isVisible()).toBe(false);
    const errors = output.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    expect(await errors.count()).toBe(1);
    const message = (await errors.textContent()) ?? '';
    expect(message.split('\n')[0]).toContain('LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit');
    expect(message).not.toMatch(/packages\/core\/dist|node_modules\/@convlab/);
    await screenshot('failed-live-view', output);
  }, 300_000);

  it('shows a passed check as one line that opens on click, a failed one open with a diff, and a summary', async () => {
    await openNotebook('checks.ipynb');
    const passed = (await runCell(1)).locator('.jp-convlab-check');
    await expect.poll(() => passed.locator('summary').textContent()).toBe('✓VGG-16 parameters138,357,544');
    const closed = await passed.boundingBox();
    expect(closed!.height).toBeLessThan(30);
    expect(await passed.locator('.jp-convlab-check-values').isVisible()).toBe(false);
    await passed.locator('summary').click();
    await expect.poll(() => passed.locator('.jp-convlab-check-values').isVisible()).toBe(true);
    await screenshot('check-passed-opened', passed);
    await passed.locator('summary').click();
    await screenshot('check-passed', passed);
    const failed = (await runCell(2)).locator('.jp-convlab-check');
    await expect.poll(() => failed.locator('.jp-convlab-check-differs').textContent()).toBe('[2][2]54');
    await screenshot('check-failed', failed);
    const summary = await runCell(3);
    await expect.poll(() => summary.locator('.jp-convlab-checks-summary').textContent()).toBe('✗ 1 of 2 checks failed: B1 cross-correlation');
    await page.locator('.lm-MenuBar-itemLabel', { hasText: 'Settings' }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Theme$/ }).hover();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^JupyterLab Dark$/ }).click();
    await page.locator('body[data-jp-theme-light="false"]').waitFor({ state: 'attached' });
    await screenshot('checks-dark', page.locator('.jp-NotebookPanel:visible'));
  });

  it('logged no browser console errors and no HTTP errors', () => {
    expect(problems).toEqual([]);
  });
});
