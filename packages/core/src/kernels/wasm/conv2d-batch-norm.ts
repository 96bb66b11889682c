import type { Pool2dGeometry } from '../../shape/pool-geometry.js';
import type { WasmKernels } from '../backend.js';
import type { BatchNormForwardArgs } from '../batch-norm2d.js';
import type {
  BatchNormSaved, Conv2dBackwardCall, Conv2dBatchNormGradients, Conv2dCall, HeldNormalized, MaxPoolCall, NormalizedRecipe, PooledOutput,
} from '../conv2d-batch-norm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { batchNormBackwardSums, batchNormInMemory } from './batch-norm2d.js';
import { READ_SLACK, conv2dAfterInMemory, conv2dBackwardFromMemory, conv2dIntoMemory, declined, touchPages } from './conv2d.js';
import { conv2dForwardPath } from './conv2d-path.js';
import { POOL_SHAPE_FIELDS } from './interface.js';
import { maxPool2dInMemory } from './max-pool2d.js';

/**
 * The fused conv → batch norm (→ ReLU) (→ max pool) on the WebAssembly kernels: the conv's output
 * stays in WebAssembly memory, is normalized (and rectified) in place and pooled there, and only
 * the result (pooled, with its arg-maxes, when pooling) and `x̂` (unless the backward computes it
 * again) come out, each read once into the array that keeps it, the result's pages touched while
 * the workers compute the conv. NOT_HANDLED when it does not fit in memory.
 */
export function conv2dBatchNormForwardWasm(
  kernels: WasmKernels, conv: Conv2dCall, norm: BatchNormForwardArgs, pool: MaxPoolCall | null, recipe: NormalizedRecipe | null = null,
): void | NotHandled {
  const { runtime } = kernels;
  // Held in training (in eval a recorded graph is often dropped unused); without pooling the ReLU's
  // output too: it masks the backward's gradient.
  const held = recipe === null || !norm.training ? null : holdNormalized(kernels, norm.n * norm.c * norm.hw, recipe, pool === null && norm.relu);
  const done = (): void | NotHandled => {
    const result = pool?.out ?? norm.y;
    const touch = result === null ? undefined : () => touchPages(result);
    const yp = conv2dIntoMemory(kernels, conv.x, conv.weight, conv.bias, conv.geometry, false, null, conv2dForwardPath(conv.geometry), touch);
    if (yp === NOT_HANDLED) return NOT_HANDLED;
    const out = held !== null && held.outputAt !== 0 ? held.outputAt : yp;
    // x̂ into the held block, or (when none could be held) read out into an array below.
    const hp = batchNormInMemory(kernels, yp, out, norm, held?.at ?? (recipe !== null || norm.xHat !== null));
    if (hp === NOT_HANDLED) return NOT_HANDLED;
    if (pool !== null) {
      const pooled = maxPool2dInMemory(kernels, yp, pool.geometry, pool.argmax !== null);
      if (pooled === NOT_HANDLED) return NOT_HANDLED;
      runtime.read(pooled.yp, pool.out);
      if (pool.argmax !== null) runtime.readInts(pooled.ap, pool.argmax);
    }
    if (norm.y !== null) runtime.read(out, norm.y);
    if (norm.xHat !== null) runtime.read(hp, norm.xHat);
    if (recipe !== null && held === null) runtime.read(hp, (recipe.values = new Float32Array(norm.n * norm.c * norm.hw)));
  };
  const result = done();
  if (result === NOT_HANDLED) held?.release();
  else if (recipe !== null) recipe.held = held;
  return result;
}

/**
 * Most bytes of `x̂` (and ReLU outputs) held in WebAssembly memory from forwards for their
 * backwards (see {@link holdNormalized}): the CIFAR VGG step holds 80 MB (its first layer 33.6),
 * ResNet-18's at batch 8 and 112² about 45. Holding x̂ instead of copying it out into a fresh
 * array (whose pages the system maps on first write: CIFAR's 16.8 MB took 19 ms against 3.6 into
 * a used array, 1 thread, loaded machine) and back in: CIFAR's first layer x[128,3,32,32]
 * w[32,3,3,3] fused with batch norm and ReLU (1-thread CPU time, A/B in one process against the
 * arrays, medians of 15, load ~10) forward 0.81–0.87× the time, backward 0.65–0.75×.
 */
const HELD_MAX_BYTES = 128 * 2 ** 20;

/** Bytes of `x̂` held now, per runtime. */
const heldBytes = new WeakMap<WasmKernels['runtime'], number>();

/** Bytes of WebAssembly memory that fused blocks' forwards hold now for their backwards (see {@link holdNormalized}). */
export function heldNormalizedBytes({ runtime }: WasmKernels): number {
  return heldBytes.get(runtime) ?? 0;
}

/** Releases the blocks of forwards whose graph was dropped before its backward ran. */
const heldCollected = typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<HeldNormalized>((held) => held.release());

/**
 * A persistent block of WebAssembly memory for `floats` floats of a fused block's `x̂` (and as many
 * of its rectified output after them when `output`), so that its forward writes x̂ there and its
 * backward reads it in place: neither copied out into a fresh array (whose pages the system maps
 * on first write: ~1 ms per MB) nor back in (nor the output, which the backward's ReLU mask
 * reads). Released by the first backward, or when `recipe` is garbage-collected before one ran.
 * Null (x̂ is then read out into an array) past {@link HELD_MAX_BYTES} or when memory is
 * exhausted. Resets the arena.
 */
function holdNormalized(kernels: WasmKernels, floats: number, recipe: NormalizedRecipe, output: boolean): HeldNormalized | null {
  const { runtime } = kernels;
  const bytes = floats * 4 * (output ? 2 : 1);
  const total = heldBytes.get(runtime) ?? 0;
  if (total + bytes > HELD_MAX_BYTES) return null;
  runtime.reset();
  const at = runtime.keep(bytes);
  if (at < 0) return null;
  heldBytes.set(runtime, total + bytes);
  const held = {
    at,
    outputAt: output ? at + floats * 4 : 0,
    released: false,
    release: () => {
      if (held.released) return;
      held.released = true;
      heldCollected?.unregister(held);
      heldBytes.set(runtime, (heldBytes.get(runtime) ?? bytes) - bytes);
      runtime.release(at);
    },
  };
  heldCollected?.register(recipe, held, held);
  return held;
}

/**
 * Writes at `dyp` the gradient of a fused block's pooling input from the pooled gradient `g`:
 * masked where the pooled value is ≤ 0 (when `pool.out` is given: the ReLU before the pooling),
 * then scattered to the arg-maxes. Allocates after what the arena holds; false when out of memory.
 */
function scatterPooledGradient(kernels: WasmKernels, g: Float32Array, pool: PooledOutput, dyp: number): boolean {
  const { runtime, pool: threads } = kernels;
  const e = runtime.exports;
  const p: Pool2dGeometry = pool.geometry;
  const shape = runtime.writeRecord(POOL_SHAPE_FIELDS, p);
  const gp = runtime.alloc(g.length * 4);
  const op = pool.out === null ? 0 : runtime.alloc(g.length * 4);
  const ap = runtime.alloc(g.length * 4);
  if (Math.min(shape, gp, op, ap) < 0) return false;
  runtime.write(gp, g);
  runtime.writeInts(ap, pool.argmax);
  if (pool.out !== null) {
    runtime.write(op, pool.out);
    threads.run('reluBackwardChunk', e.reluChunks(g.length), [op, gp, gp, g.length], g.length);
  }
  threads.run('maxPool2dBackwardChunk', e.maxPool2dChunks(shape), [shape, gp, ap, dyp], p.batch * p.channels * p.inH * p.inW);
  return true;
}

/**
 * The whole backward of a fused conv → batch norm (→ ReLU) (→ max pool) on the WebAssembly
 * kernels (see conv2dBatchNormBackward): batch norm's backward writes the conv's output gradient
 * in WebAssembly memory and the conv's backward reads it there, so that it is neither read out
 * nor copied back in; `x̂` and the ReLU's output are copied in, read where the forward held them
 * (then released), or computed again there from the conv's input (see NormalizedRecipe).
 * NOT_HANDLED when it does not fit in memory.
 */
export function conv2dBatchNormBackwardWasm(
  kernels: WasmKernels, g: Float32Array, norm: BatchNormSaved, conv: Conv2dBackwardCall,
): Conv2dBatchNormGradients | NotHandled {
  const { runtime } = kernels;
  const { batch, outChannels, outH, outW } = conv.geometry;
  const size = batch * outChannels * outH * outW;
  const recipe = norm.xHat;
  // A second backward of the same graph finds the block released: it computes x̂ again.
  if (recipe.held?.released === true) recipe.held = null;
  const held = recipe.held;
  const relu = norm.pool === null && norm.reluOut !== null;
  // x̂ and the ReLU's output read where the forward held them, copied in, or computed again.
  const copyXHat = held === null && recipe.values !== null;
  const copyRelu = relu && (held === null ? copyXHat : held.outputAt === 0);
  // Taken first: a new block of it resets the arena.
  const resident = conv.need.weight ? kernels.gradients.take(conv.weight.length) : null;
  runtime.reset();
  const dyp = runtime.alloc(size * 4 + READ_SLACK);
  const hp = copyXHat ? runtime.alloc(size * 4) : 0;
  const rp = copyRelu ? runtime.alloc(size * 4) : 0;
  if (Math.min(dyp, hp, rp) < 0) return declined(resident);
  if (norm.pool !== null) {
    if (!scatterPooledGradient(kernels, g, norm.pool, dyp)) return declined(resident);
  } else runtime.write(dyp, g);
  if (copyRelu) runtime.write(rp, norm.reluOut!);
  if (copyXHat) runtime.write(hp, recipe.values!);
  const again = held !== null || copyXHat ? null : normalizedAgainInMemory(kernels, conv, norm.gamma, recipe);
  if (again === NOT_HANDLED) return declined(resident);
  const xHatAt = again?.hp ?? held?.at ?? hp;
  const reluAt = !relu ? 0 : copyRelu ? rp : again?.yp ?? held!.outputAt;
  const sums = batchNormBackwardSums(kernels, dyp, xHatAt, reluAt, batch, outChannels, outH * outW, norm.invStd, norm.gamma, norm.training);
  if (sums === NOT_HANDLED) return declined(resident);
  held?.release();
  const grads = conv2dBackwardFromMemory(kernels, { at: dyp, length: size }, conv.x, conv.weight, conv.geometry, conv.need, resident);
  if (grads === NOT_HANDLED) return NOT_HANDLED;
  return { conv: grads, ...sums };
}

/**
 * `x̂` and `γ·x̂ + β` (rectified as the forward did) computed again in WebAssembly memory by the
 * forward's kernels from the conv's input, after what the arena holds: their addresses, or
 * NOT_HANDLED when out of memory.
 */
function normalizedAgainInMemory(
  kernels: WasmKernels, conv: Conv2dBackwardCall, gamma: Float32Array | null, r: NormalizedRecipe,
): { readonly hp: number; readonly yp: number } | NotHandled {
  const g = conv.geometry;
  const yp = conv2dAfterInMemory(kernels, conv.x, conv.weight, r.bias, g);
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  const { mean, variance, eps, beta, relu } = r;
  const args = { n: g.batch, c: g.outChannels, hw: g.outH * g.outW, training: false, eps, mean, variance, invStd: new Float64Array(g.outChannels), gamma, beta, relu };
  const hp = batchNormInMemory(kernels, yp, yp, { ...args, xHat: null, y: null }, true);
  return hp === NOT_HANDLED ? NOT_HANDLED : { hp, yp };
}
