import { nodeModule } from '../../platform.js';
import { relaxedSimdKernels, simdKernels } from './binary.js';
import type { KernelExports } from './interface.js';

export { chunkKernels, type ChunkKernel, type KernelExports } from './interface.js';

// The part of the WebAssembly JavaScript API used here (core compiles without the DOM library).
/** A compiled module (opaque; workers receive it to make their own instances). */
export interface WasmModule {
  readonly compiledModule: unique symbol;
}
/** A WebAssembly.Memory created shared. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: { env: { memory: WasmMemory } }) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65536;
/** Largest memory the module declares (4 GiB); an op that needs more runs on the TypeScript path. */
const MAX_PAGES = 65536;
/** Arena allocations start here, so that address 0 can mean "none". */
const BASE = 64;

function decodeBase64(text: string): Uint8Array {
  const buffer = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (buffer !== undefined) return buffer.from(text, 'base64');
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernels: the relaxed-SIMD build (fused multiply-add) where the host validates it,
 * else the plain SIMD build, else null (no WebAssembly SIMD or no shared memory here).
 */
function compileKernels(api: WasmApi): WasmModule | null {
  const relaxedBytes = decodeBase64(relaxedSimdKernels);
  if (!api.validate(relaxedBytes)) enableRelaxedSimd();
  if (api.validate(relaxedBytes)) return new api.Module(relaxedBytes);
  const bytes = decodeBase64(simdKernels);
  return api.validate(bytes) ? new api.Module(bytes) : null;
}

/**
 * Node 20's V8 (11.3) implements relaxed SIMD but keeps it behind a flag, which V8 reads when it
 * validates a module; Node 22 and browsers ship it on. Fused multiply-add makes the matrix tile
 * about a fifth faster, so the flag is switched on here (it changes nothing else).
 */
function enableRelaxedSimd(): void {
  const v8 = nodeModule('node:v8');
  if (v8 === null) return;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Left off: the plain SIMD build is used.
  }
}

/** 64-byte multiple of `bytes`. */
const aligned = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/**
 * One instance of the kernels on a shared `WebAssembly.Memory`, with two kinds of allocation in it:
 * - the per-call bump arena: a kernel call resets it, copies its inputs in, runs, and copies its
 *   outputs out; the memory grows to the largest call and is then reused, batch after batch;
 * - persistent blocks ({@link keep}/{@link release}), which survive {@link reset} until released:
 *   what the backend keeps across calls (layers' packed weights, see weight-cache.ts).
 *
 * Layout: `[BASE, arenaBase)` holds the persistent blocks (and the holes released ones leave,
 * reused first fit), the arena starts at `arenaBase`. A new block that fits no hole takes the
 * arena's start, so blocks are only made while the arena is empty (right after `reset()`).
 */
export class WasmRuntime {
  readonly exports: KernelExports;
  /** Start of the arena = end of the persistent region. */
  private arenaBase = BASE;
  private top = BASE;
  /** Persistent blocks in use: address → bytes. */
  private readonly blocks = new Map<number, number>();
  /** Holes of released blocks below arenaBase, by address, never adjacent to each other. */
  private holes: { at: number; bytes: number }[] = [];
  private f32: Float32Array;
  /** Arrays from {@link keepArray}: view → address of its persistent block. */
  private readonly kept = new WeakMap<Float32Array, number>();
  /** Releases a kept array's block once the array has been garbage-collected. */
  private readonly keptCollected: FinalizationRegistry<number> | null;

  private constructor(
    api: WasmApi,
    readonly module: WasmModule,
    readonly memory: WasmMemory,
  ) {
    const instance = new api.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.f32 = new Float32Array(memory.buffer);
    const registry = (globalThis as { FinalizationRegistry?: typeof FinalizationRegistry }).FinalizationRegistry;
    this.keptCollected = registry === undefined ? null : new registry((at) => this.release(at));
  }

  /** Compiles and instantiates the kernels, or returns null where WebAssembly SIMD or shared memory is missing. */
  static create(): WasmRuntime | null {
    if (wasmApi === undefined || typeof SharedArrayBuffer === 'undefined') return null;
    const module = compileKernels(wasmApi);
    if (module === null) return null;
    const memory = new wasmApi.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    return new WasmRuntime(wasmApi, module, memory);
  }

  /** Frees every arena allocation (persistent blocks and the memory itself are kept). */
  reset(): void {
    this.top = this.arenaBase;
  }

  /** Grows the memory to hold `end` bytes; false when it cannot. */
  private reach(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false;
    }
    return true;
  }

  /**
   * Reserves `bytes` (64-byte aligned) in the arena and returns the address, growing the memory
   * when needed; returns -1 when the memory cannot grow that far.
   */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + aligned(bytes);
    if (!this.reach(end)) return -1;
    this.top = end;
    return at;
  }

  /**
   * Reserves a persistent block of `bytes` (64-byte aligned) that keeps its contents across
   * {@link reset} until {@link release}: the first hole that fits, else the arena's start (the
   * arena moves up). Returns -1 when the memory cannot grow that far. Throws while the arena holds
   * allocations: call it between calls or right after `reset()`.
   */
  keep(bytes: number): number {
    if (this.top !== this.arenaBase) throw new Error('WasmRuntime.keep: the arena is in use; keep blocks right after reset()');
    const size = aligned(bytes);
    const hole = this.holes.findIndex((h) => h.bytes >= size);
    let at: number;
    if (hole >= 0) {
      const h = this.holes[hole]!;
      at = h.at;
      if (h.bytes === size) this.holes.splice(hole, 1);
      else this.holes[hole] = { at: at + size, bytes: h.bytes - size };
    } else {
      at = this.arenaBase;
      if (!this.reach(at + size)) return -1;
      this.arenaBase = this.top = at + size;
    }
    this.blocks.set(at, size);
    return at;
  }

  /**
   * Frees the persistent block at `at` (from {@link keep}): its bytes become a hole, merged with
   * neighbouring holes; a hole that ends at the arena's start gives its bytes back to the arena
   * when the arena is empty.
   */
  release(at: number): void {
    const size = this.blocks.get(at);
    if (size === undefined) throw new Error(`WasmRuntime.release: no persistent block at ${at}`);
    this.blocks.delete(at);
    let hole = { at, bytes: size };
    const rest: { at: number; bytes: number }[] = [];
    for (const h of this.holes) {
      if (h.at + h.bytes === hole.at) hole = { at: h.at, bytes: h.bytes + hole.bytes };
      else if (hole.at + hole.bytes === h.at) hole = { at: hole.at, bytes: hole.bytes + h.bytes };
      else rest.push(h);
    }
    if (hole.at + hole.bytes === this.arenaBase && this.top === this.arenaBase) {
      this.arenaBase = this.top = hole.at;
    } else {
      rest.push(hole);
      rest.sort((a, b) => a.at - b.at);
    }
    this.holes = rest;
  }

  /**
   * A copy of `values` in a persistent block, as a Float32Array viewing this memory (a view of a
   * shared memory stays valid when the memory grows): state that kernels update in place across
   * calls without copying it in and out, such as an optimizer's momentum buffers. Given a length
   * instead, the block is left as it is (for a kernel to write). The block is released once the
   * array is garbage-collected. Resets the arena (call it between kernel calls). Null when the
   * memory cannot grow that far.
   */
  keepArray(values: Float32Array | number): Float32Array | null {
    this.reset();
    const length = typeof values === 'number' ? values : values.length;
    const at = this.keep(length * 4);
    if (at < 0) return null;
    const array = new Float32Array(this.memory.buffer, at, length);
    if (typeof values !== 'number') array.set(values);
    this.kept.set(array, at);
    this.keptCollected?.register(array, at);
    return array;
  }

  /** The address of an array from {@link keepArray}, or -1 for any other array. */
  addressOf(array: Float32Array): number {
    return this.kept.get(array) ?? -1;
  }

  /** Bytes held by persistent blocks (holes not counted). */
  get keptBytes(): number {
    let sum = 0;
    for (const size of this.blocks.values()) sum += size;
    return sum;
  }

  /** Float32 view of the whole memory (renewed after growth). */
  private view(): Float32Array {
    if (this.f32.length * 4 !== this.memory.buffer.byteLength) {
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return this.f32;
  }

  /** Copies `length` values of `src` from `offset` to address `at`. */
  write(at: number, src: Float32Array, offset = 0, length = src.length - offset): void {
    this.view().set(src.subarray(offset, offset + length), at >> 2);
  }

  /** Writes `values` as consecutive int32 at `at`. */
  writeInts(at: number, values: readonly number[] | Int32Array): void {
    new Int32Array(this.memory.buffer, at, values.length).set(values);
  }

  /**
   * Allocates and writes a record of int32 `fields` (an AssemblyScript class's fields, in memory
   * order: see interface.ts) taking each value from `values` by name; returns its address, or -1
   * when memory is exhausted.
   */
  writeRecord<F extends string>(fields: readonly F[], values: { readonly [K in F]: number }): number {
    const at = this.alloc(fields.length * 4);
    if (at >= 0) this.writeInts(at, fields.map((f) => values[f]));
    return at;
  }

  /** Writes `values` as consecutive float64 at `at` (8-byte aligned). */
  writeDoubles(at: number, values: Float64Array): void {
    new Float64Array(this.memory.buffer, at, values.length).set(values);
  }

  /** Copies `dst.length` float64 at address `at` into `dst`. */
  readDoubles(at: number, dst: Float64Array): void {
    dst.set(new Float64Array(this.memory.buffer, at, dst.length));
  }

  /** Copies `dst.length` int32 at address `at` into `dst`. */
  readInts(at: number, dst: Int32Array): void {
    dst.set(new Int32Array(this.memory.buffer, at, dst.length));
  }

  /** Copies `length` floats at address `at` into `dst` from `offset`. */
  read(at: number, dst: Float32Array, offset = 0, length = dst.length - offset): void {
    dst.set(this.view().subarray(at >> 2, (at >> 2) + length), offset);
  }
}
