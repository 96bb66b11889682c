import { onnx } from 'onnx-proto';
import { fail } from '../errors.js';
import type { PaddingMode } from '../nn/conv2d.js';
import type { Constant } from './onnx-layers.js';
import { readAttributes } from './onnx-tensors.js';

const PAD_MODES: Readonly<Record<string, PaddingMode>> = { constant: 'zeros', reflect: 'reflect', edge: 'replicate', wrap: 'circular' };

/**
 * Folds each Pad node into the Conv it feeds (how exportOnnx and torch.onnx.export write a
 * Conv2d with a padding mode: Pad reflect/edge, then Conv with pads 0): the Conv reads the Pad's
 * input, takes its spatial pads, and its padding mode is returned. A Pad of zeros feeding anything
 * else (PyTorch writes one before some average pools) is dropped. Returns the other nodes.
 */
export function foldPads(nodes: readonly onnx.NodeProto[], constants: ReadonlyMap<string, Constant>, opset: number): { nodes: onnx.NodeProto[]; modes: Map<onnx.NodeProto, PaddingMode> } {
  const modes = new Map<onnx.NodeProto, PaddingMode>();
  const rest = nodes.filter((pad) => {
    if (pad.opType !== 'Pad') return true;
    const where = `importOnnx: node '${pad.name}' (Pad)`;
    const a = readAttributes(pad);
    const mode = PAD_MODES[(a.get('mode') as string | undefined) ?? 'constant'];
    const p = opset < 11 ? (a.get('pads') as number[] | undefined) : [...(constants.get(pad.input[1] ?? '')?.values ?? [])];
    if (p === undefined || p.length !== 8 || p.some((v) => !Number.isInteger(v) || v < 0) || p[0] !== 0 || p[1] !== 0 || p[4] !== 0 || p[5] !== 0) {
      return fail(where, `expected constant non-negative pads of H and W only ([0, 0, top, left, 0, 0, bottom, right]), got ${JSON.stringify(p)}`);
    }
    const value = pad.input[2] ? (constants.get(pad.input[2])?.values[0] ?? NaN) : ((a.get('value') as number | undefined) ?? 0);
    if (mode === undefined || (mode === 'zeros' && value !== 0)) fail(where, `mode '${a.get('mode')}' with value ${value} is not a padding convlab has (zeros, reflect, edge, wrap)`);
    const consumers = nodes.filter((n) => n.input.includes(pad.output[0]!));
    if (mode === 'zeros' && p.every((v) => v === 0)) {
      for (const n of consumers) n.input = n.input.map((v) => (v === pad.output[0] ? pad.input[0]! : v));
      return false;
    }
    const conv = consumers[0];
    if (consumers.length !== 1 || conv!.opType !== 'Conv' || conv!.input[0] !== pad.output[0]) fail(where, 'a Pad is imported only as the padding of the one Conv it feeds');
    const convPads = (readAttributes(conv!).get('pads') as number[] | undefined) ?? [0, 0, 0, 0];
    if (mode !== 'zeros' && convPads.some((v) => v !== 0)) fail(where, `pads in '${a.get('mode')}' mode before a Conv that pads with ` +
      `zeros too (${JSON.stringify(convPads)}) are not one convlab layer`);
    const merged = [p[2]! + convPads[0]!, p[3]! + convPads[1]!, p[6]! + convPads[2]!, p[7]! + convPads[3]!];
    conv!.attribute = [
      ...conv!.attribute.filter((t) => t.name !== 'pads' && t.name !== 'auto_pad'), onnx.AttributeProto.create({ name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: merged })
    ];
    conv!.input = [pad.input[0]!, ...conv!.input.slice(1)];
    modes.set(conv!, mode);
    return false;
  });
  return { nodes: rest, modes };
}

/** The one constant input of a binary node whose other input is `data`, or undefined. */
function constantBeside(node: onnx.NodeProto, data: string, constants: ReadonlyMap<string, Constant>): number | undefined {
  if (node.input.length !== 2 || !node.input.includes(data)) return undefined;
  const other = constants.get(node.input[0] === data ? node.input[1]! : node.input[0]!);
  return other !== undefined && other.values.length === 1 ? other.values[0] : undefined;
}

/**
 * Folds each exact GELU written without ONNX's Gelu (opset 20), `Div(x, √2) → Erf → Add(1) →
 * Mul(x) → Mul(0.5)` as exportOnnx and torch.onnx.export write it, into one `Gelu` node named
 * like its last Mul. Returns the nodes with the patterns replaced.
 */
export function foldGelus(nodes: readonly onnx.NodeProto[], constants: ReadonlyMap<string, Constant>): onnx.NodeProto[] {
  const near = (a: number | undefined, b: number): boolean => a !== undefined && Math.abs(a - b) < 1e-6;
  const only = (value: string, op: string): onnx.NodeProto | undefined => {
    const users = nodes.filter((n) => n.input.includes(value));
    return users.length === 1 && users[0]!.opType === op ? users[0] : undefined;
  };
  const replaced = new Map<onnx.NodeProto, onnx.NodeProto | null>();
  for (const div of nodes) {
    if (div.opType !== 'Div' || !near(constants.get(div.input[1] ?? '')?.values[0], Math.SQRT2)) continue;
    const x = div.input[0]!;
    const erf = only(div.output[0]!, 'Erf');
    const add = erf && only(erf.output[0]!, 'Add');
    const mul = add && near(constantBeside(add, erf!.output[0]!, constants), 1) ? only(add.output[0]!, 'Mul') : undefined;
    const half = mul?.input.includes(x) && mul.input.includes(add!.output[0]!) ? only(mul.output[0]!, 'Mul') : undefined;
    if (half === undefined || !near(constantBeside(half, mul!.output[0]!, constants), 0.5)) continue;
    for (const n of [div, erf!, add!, mul!]) replaced.set(n, null);
    replaced.set(half, onnx.NodeProto.create({ opType: 'Gelu', name: half.name, input: [x], output: half.output, docString: half.docString }));
  }
  return nodes.flatMap((n) => {
    const r = replaced.get(n);
    return r === undefined ? [n] : r === null ? [] : [r];
  });
}
