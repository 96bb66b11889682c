import { ConvlabError, type UnitExplanation } from '@convlab/core';
import { toFloatValue, type UnitData } from '@convlab/display';

const floats = (grid: readonly (readonly (readonly number[])[])[]) => grid.map((plane) => plane.map((row) => row.map(toFloatValue)));

/**
 * The step-through payload of a conv or pooling unit explained by `explainUnit`.
 * @example display(unitPayload(explainUnit(lenet, image, { layer: 'conv2', channel: 3, row: 4, col: 5 })))
 */
export function unitPayload(u: UnitExplanation): { kind: 'unit'; data: UnitData } {
  const common = { layer: u.layer, type: u.type, unit: { ...u.unit }, source: { ...u.source, shape: [...u.source.shape] }, modelValue: toFloatValue(u.modelValue) };
  if (u.kind === 'linear') throw new ConvlabError(`unitPayload: '${u.layer}' is a linear layer; the step-through shows conv and pooling units (a linear unit's contributions are plain data: explainUnit(...).contributions)`);
  if (u.kind === 'conv') {
    return {
      kind: 'unit',
      data: {
        ...common, kind: 'conv', rows: [...u.rows], cols: [...u.cols], inputChannels: [...u.inputChannels],
        window: floats(u.window), kernel: floats(u.kernel), products: floats(u.products), channelSums: u.channelSums.map(toFloatValue),
        sum: toFloatValue(u.sum), bias: toFloatValue(u.bias), preActivation: toFloatValue(u.preActivation),
        activation: u.activation === null ? null : { layer: u.activation.layer, type: u.activation.type, value: toFloatValue(u.activation.value) },
      },
    };
  }
  return {
    kind: 'unit',
    data: {
      ...common, kind: u.kind, rows: [...u.rows], cols: [...u.cols],
      window: u.window.map((row) => row.map((v) => (v === null ? null : toFloatValue(v)))),
      argMax: u.argMax === null ? null : { ...u.argMax }, divisor: u.divisor, value: toFloatValue(u.value),
    },
  };
}
