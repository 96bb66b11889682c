import { onnx } from 'onnx-proto';
import { fail, formatShape } from '../errors.js';
import { shapeSize } from '../tensor.js';

/** The ONNX operator sets convlab writes (ai.onnx domain): 13 fixed Softmax's axis semantics; 17 is the newest that Debian's onnx checker (1.12) knows. */
export const OPSET_RANGE = [13, 17] as const;
/** The operator set exportOnnx writes unless asked otherwise. */
export const DEFAULT_OPSET = 13;
/** IR version 8 (ONNX 1.10–1.12), which opsets 13–17 may use. */
export const IR_VERSION = 8;

/** A float32 initializer (little-endian raw data, as PyTorch writes them). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): onnx.ITensorProto {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes.slice() };
}

/** An int64 initializer (Reshape's target shape). */
export function int64Tensor(name: string, values: readonly number[]): onnx.ITensorProto {
  const raw = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(raw.buffer) };
}

/** An attribute of one of the kinds convlab writes: an int, a float, a list of ints, or a string (Resize's and Pad's modes). */
export function attribute(name: string, value: number | readonly number[] | string, kind: 'int' | 'float' = 'int'): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value !== 'number') return { name, type: T.INTS, ints: [...value] };
  return kind === 'float' ? { name, type: T.FLOAT, f: value } : { name, type: T.INT, i: value };
}

const toNumber = (v: number | { toNumber(): number }): number => (typeof v === 'number' ? v : v.toNumber());

/**
 * The values of a FLOAT, DOUBLE or INT64 tensor as float32 (from raw data or the typed fields),
 * with its dims; `where` names the node or initializer in errors.
 */
export function readTensor(t: onnx.ITensorProto, where: string): { dims: number[]; values: Float32Array } {
  const dims = (t.dims ?? []).map(toNumber);
  const count = shapeSize(dims);
  const T = onnx.TensorProto.DataType;
  const type = t.dataType ?? T.UNDEFINED;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) fail(where, `tensor '${t.name}' keeps its data in an external file; convlab reads self-contained .onnx files`);
  // A copy of the raw bytes: they may sit at any offset of a shared buffer (Node's Buffer views).
  const raw = t.rawData === null || t.rawData === undefined ? new ArrayBuffer(0) : new Uint8Array(t.rawData).buffer;
  let values: Float32Array;
  if (type === T.FLOAT) {
    values = raw.byteLength > 0 ? new Float32Array(raw) : Float32Array.from(t.floatData ?? []);
  } else if (type === T.DOUBLE) {
    values = Float32Array.from(raw.byteLength > 0 ? new Float64Array(raw) : (t.doubleData ?? []));
  } else if (type === T.INT64) {
    values = raw.byteLength > 0 ? Float32Array.from(new BigInt64Array(raw), Number) : Float32Array.from((t.int64Data ?? []).map(toNumber));
  } else {
    return fail(where, `tensor '${t.name}' has data type ${T[type] ?? type}; convlab reads FLOAT, DOUBLE and INT64`);
  }
  if (values.length !== count) fail(where, `tensor '${t.name}' of shape ${formatShape(dims)} needs ${count} values, has ${values.length}`);
  return { dims, values };
}

/** The attributes of a node as plain values (ints as numbers), by name. */
export function readAttributes(node: onnx.INodeProto): Map<string, number | number[] | string> {
  const T = onnx.AttributeProto.AttributeType;
  const out = new Map<string, number | number[] | string>();
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    if (a.type === T.INT) out.set(name, toNumber(a.i ?? 0));
    else if (a.type === T.FLOAT) out.set(name, a.f ?? 0);
    else if (a.type === T.INTS) out.set(name, (a.ints ?? []).map(toNumber));
    else if (a.type === T.FLOATS) out.set(name, [...(a.floats ?? [])]);
    else if (a.type === T.STRING) out.set(name, new TextDecoder().decode(a.s ?? new Uint8Array(0)));
  }
  return out;
}
