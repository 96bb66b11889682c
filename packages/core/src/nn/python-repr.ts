/**
 * Formats a float the way Python's `repr(float)` does, so `toString()` matches PyTorch's repr:
 * the shortest round-trip digits, always with a decimal point (`0.5`, `1.0`), scientific
 * notation with a two-digit exponent below 1e-4 or from 1e16 (`1e-05`, `1e+16`).
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(x);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}
