// The kernel of a stride-1 conv's input gradient seen as a forward: with stride 1, dx is the
// convolution of dy (padded by (k − 1)·d − p) with the kernel turned 180° and its two channel axes
// swapped, per group: `W′[g·Cg + c][o][kH−1−i][kW−1−j] = W[g·Mg + o][c][i][j]`. Turned here, in
// WebAssembly memory, so that the host copies the weights in as they are (a 512→512 3×3 kernel,
// 2.4 M floats, took 10–12 ms to turn in JavaScript).

import { bytes, ConvShape, groupIn, groupOut } from './conv-shape';

/** Chunks of {@link turnConvWeightsChunk}: one per output channel of W. */
export function turnConvWeightsChunks(shape: usize): i32 {
  return changetype<ConvShape>(shape).outC;
}

/**
 * Output channel `chunk` of W (`[C_out][Cg][kH][kW]` at w, `shape` the conv's own geometry) into
 * its places of W′ (`[C_in][Mg][kH][kW]` at dst): its Cg kernels, each reversed.
 */
export function turnConvWeightsChunk(chunk: i32, thread: i32, shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const mg = groupOut(s);
  const cg = groupIn(s);
  const kk = s.kH * s.kW;
  const g = chunk / mg;
  const o = chunk % mg;
  let from = w + bytes(chunk * cg * kk);
  for (let c = 0; c < cg; c++) {
    const to = dst + bytes(((g * cg + c) * mg + o) * kk + kk - 1);
    for (let t = 0; t < kk; t++) store<f32>(to - bytes(t), load<f32>(from + bytes(t)));
    from += bytes(kk);
  }
}
