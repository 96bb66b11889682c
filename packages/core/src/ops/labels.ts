import { fail } from '../errors.js';

/** Integer class labels, one per sample. */
export type Labels = Int32Array | readonly number[];

/**
 * Checks there is one label per sample and each is an integer in `[0, classes)`; returns a copy,
 * so that later changes to the caller's array cannot alter a recorded backward pass.
 */
export function checkLabels(labels: Labels, batch: number, classes: number, where: string): Int32Array {
  if (labels.length !== batch) fail(where, `expected ${batch} labels (one per sample), got ${labels.length}`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      fail(where, `label ${i} is ${y}, expected an integer in [0, ${classes - 1}]`);
    }
  }
  return Int32Array.from(labels);
}

/** How a loss combines per-sample values: their mean (default) or their sum. */
export type Reduction = 'mean' | 'sum';

/** Checks `reduction` at run time (callers from plain JavaScript or notebooks may pass anything). */
export function checkReduction(reduction: Reduction, where: string): void {
  if (reduction !== 'mean' && reduction !== 'sum') fail(where, `reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
}
