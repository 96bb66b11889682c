// PyTorch's tensor repr (torch/_tensor_str.py with its default print options): 4 decimals, a
// shared width, scientific notation for wide ranges, integers as `1.`, and tensors of more than
// 1000 values summarized to their first and last 3 entries per dim with `...`.

const PRECISION = 4;
const LINE_WIDTH = 80;
const EDGE = 3;
const THRESHOLD = 1000;

/** Python's `'{:.4e}'`: a two-digit exponent at least (`1.0000e-05`). */
function exponential(v: number): string {
  const [mantissa, exponent] = v.toExponential(PRECISION).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return null;
}

/** Chooses the notation from the values shown (finite, nonzero ones) and the width they share. */
function formatter(shown: readonly number[]): { format: (v: number) => string; width: number } {
  const finite = shown.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  let mode: 'int' | 'fixed' | 'sci' = 'int';
  if (finite.length > 0) {
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const ints = shown.every((v) => !Number.isFinite(v) || v === Math.ceil(v));
    if (hi / lo > 1000 || hi > 1e8 || (!ints && lo < 1e-4)) mode = 'sci';
    else if (!ints) mode = 'fixed';
  }
  const text = (v: number): string => {
    const magnitude = mode === 'sci' ? exponential(Math.abs(v)) : mode === 'fixed' ? Math.abs(v).toFixed(PRECISION) : `${Math.abs(v).toFixed(0)}.`;
    return (v < 0 || Object.is(v, -0) ? '-' : '') + magnitude;
  };
  const width = shown.reduce((w, v) => (Number.isFinite(v) && v !== 0 ? Math.max(w, text(v).length) : w), 1);
  return { format: (v) => (special(v) ?? text(v)).padStart(width), width };
}

/** A nested view of row-major values: the positions shown along each dim (summarized or all). */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (!summarize || size <= 2 * EDGE) return [...Array(size).keys()];
  return [...Array(EDGE).keys(), null, ...Array.from({ length: EDGE }, (_, i) => size - EDGE + i)];
}

/**
 * The text of `values` (row-major, of `shape`) inside `tensor(` … `)`, with `suffixes` such as
 * `requiresGrad=true` appended as PyTorch does (wrapping at 80 columns).
 * @example formatTensor(Float32Array.of(1, 2.5), [2], []) // "tensor([1.0000, 2.5000])"
 */
export function formatTensor(values: Float32Array, shape: readonly number[], suffixes: readonly string[]): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const size = values.length;
  const extra = [...suffixes];
  let body: string;
  if (size === 0) {
    body = '[]';
    if (shape.length !== 1) extra.unshift(`size=(${shape.join(', ')})`);
  } else {
    const summarize = size > THRESHOLD;
    const strides: number[] = [];
    let s = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d]!;
    }
    const shown: number[] = [];
    const collect = (depth: number, offset: number): void => {
      if (depth === shape.length) {
        shown.push(values[offset]!);
        return;
      }
      for (const i of shownIndices(shape[depth]!, summarize)) if (i !== null) collect(depth + 1, offset + i * strides[depth]!);
    };
    collect(0, 0);
    const { format, width } = formatter(shown);
    const render = (depth: number, offset: number, pad: number): string => {
      if (depth === shape.length) return format(values[offset]!);
      const items = shownIndices(shape[depth]!, summarize);
      if (depth === shape.length - 1) {
        const cells = items.map((i) => (i === null ? ' ...' : format(values[offset + i * strides[depth]!]!)));
        const perLine = Math.max(1, Math.floor((LINE_WIDTH - pad) / (width + 2)));
        const lines: string[] = [];
        for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(', '));
        return `[${lines.join(`,\n${' '.repeat(pad + 1)}`)}]`;
      }
      const parts = items.map((i) => (i === null ? '...' : render(depth + 1, offset + i * strides[depth]!, pad + 1)));
      return `[${parts.join(`,${'\n'.repeat(shape.length - depth - 1)}${' '.repeat(pad + 1)}`)}]`;
    };
    body = render(0, 0, indent);
  }
  let text = prefix + body;
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of extra) {
    if (lastLine + suffix.length + 2 > LINE_WIDTH) {
      text += `,\n${' '.repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      text += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${text})`;
}
