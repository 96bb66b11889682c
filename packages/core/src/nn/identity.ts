import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Returns its input unchanged (PyTorch's `nn.Identity`); `fullyConvolutional` puts it where a Flatten was. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
