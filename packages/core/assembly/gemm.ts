// General matrix product for fully connected layers: C = A'·B' (+ C), A' already packed whole,
// B' packed block by block by each thread from its chunk of columns.

import { packColsA, packColsB, packRowsA, packRowsB } from './pack';
import { INIT_C, INIT_ZERO, MR, NR, multiplyBlock } from './tile';

/** Reduction steps per packed block: a B panel (KC×8 floats) stays in L1. */
export const KC: i32 = 256;
/** Columns per chunk (a multiple of NR). */
const NC: i32 = 256;
/** Rows per chunk (a multiple of MR). */
const MC: i32 = 64;

/** The reduction block for k steps: at most KC, and all blocks about equally long. */
export function blockSize(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return (k + blocks - 1) / blocks;
}

/** Chunks {@link gemmChunk} splits an m×n product into. */
export function gemmChunks(m: i32, n: i32): i32 {
  return ((m + MC - 1) / MC) * ((n + NC - 1) / NC);
}

/** Scratch bytes one thread needs for {@link gemmChunk}: a packed B block and the edge tile. */
export function gemmScratchBytes(): i32 {
  return (KC * NC + MR * NR) << 2;
}

/** Scratch bytes one thread needs for {@link gemmPackedChunk}: the edge tile. */
export function gemmPackedScratchBytes(): i32 {
  return (MR * NR) << 2;
}

/** Chunks {@link packAChunk} splits A′'s m rows into: blocks of MC. */
export function packAChunks(m: i32): i32 {
  return (m + MC - 1) / MC;
}

/**
 * Packs rows `[MC·chunk, +MC)` of A' (m×k, `A′[i][p]` at `src[i·ld + p]`; `trans`: at
 * `src[p·ld + i]`) into their panels of 4 rows of `[ceil(m/4)][k][4]` at dst: all the chunks
 * together pack all of A′, a weight matrix of a few MB on every thread at once.
 */
export function packAChunk(chunk: i32, thread: i32, src: usize, ld: i32, trans: bool, m: i32, k: i32, dst: usize): void {
  const i0 = chunk * MC;
  const rows = min(MC, m - i0);
  const to = dst + (<usize>(i0 * k) << 2);
  if (trans) packColsA(src + (<usize>i0 << 2), ld, rows, 0, k, to);
  else packRowsA(src + (<usize>(i0 * ld) << 2), ld, rows, 0, k, to);
}

/**
 * Chunks {@link packBChunk} splits B′ (k×n) into: blocks of NC columns times reduction blocks of
 * {@link blockSize}, so that a B′ of few columns and a long reduction (2304 taps × 128 positions
 * at ResNet-18's 256→512 3×3 stride 2) is still packed by every thread.
 */
export function packBChunks(n: i32, k: i32): i32 {
  const kb = blockSize(k);
  return ((n + NC - 1) / NC) * ((k + kb - 1) / kb);
}

/** Floats of all of B′ (k×n) packed by {@link packBChunk}: n rounded up to a multiple of NR, times k. */
export function packedBFloats(n: i32, k: i32): i32 {
  return ((n + NR - 1) & ~(NR - 1)) * k;
}

/**
 * Packs columns `[NC·⌊chunk/kBlocks⌋, +NC)` × reduction block `chunk mod kBlocks` (of
 * {@link blockSize}) of B′ (k×n, read as in {@link gemmChunk}) for {@link gemmPackedChunk}:
 * reduction block p0 at `dst + p0·n8` floats (n8 = n rounded up to NR), within it the column
 * panels `[kc][8]` consecutive, so that column c0's panel is at `p0·n8 + c0·kc`. Packing once
 * serves every row block of C (gemmChunk packs its columns again for each).
 */
export function packBChunk(chunk: i32, thread: i32, n: i32, k: i32, b: usize, ldb: i32, transB: bool, dst: usize): void {
  const kb = blockSize(k);
  const kBlocks = (k + kb - 1) / kb;
  const c0 = (chunk / kBlocks) * NC;
  const p0 = (chunk % kBlocks) * kb;
  const nc = min(NC, n - c0);
  const kc = min(kb, k - p0);
  const n8 = (n + NR - 1) & ~(NR - 1);
  const at = dst + (<usize>(p0 * n8 + c0 * kc) << 2);
  if (transB) packColsB(b, ldb, p0, kc, c0, nc, at);
  else packRowsB(b, ldb, p0, kc, c0, nc, at);
}

/**
 * One chunk of `C = A'·B' (+ C if accumulate)` for C m×n row-major (`ldc` floats per row), A'
 * packed by {@link packAChunk}, B' k×n read from `b` (`transB`: stored n×k) with `ldb` floats per row.
 * Chunk `q` is rows `[MC·⌊q/cb⌋, +MC)` × columns `[NC·(q mod cb), +NC)` with `cb = ⌈n/NC⌉`.
 * `thread` picks the scratch at `scratch + thread·scratchStride`.
 */
export function gemmChunk(chunk: i32, thread: i32, m: i32, n: i32, k: i32, a: usize, b: usize, ldb: i32, transB: bool, c: usize, ldc: i32, accumulate: bool, scratch: usize, scratchStride: usize): void {
  const bpack = scratch + <usize>thread * scratchStride;
  multiplyChunk(chunk, m, n, k, a, b, ldb, transB, false, c, ldc, accumulate, bpack, bpack + (<usize>(KC * NC) << 2));
}

/**
 * {@link gemmChunk} with all of B′ packed beforehand by {@link packBChunk} at `b`; the scratch
 * holds only the edge tile (MR·NR floats per thread).
 */
export function gemmPackedChunk(chunk: i32, thread: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool, scratch: usize, scratchStride: usize): void {
  multiplyChunk(chunk, m, n, k, a, b, 0, false, true, c, ldc, accumulate, 0, scratch + <usize>thread * scratchStride);
}

// The chunk of gemmChunk and gemmPackedChunk: B′'s block packed into bpack here, or (`packed`) read from b.
@inline function multiplyChunk(chunk: i32, m: i32, n: i32, k: i32, a: usize, b: usize, ldb: i32, transB: bool, packed: bool, c: usize, ldc: i32, accumulate: bool, bpack: usize, edge: usize): void {
  const colBlocks = (n + NC - 1) / NC;
  const i0 = (chunk / colBlocks) * MC;
  const c0 = (chunk % colBlocks) * NC;
  const mc = min(MC, m - i0);
  const nc = min(NC, n - c0);
  const n8 = (n + NR - 1) & ~(NR - 1);
  const aRows = a + (<usize>(i0 * k) << 2);
  const cBlock = c + (<usize>(i0 * ldc + c0) << 2);
  const kb = blockSize(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    let bp = bpack;
    if (packed) bp = b + (<usize>(p0 * n8 + c0 * kc) << 2);
    else if (transB) packColsB(b, ldb, p0, kc, c0, nc, bpack);
    else packRowsB(b, ldb, p0, kc, c0, nc, bpack);
    const init = p0 > 0 || accumulate ? INIT_C : INIT_ZERO;
    multiplyBlock(mc, kc, aRows + (<usize>(p0 * MR) << 2), <usize>(k * MR) << 2, bp, nc, cBlock, ldc, init, 0, edge);
  }
}
