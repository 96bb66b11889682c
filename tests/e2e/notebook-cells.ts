import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The open notebook's n-th cell (0-based, markdown included). */
export function cellAt(page: Page, n: number): Locator {
  return page.locator('.jp-NotebookPanel .jp-Cell').nth(n);
}

/** Runs cell `n` (selects it, presses the toolbar's run button), waits until the kernel has taken it, returns its output area. */
export async function runCell(page: Page, n: number): Promise<Locator> {
  const target = cellAt(page, n);
  await target.locator('.jp-InputPrompt').click();
  await expect.poll(async () => (await target.getAttribute('class')) ?? '').toContain('jp-mod-active');
  await page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:run-cell-and-select-next"]').click();
  await expect.poll(() => target.locator('.jp-InputPrompt').textContent()).toMatch(/^\[(\*|\d+)\]:$/);
  return target.locator('.jp-OutputArea');
}
