import { describe, expect, it } from 'vitest';
import {
  MAX_ARITHMETIC_VALUES, MAX_CONFUSION_CLASSES, MAX_UNIT_TAPS, unitFromArithmetic, validate, type ConfusionData, type FeatureMapsData, type LayerArithmeticData, type UnitData
} from '../src/index.js';
import { FEATUREMAPS } from './examples.js';

const image = { shape: [1, 2, 2] as [number, number, number], downsample: 1, encoding: 'uint8-base64' as const, data: 'AH//gA==', range: 'layer' as const, min: [0], max: [1] };
const scores = { precision: 0.5, recall: 1, f1: 2 / 3, support: 2 };

export const CONFUSION: ConfusionData = {
  classes: ['cat', 'dog'],
  matrix: [[2, 0], [1, 1]],
  total: 4,
  accuracy: 0.75,
  perClass: [{ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 }, { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 }],
  macro: scores,
  weighted: scores,
  examples: [{ trueClass: 1, predictedClass: 0, index: 3, confidence: 0.9, image }],
  examplesPerCell: 4,
};

export const CONV_UNIT: UnitData = {
  kind: 'conv', layer: 'conv1', type: 'Conv2d', unit: { channel: 0, row: 0, col: 0 },
  source: { layer: null, type: null, shape: [1, 3, 3] }, modelValue: 1.5,
  rows: [-1, 0], cols: [0, 1], inputChannels: [0],
  window: [[[0, 0], [1, 2]]], kernel: [[[1, 1], [0.5, 0.5]]], products: [[[0, 0], [0.5, 1]]], channelSums: [1.5],
  sum: 1.5, bias: 0, preActivation: 1.5, activation: { layer: 'relu1', type: 'ReLU', value: 1.5 },
};

describe('confusion and unit schemas', () => {
  it('accept valid payloads', () => {
    expect(validate('confusion', CONFUSION)).toEqual({ ok: true, data: CONFUSION });
    expect(validate('unit', CONV_UNIT)).toEqual({ ok: true, data: CONV_UNIT });
    const pool: UnitData = {
      kind: 'maxpool', layer: 'pool1', type: 'MaxPool2d', unit: { channel: 1, row: 0, col: 0 }, source: { layer: 'relu1', type: 'ReLU', shape: [2, 2, 2] }, modelValue: 3, rows: [0, 1], cols: [0, 1],
      window: [[1, 3], [null, 2]], argMax: { row: 0, col: 1 }, divisor: null, value: 3,
    };
    expect(validate('unit', pool).ok).toBe(true);
  });

  it('report every problem of a malformed confusion payload', () => {
    const bad = { ...CONFUSION, matrix: [[2, -1], [1]], perClass: [scores], macro: { ...scores, precision: 1.5 }, examples: [{ ...CONFUSION.examples[0]!, trueClass: 7 }] };
    expect(validate('confusion', bad)).toEqual({
      ok: false,
      errors: [
        'confusion.matrix[0][1]: expected a non-negative integer, got -1',
        'confusion.matrix[1]: expected an array of 2, got an array of 1',
        'confusion.perClass: expected 2 entries (one per class), got 1',
        'confusion.macro.precision: expected a value in [0, 1], got 1.5',
        'confusion.examples[0].trueClass: expected a class index below 2, got 7',
      ],
    });
    expect(validate('confusion', { ...CONFUSION, classes: Array.from({ length: MAX_CONFUSION_CLASSES + 1 }, String) }).ok).toBe(false);
  });

  it('report a unit whose grids do not match its window, and oversized windows', () => {
    const bad = { ...CONV_UNIT, kernel: [[[1, 1]]], sum: 'lots', activation: { layer: 'r', type: 'ReLU' } };
    expect(validate('unit', bad)).toEqual({
      ok: false,
      errors: [
        'unit.kernel[0]: expected an array of 2, got an array of 1',
        'unit.sum: expected a number or "NaN"/"Infinity"/"-Infinity", got "lots"',
        'unit.activation.value: expected a number or "NaN"/"Infinity"/"-Infinity", got nothing',
      ],
    });
    const big = { ...CONV_UNIT, inputChannels: Array.from({ length: MAX_UNIT_TAPS }, (_, i) => i) };
    expect(validate('unit', big)).toEqual({ ok: false, errors: [`unit: a window of ${MAX_UNIT_TAPS}×2×2 values is more than the ${MAX_UNIT_TAPS} a step-through shows`] });
    expect(validate('unit', { ...CONV_UNIT, kind: 'dense' })).toEqual({ ok: false, errors: ['unit.kind: expected "conv" or "maxpool" or "avgpool" or "linear", got "dense"'] });
    const linear = { ...CONV_UNIT, kind: 'linear', inputs: 3, terms: [{ index: 2, input: 1, weight: 2, product: 2, position: null }], rest: 0.5, positionsIn: null };
    expect(validate('unit', linear).ok).toBe(true);
    expect(validate('unit', { ...linear, inputs: 0, terms: [{ index: 2, input: 1, weight: 2, product: 'big', position: { channel: -1 } }] })).toEqual({ ok: false, errors: [
      'unit.inputs: expected an integer ≥ 1, got 0',
      'unit.terms: expected 1 to 0 terms (the inputs, at most 65536), got 1',
    ] });
    expect(
      validate('unit', { ...linear, terms: [{ index: 2, input: 1, weight: 2, product: 'big', position: null }] })
    ).toEqual({ ok: false, errors: ['unit.terms[0].product: expected a number or "NaN"/"Infinity"/"-Infinity", got "big"'] });
  });
});

describe('feature-map layer arithmetic (the step-through behind a click)', () => {
  // A 1×3×3 input, a 2×2 conv with 2 output channels (bias), output 2×2×2.
  const arithmetic: LayerArithmeticData = {
    kind: 'conv', source: { layer: null, type: null, shape: [1, 3, 3] }, input: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    output: [37, 47, 67, 77, 1, 1, 1, 1], kernelSize: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1,
    weight: [1, 2, 3, 4, 0, 0, 0, 0], bias: [0, 1], activation: { layer: 'relu', type: 'ReLU' }, countIncludePad: true,
  };
  const layer = { ...FEATUREMAPS.layers[0]!, shape: [2, 2, 2] as [number, number, number], channels: { included: [0, 1], total: 2, page: null }, arithmetic };
  const maps: FeatureMapsData = { ...FEATUREMAPS, layers: [layer] };

  it('is validated with the layer, and gives the unit arithmetic', () => {
    expect(validate('featuremaps', maps).ok).toBe(true);
    const u = unitFromArithmetic('c', 'Conv2d', [2, 2, 2], arithmetic, { channel: 0, row: 1, col: 0 });
    expect(u).toMatchObject(
      { kind: 'conv', rows: [1, 2], cols: [0, 1], window: [[[4, 5], [7, 8]]], products: [[[4, 10], [21, 32]]], sum: 67, bias: 0, preActivation: 67, modelValue: 67, activation: { value: 67 } }
    );
  });

  it('reports wrong lengths, bad kinds and oversized arithmetic', () => {
    const bad = { ...maps, layers: [{ ...layer, arithmetic: { ...arithmetic, weight: [1, 2], input: [1, 2, 3, 4, 5, 6, 7, 8, '<b>'] , kind: 'linear' } }] };
    expect(validate('featuremaps', bad)).toEqual({ ok: false, errors: ['featuremaps.layers[0].arithmetic.kind: expected "conv" or "maxpool" or "avgpool", got "linear"'] });
    const short = { ...maps, layers: [{ ...layer, arithmetic: { ...arithmetic, weight: [1, 2], input: [1, 2, 3, 4, 5, 6, 7, 8, '<b>'] } }] };
    expect(validate('featuremaps', short)).toEqual({ ok: false, errors: [
      'featuremaps.layers[0].arithmetic.input[8]: expected a number or "NaN"/"Infinity"/"-Infinity", got "<b>"',
      'featuremaps.layers[0].arithmetic.weight: expected 8 values, got 2',
    ] });
    const huge = { ...maps, layers: [{ ...layer, arithmetic: { ...arithmetic, source: { ...arithmetic.source, shape: [1, 300, 300] } } }] };
    expect(validate('featuremaps', huge)).toEqual({ ok: false, errors: [`featuremaps.layers[0].arithmetic: 90018 values are more than the ${MAX_ARITHMETIC_VALUES} a step-through carries`] });
  });
});

describe('attribution schema', () => {
  const map = { ...image, shape: [1, 2, 2] as [number, number, number] };
  const data = { image, caption: 'x', maps: [{ method: 'gradcam', target: 1, label: 'dog', layer: 'conv2', score: 2.5, map }] };
  it('accepts maps of the image size and reports others', () => {
    expect(validate('attribution', data).ok).toBe(true);
    const bad = { ...data, maps: [{ ...data.maps[0]!, method: 'lime', map: { ...map, shape: [1, 1, 4] } }] };
    expect(validate('attribution', bad)).toEqual({ ok: false, errors: [
      'attribution.maps[0].method: expected "saliency" or "gradcam", got "lime"',
      'attribution.maps[0].map.shape: expected [1,2,2] (the image\'s size), got [1,1,4]',
    ] });
    expect(validate('attribution', { ...data, maps: [] })).toEqual({ ok: false, errors: ['attribution.maps: expected 1 to 16 maps, got 0'] });
  });
});
