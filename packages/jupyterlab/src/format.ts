import { fromFloatValue, type FloatValue, type ReceptiveField } from '@convlab/notebook/schema';

/** `47206` → `47,206`. */
export function formatInteger(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

const UNITS: readonly [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];

/** Large counts with a unit and 4 significant digits: `117600` → `117.6 K`, `15470000000` → `15.47 G`. */
export function formatCount(n: number): string {
  for (const [scale, unit] of UNITS) {
    if (n >= scale) return `${Number((n / scale).toPrecision(4))} ${unit}`;
  }
  return String(n);
}

/** `[1, 6, 28, 28]` → `1×6×28×28`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** A fraction as a percentage with one decimal: `0.99669` → `99.7%`; tiny non-zero shares → `<0.1%`. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** A float for display with 4 significant digits; non-finite values as `NaN`, `+∞`, `−∞`. */
export function formatFloat(value: FloatValue): string {
  const x = fromFloatValue(value);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-4) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** Seconds as `m:ss` or `h:mm:ss`: `72.4` → `1:12`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** `5×5, jump 2` (jump = distance in input pixels between neighbouring units). */
export function formatReceptiveField(field: ReceptiveField): string {
  return `${field.size[0]}×${field.size[1]}, jump ${field.stride[0] === field.stride[1] ? field.stride[0] : `${field.stride[0]}×${field.stride[1]}`}`;
}
