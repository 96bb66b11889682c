import { checkOptions, ConvlabError, opt } from '@convlab/core';
import { checkPayload, type Checkable, type CheckOptions } from '../payloads/check.js';
import { escapeHtml } from '../fallbacks/html.js';
import { DisplayHandle } from './display.js';

/** The latest result of every check run in this kernel, by name (a re-run cell counts once). */
const results = new Map<string, boolean>();

/**
 * An exercise check: compares what the notebook computed with the expected value (numbers within
 * `tolerance`, arrays and tensors element by element), shows a pass/fail badge, and on a mismatch
 * throws, so the cell fails and `npm run notebooks` reports the check's name.
 * @example check('B6 conv parameters', countParameters(new Conv2d(3, 10, 3)), 280)
 * @example check('B1 cross-correlation', conv2d(x, k), [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
 */
export function check(name: string, computed: Checkable, expected: Checkable, options: CheckOptions = {}): void {
  checkOptions(`check '${name}'`, options, { tolerance: opt.number });
  const tolerance = options.tolerance;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new ConvlabError(`check '${name}': tolerance must be a finite number ≥ 0, got ${tolerance}`);
  }
  const data = checkPayload(name, computed, expected, options);
  results.set(name, data.passed);
  new DisplayHandle().show({ kind: 'check', data });
  if (!data.passed) throw new ConvlabError(`check '${name}' failed: ${data.message}`);
}

/**
 * One line for the end of a notebook: `✓ 33 checks passed`, or which checks failed. Counts every
 * check run in this kernel by name (the latest result of each).
 * @example checkSummary() // ✓ 33 checks passed
 */
export function checkSummary(): void {
  const failed = [...results].filter(([, passed]) => !passed).map(([name]) => name);
  const total = results.size;
  const text = total === 0
    ? 'no checks ran yet'
    : failed.length === 0
      ? `✓ ${total} check${total === 1 ? '' : 's'} passed`
      : `✗ ${failed.length} of ${total} checks failed: ${failed.join(', ')}`;
  const colour = total === 0 ? '#666' : failed.length === 0 ? '#2e7d32' : '#c62828';
  const html = `<div class="jp-convlab-checks-summary" style="font-family:sans-serif;font-size:13px;font-weight:600;color:${colour}">${escapeHtml(text)}</div>`;
  new DisplayHandle().showBundle({ 'text/html': html, 'text/plain': text });
}
