import { describe, expect, it } from 'vitest';
import { MAX_CONFUSION_CLASSES, MAX_UNIT_TAPS, validate, type ConfusionData, type UnitData } from '../src/index.js';

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
    const pool: UnitData = { kind: 'maxpool', layer: 'pool1', type: 'MaxPool2d', unit: { channel: 1, row: 0, col: 0 }, source: { layer: 'relu1', type: 'ReLU', shape: [2, 2, 2] }, modelValue: 3, rows: [0, 1], cols: [0, 1], window: [[1, 3], [null, 2]], argMax: { row: 0, col: 1 }, divisor: null, value: 3 };
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
    expect(validate('unit', { ...CONV_UNIT, kind: 'linear' })).toEqual({ ok: false, errors: ['unit.kind: expected "conv" or "maxpool" or "avgpool", got "linear"'] });
  });
});
