import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tensor } from '../../src/index.js';

/** A tensor as stored by tests/fixtures/make_torch_fixtures.py. */
interface EncodedTensor {
  shape: number[];
  data: string;
}

/** One PyTorch reference case: op name, arguments and named tensors. */
export interface TorchCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  tensors: Record<string, Tensor>;
}

const fixtureDir = fileURLToPath(new URL('../../../../tests/fixtures/torch/', import.meta.url));

function decode(encoded: EncodedTensor): Tensor {
  const bytes = Buffer.from(encoded.data, 'base64');
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new Tensor(values, encoded.shape);
}

/** Loads `tests/fixtures/torch/<stem>.json`. */
export function loadTorchCases(stem: string): TorchCase[] {
  const doc = JSON.parse(readFileSync(`${fixtureDir}${stem}.json`, 'utf8')) as {
    cases: { name: string; op: string; args: Record<string, unknown>; tensors: Record<string, EncodedTensor> }[];
  };
  return doc.cases.map((c) => ({
    name: c.name,
    op: c.op,
    args: c.args,
    tensors: Object.fromEntries(Object.entries(c.tensors).map(([k, v]) => [k, decode(v)])),
  }));
}

/** Largest |a − b| divided by max(1, max |b|): the error measure for fixture comparisons. */
export function relativeMaxError(actual: Tensor, expected: Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new Error(`shape mismatch: got [${actual.shape}] expected [${expected.shape}]`);
  }
  const a = actual.data;
  const b = expected.data;
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}
