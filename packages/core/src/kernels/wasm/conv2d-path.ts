import type { Conv2dGeometry } from '../../shape/conv-geometry.js';

/**
 * How the WebAssembly conv2d forward computes a call: `'winograd4x4'` (F(4×4, 3×3),
 * assembly/winograd4.ts), `'winograd'` (F(2×2, 3×3), assembly/winograd.ts),
 * `'direct'` (the tile reads the input in place: stride 1 along W), `'1x1'` (the same for a 1×1
 * stride-1 kernel: a plain product of the weights with the NCHW input, no im2col), `'taps'` (a
 * first layer with stride 2 along W: output channels in the SIMD lanes, the taps read in place,
 * assembly/conv2d-taps.ts) or `'im2col-gemm'` (blocks of the column matrix).
 */
export type Conv2dForwardPath = 'winograd4x4' | 'winograd' | 'direct' | '1x1' | 'taps' | 'im2col-gemm';

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

/**
 * {@link WINOGRAD_MIN_TILE_USE} when the transformed weights are kept in the weight cache across
 * calls (inference): the transform, 16 floats written per pair of channels, is no longer paid per
 * call. Measured with the weights kept (CPU time, 1 thread): 7×7 outputs (49 of 64) ran at 1.55×
 * the direct forward (1×512×7×7: 9.3 against 14.4 ms; the im2col-gemm forward 11.7 ms, F(4×4)'s 4
 * tiles 14.3 ms) and 1.9× (1×256×7×7: 1.7 against 3.3 ms); with the transform per call the same
 * 1×512×7×7 took 30.6 ms (the direct forward 20.3 ms, packing its panels included). 4×4 outputs
 * (16 of 32) stay below: 1×512×4×4 ran at 6.4 ms, the im2col-gemm forward at 4.3.
 */
const WINOGRAD_KEPT_MIN_TILE_USE = 0.75;

/**
 * Input and output channels from which Winograd F(4×4, 3×3) beats the in-place direct forward:
 * measured back to back on 16×C×32×32 (CPU time, 1 thread), direct ÷ F(4×4) was 1.5 at 8
 * channels, 1.3 at 12, 1.5 at 16, 1.6 at 24, 1.9 at 32; F(4×4) ÷ F(2×2) 0.57–0.76 on all of them.
 */
export const WINOGRAD4_MIN_CHANNELS = 8;

/**
 * The least fraction of the 4×4 tiles' outputs that must be real outputs for F(4×4) (its rows of
 * tiles are not padded): 7×7 outputs (49 of 64) ran at 2.5× the direct forward (8×256×7×7).
 */
const WINOGRAD4_MIN_TILE_USE = 0.5;

/**
 * The least number of 4×4 tiles of the whole batch for F(4×4): each call transforms the weights
 * (36 floats per channel pair) and each chunk streams them past its tiles once, so a few tiles do
 * not pay for it: 4 tiles (1×512×7×7, 1×256×7×7) ran at 0.65–0.75× the direct forward, 8 at 1.0×
 * (2×512×7×7) and 2.2× (8×512×4×4), 16 at 1.1× (1×512×14×14), 32 at 2.5× (8×256×7×7).
 */
const WINOGRAD4_MIN_TILES = 8;

/**
 * F(4×4) rather than F(2×2) when its tile use is at least this fraction of F(2×2)'s (whose rows of
 * tiles are padded to a multiple of 4): F(4×4) does 2.25 products per output where F(2×2) does 4,
 * and ran 1.2–1.6× faster at 56×56, 32×32, 16×16, 14×14, 12×12, 10×10 and 8×8 (64 channels, CPU
 * time, 1 thread); with padded rows (49 of 64 tile outputs used at 8×8, half F(2×2)'s use) it had run at 0.72×.
 */
const WINOGRAD4_USE_RATIO = 0.7;

/**
 * Taps per group (`C_in/G·kH·kW`, the reduction of each output) from which blocks of the column
 * matrix (im2col-gemm) beat the in-place direct forward: measured back to back (CPU time, 1
 * thread), im2col-gemm ÷ direct time was 0.5 at 4608 taps on 4×4 maps (1×512×4×4 4.3 against 8.2 ms,
 * 8×512×4×4 32.8 against 60.6), 0.8–0.9 at 4608 on 7×7 and 14×14 (1×512×7×7 11.7 against 14.4),
 * 0.8–0.9 at 2304 (1×256×14×14 10.8 against 13.7, 1×256×28×28 39 against 48), 0.8–1.0 at 1152
 * (8×128×14×14, 8×128×28×28, 1×128×4×4); 0.95–1.0 at 288–576 (8×32×4×4, 8×64×6×6) and 1.9–2.0 at
 * 72–144 (8×8×7×7, 8×16×7×7), where the columns cost more than they save.
 */
const DIRECT_MAX_TAPS = 1024;

/**
 * The path the forward takes for geometry `g` (the input gradient of a stride-1 conv is such a
 * forward); `weightsKept` when its packed or transformed weights come from the weight cache (the
 * same weights again: inference), so that transforming them is not counted against Winograd.
 */
export function conv2dForwardPath(g: Conv2dGeometry, weightsKept = false): Conv2dForwardPath {
  if (winogradApplies(g)) {
    const pays = winogradPays(g, weightsKept);
    if (winograd4Pays(g) && (!pays || tileUse(g, 4, tiles4(g)) >= WINOGRAD4_USE_RATIO * tileUse(g, 2, tiles2(g)))) return 'winograd4x4';
    if (pays) return 'winograd';
  }
  if (tapsPathApplies(g)) return 'taps';
  if (g.strideW !== 1) return 'im2col-gemm';
  if (g.kH === 1 && g.kW === 1 && g.strideH === 1) return '1x1';
  return (g.inChannels / g.groups) * g.kH * g.kW < DIRECT_MAX_TAPS ? 'direct' : 'im2col-gemm';
}

/**
 * Whether Winograd F(2×2, 3×3) computes `g` faster than the direct forward (3×3, stride 1, enough
 * channels and tile use), whichever Winograd the forward takes: where the weight gradient's F(2×2) applies.
 */
export function winograd2x2Pays(g: Conv2dGeometry): boolean {
  return winogradApplies(g) && winogradPays(g, false);
}

/**
 * Most 4×4 tiles of the whole batch for which the weight gradient takes Winograd F(4×4, 3×3) with
 * all 36 products of a block of channels reduced over the batch's tiles in a per-thread buffer
 * (assembly/winograd4-weight-gradient.ts): its transformed dy and x (36 floats per channel and
 * tile) are read again by every block of channels, so many tiles of few channels stream them from
 * memory. Measured against the path taken before (1-thread CPU time, A/B in one process, medians
 * of 9–11, dW and db): batch-gemm 0.42× the time at 8×512×4×4 (8 tiles), 0.38× at 8×256×7×7 (32),
 * 0.42–0.58× at 8×32×4×4, 8×16×7×7, 8×8×8×8; F(2×2) 0.72× at 8×128×14×14 (128), 0.81× at
 * 32×64×8×8 (128), 0.89× at 16×128×14×14 (256), 0.80× at 8×64×28×28 (392), but 0.91× at
 * 32×64×16×16 and 0.94–1.0× at 128×64×8×8 → 128 (512), 1.13× at 128×64×16×16 (2048), 1.20× at
 * 128×32×32×32 (8192); im2col-gemm 0.35× at 8×128×12×12.
 */
const WINOGRAD4_WEIGHT_MAX_TILES = 400;

/**
 * Whether the weight gradient of `g` takes Winograd F(4×4, 3×3): 3×3 stride 1, at least
 * {@link WINOGRAD4_MIN_CHANNELS} channels, at least half of the 4×4 tiles' outputs real (its 36
 * products per tile against batch-gemm's 9 per output: 4×4, 7×7, 14×14, 28×28 maps, not 5×5),
 * at most {@link WINOGRAD4_WEIGHT_MAX_TILES} tiles in the batch.
 */
export function winograd4WeightPays(g: Conv2dGeometry): boolean {
  const tiles = tiles4(g);
  return winogradApplies(g) && Math.min(g.inChannels, g.outChannels) >= WINOGRAD4_MIN_CHANNELS
    && tileUse(g, 4, tiles) >= WINOGRAD4_MIN_TILE_USE && g.batch * tiles <= WINOGRAD4_WEIGHT_MAX_TILES;
}

/** Whether Winograd F(2×2, 3×3) or F(4×4, 3×3) computes `g` at all: 3×3, stride 1, dilation 1, one group. */
function winogradApplies(g: Conv2dGeometry): boolean {
  return g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && g.groups === 1;
}

/** The 4×4 tiles of one image (F(4×4)): `⌈H_out/4⌉·⌈W_out/4⌉`. */
const tiles4 = (g: Conv2dGeometry): number => Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4);

/** The 2×2 tiles of one image (F(2×2)), rows of tiles padded to a multiple of 4: `⌈H_out/2⌉·⌈⌈W_out/2⌉/4⌉·4`. */
const tiles2 = (g: Conv2dGeometry): number => Math.ceil(g.outH / 2) * Math.ceil(Math.ceil(g.outW / 2) / 4) * 4;

/** The fraction of the tiles' outputs that are real outputs, for `tiles` tiles of `size`×`size` per image. */
const tileUse = (g: Conv2dGeometry, size: number, tiles: number): number => (g.outH * g.outW) / (size * size * tiles);

function winogradPays(g: Conv2dGeometry, weightsKept: boolean): boolean {
  const minUse = weightsKept ? WINOGRAD_KEPT_MIN_TILE_USE : WINOGRAD_MIN_TILE_USE;
  return Math.min(g.inChannels, g.outChannels) >= WINOGRAD_MIN_CHANNELS && tileUse(g, 2, tiles2(g)) >= minUse;
}

function winograd4Pays(g: Conv2dGeometry): boolean {
  const tiles = tiles4(g);
  return Math.min(g.inChannels, g.outChannels) >= WINOGRAD4_MIN_CHANNELS && tileUse(g, 4, tiles) >= WINOGRAD4_MIN_TILE_USE && g.batch * tiles >= WINOGRAD4_MIN_TILES;
}

/**
 * Most 4×4 tiles of the whole batch for which F(4×4) with weights used once (not kept: training's
 * forward and input gradient) transforms them chunk by chunk of 16 output channels into a buffer
 * that stays in the cache (assembly/winograd4-fresh-weights.ts) instead of all into memory before
 * the products. Each chunk reads the transformed inputs (36 floats per input channel and tile)
 * again, where the other way writes and reads back 36 floats per pair of channels: the extra reads
 * grow with the tiles, the saved traffic with the channels. Measured (1-thread CPU time, A/B in one
 * process, medians of 11, transposed-weights input gradient alike): 8 tiles (8×512×4×4) 0.53× the
 * time, 16 (2×512×7×7) 0.40×, 32 (8×256×7×7) 0.89×, 128 (8×128×14×14) 0.91×, 392 (8×64×28×28) 1.2×.
 */
const WINOGRAD4_FRESH_MAX_TILES = 128;

/** Whether F(4×4) on `g` with weights transformed on this call (not kept) transforms them chunk by chunk. */
export function winograd4FreshPays(g: Conv2dGeometry): boolean {
  return g.batch * tiles4(g) <= WINOGRAD4_FRESH_MAX_TILES;
}

/**
 * Input channels per group up to which a conv takes the 'taps' forward and weight gradient (a first
 * layer on RGB images). Measured on ResNet-18's stem x[8,3,112,112] w[64,3,7,7] stride 2 pad 3
 * (CPU time, 1 thread, kernels alone, medians of 9 at load 9): forward 18.3 ms against 22.3 on
 * im2col-gemm (1×3×224×224: 7.9 against 9.9), weight gradient 1.1–1.17× faster than im2col-gemm.
 * With stride 1 along W the in-place direct kernels stay: on CIFAR's x[128,3,32,32] w[32,3,3,3]
 * the 'taps' forward took 1.14× the direct one's time (paired medians of 15).
 */
const TAPS_MAX_CHANNELS = 4;

/** Whether the 'taps' kernels compute `g`: few input channels, a kernel wider than 1×1, at least 8 output channels, stride 2 along W. */
export function tapsPathApplies(g: Conv2dGeometry): boolean {
  return g.inChannels / g.groups <= TAPS_MAX_CHANNELS && g.kH * g.kW > 1 && g.outChannels / g.groups >= 8 && g.strideW === 2;
}
