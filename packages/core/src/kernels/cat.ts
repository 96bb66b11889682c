// Concatenation along one axis, each input seen as `[outer, span]` (span = its size along the
// axis times the inner size) and the output as `[outer, total]`, total = Σ spans.

/** `out[o, offset_k + j] = parts[k][o, j]`, offset_k the spans before part k. */
export function catForward(parts: readonly Float32Array[], spans: readonly number[], outer: number): Float32Array {
  const total = spans.reduce((a, b) => a + b, 0);
  const out = new Float32Array(outer * total);
  let offset = 0;
  parts.forEach((x, k) => {
    const span = spans[k]!;
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * span, (o + 1) * span), o * total + offset);
    offset += span;
  });
  return out;
}

/** Each part's slice of the output gradient `g` `[outer, total]`: the gradient of {@link catForward}. */
export function catBackward(g: Float32Array, spans: readonly number[], outer: number): Float32Array[] {
  const total = spans.reduce((a, b) => a + b, 0);
  let start = 0;
  return spans.map((span) => {
    const gx = new Float32Array(outer * span);
    for (let o = 0; o < outer; o++) gx.set(g.subarray(o * total + start, o * total + start + span), o * span);
    start += span;
    return gx;
  });
}
