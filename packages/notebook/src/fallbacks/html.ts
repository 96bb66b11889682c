/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Inline styles (not a `<style>` element: GitHub and sanitising viewers drop those). */
const CELL = 'padding:2px 8px;border-bottom:1px solid #ddd;white-space:nowrap;';
const HEAD = `${CELL}border-bottom:2px solid #888;font-weight:600;`;

/** A column of an {@link htmlTable}. */
export interface HtmlColumn {
  readonly header: string;
  readonly align: 'left' | 'right';
}

/**
 * A compact styled table. `rows` are cells of already-escaped HTML; `footer` rows are shown bold
 * below a rule.
 */
export function htmlTable(columns: readonly HtmlColumn[], rows: readonly (readonly string[])[], footer: readonly (readonly string[])[] = []): string {
  const head = columns.map((c) => `<th style="${HEAD}text-align:${c.align}">${escapeHtml(c.header)}</th>`).join('');
  const line = (cells: readonly string[], extra: string): string =>
    `<tr>${cells.map((cell, i) => `<td style="${CELL}${extra}text-align:${columns[i]!.align}">${cell}</td>`).join('')}</tr>`;
  const body = rows.map((r) => line(r, '')).join('');
  const foot = footer.map((r) => line(r, 'font-weight:600;border-top:2px solid #888;')).join('');
  return `<table style="border-collapse:collapse;font-family:monospace;font-size:12px"><thead><tr>${head}</tr></thead><tbody>${body}${foot}</tbody></table>`;
}
