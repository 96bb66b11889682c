import type { onnx } from 'onnx-proto';
import { fail } from '../errors.js';
import { shapeSize } from '../tensor.js';
import type { Constant } from './onnx-layers.js';
import { readAttributes, readTensor } from './onnx-tensors.js';

/** The operators of shape arithmetic that {@link foldShapeArithmetic} evaluates at import. */
export const FOLDED_OPERATORS = ['Shape', 'Slice', 'Gather', 'Concat', 'Unsqueeze', 'Cast', 'ConstantOfShape', 'Reshape', 'Transpose'] as const;
const FOLDED = new Set<string>(FOLDED_OPERATORS);

/** Row-major strides of `dims`. */
function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** Every element of `dims` as its multi-index, in row-major order, mapped through `at`. */
function gather(dims: readonly number[], at: (index: readonly number[]) => number): Float32Array {
  const out = new Float32Array(shapeSize(dims));
  const index = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < out.length; k++) {
    out[k] = at(index);
    for (let a = dims.length - 1; a >= 0 && ++index[a]! === dims[a]; a--) index[a] = 0;
  }
  return out;
}

/** ONNX Slice (opset ≥ 10: starts, ends, axes, steps as inputs) of a constant. */
function slice(x: Constant, starts: Constant, ends: Constant, axes: Constant | undefined, steps: Constant | undefined): Constant {
  const rank = x.dims.length;
  const first = [...x.dims].fill(0);
  const step = [...x.dims].fill(1);
  const dims = [...x.dims];
  starts.values.forEach((s, i) => {
    const axis = axes === undefined ? i : (axes.values[i]! + rank) % rank;
    const n = x.dims[axis]!;
    const by = steps?.values[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const begin = by > 0 ? clamp(s, 0, n) : clamp(s, -1, n - 1);
    const end = by > 0 ? clamp(ends.values[i]!, 0, n) : clamp(ends.values[i]!, -1, n - 1);
    first[axis] = begin;
    step[axis] = by;
    dims[axis] = Math.max(0, Math.ceil((end - begin) / by));
  });
  const s = strides(x.dims);
  return { dims, values: gather(dims, (index) => x.values[index.reduce((o, i, a) => o + (first[a]! + i * step[a]!) * s[a]!, 0)]!) };
}

/**
 * Evaluates the shape arithmetic of a graph (Shape, Slice, Gather, Concat, Unsqueeze, Cast,
 * ConstantOfShape, and Reshape/Transpose of constants) into `constants`, and returns the nodes
 * that remain: how Resize's output size (`Concat(Slice(Shape(x), 0, 2), [H, W])`) and PyTorch's
 * padding-mode pads come out of `torch.onnx.export`. `Shape` of the graph input gives its declared
 * dims; of any other value, 4 unknown dims (convlab's maps are `[N, C, H, W]`). Unknown entries
 * (the dynamic batch) are NaN.
 */
export function foldShapeArithmetic(nodes: readonly onnx.NodeProto[], constants: Map<string, Constant>, input: { name: string; dims: readonly number[] }): onnx.NodeProto[] {
  return nodes.filter((node) => {
    const op = node.opType;
    if (!FOLDED.has(op)) return true;
    const where = `importOnnx: node '${node.name}' (${op})`;
    const args = node.input.map((n) => (n === '' ? undefined : constants.get(n)));
    if (op === 'Shape') {
      const dims = node.input[0] === input.name ? [NaN, ...input.dims] : [NaN, NaN, NaN, NaN];
      constants.set(node.output[0]!, { dims: [dims.length], values: Float32Array.from(dims) });
      return false;
    }
    if (node.input.some((n, i) => n !== '' && args[i] === undefined)) return true;
    const a = readAttributes(node);
    const x = args[0]!;
    let out: Constant;
    if (op === 'Slice') out = slice(x, args[1]!, args[2]!, args[3], args[4]);
    else if (op === 'Gather') {
      if (x.dims.length !== 1) fail(where, `folds Gather of a 1-D constant only, got dims [${x.dims.join(', ')}]`);
      const n = x.dims[0]!;
      const indices = args[1]!;
      out = { dims: indices.dims, values: indices.values.map((i) => x.values[i < 0 ? i + n : i]!) };
    } else if (op === 'Concat') {
      out = { dims: [args.reduce((n, c) => n + c!.values.length, 0)], values: Float32Array.from(args.flatMap((c) => [...c!.values])) };
      if (args.some((c) => c!.dims.length !== 1)) fail(where, 'folds the Concat of 1-D constants only');
    } else if (op === 'Unsqueeze') {
      const axes = args[1] !== undefined ? [...args[1].values] : ((a.get('axes') as number[] | undefined) ?? []);
      const rank = x.dims.length + axes.length;
      const inserted = new Set(axes.map((d) => (d + rank) % rank));
      const rest = [...x.dims];
      out = { dims: Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : rest.shift()!)), values: x.values };
    }
    else if (op === 'Cast') out = x;
    else if (op === 'ConstantOfShape') {
      const t = node.attribute.find((v) => v.name === 'value')?.t;
      const value = t === null || t === undefined ? 0 : (readTensor(t, where).values[0] ?? 0);
      out = { dims: [...x.values], values: new Float32Array(shapeSize([...x.values])).fill(value) };
    } else if (op === 'Reshape') {
      const known = x.values.length;
      const dims = [...args[1]!.values].map((d, i) => (d === 0 ? x.dims[i]! : d));
      const free = dims.indexOf(-1);
      if (free >= 0) dims[free] = known / -shapeSize(dims);
      out = { dims, values: x.values };
    } else {
      const perm = (a.get('perm') as number[] | undefined) ?? x.dims.map((_, i) => x.dims.length - 1 - i);
      const dims = perm.map((p) => x.dims[p]!);
      const s = strides(x.dims);
      out = { dims, values: gather(dims, (index) => x.values[index.reduce((o, i, k) => o + i * s[perm[k]!]!, 0)]!) };
    }
    constants.set(node.output[0]!, out);
    return false;
  });
}
