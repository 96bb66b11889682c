import { describe, expect, it } from 'vitest';
import { resizeBilinear, Tensor } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';

describe('resizeBilinear (align corners false)', () => {
  it.each(loadTorchCases('inspect').filter((c) => c.op === 'bilinear').map((c) => [c.name, c] as const))('equals F.interpolate: %s', (_name, c) => {
    const [h, w] = c.tensors.x!.shape as [number, number];
    const [oh, ow] = c.args.size as [number, number];
    const out = new Tensor(resizeBilinear(c.tensors.x!.data, h, w, oh, ow), [oh, ow]);
    expect(relativeMaxError(out, c.tensors.y!)).toBeLessThanOrEqual(1e-6);
  });

  it('samples between pixel centres: a 1×2 ramp doubled is [0, 0.25, 0.75, 1]', () => {
    expect([...resizeBilinear(Float32Array.from([0, 1]), 1, 2, 1, 4)]).toEqual([0, 0.25, 0.75, 1]);
  });
});
