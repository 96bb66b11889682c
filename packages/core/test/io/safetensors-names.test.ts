import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, Tensor } from '../../src/index.js';

/** A safetensors file with the given JSON header and data bytes. */
function file(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors names and dtypes are own properties, never the prototype chain', () => {
  it('round-trips tensors named like Object.prototype members', () => {
    const names = ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'];
    const bytes = encodeSafetensors(names.map((n, i) => [n, Tensor.from([i, i + 0.5])]));
    const back = decodeSafetensors(bytes, 'names.safetensors');
    expect([...back.tensors.keys()]).toEqual(names);
    expect(names.map((n) => Array.from(back.tensors.get(n)!.data))).toEqual(names.map((_, i) => [i, i + 0.5]));
    expect(() => encodeSafetensors([['toString', Tensor.from([1])], ['toString', Tensor.from([2])]])).toThrow("safetensors: tensor name 'toString' is reserved or repeated");
  });

  it('refuses dtypes named like Object.prototype members as unknown dtypes', () => {
    for (const dtype of ['toString', 'constructor', '__proto__']) {
      expect(() => decodeSafetensors(file({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, [0, 0, 128, 63]), 'd.safetensors'))
        .toThrow(`safetensors file d.safetensors: tensor 'w' has dtype ${dtype}; convlab reads F32, F64 and I64`);
    }
  });
});
