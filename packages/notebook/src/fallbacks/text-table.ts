/**
 * A console table with a header rule, right-aligned where asked:
 * ```
 * Layer        Output shape    Params
 * ─────────────────────────────────────
 * 0 Conv2d     [1, 6, 28, 28]     156
 * ```
 * `footer` rows follow a second rule.
 */
export function textTable(headers: readonly string[], align: readonly ('left' | 'right')[], rows: readonly (readonly string[])[], footer: readonly (readonly string[])[] = []): string {
  const all = [headers, ...rows, ...footer];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: readonly string[]): string => r.map((cell, i) => {
    const pad = ' '.repeat(widths[i]! - [...cell].length);
    return align[i] === 'right' ? pad + cell : cell + pad;
  }).join('  ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(headers), rule, ...rows.map(line), ...(footer.length > 0 ? [rule, ...footer.map(line)] : [])].join('\n');
}
