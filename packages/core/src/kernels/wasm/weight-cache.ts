import type { WasmRuntime } from './runtime.js';

/**
 * Most bytes of WebAssembly memory the weight cache holds: 1 GiB. VGG-16 at batch 1 keeps about
 * 600 MB here (its 3×3 convs' Winograd-transformed weights, ~105 MB, and its Linear weights as they
 * are, 494 MB of which fc6's 25088×4096 are 411 MB); ResNet-18 about 50 MB. Past the limit the
 * least recently used entries are dropped.
 */
export const WEIGHT_CACHE_BYTES = 2 ** 30;

/** What has a version of its values: a tensor ({@link Tensor.version}). */
export interface Versioned {
  readonly version: number;
}

/** The form of an entry holding the values as they are (see {@link WeightCache.mirror}). */
export const VALUES_FORM = 'values';

interface Entry {
  /** The entries of the same array (holding them keeps the array collectable). */
  readonly forms: Map<string, Entry>;
  readonly form: string;
  version: number;
  readonly at: number;
  readonly bytes: number;
}

/**
 * Weights kept in WebAssembly memory across kernel calls, in the form a kernel reads them (packed
 * panels, Winograd-transformed, or as they are), so that a layer called again with unchanged
 * weights neither copies nor packs them. An entry is found by the weights' array and its `form`
 * (e.g. `'winograd'`), and is valid for one `version` of the values (a tensor's
 * {@link Tensor.version}, renewed whenever they may have changed): a call with another version
 * refills it. Entries live in the runtime's persistent blocks ({@link WasmRuntime.keep}); at most
 * `limit` bytes are kept (least recently used dropped first), and an entry whose array has been
 * garbage-collected is released.
 */
export class WeightCache {
  /** Entries by array and form; insertion order of `recent` is least recently used first. */
  private readonly byArray = new WeakMap<Float32Array, Map<string, Entry>>();
  private readonly recent = new Set<Entry>();
  private readonly collected: FinalizationRegistry<Map<string, Entry>> | null;
  /** The tensors whose values {@link mirror} kept, by their array (the tensor's version tells whether the copy is current). */
  private readonly owners = new WeakMap<Float32Array, Versioned>();
  private held = 0;

  constructor(
    private readonly runtime: WasmRuntime,
    readonly limit = WEIGHT_CACHE_BYTES,
  ) {
    const registry = (globalThis as { FinalizationRegistry?: typeof FinalizationRegistry }).FinalizationRegistry;
    this.collected = registry === undefined ? null : new registry((forms) => forms.forEach((e) => this.drop(e)));
  }

  /** Bytes the entries hold now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * The address of `values` (at `version`) in `form`, kept from an earlier call, or else of a new
   * block of `bytes` that `fill(at)` writes (it may use the arena, which is reset afterwards).
   * Call it right after `runtime.reset()`. Returns -1 when the entry cannot be kept (larger than
   * the limit, or memory exhausted even after dropping every entry): the caller then works in the
   * arena as without the cache.
   */
  lookup(values: Float32Array, version: number, form: string, bytes: number, fill: (at: number) => void): number {
    let forms = this.byArray.get(values);
    const found = forms?.get(form);
    if (found !== undefined && found.version === version) {
      this.recent.delete(found);
      this.recent.add(found);
      return found.at;
    }
    if (found !== undefined) this.drop(found);
    if (bytes > this.limit) return -1;
    for (const e of this.recent) {
      if (this.held + bytes <= this.limit) break;
      this.drop(e);
    }
    let at = this.runtime.keep(bytes);
    if (at < 0) {
      for (const e of this.recent) this.drop(e);
      at = this.runtime.keep(bytes);
      if (at < 0) return -1;
    }
    try {
      fill(at);
    } catch (error) {
      this.runtime.reset();
      this.runtime.release(at);
      throw error;
    }
    this.runtime.reset();
    if (forms === undefined) {
      forms = new Map();
      this.byArray.set(values, forms);
      this.collected?.register(values, forms);
    }
    const entry: Entry = { forms, form, version, at, bytes };
    forms.set(form, entry);
    this.recent.add(entry);
    this.held += bytes;
    return at;
  }

  /**
   * Marks the {@link VALUES_FORM} entry of `values` (from {@link lookup}) as a copy of what they
   * hold now, at `owner`'s current version: what an optimizer does after writing the parameter
   * `owner`'s new values out of the copy it updated in place. Kernels then find the copy with
   * {@link mirrored} instead of copying the values in, until the values change.
   */
  mirror(values: Float32Array, owner: Versioned): void {
    const entry = this.byArray.get(values)?.get(VALUES_FORM);
    if (entry === undefined) return;
    entry.version = owner.version;
    this.owners.set(values, owner);
  }

  /**
   * The address of the copy of `values` kept by {@link mirror}, when their owner's version is still
   * the one it was kept for (the values unchanged since), or of the values themselves when they
   * live in WebAssembly memory (WasmRuntime.keepArray, e.g. a resident parameter's); -1 otherwise.
   * Allocates nothing, so it may be called with the arena in use.
   */
  mirrored(values: Float32Array): number {
    const own = this.runtime.addressOf(values);
    if (own >= 0) return own;
    const entry = this.byArray.get(values)?.get(VALUES_FORM);
    const owner = this.owners.get(values);
    if (entry === undefined || owner === undefined || owner.version !== entry.version) return -1;
    this.recent.delete(entry);
    this.recent.add(entry);
    return entry.at;
  }

  /** Releases every entry. */
  clear(): void {
    for (const e of this.recent) this.drop(e);
  }

  private drop(e: Entry): void {
    if (!this.recent.delete(e)) return;
    if (e.forms.get(e.form) === e) e.forms.delete(e.form);
    this.runtime.release(e.at);
    this.held -= e.bytes;
  }
}
