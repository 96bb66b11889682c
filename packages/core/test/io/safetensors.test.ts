import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, Tensor } from '../../src/index.js';

/** A file built by hand from a header object and raw data bytes. */
function fileWith(header: unknown, data: Uint8Array, declaredLength?: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('encodeSafetensors', () => {
  it('writes the documented layout: u64 LE header length, space-padded JSON, LE float32 data', () => {
    const bytes = encodeSafetensors([['a', Tensor.from([1, -2])], ['b', Tensor.from([[0.5]])]], { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const json = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(JSON.parse(json)).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [1, 1], data_offsets: [8, 12] },
    });
    expect(json.trimEnd()).toBe(json.slice(0, json.lastIndexOf('}') + 1));
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
  });

  it('round-trips names, shapes, values and metadata', () => {
    const tensors: [string, Tensor][] = [['w', Tensor.from([[1.5, 2.25, -3], [4, 5, 6e-8]])], ['scalar', Tensor.from([7], [])], ['empty', Tensor.zeros([0, 3])]];
    const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors, { note: 'x' }), 'mem');
    expect(metadata).toEqual({ note: 'x' });
    expect([...back.keys()]).toEqual(['w', 'scalar', 'empty']);
    expect(back.get('w')!.shape).toEqual([2, 3]);
    expect(back.get('w')!.data).toEqual(tensors[0]![1].data);
    expect(back.get('scalar')!.shape).toEqual([]);
    expect(back.get('scalar')!.item()).toBe(7);
    expect(back.get('empty')!.shape).toEqual([0, 3]);
  });

  it('refuses a reserved name', () => {
    expect(() => encodeSafetensors([['__metadata__', Tensor.from([1])]])).toThrow("safetensors: tensor name '__metadata__' is reserved or repeated");
  });
});

describe('decodeSafetensors', () => {
  it('reads I64 (PyTorch\'s num_batches_tracked) and F64 as float32', () => {
    const data = new Uint8Array(16);
    const view = new DataView(data.buffer);
    view.setBigInt64(0, 12345n, true);
    view.setFloat64(8, 0.1, true);
    const { tensors } = decodeSafetensors(fileWith({ n: { dtype: 'I64', shape: [], data_offsets: [0, 8] }, d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } }, data), 'f');
    expect(tensors.get('n')!.item()).toBe(12345);
    expect(tensors.get('d')!.item()).toBe(Math.fround(0.1));
  });

  it('reports every kind of corrupt file', () => {
    const good = encodeSafetensors([['a', Tensor.from([1, 2])]]);
    const err = (bytes: Uint8Array): (() => unknown) => () => decodeSafetensors(bytes, 'w.safetensors');
    expect(err(good.subarray(0, 5))).toThrow('safetensors file w.safetensors: truncated: 5 bytes, too short for the 8-byte header length');
    expect(err(good.subarray(0, 20))).toThrow(`safetensors file w.safetensors: header length ${good.length - 16} does not fit in the file's 20 bytes (not a safetensors file, or truncated)`);
    expect(err(good.subarray(0, good.length - 4))).toThrow("safetensors file w.safetensors: truncated: tensor 'a' ends at byte 8 of the data, which has 4");
    expect(err(Uint8Array.from([...good, 0, 0, 0, 0]))).toThrow('safetensors file w.safetensors: 4 bytes of data after the last tensor');
    expect(err(Buffer.from('PK\x03\x04 this is a zip file, not weights'))).toThrow(/header length \d+ does not fit/);
    expect(err(fileWith('x', new Uint8Array(0), 3).subarray(0, 11))).toThrow('safetensors file w.safetensors: the header is not a JSON object');
    const notJson = fileWith({}, new Uint8Array(0));
    notJson[8] = 0x5b;
    expect(err(notJson)).toThrow(/safetensors file w.safetensors: the header is not valid JSON/);
    expect(err(fileWith({ a: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)))).toThrow("safetensors file w.safetensors: tensor 'a' " +
      "has dtype BF16; convlab reads F32, F64 and I64");
    expect(err(fileWith({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow("safetensors file w.safetensors: tensor 'a' (F32 " +
      "[3]) needs 12 bytes, its data_offsets [0, 8] span 8");
    expect(err(fileWith({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)))).toThrow(`safetensors file w.safetensors: tensor 'a' needs {"dtype", ` +
      `"shape": [non-negative integers], "data_offsets": [begin, ` +
      `end]}, got {"dtype":"F32","shape":[-1],"data_offsets":[0,4]}`);
    const overlapping = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expect(err(fileWith(overlapping, new Uint8Array(8)))).toThrow("safetensors file w.safetensors: tensor 'b' starts at byte 4 of the data, expected 8 (overlapping or gapped data_offsets)");
    expect(err(fileWith({ __metadata__: { epochs: 3 } }, new Uint8Array(0)))).toThrow('safetensors file w.safetensors: __metadata__ must map strings to strings');
  });
});
