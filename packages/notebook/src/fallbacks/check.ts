import { formatCheckValue, formatTolerance, type CheckData } from '@convlab/display';
import { escapeHtml } from './html.js';

/** `✓ B6 conv parameters: 280` or `✗ … computed …, expected … (exact) — message`. */
export function checkText(d: CheckData): string {
  return d.passed
    ? `✓ ${d.name}: ${formatCheckValue(d.computed)}`
    : `✗ ${d.name}: computed ${formatCheckValue(d.computed)}, expected ${formatCheckValue(d.expected)} (${formatTolerance(d.tolerance)}) — ${d.message}`;
}

/** Passed: one line (✓, name, value) whose details open on click. Failed: a red badge with both values and the message. */
export function checkHtml(d: CheckData): string {
  const e = escapeHtml;
  const values = `computed <code>${e(formatCheckValue(d.computed))}</code>, expected <code>${e(formatCheckValue(d.expected))}</code> (${e(formatTolerance(d.tolerance))})`;
  if (d.passed) {
    return `<details class="convlab-check" style="font-family:sans-serif;font-size:13px;margin:1px 0"><summary style="cursor:pointer">` +
      `<span style="color:#2e7d32;font-weight:700">✓</span> <b>${e(d.name)}</b> <code>${e(formatCheckValue(d.computed))}</code></summary>` +
      `<div style="margin-left:1.5em">${values}: ${e(d.message)}</div></details>`;
  }
  const badge = `<span style="display:inline-block;padding:1px 8px;border-radius:10px;background:#c62828;color:#fff;font-weight:600">✗ ${e(d.name)}: failed</span>`;
  return `<div class="convlab-check" style="font-family:sans-serif;font-size:13px;margin:2px 0">${badge} <span>${values}: ${e(d.message)}</span></div>`;
}
