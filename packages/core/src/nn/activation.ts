import { gelu, type GeluApproximation } from '../ops/gelu.js';
import { leakyRelu } from '../ops/leaky-relu.js';
import { relu } from '../ops/relu.js';
import { sigmoid } from '../ops/sigmoid.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { tanh } from '../ops/tanh.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

/** `max(x, 0)` element-wise. Any shape, no parameters. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** `1 / (1 + e^−x)` element-wise. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Hyperbolic tangent element-wise. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** `x` where positive, `negativeSlope·x` elsewhere (default slope 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pythonFloat(this.negativeSlope)}`;
  }
}

/** Gaussian error linear unit `x·Φ(x)` element-wise; `approximate: 'tanh'` for its tanh form (see {@link gelu}). */
export class GELU extends Module {
  constructor(readonly approximate: GeluApproximation = 'none') {
    super();
  }

  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Softmax along `dim` (default 1, the class axis of `[N, C]`). */
export class Softmax extends Module {
  constructor(readonly dim = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (default 1). */
export class LogSoftmax extends Module {
  constructor(readonly dim = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
