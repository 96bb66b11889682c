import { adoptResidentGradient, residentGradientBuffer } from '../../gradient-buffers.js';
import type { WasmRuntime } from './runtime.js';

/**
 * Most bytes of resident gradients alive at once (handed out and not yet garbage-collected):
 * 256 MiB. Past it {@link ResidentGradients.take} declines and kernels read their gradients out
 * into plain arrays as before. ResNet-18's convolutions hold 45 MB of weight gradients per step,
 * VGG-16's 59 MB; the limit matters only when code outside convlab reads `.grad` at every step of
 * a synchronous loop, so that gradients are neither recycled nor collected before the next step.
 */
export const RESIDENT_GRADIENT_BYTES = 256 * 2 ** 20;

/**
 * Gradients that stay in WebAssembly memory: arrays viewing persistent blocks of the runtime
 * ({@link WasmRuntime.keepArray}) into which the weight-gradient kernels write their results, so
 * that they are not read out into a new array, and that an optimizer's kernel finds them there
 * (WasmRuntime.addressOf) instead of copying them in again. They are ordinary Float32Arrays to
 * every reader: `.grad` of a parameter holds one as its values. The autograd engine gives them
 * back (gradient-buffers.ts: recycleGradient) when the gradient is replaced and nobody outside
 * convlab has read it; the runtime releases the block of one that is garbage-collected.
 */
export class ResidentGradients {
  private alive = 0;
  private readonly collected: FinalizationRegistry<number> | null;

  constructor(
    private readonly runtime: WasmRuntime,
    /** Most bytes alive at once; 0 turns resident gradients off (kernels read theirs out). */
    public limit = RESIDENT_GRADIENT_BYTES,
  ) {
    const registry = (globalThis as { FinalizationRegistry?: typeof FinalizationRegistry }).FinalizationRegistry;
    this.collected = registry === undefined ? null : new registry((bytes) => (this.alive -= bytes));
  }

  /** Bytes of resident gradients handed out and not yet collected. */
  get bytes(): number {
    return this.alive;
  }

  /**
   * An array of `length` floats in WebAssembly memory for a gradient (holding old values: the
   * caller writes every one), one given back when there is one, else a new block; null past
   * {@link limit} (always at 0) or when the memory is exhausted. A new block resets the arena: call it before
   * a kernel call allocates.
   */
  take(length: number): Float32Array | null {
    if (this.limit <= 0) return null;
    const reused = residentGradientBuffer(length);
    if (reused !== undefined) return reused;
    const bytes = length * 4;
    if (this.alive + bytes > this.limit) return null;
    const array = this.runtime.keepArray(length);
    if (array === null) return null;
    adoptResidentGradient(array);
    this.alive += bytes;
    this.collected?.register(array, bytes);
    return array;
  }
}
