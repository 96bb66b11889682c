/**
 * Bilinear resize of one `h×w` plane to `outH×outW` with PyTorch's `align_corners=False`
 * (`F.interpolate(mode='bilinear')`): output pixel `y` samples source row
 * `max(0, (y + 0.5)·h/outH − 0.5)`, interpolating between its two nearest rows (likewise columns).
 */
export function resizeBilinear(plane: Float32Array, h: number, w: number, outH: number, outW: number): Float32Array {
  const axis = (n: number, out: number): { lo: Int32Array; hi: Int32Array; t: Float64Array } => {
    const lo = new Int32Array(out);
    const hi = new Int32Array(out);
    const t = new Float64Array(out);
    const scale = n / out;
    for (let i = 0; i < out; i++) {
      const src = Math.max(0, (i + 0.5) * scale - 0.5);
      lo[i] = Math.min(Math.floor(src), n - 1);
      hi[i] = Math.min(lo[i]! + 1, n - 1);
      t[i] = src - lo[i]!;
    }
    return { lo, hi, t };
  };
  const ys = axis(h, outH);
  const xs = axis(w, outW);
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const r0 = ys.lo[y]! * w;
    const r1 = ys.hi[y]! * w;
    const ty = ys.t[y]!;
    for (let x = 0; x < outW; x++) {
      const c0 = xs.lo[x]!;
      const c1 = xs.hi[x]!;
      const tx = xs.t[x]!;
      const top = plane[r0 + c0]! * (1 - tx) + plane[r0 + c1]! * tx;
      const bottom = plane[r1 + c0]! * (1 - tx) + plane[r1 + c1]! * tx;
      out[y * outW + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
