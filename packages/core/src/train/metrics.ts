import { fail, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** A quantity measured on each batch: `compute` returns its mean over the batch's samples. */
export interface Metric {
  readonly name: string;
  compute(output: Tensor, labels: Int32Array): number;
}

/** Fraction of samples whose highest-scoring class (arg-max of the output row) is the label. */
export const accuracy: Metric = {
  name: 'accuracy',
  compute(output, labels) {
    if (output.rank !== 2 || output.shape[0] !== labels.length) {
      fail('accuracy', `expected scores [N, classes] for ${labels.length} labels, got shape ${formatShape(output.shape)}`);
    }
    const [n, c] = output.shape as [number, number];
    const v = output.data;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j;
      if (best === labels[i]) correct++;
    }
    return correct / n;
  },
};
