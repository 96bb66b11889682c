import type { CheckData } from '@convlab/display';
import { escapeHtml } from './html.js';

/** `✓ B6 conv parameters: 280 (expected 280)` or `✗ … — message`. */
export function checkText(d: CheckData): string {
  const tol = d.tolerance === null ? '' : `, tolerance ${d.tolerance}`;
  return d.passed
    ? `✓ ${d.name}: ${d.computed} (expected ${d.expected}${tol})`
    : `✗ ${d.name}: computed ${d.computed}, expected ${d.expected}${tol} — ${d.message}`;
}

/** A green or red badge with the check's name, then what was compared. */
export function checkHtml(d: CheckData): string {
  const e = escapeHtml;
  const [bg, mark, word] = d.passed ? ['#2e7d32', '✓', 'passed'] : ['#c62828', '✗', 'failed'];
  const badge = `<span style="display:inline-block;padding:1px 8px;border-radius:10px;background:${bg};color:#fff;font-weight:600">${mark} ${e(d.name)}: ${word}</span>`;
  const tol = d.tolerance === null ? '' : ` (tolerance ${e(String(d.tolerance))})`;
  const detail = d.passed
    ? `computed <code>${e(d.computed)}</code> = expected <code>${e(d.expected)}</code>${tol}`
    : `computed <code>${e(d.computed)}</code>, expected <code>${e(d.expected)}</code>${tol}: ${e(d.message)}`;
  return `<div class="convlab-check" style="font-family:sans-serif;font-size:13px;margin:2px 0">${badge} <span>${detail}</span></div>`;
}
