import { fail } from '../errors.js';

/** Integer class labels, one per sample. */
export type Labels = Int32Array | readonly number[];

/** Checks labels are integers in [0, classes) and that there is one per sample. */
export function checkLabels(labels: Labels, batch: number, classes: number, where: string): void {
  if (labels.length !== batch) fail(where, `expected ${batch} labels (one per sample), got ${labels.length}`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      fail(where, `label ${i} is ${y}, expected an integer in [0, ${classes - 1}]`);
    }
  }
}

/** How a loss combines per-sample values: their mean (default) or their sum. */
export type Reduction = 'mean' | 'sum';
