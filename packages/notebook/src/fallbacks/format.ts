import { fromFloatValue, type FloatValue, type ReceptiveField } from '../schema/index.js';

/** 138357544 → `138,357,544`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A large count with an SI suffix: 15470264320 → `15.47 G`, 117600 → `117.6 K`, 42 → `42`. */
export function formatSi(n: number): string {
  for (const [unit, scale] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (n >= scale) return `${(n / scale).toPrecision(4).replace(/\.?0+$/, '')} ${unit}`;
  }
  return String(n);
}

/** `[1, 6, 28, 28]`. */
export function formatShapeList(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A pair as `5×5`, or `3×5` when the axes differ. */
export function formatPair([h, w]: readonly [number, number]): string {
  return `${h}×${w}`;
}

/** `5×5 (jump 1)`, `global`, or `—` when there is no receptive field. */
export function formatReceptiveField(field: ReceptiveField | null, global: boolean): string {
  if (global) return 'global';
  if (field === null) return '—';
  const [sh, sw] = field.stride;
  return `${formatPair(field.size)} (jump ${sh === sw ? sh : `${sh}×${sw}`})`;
}

/** A float for tables: 4 significant digits, `NaN`/`Infinity` spelled out, `—` for null. */
export function formatFloat(v: FloatValue | null, digits = 4): string {
  if (v === null) return '—';
  const x = fromFloatValue(v);
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

/** `42s`, `3m07s`, `1h05m`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
