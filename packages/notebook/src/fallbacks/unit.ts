import { formatFloatPlain, type FloatValue, type LinearTermData, type LinearUnitData, type UnitData } from '@convlab/display';
import { escapeHtml } from './html.js';

const f = (v: FloatValue | null, digits = 4): string => (v === null ? 'pad' : formatFloatPlain(v, digits));

/** Where the unit sits and what it reads, in words. */
export function unitTitle(d: UnitData): string {
  const source = d.source.layer === null ? 'the input image' : `${d.source.layer} (${d.source.type ?? '?'})`;
  if (d.kind === 'linear') return `${d.layer} (${d.type}) output feature ${d.unit.channel}: Σ of ${d.inputs} terms input × weight, reading ${source}`;
  const at = `${d.layer} (${d.type}) unit channel ${d.unit.channel}, row ${d.unit.row}, col ${d.unit.col}`;
  return `${at}: reads ${source} rows ${d.rows[0]}…${d.rows[d.rows.length - 1]}, cols ${d.cols[0]}…${d.cols[d.cols.length - 1]}`;
}

/** The result line: Σ + bias → activation, or the chosen maximum / the average, against the model's value. */
export function unitResult(d: UnitData): string {
  if (d.kind === 'conv' || d.kind === 'linear') {
    const act = d.activation === null ? '' : ` → ${d.activation.type} = ${f(d.activation.value)}`;
    return `Σ products = ${f(d.sum)}, + bias ${f(d.bias)} = ${f(d.preActivation)}${act} (model: ${f(d.modelValue)})`;
  }
  if (d.kind === 'maxpool') return `max = ${f(d.value)} at row ${d.argMax?.row}, col ${d.argMax?.col} (model: ${f(d.modelValue)})`;
  return `Σ window / ${d.divisor} = ${f(d.value)} (model: ${f(d.modelValue)})`;
}

/** Where a linear term's input came from: `[12] = pool2[channel 0, row 2, col 2]`, or `[12]`. */
export function termInput(d: LinearUnitData, t: LinearTermData): string {
  if (t.position === null) return `[${t.index}]`;
  return `[${t.index}] = ${d.positionsIn?.layer ?? 'input'}[channel ${t.position.channel}, row ${t.position.row}, col ${t.position.col}]`;
}

/** The terms listed and the rest: `20 largest of 84 terms by |product|` or `all 84 terms`. */
export function termsHeading(d: LinearUnitData): string {
  return d.terms.length === d.inputs ? `all ${d.inputs} terms, largest |product| first` : `the ${d.terms.length} largest of ${d.inputs} terms by |product|; ` +
    `the other ${d.inputs - d.terms.length} sum to ${f(d.rest)}`;
}

export function unitText(d: UnitData): string {
  if (d.kind !== 'linear') return `${unitTitle(d)}\n${unitResult(d)}`;
  const terms = d.terms.map((t) => `  ${termInput(d, t)}: ${f(t.input)} × ${f(t.weight)} = ${f(t.product)}`);
  return [unitTitle(d), `${termsHeading(d)}:`, ...terms.slice(0, 10), ...(terms.length > 10 ? [`  … ${terms.length - 10} more listed`] : []), unitResult(d)].join('\n');
}

function grid(values: readonly (readonly (FloatValue | null)[])[], highlight: { row: number; col: number } | null): string {
  const td = 'padding:1px 4px;text-align:right;border:1px solid #ddd;font-size:11px';
  return `<table style="border-collapse:collapse;font-family:monospace">${values.map((row, i) => `<tr>${row.map((v, j) => {
    const mark = highlight !== null && highlight.row === i && highlight.col === j ? ';background:#ffe082' : v === null ? ';color:#999' : '';
    return `<td style="${td}${mark}">${escapeHtml(f(v, 3))}</td>`;
  }).join('')}</tr>`).join('')}</table>`;
}

/** Per input channel: window ⊙ kernel = products (Σ), or the pooling window; then the result line. */
export function unitHtml(d: UnitData): string {
  const e = escapeHtml;
  const op = (s: string): string => `<span style="font-size:16px;padding:0 6px">${s}</span>`;
  let body: string;
  if (d.kind === 'linear') {
    const rows = d.terms.map((t) => [termInput(d, t), f(t.input), f(t.weight), f(t.product)]);
    const td = 'padding:1px 6px;text-align:right;border-bottom:1px solid #ddd';
    const head = ['input', 'value', '× weight', '= product'].map((h) => `<th style="${td}">${h}</th>`).join('');
    const cells = rows.map((r) => `<tr>${r.map((c) => `<td style="${td}">${e(c)}</td>`).join('')}</tr>`).join('');
    body = `<div style="margin:4px 0">${e(termsHeading(d))}</div><table style="border-collapse:collapse;font-family:monospace;font-size:11px"><tr>${head}</tr>${cells}</table>`;
  } else if (d.kind === 'conv') {
    body = d.inputChannels.map((ch, c) => `<div style="display:flex;align-items:center;margin:4px 0"><span style="width:90px;font-size:12px">channel ` +
      `${ch}</span>${grid(d.window[c]!, null)}${op('⊙')}${grid(d.kernel[c]!, null)}${op('=')}${grid(d.products[c]!, null)}${op(`Σ ${e(f(d.channelSums[c]!))}`)}</div>`).join('');
  } else {
    const at = d.argMax === null ? null : { row: d.rows.indexOf(d.argMax.row), col: d.cols.indexOf(d.argMax.col) };
    body = `<div style="margin:4px 0">${grid(d.window, at)}</div>`;
  }
  return `<div class="convlab-unit" style="font-family:sans-serif;font-size:13px"><div>${e(unitTitle(d))}</div>${body}<div style="font-family:monospace">${e(unitResult(d))}</div></div>`;
}
