import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabServer } from './lab-server.js';

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

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  copyFileSync(join(REPO, 'notebooks/README.md'), join(WORK, 'README.md'));
  copyFileSync(join(REPO, 'notebooks/07-backprop-by-hand.ipynb'), join(WORK, '07-backprop-by-hand.ipynb'));
  state = mkdtempSync(join(tmpdir(), 'convlab-e2e-first-'));
  lab = await startLab(REPO, WORK, state);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
});

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
    await expect.poll(() => section.locator('.jp-LauncherCard-label').allTextContents()).toEqual(['Read me first', '07 · Backprop by hand']);
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

  it('logged no browser console errors and no HTTP errors', () => {
    expect(problems).toEqual([]);
  });
});
