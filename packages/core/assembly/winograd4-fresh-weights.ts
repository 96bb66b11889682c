// Winograd F(4×4, 3×3) (winograd4.ts) for weights that change on every call (training) and few
// tiles (deep layers on small maps: 512@4×4 has one tile per image). The forward there transforms
// all the weights first, 36 floats per pair of channels (512→512: 37.7 MB, past the caches), and
// the products read them back once for a handful of tiles: both passes run at memory speed. Here
// the inputs are transformed first, once for all chunks (`V`, 36 floats per input channel and
// tile: 0.6 MB at 8×512×4×4), and each chunk, a block of FRESH_CHANNELS output channels,
// transforms its own weights block by block of input channels into a per-thread buffer that stays
// in the cache (FRESH_CHANNELS × INPUT_BLOCK × 36 floats) just before its products read them.
// A chunk reduces its channels' sums whole and in order: they do not depend on the thread count.

import { bytes, ConvShape } from './conv-shape';
import { MR, NR, INIT_C, INIT_ZERO, multiplyBlock } from './tile';
import {
  XI, SKEW, TRANSFORM_FLOATS, SPLIT_FLOATS, PATCH_ROWS, roundUp, tileRows, tileColumns, patchRowFloats,
  outputTransform, reluTileRows, transformInputRows, transformWeightPanel,
} from './winograd4';

/** Output channels per chunk (a multiple of MR): their transformed weights for one block of input channels stay in L2. */
const FRESH_CHANNELS: i32 = 16;
/** Input channels per block of the reduction: 16 × 128 × 36 floats of weights (295 KB) per block. */
const INPUT_BLOCK: i32 = 128;
/** Input channels per chunk of {@link winograd4InputsChunk} (INPUT_BLOCK is a multiple of it). */
const INPUT_CHUNK: i32 = 16;

/** Tiles of the whole batch: `N·⌈H_out/4⌉·⌈W_out/4⌉`. */
@inline function allTiles(s: ConvShape): i32 {
  return s.batch * tileRows(s) * tileColumns(s);
}

/** Floats of one block of input channels' transformed inputs: 36 packed B matrices `[⌈tiles/8⌉][INPUT_BLOCK][8]`, SKEW apart. */
@inline function inputBlockFloats(s: ConvShape): i32 {
  return XI * (INPUT_BLOCK * roundUp(allTiles(s), NR) + SKEW);
}

/** Floats of all transformed inputs {@link winograd4InputsChunk} writes (block b from b·inputBlockFloats). */
export function winograd4InputsFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return ((s.inC + INPUT_BLOCK - 1) / INPUT_BLOCK) * inputBlockFloats(s);
}

/** Chunks of {@link winograd4InputsChunk}: INPUT_CHUNK input channels each. */
export function winograd4InputsChunks(shape: usize): i32 {
  return (changetype<ConvShape>(shape).inC + INPUT_CHUNK - 1) / INPUT_CHUNK;
}

/**
 * The transformed inputs `V_ξ[ci][t] = (Bᵀ·d_ct·B)_ξ` of input channels [16·chunk, +16) for
 * every tile of the batch, in block b = ⌊ci / INPUT_BLOCK⌋ at `v + b·inputBlockFloats` floats:
 * 36 packed B matrices of kc = min(INPUT_BLOCK, C_in − 128·b) rows, `kc·⌈tiles/8⌉·8 + SKEW`
 * floats apart. `x` is the input (`[N][C_in][H][W]`, 3 floats of slack past its end); the
 * scratch is {@link winograd4FreshScratch}'s.
 */
export function winograd4InputsChunk(chunk: i32, thread: i32, shape: usize, x: usize, v: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const c0 = chunk * INPUT_CHUNK;
  const p0 = c0 / INPUT_BLOCK * INPUT_BLOCK;
  const kc = min(INPUT_BLOCK, s.inC - p0);
  const tmp = scratch + <usize>thread * scratchStride;
  const vb = v + bytes((p0 / INPUT_BLOCK) * inputBlockFloats(s));
  const vStep = bytes(kc * roundUp(allTiles(s), NR) + SKEW);
  transformInputRows(s, x, p0, c0 - p0, min(s.inC, c0 + INPUT_CHUNK) - p0, kc, 0, s.batch * tileRows(s), vb, vStep, bytes(kc * NR), tmp, tmp + bytes(TRANSFORM_FLOATS + SPLIT_FLOATS));
}

/** Chunks of {@link winograd4FreshChunk}: FRESH_CHANNELS output channels each. */
export function winograd4FreshChunks(shape: usize): i32 {
  return (changetype<ConvShape>(shape).outC + FRESH_CHANNELS - 1) / FRESH_CHANNELS;
}

/**
 * Scratch bytes per thread for {@link winograd4FreshChunk} (and {@link winograd4InputsChunk}):
 * one block's transformed weights, the products, the edge tile, the transform buffers and patch rows.
 */
export function winograd4FreshScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return <i32>bytes(XI * (FRESH_CHANNELS * INPUT_BLOCK + SKEW) + XI * (FRESH_CHANNELS * allTiles(s) + SKEW) + MR * NR + TRANSFORM_FLOATS + SPLIT_FLOATS + PATCH_ROWS * patchRowFloats(s));
}

/**
 * Output channels [o0, o1) = [16·chunk, +16) of the forward, from the transformed inputs at `v`
 * ({@link winograd4InputsChunk}) and the weights `w` as they are (`[C_out][C_in][3][3]`, or with
 * `turned` 1 the kernel `[C_in][C_out][3][3]` whose turned form they are: the input gradient of
 * that conv, without a turned copy): per
 * block of input channels, `U_ξ = (G·W·Gᵀ)_ξ` of the chunk's channels into the scratch (as
 * packWinograd4WeightsChunk computes them), then `M_ξ (+)= U_ξ·V_ξ`; finally `y = Aᵀ·M·A + bias`
 * per tile, then the ReLU (NaN kept) when `relu` is 1. `bias` 0 for none.
 */
export function winograd4FreshChunk(chunk: i32, thread: i32, shape: usize, v: usize, w: usize, turned: i32, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const c = s.inC;
  const o0 = chunk * FRESH_CHANNELS;
  const o1 = min(s.outC, o0 + FRESH_CHANNELS);
  const m = o1 - o0;
  const tiles = allTiles(s);
  const u = scratch + <usize>thread * scratchStride;
  const prod = u + bytes(XI * (FRESH_CHANNELS * INPUT_BLOCK + SKEW));
  const mStep = bytes(m * tiles + SKEW);
  const edge = prod + <usize>XI * mStep;
  const tmp = edge + bytes(MR * NR);
  for (let p0 = 0; p0 < c; p0 += INPUT_BLOCK) {
    const kc = min(INPUT_BLOCK, c - p0);
    const uStep = bytes(roundUp(m, MR) * kc + SKEW);
    for (let q = 0; q < m; q += MR) transformWeightPanel(w, turned != 0, o0 + q, s.outC, c, p0, p0 + kc, u + bytes(q * kc), uStep);
    const vb = v + bytes((p0 / INPUT_BLOCK) * inputBlockFloats(s));
    const vStep = bytes(kc * roundUp(tiles, NR) + SKEW);
    const init = p0 == 0 ? INIT_ZERO : INIT_C;
    for (let xi = 0; xi < XI; xi++) {
      multiplyBlock(m, kc, u + <usize>xi * uStep, bytes(kc * MR), vb + <usize>xi * vStep, tiles, prod + <usize>xi * mStep, tiles, init, 0, edge);
    }
  }
  const rows = s.batch * tileRows(s);
  outputTransform(s, prod, mStep, tiles, 0, rows, o0, o1, bias, y, tmp);
  if (relu != 0) reluTileRows(s, 0, rows, o0, o1, y);
}
