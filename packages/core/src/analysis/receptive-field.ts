import { fail } from '../errors.js';
import type { Pair } from '../shape/pair.js';
import type { Shape } from '../tensor.js';

/**
 * Receptive field of a spatial map's units in input pixels, per axis `[h, w]`, in the conventions
 * of Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks" (Distill,
 * 2019): unit `(i, j)` sees input rows `i·stride[0] − padding[0]` to
 * `i·stride[0] − padding[0] + size[0] − 1` (columns likewise). `stride` is the jump between
 * neighboring units; `padding` the effective padding (how far unit 0's field starts before the
 * input); negative rows lie in the padding.
 */
export interface ReceptiveField {
  readonly size: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
}

/** The input's own pixels: each sees itself. */
export const INPUT_FIELD: ReceptiveField = { size: [1, 1], stride: [1, 1], padding: [0, 0] };

/**
 * How a layer changes its units' fields:
 * - `pointwise`: unchanged (activations, batch norm, dropout, softmax over channels);
 * - `window`: a sliding window (conv, pooling) with its effective kernel `d·(k−1)+1`, stride and
 *   padding before the first row/column;
 * - `dense`: every output combines every input unit (a fully connected layer, global pooling);
 * - `reshape`: units keep their fields but lose their spatial layout (flatten);
 * - `irregular`: windows of unequal size or spacing (adaptive pooling when the sizes do not
 *   divide); `wholeMap` when every window spans the whole input map.
 */
export type FieldStep =
  | { readonly kind: 'pointwise' }
  | { readonly kind: 'window'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair }
  | { readonly kind: 'dense' }
  | { readonly kind: 'reshape' }
  | { readonly kind: 'irregular'; readonly wholeMap: boolean };

/** What is known about the units of one activation. */
export interface FieldState {
  /** The field shared (up to position) by every unit of a spatial map, or null (vectors, irregular maps). */
  readonly field: ReceptiveField | null;
  /** Every unit sees the whole input. */
  readonly global: boolean;
  /** The units together see every input pixel. */
  readonly covers: boolean;
}

const both = (f: (axis: 0 | 1) => number): Pair => [f(0), f(1)];

/**
 * The field after a window step, per axis: `r' = r + (k − 1)·S`, `P' = P + p·S`, `S' = S·s`,
 * where `r, S, P` are the field before the step and `k` is the effective kernel.
 */
export function composeField(field: ReceptiveField, kernel: Pair, stride: Pair, padding: Pair): ReceptiveField {
  return {
    size: both((a) => field.size[a] + (kernel[a] - 1) * field.stride[a]),
    stride: both((a) => field.stride[a] * stride[a]),
    padding: both((a) => field.padding[a] + padding[a] * field.stride[a]),
  };
}

/** Twice the input position of unit 0's center, `(r − 1) − 2P` (integral for even sizes too). */
const centreTwice = (f: ReceptiveField, a: 0 | 1): number => f.size[a] - 1 - 2 * f.padding[a];

const describe = (f: ReceptiveField): string =>
  `size ${f.size.join('×')}, stride ${f.stride.join('×')}, padding ${f.padding.join('×')}`;

/**
 * The field of merged paths (added, or stacked as channels) that start from the same input. The
 * paths must be aligned: the same stride and the same unit centres, so that each unit's fields along
 * the paths are nested; the merge's field is then the largest of them per axis. Throws (prefixed
 * with `where`) when they are not.
 */
export function mergeFields(fields: readonly ReceptiveField[], where: string): ReceptiveField {
  const first = fields[0]!;
  for (const [i, f] of fields.entries()) {
    for (const a of [0, 1] as const) {
      if (f.stride[a] !== first.stride[a] || centreTwice(f, a) !== centreTwice(first, a)) {
        fail(
          where,
          `paths are not aligned (their units' fields have different strides or centres), so the receptive field is undefined: ` +
            `path 1 has ${describe(first)}, path ${i + 1} has ${describe(f)}`,
        );
      }
    }
  }
  const widest = (a: 0 | 1): ReceptiveField => fields.reduce((w, f) => (f.size[a] > w.size[a] ? f : w));
  return {
    size: both((a) => widest(a).size[a]),
    stride: first.stride,
    padding: both((a) => widest(a).padding[a]),
  };
}

/**
 * Whether the `units` units of a map with `field` together see every pixel of an input `size` long,
 * per axis: no gaps between neighboring fields (`r ≥ S`), the first starts at or before pixel 0
 * and the last ends at or after pixel `size − 1`.
 */
export function fieldCovers(field: ReceptiveField, units: Pair, size: Pair): boolean {
  return [0, 1].every((a) => {
    const [r, s, p] = [field.size[a]!, field.stride[a]!, field.padding[a]!];
    return r >= s && p >= 0 && (units[a]! - 1) * s - p + r - 1 >= size[a]! - 1;
  });
}

/** Whether every one of the `units` units of a map with `field` sees the whole input of `size`. */
export function fieldIsGlobal(field: ReceptiveField, units: Pair, size: Pair): boolean {
  return [0, 1].every((a) => {
    const [r, s, p] = [field.size[a]!, field.stride[a]!, field.padding[a]!];
    return -p + r - 1 >= size[a]! - 1 && (units[a]! - 1) * s - p <= 0;
  });
}

/** The state of the network's input: pixels of a `[C, H, W]` image, or elements of a vector. */
export function inputFieldState(inputShape: Shape): FieldState {
  return inputShape.length === 3 ? { field: INPUT_FIELD, global: false, covers: true } : { field: null, global: false, covers: true };
}

const spatial = (shape: Shape): Pair | null => (shape.length === 3 ? [shape[1]!, shape[2]!] : null);

/**
 * The state after a layer that takes `input` (its state `before`) to `output` by `step`;
 * `image` is the network input's `[H, W]`.
 */
export function applyFieldStep(before: FieldState, step: FieldStep, input: Shape, output: Shape, image: Pair): FieldState {
  switch (step.kind) {
    case 'pointwise':
      return before;
    case 'dense':
      return { field: null, global: before.covers, covers: before.covers };
    case 'reshape':
      return { field: null, global: before.global, covers: before.covers };
    case 'irregular':
      return { field: null, global: before.global || (step.wholeMap && before.covers), covers: before.covers };
    case 'window': {
      const units = spatial(output)!;
      if (before.field === null) {
        const tiles = fieldCovers({ size: step.kernel, stride: step.stride, padding: step.padding }, units, spatial(input)!);
        return { field: null, global: before.global, covers: before.covers && tiles };
      }
      const field = composeField(before.field, step.kernel, step.stride, step.padding);
      return { field, global: fieldIsGlobal(field, units, image), covers: fieldCovers(field, units, image) };
    }
  }
}

/**
 * The state after merging paths into `output`: the merged field when every path has one (see
 * {@link mergeFields}); otherwise a unit sees the whole input when it does along some path.
 */
export function mergeFieldStates(states: readonly FieldState[], output: Shape, image: Pair, where: string): FieldState {
  const fields = states.map((s) => s.field);
  if (fields.every((f): f is ReceptiveField => f !== null)) {
    const field = mergeFields(fields, where);
    const units = spatial(output)!;
    return { field, global: fieldIsGlobal(field, units, image), covers: fieldCovers(field, units, image) };
  }
  return { field: null, global: states.some((s) => s.global), covers: states.some((s) => s.covers) };
}
