// conv2d forward and backward as blocked matrix products over the column matrix, split into
// chunks that threads take independently. For image n and group g (Cg input and Mg output
// channels, K = Cg·kH·kW taps, P output positions):
//   forward           y_ng  = W_g · cols_ng (+ bias)            [Mg×K]·[K×P]
//   input gradient    dx_ng = col2im(W_gᵀ · dy_ng)              [K×Mg]·[Mg×P]
//   weight gradient   dW_g += dy_ng · cols_ngᵀ, db_g += Σ dy_ng  [Mg×P]·[P×K]
// The column matrix is never built whole: each block is produced where it is consumed. With
// stride 1 along W the forward reads it in place from the (padded) image instead, and the host
// runs the input gradient of a stride-1 conv as such a forward (src/kernels/wasm/conv2d.ts).

import { bytes, ConvShape, groupIn, groupOut, positions, taps } from './conv-shape';
import { KC, blockSize } from './gemm';
import { col2imBlock, im2colBlock } from './im2col';
import { packColsA, packColsB, packRowsA, packRowsB } from './pack';
import { reluInPlace } from './relu';
import { INIT_BIAS, INIT_C, INIT_ZERO, MR, NR, madd, multiplyBlock, tile } from './tile';

/** Output positions per chunk of the im2col forward, and most per input-gradient block (multiples of NR). */
const CONV_NC: i32 = 128;
/** Taps per block of the weight gradient (a multiple of NR). */
const TAPS_NC: i32 = 128;
/** Floats the input-gradient block of one chunk may use: K taps × a column block of positions. */
const INPUT_BLOCK: i32 = 32768;

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Chunks a forward is split into at least (when it has enough output channels): one image's few rows still spread over the threads. */
const MIN_CHUNKS: i32 = 16;
/** Fewest output channels per chunk when a forward splits its output channels. */
const MIN_SPLIT_CHANNELS: i32 = 16;

/**
 * Output channels per block when a forward with `chunks` chunks per channel block splits a group's
 * channels to reach MIN_CHUNKS (a multiple of MR; the whole group when it has enough chunks).
 * Chunking depends on the shape only, never on the thread count.
 */
function channelBlock(s: ConvShape, chunks: i32): i32 {
  const mg = groupOut(s);
  if (chunks >= MIN_CHUNKS) return mg;
  const blocks = max(1, min((MIN_CHUNKS + chunks - 1) / chunks, mg / MIN_SPLIT_CHANNELS));
  return roundUp((mg + blocks - 1) / blocks, MR);
}

/** Blocks of {@link channelBlock} channels. */
@inline function channelBlocks(s: ConvShape, chunks: i32): i32 {
  const size = channelBlock(s, chunks);
  return (groupOut(s) + size - 1) / size;
}

/** Positions per column block of the input gradient: as many as keep K×block within INPUT_BLOCK. */
function inputColumns(s: ConvShape): i32 {
  return max(NR, min(CONV_NC, (INPUT_BLOCK / roundUp(taps(s), MR)) & ~(NR - 1)));
}

/** Packs W (`[C_out][K]`, per group) into row panels: `[G][⌈Mg/4⌉·4][K]` floats at dst. */
export function packConvWeights(shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const mg = groupOut(s);
  const k = taps(s);
  for (let g = 0; g < s.groups; g++) {
    packRowsA(w + bytes(g * mg * k), k, mg, 0, k, dst + bytes(g * roundUp(mg, MR) * k));
  }
}

/** Packs Wᵀ per group into row panels (rows = taps): `[G][⌈K/4⌉·4][Mg]` floats at dst. */
export function packConvWeightsTransposed(shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const mg = groupOut(s);
  const k = taps(s);
  for (let g = 0; g < s.groups; g++) {
    packColsA(w + bytes(g * mg * k), k, k, 0, mg, dst + bytes(g * roundUp(k, MR) * mg));
  }
}

/** Forward chunks: one per image, group, block of CONV_NC positions and block of output channels. */
export function conv2dForwardChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const chunks = s.batch * s.groups * ((positions(s) + CONV_NC - 1) / CONV_NC);
  return chunks * channelBlocks(s, chunks);
}

/** Scratch bytes per thread for {@link conv2dForwardChunk}. */
export function conv2dForwardScratch(shape: usize): i32 {
  return <i32>bytes(KC * CONV_NC + MR * NR);
}

/**
 * Whether the forward splits output channels into blocks (an image with few positions): then every
 * block would build the same columns, so {@link im2colColumnsChunk} packs them once beforehand.
 */
export function conv2dForwardPacksColumns(shape: usize): bool {
  const s = changetype<ConvShape>(shape);
  return channelBlocks(s, s.batch * s.groups * ((positions(s) + CONV_NC - 1) / CONV_NC)) > 1;
}

/** Chunks of {@link im2colColumnsChunk}: one per image, group and block of CONV_NC positions. */
export function im2colColumnsChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return s.batch * s.groups * ((positions(s) + CONV_NC - 1) / CONV_NC);
}

/** Floats of the packed columns {@link im2colColumnsChunk} writes: K × CONV_NC per chunk. */
export function conv2dColumnsFloats(shape: usize): i32 {
  return im2colColumnsChunks(shape) * taps(changetype<ConvShape>(shape)) * CONV_NC;
}

/**
 * The column matrix of image n, group g, positions [CONV_NC·b, +CONV_NC) (chunk = (n·G + g)·blocks + b)
 * packed for the tile exactly as {@link conv2dForwardChunk} packs it block by block: reduction
 * block p0 at `cols + (chunk·K + p0)·CONV_NC` floats.
 */
export function im2colColumnsChunk(chunk: i32, thread: i32, shape: usize, x: usize, cols: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const blocks = (p + CONV_NC - 1) / CONV_NC;
  const c0 = (chunk % blocks) * CONV_NC;
  const g = (chunk / blocks) % s.groups;
  const n = chunk / blocks / s.groups;
  const image = x + bytes((n * s.inC + g * groupIn(s)) * s.inH * s.inW);
  const kb = blockSize(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    im2colBlock(s, image, p0, min(kb, k - p0), c0, min(CONV_NC, p - c0), cols + bytes((chunk * k + p0) * CONV_NC), 0, min(kb, k - p0));
  }
}

/**
 * One forward chunk: `y[n, g·Mg + o, p] = bias + Σ_t W[g·Mg + o, t] · cols[t, p]` for the chunk's
 * positions p, then the ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1 (the fused ReLU). `wpack` from
 * {@link packConvWeights}; `bias` 0 for none; `cols` the columns {@link im2colColumnsChunk} packed,
 * or 0 to build the chunk's own (the same values, so the same results).
 */
export function conv2dForwardChunk(chunk: i32, thread: i32, shape: usize, x: usize, cols: usize, wpack: usize, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const blocks = (p + CONV_NC - 1) / CONV_NC;
  const size = channelBlock(s, s.batch * s.groups * blocks);
  const cb = (mg + size - 1) / size;
  const o0 = (chunk % cb) * size;
  const mc = min(size, mg - o0);
  const rest = chunk / cb;
  const c0 = (rest % blocks) * CONV_NC;
  const g = (rest / blocks) % s.groups;
  const n = rest / blocks / s.groups;
  const nc = min(CONV_NC, p - c0);
  const bpack = scratch + <usize>thread * scratchStride;
  const edge = bpack + bytes(KC * CONV_NC);
  const image = x + bytes((n * s.inC + g * groupIn(s)) * s.inH * s.inW);
  const a = wpack + bytes((g * roundUp(mg, MR) + o0) * k);
  const out = y + bytes((n * s.outC + g * mg + o0) * p + c0);
  const first = bias == 0 ? INIT_ZERO : INIT_BIAS;
  const biasG = bias + bytes(g * mg + o0);
  const kb = blockSize(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    let b = bpack;
    if (cols == 0) im2colBlock(s, image, p0, kc, c0, nc, bpack, 0, kc);
    else b = cols + bytes((rest * k + p0) * CONV_NC);
    multiplyBlock(mc, kc, a + bytes(p0 * MR), bytes(k * MR), b, nc, out, p, p0 == 0 ? first : INIT_C, biasG, edge);
  }
  if (relu != 0) {
    for (let o = 0; o < mc; o++) reluInPlace(out + bytes(o * p), nc);
  }
}

// With stride 1 along W, eight consecutive output positions of one output row read eight
// consecutive inputs for every tap, so the tile can read B in place from the image (a table of
// per-tap offsets) and the column matrix is never written: the forward below. A padded conv first
// copies its input into a zero-bordered buffer holding exactly the rows and columns the taps reach.

/** Rows of the padded input the taps reach: `(H_out − 1)·sH + (kH − 1)·dH + 1`. */
export function paddedHeight(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return (s.outH - 1) * s.strideH + (s.kH - 1) * s.dilationH + 1;
}

/** Columns of the padded input the taps reach: `(W_out − 1)·sW + (kW − 1)·dW + 1`. */
export function paddedWidth(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return (s.outW - 1) * s.strideW + (s.kW - 1) * s.dilationW + 1;
}

/** Padding chunks: one per image. */
export function padImagesChunks(shape: usize): i32 {
  return changetype<ConvShape>(shape).batch;
}

/**
 * Copies image `chunk` of x into `xp` (`[N][C][hp][wp]`, e.g. paddedHeight × paddedWidth): input
 * (ih, iw) goes to (ih + padTop, iw + padLeft), everything else is 0. Rows are short (a few dozen
 * floats), so they are moved four floats at a time inline rather than by memory.copy/fill calls,
 * never writing past the chunk's own rows.
 */
export function padImagesChunk(chunk: i32, thread: i32, shape: usize, x: usize, xp: usize, hp: i32, wp: i32): void {
  const s = changetype<ConvShape>(shape);
  const h = s.inH;
  const w = s.inW;
  const left = s.padLeft;
  const n = max(0, min(w, wp - left));
  const right = wp - left - n;
  for (let c = 0; c < s.inC; c++) {
    const src = x + bytes((chunk * s.inC + c) * h * w);
    let dst = xp + bytes((chunk * s.inC + c) * hp * wp);
    for (let r = 0; r < hp; r++, dst += bytes(wp)) {
      const ih = r - s.padTop;
      if (ih < 0 || ih >= h) {
        zeros(dst, wp);
        continue;
      }
      zeros(dst, left);
      copyFloats(dst + bytes(left), src + bytes(ih * w), n);
      zeros(dst + bytes(left + n), right);
    }
  }
}

/** `n` zero floats at dst. */
@inline export function zeros(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + bytes(i), i32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + bytes(i), 0);
}

/** `n` floats from src to dst (not overlapping). */
@inline export function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + bytes(i), v128.load(src + bytes(i)));
  for (; i < n; i++) store<f32>(dst + bytes(i), load<f32>(src + bytes(i)));
}

/**
 * The byte offset of every tap t = (c, i, j) of a group's kernel within an image of `hs` rows of
 * `ws` floats, `((c·hs + i·dH)·ws + j·dW)·4`, as u32 at dst: where the in-place kernels read B.
 */
export function writeTapOffsets(s: ConvShape, hs: i32, ws: i32, dst: usize): void {
  for (let t = 0, c = 0, i = 0, j = 0; t < taps(s); t++) {
    store<u32>(dst + bytes(t), <u32>bytes((c * hs + i * s.dilationH) * ws + j * s.dilationW));
    if (++j == s.kW) {
      j = 0;
      if (++i == s.kH) {
        i = 0;
        c++;
      }
    }
  }
}

/** Output positions per chunk of {@link conv2dForwardDirectChunk}, about (whole rows). */
const DIRECT_POSITIONS: i32 = 512;

/** Output rows per chunk of {@link conv2dForwardDirectChunk}. */
@inline function directRows(s: ConvShape): i32 {
  return max(1, DIRECT_POSITIONS / s.outW);
}

/** Chunks of {@link conv2dForwardDirectChunk}: per image, group, block of output rows and block of output channels. */
export function conv2dForwardDirectChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const rows = directRows(s);
  const chunks = s.batch * s.groups * ((s.outH + rows - 1) / rows);
  return chunks * channelBlocks(s, chunks);
}

/** Scratch bytes per thread for {@link conv2dForwardDirectChunk}: the tap offsets and the edge tile. */
export function conv2dForwardDirectScratch(shape: usize): i32 {
  return <i32>bytes(taps(changetype<ConvShape>(shape)) + MR * NR);
}

/**
 * One forward chunk of a convolution with stride 1 along W, reading B in place from `src`
 * (`[N][C][hs][ws]`: the input itself when every tap lies inside it, else its padded copy; read up
 * to 8 floats past a row's end, so the buffer needs 32 bytes of slack).
 * `y[n, g·Mg + o, p] = bias + Σ_t W[g·Mg + o, t] · src[…]` for the chunk's output rows, then
 * the ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1.
 */
export function conv2dForwardDirectChunk(chunk: i32, thread: i32, shape: usize, src: usize, hs: i32, ws: i32, wpack: usize, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const ow = s.outW;
  const rows = directRows(s);
  const blocks = (s.outH + rows - 1) / rows;
  const size = channelBlock(s, s.batch * s.groups * blocks);
  const cb = (mg + size - 1) / size;
  const o0 = (chunk % cb) * size;
  const o1 = min(mg, o0 + size);
  const rest = chunk / cb;
  const oh0 = (rest % blocks) * rows;
  const oh1 = min(s.outH, oh0 + rows);
  const g = (rest / blocks) % s.groups;
  const n = rest / blocks / s.groups;
  const offsets = scratch + <usize>thread * scratchStride;
  const edge = offsets + bytes(k);
  writeTapOffsets(s, hs, ws, offsets);
  const image = src + bytes((n * s.inC + g * groupIn(s)) * hs * ws);
  const a = wpack + bytes(g * roundUp(mg, MR) * k);
  const out = y + bytes((n * s.outC + g * mg) * p);
  const first = bias == 0 ? INIT_ZERO : INIT_BIAS;
  const biasG = bias + bytes(g * mg);
  const kb = blockSize(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    const init = p0 == 0 ? first : INIT_C;
    for (let oh = oh0; oh < oh1; oh++) {
      for (let ow0 = 0; ow0 < ow; ow0 += NR) {
        const base = image + bytes(oh * s.strideH * ws + ow0);
        const cols = min(NR, ow - ow0);
        for (let i = o0; i < o1; i += MR) {
          const cp = out + bytes((i * p) + oh * ow + ow0);
          tile(kc, a + bytes(i * k + p0 * MR), base, offsets + bytes(p0), cp, p, min(MR, o1 - i), cols, init, biasG + bytes(i), edge);
        }
      }
    }
  }
  if (relu != 0) {
    for (let o = o0; o < o1; o++) reluInPlace(out + bytes(o * p + oh0 * ow), (oh1 - oh0) * ow);
  }
}

/** Input-gradient chunks: one per image and group (their dx slices are disjoint). */
export function conv2dBackwardInputChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return s.batch * s.groups;
}

/** Scratch bytes per thread for {@link conv2dBackwardInputChunk}. */
export function conv2dBackwardInputScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const nc = inputColumns(s);
  return <i32>bytes(KC * nc + roundUp(taps(s), MR) * nc + MR * NR);
}

/**
 * One input-gradient chunk (image n, group g): `dx_ng = col2im(W_gᵀ · dy_ng)`, block by block of
 * positions. `wtpack` from {@link packConvWeightsTransposed}. Overwrites the chunk's slice of dx.
 */
export function conv2dBackwardInputChunk(chunk: i32, thread: i32, shape: usize, dy: usize, wtpack: usize, dx: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const cg = groupIn(s);
  const g = chunk % s.groups;
  const n = chunk / s.groups;
  const ncMax = inputColumns(s);
  const bpack = scratch + <usize>thread * scratchStride;
  const block = bpack + bytes(KC * ncMax);
  const edge = block + bytes(roundUp(k, MR) * ncMax);
  const dyImage = dy + bytes((n * s.outC + g * mg) * p);
  const dxImage = dx + bytes((n * s.inC + g * cg) * s.inH * s.inW);
  const a = wtpack + bytes(g * roundUp(k, MR) * mg);
  memory.fill(dxImage, 0, bytes(cg * s.inH * s.inW));
  const kb = blockSize(mg);
  for (let c0 = 0; c0 < p; c0 += ncMax) {
    const nc = min(ncMax, p - c0);
    const ld = roundUp(nc, NR);
    for (let p0 = 0; p0 < mg; p0 += kb) {
      const kc = min(kb, mg - p0);
      packRowsB(dyImage, p, p0, kc, c0, nc, bpack);
      multiplyBlock(k, kc, a + bytes(p0 * MR), bytes(mg * MR), bpack, nc, block, ld, p0 == 0 ? INIT_ZERO : INIT_C, 0, edge);
    }
    col2imBlock(s, block, ld, k, c0, nc, dxImage);
  }
}

/** Floats of one image group's partial sums: dW `[C_out][K]` then db `[C_out]`. */
export function conv2dWeightPartialFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return s.outC * taps(s) + s.outC;
}

/** Scratch bytes per thread for {@link conv2dBackwardWeightChunk}. */
export function conv2dBackwardWeightScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return <i32>bytes(roundUp(groupOut(s), MR) * KC + 2 * TAPS_NC * KC + MR * NR);
}

/**
 * One weight-gradient chunk: image group q (images [q·perGroup, +perGroup)) and conv group g.
 * Overwrites group g's rows of partial q (`partials + q·conv2dWeightPartialFloats` floats) with
 * `Σ_n dy_ng · cols_ngᵀ` and `Σ_n Σ_p dy_ng`, images in order, so the sums do not depend on
 * which thread ran which chunk.
 */
export function conv2dBackwardWeightChunk(chunk: i32, thread: i32, shape: usize, dy: usize, x: usize, perGroup: i32, partials: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const g = chunk % s.groups;
  const q = chunk / s.groups;
  const apack = scratch + <usize>thread * scratchStride;
  const tmp = apack + bytes(roundUp(mg, MR) * KC);
  const bpack = tmp + bytes(TAPS_NC * KC);
  const edge = bpack + bytes(TAPS_NC * KC);
  const part = partials + bytes(q * conv2dWeightPartialFloats(shape));
  const rows = part + bytes(g * mg * k);
  const biasRows = part + bytes(s.outC * k + g * mg);
  memory.fill(rows, 0, bytes(mg * k));
  memory.fill(biasRows, 0, bytes(mg));
  const n1 = min(s.batch, (q + 1) * perGroup);
  const kb = blockSize(p);
  for (let n = q * perGroup; n < n1; n++) {
    const dyImage = dy + bytes((n * s.outC + g * mg) * p);
    const image = x + bytes((n * s.inC + g * groupIn(s)) * s.inH * s.inW);
    for (let o = 0; o < mg; o++) {
      const at = biasRows + bytes(o);
      store<f32>(at, load<f32>(at) + sum(dyImage + bytes(o * p), p));
    }
    for (let p0 = 0; p0 < p; p0 += kb) {
      const kc = min(kb, p - p0);
      packRowsA(dyImage, p, mg, p0, kc, apack);
      for (let c0 = 0; c0 < k; c0 += TAPS_NC) {
        const nc = min(TAPS_NC, k - c0);
        im2colBlock(s, image, c0, nc, p0, kc, tmp, kc, 0);
        packColsB(tmp, kc, 0, kc, 0, nc, bpack);
        multiplyBlock(mg, kc, apack, bytes(kc * MR), bpack, nc, rows + bytes(c0), k, INIT_C, 0, edge);
      }
    }
  }
}

/**
 * The weight gradient for stride 1 along W with few output channels or few taps (where packing the
 * column matrix would cost more than the product), reading dy and the input in place: chunk as in
 * {@link conv2dBackwardWeightChunk} (image group q, conv group g), with `src` as in
 * {@link conv2dForwardDirectChunk}. Two output channels × four taps at a time, sweeping four
 * consecutive output columns per step (eight f32x4 accumulators), image by image so that one
 * image's dy rows and input planes stay in L1 across all the channel pairs and taps (the
 * accumulators wait in scratch between images); each lane sums its positions over the group's
 * images in order, and the four lanes are added at the end:
 * `partial[o][t] = Σ_{n, oh, ow} dy[n, o, oh, ow] · src[n, c_t, oh·sH + i_t·dH, ow + j_t·dW]`.
 * Rows of dy and src are read up to 3 floats past their end (masked): both need 16 bytes of slack.
 */
export function conv2dWeightDirectChunk(chunk: i32, thread: i32, shape: usize, dy: usize, src: usize, hs: i32, ws: i32, perGroup: i32, partials: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const ow = s.outW;
  const g = chunk % s.groups;
  const q = chunk / s.groups;
  const offsets = scratch + <usize>thread * scratchStride;
  writeTapOffsets(s, hs, ws, offsets);
  const cells = offsets + bytes(roundUp(k, 4));
  memory.fill(cells, 0, <usize>(((mg + 1) >> 1) * ((k + 3) >> 2)) << 7);
  const part = partials + bytes(q * conv2dWeightPartialFloats(shape));
  const rows = part + bytes(g * mg * k);
  const biasRows = part + bytes(s.outC * k + g * mg);
  memory.fill(biasRows, 0, bytes(mg));
  const tail = ow & 3;
  const ow4 = ow - tail;
  const mask = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(tail));
  const n1 = min(s.batch, (q + 1) * perGroup);
  for (let n = q * perGroup; n < n1; n++) {
    const dyImage = dy + bytes((n * s.outC + g * mg) * p);
    const image = src + bytes((n * s.inC + g * groupIn(s)) * hs * ws);
    for (let o = 0; o < mg; o++) {
      const at = biasRows + bytes(o);
      store<f32>(at, load<f32>(at) + sum(dyImage + bytes(o * p), p));
    }
    let cell = cells;
    for (let o = 0; o < mg; o += 2) {
      const dy0 = dyImage + bytes(o * p);
      const dy1 = dyImage + bytes(min(o + 1, mg - 1) * p);
      for (let t = 0; t < k; t += 4, cell += 128) {
        // Taps past the last reuse tap t's offset; their sums are dropped.
        const f0 = <usize>load<u32>(offsets + bytes(t));
        const f1 = t + 1 < k ? <usize>load<u32>(offsets + bytes(t + 1)) : f0;
        const f2 = t + 2 < k ? <usize>load<u32>(offsets + bytes(t + 2)) : f0;
        const f3 = t + 3 < k ? <usize>load<u32>(offsets + bytes(t + 3)) : f0;
        let a00 = v128.load(cell), a01 = v128.load(cell, 16), a02 = v128.load(cell, 32), a03 = v128.load(cell, 48);
        let a10 = v128.load(cell, 64), a11 = v128.load(cell, 80), a12 = v128.load(cell, 96), a13 = v128.load(cell, 112);
        let d0 = dy0;
        let d1 = dy1;
        let base = image;
        for (let r = 0; r < s.outH; r++) {
          for (let c = 0; c < ow4; c += 4) {
            const y0 = v128.load(d0 + bytes(c));
            const y1 = v128.load(d1 + bytes(c));
            const at = base + bytes(c);
            let x = v128.load(at + f0);
            a00 = madd(a00, y0, x); a10 = madd(a10, y1, x);
            x = v128.load(at + f1);
            a01 = madd(a01, y0, x); a11 = madd(a11, y1, x);
            x = v128.load(at + f2);
            a02 = madd(a02, y0, x); a12 = madd(a12, y1, x);
            x = v128.load(at + f3);
            a03 = madd(a03, y0, x); a13 = madd(a13, y1, x);
          }
          if (tail > 0) {
            const y0 = v128.and(v128.load(d0 + bytes(ow4)), mask);
            const y1 = v128.and(v128.load(d1 + bytes(ow4)), mask);
            const at = base + bytes(ow4);
            let x = v128.and(v128.load(at + f0), mask);
            a00 = madd(a00, y0, x); a10 = madd(a10, y1, x);
            x = v128.and(v128.load(at + f1), mask);
            a01 = madd(a01, y0, x); a11 = madd(a11, y1, x);
            x = v128.and(v128.load(at + f2), mask);
            a02 = madd(a02, y0, x); a12 = madd(a12, y1, x);
            x = v128.and(v128.load(at + f3), mask);
            a03 = madd(a03, y0, x); a13 = madd(a13, y1, x);
          }
          d0 += bytes(ow);
          d1 += bytes(ow);
          base += bytes(s.strideH * ws);
        }
        v128.store(cell, a00); v128.store(cell, a01, 16); v128.store(cell, a02, 32); v128.store(cell, a03, 48);
        v128.store(cell, a10, 64); v128.store(cell, a11, 80); v128.store(cell, a12, 96); v128.store(cell, a13, 112);
      }
    }
  }
  let cell = cells;
  for (let o = 0; o < mg; o += 2) {
    for (let t = 0; t < k; t += 4, cell += 128) {
      for (let h = 0; h < 2 && o + h < mg; h++) {
        const row = rows + bytes((o + h) * k + t);
        const at = cell + (<usize>h << 6);
        for (let j = 0; j < min(4, k - t); j++) store<f32>(row + bytes(j), lanes(v128.load(at + bytes(4 * j))));
      }
    }
  }
}

/**
 * Scratch bytes per thread for {@link conv2dWeightDirectChunk}: the tap offsets, then the
 * accumulators (eight f32x4 per pair of output channels and quad of taps).
 */
export function conv2dWeightDirectScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return <i32>bytes(roundUp(taps(s), 4)) + ((((groupOut(s) + 1) >> 1) * ((taps(s) + 3) >> 2)) << 7);
}

/** The sum of the four lanes. */
@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** `Σ_{i<n} v[i]`, four lanes at a time. */
export function sum(v: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) acc = f32x4.add(acc, v128.load(v + bytes(i)));
  let total = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (let i = n4; i < n; i++) total += load<f32>(v + bytes(i));
  return total;
}

/** `dst[i] = Σ_q parts[q·length + i]` over q in order. */
export function sumPartials(parts: usize, count: i32, length: i32, dst: usize): void {
  const n4 = length & ~3;
  for (let i = 0; i < n4; i += 4) {
    let acc = v128.load(parts + bytes(i));
    for (let q = 1; q < count; q++) acc = f32x4.add(acc, v128.load(parts + bytes(q * length + i)));
    v128.store(dst + bytes(i), acc);
  }
  for (let i = n4; i < length; i++) {
    let acc = load<f32>(parts + bytes(i));
    for (let q = 1; q < count; q++) acc += load<f32>(parts + bytes(q * length + i));
    store<f32>(dst + bytes(i), acc);
  }
}
