import { fail, formatShape } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { toPair, type IntPair } from '../shape/pair.js';
import { shapeSize } from '../tensor.js';

function size(shape: number | readonly number[], arg: string): number {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    fail('fcParams', `${arg} must be a positive integer or a shape of them, got ${typeof shape === 'number' ? shape : formatShape(shape)}`);
  }
  return shapeSize(dims);
}

/**
 * Parameters of a fully connected layer between two activations of any shape: every input unit
 * connects to every output unit, `c1·h1·w1 · c2·h2·w2` weights, plus one bias per output unit.
 * @example fcParams([3, 256, 256], 1000) // 196,609,000 (3·256·256·1000 + 1000)
 * @example fcParams([50, 4, 4], 500)     // 400,500: Caffe LeNet's ip1
 */
export function fcParams(inputShape: number | readonly number[], outputShape: number | readonly number[], options: { readonly bias?: boolean } = {}): number {
  checkOptions('fcParams', options, { bias: opt.boolean });
  const out = size(outputShape, 'outputShape');
  return size(inputShape, 'inputShape') * out + (options.bias === false ? 0 : out);
}

/**
 * Parameters of a conv layer, whatever the image size: `outChannels·(inChannels/groups)·kH·kW`
 * weights plus `outChannels` biases.
 * @example convParams(3, 10, 3) // 280
 */
export function convParams(inChannels: number, outChannels: number, kernelSize: IntPair, options: { readonly bias?: boolean; readonly groups?: number } = {}): number {
  const where = 'convParams';
  checkOptions(where, options, { bias: opt.boolean, groups: opt.number });
  const groups = options.groups ?? 1;
  for (const [arg, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) {
    if (!Number.isInteger(v) || v < 1) fail(where, `${arg} must be a positive integer, got ${v}`);
  }
  if (inChannels % groups !== 0 || outChannels % groups !== 0) fail(where, `groups ${groups} must divide inChannels ${inChannels} and outChannels ${outChannels}`);
  const [kh, kw] = toPair(kernelSize, 'kernelSize', where, 1);
  return outChannels * (inChannels / groups) * kh * kw + (options.bias === false ? 0 : outChannels);
}
