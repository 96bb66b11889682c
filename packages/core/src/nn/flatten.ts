import { flatten } from '../ops/flatten.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Flattens dims `startDim..endDim`: by default `[N, C, H, W] → [N, C·H·W]`. */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
