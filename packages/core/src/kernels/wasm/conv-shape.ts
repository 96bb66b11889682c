import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { CONV_SHAPE_FIELDS } from './interface.js';

/** Writes the ConvShape record of `g` (assembly/conv-shape.ts) and returns its address (-1 when memory is exhausted). */
export function writeShape({ runtime }: WasmKernels, g: Conv2dGeometry): number {
  return runtime.writeRecord(CONV_SHAPE_FIELDS, {
    batch: g.batch, inC: g.inChannels, inH: g.inH, inW: g.inW, outC: g.outChannels, outH: g.outH, outW: g.outW, kH: g.kH, kW: g.kW,
    strideH: g.strideH, strideW: g.strideW, padTop: g.padding.top, padLeft: g.padding.left, dilationH: g.dilationH, dilationW: g.dilationW, groups: g.groups,
  });
}
