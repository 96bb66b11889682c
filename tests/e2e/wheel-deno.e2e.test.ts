import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabServer } from './lab-server.js';
import { runCell } from './notebook-cells.js';

/**
 * The extension as JupyterLab users install extensions, and Deno's kernel in JupyterLab: the wheel
 * built from packages/jupyterlab/pyproject.toml is pip-installed (no index) into a fresh virtual
 * environment; convlab's lab server runs on that environment's Python with a JUPYTER_PATH that has
 * the kernelspecs but no extension, so the extension can only come from the environment's data
 * path (<venv>/share/jupyter/labextensions). A notebook on the Deno kernel then shows a parameter
 * table and a live training view in Chromium.
 */
const REPO = resolve(__dirname, '../..');
const WHEELS = join(REPO, 'packages/jupyterlab/dist-python');
const WORK = join(REPO, 'tests/e2e/output-wheel');
const SCREENSHOTS = join(REPO, 'tests/e2e/screenshots');
const NOTEBOOK = 'deno-lab.ipynb';
const CELLS = [
  "import { Conv2d, DataLoader, fashionMnist, fitAsync, Flatten, Linear, manualSeed, MaxPool2d, ReLU, Sequential, SGD, summary } from '@convlab/core';\nimport { display, liveTraining " +
    "} from '@convlab/notebook';\nmanualSeed(0);\nconst model = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(6 * 12 * 12, 10));",
  'display(summary(model, [1, 28, 28]));',
  'const train = new DataLoader(fashionMnist().train.slice(0, 6400), { batchSize: 32, shuffle: true, seed: 0 });\nconst history = await ' +
    'fitAsync(model, { train, optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), epochs: 2, callbacks: [liveTraining()] });',
];

let state = '';
let lab: LabServer;
let browser: Browser;
let page: Page;
let venv = '';
const problems: string[] = [];

const run = (n: number): Promise<Locator> => runCell(page, n);

const idle = (): Promise<void> => page.locator('.jp-StatusBar-Widget').getByText('TypeScript (convlab, Deno) | Idle').waitFor({ timeout: 60_000 });

beforeAll(async () => {
  const wheel = existsSync(WHEELS) ? readdirSync(WHEELS).find((f) => f.endsWith('.whl')) : undefined;
  if (wheel === undefined) throw new Error(`no wheel in ${WHEELS}: run packages/jupyterlab/scripts/build.sh first`);
  state = mkdtempSync(join(tmpdir(), 'convlab-wheel-'));
  venv = join(state, 'venv');
  const steps = [
    ['/usr/bin/python3', ['-m', 'venv', '--system-site-packages', venv]],
    [join(venv, 'bin/pip'), ['install', '--no-index', '--no-deps', '--quiet', join(WHEELS, wheel)]],
  ] as const;
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  }
  // Kernelspecs only: the repository's Jupyter folder without its labextensions link.
  const jupyterPath = join(state, 'jupyter');
  cpSync(join(REPO, '.convlab/jupyter/kernels'), join(jupyterPath, 'kernels'), { recursive: true });
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(WORK, NOTEBOOK), JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'deno', display_name: 'TypeScript (convlab, Deno)', language: 'typescript' } },
    cells: CELLS.map((source, i) => ({ id: `c${i}`, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })),
  }));
  lab = await startLab(REPO, WORK, state, { python: join(venv, 'bin/python'), jupyterPath, defaultKernel: 'deno' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`); });
  await page.goto(`${lab.url}/lab/tree/${NOTEBOOK}?token=${lab.token}`);
  await idle();
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  rmSync(WORK, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

describe('the pip-installed extension in a fresh virtual environment, on the Deno kernel', () => {
  it('installs the prebuilt extension into the environment, and the server loads it from there', async () => {
    const installed = join(venv, 'share/jupyter/labextensions/@convlab/jupyterlab');
    expect(JSON.parse(readFileSync(join(installed, 'install.json'), 'utf8'))).toEqual({
      packageManager: 'python', packageName: 'convlab-jupyterlab',
      uninstallInstructions: 'Use your Python package manager (pip, conda, etc.) to uninstall the package convlab-jupyterlab',
    });
    const html = await (await fetch(`${lab.url}/lab?token=${lab.token}`)).text();
    const config = JSON.parse(/<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!) as { federated_extensions: { name: string; load: string }[] };
    const extension = config.federated_extensions.find((e) => e.name === '@convlab/jupyterlab');
    expect(extension?.load).toMatch(/^static\/remoteEntry\.[0-9a-f]+\.js$/);
  });

  it('renders a parameter table and a live training view sent through Deno.jupyter.broadcast', async () => {
    await run(0);
    await idle();
    const table = (await run(1)).locator('.jp-convlab-summary-table');
    await table.waitFor({ timeout: 60_000 });
    expect(await table.locator('tbody tr').count()).toBe(5);
    const output = await run(2);
    const history = output.locator('.jp-convlab-history');
    await history.locator('.jp-convlab-progress-done').waitFor({ timeout: 120_000 });
    expect(await history.locator('.jp-convlab-progress-text').textContent()).toMatch(/^done: 2 epochs in \d+:\d\d · [\d,]+ images\/s$/);
    expect(await output.locator('.jp-OutputArea-output').count()).toBe(1);
    await idle();
    await page.screenshot({ path: join(SCREENSHOTS, 'wheel-deno.png') });
    expect(problems).toEqual([]);
  });
});
