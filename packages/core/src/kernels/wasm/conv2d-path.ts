import type { Conv2dGeometry } from '../../shape/conv-geometry.js';

/**
 * How the WebAssembly conv2d forward computes a call: `'winograd'` (F(2×2, 3×3), assembly/winograd.ts),
 * `'direct'` (the tile reads the input in place: stride 1 along W), `'1x1'` (the same for a 1×1
 * stride-1 kernel: a plain product of the weights with the NCHW input, no im2col) or
 * `'im2col-gemm'` (blocks of the column matrix).
 */
export type Conv2dForwardPath = 'winograd' | 'direct' | '1x1' | 'im2col-gemm';

/**
 * Input and output channels from which Winograd beats the in-place direct forward: measured
 * back to back on 16×C×32×32 (CPU time, 1 thread), direct ÷ Winograd was 0.60 at 8 channels, 0.83
 * at 16, 1.10 at 24, 1.24 at 32 and 1.8 at 64 (the 8×64×56×56 conv).
 */
export const WINOGRAD_MIN_CHANNELS = 24;

/**
 * The least fraction of the 2×2 tiles' outputs (rows of tiles padded to a multiple of 4) that
 * must be real outputs: a 7×7 output (49 of 64) ran at 0.6–0.9× the direct forward, 14×14 (196 of 224) at 1.35×.
 */
const WINOGRAD_MIN_TILE_USE = 0.8;

/** The path the forward takes for geometry `g` (the input gradient of a stride-1 conv is such a forward). */
export function conv2dForwardPath(g: Conv2dGeometry): Conv2dForwardPath {
  if (winogradApplies(g) && winogradPays(g)) return 'winograd';
  if (g.strideW !== 1) return 'im2col-gemm';
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 ? '1x1' : 'direct';
}

/** Whether F(2×2, 3×3) computes `g` at all: 3×3, stride 1, dilation 1, one group. */
function winogradApplies(g: Conv2dGeometry): boolean {
  return g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && g.groups === 1;
}

function winogradPays(g: Conv2dGeometry): boolean {
  const tiles = Math.ceil(g.outH / 2) * Math.ceil(Math.ceil(g.outW / 2) / 4) * 4;
  return Math.min(g.inChannels, g.outChannels) >= WINOGRAD_MIN_CHANNELS && (g.outH * g.outW) / (4 * tiles) >= WINOGRAD_MIN_TILE_USE;
}
