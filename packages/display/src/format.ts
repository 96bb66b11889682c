import { fromFloatValue, type FloatValue, type ReceptiveField } from './common.js';

/**
 * One formatter per quantity and presentation, shared by the kernel-side fallbacks (text/HTML) and
 * the JupyterLab renderer. Durations as `42s` / `3m07s` are `formatDuration` of `@convlab/core`.
 */

/** A count with thousands separators: `138357544` → `138,357,544`. */
export function formatInteger(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

const SI_UNITS: readonly (readonly [number, string])[] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];

/** A large count with an SI unit and 4 significant digits: `117600` → `117.6 K`, `15470264320` → `15.47 G`, `42` → `42`. */
export function formatSi(n: number): string {
  for (const [scale, unit] of SI_UNITS) {
    if (n >= scale) return `${Number((n / scale).toPrecision(4))} ${unit}`;
  }
  return String(n);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * A byte count in binary units with one decimal: `40` → `40 B`, `1536` → `1.5 KiB`,
 * `246824` → `241.0 KiB`. The one byte formatter of convlab (CLI, notebook fallbacks, renderer).
 */
export function formatBytes(bytes: number): string {
  let v = bytes, u = 0;
  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${BYTE_UNITS[u]}`;
}

/** A shape as dimensions: `[1, 6, 28, 28]` → `1×6×28×28`; `[]` → `scalar`. */
export function formatDims(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** A shape as a list: `[1, 6, 28, 28]`. */
export function formatShapeList(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A pair as `5×5`, or `3×5` when the axes differ. */
export function formatPair([h, w]: readonly [number, number]): string {
  return `${h}×${w}`;
}

/** A receptive field's jump: `2`, or `1×2` when the axes differ. */
function formatJump([sh, sw]: readonly [number, number]): string {
  return sh === sw ? String(sh) : `${sh}×${sw}`;
}

/** A receptive field in a sentence: `5×5, jump 2` (jump = input pixels between neighboring units). */
export function formatReceptiveField(field: ReceptiveField): string {
  return `${formatPair(field.size)}, jump ${formatJump(field.stride)}`;
}

/** A receptive field in a table cell: `5×5 (jump 1)`, `whole input`, or `—` when there is none. */
export function formatReceptiveFieldCell(field: ReceptiveField | null, global: boolean): string {
  if (global) return 'whole input';
  if (field === null) return '—';
  return `${formatPair(field.size)} (jump ${formatJump(field.stride)})`;
}

/** A fraction as a percentage with one decimal: `0.99669` → `99.7%`; tiny non-zero shares → `<0.1%`. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** A float for the renderer: 4 significant digits; non-finite values as `NaN`, `+∞`, `−∞`. */
export function formatFloat(value: FloatValue): string {
  const x = fromFloatValue(value);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-4) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** A float for plain-text tables: `digits` significant digits, `NaN`/`Infinity` spelled out, `—` for null. */
export function formatFloatPlain(v: FloatValue | null, digits = 4): string {
  if (v === null) return '—';
  const x = fromFloatValue(v);
  if (!Number.isFinite(x)) return String(x);
  const scientific = Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3);
  return scientific ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

/** Elapsed time on a clock: `m:ss` or `h:mm:ss`, `72.4` → `1:12`. */
export function formatClock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}
