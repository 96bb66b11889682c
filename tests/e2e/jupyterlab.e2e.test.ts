import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabServer } from './lab-server.js';
import { cellAt, runCell } from './notebook-cells.js';

/**
 * convlab in a real JupyterLab: the bundled front end served by Debian's jupyter_server on
 * 127.0.0.1, the @convlab/jupyterlab renderers loaded as a prebuilt (federated) extension, and the
 * test notebook run cell by cell on the tslab kernel in Debian's Chromium. Needs the builds
 * (packages/jupyterlab/scripts/e2e.sh runs them first).
 */
const REPO = resolve(__dirname, '../..');
const NOTEBOOK = 'convlab-e2e.ipynb';
/** Where the notebook is copied and run (git-ignored; inside the repository so tslab finds node_modules). */
const WORK = join(REPO, 'tests/e2e/output');
const SCREENSHOTS = join(REPO, 'tests/e2e/screenshots');
const LABEXTENSION = join(REPO, '.convlab/jupyter/labextensions/@convlab/jupyterlab/package.json');

let lab: LabServer;
let browser: Browser;
let page: Page;
let state = '';
/** Browser console errors, uncaught exceptions and HTTP responses ≥ 400, collected throughout. */
const problems: string[] = [];

const cell = (n: number): Locator => cellAt(page, n);
const run = (n: number): Promise<Locator> => runCell(page, n);

/** Waits until the notebook's kernel is connected and idle (the status bar says so). */
async function waitForIdleKernel(): Promise<void> {
  await page.locator('.jp-StatusBar-Widget').getByText('TypeScript (convlab, tslab) | Idle').waitFor({ timeout: 60_000 });
}

async function screenshot(name: string, target?: Locator): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  if (target === undefined) await page.screenshot({ path });
  else await target.screenshot({ path });
}

/** The number of points of the named trace of the plot inside `plot` (plotly keeps the figure on the element). */
function tracePoints(plot: Locator, name: string): Promise<number> {
  return plot.evaluate((element, traceName) => {
    const data = (element as HTMLElement & { data?: { name?: string; x: unknown[] }[] }).data ?? [];
    return data.find((t) => t.name === traceName)?.x.length ?? -1;
  }, name);
}

beforeAll(async () => {
  if (!existsSync(LABEXTENSION)) throw new Error(`${LABEXTENSION} is missing: run packages/jupyterlab/scripts/build.sh first`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // Other e2e files write here too: each test overwrites its own files, nothing is wiped.
  mkdirSync(SCREENSHOTS, { recursive: true });
  copyFileSync(join(REPO, 'tests/e2e', NOTEBOOK), join(WORK, NOTEBOOK));
  state = mkdtempSync(join(tmpdir(), 'convlab-e2e-'));
  lab = await startLab(REPO, WORK, state);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  await page.goto(`${lab.url}/lab/tree/${NOTEBOOK}?token=${lab.token}`);
  await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 60_000 });
  await waitForIdleKernel();
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page !== undefined) await screenshot(`failed-${task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  if (lab !== undefined) writeFileSync(join(WORK, 'server.log'), lab.log());
  if (state !== '') rmSync(state, { recursive: true, force: true });
});

describe('convlab in the bundled JupyterLab (tslab kernel, Chromium)', () => {
  it('loads @convlab/jupyterlab as a prebuilt extension', async () => {
    const extensions = await page.evaluate(() => {
      const config = JSON.parse(document.getElementById('jupyter-config-data')!.textContent!) as { federated_extensions: { name: string }[] };
      return config.federated_extensions.map((e) => e.name);
    });
    expect(extensions).toEqual(['@convlab/jupyterlab']);
  });

  it('shows the parameter table of a summary: rows, totals, collapsible groups, sorting', async () => {
    await run(1);
    await waitForIdleKernel();
    expect(await cell(1).locator('.jp-OutputArea-output').count()).toBe(0);
    const output = await run(2);
    const table = output.locator('.jp-convlab-summary-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    // 12 layers of LeNet-5 plus the groups `features` and `classifier`.
    await expect.poll(() => rows.count()).toBe(14);
    expect(await table.locator('tbody tr.jp-convlab-group').allTextContents()).toEqual([
      expect.stringContaining('features'), expect.stringContaining('classifier'),
    ]);
    expect(await table.locator('tfoot').textContent()).toContain('61,706');
    expect(await output.locator('.jp-convlab-header').textContent()).toContain('input 1×32×32 · 61,706 parameters');
    await screenshot('summary-light', output);

    await table.getByRole('button', { name: 'collapse features' }).click();
    await expect.poll(() => rows.count()).toBe(8);
    await table.getByRole('button', { name: 'expand features' }).click();
    await expect.poll(() => rows.count()).toBe(14);

    const widths = (): Promise<string[]> => table.locator('col').evaluateAll((cols) => cols.map((c) => (c as HTMLElement).style.width));
    const before = await widths();
    await table.getByRole('button', { name: 'Params', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(12);
    expect(await widths()).toEqual(before); // sorting keeps the column widths
    expect(await rows.first().locator('.jp-convlab-name').textContent()).toBe('classifier.0');
    expect(await rows.first().locator('td').nth(3).textContent()).toBe('48,120');
    await table.getByRole('button', { name: 'Layer' }).click();
    await expect.poll(() => rows.count()).toBe(14);
  });

  it('shows feature maps as heatmaps and outlines a clicked unit\'s receptive field on the input', async () => {
    const output = await run(3);
    const view = output.locator('.jp-convlab-featuremaps');
    // The kernel runs the model first: seconds on a loaded machine before the view exists.
    await view.waitFor({ timeout: 60_000 });
    const layers = view.locator('.jp-convlab-fm-layer');
    await expect.poll(() => layers.count()).toBe(2);
    // One heatmap per channel: conv1 has 6, conv2 16.
    const heatmaps = (i: number): Promise<number> => layers.nth(i).locator('.jp-convlab-plot .heatmaplayer .hm').count();
    await expect.poll(() => heatmaps(0), { timeout: 30_000 }).toBe(6);
    await expect.poll(() => heatmaps(1)).toBe(16);
    expect(await layers.nth(1).locator('.jp-convlab-fm-layer-header').textContent()).toBe('features.3Conv2d · 16×10×10 · receptive field 14×14, jump 2');
    await view.locator('.jp-convlab-fm-input .heatmaplayer .hm').waitFor();

    // Click the middle of conv2's first map: unit (row 5, col 5) sees input rows 10–23 (stride 2, size 14).
    const firstMap = layers.nth(1).locator('.jp-convlab-plot .heatmaplayer .hm').first();
    const box = (await firstMap.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.55);
    const caption = view.locator('.jp-convlab-fm-caption');
    await expect.poll(() => caption.textContent()).toBe('features.3, channel 0, unit (row 5, col 5) sees input rows 10–23, cols 10–23 (a 14×14 field).');
    await expect.poll(() => view.locator('.jp-convlab-fm-input .shapelayer path').count()).toBe(1);
    await expect.poll(() => layers.nth(1).locator('.shapelayer path').count()).toBe(1);
    await screenshot('featuremaps-light', output);

    await view.getByRole('button', { name: /color scale/ }).click();
    await expect.poll(() => view.getByRole('button', { name: /color scale/ }).textContent()).toBe('color scale: per channel');
  });

  it('updates one live training view in place while fitAsync runs', async () => {
    const output = await run(4);
    const history = output.locator('.jp-convlab-history');
    await history.waitFor({ timeout: 60_000 });
    const plot = history.locator('.jp-convlab-plot');
    const counts: number[] = [];
    // Sample the training-loss curve while training runs (2 epochs × 200 batches: 3 s on a fast
    // machine, ~30 s on a loaded one; the view redraws at most 4 times a second).
    const deadline = Date.now() + 120_000;
    while (!(await history.locator('.jp-convlab-progress-done').count()) && Date.now() < deadline) {
      counts.push(await tracePoints(plot, 'training loss (per batch)'));
      await page.waitForTimeout(100);
    }
    await history.locator('.jp-convlab-progress-done').waitFor();
    const final = await tracePoints(plot, 'training loss (per batch)');
    expect(final).toBe(400);
    const during = counts.filter((c) => c > 0 && c < final);
    expect(new Set(during).size).toBeGreaterThanOrEqual(2); // the curve grew in at least two visible steps
    expect(during).toEqual([...during].sort((a, b) => a - b));
    expect(await output.locator('.jp-OutputArea-output').count()).toBe(1); // updated in place, not one output per update
    expect(await tracePoints(plot, 'validation loss')).toBe(6); // one level per epoch: its start, its end and a gap
    expect(await history.locator('.jp-convlab-progress-text').textContent()).toMatch(/^done: 2 epochs in \d+:\d\d · [\d,]+ images\/s$/);
    await waitForIdleKernel();
    await screenshot('history-light', output);
  });

  it('resizes its plots with the notebook (left sidebar hidden and shown again)', async () => {
    const widths = (): Promise<number[]> => Promise.all(
      ['.jp-convlab-history', '.jp-convlab-fm-layer'].map((s) => page.locator(`${s} .jp-convlab-plot .main-svg`).first().evaluate((e) => e.getBoundingClientRect().width)),
    );
    const before = await widths();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+b');
    await expect.poll(async () => (await widths()).every((w, i) => w > before[i]! + 100)).toBe(true);
    await page.keyboard.press('Control+b');
    await expect.poll(async () => (await widths()).every((w, i) => Math.abs(w - before[i]!) < 2)).toBe(true);
  });

  it('shows an exercise check badge and a tensor image', async () => {
    const check = (await run(5)).locator('.jp-convlab-check');
    await check.waitFor();
    expect(await check.getAttribute('class')).toContain('jp-convlab-check-passed');
    expect(await check.locator('.jp-convlab-check-title').textContent()).toBe('✓LeNet-5 parameters61,706');
    const tensor = (await run(6)).locator('.jp-convlab-tensor');
    await tensor.locator('.heatmaplayer .hm').waitFor();
    expect(await tensor.locator('.jp-convlab-header').textContent()).toContain('test image 0');
    await waitForIdleKernel();
    await screenshot('notebook-light');
  });

  it('shows a confusion matrix; clicking a cell shows its misclassified images', async () => {
    const output = await run(7);
    const view = output.locator('.jp-convlab-confusion');
    await view.locator('.jp-convlab-confusion-matrix').waitFor({ timeout: 60_000 });
    expect(await view.locator('.jp-convlab-confusion-cell').count()).toBe(100);
    expect(await view.locator('.jp-convlab-confusion-title').textContent()).toMatch(/^500 images · accuracy \d+\.\d% · rows: true class, columns: predicted/);
    // The busiest off-diagonal cell: its count, then its images after a click.
    const busiest = await view.locator('.jp-convlab-confusion-off').evaluateAll((cells) => {
      const best = cells.map((c) => ({ t: (c as HTMLElement).dataset['true']!, p: (c as HTMLElement).dataset['predicted']!, n: Number(c.querySelector('.jp-convlab-confusion-count')!.textContent) }))
        .sort((a, b) => b.n - a.n)[0]!;
      return best;
    });
    expect(busiest.n).toBeGreaterThan(0);
    await view.locator(`.jp-convlab-confusion-cell[data-true="${busiest.t}"][data-predicted="${busiest.p}"]`).click();
    const heading = view.locator('.jp-convlab-confusion-heading');
    await expect.poll(() => heading.textContent()).toMatch(new RegExp(`predicted as .+: ${busiest.n} images?; the \\d+ most confident:$`));
    const images = view.locator('.jp-convlab-confusion-example img');
    await expect.poll(() => images.count()).toBe(Math.min(6, busiest.n));
    // Every image decoded (a BMP data URL) at 32×32 pixels.
    await expect.poll(() => images.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 32))).toBe(true);
    await screenshot('confusion-light', output);
  });

  it('steps through the arithmetic of one conv unit, channel by channel', async () => {
    const output = await run(8);
    const view = output.locator('.jp-convlab-unit');
    await view.waitFor({ timeout: 60_000 });
    expect(await view.locator('.jp-convlab-unit-title').textContent()).toBe('features.3 (Conv2d) · unit channel 0, row 5, col 5 · reads features.2 (MaxPool2d) rows 5–9, cols 5–9');
    expect(await view.locator('.jp-convlab-unit-position').textContent()).toBe('input channel 0 (1 of 6)');
    expect(await view.locator('.jp-convlab-unit-products td').count()).toBe(25);
    await view.getByRole('button', { name: 'channel ▶' }).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-position').textContent()).toBe('input channel 1 (2 of 6)');
    await view.locator('.jp-convlab-unit-products td').nth(6).hover();
    await expect.poll(() => view.locator('.jp-convlab-unit-trace').textContent()).toMatch(
      /^features\.2\[channel 1, row 6, col 6\] = -?\d+\.\d{4} × features\.3\.weight\[0, 1, 1, 1\] = -?\d+\.\d{4} → -?\d+\.\d{4}$/,
    );
    expect(await view.locator('.jp-convlab-unit-lit').count()).toBe(3);
    expect(await view.locator('.jp-convlab-unit-agreement').getAttribute('class')).toContain('jp-convlab-unit-agrees');
    await view.getByRole('button', { name: '▶ play' }).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-position').textContent(), { timeout: 15_000 }).toBe('input channel 5 (6 of 6)');
    await expect.poll(() => view.getByRole('button', { name: '▶ play' }).count(), { timeout: 5_000 }).toBe(1);
    await waitForIdleKernel();
    await screenshot('unit-light', output);
  });

  it('opens the step-through of a unit clicked in a feature map', async () => {
    const output = await run(9);
    const view = output.locator('.jp-convlab-featuremaps');
    const maps = view.locator('.jp-convlab-fm-layer .jp-convlab-plot .heatmaplayer .hm');
    await expect.poll(() => maps.count(), { timeout: 60_000 }).toBe(16);
    // Channel 0's map (10×10): the cell at row 5, col 5.
    const box = (await maps.first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.55);
    const unit = view.locator('.jp-convlab-fm-step-through .jp-convlab-unit');
    await unit.waitFor();
    expect(await unit.locator('.jp-convlab-unit-title').textContent()).toBe('features.3 (Conv2d) · unit channel 0, row 5, col 5 · reads features.2 (MaxPool2d) rows 5–9, cols 5–9');
    expect(await unit.locator('.jp-convlab-unit-agreement').getAttribute('class')).toContain('jp-convlab-unit-agrees');
    // The same unit as the kernel's explainUnit in the cell before: the same sum.
    expect(await unit.locator('.jp-convlab-unit-result').textContent()).toBe(await cell(8).locator('.jp-convlab-unit-result').textContent());
    await unit.getByRole('button', { name: 'channel ▶' }).click();
    await expect.poll(() => unit.locator('.jp-convlab-unit-position').textContent()).toBe('input channel 1 (2 of 6)');
    await waitForIdleKernel();
    await screenshot('featuremaps-step-through-light', output);
  });

  it('lays saliency and Grad-CAM maps over the image, with an opacity slider', async () => {
    const output = await run(10);
    const view = output.locator('.jp-convlab-attribution');
    await view.waitFor({ timeout: 60_000 });
    expect(await view.locator('figcaption').allTextContents()).toEqual([
      expect.stringMatching(/^saliency · \d \(logit -?\d+\.\d{3}\)$/),
      expect.stringMatching(/^Grad-CAM · features\.3 · \d \(logit -?\d+\.\d{3}\)$/),
    ]);
    await expect.poll(() => view.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 32))).toBe(true);
    await view.locator('.jp-convlab-attribution-opacity').fill('30');
    await expect.poll(() => view.locator('.jp-convlab-attribution-overlay').first().evaluate((e) => (e as HTMLElement).style.opacity)).toBe('0.3');
    await waitForIdleKernel();
    await screenshot('attribution-light', output);
  });

  it('shows a conv layer\'s filters as one grid image per layer; hovering names a weight', async () => {
    const output = await run(11);
    const views = output.locator('.jp-convlab-filters');
    await expect.poll(() => views.count(), { timeout: 60_000 }).toBe(2);
    expect(await views.locator('.jp-convlab-filters-caption').allTextContents()).toEqual([
      expect.stringMatching(/^features\.0 · 6 filters of 1×5×5 · weights -?[\d.e-]+ … [\d.e-]+ · showing 6 filters × 1 input channel$/),
      expect.stringMatching(/^features\.3 · 16 filters of 6×5×5 · weights -?[\d.e-]+ … [\d.e-]+ · showing 16 filters × 6 input channels$/),
    ]);
    const grid = views.nth(1).locator('.jp-convlab-filters-grid-image');
    // 16 rows × 6 columns of 5×5 kernels, each weight 8×8 pixels, tiles 2 pixels apart: 250×670, shown 1:1.
    await expect.poll(() => grid.evaluate((i) => [
      (i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight, (i as HTMLImageElement).width, (i as HTMLImageElement).height,
    ])).toEqual([250, 670, 250, 670]);
    await grid.hover({ position: { x: 42 * 2 + 8 + 4, y: 42 * 3 + 16 + 4 } });
    await expect.poll(() => views.nth(1).locator('.jp-convlab-filters-status').textContent()).toMatch(/^filter 3, input channel 2, row 2, col 1: weight ≈ -?[\d.e-]+$/);
    await waitForIdleKernel();
    await screenshot('filters-light', output);
  });

  it('updates one live layer-health view in place at every record while fitAsync runs', async () => {
    const output = await run(12);
    const view = output.locator('.jp-convlab-layerhealth');
    await view.waitFor({ timeout: 60_000 });
    const heading = view.locator('.jp-convlab-layerhealth-heading');
    const seen = new Set<string>();
    const deadline = Date.now() + 120_000;
    while (!(await heading.textContent())?.endsWith('training done') && Date.now() < deadline) {
      seen.add((await heading.textContent()) ?? '');
      await page.waitForTimeout(100);
    }
    expect(await heading.textContent()).toBe('layer health of 9 layers · 5 records, steps 20–100 · training done');
    expect([...seen].some((h) => /^layer health of 9 layers · [1-4] records?, steps 20–\d+ · training: epoch 1\/1/.test(h))).toBe(true);
    expect(await output.locator('.jp-OutputArea-output').count()).toBe(1);
    const lines = view.locator('.jp-convlab-layerhealth-lines');
    expect(await tracePoints(lines, 'features.0')).toBe(5);
    const strips = view.locator('.jp-convlab-layerhealth-histograms .heatmaplayer .hm');
    await expect.poll(() => strips.count()).toBe(5);   // the weighted layers: 2 convs, 3 linears
    await view.getByRole('button', { name: 'activations' }).click();
    await expect.poll(() => strips.count()).toBe(9);
    await waitForIdleKernel();
    await screenshot('layerhealth-light', output);
  });

  it('steps through a linear unit\'s dot product term by term', async () => {
    const output = await run(13);
    const view = output.locator('.jp-convlab-unit');
    await view.waitFor({ timeout: 60_000 });
    expect(await view.locator('.jp-convlab-unit-title').textContent()).toBe('classifier.4 (Linear) · output feature 3 · Σ of 84 terms input × weight, reading classifier.3 (ReLU)');
    expect(await view.locator('.jp-convlab-unit-term').count()).toBe(12);
    await view.getByRole('button', { name: 'term ▶' }).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-position').textContent()).toBe('term 2 of 84');
    await view.locator('.jp-convlab-unit-term').nth(5).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-running').textContent()).toMatch(/^running Σ of terms 1…6: -?\d+\.\d{4}$/);
    await view.getByRole('button', { name: 'show all 84 terms' }).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-term').count()).toBe(84);
    await view.getByRole('button', { name: 'show the first 12' }).click();
    await expect.poll(() => view.locator('.jp-convlab-unit-term').count()).toBe(12);
    expect(await view.locator('.jp-convlab-unit-agreement').getAttribute('class')).toContain('jp-convlab-unit-agrees');
    await waitForIdleKernel();
    await screenshot('unit-linear-light', output);
  });

  it('shows larger tensors as heatmaps of their planes, capped with a note, and a summary with chosen columns', async () => {
    const output = await run(14);
    const views = output.locator('.jp-convlab-tensor');
    await expect.poll(() => views.count()).toBe(2);
    const notes = views.locator('.jp-convlab-tensor-planes > .jp-convlab-note');
    await expect.poll(() => notes.allTextContents()).toEqual([
      'all 6 planes ([0, 0, :, :] … [0, 5, :, :]) · 28×28 each · one colour scale',
      'showing 64 of 96 planes ([0, 0, :, :] … [10, 3, :, :]) · 5×5 each · one colour scale',
    ]);
    expect(await views.nth(1).locator('.jp-convlab-tensor-plane img').count()).toBe(64);
    await expect.poll(() => views.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
    const tile = views.nth(0).locator('.jp-convlab-tensor-plane img').first();
    // 28×28 planes drawn 3× (84 px): the pointer at (36, 36) is on pixel (12, 12).
    await tile.hover({ position: { x: 36, y: 36 } });
    await expect.poll(() => views.nth(0).locator('.jp-convlab-tensor-readout').textContent()).toMatch(/^\[0, 0, 12, 12\] = -?\d/);
    await waitForIdleKernel();
    await screenshot('tensor-planes-light', output);
    const columns = await run(15);
    const table = columns.locator('.jp-convlab-summary-table');
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Layer', 'Output shape', 'Params', 'Trainable', 'Activation memory']);
    expect(await table.locator('tfoot td').allTextContents()).toEqual(['Total', '', '61,706', 'yes', '58.6 KiB']);
    const widths = (): Promise<string[]> => table.locator('col').evaluateAll((cols) => cols.map((c) => (c as HTMLElement).style.width));
    const before = await widths();
    await table.getByRole('button', { name: 'Trainable', exact: true }).click();
    expect(await widths()).toEqual(before);
    await table.getByRole('button', { name: 'Layer', exact: true }).click();
    await screenshot('summary-columns-light', columns);
  });

  it('follows the dark theme', async () => {
    const colors = (): Promise<[string, string]> => Promise.all([
      page.locator('.jp-convlab-summary').first().evaluate((e) => getComputedStyle(e).color),
      page.locator('.jp-convlab-history .xtick text').first().evaluate((e) => getComputedStyle(e).fill),
    ]);
    const [lightText, lightTicks] = await colors();
    await page.locator('.lm-MenuBar-itemLabel', { hasText: 'Settings' }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Theme$/ }).hover();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^JupyterLab Dark$/ }).click();
    await page.locator('body[data-jp-theme-light="false"]').waitFor({ state: 'attached' });
    // Tables follow the theme's CSS; plots re-read its colors (axis labels of the loss curves).
    await expect.poll(async () => {
      const [text, ticks] = await colors();
      return text !== lightText && ticks !== lightTicks;
    }).toBe(true);
    await screenshot('notebook-dark');
    await cell(3).scrollIntoViewIfNeeded();
    await screenshot('featuremaps-dark', cell(3).locator('.jp-OutputArea'));
    await cell(7).scrollIntoViewIfNeeded();
    await screenshot('confusion-dark', cell(7).locator('.jp-OutputArea'));
    await cell(8).scrollIntoViewIfNeeded();
    await screenshot('unit-dark', cell(8).locator('.jp-OutputArea'));
    await cell(9).scrollIntoViewIfNeeded();
    await screenshot('featuremaps-step-through-dark', cell(9).locator('.jp-OutputArea'));
    await cell(10).scrollIntoViewIfNeeded();
    await screenshot('attribution-dark', cell(10).locator('.jp-OutputArea'));
    // The newer views in the dark theme, for review: summary, training view, check, tensor heatmaps.
    for (const [n, name] of [[2, 'summary-dark'], [4, 'history-dark'], [5, 'check-dark'], [14, 'tensor-planes-dark'], [15, 'summary-columns-dark']] as const) {
      await cell(n).scrollIntoViewIfNeeded();
      await screenshot(name, cell(n).locator('.jp-OutputArea'));
    }
  });

  it('draws the filters, layer health and linear step-through in the dark theme', async () => {
    await page.locator('body[data-jp-theme-light="false"]').waitFor({ state: 'attached' });
    for (const [n, name] of [[11, 'filters-dark'], [12, 'layerhealth-dark'], [13, 'unit-linear-dark']] as const) {
      await cell(n).scrollIntoViewIfNeeded();
      await screenshot(name, cell(n).locator('.jp-OutputArea'));
    }
    const tick = page.locator('.jp-convlab-layerhealth-lines .ytick text').first();
    expect(await tick.evaluate((e) => getComputedStyle(e).fill)).not.toBe('rgb(0, 0, 0)');
  });

  it('logged no browser console errors and no HTTP errors', () => {
    expect(problems).toEqual([]);
  });
});
