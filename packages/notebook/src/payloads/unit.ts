import { ConvlabError, type LinearUnit, type UnitExplanation } from '@convlab/core';
import { MAX_UNIT_TAPS, toFloatValue, type LinearUnitData, type UnitData } from '@convlab/display';

const floats = (grid: readonly (readonly (readonly number[])[])[]) => grid.map((plane) => plane.map((row) => row.map(toFloatValue)));

/**
 * The step-through payload of a conv, pooling or linear unit explained by `explainUnit`. A linear
 * unit lists the terms `explainUnit` kept (its `top` option: pass the layer's `inFeatures` for the
 * whole dot product) and sums the others into `rest`.
 * @example display(unitPayload(explainUnit(lenet, image, { layer: 'conv2', channel: 3, row: 4, col: 5 })))
 * @example display(unitPayload(explainUnit(lenet, image, { layer: 'fc3', channel: 6, top: 84 })))
 */
export function unitPayload(u: UnitExplanation): { kind: 'unit'; data: UnitData } {
  const common = { layer: u.layer, type: u.type, unit: { ...u.unit }, source: { ...u.source, shape: [...u.source.shape] }, modelValue: toFloatValue(u.modelValue) };
  if (u.kind === 'linear') return { kind: 'unit', data: { ...common, ...linearData(u) } };
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

function linearData(u: LinearUnit): Omit<LinearUnitData, 'layer' | 'type' | 'unit' | 'source' | 'modelValue'> {
  if (u.contributions.length > MAX_UNIT_TAPS) throw new ConvlabError(`unitPayload: linear unit of '${u.layer}' lists ${u.contributions.length} terms; ` +
    `the step-through shows at most ${MAX_UNIT_TAPS} (explainUnit's top option)`);
  const listed = u.contributions.reduce((s, t) => s + t.product, 0);
  return {
    kind: 'linear', inputs: u.inputs,
    terms: u.contributions.map(
      (t) => ({ index: t.index, input: toFloatValue(t.input), weight: toFloatValue(t.weight), product: toFloatValue(t.product), position: t.position === null ? null : { ...t.position } })
    ),
    rest: toFloatValue(u.contributions.length === u.inputs ? 0 : u.sum - listed),
    positionsIn: u.positionsIn === null ? null : { ...u.positionsIn, shape: [...u.positionsIn.shape] },
    sum: toFloatValue(u.sum), bias: toFloatValue(u.bias), preActivation: toFloatValue(u.preActivation),
    activation: u.activation === null ? null : { layer: u.activation.layer, type: u.activation.type, value: toFloatValue(u.activation.value) },
  };
}
