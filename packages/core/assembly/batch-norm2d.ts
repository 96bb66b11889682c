// Batch normalization of x `[n, c, hw]`, one channel per chunk. The arithmetic is the TypeScript
// reference's (kernels/batch-norm2d.ts) step for step, in float64 and in the same order, so both
// backends give the same bits and the result does not depend on which thread ran a channel. Sums
// over a channel run in four lanes (position j of every plane into lane j mod 4, planes in order,
// then (lane 0 + lane 1) + (lane 2 + lane 3)), the reference's order; the element-wise passes two
// float64 lanes at a time (each lane the scalar's operations, so the same bits).

@inline function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

@inline function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3));
}

/** Float32 lanes 0–1 and 2–3 of `v` as two float64x2. */
@inline function widenLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function widenHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** The float32x4 of two float64x2, each lane rounded to nearest. */
@inline function narrow(low: v128, high: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}

/** `v < 0 ? 0 : v` per lane (NaN and −0 kept), the ReLU of assembly/relu.ts. */
@inline function relu4(v: v128): v128 {
  return v128.andnot(v, f32x4.lt(v, f32x4.splat(0)));
}

/** `s` with `e` added to lane `lane` (0 or 1). */
@inline function addToLane(s: v128, lane: i32, e: f64): v128 {
  return lane === 0 ? f64x2.replace_lane(s, 0, f64x2.extract_lane(s, 0) + e) : f64x2.replace_lane(s, 1, f64x2.extract_lane(s, 1) + e);
}

/** The four lane sums (lanes 0–1 in `s01`, 2–3 in `s23`) added up: `(s0 + s1) + (s2 + s3)`. */
@inline function laneTotal(s01: v128, s23: v128): f64 {
  return (f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1)) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
}

/** Channel `chunk`: `mean = Σ x / m` and the biased `variance = Σ (x − mean)² / m` (float64 at mean, variance). */
export function channelMomentsChunk(chunk: i32, thread: i32, x: usize, n: i32, c: i32, hw: i32, mean: usize, variance: usize): void {
  const m = <f64>n * <f64>hw;
  let s01 = f64x2.splat(0);
  let s23 = f64x2.splat(0);
  for (let b = 0; b < n; b++) {
    const k = (b * c + chunk) * hw;
    let j = 0;
    for (; j + 4 <= hw; j += 4) {
      const v = v128.load(x + (<usize>(k + j) << 2));
      s01 = f64x2.add(s01, widenLow(v));
      s23 = f64x2.add(s23, widenHigh(v));
    }
    for (; j < hw; j++) {
      const e = <f64>f32At(x, k + j);
      if ((j & 2) === 0) s01 = addToLane(s01, j & 1, e);
      else s23 = addToLane(s23, j & 1, e);
    }
  }
  const mu = laneTotal(s01, s23) / m;
  const vmu = f64x2.splat(mu);
  let q01 = f64x2.splat(0);
  let q23 = f64x2.splat(0);
  for (let b = 0; b < n; b++) {
    const k = (b * c + chunk) * hw;
    let j = 0;
    for (; j + 4 <= hw; j += 4) {
      const v = v128.load(x + (<usize>(k + j) << 2));
      const lo = f64x2.sub(widenLow(v), vmu);
      const hi = f64x2.sub(widenHigh(v), vmu);
      q01 = f64x2.add(q01, f64x2.mul(lo, lo));
      q23 = f64x2.add(q23, f64x2.mul(hi, hi));
    }
    for (; j < hw; j++) {
      const d = <f64>f32At(x, k + j) - mu;
      if ((j & 2) === 0) q01 = addToLane(q01, j & 1, d * d);
      else q23 = addToLane(q23, j & 1, d * d);
    }
  }
  store<f64>(mean + (<usize>chunk << 3), mu);
  store<f64>(variance + (<usize>chunk << 3), laneTotal(q01, q23) / m);
}

/**
 * Channel `chunk`: `x̂ = (x − mean)·invStd` (kept unless xHat is 0), `y = γ·x̂ + β` (γ = 1 when
 * gamma is 0, β = 0 when beta is 0), then `y = max(y, 0)` when `relu` is not 0. y may be x.
 */
export function batchNorm2dForwardChunk(
  chunk: i32, thread: i32, x: usize, n: i32, c: i32, hw: i32, mean: usize, invStd: usize, gamma: usize, beta: usize, relu: i32, xHat: usize, y: usize,
): void {
  const mu = f64At(mean, chunk);
  const is = f64At(invStd, chunk);
  const scale: f64 = gamma === 0 ? 1 : <f64>f32At(gamma, chunk);
  const shift: f64 = beta === 0 ? 0 : <f64>f32At(beta, chunk);
  const vmu = f64x2.splat(mu);
  const vis = f64x2.splat(is);
  const vscale = f64x2.splat(scale);
  const vshift = f64x2.splat(shift);
  for (let b = 0; b < n; b++) {
    let k = (b * c + chunk) * hw;
    const end = k + hw;
    for (; k + 4 <= end; k += 4) {
      const at = <usize>k << 2;
      const v = v128.load(x + at);
      const lo = f64x2.mul(f64x2.sub(widenLow(v), vmu), vis);
      const hi = f64x2.mul(f64x2.sub(widenHigh(v), vmu), vis);
      if (xHat !== 0) v128.store(xHat + at, narrow(lo, hi));
      const out = narrow(f64x2.add(f64x2.mul(lo, vscale), vshift), f64x2.add(f64x2.mul(hi, vscale), vshift));
      v128.store(y + at, relu !== 0 ? relu4(out) : out);
    }
    for (; k < end; k++) {
      const xh = (<f64>f32At(x, k) - mu) * is;
      const out = <f32>(xh * scale + shift);
      if (xHat !== 0) store<f32>(xHat + (<usize>k << 2), <f32>xh);
      store<f32>(y + (<usize>k << 2), relu !== 0 && out < 0 ? 0 : out);
    }
  }
}

/**
 * Channel `chunk`: with `ĝ = dy`, or `ĝ = reluOut ≤ 0 ? 0 : dy` when reluOut is not 0 (the ReLU's
 * backward, from the ReLU's output), `Σ ĝ` and `Σ ĝ·x̂` (float64 at sumG, sumGXHat), then
 * `dx = γ·invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))` in training, `γ·invStd·ĝ` otherwise.
 */
export function batchNorm2dBackwardChunk(
  chunk: i32, thread: i32, g: usize, xHat: usize, reluOut: usize, n: i32, c: i32, hw: i32, invStd: usize, gamma: usize, training: i32,
  gx: usize, sumG: usize, sumGXHat: usize,
): void {
  const zero = f32x4.splat(0);
  let g01 = f64x2.splat(0);
  let g23 = f64x2.splat(0);
  let h01 = f64x2.splat(0);
  let h23 = f64x2.splat(0);
  for (let b = 0; b < n; b++) {
    const k = (b * c + chunk) * hw;
    let j = 0;
    for (; j + 4 <= hw; j += 4) {
      const at = <usize>(k + j) << 2;
      let gv = v128.load(g + at);
      if (reluOut !== 0) gv = v128.andnot(gv, f32x4.le(v128.load(reluOut + at), zero));
      const h = v128.load(xHat + at);
      const lo = widenLow(gv);
      const hi = widenHigh(gv);
      g01 = f64x2.add(g01, lo);
      g23 = f64x2.add(g23, hi);
      h01 = f64x2.add(h01, f64x2.mul(lo, widenLow(h)));
      h23 = f64x2.add(h23, f64x2.mul(hi, widenHigh(h)));
    }
    for (; j < hw; j++) {
      const gk = reluOut !== 0 && f32At(reluOut, k + j) <= 0 ? 0 : <f64>f32At(g, k + j);
      const gh = gk * <f64>f32At(xHat, k + j);
      if ((j & 2) === 0) {
        g01 = addToLane(g01, j & 1, gk);
        h01 = addToLane(h01, j & 1, gh);
      } else {
        g23 = addToLane(g23, j & 1, gk);
        h23 = addToLane(h23, j & 1, gh);
      }
    }
  }
  const sg = laneTotal(g01, g23);
  const sgx = laneTotal(h01, h23);
  store<f64>(sumG + (<usize>chunk << 3), sg);
  store<f64>(sumGXHat + (<usize>chunk << 3), sgx);
  const m = <f64>n * <f64>hw;
  const is = f64At(invStd, chunk);
  const k0: f64 = gamma === 0 ? is : <f64>f32At(gamma, chunk) * is;
  const meanG: f64 = training !== 0 ? sg / m : 0;
  const meanGXHat: f64 = training !== 0 ? sgx / m : 0;
  const vk0 = f64x2.splat(k0);
  const vmeanG = f64x2.splat(meanG);
  const vmeanGXHat = f64x2.splat(meanGXHat);
  for (let b = 0; b < n; b++) {
    let k = (b * c + chunk) * hw;
    const end = k + hw;
    for (; k + 4 <= end; k += 4) {
      const at = <usize>k << 2;
      let gv = v128.load(g + at);
      if (reluOut !== 0) gv = v128.andnot(gv, f32x4.le(v128.load(reluOut + at), zero));
      const h = v128.load(xHat + at);
      const lo = f64x2.mul(vk0, f64x2.sub(f64x2.sub(widenLow(gv), vmeanG), f64x2.mul(widenLow(h), vmeanGXHat)));
      const hi = f64x2.mul(vk0, f64x2.sub(f64x2.sub(widenHigh(gv), vmeanG), f64x2.mul(widenHigh(h), vmeanGXHat)));
      v128.store(gx + at, narrow(lo, hi));
    }
    for (; k < end; k++) {
      const gk = reluOut !== 0 && f32At(reluOut, k) <= 0 ? 0 : <f64>f32At(g, k);
      store<f32>(gx + (<usize>k << 2), <f32>(k0 * (gk - meanG - <f64>f32At(xHat, k) * meanGXHat)));
    }
  }
}
