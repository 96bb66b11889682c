// The geometry of one conv2d call, written into memory by the host as consecutive i32 in this
// order: scripts/wasm-interface.mjs reads the fields from here into CONV_SHAPE_FIELDS, by which
// src/kernels/wasm/conv2d.ts writes them.

@unmanaged
export class ConvShape {
  batch: i32;
  inC: i32;
  inH: i32;
  inW: i32;
  outC: i32;
  outH: i32;
  outW: i32;
  kH: i32;
  kW: i32;
  strideH: i32;
  strideW: i32;
  padTop: i32;
  padLeft: i32;
  dilationH: i32;
  dilationW: i32;
  groups: i32;
}

/** Input channels per group. */
@inline export function groupIn(s: ConvShape): i32 {
  return s.inC / s.groups;
}

/** Output channels per group. */
@inline export function groupOut(s: ConvShape): i32 {
  return s.outC / s.groups;
}

/** Kernel taps per group, the rows of the column matrix: `C_in/G · kH · kW`. */
@inline export function taps(s: ConvShape): i32 {
  return (s.inC / s.groups) * s.kH * s.kW;
}

/** Output positions per image, the columns of the column matrix: `H_out · W_out`. */
@inline export function positions(s: ConvShape): i32 {
  return s.outH * s.outW;
}

/** Bytes of `floats` f32 values, as an address offset. */
@inline export function bytes(floats: i32): usize {
  return <usize>floats << 2;
}
