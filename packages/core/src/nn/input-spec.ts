import { fail } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Module } from './module.js';

/** The input a model was designed for: one sample's `[C, H, W]`, and the model's name for messages. */
export interface InputSpec {
  /** How people call the model: `LeNet-5`. */
  readonly modelName: string;
  /** One sample, `[C, H, W]`. */
  readonly shape: readonly [number, number, number];
}

/** The {@link InputSpec} of `model` when it declares one (zoo models with a fixed input size do), else null. */
export function inputSpecOf(model: Module): InputSpec | null {
  const spec = (model as Module & { readonly inputSpec?: InputSpec }).inputSpec;
  return spec === undefined ? null : spec;
}

/** Fashion-MNIST's (and MNIST's) image size, named in hints. */
const FASHION_MNIST_SHAPE = [1, 28, 28] as const;

const format = (shape: readonly number[]): string => shape.join('×');

/**
 * How to make a sample of shape `got` fit `spec`: `pad(2) makes Fashion-MNIST fit`, `center-crop
 * with fitTo(model)`, or the `inChannels` to build the model with.
 */
function hint(spec: InputSpec, got: readonly number[]): string {
  const [c, h, w] = spec.shape;
  if (got[0] !== c) return `build the model with { inChannels: ${got[0]} } for ${got[0]}-channel images`;
  const dh = h - got[1]!;
  const dw = w - got[2]!;
  if (dh === dw && dh > 0 && dh % 2 === 0) {
    const images = got.every((d, i) => d === FASHION_MNIST_SHAPE[i]) ? 'Fashion-MNIST' : `${format(got.slice(1))} images`;
    return `pad(${dh / 2}) makes ${images} fit`;
  }
  return 'fitTo(model) pads or centre-crops images to fit';
}

/**
 * Checks that a batch `[N, C, H, W]` has the sample shape `spec` expects, with a message that says
 * how to fix it, e.g. `LeNet-5 expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit`.
 */
export function checkInput(spec: InputSpec, input: Tensor): void {
  const sample = input.shape.slice(1);
  if (input.shape.length === 4 && sample.every((d, i) => d === spec.shape[i])) return;
  if (input.shape.length !== 4) fail(spec.modelName, `expects a batch [N, ${spec.shape.join(', ')}] (N×${format(spec.shape)}); got a tensor of shape [${input.shape.join(',')}]`);
  fail(spec.modelName, `expects ${format(spec.shape)}; got ${format(sample)} — ${hint(spec, sample)}`);
}
