import type { QuantizedPlanes } from '@convlab/display';
import { describe, expect, it } from 'vitest';
import { decodePlanes, overallRange, rgbPixels } from '../src/planes.js';
import { base64 } from './helpers/payloads.js';

describe('decodePlanes', () => {
  it('dequantizes one range for the layer: byte q is min + q/255·(max − min)', () => {
    const planes: QuantizedPlanes = { shape: [2, 1, 2], downsample: 1, encoding: 'uint8-base64', data: base64([0, 255, 51, 102]), range: 'layer', min: [-1], max: [4] };
    const d = decodePlanes(planes);
    expect(d.channels).toEqual([[[-1, 4]], [[0, 1]]]);
    expect(d.ranges).toEqual([[-1, 4], [0, 1]]);
    expect(overallRange(d, [0, 1])).toEqual([-1, 4]);
    expect(overallRange(d, [1])).toEqual([0, 1]);
  });

  it('dequantizes a range per channel', () => {
    const planes: QuantizedPlanes = { shape: [2, 1, 1], downsample: 2, encoding: 'uint8-base64', data: base64([255, 0]), range: 'channel', min: [0, 10], max: [2, 20] };
    const d = decodePlanes(planes);
    expect(d.channels).toEqual([[[2]], [[10]]]);
    expect(d.downsample).toBe(2);
  });

  it('maps an RGB image to bytes with one range for all three channels', () => {
    const planes: QuantizedPlanes = { shape: [3, 1, 1], downsample: 1, encoding: 'uint8-base64', data: base64([255, 0, 255]), range: 'channel', min: [0, 0, 0], max: [1, 1, 0.5] };
    expect(rgbPixels(decodePlanes(planes))).toEqual([[[255, 0, 128]]]);
  });
});
