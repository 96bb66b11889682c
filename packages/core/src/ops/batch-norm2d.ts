import type { Tensor } from '../tensor.js';

/** Batch norm arguments (PyTorch's). */
export interface BatchNorm2dOptions {
  readonly training: boolean;
  /** Running-average factor. Default 0.1. */
  readonly momentum?: number;
  /** Default 1e-5. */
  readonly eps?: number;
}

/** TODO(helper) updates runningMean/runningVar in place when training. */
export function batchNorm2d(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, options: BatchNorm2dOptions, where = 'batchNorm2d'): Tensor {
  void x; void runningMean; void runningVar; void weight; void bias; void options;
  throw new Error(`${where}: not implemented yet`);
}
