/**
 * Storage that backward passes reuse for the gradients ops hand to each other, so that a training
 * step, after the first, allocates no new gradient arrays (the role of PyTorch's caching allocator
 * for these tensors). Only the autograd engine gives buffers back: a gradient an op's backward
 * returned is the engine's once returned, and dead once the op that receives it has run (or once
 * it was added into another gradient). A buffer that becomes a leaf's `.grad` comes back when that
 * gradient is replaced (`zeroGrad`), unless code outside convlab has read `.grad` (Tensor.grad):
 * then it is left to the garbage collector.
 *
 * A backend may keep gradients in memory of its own (the WebAssembly kernels write the weight
 * gradients of convolutions where the optimizer's kernel reads them): it marks such arrays with
 * {@link adoptResidentGradient}, and they come back to a pool of their own
 * ({@link residentGradientBuffer}), never to the backward passes' buffers.
 *
 * Contract for ops: allocate the gradients a backward *returns*, and its own scratch, with
 * {@link gradientBuffer}; never keep one after returning it, nor keep the `gradOutput` it was given.
 * Arrays from anywhere else (a saved forward value, a view) are never recycled.
 */

/** Most bytes kept for reuse; buffers given back beyond it are left to the garbage collector. */
export const MAX_POOLED_GRADIENT_BYTES = 64 * 2 ** 20;

const free = new Map<number, Float32Array[]>();
const issued = new WeakSet<Float32Array>();
let pooledBytes = 0;
let created = 0;

/** A zeroed array of `length` floats: a recycled gradient buffer when one of that length is free. */
export function gradientBuffer(length: number): Float32Array {
  return recycled(length)?.fill(0) ?? newGradientBuffer(length);
}

/**
 * {@link gradientBuffer} without zeroing a recycled buffer (it holds old values): for callers that
 * write every element, such as a kernel's result read out of WebAssembly memory.
 */
export function overwrittenGradientBuffer(length: number): Float32Array {
  return recycled(length) ?? newGradientBuffer(length);
}

/** A free buffer of `length` floats taken out of the pool (holding old values), if there is one. */
function recycled(length: number): Float32Array | undefined {
  const reused = free.get(length)?.pop();
  if (reused !== undefined) pooledBytes -= reused.byteLength;
  return reused;
}

function newGradientBuffer(length: number): Float32Array {
  const buffer = new Float32Array(length);
  issued.add(buffer);
  created++;
  return buffer;
}

/** Most bytes of backend-resident gradients kept for reuse. */
export const MAX_POOLED_RESIDENT_BYTES = 512 * 2 ** 20;

const residentFree = new Map<number, Float32Array[]>();
const residentIssued = new WeakSet<Float32Array>();
let residentPooledBytes = 0;

/**
 * Marks `buffer` (an array viewing a backend's own memory, holding a gradient it just wrote) as one
 * that {@link recycleGradient} puts in the resident pool, which {@link residentGradientBuffer} takes from.
 */
export function adoptResidentGradient(buffer: Float32Array): void {
  residentIssued.add(buffer);
}

/** A free backend-resident buffer of `length` floats (holding old values), if one came back. */
export function residentGradientBuffer(length: number): Float32Array | undefined {
  const reused = residentFree.get(length)?.pop();
  if (reused !== undefined) residentPooledBytes -= reused.byteLength;
  return reused;
}

/**
 * Gives back a buffer from {@link gradientBuffer} (or one marked by {@link adoptResidentGradient})
 * that nothing references any more (the caller vouches for that). Anything else is ignored, as is
 * a buffer the pool has no room for.
 */
export function recycleGradient(buffer: Float32Array): void {
  if (residentIssued.has(buffer)) {
    recycleResident(buffer);
    return;
  }
  if (!issued.has(buffer) || pooledBytes + buffer.byteLength > MAX_POOLED_GRADIENT_BYTES) return;
  const list = free.get(buffer.length);
  if (list === undefined) free.set(buffer.length, [buffer]);
  else if (!list.includes(buffer)) list.push(buffer);
  else return;
  pooledBytes += buffer.byteLength;
}

function recycleResident(buffer: Float32Array): void {
  if (residentPooledBytes + buffer.byteLength > MAX_POOLED_RESIDENT_BYTES) return;
  const list = residentFree.get(buffer.length);
  if (list === undefined) residentFree.set(buffer.length, [buffer]);
  else if (!list.includes(buffer)) list.push(buffer);
  else return;
  residentPooledBytes += buffer.byteLength;
}

/**
 * How many gradient buffers have been allocated (not reused) since the process started, and the
 * bytes the pool holds now: what tests use to check that steady training allocates none.
 */
export function gradientBufferStats(): { readonly created: number; readonly pooledBytes: number } {
  return { created, pooledBytes };
}
