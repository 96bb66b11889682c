import { residentParameterValues } from '../kernels/wasm/resident-parameters.js';
import { allocate, Tensor, type Shape } from '../tensor.js';

let metaDepth = 0;

/**
 * Builds models whose parameters and buffers are meta tensors (shapes, no values): what
 * `summary()` and the CLI use so that VGG-16's 138M parameters are never allocated.
 */
export function withoutWeights<T>(build: () => T): T {
  metaDepth++;
  try {
    return build();
  } finally {
    metaDepth--;
  }
}

/** True inside {@link withoutWeights}. */
export function buildingWithoutWeights(): boolean {
  return metaDepth > 0;
}

/** A trainable tensor owned by a module: `requiresGrad` is on, and `parameters()` finds it. */
export class Parameter extends Tensor {
  constructor(values: Float32Array | null, shape: Shape) {
    super(values, shape, true);
  }

  /**
   * A parameter of `shape` whose values `init` fills in place (skipped, leaving a meta parameter,
   * inside {@link withoutWeights}). On the WebAssembly backend a large one keeps its values in
   * WebAssembly memory (residentParameterValues), where optimizer steps and convolutions use them.
   */
  static create(shape: Shape, init: (values: Float32Array) => void): Parameter {
    if (buildingWithoutWeights()) return new Parameter(null, shape);
    const values = allocate(shape, 'Parameter', residentParameterValues);
    init(values);
    return new Parameter(values, shape);
  }
}

/** A non-trainable state tensor of a module (e.g. batch norm's running mean), or a meta one. */
export function createBuffer(shape: Shape, fill: number): Tensor {
  return buildingWithoutWeights() ? Tensor.meta(shape) : Tensor.full(shape, fill);
}
